/**
 * GCRN (Tan & Wang, TASLP 2020; TASLP 2021 §III-B4): complex spectral mapping, tensor names as in
 * Ke Tan's PyTorch GCRN (`conv1.conv1.weight`, `glstm.lstm_list1.0.weight_ih_l0`, `conv5_t_1…`).
 *
 *   input [B, 2, T, 161] (real, imaginary of the noisy STFT)
 *   encoder i = 1…N: gated Conv2d kernel (1, kernel_bins), stride (1, stride_bins), no padding:
 *     conv{i}.conv1(x) ⊙ σ(conv{i}.conv2(x)) → bn{i} → ELU = e_i      (paper: 16,32,64,128,256;
 *     widths 161→80→39→19→9→4)
 *   grouped LSTM on F = C_N·W_N features per frame (channel-major, paper 1024): lstm_layers layers,
 *     each lstm_groups LSTMs of F/G units on consecutive chunks of F/G features; after each layer
 *     but the last the group outputs are interleaved (feature k·G + g = unit k of group g), after
 *     the last they are concatenated; LayerNorm(F) glstm.ln{l} after every layer.
 *   two decoders d = 1 (real), 2 (imaginary), blocks i = N…1:
 *     x = cat(previous, e_i) on channels (previous = LSTM output for i = N, reshaped [B, C_N, T, W_N])
 *     gated ConvTranspose2d conv{i}_t_{d} back to encoder i's input width (output_padding derived,
 *     paper: 1 at i = 2) → bn{i}_t_{d}; then ELU — on the concatenation with e_{i−1} for i > 1
 *     (as in Tan's code, so skips pass through ELU twice), on the block output for i = 1
 *   fc{d}: Linear 161→161 on the frequency axis → output [B, 2, T, 161].
 *   complex_mask = 1 (an option of this project, not the paper's): the two fc outputs are a complex
 *     ratio mask M (unbounded, as GTCRN's) and the output is Ŝ = M ⊙ Y (Re Ŝ = M_r·Y_r − M_i·Y_i,
 *     Im Ŝ = M_r·Y_i + M_i·Y_r) instead of the mapped spectrum itself; same tensors, 4·161 more
 *     MACs per frame. A small net finds a mask easier than a spectrum: the identity is a constant.
 *   input_compress = 1 (likewise an option of this project): encoder 1 sees the power-law compressed
 *     spectrum Y_c = |Y|^0.3 · e^{j∠Y} (GCRN_INPUT_POWER) instead of Y, so quiet bins are not lost
 *     under loud ones (the compressed loss's argument, applied to the input; GTCRN and DeepFilterNet
 *     compress their inputs too). A complex mask still multiplies the uncompressed Y. No MACs counted
 *     (a power per bin, like the ELUs).
 *
 * Paper preset: exactly 9,771,340 parameters = 37.27 MiB (Table I).
 *
 * Hyper-parameters:
 *   enc_channels: number[]   output channels of encoder blocks 1…N
 *   dec_channels: number[]   output channels of decoder blocks N…1 in the order applied; last must be 1
 *   kernel_bins: number      kernel size along frequency (time kernel is 1)
 *   stride_bins: number      stride along frequency
 *   lstm_groups: number      groups G of the grouped LSTM (F must be divisible by G)
 *   lstm_layers: number      grouped-LSTM layers
 *   complex_mask?: 0 | 1     optional (GCRN_OPTIONAL_HPARAMS), absent = 0 = the paper's spectral mapping
 *   input_compress?: 0 | 1   optional, absent = 0 = the paper's raw spectrum input
 */
import { NUM_BINS } from '../dsp/constants.js';
import { UserError } from '../errors.js';
import { hparamFlag, hparamInt, hparamInts, type ArchConfig, type HParam } from './config.js';
import { deconvOutputPadding, encoderWidths } from './convGeometry.js';
import { LayoutBuilder, type ArchLayout } from './paramSpec.js';

/** GCRN hyper-parameters, validated, with the derived geometry. */
export interface GcrnHParams {
  encChannels: number[];
  decChannels: number[];
  kernelBins: number;
  strideBins: number;
  lstmGroups: number;
  lstmLayers: number;
  /** Derived: frequency widths [161, W_1, …, W_N]. */
  widths: number[];
  /** Derived: output_padding of decoder block i at index i − 1. */
  decOutputPads: number[];
  /** Derived: grouped-LSTM feature size F = C_N · W_N. */
  features: number;
  /** The output is a complex ratio mask applied to the input (hyper-parameter complex_mask = 1). */
  complexMask: boolean;
  /** The encoder's input is the power-law compressed spectrum (hyper-parameter input_compress = 1). */
  inputCompress: boolean;
}

/**
 * Hyper-parameters a GCRN config may leave out, with the value their absence means (the presets
 * leave them out, so the paper/edge/tiny networks and their files are unchanged); `--set` accepts them.
 */
export const GCRN_OPTIONAL_HPARAMS: Readonly<Record<string, HParam>> = { complex_mask: 0, input_compress: 0 };

/** Exponent c of the compressed input |Y|^c · e^{j∠Y} (assembly/nets/gcrn.ts mirrors it). */
export const GCRN_INPUT_POWER = 0.3;
/** Added to |Y|² before the power: keeps |Y|^(c−1) finite at Y = 0 (|Y| ≥ 1e-6, −120 dB, is unaffected). */
export const GCRN_INPUT_EPS = 1e-12;

/** Real multiplications of the complex mask per frame: 4 per bin. */
export const GCRN_MASK_MACS = 4 * NUM_BINS;

