/**
 * The fixed two-talker test set (issue 16; wsj0-2mix's test set has 3000 mixtures), written once:
 *
 *   DIR/params.json        what the set was made from (version, seed, count, rate, level range,
 *                          shortest utterance, sha256 of the corpus manifest); written first
 *   DIR/mix/<id>.wav       mixture   ┐ 8 kHz mono 16-bit PCM, one gain for the three
 *   DIR/s1/<id>.wav        speaker 1 │ (src/data/separation/twoTalker.ts: largest |sample| 0.9),
 *   DIR/s2/<id>.wav        speaker 2 ┘ so mix = s1 + s2 up to 16-bit rounding
 *   DIR/list.csv           one row per mixture (SEPARATION_LIST_COLUMNS); written last
 *
 * Mixture id i (zero-padded) is twoTalkerPlan(corpus, {split: 'test', index: i, seed, attempt}) with
 * attempt the first (0, 1, …) whose unordered utterance pair no lower id has: the set holds `count`
 * distinct pairs (so count ≤ twoTalkerPairCount). Resumable and idempotent: with the same
 * params.json, mixtures whose three files exist are not rendered again (files are written
 * atomically, so a file that exists is complete) and a finished set is left untouched; other
 * params clear the folder's mixtures first. The plans need no audio, so a complete set is checked
 * in milliseconds.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { SEPARATION_SAMPLE_RATE_HZ } from '../../dsp/constants.js';
import { encodeWav } from '../wav.js';
import { csvField, csvParse } from '../manifest.js';
import { fileWriteAtomic, sha256Hex } from '../builder/stamps.js';
import type { ProgressSink } from '../builder/progress.js';
import type { Corpus } from '../corpus.js';
import {
  TWO_TALKER_LEVEL_RANGE_DB, TWO_TALKER_MIN_CLIP_SECONDS, TWO_TALKER_PEAK, twoTalkerPairCount, twoTalkerPlan, twoTalkerRender,
  type TwoTalkerPlan,
} from './twoTalker.js';

/** Folder of the set under a corpus. */
export const SEPARATION_TESTSET_DIR = 'separation-test';
/** Default number of mixtures (wsj0-2mix's test set). */
export const SEPARATION_TESTSET_COUNT_DEFAULT = 3000;
/** Version of the set's layout and recipe; a change rewrites existing sets. */
export const SEPARATION_TESTSET_VERSION = 1;
/** Columns of list.csv. */
export const SEPARATION_LIST_COLUMNS = [
  'id', 'mix', 's1', 's2', 's1_speaker', 's2_speaker', 's1_utterance', 's2_utterance', 'level_db', 'samples', 'seconds',
] as const;
/** Redraws tried per index before giving up on finding a new utterance pair. */
const MAX_ATTEMPTS = 1000;

/** One row of list.csv; paths relative to the set folder. */
export interface SeparationListRow {
  id: string;
  mix: string;
  s1: string;
  s2: string;
  s1Speaker: string;
  s2Speaker: string;
  /** Corpus-relative paths of the two utterances. */
  s1Utterance: string;
  s2Utterance: string;
  /** Level of s1 over s2 (dB). */
  levelDb: number;
  /** Length in samples at SEPARATION_SAMPLE_RATE_HZ. */
  samples: number;
  seconds: number;
}

/** Options of `separationTestsetWrite`. */
export interface SeparationTestsetOptions {
  count?: number;
  seed?: number;
}

/** What a write did. */
export interface SeparationTestsetReport {
  dir: string;
  mixtures: number;
  /** Mixtures rendered and written by this call (0 when the set was already complete). */
  written: number;
  /** Distinct mixtures (utterance pairs of different speakers) the test split allows. */
  distinctPairs: number;
  speakers: { name: string; utterances: number }[];
  seconds: number;
}

/** The plans of the set: ids 0 … count − 1, each a new utterance pair (see the module comment). */
export function separationTestsetPlans(corpus: Corpus, count: number, seed: number): TwoTalkerPlan[] {
  const { pairs } = twoTalkerPairCount(corpus, 'test');
  if (!Number.isSafeInteger(count) || count < 1) throw new UserError(`--count must be a positive integer, got ${count}`);
  if (count > pairs) throw new UserError(`${corpus.dir}: the test split allows ${pairs} distinct two-talker mixtures, fewer than --count ${count}`);
  const seen = new Set<string>();
  const plans: TwoTalkerPlan[] = [];
  for (let index = 0; index < count; index++) {
    for (let attempt = 0; ; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new UserError(`two-talker test set: no new utterance pair for id ${index} after ${MAX_ATTEMPTS} draws; lower --count`);
      const p = twoTalkerPlan(corpus, { split: 'test', index, seed, attempt });
      const key = [p.clip1.id, p.clip2.id].sort((a, b) => a - b).join(':');
      if (seen.has(key)) continue;
      seen.add(key);
      plans.push(p);
      break;
    }
  }
  return plans;
}

