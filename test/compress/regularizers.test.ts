/**
 * Regularisers of eq. 7–9 (src/compress/regularizers.ts): graph term = host formula, gradients
 * as derived, zero and finite on pruned weights and groups. Skipped without the libtorch addon.
 */
import { describe, expect, it } from 'vitest';
import * as torch from '../../src/torch/torch.js';
import { Regularizer } from '../../src/compress/regularizers.js';
import { groupLayout, groupForEach } from '../../src/compress/groups.js';
import { maskApply, maskFull, maskStructured, maskUnstructured } from '../../src/compress/masks.js';

const available = torch.isTorchAvailable();
const suite = available ? describe : describe.skip;

function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) - 0.5);
}

suite('regularisers', () => {
  const fcSpec = { name: 'fc.weight', kind: 'linear' as const, shape: [3, 5] };
  const convSpec = { name: 'c.weight', kind: 'conv' as const, shape: [2, 2, 1, 3] };

  it('ℓ1 (eq. 7) = λ1 / n(W) · Σ|w| over kept weights, gradient λ1/n(W) · sign(w), 0 on pruned weights', () => {
    const v = values(15, 1);
    const mask = maskUnstructured(v, maskFull(15), 40);
    maskApply(v, mask);
    const t = torch.tensor(v, [3, 5], { requiresGrad: true }).keep();
    const reg = new Regularizer([{ spec: fcSpec, tensor: t, mask }], { kind: 'l1', lambda1: 0.5, lambda2: 0 });
    expect(reg.nonzeroWeights).toBe(9);
    const expected = (0.5 / 9) * v.reduce((a, x) => a + Math.abs(x), 0);
    torch.tidy(() => {
      const term = reg.term()!;
      expect(term.item()).toBeCloseTo(expected, 6);
      term.backward();
    });
    expect(reg.value().total).toBeCloseTo(expected, 6);
    const g = t.grad!.toFloat32Array();
    for (let i = 0; i < 15; i++) expect(g[i]).toBeCloseTo(mask[i] ? (0.5 / 9) * Math.sign(v[i]) : 0, 6);
    reg.dispose();
    t.dispose();
  });

  it('SGL (eq. 9) adds λ2 / n(G) · Σ √p_g ‖g‖₂ over columns and kernels; pruned groups get zero, finite gradients', () => {
    const v1 = values(15, 2);
    const v2 = values(12, 3);
    const l1 = groupLayout(fcSpec);
    const l2 = groupLayout(convSpec);
    const m1 = maskStructured(v1, maskFull(15), l1, 40); // 2 of 5 columns
    const m2 = maskStructured(v2, maskFull(12), l2, 50); // 2 of 4 kernels
    maskApply(v1, m1);
    maskApply(v2, m2);
    const t1 = torch.tensor(v1, fcSpec.shape, { requiresGrad: true }).keep();
    const t2 = torch.tensor(v2, convSpec.shape, { requiresGrad: true }).keep();
    const reg = new Regularizer(
      [{ spec: fcSpec, tensor: t1, mask: m1 }, { spec: convSpec, tensor: t2, mask: m2 }],
      { kind: 'sgl', lambda1: 0.1, lambda2: 0.3 },
    );
    expect(reg.nonzeroWeights).toBe(9 + 6);
    expect(reg.nonzeroGroups).toBe(3 + 2);
    let s1 = 0;
    let s21 = 0;
    for (const [v, layout] of [[v1, l1], [v2, l2]] as const) {
      for (let g = 0; g < layout.groups; g++) {
        let sq = 0;
        groupForEach(layout, g, (p) => {
          sq += v[p] * v[p];
          s1 += Math.abs(v[p]);
        });
        s21 += Math.sqrt(layout.size) * Math.sqrt(sq) * (sq > 0 ? 1 : 0);
      }
    }
    const expected = (0.1 / 15) * s1 + (0.3 / 5) * s21;
    torch.tidy(() => {
      const term = reg.term()!;
      expect(term.item()).toBeCloseTo(expected, 6);
      term.backward();
    });
    expect(reg.value().total).toBeCloseTo(expected, 6);
    for (const [t, m] of [[t1, m1], [t2, m2]] as const) {
      const g = t.grad!.toFloat32Array();
      for (let i = 0; i < g.length; i++) {
        expect(Number.isFinite(g[i])).toBe(true);
        if (!m[i]) expect(g[i]).toBe(0);
      }
    }
    reg.setLambdas(0, 0);
    expect(torch.tidy(() => reg.term()!.item())).toBe(0);
    reg.dispose();
    t1.dispose();
    t2.dispose();
  });

  it('kind none has no term', () => {
    const t = torch.tensor(values(15, 4), [3, 5]).keep();
    const reg = new Regularizer([{ spec: fcSpec, tensor: t, mask: maskFull(15) }], { kind: 'none', lambda1: 1, lambda2: 1 });
    expect(reg.term()).toBeNull();
    reg.dispose();
    t.dispose();
  });
});
