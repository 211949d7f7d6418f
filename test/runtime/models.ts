/**
 * Test models for the runtime parity tests. They live in tools/bench/parityModels.ts (compiled, so
 * tools/bench/parityEdge.ts runs the same encodings on the edge presets); see there.
 */
export * from '../../tools/bench/parityModels.js';
import type { ArchConfig, ArchName } from '../../src/models/index.js';

/**
 * Widths and depths of no preset, one per architecture (TCNN with 3-frame kernels, deeper LSTMs, 4
 * LSTM groups, narrowed GCRN decoders): the runtime and the streaming nets must read every shape
 * from the hyper-parameters, not from a preset.
 */
export const VARIANTS: Record<ArchName, ArchConfig> = {
  fdnn: { arch: 'fdnn', hparams: { hidden_units: [24, 12, 8] } },
  lstm: { arch: 'lstm', hparams: { lstm_units: 12, lstm_layers: 3 } },
  tcnn: {
    arch: 'tcnn',
    hparams: {
      enc_channels: [2, 3, 4], enc_strides: [2, 2, 2], enc_pads: [2, 1, 1], kernel_frames: 3, kernel_samples: 5,
      tcm_channels: 6, tcm_kernel: 2, tcm_dilations: [1, 4], tcm_stacks: 2,
    },
  },
  gcrn: {
    arch: 'gcrn',
    hparams: {
      enc_channels: [2, 4, 4, 8], dec_channels: [4, 4, 2, 1], kernel_bins: 3, stride_bins: 2, lstm_groups: 4, lstm_layers: 3,
      complex_mask: 1, input_compress: 1, // the optional complex-ratio-mask output and compressed input (gcrnLayout.ts)
    },
  },
};
