/**
 * The trainer's data: minibatch k of a run is a pure function of (corpus, seed, k) — mixtures
 * k·B … k·B + B − 1 of the train split (src/data/mixer.ts `mixtureAt`, itself a pure function of
 * (seed, split, index)) turned into features (./features.ts). The stream has no epoch boundary
 * and no hidden generator state, so "where the data stream is" is just the global step number: a
 * resumed run asks for batch k and gets exactly what the interrupted run would have seen.
 *
 * A BatchSource hands out batches in step order. The worker source prepares batch k + 1 on a
 * worker thread while libtorch computes step k (mixing + STFT of a 16 × 4 s GCRN batch take
 * ≈ 0.3–0.6 s of JavaScript on this machine); the inline source computes on demand. Both give
 * identical bytes.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserError } from '../errors.js';
import { corpusSplit, openCorpus, type Corpus } from '../data/corpus.js';
import { mixtureAt } from '../data/mixer.js';
import type { MixAugment } from '../data/augment/settings.js';
import type { SplitName } from '../data/manifest.js';
import type { ArchName } from '../models/config.js';
import { featuresBatch, type FeatureBatch, type TrainPair } from './features.js';
import type { TrainLoss } from './loss.js';
import { pairAtLevel, type TrainLevel } from './level.js';

/** What the batches of a run are made of. Plain data (posted to the worker as is). */
export interface BatchSpec {
  arch: ArchName;
  corpusDir: string;
  split: SplitName;
  seed: number;
  /** Mixtures per batch. */
  batch: number;
  segmentSeconds: number;
  snrRangeDb: [number, number];
  /** Probability of a talker-babble noise (src/data/mixer.ts MixtureRequest.talkerNoise); 0 when absent. */
  talkerNoise?: number;
  /** Mixer augmentations (src/data/augment/settings.ts MixAugment); all off when absent. */
  augment?: Partial<MixAugment>;
  /** The run's loss, which decides the target layout (./features.ts); the paper's 'mse' when absent. */
  loss?: TrainLoss;
  /** The level path (./level.ts); 'global' when absent. */
  level?: TrainLevel;
}

/** The mixtures of batch `step` (indices step·B … step·B + B − 1 of `spec.split`). */
export function batchPairs(corpus: Corpus, spec: BatchSpec, step: number): TrainPair[] {
  const pairs: TrainPair[] = [];
  for (let i = 0; i < spec.batch; i++) {
    const m = mixtureAt(corpus, {
      split: spec.split,
      index: step * spec.batch + i,
      seed: spec.seed,
      seconds: spec.segmentSeconds,
      snrRangeDb: spec.snrRangeDb,
      talkerNoise: spec.talkerNoise,
      augment: spec.augment,
    });
    pairs.push(pairAtLevel({ mixture: m.mixture, clean: m.clean }, spec.level ?? 'global').pair);
  }
  return pairs;
}

/** Features of batch `step`. */
export function batchAt(corpus: Corpus, spec: BatchSpec, step: number): FeatureBatch {
  return featuresBatch(spec.arch, batchPairs(corpus, spec, step), spec.loss);
}

/** Hands out training batches by step number (ask in increasing order for prefetching to help). */
export interface BatchSource {
  /** Batch `step`; may start preparing `step + 1`. */
  get(step: number): Promise<FeatureBatch>;
  /** 'worker' or 'inline'. */
  readonly kind: 'worker' | 'inline';
  /** Stops the worker, if any. */
  close(): Promise<void>;
}

/** Computes batches in the calling thread. */
export function inlineBatchSource(spec: BatchSpec, corpus: Corpus = openCorpus(spec.corpusDir)): BatchSource {
  corpusSplit(corpus, spec.split);
  return {
    kind: 'inline',
    get: (step) => Promise.resolve(batchAt(corpus, spec, step)),
    close: () => Promise.resolve(),
  };
}

/** Message to the batch worker. */
export interface BatchWorkerRequest {
  step: number;
}
/** Reply of the batch worker. */
export type BatchWorkerReply = { step: number; batch: FeatureBatch } | { step: number; error: string; userError: boolean };

/**
 * Path of the compiled worker script (dist/src/train/batchWorker.js next to this module when
 * running compiled), or null when running from TypeScript sources (tests), where the inline
 * source is used instead.
 */
export function batchWorkerPath(): string | null {
  if (!import.meta.url.endsWith('.js')) return null;
  const path = fileURLToPath(new URL('./batchWorker.js', import.meta.url));
  return existsSync(path) ? path : null;
}

/**
 * Prepares batches on a worker thread, one step ahead. Falls back to the inline source when the
 * worker script is not available (running from TypeScript sources).
 */
export function workerBatchSource(spec: BatchSpec): BatchSource {
  const path = batchWorkerPath();
  if (path === null) return inlineBatchSource(spec);
  const worker = new Worker(path, { workerData: spec });
  worker.unref();
  const pending = new Map<number, { resolve: (b: FeatureBatch) => void; reject: (e: Error) => void; promise: Promise<FeatureBatch> }>();
  let failed: Error | null = null;
  const failAll = (err: Error) => {
    failed = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', (msg: BatchWorkerReply) => {
    const p = pending.get(msg.step);
    if (p === undefined) return;
    if ('batch' in msg) p.resolve(msg.batch);
    else p.reject(msg.userError ? new UserError(msg.error) : new Error(`batch ${msg.step}: ${msg.error}`));
  });
  worker.on('error', (err) => failAll(err));
  worker.on('exit', (code) => {
    if (code !== 0) failAll(new Error(`batch worker exited with code ${code}`));
  });
  const request = (step: number): Promise<FeatureBatch> => {
    const have = pending.get(step);
    if (have) return have.promise;
    if (failed) return Promise.reject(failed);
    let resolve!: (b: FeatureBatch) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<FeatureBatch>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => undefined); // rejections are seen by whoever awaits get()
    pending.set(step, { resolve, reject, promise });
    worker.postMessage({ step } satisfies BatchWorkerRequest);
    return promise;
  };
  return {
    kind: 'worker',
    get: async (step) => {
      const p = request(step);
      // Drop stale prefetches (a caller that skipped ahead), then queue the next one.
      for (const k of pending.keys()) if (k < step) pending.delete(k);
      request(step + 1);
      try {
        return await p;
      } finally {
        pending.delete(step);
      }
    },
    close: async () => {
      pending.clear();
      await worker.terminate();
    },
  };
}
