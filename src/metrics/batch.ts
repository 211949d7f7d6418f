/**
 * Evaluation of many (reference, degraded) file pairs in parallel on worker threads (MetricPool,
 * pool.ts): one worker per thread, each evaluating one pair at a time (the metrics are
 * single-threaded and CPU-bound). Results come back in input order. With `threads: 1` the pairs
 * are evaluated in this thread.
 */
import { availableParallelism } from 'node:os';
import { UserError } from '../errors.js';
import type { MetricResult } from './evaluate.js';
import { MetricPool } from './pool.js';

export { batchWorkerPath } from './pool.js';

/** One pair of WAV files. */
export interface EvalPair {
  ref: string;
  deg: string;
}

/** Options of evaluatePairs. */
export interface BatchOptions {
  /** Worker threads (default: available cores); 1 evaluates in the calling thread. */
  threads?: number;
  /** Trim each pair to its shorter length instead of refusing different lengths. */
  trim?: boolean;
  /** Called after each finished pair with the count done so far. */
  onProgress?: (done: number, total: number) => void;
  /** Receives notes about inputs (trimming, resampling), prefixed with the pair's degraded file. */
  onNote?: (message: string) => void;
}

/** Fails with the pair named, keeping UserError for bad input. */
function pairError(pair: EvalPair, message: string, userError: boolean): Error {
  const text = `pair ${pair.ref} / ${pair.deg}: ${message}`;
  return userError ? new UserError(text) : new Error(text);
}

/**
 * Evaluates every pair (all metrics of evaluateFiles). Rejects on the first pair that fails, with
 * the pair's file names in the message (UserError for bad input).
 */
export async function evaluatePairs(pairs: readonly EvalPair[], opts: BatchOptions = {}): Promise<MetricResult[]> {
  const total = pairs.length;
  const results: MetricResult[] = new Array(total);
  if (total === 0) return results;
  const pool = new MetricPool({ threads: Math.min(opts.threads ?? availableParallelism(), total), onNote: opts.onNote });
  let done = 0;
  try {
    await Promise.all(
      pairs.map((pair, i) =>
        pool.evaluate({ ref: pair.ref, deg: pair.deg, trim: !!opts.trim }).then(
          (r) => {
            results[i] = r;
            opts.onProgress?.(++done, total);
          },
          (err: Error) => {
            throw pairError(pair, err.message, err instanceof UserError);
          },
        ),
      ),
    );
  } finally {
    await pool.close();
  }
  return results;
}

/** Arithmetic mean of each metric over the results (null entries skipped; null if none). */
export function metricMeans(results: readonly MetricResult[]): Record<keyof MetricResult, number | null> {
  const keys = Object.keys(results[0] ?? {}) as (keyof MetricResult)[];
  const out = {} as Record<keyof MetricResult, number | null>;
  for (const k of keys) {
    let s = 0;
    let n = 0;
    for (const r of results) {
      const v = r[k];
      if (v === null) continue;
      s += v;
      n++;
    }
    out[k] = n ? s / n : null;
  }
  return out;
}
