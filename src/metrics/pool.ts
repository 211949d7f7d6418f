/**
 * A pool of metric workers: jobs are submitted one at a time (evaluatePairs submits a whole list;
 * `hushpack evalset` submits each enhanced signal as soon as the model has produced it, so the
 * metrics of item i run on the workers while the main thread enhances item i + 1). One worker per
 * thread, at most JOBS_PER_WORKER jobs posted to a worker at once (the second waits in the
 * worker's message queue, so a worker never idles while the main thread is busy in a synchronous
 * forward pass); the rest wait here. With `threads: 1` the jobs run in this thread, one per
 * macrotask, in submission order.
 *
 * The worker is the compiled dist/src/metrics/batchWorker.js (worker threads need JavaScript):
 * next to this module when running from dist/, or in dist/ of the package when running from the
 * TypeScript sources (tests).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserError } from '../errors.js';
import { readMono } from '../data/wav.js';
import { evaluateSignals, type MetricResult } from './evaluate.js';

/** A signal of a job: a WAV path (mono, or the mean of its channels) or samples at the job's rate. */
export type MetricSignal = string | Float32Array;

/** One (reference, degraded) evaluation. */
export interface MetricJob {
  ref: MetricSignal;
  deg: MetricSignal;
  /** Rate of the sample-array signals (Hz); required when either signal is samples. */
  sampleRate?: number;
  /** Names in messages (default: the path, or 'reference' / 'degraded'). */
  refName?: string;
  degName?: string;
  /** Cut both signals to the shorter length instead of refusing different lengths. */
  trim?: boolean;
}

/** Message from main thread to worker. */
export interface BatchRequest {
  id: number;
  job: MetricJob;
}

/** Message from worker to main thread. */
export type BatchReply =
  | { id: number; result: MetricResult; notes: string[] }
  | { id: number; error: string; userError: boolean; notes: string[] };

/** Jobs posted to one worker at a time. */
const JOBS_PER_WORKER = 2;

function signalOf(s: MetricSignal, rate: number | undefined, which: string, name: string | undefined): { samples: Float32Array; rate: number; name: string } {
  if (typeof s === 'string') {
    const w = readMono(s);
    return { samples: w.samples, rate: w.sampleRate, name: name ?? s };
  }
  if (rate === undefined) throw new Error(`metric job: the ${which} signal is samples but the job has no sampleRate`);
  return { samples: s, rate, name: name ?? which };
}

/**
 * Evaluates one job (all metrics of evaluateSignals). For two paths this is exactly evaluateFiles.
 * Throws UserError for bad input.
 */
export function metricJobEvaluate(job: MetricJob, onNote?: (message: string) => void): MetricResult {
  const ref = signalOf(job.ref, job.sampleRate, 'reference', job.refName);
  const deg = signalOf(job.deg, job.sampleRate, 'degraded', job.degName);
  if (ref.rate !== deg.rate) {
    throw new UserError(`${ref.name} is at ${ref.rate} Hz but ${deg.name} is at ${deg.rate} Hz; resample one of them first`);
  }
  return evaluateSignals(ref.samples, deg.samples, ref.rate, { refName: ref.name, degName: deg.name, trim: job.trim, onNote });
}

/** Path of the compiled worker script; throws an Error naming the build step if it is missing. */
export function batchWorkerPath(): string {
  const here = import.meta.url;
  const url = here.endsWith('.js') ? new URL('./batchWorker.js', here) : new URL('../../dist/src/metrics/batchWorker.js', here);
  const path = fileURLToPath(url);
  if (!existsSync(path)) {
    throw new Error(`metric workers: worker script ${path} is missing; build it with \`npm run build:ts\` (or use threads: 1)`);
  }
  return path;
}

/** Options of a MetricPool. */
export interface MetricPoolOptions {
  /** Worker threads (default: available cores); 1 evaluates in the calling thread. */
  threads?: number;
  /** Receives notes about inputs (trimming, resampling for PESQ), prefixed with the degraded name. */
  onNote?: (message: string) => void;
}

