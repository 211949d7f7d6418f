/**
 * Fine-tuning of a pruned (and optionally regularised) network, and centroid fine-tuning of a
 * quantised one, with the trainer's data stream and loss (src/train/batches.ts, features.ts):
 * minibatches of on-the-fly mixtures of the train split, MSE loss, AMSGrad.
 *
 * Masks are held exactly: after every optimiser step each masked tensor is multiplied by its 0/1
 * mask, and the masked weights' gradients are zeroed before the step (so the AMSGrad moments of
 * pruned weights stay 0 too). Pruned weights are therefore exactly 0.0 throughout.
 *
 * Centroid fine-tuning (Deep Compression's "trained quantisation", a step beyond Tan & Wang): the
 * quantised tensors' weights stay tied to their codebooks; after each backward pass the gradient of
 * centroid k is the SUM of the gradients of the weights in cluster k (∂L/∂c_k = Σ_{i ∈ k} ∂L/∂w_i),
 * the centroids take an AMSGrad step (host, float64 moments, stored float32) and the weights are
 * rewritten from the codebook. Biases, norms and PReLU slopes are trained as usual by libtorch.
 *
 * Why not trainer.ts's loop: it has no hook for an extra loss term or a post-step action; this loop
 * reuses its pieces (batch sources, lossCompute) and adds exactly those two.
 */
import * as torch from '../torch/torch.js';
import { Adam, tidy, type Tensor } from '../torch/torch.js';
import type { Net } from '../models/net.js';
import { lossCompute, type FeatureBatch } from '../train/features.js';
import { inlineBatchSource, workerBatchSource, type BatchSource, type BatchSpec } from '../train/batches.js';
import type { Mask } from './masks.js';
import type { Regularizer } from './regularizers.js';

/** Where the fine-tuning batches come from: the trainer's stream (batch k = mixtures k·B … k·B + B − 1). */
export interface FinetuneData {
  spec: BatchSpec;
  /** Index of the first batch (e.g. the checkpoint's global step, to continue its data stream). */
  startStep: number;
  /** Prepare batches on a worker thread (default true; inline when running from sources). */
  prefetch?: boolean;
}

/** Progress callback. */
export type FinetuneProgress = (info: { step: number; steps: number; loss: number; regularizer: number }) => void;

/** Options of finetune / centroidFinetune. */
export interface FinetuneOptions {
  /** Optimiser steps (0: nothing to do). */
  steps: number;
  /** Wall-clock cap, minutes (stops early, after a whole step). */
  minutes?: number;
  /** AMSGrad learning rate. */
  lr: number;
  onStep?: FinetuneProgress;
  signal?: AbortSignal;
}

/** What a fine-tuning run did. */
export interface FinetuneResult {
  steps: number;
  /** Next batch index of the data stream (startStep + steps). */
  nextStep: number;
  seconds: number;
  stepSeconds: number | null;
  lr: number;
  /** Mean training MSE (without regulariser) over the steps, and of the first/last tenth. */
  meanLoss: number | null;
  firstLoss: number | null;
  lastLoss: number | null;
  /** Mean regulariser value over the steps (0 without one). */
  meanRegularizer: number;
  stopReason: 'steps' | 'minutes' | 'signal';
}

function batchSource(data: FinetuneData): BatchSource {
  return data.prefetch === false ? inlineBatchSource(data.spec) : workerBatchSource(data.spec);
}

/** Loss of one prepared batch in training mode, with an optional extra term; returns [loss, total]. */
function forwardLoss(net: Net, batch: FeatureBatch, extra: (() => Tensor | null) | null): { loss: Tensor; reg: Tensor | null } {
  const x = torch.tensor(batch.input, batch.inputShape);
  const y = torch.tensor(batch.target, batch.targetShape);
  const loss = lossCompute(net.config.arch, net.forward(x, { training: true }), y, batch.loss);
  return { loss, reg: extra ? extra() : null };
}

