import { describe, expect, it } from 'vitest';
import { paramInitValues, paramSpecs, presetConfig, prngUniform } from '../../src/models/index.js';

describe('paramInitValues', () => {
  it('is reproducible per seed and differs across seeds', () => {
    const specs = paramSpecs(presetConfig('fdnn', 'tiny'));
    const a = paramInitValues(specs, 7).get('fc1.weight')!;
    const b = paramInitValues(specs, 7).get('fc1.weight')!;
    const c = paramInitValues(specs, 8).get('fc1.weight')!;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('uses PyTorch default bounds: 1/√fan_in (Linear, Conv, ConvTranspose), 1/√H (LSTM)', () => {
    const check = (values: Float32Array, bound: number) => {
      let max = 0;
      for (const v of values) max = Math.max(max, Math.abs(v));
      expect(max).toBeLessThanOrEqual(bound);
      expect(max).toBeGreaterThan(0.9 * bound); // enough draws to come close to the bound
    };
    const fdnn = paramInitValues(paramSpecs(presetConfig('fdnn', 'tiny')), 1);
    check(fdnn.get('fc1.weight')!, 1 / Math.sqrt(161));
    check(fdnn.get('out.weight')!, 1 / Math.sqrt(16));
    const lstm = paramInitValues(paramSpecs(presetConfig('lstm', 'tiny')), 1);
    check(lstm.get('lstm.weight_ih_l0')!, 1 / Math.sqrt(8));
    check(lstm.get('lstm.bias_hh_l0')!, 1 / Math.sqrt(8));
    const gcrn = paramInitValues(paramSpecs(presetConfig('gcrn', 'paper')), 1);
    check(gcrn.get('conv2.conv1.weight')!, 1 / Math.sqrt(16 * 3)); // [32, 16, 1, 3]
    check(gcrn.get('conv5_t_1.conv1.weight')!, 1 / Math.sqrt(128 * 3)); // [512, 128, 1, 3]: fan_in from size(1)
    check(gcrn.get('conv5_t_1.conv1.bias')!, 1 / Math.sqrt(128 * 3));
  });

  it('norms start at identity, PReLU at 0.25, running statistics fresh', () => {
    const v = paramInitValues(paramSpecs(presetConfig('tcnn', 'tiny')), 3);
    expect(Array.from(v.get('encoder.0.bn.weight')!)).toEqual([1, 1]);
    expect(Array.from(v.get('encoder.0.bn.bias')!)).toEqual([0, 0]);
    expect(Array.from(v.get('encoder.0.bn.running_var')!)).toEqual([1, 1]);
    expect(Array.from(v.get('encoder.0.bn.running_mean')!)).toEqual([0, 0]);
    expect(Array.from(v.get('encoder.0.bn.num_batches_tracked')!)).toEqual([0]);
    expect(Array.from(v.get('tcm.0.1.prelu_dw.weight')!)).toEqual([0.25]);
  });

  it('prngUniform is uniform on [0, 1)', () => {
    const next = prngUniform(42);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < 10000; i++) {
      const u = next();
      min = Math.min(min, u);
      max = Math.max(max, u);
      sum += u;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(sum / 10000 - 0.5)).toBeLessThan(0.02);
  });
});
