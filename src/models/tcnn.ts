/**
 * TCNN forward pass over libtorch (architecture, geometry and tensor names: tcnnLayout.ts).
 * Causal: encoder/decoder convs see the current and kernel_frames − 1 previous frames, the TCM's
 * depthwise convs are left-padded by dilation·(k − 1), BatchNorm in inference mode is per-channel.
 */
import * as torch from '../train/torch.js';
import type { Tensor } from '../train/torch.js';
import type { TcnnHParams } from './tcnnLayout.js';
import {
  batchNormLayer, causalConv1dLayer, causalConv2dLayer, causalConvTranspose2dLayer, preluLayer, type Weights,
} from './layers.js';

/** Noisy frames [B, T, 320] → enhanced frames [B, T, 320] (to be overlap-added, 50 %). */
export function tcnnForward(w: Weights, hp: TcnnHParams, frames: Tensor, training: boolean): Tensor {
  const n = hp.encChannels.length;
  let x = frames.unsqueeze(1); // [B, 1, T, 320]
  const skips: Tensor[] = [];
  for (let j = 0; j < n; j++) {
    const p = `encoder.${j}`;
    x = causalConv2dLayer(w, `${p}.conv`, x, { strideW: hp.encStrides[j], padW: hp.encPads[j] }); // [B, C_j, T, W_{j+1}]
    x = preluLayer(w, `${p}.prelu`, batchNormLayer(w, `${p}.bn`, x, training));
    skips.push(x);
  }
  const [b, c, t, width] = x.shape;
  let f = x.permute([0, 1, 3, 2]).reshape([b, c * width, t]); // [B, F = C·W, T], feature c·W + w
  for (let s = 0; s < hp.tcmStacks; s++) {
    hp.tcmDilations.forEach((d, r) => {
      const p = `tcm.${s}.${r}`;
      let y = causalConv1dLayer(w, `${p}.conv_in`, f); // [B, M, T]
      y = batchNormLayer(w, `${p}.bn_in`, preluLayer(w, `${p}.prelu_in`, y), training);
      y = causalConv1dLayer(w, `${p}.depthwise`, y, d, hp.tcmChannels[s * hp.tcmDilations.length + r]); // [B, M_b, T]
      y = batchNormLayer(w, `${p}.bn_dw`, preluLayer(w, `${p}.prelu_dw`, y), training);
      f = f.add(causalConv1dLayer(w, `${p}.conv_out`, y)); // [B, F, T]
    });
  }
  x = f.reshape([b, c, width, t]).permute([0, 1, 3, 2]); // [B, C_N, T, W_N]
  for (let j = n - 1; j >= 0; j--) {
    const p = `decoder.${j}`;
    x = torch.cat([skips[j], x], 1); // [B, C_j + D_{j+1}, T, W_{j+1}] (encoder output first, as Pandey's)
    x = causalConvTranspose2dLayer(w, `${p}.deconv`, x, {
      strideW: hp.encStrides[j], padW: hp.encPads[j], outputPadW: hp.decOutputPads[j],
    }); // [B, D_j (1 for j = 0), T, W_j]
    x = preluLayer(w, `${p}.prelu`, batchNormLayer(w, `${p}.bn`, x, training));
  }
  return x.squeeze(1); // [B, T, 320]
}
