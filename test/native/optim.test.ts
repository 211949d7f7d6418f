/**
 * The optimiser: AMSGrad updates against the algorithm written out in TS, learning-rate access,
 * and state save/restore giving a bit-identical continuation.
 */
import { describe, expect, it } from 'vitest';
import { Adam, Tensor, tensor, tidy, clipGradNorm, ones } from '../../src/torch/torch.js';
import { expectClose } from './helpers.js';

/** Reference Adam/AMSGrad (PyTorch's formulation, as in torch/csrc/api/src/optim/adam.cpp). */
function referenceAdam(p0: number[], grads: number[][], lr: number, amsgrad: boolean, wd = 0): number[] {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const p = [...p0];
  const m = p.map(() => 0), v = p.map(() => 0), vmax = p.map(() => 0);
  grads.forEach((gRaw, t) => {
    const step = t + 1;
    const bc1 = 1 - b1 ** step, bc2 = 1 - b2 ** step;
    for (let i = 0; i < p.length; i++) {
      const g = gRaw[i]! + wd * p[i]!;
      m[i] = b1 * m[i]! + (1 - b1) * g;
      v[i] = b2 * v[i]! + (1 - b2) * g * g;
      vmax[i] = Math.max(vmax[i]!, v[i]!);
      const denom = Math.sqrt(amsgrad ? vmax[i]! : v[i]!) / Math.sqrt(bc2) + eps;
      p[i] = p[i]! - (lr / bc1) * (m[i]! / denom);
    }
  });
  return p;
}

/**
 * Gradients that shrink after the first step (g² < v, so v decreases): AMSGrad's running max
 * then differs from Adam's v.
 */
const GRADS = [[2, -1], [0.01, 0.01], [0.01, -0.005], [0.001, 0.02]];

/** Steps `opt` once with gradient g on p (loss = Σ p ⊙ g, whose gradient is g). */
function stepWith(opt: Adam, p: Tensor, g: number[]): void {
  tidy(() => {
    opt.zeroGrad();
    p.mul(tensor(new Float64Array(g))).sum().backward(); // float64: 0.1 must be exact as in the reference
    opt.step();
  });
}

describe('Adam / AMSGrad', () => {
  it('matches the reference AMSGrad update (default) and plain Adam when amsgrad=false', () => {
    for (const amsgrad of [true, false]) {
      const p = tensor(new Float64Array([1, -2]), [2], { requiresGrad: true });
      const opt = new Adam([p], { lr: 0.1, ...(amsgrad ? {} : { amsgrad: false }) });
      for (const g of GRADS) stepWith(opt, p, g);
      expectClose(p.toFloat64Array(), referenceAdam([1, -2], GRADS, 0.1, amsgrad), 1e-12, 1e-12);
    }
    // The two variants do differ on these gradients.
    const a = referenceAdam([1, -2], GRADS, 0.1, true), b = referenceAdam([1, -2], GRADS, 0.1, false);
    expect(Math.abs(a[0]! - b[0]!) + Math.abs(a[1]! - b[1]!)).toBeGreaterThan(1e-4); // ≫ the 1e-12 agreement above
  });
  it('weight decay (L2 added to the gradient)', () => {
    const p = tensor(new Float64Array([1, -2]), [2], { requiresGrad: true });
    const opt = new Adam([p], { lr: 0.05, weightDecay: 0.1 });
    for (const g of GRADS) stepWith(opt, p, g);
    expectClose(p.toFloat64Array(), referenceAdam([1, -2], GRADS, 0.05, true, 0.1), 1e-12, 1e-12);
  });
  it('AdamW (decoupled weight decay) runs and shrinks weights without gradient', () => {
    const p = tensor([1, -2], [2], { requiresGrad: true });
    const opt = new Adam([p], { lr: 0.1, weightDecay: 0.5, decoupledWeightDecay: true });
    stepWith(opt, p, [0, 0]);
    expectClose(p.toFloat32Array(), [1 * (1 - 0.05), -2 * (1 - 0.05)], 1e-6);
  });
  it('getLr / setLr (the ×0.98 decay) change the step size', () => {
    const p = tensor(new Float64Array([1, -2]), [2], { requiresGrad: true });
    const opt = new Adam([p]);
    expect(opt.getLr()).toBe(1e-3);
    opt.setLr(opt.getLr() * 0.98);
    expect(opt.getLr()).toBeCloseTo(0.98e-3, 15);
    for (const g of GRADS) stepWith(opt, p, g);
    expectClose(p.toFloat64Array(), referenceAdam([1, -2], GRADS, 0.98e-3, true), 1e-12, 1e-12);
  });
  it('zeroGrad zeroes every parameter gradient; parameters without grad are skipped', () => {
    const p = ones([2], { requiresGrad: true });
    const q = ones([2], { requiresGrad: true });
    const opt = new Adam([p, q], { lr: 0.1 });
    p.sum().backward();
    opt.step(); // q has no grad: untouched
    expect(Array.from(q.toFloat32Array())).toEqual([1, 1]);
    expect(p.toFloat32Array()[0]).toBeLessThan(1);
    opt.zeroGrad();
    const g = p.grad;
    expect(g === null || g.toFloat32Array().every((v) => v === 0)).toBe(true);
    const st = opt.getState();
    expect(st[0]!.step).toBe(1);
    expect(st[1]).toBeNull();
  });
  it('state save/restore continues bit-identically', () => {
    const a = tensor(new Float64Array([1, -2]), [2], { requiresGrad: true });
    const optA = new Adam([a], { lr: 0.1 });
    for (const g of GRADS.slice(0, 2)) stepWith(optA, a, g);
    // Snapshot: clone the state tensors and the parameter (as a checkpoint would).
    const saved = optA.getState().map((s) =>
      s && { step: s.step, expAvg: s.expAvg.clone(), expAvgSq: s.expAvgSq.clone(), maxExpAvgSq: s.maxExpAvgSq.clone() },
    );
    expect(saved[0]!.step).toBe(2);
    const b = tensor(a.toFloat64Array(), [2], { requiresGrad: true });
    const optB = new Adam([b], { lr: 0.1 });
    optB.setState(saved);
    for (const g of GRADS.slice(2)) {
      stepWith(optA, a, g);
      stepWith(optB, b, g);
    }
    expect(Array.from(b.toFloat64Array())).toEqual(Array.from(a.toFloat64Array()));
    expect(optB.getState()[0]!.step).toBe(4);
    // The restored state was copied: mutating the snapshot does not affect optB.
    saved[0]!.expAvg.fillInPlace(123);
    expect(optB.getState()[0]!.expAvg.toFloat64Array()[0]).not.toBe(123);
  });
});

describe('clipGradNorm', () => {
  it('rescales gradients to the max norm and returns the norm before clipping', () => {
    const p = tensor([0, 0], [2], { requiresGrad: true });
    p.mul(tensor([3, 4])).sum().backward(); // grad = [3, 4], norm 5
    const n = clipGradNorm([p], 1);
    expect(n).toBeCloseTo(5, 6);
    expectClose(p.grad!.toFloat32Array(), [0.6, 0.8], 1e-5);
  });
});
