/**
 * The output-to-reference assignment of a separation system, chosen per utterance by SI-SNR —
 * how separation results are scored (Luo & Mesgarani 2019 §IV-C; Kolbæk et al. 2017 §IV): of the
 * C! permutations, the one with the largest mean SI-SNR over the C speakers; every other metric
 * is then computed on that assignment. Host-side and double precision (./sdr.ts siSnr); the
 * training losses choose theirs in libtorch (src/models/separation/pit.ts).
 */
import { siSnr } from './sdr.js';
import type { Samples } from './signalCheck.js';

/** All permutations of 0 … n−1 in lexicographic order (the identity first). */
export function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  if (n === 1) return [[0]];
  const out: number[][] = [];
  for (const rest of permutations(n - 1)) {
    for (let k = 0; k <= rest.length; k++) out.push([...rest.slice(0, k), n - 1, ...rest.slice(k)]);
  }
  return out.sort((a, b) => a.join().localeCompare(b.join()));
}

/** The chosen assignment: estimate perm[s] goes with reference s. */
export interface PermutationChoice {
  perm: number[];
  /** SI-SNR (dB) of every reference s against estimate perm[s]. */
  siSnrs: number[];
}

/**
 * The permutation of `estimates` with the largest mean SI-SNR against `refs` (same count, equal
 * lengths); ties keep the earlier permutation (the identity first).
 */
export function permutationBySiSnr(refs: readonly Samples[], estimates: readonly Samples[]): PermutationChoice {
  const c = refs.length;
  if (estimates.length !== c) throw new RangeError(`permutationBySiSnr: ${c} references but ${estimates.length} estimates`);
  const pair = refs.map((r, s) => estimates.map((e, k) => siSnr(r, e, { ref: `reference ${s + 1}`, deg: `estimate ${k + 1}` }))); // [ref][est]
  let best: PermutationChoice | null = null;
  let bestMean = -Infinity;
  for (const p of permutations(c)) {
    const siSnrs = p.map((k, s) => pair[s][k]);
    const mean = siSnrs.reduce((a, b) => a + b, 0) / c;
    if (best === null || mean > bestMean) {
      best = { perm: p, siSnrs };
      bestMean = mean;
    }
  }
  return best as PermutationChoice;
}
