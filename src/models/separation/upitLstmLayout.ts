/**
 * Causal uPIT-LSTM (Kolbæk et al., TASLP 2017) as a layout: every tensor with its PyTorch
 * state-dict name and shape, and its MAC terms. Tensor names are those of funcwj's PyTorch uPIT
 * (github.com/funcwj/uPIT-for-speech-separation, nnet.py PITNet: `rnn` an nn.LSTM with
 * batch_first, `linear` an nn.ModuleList of one nn.Linear per speaker). Hyper-parameters:
 * UpitLstmHParams (./sizes.ts), presets in ./presets.ts.
 *
 *   input   mixture STFT magnitude [B, T, bins] (8 kHz; ./upitStft.ts)
 *   rnn     `layers` unidirectional LSTM layers of `units` (weight_ih_l{l}, weight_hh_l{l},
 *           bias_ih_l{l}, bias_hh_l{l}: PyTorch's two bias vectors)
 *   linear.{s}, s = 0 … C − 1: Linear units → bins, ReLU = the mask of speaker s (Kolbæk et al.'s
 *           output nonlinearity with the phase-sensitive loss, ./pit.ts)
 *   output  masks [B, C, T, bins]; a speaker's estimate is mask ⊙ mixture magnitude with the
 *           mixture phase
 *
 * Only the causal PyTorch cell has tensors (directions 1, biasVectors 2); the other variants are
 * counted in sizes.ts only. MACs per STFT frame follow ./sizes.ts upitLstmMacsPerFrame (the C·bins
 * mask products are fixed MACs).
 */
import { UserError } from '../../errors.js';
import { LayoutBuilder, type ArchLayout } from '../paramSpec.js';
import type { UpitLstmHParams } from './sizes.js';

/** uPIT-LSTM module names (funcwj's): the one place they are spelled. */
export const UPIT_LSTM_NAMES = {
  /** The stacked nn.LSTM (layer l's tensors: paramSpec.ts lstmLayerNames). */
  lstm: 'rnn',
  /** nn.Linear giving the mask of speaker s (0-based). */
  mask: (s: number): string => `linear.${s}`,
} as const;

/** Tensors and MAC terms of the causal uPIT-LSTM, in the state-dict order of funcwj's module. */
export function upitLstmLayout(h: UpitLstmHParams): ArchLayout {
  if (h.directions !== 1 || h.biasVectors !== 2) {
    throw new UserError(
      `upit-lstm: only the causal PyTorch LSTM (directions 1, biasVectors 2) has tensors; got directions ${h.directions}, biasVectors ${h.biasVectors}`,
    );
  }
  const b = new LayoutBuilder();
  for (let l = 0; l < h.layers; l++) b.lstmLayer(UPIT_LSTM_NAMES.lstm, l, l === 0 ? h.bins : h.units, h.units);
  for (let s = 0; s < h.speakers; s++) b.linear(UPIT_LSTM_NAMES.mask(s), h.units, h.bins);
  b.fixedMacsPerFrame += h.speakers * h.bins; // masks × mixture magnitude
  return b.build();
}
