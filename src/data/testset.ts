/**
 * The fixed test set of Tan & Wang Table I, written to disk once: for each noise in
 * {babble, cafeteria} × SNR in {−5, 0, 5} dB, `perCondition` mixtures of test-split speakers,
 *   DIR/testset/<noise>_<snr>/<id>_mix.wav and <id>_clean.wav     (16 kHz mono 16-bit)
 *   DIR/testset/manifest.csv
 * Mixture id i is `mixtureAt(corpus, {split: 'test', index: i, seed, noise, snrDb})`, so the clean
 * utterance of id i is the same in all six conditions, and one noise excerpt per (id, noise) is
 * used at all three SNRs (as in the paper's test protocol).
 *
 * On disk both files of a pair carry one common gain: the mixture at −25 dBFS RMS, lowered if
 * needed so that neither file's peak exceeds 0.99 (16-bit WAV cannot hold unit-RMS audio). The
 * manifest's `unit_rms_scale` restores the mixer's unit-RMS scaling: file samples × scale.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_RATE_HZ } from '../dsp/constants.js';
import { encodeWav } from './wav.js';
import { csvField, csvParse } from './manifest.js';
import { mixtureAt, MIXTURE_SECONDS_DEFAULT } from './mixer.js';
import type { Corpus } from './corpus.js';
import { TEST_NOISE_KINDS, type TestNoiseKind } from './noise.js';
import { fileWriteAtomic } from './builder/stamps.js';
import type { ProgressSink } from './builder/progress.js';
import { UserError } from '../errors.js';

/** Paper test SNRs in dB. */
export const TESTSET_SNRS_DB: readonly number[] = [-5, 0, 5];
/** Default mixtures per (noise, SNR) condition. */
export const TESTSET_PER_CONDITION_DEFAULT = 100;
/** On-disk level of the mixture: −25 dBFS RMS. */
export const TESTSET_RMS = 10 ** (-25 / 20);
/** Peak ceiling of written files. */
export const TESTSET_PEAK_MAX = 0.99;
/** Columns of testset/manifest.csv. */
export const TESTSET_COLUMNS = ['id', 'noise', 'snr_db', 'mix', 'clean', 'speaker', 'noise_file', 'utterances', 'seconds', 'unit_rms_scale'] as const;

/** Options of `testsetWrite`. */
export interface TestsetOptions {
  perCondition?: number;
  seconds?: number;
  seed?: number;
  snrsDb?: readonly number[];
  noises?: readonly TestNoiseKind[];
}

/** One test pair. Paths are relative to the testset folder. */
export interface TestsetRow {
  id: string;
  noise: TestNoiseKind;
  snrDb: number;
  mix: string;
  clean: string;
  speaker: string;
  noiseFile: string;
  utterances: string;
  seconds: number;
  /** Multiply file samples by this to get the mixer's unit-RMS mixture (and its target). */
  unitRmsScale: number;
}

/** Folder of one condition, e.g. 'babble_-5'. */
export function testsetConditionName(noise: TestNoiseKind, snrDb: number): string {
  return `${noise}_${snrDb}`;
}

/** Writes the test set into `outDir` (replacing an earlier one) and returns its rows. */
export function testsetWrite(corpus: Corpus, outDir: string, opts: TestsetOptions = {}, progress?: ProgressSink): TestsetRow[] {
  const perCondition = opts.perCondition ?? TESTSET_PER_CONDITION_DEFAULT;
  const seconds = opts.seconds ?? MIXTURE_SECONDS_DEFAULT;
  const seed = opts.seed ?? 0;
  const snrs = opts.snrsDb ?? TESTSET_SNRS_DB;
  const noises = opts.noises ?? TEST_NOISE_KINDS;
  if (!Number.isInteger(perCondition) || perCondition < 1) throw new UserError(`--per-condition ${perCondition} is not a positive integer`);
  const digits = Math.max(4, String(perCondition - 1).length);
  rmSync(join(outDir, 'manifest.csv'), { force: true });
  const bar = progress?.bar('testset', perCondition * snrs.length * noises.length);
  const rows: TestsetRow[] = [];
  for (const noise of noises) {
    for (const snrDb of snrs) {
      const cond = testsetConditionName(noise, snrDb);
      mkdirSync(join(outDir, cond), { recursive: true });
      for (let i = 0; i < perCondition; i++) {
        const m = mixtureAt(corpus, { split: 'test', index: i, seconds, seed, noise, snrDb });
        let peak = 0;
        for (let k = 0; k < m.mixture.length; k++) peak = Math.max(peak, Math.abs(m.mixture[k]), Math.abs(m.clean[k]));
        // The mixture is unit RMS, so TESTSET_RMS is the gain that puts it at −25 dBFS.
        const gain = Math.min(TESTSET_RMS, TESTSET_PEAK_MAX / peak);
        const scaled = (x: Float32Array) => encodeWav({ sampleRate: SAMPLE_RATE_HZ, channels: [x.map((v) => v * gain)] }, 'pcm16');
        const id = String(i).padStart(digits, '0');
        const mix = `${cond}/${id}_mix.wav`;
        const clean = `${cond}/${id}_clean.wav`;
        fileWriteAtomic(join(outDir, mix), scaled(m.mixture));
        fileWriteAtomic(join(outDir, clean), scaled(m.clean));
        rows.push({ id, noise, snrDb, mix, clean, speaker: m.speaker, noiseFile: m.noiseFile, utterances: m.utterances.join('+'), seconds: m.mixture.length / SAMPLE_RATE_HZ, unitRmsScale: 1 / gain });
        bar?.increment();
      }
    }
  }
  bar?.stop();
  const text =
    [TESTSET_COLUMNS.join(',')]
      .concat(
        rows.map((r) =>
          [r.id, r.noise, String(r.snrDb), r.mix, r.clean, r.speaker, r.noiseFile, r.utterances, String(r.seconds), String(r.unitRmsScale)].map(csvField).join(','),
        ),
      )
      .join('\n') + '\n';
  fileWriteAtomic(join(outDir, 'manifest.csv'), text);
  return rows;
}

/** Reads testset/manifest.csv (as written by `testsetWrite`). */
export function testsetRead(dir: string): TestsetRow[] {
  const path = join(dir, 'manifest.csv');
  if (!existsSync(path)) throw new UserError(`${dir}: no test set here (no manifest.csv); run \`hushpack corpus testset\``);
  const records = csvParse(readFileSync(path, 'utf8'), path).filter((r) => !(r.length === 1 && r[0] === ''));
  if (records.length === 0 || records[0].join(',') !== TESTSET_COLUMNS.join(',')) {
    throw new UserError(`${path}: header is not ${TESTSET_COLUMNS.join(',')}`);
  }
  return records.slice(1).map((f, k) => {
    if (f.length !== TESTSET_COLUMNS.length) throw new UserError(`${path} line ${k + 2}: ${f.length} fields, expected ${TESTSET_COLUMNS.length}`);
    const noise = f[1];
    if (!(TEST_NOISE_KINDS as readonly string[]).includes(noise)) throw new UserError(`${path} line ${k + 2}: noise "${noise}" is not babble or cafeteria`);
    return {
      id: f[0],
      noise: noise as TestNoiseKind,
      snrDb: Number(f[2]),
      mix: f[3],
      clean: f[4],
      speaker: f[5],
      noiseFile: f[6],
      utterances: f[7],
      seconds: Number(f[8]),
      unitRmsScale: Number(f[9]),
    };
  });
}
