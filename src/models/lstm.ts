/**
 * LSTM forward pass over libtorch (architecture and tensor names: lstmLayout.ts). Unidirectional,
 * hence causal.
 */
import type { Tensor } from '../train/torch.js';
import type { LstmHParams } from './lstmLayout.js';
import { linearLayer, lstmLayer, type Weights } from './layers.js';

/** Noisy magnitude [B, T, 161] → estimated clean magnitude [B, T, 161] (≥ 0). */
export function lstmForward(w: Weights, hp: LstmHParams, magnitude: Tensor): Tensor {
  const h = lstmLayer(w, 'lstm', magnitude, hp.layers); // [B, T, H]
  return linearLayer(w, 'fc', h).relu(); // [B, T, 161]
}
