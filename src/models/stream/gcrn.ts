/**
 * GCRN, one frame (batch 1), following src/models/gcrn.ts. Every conv has a time kernel of 1, so the
 * only state is the grouped LSTM's: h/c of LSTM `glstm.lstm_list{l}.{g}` (state keys
 * `glstm.lstm_list{l}.{g}/h`, `/c`, [1, 1, F/G]). Tensor names: src/models/gcrnLayout.ts.
 */
import * as torch from '../../train/torch.js';
import type { Tensor } from '../../train/torch.js';
import type { GcrnHParams } from '../gcrnLayout.js';
import { batchNormLayer, layerNormLayer, linearLayer } from '../layers.js';
import { gatedConv2dStep, gatedConvTranspose2dStep, lstmStep } from './layers.js';
import type { StreamState } from './state.js';
import type { StreamWeights } from './weights.js';

/** Grouped LSTM step: x [1, 1, F] → [1, 1, F] (groups interleaved between layers, concatenated after the last). */
export function groupedLstmStep(w: StreamWeights, hp: GcrnHParams, st: StreamState, x: Tensor): Tensor {
  let y = x; // [1, 1, F]
  for (let l = 1; l <= hp.lstmLayers; l++) {
    const chunks = y.chunk(hp.lstmGroups, -1); // G × [1, 1, F/G]
    const outs = chunks.map((chunk, g) => lstmStep(w, `glstm.lstm_list${l}.${g}`, st, chunk.contiguous(), 1)); // G × [1, 1, F/G]
    y = l < hp.lstmLayers ? torch.stack(outs, -1).flatten(-2, -1) : torch.cat(outs, -1); // [1, 1, F]
    y = layerNormLayer(w.lookup, `glstm.ln${l}`, y);
  }
  return y;
}

/** Noisy STFT frame t [1, 2, 1, 161] (real, imaginary) → estimated clean STFT frame [1, 2, 1, 161]. */
export function gcrnStreamStep(w: StreamWeights, hp: GcrnHParams, st: StreamState, spectrum: Tensor): Tensor {
  const n = hp.encChannels.length;
  const conv = { strideW: hp.strideBins, padW: 0 };
  const skips: Tensor[] = []; // skips[i − 1] = e_i [1, C_i, 1, W_i]
  let x = spectrum; // [1, 2, 1, 161]
  for (let i = 1; i <= n; i++) {
    x = gatedConv2dStep(w, `conv${i}`, st, x, conv); // [1, C_i, 1, W_i]
    x = batchNormLayer(w.lookup, `bn${i}`, x, false).elu();
    skips.push(x);
  }
  const [, c, , width] = x.shape;
  const lstmOut = groupedLstmStep(w, hp, st, x.reshape([1, 1, c * width])).reshape([1, c, 1, width]); // [1, C_N, 1, W_N]
  const decoderInput = torch.cat([lstmOut, skips[n - 1]], 1); // [1, 2·C_N, 1, W_N]
  const outputs: Tensor[] = [];
  for (const d of [1, 2]) {
    let y = decoderInput;
    for (let i = n; i >= 1; i--) {
      y = gatedConvTranspose2dStep(w, `conv${i}_t_${d}`, st, y, { ...conv, outputPadW: hp.decOutputPads[i - 1] }); // [1, D_i, 1, W_{i−1}]
      y = batchNormLayer(w.lookup, `bn${i}_t_${d}`, y, false);
      y = (i > 1 ? torch.cat([y, skips[i - 2]], 1) : y).elu(); // Tan's order: ELU after the skip concatenation
    }
    outputs.push(linearLayer(w.lookup, `fc${d}`, y)); // [1, 1, 1, 161]
  }
  return torch.cat(outputs, 1); // [1, 2, 1, 161]
}