/** Summary of per-step losses. */
function summary(losses: number[], regs: number[]): Pick<FinetuneResult, 'meanLoss' | 'firstLoss' | 'lastLoss' | 'meanRegularizer'> {
  const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
  const tenth = Math.max(1, Math.floor(losses.length / 10));
  return {
    meanLoss: mean(losses),
    firstLoss: mean(losses.slice(0, tenth)),
    lastLoss: mean(losses.slice(-tenth)),
    meanRegularizer: mean(regs) ?? 0,
  };
}

/**
 * The step loop shared by the fine-tunings (and MPO training): `step(batch, k)` runs step k on a
 * batch and returns [loss, regulariser]. Batches k = data.startStep + 0, 1, …; budgets as in
 * FinetuneOptions.
 */
export async function finetuneLoop(
  data: FinetuneData, opts: FinetuneOptions, step: (b: FeatureBatch, k: number) => [number, number],
): Promise<FinetuneResult> {
  const t0 = performance.now();
  const budgetMs = opts.minutes !== undefined ? opts.minutes * 60_000 : Infinity;
  const losses: number[] = [];
  const regs: number[] = [];
  let stopReason: FinetuneResult['stopReason'] = 'steps';
  let stepTime = 0;
  const source = opts.steps > 0 ? batchSource(data) : null;
  try {
    for (let k = 0; k < opts.steps; k++) {
      const avg = k > 0 ? stepTime / k : 0;
      if (opts.signal?.aborted) {
        stopReason = 'signal';
        break;
      }
      if (performance.now() - t0 + avg > budgetMs) {
        stopReason = 'minutes';
        break;
      }
      const ts = performance.now();
      const batch = await (source as BatchSource).get(data.startStep + k);
      const [loss, reg] = step(batch, k);
      if (!Number.isFinite(loss)) throw new Error(`fine-tuning diverged: loss ${loss} at step ${k}`);
      stepTime += performance.now() - ts;
      losses.push(loss);
      regs.push(reg);
      opts.onStep?.({ step: k + 1, steps: opts.steps, loss, regularizer: reg });
    }
  } finally {
    await source?.close();
  }
  const n = losses.length;
  return {
    steps: n, nextStep: data.startStep + n, seconds: (performance.now() - t0) / 1000,
    stepSeconds: n > 0 ? stepTime / 1000 / n : null, lr: opts.lr, ...summary(losses, regs), stopReason,
  };
}

/**
 * Fine-tunes every trainable parameter of `net` with MSE + `regularizer` (if any), holding `masks`
 * exactly (see the file comment).
 */
export async function finetune(
  net: Net, data: FinetuneData, opts: FinetuneOptions & { masks?: ReadonlyMap<string, Mask>; regularizer?: Regularizer | null },
): Promise<FinetuneResult> {
  const maskTensors = new Map<string, Tensor>();
  for (const [name, m] of opts.masks ?? []) {
    const t = net.tensors.get(name);
    if (t === undefined) throw new Error(`finetune: no tensor named ${name}`);
    maskTensors.set(name, torch.tensor(Float32Array.from(m), t.shape).keep());
  }
  const opt = new Adam(net.parameters(), { lr: opts.lr, amsgrad: true });
  const reg = opts.regularizer ?? null;
  try {
    return await finetuneLoop(data, opts, (batch) =>
      tidy(() => {
        opt.zeroGrad();
        const { loss, reg: r } = forwardLoss(net, batch, reg ? () => reg.term() : null);
        (r ? loss.add(r) : loss).backward();
        for (const [name, m] of maskTensors) net.tensors.get(name)!.grad?.mulInPlace(m);
        opt.step();
        for (const [name, m] of maskTensors) net.tensors.get(name)!.mulInPlace(m);
        return [loss.item(), r ? r.item() : 0];
      }),
    );
  } finally {
    opt.dispose();
    for (const m of maskTensors.values()) m.dispose();
  }
}

/** A tensor tied to a codebook: values[positions[i]] = codebook[indices[i]], every other element 0. */
export interface TiedTensor {
  codebook: Float32Array;
  positions: Uint32Array;
  indices: Uint32Array;
}

