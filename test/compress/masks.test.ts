/**
 * Weight groups and pruning masks (src/compress/groups.ts, masks.ts): unstructured masks remove
 * exactly the chosen fraction of smallest |w|; structured masks zero whole groups.
 */
import { describe, expect, it } from 'vitest';
import { groupForEach, groupIdOfPosition, groupLayout, isPrunable, prunableSpecs } from '../../src/compress/groups.js';
import {
  groupKeptCounts, groupNorms, groupsAlive, maskApply, maskFull, maskKept, maskStructured, maskUnstructured, pruneCount,
} from '../../src/compress/masks.js';
import { HUSH_GROUP_DIM1, HUSH_GROUP_KERNEL } from '../../src/format/spec.js';
import { groupOf } from '../../src/format/sparsity.js';
import { paramSpecs, presetConfig, ARCH_NAMES } from '../../src/models/index.js';

/** Deterministic values with distinct magnitudes in random order. */
function shuffled(n: number, seed: number): Float32Array {
  const v = Float32Array.from({ length: n }, (_, i) => (i + 1) * (i % 2 ? -0.01 : 0.01));
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) >>> 0;
    const j = s % (i + 1);
    [v[i], v[j]] = [v[j], v[i]];
  }
  return v;
}

describe('weight groups', () => {
  it('Linear and LSTM: one group per column, the four gates together', () => {
    const g = groupLayout({ name: 'lstm.weight_ih_l0', kind: 'lstm_ih', shape: [4 * 3, 5] });
    expect(g).toMatchObject({ axis: HUSH_GROUP_DIM1, groups: 5, size: 12 });
    const pos: number[] = [];
    groupForEach(g, 2, (p) => pos.push(p));
    expect(pos).toEqual(Array.from({ length: 12 }, (_, r) => r * 5 + 2));
  });
  it('conv / deconv: one group per kernel (the trailing kh×kw block), as the .hush group axis', () => {
    for (const kind of ['conv', 'deconv'] as const) {
      const shape = [3, 4, 2, 5];
      const g = groupLayout({ name: 'c', kind, shape });
      expect(g).toMatchObject({ axis: HUSH_GROUP_KERNEL, groups: 12, size: 10 });
      const ids = groupIdOfPosition(g, 120);
      for (let p = 0; p < 120; p++) expect(ids[p]).toBe(groupOf(shape, HUSH_GROUP_KERNEL, p));
    }
    const dw = groupLayout({ name: 'dw', kind: 'conv', shape: [8, 1, 3] });
    expect(dw).toMatchObject({ groups: 8, size: 3 });
  });
  it('biases, norms, PReLU and BatchNorm statistics are never pruned', () => {
    for (const arch of ARCH_NAMES) {
      const specs = paramSpecs(presetConfig(arch, 'tiny'));
      for (const s of specs) {
        const weight = ['linear', 'conv', 'deconv', 'lstm_ih', 'lstm_hh'].includes(s.kind);
        expect(isPrunable(s)).toBe(weight && !s.buffer);
      }
      expect(prunableSpecs(specs).length).toBeGreaterThan(0);
      expect(prunableSpecs(specs).every((s) => !s.name.endsWith('.bias'))).toBe(true);
    }
  });
});

describe('unstructured masks', () => {
  it('remove exactly round(β·N) of the smallest |w| for every β on the grid', () => {
    const v = shuffled(137, 7);
    const mags = Array.from(v, Math.abs).sort((a, b) => a - b);
    for (let beta = 0; beta <= 100; beta += 5) {
      const m = maskUnstructured(v, maskFull(v.length), beta);
      const removed = v.length - maskKept(m);
      expect(removed).toBe(Math.round((beta * 137) / 100));
      const threshold = removed > 0 ? mags[removed - 1] : -1;
      for (let i = 0; i < v.length; i++) expect(m[i] === 0).toBe(Math.abs(v[i]) <= threshold);
    }
  });
  it('count only the kept weights of an already pruned tensor', () => {
    const v = shuffled(100, 3);
    const m1 = maskUnstructured(v, maskFull(100), 40); // 60 left
    const m2 = maskUnstructured(maskApply(Float32Array.from(v), m1), m1, 50); // 30 more
    expect(maskKept(m2)).toBe(30);
    for (let i = 0; i < 100; i++) if (!m1[i]) expect(m2[i]).toBe(0);
  });
  it('break ties by position and round half up', () => {
    expect(pruneCount(10, 5)).toBe(1);
    expect(pruneCount(10, 15)).toBe(2);
    const m = maskUnstructured(new Float32Array([1, -1, 1, 1]), maskFull(4), 50);
    expect(Array.from(m)).toEqual([0, 0, 1, 1]);
  });
});

describe('structured masks', () => {
  it('zero whole groups of smallest ℓ1 norm', () => {
    const spec = { name: 'fc.weight', kind: 'linear' as const, shape: [6, 10] };
    const layout = groupLayout(spec);
    const v = shuffled(60, 11);
    const { l1 } = groupNorms(v, maskFull(60), layout);
    const order = Array.from({ length: 10 }, (_, g) => g).sort((a, b) => l1[a] - l1[b]);
    for (const beta of [0, 5, 30, 55, 100]) {
      const m = maskStructured(v, maskFull(60), layout, beta);
      const removed = Math.round((beta * 10) / 100);
      const pruned = new Set(order.slice(0, removed));
      for (let g = 0; g < 10; g++) {
        groupForEach(layout, g, (p) => expect(m[p]).toBe(pruned.has(g) ? 0 : 1));
      }
      expect(groupsAlive(m, layout)).toBe(10 - removed);
    }
  });
  it('count the groups that still have a kept weight, and p_g over kept weights', () => {
    const layout = groupLayout({ name: 'c', kind: 'conv', shape: [2, 3, 1, 4] });
    const v = shuffled(24, 5);
    const m1 = maskStructured(v, maskFull(24), layout, 50); // 3 of 6 kernels
    expect(groupsAlive(m1, layout)).toBe(3);
    const counts = groupKeptCounts(m1, layout);
    expect(Array.from(counts).filter((c) => c === 4).length).toBe(3);
    const m2 = maskStructured(v, m1, layout, 100);
    expect(maskKept(m2)).toBe(0);
  });
});
