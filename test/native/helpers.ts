/**
 * Test helpers for the libtorch addon: float64 gradient checks against central finite differences
 * and element-wise closeness assertions.
 */
import { expect } from 'vitest';
import { Tensor, noGrad, tensor, tidy } from '../../src/torch/torch.js';
import { randomF64 } from '../helpers/signals.js';

/** A float64 leaf tensor requiring grad, filled from `randomF64` (independent of libtorch's RNG). */
export function param64(shape: number[], seed: number, lo = -1, hi = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(randomF64(n, seed, lo, hi), shape, { dtype: 'float64', requiresGrad: true });
}

/** Asserts |a − b| ≤ atol + rtol·|b| element-wise, reporting the first offending index. */
export function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, atol = 1e-6, rtol = 1e-5): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const ok = Math.abs(a[i]! - b[i]!) <= atol + rtol * Math.abs(b[i]!);
    if (!ok) expect.fail(`element ${i}: ${a[i]} vs ${b[i]} (atol ${atol}, rtol ${rtol})`);
  }
}

/**
 * Checks the analytic gradient of `f` w.r.t. every input against central finite differences.
 * The scalar checked is L = Σ_k Σ outputs_k ⊙ R_k with fixed random weights R_k, so every output
 * element contributes with a distinct weight. Inputs must be float64 leaves with requiresGrad.
 * Step h = 1e-6 gives a truncation + rounding error far below the tolerances.
 */
export function gradcheck(
  f: (...xs: Tensor[]) => Tensor | Tensor[],
  inputs: Tensor[],
  opts: { h?: number; atol?: number; rtol?: number; seed?: number } = {},
): void {
  const h = opts.h ?? 1e-6;
  const atol = opts.atol ?? 1e-6;
  const rtol = opts.rtol ?? 1e-5;
  tidy(() => {
    const outs0 = [f(...inputs)].flat();
    const weights = outs0.map((o, k) =>
      tensor(randomF64(o.numel, 1000 + k + (opts.seed ?? 0)), o.shape, { dtype: 'float64' }),
    );
    const loss = (outs: Tensor[]): Tensor =>
      outs.map((o, k) => o.toDtype('float64').mul(weights[k]!).sum()).reduce((a, b) => a.add(b));

    for (const x of inputs) x.zeroGrad();
    loss(outs0).backward();

    for (const [i, x] of inputs.entries()) {
      const g = x.grad;
      const analytic = g === null ? new Float64Array(x.numel) : g.toFloat64Array();
      const base = x.toFloat64Array();
      const numeric = new Float64Array(x.numel);
      noGrad(() => {
        for (let j = 0; j < base.length; j++) {
          const v = base[j]!;
          base[j] = v + h;
          x.copyFrom(base);
          const lp = tidy(() => loss([f(...inputs)].flat()).item());
          base[j] = v - h;
          x.copyFrom(base);
          const lm = tidy(() => loss([f(...inputs)].flat()).item());
          base[j] = v;
          x.copyFrom(base);
          numeric[j] = (lp - lm) / (2 * h);
        }
      });
      for (let j = 0; j < numeric.length; j++) {
        const ok = Math.abs(analytic[j]! - numeric[j]!) <= atol + rtol * Math.abs(numeric[j]!);
        if (!ok) {
          expect.fail(`input ${i} element ${j}: analytic ${analytic[j]} vs numeric ${numeric[j]}`);
        }
      }
    }
  });
}
