/**
 * LSTM (Tan & Wang TASLP 2021 §III-B2): spectral mapping in the magnitude domain.
 *   magnitude [161] → nn.LSTM(161, H, num_layers = L) → Linear H→161 + ReLU = clean magnitude.
 *
 * Hyper-parameters:
 *   lstm_units: number    hidden size H of every layer (paper: 1024)
 *   lstm_layers: number   number of stacked layers L (paper: 4)
 *
 * Tensors: lstm.weight_ih_l{l} [4H, in], lstm.weight_hh_l{l} [4H, H], lstm.bias_ih_l{l} [4H],
 * lstm.bias_hh_l{l} [4H] (PyTorch nn.LSTM layout, gates i, f, g, o), fc.weight [161, H], fc.bias.
 */
import { NUM_BINS } from '../dsp/constants.js';
import { hparamInt, type ArchConfig } from './config.js';
import { LayoutBuilder, type ArchLayout } from './paramSpec.js';

/** LSTM hyper-parameters, validated. */
export interface LstmHParams {
  /** Hidden size of every layer. */
  units: number;
  /** Number of stacked layers. */
  layers: number;
}

/** Reads and validates an LSTM config (UserError on bad values). */
export function lstmHParams(config: ArchConfig): LstmHParams {
  return { units: hparamInt(config, 'lstm_units'), layers: hparamInt(config, 'lstm_layers') };
}

/** LSTM-net module names: the one place they are spelled (layer tensors: paramSpec.ts lstmLayerNames). */
export const LSTM_NAMES = {
  /** The stacked nn.LSTM. */
  lstm: 'lstm',
  /** The output nn.Linear. */
  out: 'fc',
} as const;

/** Tensors and MAC terms of an LSTM net. */
export function lstmLayout(config: ArchConfig): ArchLayout {
  const { units, layers } = lstmHParams(config);
  const b = new LayoutBuilder();
  for (let l = 0; l < layers; l++) b.lstmLayer(LSTM_NAMES.lstm, l, l === 0 ? NUM_BINS : units, units);
  b.linear(LSTM_NAMES.out, units, NUM_BINS);
  return b.build();
}
