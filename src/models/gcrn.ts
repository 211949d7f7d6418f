/**
 * GCRN forward pass over libtorch (architecture, geometry and tensor names: gcrnLayout.ts,
 * following Ke Tan's PyTorch module). Causal: every conv has a time kernel of 1, the grouped LSTM
 * is unidirectional, LayerNorm is per frame and BatchNorm in inference mode is per channel.
 */
import * as torch from '../train/torch.js';
import type { Tensor } from '../train/torch.js';
import type { GcrnHParams } from './gcrnLayout.js';
import {
  batchNormLayer, gatedConv2dLayer, gatedConvTranspose2dLayer, layerNormLayer, linearLayer, lstmLayer, type Weights,
} from './layers.js';

/**
 * Grouped LSTM (Tan's GLSTM): x [B, T, F] → [B, T, F]. Layer l splits its input into G
 * consecutive chunks of F/G features, runs LSTM `glstm.lstm_list{l}.{g}` on chunk g, then
 * interleaves the group outputs (all layers but the last: feature k·G + g = unit k of group g) or
 * concatenates them (last layer), then LayerNorm `glstm.ln{l}`.
 */
export function groupedLstm(w: Weights, hp: GcrnHParams, x: Tensor): Tensor {
  let y = x; // [B, T, F]
  for (let l = 1; l <= hp.lstmLayers; l++) {
    const chunks = y.chunk(hp.lstmGroups, -1); // G × [B, T, F/G]
    const outs = chunks.map((chunk, g) => lstmLayer(w, `glstm.lstm_list${l}.${g}`, chunk, 1)); // G × [B, T, F/G]
    y = l < hp.lstmLayers
      ? torch.stack(outs, -1).flatten(-2, -1) // [B, T, F/G, G] → [B, T, F], interleaved
      : torch.cat(outs, -1); // [B, T, F], concatenated
    y = layerNormLayer(w, `glstm.ln${l}`, y);
  }
  return y;
}

/** Noisy STFT [B, 2, T, 161] (real, imaginary) → estimated clean STFT [B, 2, T, 161]. */
export function gcrnForward(w: Weights, hp: GcrnHParams, spectrum: Tensor, training: boolean): Tensor {
  const n = hp.encChannels.length;
  const conv = { strideW: hp.strideBins, padW: 0 };
  const skips: Tensor[] = []; // skips[i − 1] = e_i [B, C_i, T, W_i]
  let x = spectrum; // [B, 2, T, 161]
  for (let i = 1; i <= n; i++) {
    x = gatedConv2dLayer(w, `conv${i}`, x, conv); // [B, C_i, T, W_i]
    x = batchNormLayer(w, `bn${i}`, x, training).elu();
    skips.push(x);
  }
  const [b, c, t, width] = x.shape;
  const seq = x.transpose(1, 2).reshape([b, t, c * width]); // [B, T, F], feature c·W + w
  const lstmOut = groupedLstm(w, hp, seq).reshape([b, t, c, width]).transpose(1, 2); // [B, C_N, T, W_N]
  const decoderInput = torch.cat([lstmOut, skips[n - 1]], 1); // [B, 2·C_N, T, W_N]
  const outputs: Tensor[] = [];
  for (const d of [1, 2]) {
    let y = decoderInput;
    for (let i = n; i >= 1; i--) {
      y = gatedConvTranspose2dLayer(w, `conv${i}_t_${d}`, y, { ...conv, outputPadW: hp.decOutputPads[i - 1] }); // [B, D_i, T, W_{i−1}]
      y = batchNormLayer(w, `bn${i}_t_${d}`, y, training);
      // Tan's order: ELU after concatenating the next skip, so skips pass through ELU twice.
      y = (i > 1 ? torch.cat([y, skips[i - 2]], 1) : y).elu(); // [B, D_i + C_{i−1}, T, W_{i−1}] or [B, 1, T, 161]
    }
    outputs.push(linearLayer(w, `fc${d}`, y)); // [B, 1, T, 161]
  }
  return torch.cat(outputs, 1); // [B, 2, T, 161]
}
