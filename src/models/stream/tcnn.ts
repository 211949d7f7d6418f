/**
 * TCNN, one frame (batch 1), following src/models/tcnn.ts line by line. State: each encoder conv and
 * decoder transposed conv remembers its kernel_frames − 1 previous input frames, each TCM depthwise
 * conv its dilation·(tcm_kernel − 1) previous inputs (paper: up to 64 frames); everything else is
 * frame-wise (1×1 convs, BatchNorm with running statistics, PReLU). Tensor names: tcnnLayout.ts.
 */
import * as torch from '../../train/torch.js';
import type { Tensor } from '../../train/torch.js';
import type { TcnnHParams } from '../tcnnLayout.js';
import { batchNormLayer, preluLayer } from '../layers.js';
import { causalConv1dStep, causalConv2dStep, causalConvTranspose2dStep } from './layers.js';
import type { StreamState } from './state.js';
import type { StreamWeights } from './weights.js';

/** Noisy frame t [1, 1, 320] → enhanced frame [1, 1, 320] (to be overlap-added, 50 %). */
export function tcnnStreamStep(w: StreamWeights, hp: TcnnHParams, st: StreamState, frame: Tensor): Tensor {
  const n = hp.encChannels.length;
  const wl = w.lookup;
  let x = frame.reshape([1, 1, 1, frame.shape[2]]); // [1, 1, 1, 320]
  const skips: Tensor[] = [];
  for (let j = 0; j < n; j++) {
    const p = `encoder.${j}`;
    x = causalConv2dStep(w, `${p}.conv`, st, x, { strideW: hp.encStrides[j], padW: hp.encPads[j] }); // [1, C_j, 1, W_{j+1}]
    x = preluLayer(wl, `${p}.prelu`, batchNormLayer(wl, `${p}.bn`, x, false));
    skips.push(x);
  }
  const [, c, , width] = x.shape;
  let f = x.reshape([1, c * width, 1]); // [1, F = C·W, 1], feature c·W + w
  for (let s = 0; s < hp.tcmStacks; s++) {
    hp.tcmDilations.forEach((d, r) => {
      const p = `tcm.${s}.${r}`;
      let y = causalConv1dStep(w, `${p}.conv_in`, st, f); // [1, M, 1]
      y = batchNormLayer(wl, `${p}.bn_in`, preluLayer(wl, `${p}.prelu_in`, y), false);
      y = causalConv1dStep(w, `${p}.depthwise`, st, y, d, y.shape[1]); // depthwise: groups = M, [1, M, 1]
      y = batchNormLayer(wl, `${p}.bn_dw`, preluLayer(wl, `${p}.prelu_dw`, y), false);
      f = f.add(causalConv1dStep(w, `${p}.conv_out`, st, y)); // [1, F, 1]
    });
  }
  x = f.reshape([1, c, 1, width]); // [1, C_N, 1, W_N]
  for (let j = n - 1; j >= 0; j--) {
    const p = `decoder.${j}`;
    x = torch.cat([skips[j], x], 1); // [1, 2·C_j, 1, W_{j+1}]
    x = causalConvTranspose2dStep(w, `${p}.deconv`, st, x, {
      strideW: hp.encStrides[j], padW: hp.encPads[j], outputPadW: hp.decOutputPads[j],
    }); // [1, C_{j−1} (1 for j = 0), 1, W_j]
    x = preluLayer(wl, `${p}.prelu`, batchNormLayer(wl, `${p}.bn`, x, false));
  }
  return x.reshape([1, 1, x.shape[3]]); // [1, 1, 320]
}
