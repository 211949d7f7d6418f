/**
 * TCNN (Pandey & Wang, ICASSP 2019; Tan & Wang TASLP 2021 §III-B3): time-domain mapping from
 * noisy to clean 320-sample frames (every 160 samples; overlap-added by the caller).
 *
 *   frames [B, 1, T, 320]
 *   encoder j = 0…N−1: causal Conv2d over (time, sample) kernel (kernel_frames, kernel_samples),
 *     stride (1, enc_strides[j]), padding (causal, enc_pads[j]) → BatchNorm2d → PReLU
 *     (paper: channels 16,16,16,32,32,64,64; widths 320→320→160→79→39→19→9→4)
 *   reshape [B, C_N, T, W_N] → [B, C_N·W_N, T] (channel-major: feature c·W_N + w)   (paper 256)
 *   TCM: tcm_stacks × len(tcm_dilations) residual blocks, block (stack s, dilation d):
 *     Conv1d 1×1 F→M → PReLU → BN → depthwise Conv1d k = tcm_kernel, dilation d, causal
 *     (left pad d·(k−1)) → PReLU → BN → Conv1d 1×1 M→F → + input            (paper M = 512)
 *   reshape back to [B, C_N, T, W_N]
 *   decoder j = N−1…0 mirrors encoder j: input cat(encoder j output, previous decoder output)
 *     (C_j + D_{j+1} channels; the first takes the TCM output, C_{N−1}), causal ConvTranspose2d
 *     back to encoder j's input width, D_j channels (by default encoder j's input channel count;
 *     1 for j = 0) → BatchNorm2d → PReLU.
 *   → frames [B, 1, T, 320]
 *
 * Every conv has a bias. With biases on the depthwise and pointwise TCM convs the paper preset
 * has 5,053,685 parameters = 19.28 MiB, Table I's figure (without them, 19.22 MiB).
 *
 * Hyper-parameters:
 *   enc_channels: number[]   output channels of each encoder layer
 *   enc_strides: number[]    stride along the sample axis of each encoder layer
 *   enc_pads: number[]       zero padding on both sides of the sample axis of each encoder layer
 *   kernel_frames: number    kernel taps over time (causal: the current and previous frames)
 *   kernel_samples: number   kernel taps along the sample axis
 *   tcm_channels: number | number[]  hidden channels M of each residual block: one number for
 *                            all, or one per block in stack-major order (stacks × dilations
 *                            entries; written by channel pruning, src/compress/channel.ts)
 *   tcm_kernel: number       depthwise kernel size over time
 *   tcm_dilations: number[]  dilations of the residual blocks within one stack
 *   tcm_stacks: number       number of stacks (dilation cycles)
 *   dec_channels: number[]   optional: output channels D_j of decoder j = N−1…0 in the order
 *                            applied, last = 1; absent = the encoder's mirror (C_{N−2}, …, C_0, 1).
 *                            Channel pruning narrows decoders apart from their encoders.
 *
 * Tensors: encoder.{j}.conv / .bn / .prelu; tcm.{s}.{r}.conv_in / prelu_in / bn_in / depthwise /
 * prelu_dw / bn_dw / conv_out; decoder.{j}.deconv / .bn / .prelu (j mirrors encoder j).
 */
import { WINDOW_SAMPLES } from '../dsp/constants.js';
import { UserError } from '../errors.js';
import { hparamInt, hparamInts, type ArchConfig } from './config.js';
import { deconvOutputPadding, encoderWidths } from './convGeometry.js';
import { LayoutBuilder, type ArchLayout } from './paramSpec.js';

/** TCNN hyper-parameters, validated, with the derived geometry. */
export interface TcnnHParams {
  encChannels: number[];
  encStrides: number[];
  encPads: number[];
  kernelFrames: number;
  kernelSamples: number;
  /** Hidden channels M_b of TCM block b (stack-major: b = s·dilations + r). */
  tcmChannels: number[];
  tcmKernel: number;
  tcmDilations: number[];
  tcmStacks: number;
  /** Output channels D_j of decoder j at index j (decOutChannels[0] = 1). */
  decOutChannels: number[];
  /** Derived: widths along the sample axis, [320, W_1, …, W_N]. */
  widths: number[];
  /** Derived: output_padding of decoder j (mirroring encoder j) on the sample axis. */
  decOutputPads: number[];
  /** Derived: TCM feature size F = C_N · W_N. */
  features: number;
}

