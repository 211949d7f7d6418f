/**
 * A tiny `.hush` model for the demo tests, made on the fly: the `tiny` GCRN preset with seeded
 * PyTorch-default weights (src/models paramInitValues), every conv/linear/LSTM weight quantised to
 * K = 16 uniform levels over [min, max] and stored k-means-encoded (4-bit indices, like pipeline
 * C1's last stage), everything else f32. It enhances nothing useful; it exercises the whole path.
 */
import { kmeansFromDense, writeHush, type HushTensor } from '../../src/format/index.js';
import { paramInitValues, paramSpecs, presetConfig } from '../../src/models/index.js';

/** K of the quantised weights. */
const TINY_K = 16;

/** Snaps `data` to K uniform levels over its range (no level is exactly 0: 0 means "pruned"). */
function quantiseUniform(data: Float32Array, k: number): { values: Float32Array; codebook: Float32Array } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const levels = Array.from({ length: k }, (_, i) => (k === 1 || hi === lo ? lo : lo + ((hi - lo) * i) / (k - 1)));
  const codebook = Float32Array.from(new Set(Float32Array.from(levels.map((c) => (c === 0 ? 1e-6 : c)))));
  const values = data.map((v) => {
    let best = 0;
    for (let i = 1; i < codebook.length; i++) if (Math.abs(v - codebook[i]) < Math.abs(v - codebook[best])) best = i;
    return codebook[best];
  });
  return { values, codebook };
}

/** The tiny GCRN as `.hush` bytes (deterministic for a seed). */
export function tinyDemoModel(seed = 7): Uint8Array {
  const config = presetConfig('gcrn', 'tiny');
  const specs = paramSpecs(config);
  const init = paramInitValues(specs, seed);
  const tensors = new Map<string, HushTensor>();
  for (const s of specs) {
    if (s.name.endsWith('.num_batches_tracked')) continue;
    const data = Float32Array.from(init.get(s.name)!);
    const isWeight = s.kind === 'linear' || s.kind === 'lstm_ih' || s.kind === 'lstm_hh' || s.kind === 'conv' || s.kind === 'deconv';
    if (isWeight) {
      const q = quantiseUniform(data, TINY_K);
      tensors.set(s.name, kmeansFromDense(s.name, s.shape, q.values, q.codebook));
    } else {
      tensors.set(s.name, { encoding: 'f32', shape: s.shape.slice(), data });
    }
  }
  return writeHush({ config, tensors, metadata: { name: 'tiny-test', pipeline: 'c1', note: 'seeded weights, test only' } });
}
