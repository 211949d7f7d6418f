/**
 * The four networks over libtorch: shapes, names, hand-computed forward passes, causality.
 * Skipped when the addon is not built (`npm run build:native`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '../../src/torch/torch.js';
import {
  ARCH_NAMES, gcrnHParams, paramInitValues, paramSpecs, presetConfig, type ArchConfig, type ArchName,
} from '../../src/models/index.js';
import {
  batchOps, causalConv1dLayer, causalConv2dLayer, causalConvTranspose2dLayer, createNet, groupedLstmLayer, type Net,
} from '../../src/models/nets.js';
import { randomF32 } from '../helpers/signals.js';
import { inputShape } from '../helpers/shapes.js';

const available = torch.isTorchAvailable();
const suite = available ? describe : describe.skip;

/** Index of the time axis in inputs and outputs. */
const TIME_DIM: Record<ArchName, number> = { fdnn: 1, lstm: 1, tcnn: 1, gcrn: 2 };

/** Runs `net` in inference mode on host data and returns the output as host data. */
function run(net: Net, shape: number[], data: Float32Array): { shape: number[]; data: Float32Array } {
  return torch.tidy(() => {
    const y = torch.noGrad(() => net.forward(torch.tensor(data, shape), { training: false }));
    return { shape: y.shape, data: y.toFloat32Array() };
  });
}

/** Flat index range of frames [t0, t1) for a row-major tensor whose time axis is `dim`. */
function framesSlice(shape: number[], dim: number, data: Float32Array, t0: number, t1: number): number[] {
  const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, dim).reduce((a, b) => a * b, 1);
  const t = shape[dim];
  const out: number[] = [];
  for (let o = 0; o < outer; o++) for (let f = t0; f < t1; f++) for (let i = 0; i < inner; i++) out.push(data[(o * t + f) * inner + i]);
  return out;
}

const nets: Net[] = [];
function net(config: ArchConfig, seed = 1): Net {
  const n = createNet(config, { seed });
  nets.push(n);
  return n;
}
afterAll(() => {
  for (const n of nets) n.dispose();
});

