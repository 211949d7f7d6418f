/**
 * Which configuration of the cited papers gives Table VI's sizes? A search over grids of the
 * hyper-parameter values Conv-TasNet (Luo & Mesgarani 2019, its hyper-parameter study) and uPIT
 * (Kolbæk et al. 2017: LSTM and BLSTM of 2–4 layers) work with, widened by the implementation
 * variants that change the count (where Conv-TasNet's input LayerNorm sits, one or two LSTM bias
 * vectors), under both readings of "MB" (MiB and 10^6 bytes). The grids are plausible ranges, not
 * transcriptions of the papers' tables; what matters is that the nearest configuration is unique and
 * far nearer than the next family of configurations (sizes.md shows both).
 */
import {
  convTasNetParams, float32MBOf, float32MiBOf, TABLE_VI_SIZES_MB, upitLstmParams,
  type ConvTasNetHParams, type UpitLstmHParams,
} from './sizes.js';
import { SEPARATION_SPEAKERS } from './presets.js';

/** How "MB" is read. */
export type MbConvention = 'MiB' | 'MB';

/** The grid of Conv-TasNet hyper-parameters searched. */
export const CONV_TASNET_GRID = {
  N: [128, 256, 512],
  L: [16, 20, 32, 40],
  B: [64, 128, 256],
  H: [256, 512],
  Sc: [64, 128, 256],
  P: [3],
  X: [6, 7, 8],
  R: [2, 3, 4],
  layout: ['paper', 'naplab'] as const,
} as const;

/** The grid of uPIT-LSTM hyper-parameters searched (129 bins: 8 kHz, 256-point DFT). */
export const UPIT_LSTM_GRID = {
  layers: [2, 3, 4],
  units: [256, 512, 600, 896, 1024, 1280, 1792, 2048],
  directions: [1, 2] as const,
  biasVectors: [1, 2] as const,
} as const;

/** One searched configuration and its size. */
export interface SizeCandidate<T> {
  hparams: T;
  params: number;
  /** Size in the convention searched. */
  size: number;
  /** (size − target) / target. */
  relError: number;
}

/** Every Conv-TasNet configuration of the grid. */
export function convTasNetGridConfigs(): ConvTasNetHParams[] {
  const g = CONV_TASNET_GRID;
  const out: ConvTasNetHParams[] = [];
  for (const N of g.N) for (const L of g.L) for (const B of g.B) for (const H of g.H) for (const Sc of g.Sc)
    for (const P of g.P) for (const X of g.X) for (const R of g.R) for (const layout of g.layout)
      out.push({ N, L, B, H, Sc, P, X, R, speakers: SEPARATION_SPEAKERS, layout });
  return out;
}

/** Every uPIT-LSTM configuration of the grid. */
export function upitLstmGridConfigs(): UpitLstmHParams[] {
  const g = UPIT_LSTM_GRID;
  const out: UpitLstmHParams[] = [];
  for (const layers of g.layers) for (const units of g.units) for (const directions of g.directions)
    for (const biasVectors of g.biasVectors)
      out.push({ bins: 129, layers, units, directions, biasVectors, speakers: SEPARATION_SPEAKERS, hopSamples: 128 });
  return out;
}

/**
 * Configurations sorted by |size − target|, nearest first; ties keep the input order (the grids list
 * the papers' values last, e.g. Conv-TasNet's X = 8 after X = 6, and are reversed here so that of two
 * configurations with the same count — X·R = 8·3 and 6·4 — the paper's comes first).
 */
export function sizeNearest<T>(configs: readonly T[], count: (h: T) => number, targetMb: number, convention: MbConvention): SizeCandidate<T>[] {
  const sizeOf = convention === 'MiB' ? float32MiBOf : float32MBOf;
  return configs
    .map((hparams) => {
      const params = count(hparams);
      const size = sizeOf(params);
      return { hparams, params, size, relError: (size - targetMb) / targetMb };
    })
    .reverse()
    .sort((a, b) => Math.abs(a.relError) - Math.abs(b.relError));
}

/** The Conv-TasNet search against Table VI's 19.27 MB. */
export function convTasNetSearch(convention: MbConvention): SizeCandidate<ConvTasNetHParams>[] {
  return sizeNearest(convTasNetGridConfigs(), convTasNetParams, TABLE_VI_SIZES_MB.convTasNet, convention);
}

/** The uPIT-LSTM search against Table VI's 250.46 MB. */
export function upitLstmSearch(convention: MbConvention): SizeCandidate<UpitLstmHParams>[] {
  return sizeNearest(upitLstmGridConfigs(), upitLstmParams, TABLE_VI_SIZES_MB.upitLstm, convention);
}
