/**
 * Runs a sensitivity analysis (Algorithms 1, 2 or 3 over many tensors) either in this thread or on
 * a pool of worker threads, each holding its own copy of the network and of the fixed validation
 * subset (sensitivityWorker.ts). The tensors are independent of each other (each analysis perturbs
 * one tensor of the otherwise unchanged network), so they run in parallel with no coordination;
 * jobs go out largest tensor first, one at a time to whichever worker is free.
 *
 * Each worker runs libtorch with `threadsPerWorker` intra-op threads (default 1). Whether workers
 * pay off depends on free cores: on this project's shared 2-core machine (load 7–10) they did not
 * (edge GCRN, 8 × 2 s subset, best of 3: 98 ms per evaluation inline with 1 or 2 threads, 162 ms
 * with 2 workers × 1 thread; docs/results/compress/README.md), so the pipelines default to
 * inline, 1 thread; `--workers N` is for machines with idle cores.
 *
 * Worker script: the compiled `sensitivityWorker.js` next to this module (dist/), or `workerPath`
 * (tests bundle the TypeScript source). When neither exists the analysis runs inline, with a note.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as torch from '../torch/torch.js';
import type { ArchConfig } from '../models/config.js';
import type { Net } from '../models/net.js';
import type { FeatureBatch } from '../train/features.js';
import { netStateDict } from '../train/checkpoint.js';
import { StagedLossEvaluator, type EvaluatorStats } from './evaluator.js';
import type { BlockLayout } from './blocks.js';
import type { GroupLayout } from './groups.js';
import type { Mask } from './masks.js';
import {
  sensitivityJobRun, type PruneSensitivity, type PruneSensitivityOptions, type QuantSensitivity,
  type QuantSensitivityOptions, type SensitivityJob,
} from './sensitivity.js';

/** A job as sent to a worker: the tensor is named (its values are the worker's copy of the net). */
export type SensitivityJobSpec =
  | { algorithm: 'unstructured' | 'structured' | 'blocks'; tensor: string; mask: Mask; groups?: GroupLayout; blocks?: BlockLayout; alpha: number; options?: PruneSensitivityOptions }
  | { algorithm: 'kmeans'; tensor: string; mask: Mask; alpha: number; options?: QuantSensitivityOptions };

/** Options of sensitivityAnalyze. */
export interface AnalysisOptions {
  /** Worker threads (default 1 = inline in this thread). */
  workers?: number;
  /** libtorch intra-op threads per worker (default 1). */
  threadsPerWorker?: number;
  /** libtorch intra-op threads of an inline analysis (default: the caller's setting; restored after). */
  inlineThreads?: number;
  /** Path of the worker script (default: compiled sensitivityWorker.js next to this module). */
  workerPath?: string;
  /** Reuse activations before the perturbed stage (default true). */
  cacheStages?: boolean;
  onProgress?(done: number, total: number, tensor: string): void;
  /** Notes for the log (e.g. falling back to inline). */
  onNote?(message: string): void;
}

/** How an analysis ran (AnalysisResult without the results; SensitivitySummary keeps it for the report). */
export interface AnalysisStats {
  /** L(V, Θ) of the unperturbed net on the subset. */
  baseLoss: number;
  mode: 'inline' | 'workers';
  workers: number;
  threadsPerWorker: number | null;
  /** Wall time of the whole analysis, and of the evaluators' setup (trace of the stage inputs). */
  seconds: number;
  setupSeconds: number;
  /** Oracle calls over all tensors, and the summed per-tensor time (> seconds when parallel). */
  evaluations: number;
  tensorSeconds: number;
  /** Stages actually run vs a full forward per evaluation (the activation reuse). */
  stagesRun: number;
  stagesFull: number;
}

/** What an analysis returns. */
export interface AnalysisResult<R> extends AnalysisStats {
  /** In job order. */
  results: R[];
}

/** Summary of one sensitivity analysis (a report's record of it). */
export interface SensitivitySummary extends AnalysisStats {
  algorithm: string;
  alpha: number;
}

/** The summary of analysis `a` run with threshold `alpha` by `algorithm`. */
export function sensitivitySummary(a: AnalysisStats, alpha: number, algorithm: string): SensitivitySummary {
  return {
    algorithm, alpha, baseLoss: a.baseLoss, mode: a.mode, workers: a.workers, threadsPerWorker: a.threadsPerWorker,
    seconds: a.seconds, setupSeconds: a.setupSeconds, evaluations: a.evaluations, tensorSeconds: a.tensorSeconds,
    stagesRun: a.stagesRun, stagesFull: a.stagesFull,
  };
}

/** Message to a worker. */
export type AnalysisWorkerRequest =
  | { type: 'init'; config: ArchConfig; tensors: [string, number[], Float32Array][]; batches: FeatureBatch[]; threads: number; cacheStages: boolean }
  | { type: 'job'; id: number; job: SensitivityJobSpec };
/** Message from a worker. */
export type AnalysisWorkerReply =
  | { type: 'ready'; baseLoss: number; setupSeconds: number }
  | { type: 'result'; id: number; result: PruneSensitivity | QuantSensitivity; stats: EvaluatorStats }
  | { type: 'error'; id: number | null; message: string };

/** Path of the compiled worker script, or null when not available. */
export function analysisWorkerPath(explicit?: string): string | null {
  if (explicit) return existsSync(explicit) ? explicit : null;
  const here = import.meta.url;
  const url = here.endsWith('.js') ? new URL('./sensitivityWorker.js', here) : new URL('../../dist/src/compress/sensitivityWorker.js', here);
  const path = fileURLToPath(url);
  return existsSync(path) ? path : null;
}