suite('networks over libtorch', () => {
  for (const arch of ARCH_NAMES) {
    it(`${arch} tiny: tensors equal paramSpecs; output shape equals input shape`, () => {
      const config = presetConfig(arch, 'tiny');
      const n = net(config);
      const specs = paramSpecs(config);
      expect([...n.tensors.keys()]).toEqual(specs.map((s) => s.name));
      for (const s of specs) {
        const t = n.tensors.get(s.name)!;
        expect(t.shape).toEqual(s.shape);
        expect(t.requiresGrad).toBe(!s.buffer);
      }
      const shape = inputShape(arch, 2, 7);
      const y = run(n, shape, randomF32(shape.reduce((a, b) => a * b, 1), 3));
      expect(y.shape).toEqual(shape);
      expect(y.data.every(Number.isFinite)).toBe(true);
    });

    it(`${arch} tiny: causal — changing frames ≥ t0 leaves outputs before t0 unchanged`, () => {
      const n = net(presetConfig(arch, 'tiny'), 2);
      const t = 12;
      const t0 = 5;
      const shape = inputShape(arch, 1, t);
      const x = randomF32(shape.reduce((a, b) => a * b, 1), 4);
      const x2 = x.slice();
      // Replace frames t0 … T−1 with other noise.
      const dim = TIME_DIM[arch];
      const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
      const outer = shape.slice(0, dim).reduce((a, b) => a * b, 1);
      const other = randomF32(x.length, 99);
      for (let o = 0; o < outer; o++) for (let f = t0; f < t; f++) for (let i = 0; i < inner; i++) {
        const k = (o * t + f) * inner + i;
        x2[k] = other[k];
      }
      const y = run(n, shape, x);
      const y2 = run(n, shape, x2);
      expect(framesSlice(y2.shape, dim, y2.data, 0, t0)).toEqual(framesSlice(y.shape, dim, y.data, 0, t0));
      // Not vacuous: frame t0 itself does change.
      expect(framesSlice(y2.shape, dim, y2.data, t0, t0 + 1)).not.toEqual(framesSlice(y.shape, dim, y.data, t0, t0 + 1));
    });

    it(`${arch} tiny: training step reaches every parameter and updates BatchNorm statistics`, () => {
      const n = net(presetConfig(arch, 'tiny'), 5);
      const shape = inputShape(arch, 2, 6);
      torch.tidy(() => {
        const x = torch.tensor(randomF32(shape.reduce((a, b) => a * b, 1), 6), shape);
        const y = n.forward(x, { training: true });
        y.square().mean().backward();
      });
      for (const p of n.parameters()) {
        const g = p.grad;
        expect(g, 'gradient').not.toBeNull();
        g!.dispose();
      }
      for (const [name, t] of n.tensors) {
        if (name.endsWith('num_batches_tracked')) expect(t.item()).toBe(1);
        if (name.endsWith('running_var')) expect(Array.from(t.toFloat32Array()).some((v) => v !== 1)).toBe(true);
      }
    });
  }

  it('FDNN equals a plain-TS forward with the same weights', () => {
    const config = presetConfig('fdnn', 'tiny');
    const n = net(config, 11);
    const w = paramInitValues(paramSpecs(config), 11);
    const x = randomF32(3 * 161, 12).map(Math.abs);
    const y = run(n, [1, 3, 161], x);
    const dense = (v: Float32Array, name: string, inF: number, outF: number): Float64Array => {
      const wt = w.get(`${name}.weight`)!;
      const b = w.get(`${name}.bias`)!;
      const out = new Float64Array(outF);
      for (let o = 0; o < outF; o++) {
        let s = b[o];
        for (let i = 0; i < inF; i++) s += wt[o * inF + i] * v[i];
        out[o] = s;
      }
      return out;
    };
    for (let t = 0; t < 3; t++) {
      const h = dense(x.subarray(t * 161, (t + 1) * 161), 'fc1', 161, 16).map((v) => Math.max(0, v));
      const z = dense(Float32Array.from(h), 'out', 16, 161).map((v) => 1 / (1 + Math.exp(-v)));
      for (let f = 0; f < 161; f++) expect(y.data[t * 161 + f]).toBeCloseTo(z[f], 5);
    }
  });

  it('2-layer LSTM equals a plain-TS LSTM (gate order i, f, g, o) with the same weights', () => {
    const config: ArchConfig = { arch: 'lstm', hparams: { lstm_units: 6, lstm_layers: 2 } };
    const n = net(config, 13);
    const w = paramInitValues(paramSpecs(config), 13);
    const t = 4;
    const x = randomF32(t * 161, 14);
    const y = run(n, [1, t, 161], x);
    const h1 = lstmReference(w, 'lstm', 0, x, t, 161, 6);
    const ref = lstmReference(w, 'lstm', 1, Float32Array.from(h1), t, 6, 6);
    const fw = w.get('fc.weight')!;
    const fb = w.get('fc.bias')!;
    for (let s = 0; s < t; s++) {
      for (let f = 0; f < 161; f++) {
        let v = fb[f];
        for (let k = 0; k < 6; k++) v += fw[f * 6 + k] * ref[s * 6 + k];
        expect(y.data[s * 161 + f]).toBeCloseTo(Math.max(0, v), 5);
      }
    }
  });

  it('GCRN grouped LSTM interleaves group outputs between layers (Tan’s GLSTM)', () => {
    const config = presetConfig('gcrn', 'tiny');
    const hp = gcrnHParams(config);
    const n = net(config, 15);
    const w = paramInitValues(paramSpecs(config), 15);
    const f = hp.features; // 16 = 4 channels · 4 bins
    const g = hp.lstmGroups;
    const h = f / g;
    const t = 3;
    const x = randomF32(t * f, 16);
    const y = torch.tidy(() =>
      torch.noGrad(() => {
        const ops = batchOps((name) => n.tensors.get(name)!, false);
        let y = torch.tensor(x, [1, t, f]);
        for (let l = 1; l <= hp.lstmLayers; l++) y = groupedLstmLayer(ops, hp, l, y);
        return y.toFloat32Array();
      }),
    );
    // Plain TS: layer 1 per group, interleave, LayerNorm; layer 2 per group, concatenate, LayerNorm.
    let cur = x;
    for (let l = 1; l <= 2; l++) {
      const next = new Float32Array(t * f);
      for (let gi = 0; gi < g; gi++) {
        const chunk = new Float32Array(t * h);
        for (let s = 0; s < t; s++) for (let k = 0; k < h; k++) chunk[s * h + k] = cur[s * f + gi * h + k];
        const out = lstmReference(w, `glstm.lstm_list${l}.${gi}`, 0, chunk, t, h, h);
        for (let s = 0; s < t; s++) {
          for (let k = 0; k < h; k++) next[s * f + (l === 1 ? k * g + gi : gi * h + k)] = out[s * h + k];
        }
      }
      cur = layerNormReference(next, t, f, w.get(`glstm.ln${l}.weight`)!, w.get(`glstm.ln${l}.bias`)!);
    }
    for (let i = 0; i < y.length; i++) expect(y[i]).toBeCloseTo(cur[i], 5);
  });

  it('causal conv taps: Conv2d tap kT−1 and ConvTranspose2d tap 0 act on the current frame', () => {
    // x [1, 1, T = 3, W = 1] = frames 1, 10, 100; kernels (2, 1) with taps [a, b] = [2, 3].
    const tensors = new Map([
      ['c.weight', torch.tensor([2, 3], [1, 1, 2, 1])],
      ['c.bias', torch.tensor([0], [1])],
    ]);
    const w = (name: string) => tensors.get(name)!;
    const out = torch.tidy(() => {
      const x = torch.tensor([1, 10, 100], [1, 1, 3, 1]);
      const conv = causalConv2dLayer(w, 'c', x, { strideW: 1, padW: 0 }).toFloat32Array();
      const deconv = causalConvTranspose2dLayer(w, 'c', x, { strideW: 1, padW: 0, outputPadW: 0 }).toFloat32Array();
      const conv1 = causalConv1dLayer(
        (n) => (n === 'c.weight' ? w(n).reshape([1, 1, 2]) : w(n)), 'c', x.reshape([1, 1, 3]), 2,
      ).toFloat32Array();
      return { conv: Array.from(conv), deconv: Array.from(deconv), conv1: Array.from(conv1) };
    });
    for (const t of tensors.values()) t.dispose();
    // conv: y[t] = 2·x[t−1] + 3·x[t];  deconv: y[t] = 2·x[t] + 3·x[t−1];  dilated (d = 2): 2·x[t−2] + 3·x[t]
    expect(out.conv).toEqual([3, 32, 320]);
    expect(out.deconv).toEqual([2, 23, 230]);
    expect(out.conv1).toEqual([3, 30, 302]);
  });

  it('paper GCRN and TCNN run with the paper geometry', () => {
    for (const arch of ['gcrn', 'tcnn'] as const) {
      const n = net(presetConfig(arch, 'paper'), 1);
      const shape = inputShape(arch, 1, 3);
      const y = run(n, shape, randomF32(shape.reduce((a, b) => a * b, 1), 1));
      expect(y.shape).toEqual(shape);
      n.dispose();
    }
  });

  it('loads given weights (the same values as a seeded initialisation)', () => {
    const config = presetConfig('tcnn', 'tiny');
    const specs = paramSpecs(config);
    const values = paramInitValues(specs, 21);
    const weights = new Map(specs.map((s) => [s.name, { shape: s.shape, data: values.get(s.name)! }])); // buffers too (int64 from f32)
    const a = net(config, 21);
    const b = createNet(config, { weights });
    nets.push(b);
    const shape = inputShape('tcnn', 1, 5);
    const x = randomF32(5 * 320, 22);
    expect(Array.from(run(b, shape, x).data)).toEqual(Array.from(run(a, shape, x).data));
    expect(() => createNet(config, { weights: new Map() })).toThrow(/missing/);
  });
});

