/**
 * TCNN forward pass, written once as stages over LayerOps (architecture, geometry and tensor names:
 * tcnnLayout.ts). Causal: encoder/decoder convs see the current and kernel_frames − 1 previous
 * frames, the TCM's depthwise convs the previous dilation·(k − 1) frames, BatchNorm in inference
 * mode is per channel.
 *   noisy frames [B, T, 320] → enhanced frames [B, T, 320] (to be overlap-added, 50 %)
 * State between stages: x, skip0 … skip(N−1) (encoder outputs); the TCM works on f [B, C·W, T].
 */
import * as torch from '../torch/torch.js';
import { TCNN_NAMES, type TcnnHParams } from './tcnnLayout.js';
import { batchNormLayer, preluLayer } from './layers.js';
import type { Stage } from './stages.js';

/** Encoder blocks 0 … N−1, TCM residual blocks (stack-major), decoder blocks N−1 … 0. */
export function tcnnStages(hp: TcnnHParams): Stage[] {
  const n = hp.encChannels.length;
  const stages: Stage[] = [];
  for (let j = 0; j < n; j++) {
    const e = TCNN_NAMES.encoder(j);
    stages.push({
      name: e.block,
      run: (ops, s) => {
        const input = j === 0 ? s.x.unsqueeze(1) : s.x; // [B, 1, T, 320] first
        let x = ops.conv2d(e.conv, input, { strideW: hp.encStrides[j], padW: hp.encPads[j] }); // [B, C_j, T, W_{j+1}]
        x = preluLayer(ops.w, e.prelu, batchNormLayer(ops.w, e.bn, x, ops.training));
        return { ...s, x, [`skip${j}`]: x };
      },
    });
  }
  const blocks: [number, number, number][] = [];
  for (let st = 0; st < hp.tcmStacks; st++) hp.tcmDilations.forEach((d, r) => blocks.push([st, r, d]));
  blocks.forEach(([st, r, d], k) => {
    const t = TCNN_NAMES.tcm(st, r);
    stages.push({
      name: t.block,
      run: (ops, s) => {
        let f = s.x;
        if (k === 0) {
          const [b, c, frames, width] = f.shape;
          f = f.permute([0, 1, 3, 2]).reshape([b, c * width, frames]); // [B, F = C·W, T], feature c·W + w
        }
        let y = ops.conv1d(t.convIn, f); // [B, M_k, T]
        y = batchNormLayer(ops.w, t.bnIn, preluLayer(ops.w, t.preluIn, y), ops.training);
        y = ops.conv1d(t.depthwise, y, d, hp.tcmChannels[k]); // depthwise: groups = M_k
        y = batchNormLayer(ops.w, t.bnDw, preluLayer(ops.w, t.preluDw, y), ops.training);
        return { ...s, x: f.add(ops.conv1d(t.convOut, y)) }; // [B, F, T]
      },
    });
  });
  for (let j = n - 1; j >= 0; j--) {
    const dec = TCNN_NAMES.decoder(j);
    stages.push({
      name: dec.block,
      run: (ops, s) => {
        let x = s.x;
        if (j === n - 1) {
          const c = hp.encChannels[n - 1];
          const [b, f, frames] = x.shape; // [B, C_N·W_N, T]
          x = x.reshape([b, c, f / c, frames]).permute([0, 1, 3, 2]); // [B, C_N, T, W_N]
        }
        x = torch.cat([s[`skip${j}`], x], 1); // [B, C_j + D_{j+1}, T, W_{j+1}] (encoder output first, as Pandey's)
        x = ops.convTranspose2d(dec.deconv, x, {
          strideW: hp.encStrides[j], padW: hp.encPads[j], outputPadW: hp.decOutputPads[j],
        }); // [B, D_j (1 for j = 0), T, W_j]
        x = preluLayer(ops.w, dec.prelu, batchNormLayer(ops.w, dec.bn, x, ops.training));
        return { ...s, x: j === 0 ? x.squeeze(1) : x }; // [B, T, 320] at the end
      },
    });
  }
  return stages;
}
