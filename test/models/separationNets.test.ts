/**
 * The two separation nets over libtorch (issue 16, slice 2): layouts against the pure-arithmetic
 * counters of src/models/separation/sizes.ts (paper and edge), asteroid / funcwj tensor names,
 * shapes and causality, cumulative LayerNorm against a frame-by-frame loop, the uPIT losses
 * (invariance to swapping the references, the better permutation chosen) and gradients reaching every
 * parameter. The layout tests need no libtorch; the rest skip when the addon is not built.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as torch from '../../src/torch/torch.js';
import type { Tensor } from '../../src/torch/torch.js';
import {
  convTasNetMacsPerFrame, convTasNetParams, upitLstmMacsPerFrame, upitLstmParams,
} from '../../src/models/separation/sizes.js';
import {
  CONV_TASNET_PRESETS, CONV_TASNET_TINY, SEPARATION_PRESET_NAMES, UPIT_LSTM_PRESETS, UPIT_LSTM_TINY,
} from '../../src/models/separation/presets.js';
import {
  createSeparationNet, layoutMacsPerFrame, layoutParamCount, separationLayout, type SeparationConfig, type SeparationNet,
} from '../../src/models/separation/net.js';
import { CLN_EPS, cumulativeLayerNormLayer, cumulativeSum } from '../../src/models/separation/cumulativeLayerNorm.js';
import {
  magnitudeTarget, permutations, pitMaskMseLoss, pitSiSnrLoss, psaTarget, siSnrPairwise,
} from '../../src/models/separation/pit.js';
import { upitStftAnalyze } from '../../src/models/separation/upitStft.js';
import { UserError } from '../../src/errors.js';
import { randomF32 } from '../helpers/signals.js';

const available = torch.isTorchAvailable();
const suite = available ? describe : describe.skip;

const tasnet = (hp = CONV_TASNET_TINY): SeparationConfig => ({ arch: 'conv-tasnet', hp });
const upit = (hp = UPIT_LSTM_TINY): SeparationConfig => ({ arch: 'upit-lstm', hp });

describe('separation layouts = the size counters', () => {
  for (const preset of SEPARATION_PRESET_NAMES) {
    it(`conv-tasnet ${preset}: parameters and MACs per frame`, () => {
      const hp = CONV_TASNET_PRESETS[preset];
      const layout = separationLayout(tasnet(hp));
      expect(layoutParamCount(layout)).toBe(convTasNetParams(hp));
      expect(layoutMacsPerFrame(layout)).toBe(convTasNetMacsPerFrame(hp));
    });
    it(`upit-lstm ${preset}: parameters and MACs per frame`, () => {
      const hp = UPIT_LSTM_PRESETS[preset];
      const layout = separationLayout(upit(hp));
      expect(layoutParamCount(layout)).toBe(upitLstmParams(hp));
      expect(layoutMacsPerFrame(layout)).toBe(upitLstmMacsPerFrame(hp));
    });
  }

  it('the paper presets give Table VI\'s sizes (5,050,545 and 65,655,554 parameters)', () => {
    expect(layoutParamCount(separationLayout(tasnet(CONV_TASNET_PRESETS.paper)))).toBe(5_050_545);
    expect(layoutParamCount(separationLayout(upit(UPIT_LSTM_PRESETS.paper)))).toBe(65_655_554);
  });

  it('asteroid names for Conv-TasNet, funcwj names for uPIT-LSTM, in state-dict order', () => {
    const names = separationLayout(tasnet()).params.map((p) => p.name);
    expect(names.slice(0, 5)).toEqual([
      'encoder.filterbank._filters', 'masker.bottleneck.0.gamma', 'masker.bottleneck.0.beta',
      'masker.bottleneck.1.weight', 'masker.bottleneck.1.bias',
    ]);
    expect(names.slice(5, 19)).toEqual([
      'masker.TCN.0.shared_block.0.weight', 'masker.TCN.0.shared_block.0.bias', 'masker.TCN.0.shared_block.1.weight',
      'masker.TCN.0.shared_block.2.gamma', 'masker.TCN.0.shared_block.2.beta', 'masker.TCN.0.shared_block.3.0.weight',
      'masker.TCN.0.shared_block.3.0.bias', 'masker.TCN.0.shared_block.4.weight', 'masker.TCN.0.shared_block.5.gamma',
      'masker.TCN.0.shared_block.5.beta', 'masker.TCN.0.res_conv.weight', 'masker.TCN.0.res_conv.bias',
      'masker.TCN.0.skip_conv.weight', 'masker.TCN.0.skip_conv.bias',
    ]);
    expect(names.slice(-4)).toEqual([
      'masker.mask_net.0.weight', 'masker.mask_net.1.weight', 'masker.mask_net.1.bias', 'decoder.filterbank._filters',
    ]);
    const p = separationLayout(tasnet()).params;
    expect(p.find((s) => s.name === 'masker.TCN.2.shared_block.3.0.weight')?.shape).toEqual([16, 1, 3]);
    expect(p.find((s) => s.name === 'masker.mask_net.1.weight')?.shape).toEqual([32, 8, 1]);
    expect(separationLayout(upit({ ...UPIT_LSTM_TINY, layers: 2 })).params.map((s) => s.name)).toEqual([
      'rnn.weight_ih_l0', 'rnn.weight_hh_l0', 'rnn.bias_ih_l0', 'rnn.bias_hh_l0',
      'rnn.weight_ih_l1', 'rnn.weight_hh_l1', 'rnn.bias_ih_l1', 'rnn.bias_hh_l1',
      'linear.0.weight', 'linear.0.bias', 'linear.1.weight', 'linear.1.bias',
    ]);
  });

  it('variants that are only counted have no layout', () => {
    expect(() => separationLayout(tasnet({ ...CONV_TASNET_TINY, layout: 'naplab' }))).toThrow(UserError);
    expect(() => separationLayout(upit({ ...UPIT_LSTM_TINY, directions: 2 }))).toThrow(UserError);
    expect(() => separationLayout(upit({ ...UPIT_LSTM_TINY, biasVectors: 1 }))).toThrow(UserError);
  });
});

suite('separation nets over libtorch', () => {
  let threads = 1;
  const nets: SeparationNet[] = [];
  beforeAll(() => {
    threads = torch.getNumThreads();
    torch.setNumThreads(1);
  });
  afterAll(() => {
    for (const n of nets) n.dispose();
    torch.setNumThreads(threads);
  });
  const make = (c: SeparationConfig, seed = 1) => {
    const n = createSeparationNet(c, { seed });
    nets.push(n);
    return n;
  };
  const run = (n: SeparationNet, data: Float32Array, shape: number[]) =>
    torch.tidy(() => {
      const y = torch.noGrad(() => n.forward(torch.tensor(data, shape), { training: false }));
      return { shape: y.shape, data: y.toFloat32Array() };
    });

  it('cumulativeSum equals a running sum (lengths around the block size)', () => {
    for (const t of [1, 2, 15, 16, 17, 100]) {
      const x = randomF32(3 * t, t);
      const y = torch.tidy(() => cumulativeSum(torch.tensor(x, [3, t])).toFloat32Array());
      for (let r = 0; r < 3; r++) {
        let acc = 0;
        for (let k = 0; k < t; k++) {
          acc += x[r * t + k];
          expect(Math.abs(y[r * t + k] - acc)).toBeLessThan(1e-5);
        }
      }
    }
  });

  it('cLN equals a frame-by-frame loop over running Σx, Σx² and the frame count', () => {
    const [b, c, t] = [2, 5, 37];
    const x = randomF32(b * c * t, 7, -2, 3);
    const gamma = randomF32(c, 8, 0.5, 1.5);
    const beta = randomF32(c, 9);
    const got = torch.tidy(() => {
      const w = (name: string) => torch.tensor(name.endsWith('gamma') ? gamma : beta, [c]);
      return cumulativeLayerNormLayer(w, 'n', torch.tensor(x, [b, c, t])).toFloat32Array();
    });
    for (let i = 0; i < b; i++) {
      let sum = 0;
      let sumSq = 0;
      for (let k = 0; k < t; k++) {
        for (let ch = 0; ch < c; ch++) {
          const v = x[(i * c + ch) * t + k];
          sum += v;
          sumSq += v * v;
        }
        const n = c * (k + 1);
        const mean = sum / n;
        const std = Math.sqrt(sumSq / n - mean * mean + CLN_EPS);
        for (let ch = 0; ch < c; ch++) {
          const want = (gamma[ch] * (x[(i * c + ch) * t + k] - mean)) / std + beta[ch];
          expect(Math.abs(got[(i * c + ch) * t + k] - want)).toBeLessThan(1e-4);
        }
      }
    }
  });

  it('tensors equal the layout; Conv-TasNet [B, S] → [B, 2, S], uPIT [B, T, F] → [B, 2, T, F] masks ≥ 0', () => {
    for (const c of [tasnet(), upit()]) {
      const n = make(c);
      const specs = separationLayout(c).params;
      expect([...n.tensors.keys()]).toEqual(specs.map((s) => s.name));
      for (const s of specs) expect(n.tensors.get(s.name)?.shape).toEqual(s.shape);
    }
    const y = run(make(tasnet()), randomF32(2 * 203, 3), [2, 203]);
    expect(y.shape).toEqual([2, 2, 203]);
    expect(y.data.every(Number.isFinite)).toBe(true);
    expect(() => run(make(tasnet()), randomF32(203, 3), [1, 1, 203])).toThrow(/expected input \[B, S\]/);
    expect(() => run(make(upit()), randomF32(9 * 80, 3), [1, 9, 80])).toThrow(/expected input \[B, T, 81\]/);
    const m = run(make(upit()), randomF32(2 * 9 * 81, 4, 0, 1), [2, 9, 81]);
    expect(m.shape).toEqual([2, 2, 9, 81]);
    expect(m.data.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
  });

  it('Conv-TasNet is causal up to its L-sample encoder window; uPIT-LSTM in frames', () => {
    const h = CONV_TASNET_TINY;
    const s = 400;
    const n0 = 200; // change samples ≥ n0: outputs < n0 − L + 1 must not move
    const x = randomF32(s, 11);
    const x2 = x.slice();
    x2.set(randomF32(s - n0, 12), n0);
    const n = make(tasnet());
    const a = run(n, x, [1, s]).data;
    const b = run(n, x2, [1, s]).data;
    const safe = n0 - h.L + 1; // (⌊n/8⌋ + 2)·8 ≤ n0 for every n < n0 − 15
    for (const sp of [0, 1]) for (let i = 0; i < safe; i++) expect(a[sp * s + i]).toBe(b[sp * s + i]);
    let moved = 0;
    for (let i = n0; i < s; i++) moved = Math.max(moved, Math.abs(a[i] - b[i]));
    expect(moved).toBeGreaterThan(0);

    const u = make(upit());
    const t = 10;
    const t0 = 6;
    const m = randomF32(t * 81, 13, 0, 1);
    const m2 = m.slice();
    m2.set(randomF32((t - t0) * 81, 14, 0, 1), t0 * 81);
    const ya = run(u, m, [1, t, 81]).data;
    const yb = run(u, m2, [1, t, 81]).data;
    for (const sp of [0, 1]) for (let i = 0; i < t0 * 81; i++) expect(ya[sp * t * 81 + i]).toBe(yb[sp * t * 81 + i]);
  });

  it('permutations', () => {
    expect(permutations(2)).toEqual([[0, 1], [1, 0]]);
    expect(permutations(3)).toHaveLength(6);
  });

  it('PIT SI-SNR: swapping the references leaves the loss unchanged and swaps the chosen permutation; the better one is chosen', () => {
    const s = 256;
    const r1 = randomF32(s, 21);
    const r2 = randomF32(s, 22);
    const noise = randomF32(s, 23, -0.1, 0.1);
    // Output 0 ≈ reference 1, output 1 ≈ reference 0 (utterance 0); the identity (utterance 1).
    const est = new Float32Array([...r2.map((v, i) => v + noise[i]), ...r1, ...r1.map((v, i) => v + noise[i]), ...r2]);
    const ref = new Float32Array([...r1, ...r2, ...r1, ...r2]);
    const refSwapped = new Float32Array([...r2, ...r1, ...r2, ...r1]);
    torch.tidy(() => {
      const e = torch.tensor(est, [2, 2, s]);
      const a = pitSiSnrLoss(e, torch.tensor(ref, [2, 2, s]));
      const b = pitSiSnrLoss(e, torch.tensor(refSwapped, [2, 2, s]));
      expect(a.perms).toEqual([[1, 0], [0, 1]]);
      expect(b.perms).toEqual([[0, 1], [1, 0]]);
      expect(Math.abs(a.loss.item() - b.loss.item())).toBeLessThan(1e-5);
      // The chosen score is the better of the two permutations, computed by hand from the pairs.
      const pair = siSnrPairwise(e, torch.tensor(ref, [2, 2, s])).toFloat32Array(); // [2, 2, 2]
      const best0 = Math.max((pair[0] + pair[3]) / 2, (pair[1] + pair[2]) / 2);
      const best1 = Math.max((pair[4] + pair[7]) / 2, (pair[5] + pair[6]) / 2);
      expect(best0).toBe((pair[1] + pair[2]) / 2);
      expect(Math.abs(a.loss.item() + (best0 + best1) / 2)).toBeLessThan(1e-4);
      // A scaled copy has the SI-SNR of the unscaled one (scale invariance), far above the noisy pair.
      expect(pair[2]).toBeGreaterThan(60);
    });
  });

  it('PIT PSA: swapping the references leaves the loss unchanged; the better permutation is chosen; PSA ≤ |X|', () => {
    const [t, f] = [6, 81];
    torch.tidy(() => {
      const yr = torch.tensor(randomF32(t * f, 31), [1, t, f]);
      const yi = torch.tensor(randomF32(t * f, 32), [1, t, f]);
      const xr = torch.tensor(randomF32(2 * t * f, 33), [1, 2, t, f]);
      const xi = torch.tensor(randomF32(2 * t * f, 34), [1, 2, t, f]);
      const target = psaTarget(yr, yi, xr, xi); // [1, 2, T, F]
      const mag = magnitudeTarget(xr, xi);
      expect(target.sub(mag).max().item()).toBeLessThanOrEqual(1e-6);
      const mixMag = yr.square().add(yi.square()).sqrt();
      // Masks that reproduce the targets in swapped order (where the target is ≥ 0): perm [1, 0].
      const ideal = target.div(mixMag.unsqueeze(1)).clamp(0);
      const masks = torch.cat([ideal.narrow(1, 1, 1), ideal.narrow(1, 0, 1)], 1);
      const a = pitMaskMseLoss(masks, mixMag, target);
      const swapped = torch.cat([target.narrow(1, 1, 1), target.narrow(1, 0, 1)], 1);
      const b = pitMaskMseLoss(masks, mixMag, swapped);
      expect(a.perms).toEqual([[1, 0]]);
      expect(b.perms).toEqual([[0, 1]]);
      expect(Math.abs(a.loss.item() - b.loss.item())).toBeLessThan(1e-7);
      // The identity would cost more than the chosen permutation.
      const identity = masks.mul(mixMag.unsqueeze(1)).sub(target).square().mean().item();
      expect(a.loss.item()).toBeLessThan(identity);
    });
  });

  it('gradients of the PIT losses reach every parameter of both nets (but the last block\'s unused residual conv)', () => {
    // The masks read the skip sum only, so the last block's residual output feeds nothing — as in
    // asteroid's module and the authors' (its tensors are part of the paper's 19.27 MB all the same).
    const last = CONV_TASNET_TINY.X * CONV_TASNET_TINY.R - 1;
    const DEAD = new Set([`masker.TCN.${last}.res_conv.weight`, `masker.TCN.${last}.res_conv.bias`]);
    const cases: { c: SeparationConfig; loss: (n: SeparationNet) => Tensor }[] = [
      {
        c: tasnet(),
        loss: (n) => pitSiSnrLoss(n.forward(torch.tensor(randomF32(2 * 300, 41), [2, 300]), { training: true }),
          torch.tensor(randomF32(2 * 2 * 300, 42), [2, 2, 300])).loss,
      },
      {
        c: upit(),
        loss: (n) => {
          const mag = torch.tensor(randomF32(2 * 8 * 81, 43, 0, 1), [2, 8, 81]);
          return pitMaskMseLoss(n.forward(mag, { training: true }), mag, torch.tensor(randomF32(2 * 2 * 8 * 81, 44, 0, 1), [2, 2, 8, 81])).loss;
        },
      },
    ];
    for (const { c, loss } of cases) {
      const n = make(c, 5);
      torch.tidy(() => {
        for (const p of n.parameters()) p.zeroGrad();
        loss(n).backward();
        for (const [name, p] of n.tensors) {
          const g = p.grad;
          if (DEAD.has(name)) {
            expect(g === null || g.abs().sum().item() === 0, `${name} should be unused`).toBe(true);
            continue;
          }
          expect(g, `${c.arch} ${name} has no gradient`).not.toBeNull();
          expect(g!.abs().sum().item(), `${c.arch} ${name} gradient is zero`).toBeGreaterThan(0);
        }
      });
    }
  });

  it('upitStftAnalyze: ⌈L/hop⌉ + 1 frames of 81 bins; a DC signal has energy in bin 0 only (within the signal)', () => {
    const x = new Float32Array(800).fill(0.5);
    const spec = upitStftAnalyze(UPIT_LSTM_TINY, x);
    expect(spec.frames).toBe(11);
    const t = 5;
    expect(spec.re[t * 81]).toBeCloseTo(0.5 * 0.54 * 160, 6);
    for (let k = 2; k < 81; k++) expect(Math.hypot(spec.re[t * 81 + k], spec.im[t * 81 + k])).toBeLessThan(1e-9);
  });
});