/** Plain-TS single-layer LSTM (PyTorch semantics) over x [T, inF] → h [T, H]. */
function lstmReference(
  w: Map<string, Float32Array>, prefix: string, l: number, x: Float32Array, t: number, inF: number, hN: number,
): Float64Array {
  const wih = w.get(`${prefix}.weight_ih_l${l}`)!;
  const whh = w.get(`${prefix}.weight_hh_l${l}`)!;
  const bih = w.get(`${prefix}.bias_ih_l${l}`)!;
  const bhh = w.get(`${prefix}.bias_hh_l${l}`)!;
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  let h = new Float64Array(hN);
  const c = new Float64Array(hN);
  const out = new Float64Array(t * hN);
  for (let s = 0; s < t; s++) {
    const gates = new Float64Array(4 * hN);
    for (let r = 0; r < 4 * hN; r++) {
      let v = bih[r] + bhh[r];
      for (let i = 0; i < inF; i++) v += wih[r * inF + i] * x[s * inF + i];
      for (let k = 0; k < hN; k++) v += whh[r * hN + k] * h[k];
      gates[r] = v;
    }
    const hNew = new Float64Array(hN);
    for (let k = 0; k < hN; k++) {
      const i = sig(gates[k]);
      const f = sig(gates[hN + k]);
      const g = Math.tanh(gates[2 * hN + k]);
      const o = sig(gates[3 * hN + k]);
      c[k] = f * c[k] + i * g;
      hNew[k] = o * Math.tanh(c[k]);
    }
    h = hNew;
    out.set(h, s * hN);
  }
  return out;
}

/** Plain-TS LayerNorm over the last dim of x [T, F] (eps 1e-5, biased variance). */
function layerNormReference(x: Float32Array, t: number, f: number, gamma: Float32Array, beta: Float32Array): Float32Array {
  const out = new Float32Array(t * f);
  for (let s = 0; s < t; s++) {
    let mean = 0;
    for (let i = 0; i < f; i++) mean += x[s * f + i];
    mean /= f;
    let v = 0;
    for (let i = 0; i < f; i++) v += (x[s * f + i] - mean) ** 2;
    v /= f;
    for (let i = 0; i < f; i++) out[s * f + i] = ((x[s * f + i] - mean) / Math.sqrt(v + 1e-5)) * gamma[i] + beta[i];
  }
  return out;
}