/** Host AMSGrad over a codebook (β = 0.9, 0.999, ε = 1e-8; PyTorch's update rule). */
class CodebookAmsgrad {
  readonly m: Float64Array;
  readonly v: Float64Array;
  readonly vmax: Float64Array;
  t = 0;
  constructor(k: number) {
    this.m = new Float64Array(k);
    this.v = new Float64Array(k);
    this.vmax = new Float64Array(k);
  }
  step(c: Float32Array, g: Float64Array, lr: number): void {
    const b1 = 0.9;
    const b2 = 0.999;
    this.t++;
    const bc1 = 1 - b1 ** this.t;
    const bc2 = 1 - b2 ** this.t;
    for (let k = 0; k < c.length; k++) {
      this.m[k] = b1 * this.m[k] + (1 - b1) * g[k];
      this.v[k] = b2 * this.v[k] + (1 - b2) * g[k] * g[k];
      this.vmax[k] = Math.max(this.vmax[k], this.v[k]);
      const denom = Math.sqrt(this.vmax[k]) / Math.sqrt(bc2) + 1e-8;
      c[k] = Math.fround(c[k] - (lr / bc1) * (this.m[k] / denom));
    }
  }
}

/** Writes a tied tensor's values from its codebook into `t`. */
function tiedWrite(t: Tensor, tied: TiedTensor): void {
  const v = new Float32Array(t.numel);
  for (let i = 0; i < tied.positions.length; i++) v[tied.positions[i]] = tied.codebook[tied.indices[i]];
  t.copyFrom(v);
}

/**
 * Centroid fine-tuning: the `tied` tensors' codebooks are trained (gradients summed per cluster)
 * and their weights rewritten from the codebooks after each step; all other parameters train
 * normally, holding `masks` exactly for the pruned tensors that have no codebook (e.g. a tensor
 * pruned to 100 %, which k-means skips). Codebooks are updated in place (the caller's TiedTensor
 * objects).
 */
export async function centroidFinetune(
  net: Net, data: FinetuneData, tied: ReadonlyMap<string, TiedTensor>, opts: FinetuneOptions & { masks?: ReadonlyMap<string, Mask> },
): Promise<FinetuneResult> {
  const names = new Set(tied.keys());
  const others = net.specs.filter((s) => !s.buffer && !names.has(s.name)).map((s) => net.tensors.get(s.name)!);
  const opt = others.length > 0 ? new Adam(others, { lr: opts.lr, amsgrad: true }) : null;
  const maskTensors = new Map<string, Tensor>();
  for (const [name, m] of opts.masks ?? []) {
    if (names.has(name)) continue; // tied tensors are rewritten from their codebooks
    const t = net.tensors.get(name);
    if (t === undefined) throw new Error(`centroidFinetune: no tensor named ${name}`);
    maskTensors.set(name, torch.tensor(Float32Array.from(m), t.shape).keep());
  }
  const states = new Map([...tied].map(([n, t]) => [n, new CodebookAmsgrad(t.codebook.length)]));
  for (const [n, t] of tied) tiedWrite(net.tensors.get(n)!, t);
  try {
    return await finetuneLoop(data, opts, (batch) => {
      const loss = tidy(() => {
        opt?.zeroGrad();
        for (const n of names) net.tensors.get(n)!.zeroGrad();
        const { loss: l } = forwardLoss(net, batch, null);
        l.backward();
        for (const [name, m] of maskTensors) net.tensors.get(name)!.grad?.mulInPlace(m);
        opt?.step();
        for (const [name, m] of maskTensors) net.tensors.get(name)!.mulInPlace(m);
        return l.item();
      });
      for (const [n, t] of tied) {
        const w = net.tensors.get(n)!;
        const grad = tidy(() => w.grad?.toFloat32Array() ?? null);
        if (grad === null) continue;
        const g = new Float64Array(t.codebook.length);
        for (let i = 0; i < t.positions.length; i++) g[t.indices[i]] += grad[t.positions[i]];
        states.get(n)!.step(t.codebook, g, opts.lr);
        tiedWrite(w, t);
      }
      return [loss, 0];
    });
  } finally {
    opt?.dispose();
    for (const m of maskTensors.values()) m.dispose();
  }
}
