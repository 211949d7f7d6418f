/**
 * One model, or one peer, on the fixed test set (src/data/testset.ts: DIR/testset, babble and
 * cafeteria at −5/0/5 dB), the numbers of Tan & Wang's Table I:
 *
 *   for each pair (in manifest order, the first `limit` of each condition):
 *     mixture file × unit_rms_scale  (the unit-RMS level the model was trained at)
 *       → backend (libtorch for .safetensors, WASM for .hush) → ÷ unit_rms_scale
 *     or, for a peer (src/peers/backend.ts): mixture file as written → peer (delay compensated)
 *     metrics(clean file, enhanced)  on the metric workers, while the next pair is enhanced
 *     metrics(clean file, mixture file)  from the mixture-score cache, or computed (and cached)
 *
 * A peer's fixed delay is calibrated first on the clean references of the first
 * PEER_CALIBRATION_FILES distinct utterances of the test set (src/peers/peer.ts).
 * Both signals of a pair share the file's gain, so every metric sees the level the test set was
 * written at; STOI, SI-SNR, SDR and PESQ (which aligns levels itself) do not depend on it anyway.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SAMPLE_RATE_HZ } from '../dsp/constants.js';
import { UserError } from '../errors.js';
import { readMono } from '../data/wav.js';
import { testsetConditionName, testsetRead, type TestsetRow } from '../data/testset.js';
import type { ProgressSink } from '../data/builder/progress.js';
import { METRIC_KEYS, METRICS_VERSION, type MetricResult } from '../metrics/evaluate.js';
import { MetricPool } from '../metrics/pool.js';
import { corpusHash, hushpackVersion } from '../train/checkpoint.js';
import { enhanceBackendOpen, type BackendLevel, type ScoredBackend } from './backend.js';
import { peerBackendOpen, type PeerBackend } from '../peers/backend.js';
import type { PeerName } from '../peers/catalog.js';
import { MIXTURE_SCORES_FILE, mixtureCacheRead, mixtureCacheWrite, testsetManifestHash } from './mixtureScores.js';
import { SCORE_FORMAT, scoreGroup, type ScoreCondition, type ScoreFile } from './scoreFile.js';

/** Options of testsetScore. */
export interface TestsetScoreOptions {
  /** M.safetensors or M.hush; or, instead, a peer (src/peers/catalog.ts). */
  model?: string;
  peer?: PeerName;
  /** Corpus folder holding testset/ (hushpack corpus testset). */
  corpusDir: string;
  /** First N pairs of each condition (default: all). */
  limit?: number;
  /** Metric worker threads (default: available cores; 1: everything in this thread). */
  threads?: number;
  /** The mixture-score cache (default: DIR/testset/mixture-scores.json). */
  mixtureCache?: string;
  /** Progress bar and log lines. */
  progress?: ProgressSink;
  /** Notes about inputs (resampling, cache state). */
  onNote?: (message: string) => void;
  /** Recorded in the score file. */
  command?: string;
  /** The level path (./backend.ts): 'global' (default) or 'track'. */
  level?: BackendLevel;
}

/** Distinct clean references a peer's delay is calibrated on. */
export const PEER_CALIBRATION_FILES = 2;

/** Jobs kept waiting for the metric workers per thread before enhancement pauses (bounds memory). */
const QUEUE_PER_THREAD = 4;

/** The first `limit` rows of each condition, conditions in manifest order. */
export function testsetRowsLimited(rows: readonly TestsetRow[], limit: number | undefined): TestsetRow[] {
  const seen = new Map<string, number>();
  return rows.filter((r) => {
    const k = testsetConditionName(r.noise, r.snrDb);
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    return limit === undefined || n < limit;
  });
}

