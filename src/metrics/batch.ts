/**
 * Evaluation of many (reference, degraded) file pairs in parallel on worker threads: one worker
 * per thread, each evaluating one pair at a time (the metrics are single-threaded and CPU-bound).
 * Results come back in input order. With `threads: 1` the pairs are evaluated in this thread.
 *
 * The worker is the compiled dist/src/metrics/batchWorker.js (worker threads need JavaScript);
 * it is located next to this module when running from dist/, or in dist/ of the package when
 * running from the TypeScript sources (tests).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserError } from '../errors.js';
import { evaluateFiles, type MetricResult } from './evaluate.js';

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

/** Message from main thread to worker. */
export interface BatchRequest {
  index: number;
  ref: string;
  deg: string;
  trim: boolean;
}

/** Message from worker to main thread. */
export type BatchReply =
  | { index: number; result: MetricResult; notes: string[] }
  | { index: number; error: string; userError: boolean; notes: string[] };

/** Path of the compiled worker script; throws an Error naming the build step if it is missing. */
export function batchWorkerPath(): string {
  const here = import.meta.url;
  const url = here.endsWith('.js')
    ? new URL('./batchWorker.js', here)
    : new URL('../../dist/src/metrics/batchWorker.js', here);
  const path = fileURLToPath(url);
  if (!existsSync(path)) {
    throw new Error(`evaluatePairs: worker script ${path} is missing; build it with \`npm run build:ts\` (or use threads: 1)`);
  }
  return path;
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
  const threads = Math.max(1, Math.min(opts.threads ?? availableParallelism(), Math.max(1, total)));
  const results: MetricResult[] = new Array(total);
  const note = (pair: EvalPair, m: string) => opts.onNote?.(`${pair.deg}: ${m}`);
  if (total === 0) return results;

  if (threads === 1) {
    for (let i = 0; i < total; i++) {
      const pair = pairs[i];
      try {
        results[i] = evaluateFiles(pair.ref, pair.deg, { trim: opts.trim, onNote: (m) => note(pair, m) });
      } catch (err) {
        throw pairError(pair, (err as Error).message, err instanceof UserError);
      }
      opts.onProgress?.(i + 1, total);
    }
    return results;
  }

  const workerPath = batchWorkerPath();
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (err: Error) => {
        if (!failed) {
          failed = true;
          reject(err);
        }
      };
      const feed = (w: Worker) => {
        if (failed || next >= total) return;
        const index = next++;
        const req: BatchRequest = { index, ref: pairs[index].ref, deg: pairs[index].deg, trim: !!opts.trim };
        w.postMessage(req);
      };
      for (let t = 0; t < threads; t++) {
        const w = new Worker(workerPath);
        workers.push(w);
        w.on('message', (msg: BatchReply) => {
          const pair = pairs[msg.index];
          for (const m of msg.notes) note(pair, m);
          if ('error' in msg) {
            fail(pairError(pair, msg.error, msg.userError));
            return;
          }
          results[msg.index] = msg.result;
          done++;
          opts.onProgress?.(done, total);
          if (done === total) resolve();
          else feed(w);
        });
        w.on('error', (err) => fail(err));
        w.on('exit', (code) => {
          if (code !== 0 && done < total) fail(new Error(`evaluatePairs: a worker exited with code ${code}`));
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
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
