/**
 * LSTM-net forward pass, written once as stages over LayerOps (architecture and tensor names:
 * lstmLayout.ts). Unidirectional, hence causal.
 *   noisy magnitude [B, T, 161] → stacked LSTM layers [B, T, H] → Linear + ReLU = clean magnitude [B, T, 161]
 */
import { LSTM_NAMES, type LstmHParams } from './lstmLayout.js';
import { linearLayer } from './layers.js';
import type { Stage } from './stages.js';

/** One stage per LSTM layer (layer l of the stacked nn.LSTM alone), then the output layer. */
export function lstmStages(hp: LstmHParams): Stage[] {
  const stages: Stage[] = [];
  for (let l = 0; l < hp.layers; l++) {
    stages.push({ name: `${LSTM_NAMES.lstm}.l${l}`, run: (ops, s) => ({ x: ops.lstm(LSTM_NAMES.lstm, l, s.x) }) }); // [B, T, H]
  }
  stages.push({ name: LSTM_NAMES.out, run: (ops, s) => ({ x: linearLayer(ops.w, LSTM_NAMES.out, s.x).relu() }) }); // [B, T, 161]
  return stages;
}
