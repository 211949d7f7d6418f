/**
 * FDNN forward pass over libtorch (architecture and tensor names: fdnnLayout.ts).
 * Frame-wise, hence trivially causal.
 */
import type { Tensor } from '../train/torch.js';
import type { FdnnHParams } from './fdnnLayout.js';
import { linearLayer, type Weights } from './layers.js';

/** Noisy magnitude [B, T, 161] → estimated IRM [B, T, 161] in (0, 1). */
export function fdnnForward(w: Weights, hp: FdnnHParams, magnitude: Tensor): Tensor {
  let x = magnitude; // [B, T, 161]
  for (let i = 1; i <= hp.hiddenUnits.length; i++) x = linearLayer(w, `fc${i}`, x).relu(); // [B, T, units_i]
  return linearLayer(w, 'out', x).sigmoid(); // [B, T, 161]
}
