/**
 * Initial parameter values as PyTorch's default initialisers would draw them (distributions, not
 * the same random numbers), from a seed, in plain TypeScript: the same seed gives the same weights
 * on every machine, with or without libtorch (the WASM parity tests use this too).
 *
 *   Linear, Conv1d/2d: weight kaiming_uniform(a = √5) and bias uniform, both U(±1/√fan_in) with
 *     fan_in = weight.size(1) · kernel elements (in/groups · k)
 *   ConvTranspose2d: the same formula on its [in, out/groups, kh, kw] weight, so fan_in =
 *     out/groups · kh · kw (PyTorch's _calculate_fan_in_and_fan_out reads size(1))
 *   LSTM: every weight and bias U(±1/√H)
 *   BatchNorm / LayerNorm: weight 1, bias 0; running_mean 0, running_var 1, num_batches_tracked 0;
 *     Conv-TasNet's cumulative LayerNorm (asteroid's names): gamma 1, beta 0
 *   PReLU: 0.25
 */
import type { ParamSpec } from './paramSpec.js';
import { shapeSize } from './paramSpec.js';

/**
 * mulberry32: a 32-bit-state PRNG, uniform in [0, 1) with 2^-32 resolution. Enough for weight
 * initialisation (we need reproducibility, not cryptographic or long-period quality).
 */
export function prngUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The uniform bound 1/√fan_in of every non-norm layer, from its weight tensors: layer name →
 * bound. LSTM layers use 1/√H.
 */
function layerBounds(specs: readonly ParamSpec[]): Map<string, number> {
  const bounds = new Map<string, number>();
  for (const s of specs) {
    if (s.kind === 'linear' || s.kind === 'conv' || s.kind === 'deconv') {
      bounds.set(s.layer, 1 / Math.sqrt(shapeSize(s.shape.slice(1))));
    } else if (s.kind === 'lstm_hh') {
      bounds.set(s.layer, 1 / Math.sqrt(s.shape[1]));
    }
  }
  return bounds;
}

/**
 * Initial values of every tensor of `specs` (parameters and buffers), drawn in spec order from a
 * PRNG seeded with `seed`. int64 buffers are returned as float values too.
 */
export function paramInitValues(specs: readonly ParamSpec[], seed: number): Map<string, Float32Array> {
  const next = prngUniform(seed);
  const bounds = layerBounds(specs);
  const out = new Map<string, Float32Array>();
  for (const s of specs) {
    const v = new Float32Array(shapeSize(s.shape));
    const isScale = s.name.endsWith('.weight') || s.name.endsWith('.running_var') || s.name.endsWith('.gamma');
    switch (s.kind) {
      case 'norm':
      case 'norm_stat':
        v.fill(isScale ? 1 : 0);
        break;
      case 'prelu':
        v.fill(0.25);
        break;
      default: {
        const bound = bounds.get(s.layer);
        if (bound === undefined) throw new Error(`paramInitValues: no weight found for layer ${s.layer} of ${s.name}`);
        for (let i = 0; i < v.length; i++) v[i] = (2 * next() - 1) * bound;
      }
    }
    out.set(s.name, v);
  }
  return out;
}
