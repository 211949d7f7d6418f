/**
 * The score file of `hushpack evalset --model M --corpus DIR --split test` (`M.score.json` by
 * convention; `hushpack report` picks up `*.score.json`): one model on the fixed test set of Tan &
 * Wang's Table I (babble and cafeteria at −5/0/5 dB), per condition and overall, for the
 * unprocessed mixture and the enhanced signal and their difference.
 *
 * Metric values are JSON numbers, null (no value, e.g. pesq_wb of nothing), or "inf"/"-inf"
 * (src/metrics/evaluate.ts metricJson). Means are arithmetic means over the pairs of a group.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { METRIC_KEYS, metricJson, type MetricResult } from '../metrics/evaluate.js';
import { metricMeans } from '../metrics/batch.js';
import { metricFromJson } from './mixtureScores.js';

/** `format` of score files. */
export const SCORE_FORMAT = 'hushpack-score';
/** Name suffix of score files. */
export const SCORE_SUFFIX = '.score.json';

/** Means of every metric (keys of METRIC_KEYS), JSON-ready. */
export type MetricsJson = Record<string, number | string | null>;

/** Mixture and enhanced means of one group of pairs, and enhanced − mixture. */
export interface ScoreGroup {
  count: number;
  mixture: MetricsJson;
  enhanced: MetricsJson;
  delta: MetricsJson;
}

/** One test condition. */
export interface ScoreCondition extends ScoreGroup {
  noise: string;
  snrDb: number;
}

/**
 * What a peer's score file adds (`hushpack evalset --peer`, src/peers/): how it was run, its
 * measured delay, the check of the compensation on every file, its size and its cost.
 */
export interface ScorePeer {
  name: string;
  label: string;
  package: string;
  packageVersion: string;
  licence: string;
  reference: string;
  /** Rate the peer ran at (Hz), and its frame (samples at that rate). */
  sampleRateHz: number;
  frameSamples: number;
  /** The fixed delay found by cross-correlation and removed (samples at sampleRateHz, ms), and how. */
  delay: { samples: number; ms: number; method: string; signals: { lag: number; peak: number }[] };
  /** After compensation, the cross-correlation peak lag (16 kHz samples) of output vs mixture, per file: lag → files. */
  lagAfterCompensation: Record<string, number>;
  /** Shipped bytes: wasm + worklet script (and their file names). */
  bytes: { wasm: number; script: number; total: number; wasmFile: string; scriptFile: string };
  /**
   * Compute per 10 ms of audio on one core (µs): process() calls summed over blocks of
   * `blockQuanta` 128-sample quanta (a whole number of the peer's frames, `blockMs` long) and scaled
   * to 10 ms; the first `warmupMs` of each fresh instance excluded (wasm compiled lazily, tiered up).
   */
  cost: { usP50: number; usP99: number; usMean: number; blocks: number; blockQuanta: number; blockMs: number; warmupMs: number; loadAverage: number[] };
  /** The level the peer was fed: the test-set files as written (no unit-RMS scaling). */
  input: string;
}

/** The whole file. */
export interface ScoreFile {
  format: typeof SCORE_FORMAT;
  version: 1;
  command: string;
  hushpackVersion: string;
  split: 'test';
  model: {
    path: string;
    sha256: string;
    bytes: number;
    arch: string;
    preset: string;
    /** 'libtorch' (.safetensors), 'wasm' (.hush) or 'peer' (evalset --peer: path and sha256 of its wasm; bytes: wasm + script). */
    backend: string;
    /** The backend's own description (e.g. "gcrn (wasm simd, plan auto)"). */
    description: string;
    /** How the input level reached the net (src/evaluate/backend.ts): 'global' or 'track'; absent in older files (= 'global'). */
    level?: string;
  };
  corpus: { path: string; corpusHash: string };
  testset: {
    path: string;
    manifestSha256: string;
    /** Pairs in the manifest, and the --limit applied per condition (null: all). */
    pairsInManifest: number;
    limitPerCondition: number | null;
  };
  metricsVersion: number;
  metrics: readonly string[];
  /** In manifest order (babble −5, 0, 5, cafeteria −5, 0, 5). */
  conditions: ScoreCondition[];
  /** Means over every scored pair. */
  overall: ScoreGroup;
  /** Wall time of the backend alone over all mixtures, the audio it processed and their ratio. */
  enhancement: { seconds: number; audioSeconds: number; rtf: number };
  /** The mixture-score cache: pairs taken from it and pairs computed in this run. */
  mixtureCache: { path: string; reused: number; computed: number; note: string | null };
  /** Present for a peer (hushpack evalset --peer); the model block then describes its wasm. */
  peer?: ScorePeer;
  started: string;
  seconds: number;
}

/** Means of mixture and enhanced results of one group, and their difference. */
export function scoreGroup(mixture: readonly MetricResult[], enhanced: readonly MetricResult[]): ScoreGroup {
  const m = metricMeans(mixture);
  const e = metricMeans(enhanced);
  const out: ScoreGroup = { count: mixture.length, mixture: {}, enhanced: {}, delta: {} };
  for (const k of METRIC_KEYS) {
    const a = m[k] ?? null;
    const b = e[k] ?? null;
    out.mixture[k] = metricJson(a);
    out.enhanced[k] = metricJson(b);
    const d = a === null || b === null ? null : b - a;
    out.delta[k] = d === null || Number.isNaN(d) ? null : metricJson(d);
  }
  return out;
}

/** A metric of a group as a number (null when absent). */
export function scoreValue(g: MetricsJson, key: string): number | null {
  const v = metricFromJson(g[key]);
  return v === null || Number.isNaN(v) ? null : v;
}

/** Checks parsed JSON is a version-1 score file; returns the reason it is not, or null. */
export function scoreFileProblem(j: unknown): string | null {
  const s = j as Partial<ScoreFile> | null;
  if (!s || typeof s !== 'object' || s.format !== SCORE_FORMAT) return `format is not '${SCORE_FORMAT}'`;
  if (s.version !== 1) return `score file version ${String(s.version)} is not 1`;
  if (!Array.isArray(s.conditions) || !s.overall || !s.model || !s.testset) return 'score file without conditions, overall, model or testset';
  return null;
}

/** Reads and checks a score file (UserError when it is not one). */
export function scoreFileRead(path: string): ScoreFile {
  let j: unknown;
  try {
    j = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UserError(`${path}: not a score file (${(err as Error).message})`);
  }
  const problem = scoreFileProblem(j);
  if (problem) throw new UserError(`${path}: not a usable score file (${problem})`);
  return j as ScoreFile;
}
