/**
 * The two fixed test sets, written to disk once:
 *
 * - the paper set (Tan & Wang Table I), DIR/testset: for each noise in {babble, cafeteria} × SNR
 *   in {−5, 0, 5} dB, `perCondition` mixtures of test-split speakers. Corpus v2 adds no test
 *   speaker and no babble/crowd/clatter clip, so this set is byte-identical to corpus v1's.
 * - the environmental set (corpus v2), DIR/testset-environment: for each noise category of
 *   ENVIRONMENT_CATEGORIES × the same SNRs, mixtures of the same test speakers with recorded
 *   noise of that category from the test split (`noise: 'source', noiseCategories: [category]`).
 *
 * Layout of each:
 *   DIR/<set>/<noise>_<snr>/<id>_mix.wav and <id>_clean.wav     (16 kHz mono 16-bit)
 *   DIR/<set>/manifest.csv
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
import { mixtureAt, MIXTURE_SECONDS_DEFAULT, type MixtureRequest } from './mixer.js';
import type { Corpus } from './corpus.js';
import { TEST_NOISE_KINDS, type TestNoiseKind } from './noise.js';
import { isNoiseCategory } from './builder/categories.js';
import { fileWriteAtomic } from './builder/stamps.js';
import type { ProgressSink } from './builder/progress.js';
import { UserError } from '../errors.js';

/** The test sets: folder name under the corpus. */
export const TESTSET_DIRS = { paper: 'testset', environment: 'testset-environment' } as const;
/** A test set name. */
export type TestsetName = keyof typeof TESTSET_DIRS;
/**
 * Noise categories of the environmental test set: the four non-speech categories with the most
 * test-split noise in corpus v2 (docs/results/corpus.md lists the minutes). Crowd and babble are
 * the paper set's; radio has no test share (speech-like noise is too scarce: it goes to training).
 */
export const ENVIRONMENT_CATEGORIES: readonly string[] = ['weather', 'nature', 'traffic', 'machinery'];
/** Mixtures per (category, SNR) of the environmental set: 4 × 3 × 50 = 600, as many as the paper set. */
export const ENVIRONMENT_PER_CONDITION_DEFAULT = 50;

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
  /** A TestNoiseKind (paper set) or a noise category (environmental set). */
  noise: string;
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
export function testsetConditionName(noise: string, snrDb: number): string {
  return `${noise}_${snrDb}`;
}

/** Writes the paper test set into `outDir` (replacing an earlier one) and returns its rows. */
export function testsetWrite(corpus: Corpus, outDir: string, opts: TestsetOptions = {}, progress?: ProgressSink): TestsetRow[] {
  const noises = opts.noises ?? TEST_NOISE_KINDS;
  return conditionsWrite(corpus, outDir, noises.map((noise) => ({ noise, request: { noise } })), opts.perCondition ?? TESTSET_PER_CONDITION_DEFAULT, opts, progress);
}

/** Options of `environmentTestsetWrite`. */
export interface EnvironmentTestsetOptions extends Omit<TestsetOptions, 'noises'> {
  categories?: readonly string[];
}

/**
 * Writes the environmental test set into `outDir` (replacing an earlier one): recorded test-split
 * noise of each category at each SNR, on the same clean utterances as the paper set (mixture id i
 * has the clean speech of paper id i).
 */
export function environmentTestsetWrite(corpus: Corpus, outDir: string, opts: EnvironmentTestsetOptions = {}, progress?: ProgressSink): TestsetRow[] {
  const categories = opts.categories ?? ENVIRONMENT_CATEGORIES;
  for (const c of categories) if (!isNoiseCategory(c)) throw new UserError(`environmental test set: "${c}" is not a noise category`);
  const conditions = categories.map((c) => ({ noise: c, request: { noise: 'source' as const, noiseCategories: [c] } }));
  return conditionsWrite(corpus, outDir, conditions, opts.perCondition ?? ENVIRONMENT_PER_CONDITION_DEFAULT, opts, progress);
}

/** Writes mixtures of `conditions` × SNRs (see the module comment). */
function conditionsWrite(
  corpus: Corpus,
  outDir: string,
  conditions: readonly { noise: string; request: Pick<MixtureRequest, 'noise' | 'noiseCategories'> }[],
  perCondition: number,
  opts: Omit<TestsetOptions, 'noises' | 'perCondition'>,
  progress?: ProgressSink,
): TestsetRow[] {
  const seconds = opts.seconds ?? MIXTURE_SECONDS_DEFAULT;
  const seed = opts.seed ?? 0;
  const snrs = opts.snrsDb ?? TESTSET_SNRS_DB;
  const noises = conditions;
  if (!Number.isInteger(perCondition) || perCondition < 1) throw new UserError(`--per-condition ${perCondition} is not a positive integer`);
  const digits = Math.max(4, String(perCondition - 1).length);
  rmSync(join(outDir, 'manifest.csv'), { force: true });
  const bar = progress?.bar('testset', perCondition * snrs.length * noises.length);
  const rows: TestsetRow[] = [];
  for (const { noise, request } of noises) {
    for (const snrDb of snrs) {
      const cond = testsetConditionName(noise, snrDb);
      mkdirSync(join(outDir, cond), { recursive: true });
      for (let i = 0; i < perCondition; i++) {
        const m = mixtureAt(corpus, { split: 'test', index: i, seconds, seed, snrDb, ...request });
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
    if (!(TEST_NOISE_KINDS as readonly string[]).includes(noise) && !isNoiseCategory(noise)) {
      throw new UserError(`${path} line ${k + 2}: noise "${noise}" is neither babble, cafeteria nor a noise category`);
    }
    return {
      id: f[0],
      noise,
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
