/**
 * FDNN, one frame (batch 1): frame-wise, so it needs no stream state; written out for symmetry with
 * the other nets and so that the libtorch per-frame baseline runs the same calls per hop as the
 * WASM runtime's fdnnStep. Tensor names: src/models/fdnnLayout.ts.
 */
import type { Tensor } from '../../train/torch.js';
import type { FdnnHParams } from '../fdnnLayout.js';
import { linearLayer } from '../layers.js';
import type { StreamWeights } from './weights.js';

/** Noisy magnitude of frame t [1, 1, 161] → IRM estimate [1, 1, 161]. */
export function fdnnStreamStep(w: StreamWeights, hp: FdnnHParams, magnitude: Tensor): Tensor {
  let x = magnitude;
  for (let i = 1; i <= hp.hiddenUnits.length; i++) x = linearLayer(w.lookup, `fc${i}`, x).relu(); // [1, 1, units_i]
  return linearLayer(w.lookup, 'out', x).sigmoid(); // [1, 1, 161]
}
