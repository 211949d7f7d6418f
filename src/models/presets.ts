/**
 * Named configurations.
 *
 * paper — exactly Tan & Wang TASLP 2021 §III-B (sizes of Table I, MACs of Table III).
 *
 * edge — trainable on this project's 2 shared CPU cores in under an hour on a ~4-h corpus
 *   (3,600 segments of 4 s = 225 minibatches of 16 per epoch). Measured on those cores while
 *   shared (timings vary 2–3× with load), one AMSGrad step on 16 × 4 s takes FDNN 0.2 s,
 *   LSTM 0.5–0.9 s, TCNN 1.0–1.6 s, GCRN 1.1–1.8 s, i.e. 1–7 min per epoch: 8+ epochs in an hour.
 *   And cheap enough for real time in WASM on a Raspberry Pi: < 0.5 G MACs per 4 s (Table III
 *   convention) = < 1.25 M MACs per 10-ms hop. Widths are cut; depth is kept where it buys context (TCNN's
 *   dilation cycle, GCRN's encoder down to 4 bins). Figures (`hushpack models --preset edge`):
 *     FDNN 3 × 512                                         0.69 M params, 0.28 G MACs
 *     LSTM 2 × 256                                         1.00 M params, 0.40 G MACs
 *     TCNN encoder 4,4,8,8,16,32 all stride 2 (no full-rate 320-sample layer, the costliest in
 *          the paper net's decoder), TCM 128 → 256, 2 stacks of dilations 1…32 (receptive field
 *          253 frames = 2.5 s)                             0.84 M params, 0.48 G MACs
 *     GCRN encoder 4,8,16,32,48 (4 bins · 48 = 192 LSTM features), 2 groups × 2 layers,
 *          decoder 16,16,8,4,1 (GCRN_S-style narrow first decoder block)
 *                                                          0.40 M params, 0.39 G MACs
 *
 * tiny — a few thousand parameters, trains in seconds; for tests (GCRN has 55 k: its two
 *   Linear 161→161 output layers alone hold 52 k).
 */
import { UserError } from '../errors.js';
import { isArchName, isPresetName, type ArchConfig, type ArchName, type HParam, type PresetName } from './config.js';

/** Hyper-parameters of every preset, by preset then architecture. */
const PRESETS: Record<PresetName, Record<ArchName, Record<string, HParam>>> = {
  paper: {
    fdnn: { hidden_units: [2048, 2048, 2048] },
    lstm: { lstm_units: 1024, lstm_layers: 4 },
    tcnn: {
      enc_channels: [16, 16, 16, 32, 32, 64, 64],
      enc_strides: [1, 2, 2, 2, 2, 2, 2],
      enc_pads: [2, 2, 1, 1, 1, 1, 1],
      kernel_frames: 2,
      kernel_samples: 5,
      tcm_channels: 512,
      tcm_kernel: 3,
      tcm_dilations: [1, 2, 4, 8, 16, 32],
      tcm_stacks: 3,
    },
    gcrn: {
      enc_channels: [16, 32, 64, 128, 256],
      dec_channels: [128, 64, 32, 16, 1],
      kernel_bins: 3,
      stride_bins: 2,
      lstm_groups: 2,
      lstm_layers: 2,
    },
  },
  edge: {
    fdnn: { hidden_units: [512, 512, 512] },
    lstm: { lstm_units: 256, lstm_layers: 2 },
    tcnn: {
      enc_channels: [4, 4, 8, 8, 16, 32],
      enc_strides: [2, 2, 2, 2, 2, 2],
      enc_pads: [2, 1, 1, 1, 1, 1],
      kernel_frames: 2,
      kernel_samples: 5,
      tcm_channels: 256,
      tcm_kernel: 3,
      tcm_dilations: [1, 2, 4, 8, 16, 32],
      tcm_stacks: 2,
    },
    gcrn: {
      enc_channels: [4, 8, 16, 32, 48],
      dec_channels: [16, 16, 8, 4, 1],
      kernel_bins: 3,
      stride_bins: 2,
      lstm_groups: 2,
      lstm_layers: 2,
    },
  },
  tiny: {
    fdnn: { hidden_units: [16] },
    lstm: { lstm_units: 8, lstm_layers: 1 },
    tcnn: {
      enc_channels: [2, 2, 2, 2, 2, 2],
      enc_strides: [2, 2, 2, 2, 2, 2],
      enc_pads: [2, 1, 1, 1, 1, 1],
      kernel_frames: 2,
      kernel_samples: 5,
      tcm_channels: 8,
      tcm_kernel: 3,
      tcm_dilations: [1, 2],
      tcm_stacks: 1,
    },
    gcrn: {
      enc_channels: [2, 2, 2, 2, 4],
      dec_channels: [2, 2, 2, 2, 1],
      kernel_bins: 3,
      stride_bins: 2,
      lstm_groups: 2,
      lstm_layers: 2,
    },
  },
};

/** The ArchConfig of `preset` for `arch` (a fresh copy: callers may modify it). */
export function presetConfig(arch: ArchName, preset: PresetName): ArchConfig {
  if (!isArchName(arch)) throw new UserError(`unknown architecture '${arch}' (expected fdnn, lstm, tcnn or gcrn)`);
  if (!isPresetName(preset)) throw new UserError(`unknown preset '${preset}' (expected paper, edge or tiny)`);
  return { arch, hparams: structuredClone(PRESETS[preset][arch]) };
}
