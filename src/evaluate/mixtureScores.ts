/**
 * The cache of the unprocessed mixtures' scores of a test set. They do not depend on the model, so
 * `hushpack evalset` computes each once and keeps them next to the test set:
 *   DIR/testset/mixture-scores.json
 *   { format: 'hushpack-mixture-scores', version: 1,
 *     manifestSha256,            SHA-256 of testset/manifest.csv the scores belong to
 *     metricsVersion,            METRICS_VERSION of the code that computed them
 *     metrics: [...],            METRIC_KEYS of that code
 *     scores: { "<mix path as in the manifest>": {pesq_nb, …} } }   (±Infinity as "inf"/"-inf")
 * A file whose hash, metrics version or metric list differs from the current ones is stale: it is
 * ignored and rewritten. Entries accumulate (a --limit run caches the pairs it scored).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileWriteAtomic } from '../data/builder/stamps.js';
import { UserError } from '../errors.js';
import { METRIC_KEYS, METRICS_VERSION, metricResultJson, type MetricResult } from '../metrics/evaluate.js';

/** `format` of the cache file. */
export const MIXTURE_SCORES_FORMAT = 'hushpack-mixture-scores';
/** File name of the cache inside the test set folder. */
export const MIXTURE_SCORES_FILE = 'mixture-scores.json';

/** What was found in a cache file. */
export interface MixtureCache {
  path: string;
  manifestSha256: string;
  /** Scores by the manifest's `mix` path. */
  scores: Map<string, MetricResult>;
  /** Why an existing file was not used (null: it was used, or there was none). */
  stale: string | null;
}

/** SHA-256 (hex) of `testsetDir`/manifest.csv. */
export function testsetManifestHash(testsetDir: string): string {
  const path = join(testsetDir, 'manifest.csv');
  if (!existsSync(path)) throw new UserError(`${testsetDir}: no test set here (no manifest.csv); run \`hushpack corpus testset\``);
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A JSON metric value back to a number (the inverse of metricJson). */
export function metricFromJson(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return typeof v === 'number' ? v : NaN;
}

/** Reads the cache at `path` if it belongs to `manifestSha256` and the current metrics; else an empty one. */
export function mixtureCacheRead(path: string, manifestSha256: string): MixtureCache {
  const cache: MixtureCache = { path, manifestSha256, scores: new Map(), stale: null };
  if (!existsSync(path)) return cache;
  let j: { format?: unknown; version?: unknown; manifestSha256?: unknown; metricsVersion?: unknown; metrics?: unknown; scores?: unknown };
  try {
    j = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    cache.stale = `unreadable (${(err as Error).message})`;
    return cache;
  }
  if (j.format !== MIXTURE_SCORES_FORMAT || j.version !== 1) cache.stale = 'not a version-1 mixture-score file';
  else if (j.manifestSha256 !== manifestSha256) cache.stale = 'the test set manifest changed';
  else if (j.metricsVersion !== METRICS_VERSION || JSON.stringify(j.metrics) !== JSON.stringify(METRIC_KEYS)) cache.stale = 'the metrics changed';
  if (cache.stale) return cache;
  for (const [mix, r] of Object.entries((j.scores ?? {}) as Record<string, Record<string, unknown>>)) {
    const m = {} as Record<string, number | null>;
    let ok = true;
    for (const k of METRIC_KEYS) {
      const v = metricFromJson(r?.[k]);
      if (v !== null && Number.isNaN(v)) ok = false;
      if (v === null && k !== 'pesq_wb') ok = false;
      m[k] = v;
    }
    if (ok) cache.scores.set(mix, m as unknown as MetricResult);
  }
  return cache;
}

/**
 * Writes the cache atomically. Returns null, or the reason it could not be written (a read-only
 * test set is not an error: the scores are just not kept).
 */
export function mixtureCacheWrite(cache: MixtureCache): string | null {
  const scores: Record<string, Record<string, number | string | null>> = {};
  for (const mix of [...cache.scores.keys()].sort()) scores[mix] = metricResultJson(cache.scores.get(mix)!);
  const body = { format: MIXTURE_SCORES_FORMAT, version: 1, manifestSha256: cache.manifestSha256, metricsVersion: METRICS_VERSION, metrics: METRIC_KEYS, scores };
  try {
    fileWriteAtomic(cache.path, `${JSON.stringify(body, null, 1)}\n`);
    return null;
  } catch (err) {
    return `${cache.path}: not written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
}
