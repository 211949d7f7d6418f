/**
 * GCRN forward pass, written once as stages over LayerOps (architecture, geometry and tensor names:
 * gcrnLayout.ts, following Ke Tan's PyTorch module). Causal: every conv has a time kernel of 1, the
 * grouped LSTM is unidirectional, LayerNorm is per frame and BatchNorm in inference mode per channel.
 *   noisy STFT [B, 2, T, 161] (re, im) → estimated clean STFT [B, 2, T, 161]
 * State between stages: x, noisy (the input Y, which complex_mask = 1 multiplies), skip1 … skipN
 * (encoder outputs e_i), dec (the decoders' common input), out1 (the real decoder's output).
 */
import * as torch from '../torch/torch.js';
import type { Tensor } from '../torch/torch.js';
import { GCRN_DECODERS, GCRN_INPUT_EPS, GCRN_INPUT_POWER, GCRN_NAMES, type GcrnHParams } from './gcrnLayout.js';
import { batchNormLayer, layerNormLayer, linearLayer } from './layers.js';
import { gatedConv2d, gatedConvTranspose2d, type LayerOps } from './ops.js';
import type { Stage } from './stages.js';

/**
 * Layer l of the grouped LSTM (Tan's GLSTM): y [B, T, F] → [B, T, F]. Splits its input into G
 * consecutive chunks of F/G features, runs LSTM `lstm(l, g)` on chunk g, then interleaves the group
 * outputs (all layers but the last: feature k·G + g = unit k of group g) or concatenates them (last
 * layer), then LayerNorm `lstmNorm(l)`.
 */
export function groupedLstmLayer(ops: LayerOps, hp: GcrnHParams, l: number, y: Tensor): Tensor {
  const outs = y.chunk(hp.lstmGroups, -1).map((chunk, g) => ops.lstm(GCRN_NAMES.lstm(l, g), 0, chunk)); // G × [B, T, F/G]
  const joined = l < hp.lstmLayers
    ? torch.stack(outs, -1).flatten(-2, -1) // [B, T, F/G, G] → [B, T, F], interleaved
    : torch.cat(outs, -1); // [B, T, F], concatenated
  return layerNormLayer(ops.w, GCRN_NAMES.lstmNorm(l), joined);
}

/**
 * Ŝ = M ⊙ Y for a complex mask M and the noisy spectrum Y, both [B, 2, T, F] (re, im planes):
 * Re Ŝ = M_r·Y_r − M_i·Y_i, Im Ŝ = M_r·Y_i + M_i·Y_r.
 */
export function complexMaskApply(mask: Tensor, noisy: Tensor): Tensor {
  const [mr, mi] = mask.chunk(2, 1);
  const [yr, yi] = noisy.chunk(2, 1);
  return torch.cat([mr.mul(yr).sub(mi.mul(yi)), mr.mul(yi).add(mi.mul(yr))], 1);
}

/** Y_c = |Y|^c · e^{j∠Y} = Y · (|Y|² + ε)^((c − 1)/2) for Y [B, 2, T, F] (re, im planes); c, ε: gcrnLayout.ts. */
export function powerCompress(y: Tensor): Tensor {
  const [re, im] = y.chunk(2, 1);
  const scale = re.square().add(im.square()).add(GCRN_INPUT_EPS).pow((GCRN_INPUT_POWER - 1) / 2); // [B, 1, T, F]
  return y.mul(scale);
}

/** Encoder blocks 1 … N, grouped-LSTM layers 1 … L, then blocks N … 1 of decoder 1 and of decoder 2. */
export function gcrnStages(hp: GcrnHParams): Stage[] {
  const n = hp.encChannels.length;
  const conv = { strideW: hp.strideBins, padW: 0 };
  const stages: Stage[] = [];
  for (let i = 1; i <= n; i++) {
    stages.push({
      name: GCRN_NAMES.encoder(i),
      run: (ops, s) => {
        const input = i === 1 && hp.inputCompress ? powerCompress(s.x) : s.x;
        let x = gatedConv2d(ops, GCRN_NAMES.encoder(i), input, conv); // [B, C_i, T, W_i]
        x = batchNormLayer(ops.w, GCRN_NAMES.encoderNorm(i), x, ops.training).elu();
        return i === 1 ? { ...s, x, noisy: s.x, skip1: x } : { ...s, x, [`skip${i}`]: x };
      },
    });
  }
  for (let l = 1; l <= hp.lstmLayers; l++) {
    stages.push({
      name: `glstm.${l}`,
      run: (ops, s) => {
        let y = s.x;
        if (l === 1) {
          const [b, c, t, width] = y.shape;
          y = y.transpose(1, 2).reshape([b, t, c * width]); // [B, T, F], feature c·W + w
        }
        y = groupedLstmLayer(ops, hp, l, y);
        if (l < hp.lstmLayers) return { ...s, x: y };
        const e = s[`skip${n}`]; // [B, C_N, T, W_N]
        const [b, c, t, width] = e.shape;
        const lstmOut = y.reshape([b, t, c, width]).transpose(1, 2); // [B, C_N, T, W_N]
        const dec = torch.cat([lstmOut, e], 1); // [B, 2·C_N, T, W_N]
        return { ...s, x: dec, dec };
      },
    });
  }
  for (const d of GCRN_DECODERS) {
    for (let i = n; i >= 1; i--) {
      stages.push({
        name: `dec${d}.conv${i}`,
        run: (ops, s) => {
          let y = i === n ? s.dec : s.x;
          y = gatedConvTranspose2d(ops, GCRN_NAMES.decoder(i, d), y, { ...conv, outputPadW: hp.decOutputPads[i - 1] }); // [B, D_i, T, W_{i−1}]
          y = batchNormLayer(ops.w, GCRN_NAMES.decoderNorm(i, d), y, ops.training);
          // Tan's order: ELU after concatenating the next skip, so skips pass through ELU twice.
          y = (i > 1 ? torch.cat([y, s[`skip${i - 1}`]], 1) : y).elu(); // [B, D_i + C_{i−1}, T, W_{i−1}] or [B, 1, T, 161]
          if (i > 1) return { ...s, x: y };
          const out = linearLayer(ops.w, GCRN_NAMES.out(d), y); // [B, 1, T, 161]
          if (d === 1) return { ...s, x: out, out1: out };
          const both = torch.cat([s.out1, out], 1); // [B, 2, T, 161]
          return { ...s, x: hp.complexMask ? complexMaskApply(both, s.noisy) : both };
        },
      });
    }
  }
  return stages;
}