function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Runs the evaluation of the file comment and returns the score file's content. */
export async function testsetScore(opts: TestsetScoreOptions): Promise<ScoreFile> {
  const started = new Date();
  const t0 = performance.now();
  if (opts.limit !== undefined && !(Number.isInteger(opts.limit) && opts.limit >= 1)) {
    throw new UserError(`--limit must be a positive integer, got ${opts.limit}`);
  }
  const note = opts.onNote ?? (() => undefined);
  const hash = corpusHash(opts.corpusDir);
  const testsetDir = join(opts.corpusDir, 'testset');
  const allRows = testsetRead(testsetDir);
  if (allRows.length === 0) throw new UserError(`${testsetDir}/manifest.csv: no pairs`);
  const manifestSha256 = testsetManifestHash(testsetDir);
  const rows = testsetRowsLimited(allRows, opts.limit);

  const cache = mixtureCacheRead(opts.mixtureCache ?? join(testsetDir, MIXTURE_SCORES_FILE), manifestSha256);
  if (cache.stale) note(`${cache.path}: ${cache.stale}; recomputing the mixture scores`);

  if ((opts.model === undefined) === (opts.peer === undefined)) throw new UserError('testsetScore: give a model or a peer (one of them)');
  let peerBackend: PeerBackend | null = null;
  if (opts.peer !== undefined) {
    const cleans = [...new Set(rows.map((r) => r.clean))].slice(0, PEER_CALIBRATION_FILES);
    peerBackend = await peerBackendOpen(opts.peer, cleans.map((c) => readMono(join(testsetDir, c)).samples), note);
  }
  const backend: ScoredBackend = peerBackend ?? (await enhanceBackendOpen(opts.model!, { level: opts.level }));
  let pool: MetricPool;
  try {
    pool = new MetricPool({ threads: opts.threads, onNote: opts.onNote });
  } catch (err) {
    backend.close();
    throw err;
  }
  const bar = opts.progress?.bar('evalset', rows.length);
  let failure: Error | null = null;
  const watch = (p: Promise<MetricResult>, row: TestsetRow, what: string): Promise<MetricResult> => {
    const named = p.catch((err: Error) => {
      const e = `${row.mix} (${what}): ${err.message}`;
      throw err instanceof UserError ? new UserError(e) : new Error(e);
    });
    named.catch((err: Error) => (failure ??= err));
    return named;
  };
  const mixture: Promise<MetricResult>[] = [];
  const enhanced: Promise<MetricResult>[] = [];
  const submitted: Promise<unknown>[] = [];
  let oldest = 0;
  let computed = 0;
  let enhanceSeconds = 0;
  let audioSeconds = 0;
  let mixtureResults: MetricResult[];
  let enhancedResults: MetricResult[];
  try {
    for (let i = 0; i < rows.length && failure === null; i++) {
      const r = rows[i];
      const mixPath = join(testsetDir, r.mix);
      const cleanPath = join(testsetDir, r.clean);
      const cached = cache.scores.get(r.mix);
      if (cached) mixture.push(Promise.resolve(cached));
      else {
        computed++;
        const m = watch(pool.evaluate({ ref: cleanPath, deg: mixPath }), r, 'mixture');
        mixture.push(m);
        submitted.push(m);
      }

      const mix = readMono(mixPath);
      if (mix.sampleRate !== SAMPLE_RATE_HZ) throw new UserError(`${mixPath}: ${mix.sampleRate} Hz, the test set is at ${SAMPLE_RATE_HZ} Hz`);
      const gain = backend.inputLevel === 'unit-rms' ? r.unitRmsScale : 1;
      const x = mix.samples.map((v) => v * gain);
      const te = performance.now();
      const y = await backend.process(x);
      enhanceSeconds += (performance.now() - te) / 1000;
      audioSeconds += x.length / SAMPLE_RATE_HZ;
      for (let k = 0; k < y.length; k++) y[k] /= gain;
      const e = watch(pool.evaluate({ ref: cleanPath, deg: y, sampleRate: SAMPLE_RATE_HZ, refName: cleanPath, degName: `${mixPath} enhanced` }), r, 'enhanced');
      e.then(() => bar?.increment(), () => undefined);
      enhanced.push(e);
      submitted.push(e);
      // Let the workers catch up (and, with one thread, run the metrics) before enhancing more:
      // the pool is first in, first out, so waiting for the oldest job frees a place.
      while (pool.pending > QUEUE_PER_THREAD * pool.threads && failure === null) await submitted[oldest++].catch(() => undefined);
    }
    mixtureResults = await Promise.all(mixture);
    enhancedResults = await Promise.all(enhanced);
  } finally {
    bar?.stop();
    backend.close();
    await pool.close();
  }

  let cacheNote: string | null = null;
  if (computed > 0) {
    rows.forEach((r, i) => cache.scores.set(r.mix, mixtureResults[i]));
    cacheNote = mixtureCacheWrite(cache);
    if (cacheNote) note(cacheNote);
  }

  const conditions: ScoreCondition[] = [];
  const byCondition = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const k = testsetConditionName(r.noise, r.snrDb);
    if (!byCondition.has(k)) byCondition.set(k, []);
    byCondition.get(k)!.push(i);
  });
  for (const idx of byCondition.values()) {
    const r = rows[idx[0]];
    conditions.push({ noise: r.noise, snrDb: r.snrDb, ...scoreGroup(idx.map((i) => mixtureResults[i]), idx.map((i) => enhancedResults[i])) });
  }

  const modelPath = resolve(peerBackend ? peerBackend.peer.files.wasm : opts.model!);
  return {
    format: SCORE_FORMAT,
    version: 1,
    command: opts.command ?? '',
    hushpackVersion: hushpackVersion(),
    split: 'test',
    model: {
      path: modelPath, sha256: fileSha256(modelPath), bytes: peerBackend ? peerBackend.peer.bytes : statSync(modelPath).size, arch: backend.arch, preset: backend.preset,
      backend: backend.kind, description: backend.model, level: opts.level ?? 'global',
    },
    corpus: { path: resolve(opts.corpusDir), corpusHash: hash },
    testset: { path: resolve(testsetDir), manifestSha256, pairsInManifest: allRows.length, limitPerCondition: opts.limit ?? null },
    metricsVersion: METRICS_VERSION,
    metrics: METRIC_KEYS,
    conditions,
    overall: scoreGroup(mixtureResults, enhancedResults),
    enhancement: { seconds: enhanceSeconds, audioSeconds, rtf: audioSeconds > 0 ? enhanceSeconds / audioSeconds : 0 },
    mixtureCache: { path: resolve(cache.path), reused: rows.length - computed, computed, note: cacheNote ?? cache.stale },
    ...(peerBackend ? { peer: peerBackend.scorePeer() } : {}),
    started: started.toISOString(),
    seconds: (performance.now() - t0) / 1000,
  };
}
