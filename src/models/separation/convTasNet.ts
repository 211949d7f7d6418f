/**
 * Causal Conv-TasNet forward pass (Luo & Mesgarani, TASLP 2019), written once as stages over
 * LayerOps like the enhancement nets (../stages.ts); tensors and names: ./convTasNetLayout.ts.
 *   mixture waveform [B, S] (8 kHz) → separated waveforms [B, C, S]
 * State between stages: x (running activation), wave (the input, for its length), enc (the ReLU
 * encoder output the masks multiply), skip (running sum of the blocks' skip outputs).
 *
 * Framing: encoder frame k covers padded samples [k·L/2, k·L/2 + L) of [L/2 zeros, x, zeros to a
 * whole frame] (the authors' pad_signal, naplab/Conv-TasNet), T = ⌈S/(L/2)⌉ frames; the decoder's
 * overlap-add gives (T + 1)·L/2 samples, of which [L/2, L/2 + S) are the output, so every sample is
 * covered by two frames. Causal up to the framing: output sample n depends on input samples
 * < (⌊n/(L/2)⌋ + 2)·L/2, i.e. at most L − 1 samples ahead (2 ms for L = 16: the encoder window, the
 * algorithmic latency, as the STFT window is the enhancement nets'). Every layer after the encoder is
 * causal in frames: cLN (./cumulativeLayerNorm.ts), left-padded depthwise convs, 1×1 convs.
 */
import * as torch from '../../torch/torch.js';
import type { Tensor } from '../../torch/torch.js';
import { preluLayer } from '../layers.js';
import type { LayerOps } from '../ops.js';
import type { Stage } from '../stages.js';
import { CONV_TASNET_NAMES as NAMES, convTasNetDilation } from './convTasNetLayout.js';
import { cumulativeLayerNormLayer } from './cumulativeLayerNorm.js';
import type { ConvTasNetHParams } from './sizes.js';

/** Encoder frames of a signal of `samples` samples: ⌈S/(L/2)⌉ (see the file comment). */
export function convTasNetFrames(h: ConvTasNetHParams, samples: number): number {
  return Math.ceil(samples / (h.L / 2));
}

/** Encoder: [B, S] → ReLU(Conv1d) [B, N, T] over the padded signal. */
function convTasNetEncode(ops: LayerOps, h: ConvTasNetHParams, wave: Tensor): Tensor {
  const stride = h.L / 2;
  const frames = convTasNetFrames(h, wave.shape[1]);
  const padded = wave.pad([stride, stride * frames - wave.shape[1]]).unsqueeze(1); // [B, 1, (T + 1)·L/2]
  return torch.conv1d(padded, ops.w(NAMES.encoderFilters), null, { stride }).relu(); // [B, N, T]
}

/**
 * Decoder: masked encoder outputs [B, C, N, T] → waveforms [B, C, S]. ConvTranspose1d as a
 * ConvTranspose2d over a height-1 image (the addon has the 2-D op), filters [N, 1, L] → [N, 1, 1, L].
 */
function convTasNetDecode(ops: LayerOps, h: ConvTasNetHParams, masked: Tensor, samples: number): Tensor {
  const [b, c, n, t] = masked.shape;
  const stride = h.L / 2;
  const filters = ops.w(NAMES.decoderFilters).reshape([n, 1, 1, h.L]);
  const y = torch.convTranspose2d(masked.reshape([b * c, n, 1, t]), filters, null, { stride: [1, stride] }); // [B·C, 1, 1, (T + 1)·L/2]
  return y.reshape([b, c, (t + 1) * stride]).narrow(2, stride, samples);
}

/** One separator block i (0-based): x [B, B, T] → residual [B, B, T] and skip [B, Sc, T]. */
function convTasNetBlock(ops: LayerOps, h: ConvTasNetHParams, i: number, x: Tensor): { residual: Tensor; skip: Tensor } {
  let y = ops.conv1d(NAMES.blockIn(i), x); // [B, H, T]
  y = cumulativeLayerNormLayer(ops.w, NAMES.blockNorm1(i), preluLayer(ops.w, NAMES.blockPrelu1(i), y));
  y = ops.conv1d(NAMES.blockDepthwise(i), y, convTasNetDilation(h, i), h.H); // causal, left-padded
  y = cumulativeLayerNormLayer(ops.w, NAMES.blockNorm2(i), preluLayer(ops.w, NAMES.blockPrelu2(i), y));
  return { residual: ops.conv1d(NAMES.blockResidual(i), y), skip: ops.conv1d(NAMES.blockSkip(i), y) };
}

/** Encoder, bottleneck, the X·R blocks, masks, decoder. */
export function convTasNetStages(h: ConvTasNetHParams): Stage[] {
  const stages: Stage[] = [
    {
      name: 'encoder',
      run: (ops, s) => {
        const enc = convTasNetEncode(ops, h, s.x);
        return { ...s, wave: s.x, enc, x: enc };
      },
    },
    {
      name: 'bottleneck',
      run: (ops, s) => ({ ...s, x: ops.conv1d(NAMES.bottleneck, cumulativeLayerNormLayer(ops.w, NAMES.inputNorm, s.x)) }),
    },
  ];
  for (let i = 0; i < h.X * h.R; i++) {
    stages.push({
      name: `tcn.${i}`,
      run: (ops, s) => {
        const { residual, skip } = convTasNetBlock(ops, h, i, s.x);
        return { ...s, x: s.x.add(residual), skip: i === 0 ? skip : s.skip.add(skip) };
      },
    });
  }
  stages.push({
    name: 'masks',
    run: (ops, s) => {
      const score = ops.conv1d(NAMES.maskConv, preluLayer(ops.w, NAMES.maskPrelu, s.skip)); // [B, C·N, T]
      const [b, , t] = score.shape;
      const masks = score.sigmoid().reshape([b, h.speakers, h.N, t]);
      return { wave: s.wave, x: masks.mul(s.enc.unsqueeze(1)) }; // [B, C, N, T]
    },
  });
  stages.push({
    name: 'decoder',
    run: (ops, s) => ({ x: convTasNetDecode(ops, h, s.x, s.wave.shape[1]) }),
  });
  return stages;
}
