/**
 * Algorithms 1–3 (src/compress/sensitivity.ts) against closed-form loss oracles: the grid, the
 * tolerance comparisons and every edge case of the pseudo-code.
 */
import { describe, expect, it } from 'vitest';
import { groupLayout } from '../../src/compress/groups.js';
import { maskFull, maskKept } from '../../src/compress/masks.js';
import {
  sensitivityKmeans, sensitivityStructured, sensitivityUnstructured, type SensitivityTensor, type TensorLoss,
} from '../../src/compress/sensitivity.js';

const values = Float32Array.from({ length: 40 }, (_, i) => (i % 2 ? 1 : -1) * (i + 1) * 0.01);
const tensor: SensitivityTensor = { name: 'w', values, mask: maskFull(40) };

/** Loss = base + (fraction of the tensor's elements that are zero) · slope. */
function zeroFractionLoss(slope: number, base = 1): TensorLoss {
  return (_name, v) => {
    if (v === null) return base;
    let z = 0;
    for (const x of v) if (x === 0) z++;
    return base + (slope * z) / v.length;
  };
}

describe('Algorithm 1 (unstructured)', () => {
  it('never exceeding the tolerance → 100 %', async () => {
    const r = await sensitivityUnstructured(tensor, zeroFractionLoss(0), 0.001);
    expect(r.beta).toBe(100);
    expect(r.steps.map((s) => s.at)).toEqual(Array.from({ length: 21 }, (_, i) => 5 * i));
  });
  it('exceeding at 5 % → 0 %', async () => {
    const r = await sensitivityUnstructured(tensor, zeroFractionLoss(10), 0.1);
    expect(r.beta).toBe(0);
    expect(r.clamped).toBe(false);
    expect(r.steps.at(-1)).toMatchObject({ at: 5, removed: 2 });
  });
  it('stops at the first β whose increase exceeds α1 strictly, and returns β − 5 %', async () => {
    // increase at β = fraction removed: exceeds 0.42 first at 45 %
    const r = await sensitivityUnstructured(tensor, zeroFractionLoss(1), 0.42);
    expect(r.beta).toBe(40);
    // an increase equal to the tolerance does not exceed it
    const eq = await sensitivityUnstructured(tensor, (_n, v) => (v === null ? 0 : v.some((x) => x === 0) ? 0.5 : 0), 0.5);
    expect(eq.beta).toBe(100);
  });
  it('removes the smallest magnitudes first', async () => {
    const seen: number[][] = [];
    await sensitivityUnstructured(tensor, (_n, v) => {
      if (v) seen.push(Array.from(v.keys()).filter((i) => v[i] === 0));
      return 0;
    }, 1);
    expect(seen[0]).toEqual([0, 1]); // 5 % of 40 = the two smallest |w|
    expect(seen.at(-1)!.length).toBe(40);
  });
  it('exceeding at 0 % (negative tolerance) clamps the pseudo-code’s −5 % to 0 %', async () => {
    const r = await sensitivityUnstructured(tensor, zeroFractionLoss(1), -0.1, { evaluateZero: true });
    expect(r.beta).toBe(0);
    expect(r.clamped).toBe(true);
    expect(r.steps).toHaveLength(1);
  });
  it('reuses the loss of a grid point that selects the same weights (small tensors)', async () => {
    let calls = 0;
    const small: SensitivityTensor = { name: 's', values: new Float32Array([0.1, -0.2, 0.3]), mask: maskFull(3) };
    const r = await sensitivityUnstructured(small, (_n, v) => (calls++, v === null ? 0 : 0), 1);
    expect(r.beta).toBe(100);
    // base + distinct counts 1, 2, 3 (0 is not evaluated)
    expect(calls).toBe(4);
    expect(r.steps.filter((s) => s.reused).length).toBe(20 - 3);
  });
  it('only counts kept weights (the set W_l of nonzero weights)', async () => {
    const mask = Uint8Array.from({ length: 40 }, (_, i) => (i < 20 ? 0 : 1));
    const v = Float32Array.from(values, (x, i) => (mask[i] ? x : 0));
    const removed: number[] = [];
    await sensitivityUnstructured({ name: 'w', values: v, mask }, (_n, p) => {
      if (p) removed.push(p.filter((x) => x === 0).length - 20);
      return 0;
    }, 1);
    expect(removed[0]).toBe(1); // 5 % of 20
    expect(removed.at(-1)).toBe(20);
  });
});

describe('Algorithm 2 (structured)', () => {
  const layout = groupLayout({ name: 'fc.weight', kind: 'linear', shape: [4, 10] });
  const t: SensitivityTensor = { ...tensor, groups: layout };
  it('zeroes whole groups at every grid point; edge cases as Algorithm 1', async () => {
    const sizes: number[] = [];
    const r = await sensitivityStructured(t, (_n, v) => {
      if (v) {
        const z = v.filter((x) => x === 0).length;
        expect(z % 4).toBe(0);
        sizes.push(z / 4);
      }
      return 0;
    }, 0.5);
    expect(r.beta).toBe(100);
    expect(r.alive).toBe(10);
    expect(sizes.at(-1)).toBe(10);
    expect((await sensitivityStructured(t, zeroFractionLoss(10), 0.01)).beta).toBe(0);
  });
});

describe('Algorithm 3 (k-means)', () => {
  it('accepts K = 1 when the increase is below α2', async () => {
    const r = await sensitivityKmeans(tensor, () => 0, 0.01);
    expect(r.k).toBe(1);
  });
  it('doubles K until the increase is below α2', async () => {
    // increase = 1/K: below 0.1 first at K = 16
    const r = await sensitivityKmeans(tensor, (_n, v) => {
      if (v === null) return 0;
      return 1 / new Set(Array.from(v).filter((x) => x !== 0)).size;
    }, 0.1);
    expect(r.k).toBe(16);
    expect(r.steps.map((s) => s.at)).toEqual([1, 2, 4, 8, 16]);
  });
  it('stops at 2K > n(W_l) even when the tolerance is never met, and K ≤ n', async () => {
    const r = await sensitivityKmeans(tensor, (_n, v) => (v === null ? 0 : 1), 0.1);
    expect(r.k).toBe(32); // 2·32 > 40
    expect(r.k).toBeLessThanOrEqual(maskKept(tensor.mask));
    const one = await sensitivityKmeans({ name: 'o', values: new Float32Array([0.5]), mask: maskFull(1) }, () => 1, 0);
    expect(one.k).toBe(1);
    expect(one.evaluations).toBe(0);
    const none = await sensitivityKmeans({ name: 'z', values: new Float32Array(3), mask: new Uint8Array(3) }, () => 1, 0);
    expect(none.k).toBe(0);
  });
  it('compares strictly: an increase equal to α2 is not accepted', async () => {
    const r = await sensitivityKmeans(tensor, (_n, v) => (v === null ? 0 : 0.25), 0.25);
    expect(r.k).toBe(32);
  });
});
