/**
 * Causal uPIT-LSTM forward pass (Kolbæk et al., TASLP 2017), written once as stages over LayerOps
 * like the enhancement nets (../stages.ts); tensors and names: ./upitLstmLayout.ts.
 *   mixture magnitude [B, T, bins] → masks [B, C, T, bins] (ReLU, unbounded above)
 * Speaker s's magnitude estimate is masks[:, s] ⊙ input; the runtime will give it the mixture phase.
 * One stage per LSTM layer, then one for the C mask layers. Causal: unidirectional LSTMs and
 * frame-wise Linear layers.
 */
import * as torch from '../../torch/torch.js';
import { linearLayer } from '../layers.js';
import type { Stage } from '../stages.js';
import { UPIT_LSTM_NAMES as NAMES } from './upitLstmLayout.js';
import type { UpitLstmHParams } from './sizes.js';

/** LSTM layers 0 … layers − 1, then the masks. */
export function upitLstmStages(h: UpitLstmHParams): Stage[] {
  const stages: Stage[] = [];
  for (let l = 0; l < h.layers; l++) {
    stages.push({ name: `rnn.${l}`, run: (ops, s) => ({ x: ops.lstm(NAMES.lstm, l, s.x) }) });
  }
  stages.push({
    name: 'masks',
    run: (ops, s) => {
      const masks = Array.from({ length: h.speakers }, (_, k) => linearLayer(ops.w, NAMES.mask(k), s.x).relu()); // C × [B, T, bins]
      return { x: torch.stack(masks, 1) };
    },
  });
  return stages;
}