/** Reads and validates a TCNN config, deriving its geometry (UserError on bad values). */
export function tcnnHParams(config: ArchConfig): TcnnHParams {
  const encChannels = hparamInts(config, 'enc_channels');
  const encStrides = hparamInts(config, 'enc_strides');
  const encPads = hparamInts(config, 'enc_pads', 0);
  if (encStrides.length !== encChannels.length || encPads.length !== encChannels.length) {
    throw new UserError(`tcnn: enc_channels, enc_strides and enc_pads must have equal lengths`);
  }
  const kernelFrames = hparamInt(config, 'kernel_frames');
  const kernelSamples = hparamInt(config, 'kernel_samples');
  const widths = encoderWidths(WINDOW_SAMPLES, kernelSamples, encStrides, encPads, 'tcnn');
  const decOutputPads = encChannels.map((_, j) =>
    deconvOutputPadding(widths[j + 1], widths[j], kernelSamples, encStrides[j], encPads[j], `tcnn decoder ${j}`),
  );
  const n = encChannels.length;
  const tcmDilations = hparamInts(config, 'tcm_dilations');
  const tcmStacks = hparamInt(config, 'tcm_stacks');
  const blocks = tcmStacks * tcmDilations.length;
  let tcmChannels: number[];
  if (Array.isArray(config.hparams.tcm_channels)) {
    tcmChannels = hparamInts(config, 'tcm_channels');
    if (tcmChannels.length !== blocks) {
      throw new UserError(`tcnn: tcm_channels as a list needs one entry per TCM block (${blocks}), got ${tcmChannels.length}`);
    }
  } else {
    tcmChannels = new Array<number>(blocks).fill(hparamInt(config, 'tcm_channels'));
  }
  let decOutChannels = encChannels.map((_, j) => (j === 0 ? 1 : encChannels[j - 1]));
  if (config.hparams.dec_channels !== undefined) {
    const applied = hparamInts(config, 'dec_channels'); // decoders N−1 … 0
    if (applied.length !== n || applied[n - 1] !== 1) {
      throw new UserError(`tcnn: dec_channels must have ${n} entries (one per decoder layer, N−1 first) ending in 1`);
    }
    decOutChannels = applied.slice().reverse();
  }
  return {
    encChannels,
    encStrides,
    encPads,
    kernelFrames,
    kernelSamples,
    tcmChannels,
    tcmKernel: hparamInt(config, 'tcm_kernel'),
    tcmDilations,
    tcmStacks,
    decOutChannels,
    widths,
    decOutputPads,
    features: encChannels[n - 1] * widths[n],
  };
}

/** Input channels of encoder j (1 for the first: the frame itself). */
export function tcnnEncoderInChannels(hp: TcnnHParams, j: number): number {
  return j === 0 ? 1 : hp.encChannels[j - 1];
}

/** Output channels of decoder j (D_j; 1 for j = 0). */
export function tcnnDecoderOutChannels(hp: TcnnHParams, j: number): number {
  return hp.decOutChannels[j];
}

/**
 * Input channels of decoder j: encoder j's output (the skip, first) plus the previous decoder's
 * output (the TCM output, C_{N−1} channels, for j = N − 1).
 */
export function tcnnDecoderInChannels(hp: TcnnHParams, j: number): number {
  const n = hp.encChannels.length;
  return hp.encChannels[j] + (j === n - 1 ? hp.encChannels[n - 1] : hp.decOutChannels[j + 1]);
}

/** TCNN module names (Pandey's): the one place they are spelled. */
export const TCNN_NAMES = {
  /** Encoder layer j (0-based): the block, its Conv2d, BatchNorm2d and PReLU. */
  encoder: (j: number) => {
    const block = `encoder.${j}`;
    return { block, conv: `${block}.conv`, bn: `${block}.bn`, prelu: `${block}.prelu` };
  },
  /** Residual block r (dilation index) of TCM stack s. */
  tcm: (s: number, r: number) => {
    const block = `tcm.${s}.${r}`;
    return {
      block, convIn: `${block}.conv_in`, preluIn: `${block}.prelu_in`, bnIn: `${block}.bn_in`, depthwise: `${block}.depthwise`,
      preluDw: `${block}.prelu_dw`, bnDw: `${block}.bn_dw`, convOut: `${block}.conv_out`,
    };
  },
  /** Decoder layer j (mirrors encoder j): the block, its ConvTranspose2d, BatchNorm2d and PReLU. */
  decoder: (j: number) => {
    const block = `decoder.${j}`;
    return { block, deconv: `${block}.deconv`, bn: `${block}.bn`, prelu: `${block}.prelu` };
  },
} as const;

/** Tensors and MAC terms of a TCNN. */
export function tcnnLayout(config: ArchConfig): ArchLayout {
  const hp = tcnnHParams(config);
  const b = new LayoutBuilder();
  const n = hp.encChannels.length;
  for (let j = 0; j < n; j++) {
    const e = TCNN_NAMES.encoder(j);
    b.conv2d(e.conv, tcnnEncoderInChannels(hp, j), hp.encChannels[j], hp.kernelFrames, hp.kernelSamples, hp.widths[j + 1]);
    b.batchNorm(e.bn, hp.encChannels[j]);
    b.prelu(e.prelu);
  }
  const f = hp.features;
  for (let s = 0; s < hp.tcmStacks; s++) {
    for (let r = 0; r < hp.tcmDilations.length; r++) {
      const t = TCNN_NAMES.tcm(s, r);
      const m = hp.tcmChannels[s * hp.tcmDilations.length + r];
      b.conv1d(t.convIn, f, m, 1, 1);
      b.prelu(t.preluIn);
      b.batchNorm(t.bnIn, m);
      b.conv1d(t.depthwise, m, m, hp.tcmKernel, m);
      b.prelu(t.preluDw);
      b.batchNorm(t.bnDw, m);
      b.conv1d(t.convOut, m, f, 1, 1);
    }
  }
  for (let j = n - 1; j >= 0; j--) {
    const d = TCNN_NAMES.decoder(j);
    b.deconv2d(
      d.deconv, tcnnDecoderInChannels(hp, j), tcnnDecoderOutChannels(hp, j), hp.kernelFrames, hp.kernelSamples,
      hp.widths[j + 1], hp.widths[j],
    );
    b.batchNorm(d.bn, tcnnDecoderOutChannels(hp, j));
    b.prelu(d.prelu);
  }
  return b.build();
}
