/**
 * Configurations of the two separation nets (issue 16), by preset. Not yet registered in
 * ARCH_NAMES, the .hush format or the WASM runtime: these are the hyper-parameters that the later
 * layouts must reproduce (docs/results/separation/sizes.md has the arithmetic).
 *
 * paper — the configurations Tan & Wang (TASLP 2021 §IV-D) say they reuse "as in [29] and [21]",
 *   recovered from Table VI's sizes:
 *   Conv-TasNet, Luo & Mesgarani's best causal system: N = 512, L = 16 (2 ms at 8 kHz), B = Sc = 128,
 *     H = 512, P = 3, X = 8, R = 3, cLN → 5,050,545 parameters = 19.266 MiB (Table VI: 19.27 MB).
 *   uPIT-LSTM, Kolbæk et al.'s unidirectional model: 3 LSTM layers of 1792 units on 129-bin STFT
 *     magnitudes (256-point DFT at 8 kHz), PyTorch layout (two bias vectors), one Linear 1792 → 129
 *     mask layer per speaker → 65,655,554 parameters = 250.456 MiB (Table VI: 250.46 MB). The hop
 *     does not change the size; 128 samples (16 ms, with the 256-sample window) is what public uPIT
 *     reimplementations use. Re-checked for the training slice: Kolbæk et al.'s own text could not be
 *     re-read here (only its abstract is in the stored references), so the unit count, ReLU mask and
 *     hop rest on (a) the size arithmetic — only 3 × 1792 causal units with PyTorch's two bias vectors
 *     round to 250.46 — and (b) funcwj/uPIT-for-speech-separation (conf/train.yaml): 3 BLSTM layers of
 *     896 units per direction (the non-causal twin of 3 × 1792), non_linear "relu", frame_length 256,
 *     frame_shift 128, magnitude input (apply_log false). Two differences from that code remain and
 *     are ours: a Hamming window (funcwj: Hann) and no mean-variance normalisation of the input
 *     (funcwj: CMVN from training statistics).
 *
 * edge — trainable on the project's 2 shared cores and real time in WASM with margin: the budget of
 *   the enhancement edge presets (src/models/presets.ts), < 1.25 M MACs per 10 ms (< 0.5 G per 4 s).
 *   Conv-TasNet: the paper's depth (X = 8, R = 2: receptive field 1.02 s) and 2-ms frames, widths cut
 *     to N = 128, B = Sc = 32, H = 64 → 125,505 parameters, 1.20 M MACs per 10 ms (10 frames).
 *   uPIT-LSTM: 2 × 256 units on the runtime's own framing at 8 kHz (20-ms window of 160 samples,
 *     10-ms hop of 80, 81 bins) → 915,106 parameters, 0.92 M MACs per 10 ms.
 *   For scale: the edge TCNN (1.02 M MACs per hop, a conv net of the same 1×1 + depthwise kind) runs
 *   at 131 µs p50 per 10 ms in WASM SIMD, the edge LSTM (1.00 M) at 67 µs
 *   (docs/results/bench/amd-epyc/runtime-edge.md); the 1-ms target leaves a factor ≥ 5.
 */
import type { SeparationArchName, SeparationConfig } from './net.js';
import type { ConvTasNetHParams, UpitLstmHParams } from './sizes.js';

/** Presets of the separation nets. */
export const SEPARATION_PRESET_NAMES = ['paper', 'edge'] as const;
/** One of SEPARATION_PRESET_NAMES. */
export type SeparationPresetName = (typeof SEPARATION_PRESET_NAMES)[number];

/** Speakers per mixture (Table VI: two-talker mixtures). */
export const SEPARATION_SPEAKERS = 2;

/** Conv-TasNet per preset. */
export const CONV_TASNET_PRESETS: Readonly<Record<SeparationPresetName, Readonly<ConvTasNetHParams>>> = {
  paper: { N: 512, L: 16, B: 128, H: 512, Sc: 128, P: 3, X: 8, R: 3, speakers: SEPARATION_SPEAKERS, layout: 'paper' },
  edge: { N: 128, L: 16, B: 32, H: 64, Sc: 32, P: 3, X: 8, R: 2, speakers: SEPARATION_SPEAKERS, layout: 'paper' },
};

/** uPIT-LSTM per preset. */
export const UPIT_LSTM_PRESETS: Readonly<Record<SeparationPresetName, Readonly<UpitLstmHParams>>> = {
  paper: { bins: 129, layers: 3, units: 1792, directions: 1, biasVectors: 2, speakers: SEPARATION_SPEAKERS, hopSamples: 128 },
  edge: { bins: 81, layers: 2, units: 256, directions: 1, biasVectors: 2, speakers: SEPARATION_SPEAKERS, hopSamples: 80 },
};

/**
 * Tiny configurations for tests (seconds to train a few steps; not a preset of SEPARATION_PRESET_NAMES,
 * so the size report and its presets stay as they are): the paper's structure at toy widths.
 */
export const CONV_TASNET_TINY: Readonly<ConvTasNetHParams> = {
  N: 16, L: 16, B: 8, H: 16, Sc: 8, P: 3, X: 3, R: 1, speakers: SEPARATION_SPEAKERS, layout: 'paper',
};
/** See CONV_TASNET_TINY: one LSTM layer of 32 units on the edge framing (81 bins, hop 80). */
export const UPIT_LSTM_TINY: Readonly<UpitLstmHParams> = {
  bins: 81, layers: 1, units: 32, directions: 1, biasVectors: 2, speakers: SEPARATION_SPEAKERS, hopSamples: 80,
};

/** Presets `hushpack train` accepts for a separation net: the two above and 'tiny' (tests). */
export const SEPARATION_TRAIN_PRESET_NAMES = ['paper', 'edge', 'tiny'] as const;
/** One of SEPARATION_TRAIN_PRESET_NAMES. */
export type SeparationTrainPresetName = (typeof SEPARATION_TRAIN_PRESET_NAMES)[number];

/** True when `s` is one of SEPARATION_TRAIN_PRESET_NAMES. */
export function isSeparationTrainPresetName(s: string): s is SeparationTrainPresetName {
  return (SEPARATION_TRAIN_PRESET_NAMES as readonly string[]).includes(s);
}

/** The configuration of `arch` at `preset` (a copy). */
export function separationPresetConfig(arch: SeparationArchName, preset: SeparationTrainPresetName): SeparationConfig {
  if (arch === 'conv-tasnet') return { arch, hp: { ...(preset === 'tiny' ? CONV_TASNET_TINY : CONV_TASNET_PRESETS[preset]) } };
  return { arch, hp: { ...(preset === 'tiny' ? UPIT_LSTM_TINY : UPIT_LSTM_PRESETS[preset]) } };
}