/** Builds the local job (tensor values from the evaluator's net). */
export function jobFromSpec(spec: SensitivityJobSpec, ev: StagedLossEvaluator): SensitivityJob {
  const t = ev.net.tensors.get(spec.tensor);
  if (t === undefined) throw new Error(`no tensor named ${spec.tensor}`);
  const tensor = {
    name: spec.tensor, values: t.toFloat32Array(), mask: spec.mask,
    groups: spec.algorithm === 'kmeans' ? undefined : spec.groups, blocks: spec.algorithm === 'kmeans' ? undefined : spec.blocks,
  };
  const options = { ...spec.options, baseLoss: ev.baseLoss };
  return spec.algorithm === 'kmeans'
    ? { algorithm: 'kmeans', tensor, alpha: spec.alpha, options }
    : { algorithm: spec.algorithm, tensor, alpha: spec.alpha, options };
}

/** Snapshot of a net's tensors for the workers. */
function tensorsOf(net: Net): [string, number[], Float32Array][] {
  return [...netStateDict(net)].map(([name, t]) => [name, t.shape, t.data]);
}

/**
 * Runs `jobs` on `net` with the validation `batches` (see the file comment). The net is not
 * modified (inline mode perturbs and restores its tensors).
 */
export async function sensitivityAnalyze<R extends PruneSensitivity | QuantSensitivity>(
  net: Net, batches: readonly FeatureBatch[], jobs: readonly SensitivityJobSpec[], opts: AnalysisOptions = {},
): Promise<AnalysisResult<R>> {
  const t0 = performance.now();
  const wanted = Math.max(1, Math.floor(opts.workers ?? 1));
  const workers = Math.min(wanted, Math.max(1, jobs.length));
  const path = workers > 1 ? analysisWorkerPath(opts.workerPath) : null;
  if (workers > 1 && path === null) opts.onNote?.('sensitivity worker script not found (build with `npm run build:ts`); running inline');
  const numel = (j: SensitivityJobSpec) => j.mask.length;
  if (workers <= 1 || path === null) {
    const callerThreads = torch.getNumThreads();
    if (opts.inlineThreads !== undefined) torch.setNumThreads(opts.inlineThreads);
    const ev = new StagedLossEvaluator(net, batches, { cacheStages: opts.cacheStages });
    const setupSeconds = (performance.now() - t0) / 1000;
    try {
      const results: R[] = [];
      let done = 0;
      for (const spec of jobs) {
        results.push((await sensitivityJobRun(jobFromSpec(spec, ev), (n, v) => ev.lossWith(n, v))) as R);
        done++;
        opts.onProgress?.(done, jobs.length, spec.tensor);
      }
      return {
        results, baseLoss: ev.baseLoss, mode: 'inline', workers: 1, threadsPerWorker: torch.getNumThreads(),
        seconds: (performance.now() - t0) / 1000, setupSeconds,
        evaluations: ev.stats.evaluations, tensorSeconds: results.reduce((s, r) => s + r.seconds, 0),
        stagesRun: ev.stats.stagesRun, stagesFull: ev.stats.stagesFull,
      };
    } finally {
      ev.dispose();
      torch.setNumThreads(callerThreads);
    }
  }

  const threads = opts.threadsPerWorker ?? 1;
  const init: AnalysisWorkerRequest = {
    type: 'init', config: net.config, tensors: tensorsOf(net), batches: [...batches], threads, cacheStages: opts.cacheStages ?? true,
  };
  const order = jobs.map((_, i) => i).sort((a, b) => numel(jobs[b]) - numel(jobs[a]) || a - b);
  const results: R[] = new Array(jobs.length);
  const pool: Worker[] = [];
  let baseLoss = NaN;
  let setupSeconds = 0;
  let evaluations = 0;
  let stagesRun = 0;
  let stagesFull = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let done = 0;
      let failed = false;
      const fail = (err: Error) => {
        if (!failed) {
          failed = true;
          reject(err);
        }
      };
      const feed = (w: Worker) => {
        if (failed || next >= order.length) return;
        const id = order[next++];
        w.postMessage({ type: 'job', id, job: jobs[id] } satisfies AnalysisWorkerRequest);
      };
      for (let k = 0; k < workers; k++) {
        const w = new Worker(path);
        pool.push(w);
        w.on('message', (msg: AnalysisWorkerReply) => {
          if (msg.type === 'error') return fail(new Error(`sensitivity worker: ${msg.message}`));
          if (msg.type === 'ready') {
            baseLoss = msg.baseLoss;
            setupSeconds = Math.max(setupSeconds, msg.setupSeconds);
            return feed(w);
          }
          results[msg.id] = msg.result as R;
          evaluations += msg.stats.evaluations;
          stagesRun += msg.stats.stagesRun;
          stagesFull += msg.stats.stagesFull;
          done++; // not inside `opts.onProgress?.(…)`: optional calls skip their arguments
          opts.onProgress?.(done, jobs.length, jobs[msg.id].tensor);
          if (done === jobs.length) resolve();
          else feed(w);
        });
        w.on('error', (err) => fail(err));
        w.on('exit', (code) => {
          if (code !== 0 && done < jobs.length) fail(new Error(`sensitivity worker exited with code ${code}`));
        });
        w.postMessage(init);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return {
    results, baseLoss, mode: 'workers', workers, threadsPerWorker: threads,
    seconds: (performance.now() - t0) / 1000, setupSeconds,
    evaluations, tensorSeconds: results.reduce((s, r) => s + r.seconds, 0), stagesRun, stagesFull,
  };
}
