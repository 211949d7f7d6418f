/**
 * FDNN (Tan & Wang TASLP 2021 §III-B1): a frame-wise feedforward mask estimator.
 *   magnitude [161] → (Linear + ReLU) per hidden layer → Linear 161 + sigmoid = IRM (eq. 12).
 *
 * Hyper-parameters:
 *   hidden_units: number[]  width of each hidden layer, in order (paper: [2048, 2048, 2048])
 *
 * Tensors: fc1 … fcL (hidden layers), out (output layer), each `.weight` [out, in] and `.bias`.
 */
import { NUM_BINS } from '../dsp/constants.js';
import { hparamInts, type ArchConfig } from './config.js';
import { LayoutBuilder, type ArchLayout } from './paramSpec.js';

/** FDNN hyper-parameters, validated. */
export interface FdnnHParams {
  /** Width of each hidden layer, input side first. */
  hiddenUnits: number[];
}

/** Reads and validates an FDNN config (UserError on bad values). */
export function fdnnHParams(config: ArchConfig): FdnnHParams {
  return { hiddenUnits: hparamInts(config, 'hidden_units') };
}

/** FDNN module names (nn.Linear prefixes): the one place they are spelled. */
export const FDNN_NAMES = {
  /** Hidden layer i, 1-based: `fc{i}`. */
  hidden: (i: number): string => `fc${i}`,
  /** The output layer. */
  out: 'out',
} as const;

/** Tensors and MAC terms of an FDNN. */
export function fdnnLayout(config: ArchConfig): ArchLayout {
  const { hiddenUnits } = fdnnHParams(config);
  const b = new LayoutBuilder();
  let inF = NUM_BINS;
  hiddenUnits.forEach((units, i) => {
    b.linear(FDNN_NAMES.hidden(i + 1), inF, units);
    inF = units;
  });
  b.linear(FDNN_NAMES.out, inF, NUM_BINS);
  return b.build();
}
