/**
 * Causal Conv-TasNet (Luo & Mesgarani, TASLP 2019) as a layout: every tensor with its PyTorch
 * state-dict name and shape, and its MAC terms. Tensor names are those of asteroid's ConvTasNet
 * (asteroid-team/asteroid: models/conv_tasnet.py, masknn/convolutional.py TDConvNet and
 * Conv1DBlock with causal=True, filterbanks FreeFB), whose separator has the paper's order (LayerNorm,
 * then the 1×1 bottleneck with bias) — the 'paper' layout of ./sizes.ts, the one that reproduces
 * Table VI's 19.27 MB. Hyper-parameters: ConvTasNetHParams (./sizes.ts), presets in ./presets.ts.
 *
 *   input   waveform [B, S] at 8 kHz
 *   encoder encoder.filterbank._filters [N, 1, L]: Conv1d(1 → N, kernel L, stride L/2, no bias), ReLU
 *           (the paper's; asteroid's encoder_activation='relu', its default being none)
 *   masker.bottleneck.0  cLN(N) (gamma, beta [N]); masker.bottleneck.1  Conv1d 1×1 N → B
 *   masker.TCN.{i}, i = 0 … X·R − 1 (dilation 2^(i mod X)):
 *     shared_block.0 Conv1d 1×1 B → H, .1 PReLU, .2 cLN(H),
 *     shared_block.3.0 depthwise causal Conv1d H → H (kernel P, groups H; asteroid wraps it with
 *       its chop in a Sequential, hence the `.0`), .4 PReLU, .5 cLN(H)
 *     res_conv Conv1d 1×1 H → B (added to the block input), skip_conv Conv1d 1×1 H → Sc (summed);
 *     the last block's res_conv feeds nothing (the masks read the skip sum), as in asteroid's and
 *     the authors' modules, but is a tensor of the state dict and of Table VI's size all the same
 *   masker.mask_net.0  PReLU on the skip sum; masker.mask_net.1  Conv1d 1×1 Sc → C·N (row s·N + k =
 *     mask of speaker s, encoder channel k), sigmoid (Conv-TasNet's mask nonlinearity, asteroid's
 *     default for ConvTasNet)
 *   decoder decoder.filterbank._filters [N, 1, L]: ConvTranspose1d(N → 1, kernel L, stride L/2, no
 *     bias) of each speaker's masked encoder output = overlap-add of N-term basis combinations
 *
 * MACs per encoder frame (L/2 samples) follow ./sizes.ts convTasNetMacsPerFrame: the decoder filters
 * are used once per speaker, and the C·N mask products are fixed MACs.
 */
import { UserError } from '../../errors.js';
import { LayoutBuilder, type ArchLayout } from '../paramSpec.js';
import type { ConvTasNetHParams } from './sizes.js';

/** Conv-TasNet module names (asteroid's): the one place they are spelled. */
export const CONV_TASNET_NAMES = {
  /** Encoder basis, a parameter (not a module): [N, 1, L]. */
  encoderFilters: 'encoder.filterbank._filters',
  /** cLN on the N encoder channels. */
  inputNorm: 'masker.bottleneck.0',
  /** 1×1 conv N → B. */
  bottleneck: 'masker.bottleneck.1',
  /** Block i (0-based over all repeats): 1×1 conv B → H. */
  blockIn: (i: number): string => `masker.TCN.${i}.shared_block.0`,
  /** Block i: PReLU after the 1×1 conv. */
  blockPrelu1: (i: number): string => `masker.TCN.${i}.shared_block.1`,
  /** Block i: cLN(H) after the first PReLU. */
  blockNorm1: (i: number): string => `masker.TCN.${i}.shared_block.2`,
  /** Block i: depthwise causal dilated conv. */
  blockDepthwise: (i: number): string => `masker.TCN.${i}.shared_block.3.0`,
  /** Block i: PReLU after the depthwise conv. */
  blockPrelu2: (i: number): string => `masker.TCN.${i}.shared_block.4`,
  /** Block i: cLN(H) after the second PReLU. */
  blockNorm2: (i: number): string => `masker.TCN.${i}.shared_block.5`,
  /** Block i: residual 1×1 conv H → B. */
  blockResidual: (i: number): string => `masker.TCN.${i}.res_conv`,
  /** Block i: skip 1×1 conv H → Sc. */
  blockSkip: (i: number): string => `masker.TCN.${i}.skip_conv`,
  /** PReLU on the skip sum. */
  maskPrelu: 'masker.mask_net.0',
  /** 1×1 conv Sc → C·N. */
  maskConv: 'masker.mask_net.1',
  /** Decoder basis [N, 1, L] (ConvTranspose1d layout [in, out, k]). */
  decoderFilters: 'decoder.filterbank._filters',
} as const;

/** Dilation of the depthwise conv of block i (0-based): 2^(i mod X). */
export function convTasNetDilation(h: ConvTasNetHParams, i: number): number {
  return 2 ** (i % h.X);
}

/** Tensors and MAC terms of causal Conv-TasNet, in the state-dict order of asteroid's module. */
export function convTasNetLayout(h: ConvTasNetHParams): ArchLayout {
  if (h.layout !== 'paper') {
    throw new UserError(`conv-tasnet: only the 'paper' layout (asteroid's module) has tensors; '${h.layout}' is counted in sizes.ts only`);
  }
  if (h.L % 2 !== 0) throw new UserError(`conv-tasnet: L must be even (stride L/2), got ${h.L}`);
  const { N, L, B, H, Sc, P, X, R, speakers: C } = h;
  const n = CONV_TASNET_NAMES;
  const b = new LayoutBuilder();
  b.add(n.encoderFilters, [N, 1, L], 'conv', 'encoder.filterbank');
  b.macTerms.push({ tensor: n.encoderFilters, usesPerFrame: 1, executedUsesPerFrame: 1 });
  cumulativeLayerNorm(b, n.inputNorm, N);
  b.conv1d(n.bottleneck, N, B, 1, 1);
  for (let i = 0; i < X * R; i++) {
    b.conv1d(n.blockIn(i), B, H, 1, 1);
    b.prelu(n.blockPrelu1(i));
    cumulativeLayerNorm(b, n.blockNorm1(i), H);
    b.conv1d(n.blockDepthwise(i), H, H, P, H);
    b.prelu(n.blockPrelu2(i));
    cumulativeLayerNorm(b, n.blockNorm2(i), H);
    b.conv1d(n.blockResidual(i), H, B, 1, 1);
    b.conv1d(n.blockSkip(i), H, Sc, 1, 1);
  }
  b.prelu(n.maskPrelu);
  b.conv1d(n.maskConv, Sc, C * N, 1, 1);
  b.add(n.decoderFilters, [N, 1, L], 'deconv', 'decoder.filterbank');
  b.macTerms.push({ tensor: n.decoderFilters, usesPerFrame: C, executedUsesPerFrame: C });
  b.fixedMacsPerFrame += C * N; // masks × encoder output
  return b.build();
}

/** A cLN at `prefix` over `channels` (asteroid's gamma / beta). */
function cumulativeLayerNorm(b: LayoutBuilder, prefix: string, channels: number): void {
  b.add(`${prefix}.gamma`, [channels], 'norm', prefix);
  b.add(`${prefix}.beta`, [channels], 'norm', prefix);
}
