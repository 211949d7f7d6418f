/**
 * Cumulative layer normalisation (cLN) of causal Conv-TasNet (Luo & Mesgarani, TASLP 2019, §III-C,
 * eqs. 13–15): frame k of x [B, C, T] is normalised by the mean and variance of every channel of
 * frames 0 … k, so no frame sees the future:
 *   E_k   = Σ_{t≤k} Σ_c x[c, t] / (C·(k + 1))
 *   Var_k = Σ_{t≤k} Σ_c x[c, t]² / (C·(k + 1)) − E_k²
 *   cLN(x)[c, k] = γ[c] · (x[c, k] − E_k) / √(Var_k + ε) + β[c]
 * Frame by frame (the later streaming runtime) this needs three numbers of state per cLN: the
 * running sums Σx and Σx² and the frame count; keep them in float64 there, since Σx² − (Σx)²/n
 * cancels (over a 1-hour stream Σx² grows to ~1e7·C while the variance stays O(1)).
 * Tensors (asteroid's _LayerNorm): `${prefix}.gamma` [C] (init 1), `${prefix}.beta` [C] (init 0).
 * Naming caution: this is asteroid's CumLN (norm_type 'cgLN'); asteroid's 'cLN' is its channel-wise,
 * per-frame ChanLN. The statistics follow the paper's equations above (some asteroid versions of
 * CumLN omit the division of Σx² by the count).
 */
import * as torch from '../../torch/torch.js';
import type { Tensor } from '../../torch/torch.js';
import type { Weights } from '../layers.js';

/** ε of the variance, asteroid's EPS (Conv-TasNet: "a small constant for numerical stability"). */
export const CLN_EPS = 1e-8;

/** [n, n] with ones on and above the diagonal: row-vector · U = inclusive prefix sums. */
function upperOnes(n: number, strict: boolean): Tensor {
  const d = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = strict ? i + 1 : i; j < n; j++) d[i * n + j] = 1;
  return torch.tensor(d, [n, n]);
}

/**
 * Inclusive prefix sum along the last dim of x [..., T] (torch.cumsum, which the addon does not
 * expose), differentiable. Two levels of ⌈√T⌉-long blocks, each a matmul with a triangle of ones,
 * so a 4-s segment of Conv-TasNet frames (T = 4000) costs ~2·√T = 126 MACs per element instead of
 * T with one [T, T] triangle.
 */
export function cumulativeSum(x: Tensor): Tensor {
  const rank = x.shape.length;
  const t = x.shape[rank - 1];
  const lead = x.shape.slice(0, -1);
  const block = Math.max(1, Math.ceil(Math.sqrt(t)));
  const blocks = Math.ceil(t / block);
  const padded = blocks * block > t ? x.pad([0, blocks * block - t]) : x; // [..., blocks·block]
  const within = padded.reshape([...lead, blocks, block]).matmul(upperOnes(block, false)); // [..., blocks, block]
  const totals = within.narrow(rank, block - 1, 1); // [..., blocks, 1]: sum of each block
  // Offsets: block k gets the totals of blocks 0 … k−1, i.e. Lᵀ·totals with strictly lower ones.
  const offsets = upperOnes(blocks, true).transpose(0, 1).matmul(totals); // [..., blocks, 1]
  return within.add(offsets).reshape([...lead, blocks * block]).narrow(rank - 1, 0, t);
}

/** cLN of x [B, C, T] with the tensors at `prefix` (see the file comment). */
export function cumulativeLayerNormLayer(w: Weights, prefix: string, x: Tensor): Tensor {
  const [, c, t] = x.shape;
  // Σ_c x and Σ_c x² per frame, cumulated over time together: [B, 2, T].
  const sums = cumulativeSum(torch.cat([x.sum(1, true), x.square().sum(1, true)], 1));
  const [sum, sumSq] = sums.chunk(2, 1); // [B, 1, T] each
  const count = torch.arange(1, t + 1).mul(c).reshape([1, 1, t]); // C·(k + 1)
  const mean = sum.div(count);
  const variance = sumSq.div(count).sub(mean.square()).clamp(0); // rounding can push it below 0
  const normed = x.sub(mean).div(variance.add(CLN_EPS).sqrt());
  return normed.mul(w(`${prefix}.gamma`).reshape([c, 1])).add(w(`${prefix}.beta`).reshape([c, 1]));
}