function listRow(plan: TwoTalkerPlan, digits: number): SeparationListRow {
  const id = String(plan.index).padStart(digits, '0');
  return {
    id,
    mix: `mix/${id}.wav`,
    s1: `s1/${id}.wav`,
    s2: `s2/${id}.wav`,
    s1Speaker: plan.clip1.group,
    s2Speaker: plan.clip2.group,
    s1Utterance: plan.clip1.path,
    s2Utterance: plan.clip2.path,
    levelDb: plan.levelDb,
    samples: plan.samples,
    seconds: plan.samples / SEPARATION_SAMPLE_RATE_HZ,
  };
}

function listText(rows: readonly SeparationListRow[]): string {
  const lines = rows.map((r) =>
    [r.id, r.mix, r.s1, r.s2, r.s1Speaker, r.s2Speaker, r.s1Utterance, r.s2Utterance, String(r.levelDb), String(r.samples), String(r.seconds)]
      .map(csvField)
      .join(','),
  );
  return [SEPARATION_LIST_COLUMNS.join(','), ...lines].join('\n') + '\n';
}

/** Writes (or completes, or confirms) the two-talker test set in `outDir`; see the module comment. */
export function separationTestsetWrite(corpus: Corpus, outDir: string, opts: SeparationTestsetOptions = {}, progress?: ProgressSink): SeparationTestsetReport {
  const count = opts.count ?? SEPARATION_TESTSET_COUNT_DEFAULT;
  const seed = opts.seed ?? 0;
  const plans = separationTestsetPlans(corpus, count, seed);
  const digits = Math.max(4, String(count - 1).length);
  const rows = plans.map((p) => listRow(p, digits));
  const { pairs, speakers } = twoTalkerPairCount(corpus, 'test');
  const params = JSON.stringify(
    {
      version: SEPARATION_TESTSET_VERSION,
      seed,
      count,
      sampleRateHz: SEPARATION_SAMPLE_RATE_HZ,
      levelRangeDb: TWO_TALKER_LEVEL_RANGE_DB,
      minClipSeconds: TWO_TALKER_MIN_CLIP_SECONDS,
      peak: TWO_TALKER_PEAK,
      manifestSha256: sha256Hex(readFileSync(join(corpus.dir, 'manifest.csv'))),
    },
    null,
    2,
  ) + '\n';
  const paramsPath = join(outDir, 'params.json');
  const listPath = join(outDir, 'list.csv');
  const text = listText(rows);
  const same = existsSync(paramsPath) && readFileSync(paramsPath, 'utf8') === params;
  const report = { dir: outDir, mixtures: rows.length, distinctPairs: pairs, speakers, seconds: rows.reduce((s, r) => s + r.seconds, 0) };
  const complete = (r: SeparationListRow) => [r.mix, r.s1, r.s2].every((p) => existsSync(join(outDir, p)));
  if (same && existsSync(listPath) && readFileSync(listPath, 'utf8') === text && rows.every(complete)) return { ...report, written: 0 };
  if (!same) {
    for (const sub of ['mix', 's1', 's2']) rmSync(join(outDir, sub), { recursive: true, force: true });
    rmSync(listPath, { force: true });
    fileWriteAtomic(paramsPath, params);
  }
  const bar = progress?.bar('separation test set', rows.length);
  let written = 0;
  const wav = (x: Float32Array) => encodeWav({ sampleRate: SEPARATION_SAMPLE_RATE_HZ, channels: [x] }, 'pcm16');
  plans.forEach((plan, k) => {
    const r = rows[k];
    if (!complete(r)) {
      const m = twoTalkerRender(corpus, plan);
      fileWriteAtomic(join(outDir, r.mix), wav(m.mix));
      fileWriteAtomic(join(outDir, r.s1), wav(m.s1));
      fileWriteAtomic(join(outDir, r.s2), wav(m.s2));
      written++;
    }
    bar?.increment();
  });
  bar?.stop();
  fileWriteAtomic(listPath, text);
  return { ...report, written };
}

/** Reads DIR/list.csv (as written by `separationTestsetWrite`). */
export function separationListRead(dir: string): SeparationListRow[] {
  const path = join(dir, 'list.csv');
  if (!existsSync(path)) throw new UserError(`${dir}: no two-talker test set here (no list.csv); run \`hushpack corpus separation\``);
  const records = csvParse(readFileSync(path, 'utf8'), path).filter((r) => !(r.length === 1 && r[0] === ''));
  if (records.length === 0 || records[0].join(',') !== SEPARATION_LIST_COLUMNS.join(',')) {
    throw new UserError(`${path}: header is not ${SEPARATION_LIST_COLUMNS.join(',')}`);
  }
  return records.slice(1).map((f, k) => {
    if (f.length !== SEPARATION_LIST_COLUMNS.length) throw new UserError(`${path} line ${k + 2}: ${f.length} fields, expected ${SEPARATION_LIST_COLUMNS.length}`);
    return {
      id: f[0], mix: f[1], s1: f[2], s2: f[3], s1Speaker: f[4], s2Speaker: f[5], s1Utterance: f[6], s2Utterance: f[7],
      levelDb: Number(f[8]), samples: Number(f[9]), seconds: Number(f[10]),
    };
  });
}