/** Reads and validates a GCRN config, deriving its geometry (UserError on bad values). */
export function gcrnHParams(config: ArchConfig): GcrnHParams {
  const encChannels = hparamInts(config, 'enc_channels');
  const decChannels = hparamInts(config, 'dec_channels');
  const n = encChannels.length;
  if (decChannels.length !== n || decChannels[n - 1] !== 1) {
    throw new UserError(`gcrn: dec_channels must have ${n} entries (one per encoder block) ending in 1`);
  }
  const kernelBins = hparamInt(config, 'kernel_bins');
  const strideBins = hparamInt(config, 'stride_bins');
  const lstmGroups = hparamInt(config, 'lstm_groups');
  const lstmLayers = hparamInt(config, 'lstm_layers');
  const widths = encoderWidths(NUM_BINS, kernelBins, encChannels.map(() => strideBins), encChannels.map(() => 0), 'gcrn');
  const decOutputPads = encChannels.map((_, k) =>
    deconvOutputPadding(widths[k + 1], widths[k], kernelBins, strideBins, 0, `gcrn decoder block ${k + 1}`),
  );
  const features = encChannels[n - 1] * widths[n];
  if (features % lstmGroups !== 0) {
    throw new UserError(`gcrn: LSTM features ${features} are not divisible by lstm_groups ${lstmGroups}`);
  }
  const complexMask = hparamFlag(config, 'complex_mask');
  const inputCompress = hparamFlag(config, 'input_compress');
  return {
    encChannels, decChannels, kernelBins, strideBins, lstmGroups, lstmLayers, widths, decOutputPads, features, complexMask, inputCompress,
  };
}

/**
 * Input channels of decoder block i (1-based, N first): the previous block's output (the LSTM's
 * C_N for i = N) plus the skip e_i.
 */
export function gcrnDecoderInChannels(hp: GcrnHParams, i: number): number {
  const n = hp.encChannels.length;
  const previous = i === n ? hp.encChannels[n - 1] : hp.decChannels[n - i - 1];
  return previous + hp.encChannels[i - 1];
}

/** Output channels of decoder block i (1-based). */
export function gcrnDecoderOutChannels(hp: GcrnHParams, i: number): number {
  return hp.decChannels[hp.encChannels.length - i];
}

/** The two decoders: 1 estimates the real part, 2 the imaginary part. */
export const GCRN_DECODERS = [1, 2] as const;

/** GCRN module names (Ke Tan's): the one place they are spelled. */
export const GCRN_NAMES = {
  /** Gated conv block of encoder i (1-based; convs: paramSpec.ts gatedConvNames). */
  encoder: (i: number): string => `conv${i}`,
  /** BatchNorm2d of encoder block i. */
  encoderNorm: (i: number): string => `bn${i}`,
  /** The one-layer nn.LSTM of group g (0-based) in grouped-LSTM layer l (1-based). */
  lstm: (l: number, g: number): string => `glstm.lstm_list${l}.${g}`,
  /** LayerNorm after grouped-LSTM layer l. */
  lstmNorm: (l: number): string => `glstm.ln${l}`,
  /** Gated transposed conv block i of decoder d (1 real, 2 imaginary). */
  decoder: (i: number, d: number): string => `conv${i}_t_${d}`,
  /** BatchNorm2d of decoder d's block i. */
  decoderNorm: (i: number, d: number): string => `bn${i}_t_${d}`,
  /** Output nn.Linear 161 → 161 of decoder d. */
  out: (d: number): string => `fc${d}`,
} as const;

/** Tensors and MAC terms of a GCRN, in the registration order of Tan's module. */
export function gcrnLayout(config: ArchConfig): ArchLayout {
  const hp = gcrnHParams(config);
  const n = hp.encChannels.length;
  const k = hp.kernelBins;
  const b = new LayoutBuilder();
  for (let i = 1; i <= n; i++) {
    const inC = i === 1 ? 2 : hp.encChannels[i - 2];
    b.gatedConv2d(GCRN_NAMES.encoder(i), inC, hp.encChannels[i - 1], 1, k, hp.widths[i]);
  }
  const h = hp.features / hp.lstmGroups;
  for (let l = 1; l <= hp.lstmLayers; l++) {
    for (let g = 0; g < hp.lstmGroups; g++) b.lstmLayer(GCRN_NAMES.lstm(l, g), 0, h, h);
  }
  for (let l = 1; l <= hp.lstmLayers; l++) b.layerNorm(GCRN_NAMES.lstmNorm(l), hp.features);
  for (const d of GCRN_DECODERS) {
    for (let i = n; i >= 1; i--) {
      const inC = gcrnDecoderInChannels(hp, i);
      const outC = gcrnDecoderOutChannels(hp, i);
      b.gatedDeconv2d(GCRN_NAMES.decoder(i, d), inC, outC, 1, k, hp.widths[i], hp.widths[i - 1]);
    }
  }
  for (let i = 1; i <= n; i++) b.batchNorm(GCRN_NAMES.encoderNorm(i), hp.encChannels[i - 1]);
  for (const d of GCRN_DECODERS) {
    for (let i = n; i >= 1; i--) b.batchNorm(GCRN_NAMES.decoderNorm(i, d), gcrnDecoderOutChannels(hp, i));
  }
  for (const d of GCRN_DECODERS) b.linear(GCRN_NAMES.out(d), NUM_BINS, NUM_BINS);
  if (hp.complexMask) b.fixedMacsPerFrame += GCRN_MASK_MACS;
  return b.build();
}
