/**
 * LSTM net, one frame (batch 1): the stacked nn.LSTM steps from its h/c state (state keys
 * `lstm/h`, `lstm/c`, [layers, 1, H]), then the frame-wise output layer. Tensor names:
 * src/models/lstmLayout.ts.
 */
import type { Tensor } from '../../train/torch.js';
import type { LstmHParams } from '../lstmLayout.js';
import { linearLayer } from '../layers.js';
import { lstmStep } from './layers.js';
import type { StreamState } from './state.js';
import type { StreamWeights } from './weights.js';

/** Noisy magnitude of frame t [1, 1, 161] → clean magnitude estimate [1, 1, 161]. */
export function lstmStreamStep(w: StreamWeights, hp: LstmHParams, st: StreamState, magnitude: Tensor): Tensor {
  const h = lstmStep(w, 'lstm', st, magnitude, hp.layers); // [1, 1, H]
  return linearLayer(w.lookup, 'fc', h).relu(); // [1, 1, 161]
}
