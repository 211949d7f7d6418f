/**
 * The level the networks are trained at. The paper's mixer rescales each mixture to unit RMS over
 * the whole utterance (non-causal; src/data/mixer.ts). A live runtime cannot: its causal level
 * normaliser (src/dsp/level.ts, 'track') scales each input sample by a gain estimated from the past,
 * which starts from the first hop's power and settles over ~3 s. With level 'track' training sees
 * exactly that: the unit-RMS mixture y and its clean s both multiplied by the tracker's per-sample
 * gains g (fresh tracker at the segment start, as at the start of a stream), so the net learns on
 * what the runtime feeds it; the enhanced signal is unscaled by g (as the runtime does) before it is
 * scored, so metrics compare with the same clean reference as level 'global'.
 */
import { levelTrackGains } from '../dsp/level.js';
import type { TrainPair } from './features.js';

/** 'global': the mixer's unit-RMS scaling only (the paper's); 'track': the runtime's causal tracker on top. */
export const TRAIN_LEVELS = ['global', 'track'] as const;
export type TrainLevel = (typeof TRAIN_LEVELS)[number];

/** A pair as the net sees it under `level`, with the per-sample gains applied (null for 'global'). */
export function pairAtLevel(p: TrainPair, level: TrainLevel): { pair: TrainPair; gains: Float64Array | null } {
  if (level === 'global') return { pair: p, gains: null };
  const gains = levelTrackGains(p.mixture);
  const mixture = new Float32Array(p.mixture.length);
  const clean = new Float32Array(p.clean.length);
  for (let i = 0; i < gains.length; i++) {
    mixture[i] = p.mixture[i] * gains[i];
    clean[i] = p.clean[i] * gains[i];
  }
  return { pair: { mixture, clean }, gains };
}

/** Undoes pairAtLevel's gains on an enhanced signal (in place; no-op for null). */
export function signalUnlevel(x: Float32Array, gains: Float64Array | null): Float32Array {
  if (gains !== null) for (let i = 0; i < x.length; i++) x[i] /= gains[i];
  return x;
}