interface Pending {
  id: number;
  job: MetricJob;
  resolve: (r: MetricResult) => void;
  reject: (e: Error) => void;
}

/** See the file comment. Call close() when done (it terminates the workers). */
export class MetricPool {
  /** Worker threads in use (1: inline). */
  readonly threads: number;
  private readonly onNote: (m: string) => void;
  private readonly workers: { w: Worker; busy: Map<number, Pending> }[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 0;
  private closed = false;
  private broken: Error | null = null;
  private inlineScheduled = false;

  constructor(opts: MetricPoolOptions = {}) {
    this.threads = Math.max(1, opts.threads ?? availableParallelism());
    this.onNote = opts.onNote ?? (() => undefined);
    if (this.threads > 1) {
      const path = batchWorkerPath();
      for (let t = 0; t < this.threads; t++) this.workers.push(this.workerStart(path));
    }
  }

  /** Jobs submitted and not finished yet. */
  get pending(): number {
    return this.queue.length + this.workers.reduce((s, w) => s + w.busy.size, 0);
  }

  /** Queues a job; resolves with its metrics, rejects with its error (UserError for bad input). */
  evaluate(job: MetricJob): Promise<MetricResult> {
    if (this.closed) return Promise.reject(new Error('MetricPool: closed'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<MetricResult>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve, reject });
      this.dispatch();
    });
  }

  /** Terminates the workers; jobs not finished are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failAll(new Error('MetricPool: closed before the job finished'));
    await Promise.all(this.workers.map((x) => x.w.terminate()));
  }

  private note(job: MetricJob, m: string): void {
    const name = job.degName ?? (typeof job.deg === 'string' ? job.deg : 'degraded');
    this.onNote(`${name}: ${m}`);
  }

  private workerStart(path: string): { w: Worker; busy: Map<number, Pending> } {
    const slot = { w: new Worker(path), busy: new Map<number, Pending>() };
    slot.w.on('message', (msg: BatchReply) => {
      const p = slot.busy.get(msg.id);
      if (!p) return;
      slot.busy.delete(msg.id);
      for (const m of msg.notes) this.note(p.job, m);
      if ('error' in msg) p.reject(msg.userError ? new UserError(msg.error) : new Error(msg.error));
      else p.resolve(msg.result);
      this.dispatch();
    });
    slot.w.on('error', (err) => this.fail(err));
    slot.w.on('exit', (code) => {
      if (code !== 0 && !this.closed) this.fail(new Error(`MetricPool: a worker exited with code ${code}`));
    });
    return slot;
  }

  /** A worker died: every job in flight or waiting fails, and so does every later one. */
  private fail(err: Error): void {
    if (this.broken) return;
    this.broken = err;
    this.failAll(err);
  }

  private failAll(err: Error): void {
    for (const p of this.queue.splice(0)) p.reject(err);
    for (const slot of this.workers) {
      for (const p of slot.busy.values()) p.reject(err);
      slot.busy.clear();
    }
  }

  private dispatch(): void {
    if (this.threads === 1) {
      if (this.inlineScheduled || this.queue.length === 0) return;
      this.inlineScheduled = true;
      setImmediate(() => {
        this.inlineScheduled = false;
        const p = this.queue.shift();
        if (!p) return;
        try {
          p.resolve(metricJobEvaluate(p.job, (m) => this.note(p.job, m)));
        } catch (err) {
          p.reject(err as Error);
        }
        this.dispatch();
      });
      return;
    }
    while (this.queue.length > 0) {
      let best: (typeof this.workers)[number] | null = null;
      for (const slot of this.workers) if (slot.busy.size < JOBS_PER_WORKER && (!best || slot.busy.size < best.busy.size)) best = slot;
      if (!best) return;
      const p = this.queue.shift()!;
      best.busy.set(p.id, p);
      const req: BatchRequest = { id: p.id, job: p.job };
      best.w.postMessage(req);
    }
  }
}
