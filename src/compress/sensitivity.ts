/**
 * Per-tensor sensitivity analyses of Tan & Wang §II-B/§II-D, written against an abstract loss
 * oracle so that the algorithms (and their edge cases) are testable without a network:
 *
 *   Algorithm 1 (unstructured): for β = 0 %, 5 %, …, 100 %, set the β % kept weights of smallest |w|
 *     to zero; I = L(V, Θ | those = 0) − L(V, Θ); at the first β with I > α1, β_l = β − 5 % and stop;
 *     if no β exceeds the tolerance, β_l = 100 %.
 *   Algorithm 2 (structured): the same over the β % kept weight groups of smallest ℓ1 norm.
 *   Blocks (beyond the paper, blocks.ts): Algorithm 1 over the β % kept br × bc blocks of smallest ℓ2 norm.
 *   Algorithm 3 (k-means): K = 1, 2, 4, …: I_K = L(V, Θ | W_l k-means-quantised with K clusters)
 *     − L(V, Θ); stop at the first K with I_K < α2 or 2K > n(W_l), K_l = K.
 *
 * Faithfulness notes (the pseudo-code's edge cases, made explicit):
 *  - Algorithms 1/2 compare with `>` (strictly exceeds α1); Algorithm 3 with `<` (strictly below α2).
 *  - β = 0 % removes nothing, so its perturbed loss IS the unperturbed loss and I = 0; it is not
 *    evaluated unless `evaluateZero`. With α1 ≥ 0 this never exceeds. Were I > α1 at 0 % (α1 < 0,
 *    or a nondeterministic oracle with evaluateZero), the pseudo-code's β − 5 % = −5 % is clamped
 *    to 0 % and flagged (`clamped`).
 *  - Exceeding at 5 % gives β_l = 0 %; never exceeding gives 100 % (the whole tensor).
 *  - Grid points that select the same set as the previous point (small tensors: round(β·N) equal)
 *    reuse its loss instead of evaluating again; the outcome is identical.
 *  - Algorithm 3's printed listing puts `K ← 2K` after `end while`, which as written never
 *    terminates for a tensor that is not accepted at K = 1; the intent (double K inside the
 *    loop) is implemented. The test 2K > n is made before evaluating I_K (it decides the outcome
 *    regardless of I_K), so the last K of a tiny tensor costs no evaluation. A tensor with no
 *    kept weight gets K_l = 0 (nothing to store). K never exceeds n(W_l).
 */
import { PRUNE_GRID_STEP_PERCENT } from './defaults.js';
import { blockOrder, maskPruneBlocks, type BlockLayout } from './blocks.js';
import type { GroupLayout } from './groups.js';
import { kmeansQuantize } from './kmeans.js';
import { groupOrder, magnitudeOrder, maskKept, maskPruneGroups, pruneCount, type Mask } from './masks.js';

/**
 * The validation loss L(V, Θ) of a network with one tensor replaced. `values` null = unperturbed.
 * Implementations: evaluator.ts (a net on a fixed validation batch), tests (closed forms).
 */
export type TensorLoss = (tensor: string, values: Float32Array | null) => number | Promise<number>;

/** One weight tensor as the analyses see it. */
export interface SensitivityTensor {
  name: string;
  /** Current values (pruned elements are 0). Not modified. */
  values: Float32Array;
  /** Kept elements (the nonzero weights W_l). */
  mask: Mask;
  /** Weight groups (Algorithm 2 only). */
  groups?: GroupLayout;
  /** Block grid (block pruning only). */
  blocks?: BlockLayout;
}

/** One evaluated grid point. */
export interface SensitivityStep {
  /** β in percent (Algorithms 1/2) or K (Algorithm 3). */
  at: number;
  /** Elements (Alg. 1), groups (Alg. 2) removed at this β; clusters asked for (Alg. 3). */
  removed: number;
  /** Loss increase I; null when not evaluated (β = 0 %, or Alg. 3's final 2K > n step). */
  increase: number | null;
  /** True when the loss was taken from the previous grid point (same selection). */
  reused?: boolean;
}

/** Result of Algorithm 1 or 2 for one tensor. */
export interface PruneSensitivity {
  tensor: string;
  algorithm: 'unstructured' | 'structured' | 'blocks';
  /** β_l in percent (0 … 100, multiple of the grid step). */
  beta: number;
  /** True when the pseudo-code's β − 5 % was negative and clamped to 0. */
  clamped: boolean;
  /** Kept weights (Alg. 1) or groups with a kept weight (Alg. 2) before. */
  alive: number;
  steps: SensitivityStep[];
  /** Oracle calls made. */
  evaluations: number;
  seconds: number;
}

/** Result of Algorithm 3 for one tensor. */
export interface QuantSensitivity {
  tensor: string;
  algorithm: 'kmeans';
  /** K_l (0 for a tensor with no kept weight). */
  k: number;
  /** n(W_l). */
  nonzeros: number;
  steps: SensitivityStep[];
  evaluations: number;
  seconds: number;
}

/** Options of the pruning analyses. */
export interface PruneSensitivityOptions {
  /** Grid step in percent (default 5; must divide 100). */
  stepPercent?: number;
  /** Evaluate β = 0 % too (default false: its increase is 0 by construction). */
  evaluateZero?: boolean;
  /** L(V, Θ), if already known (else computed with one oracle call). */
  baseLoss?: number;
}

function gridOf(stepPercent: number): number[] {
  if (!(Number.isInteger(stepPercent) && stepPercent > 0 && 100 % stepPercent === 0)) {
    throw new RangeError(`sensitivity grid step must be an integer divisor of 100, got ${stepPercent}`);
  }
  const out: number[] = [];
  for (let b = 0; b <= 100; b += stepPercent) out.push(b);
  return out;
}

/**
 * The grid scan shared by Algorithms 1 and 2: `removedAt(β)` is how many units β % removes,
 * `perturbed(count)` the tensor with the first `count` units of the saliency order removed.
 */
async function gridScan(
  t: SensitivityTensor, algorithm: PruneSensitivity['algorithm'], alive: number, perturbed: (count: number) => Float32Array,
  loss: TensorLoss, alpha1: number, opts: PruneSensitivityOptions,
): Promise<PruneSensitivity> {
  const t0 = performance.now();
  const step = opts.stepPercent ?? PRUNE_GRID_STEP_PERCENT;
  let evaluations = 0;
  let base = opts.baseLoss;
  if (base === undefined) {
    base = await loss(t.name, null);
    evaluations++;
  }
  const steps: SensitivityStep[] = [];
  let beta: number | null = null;
  let prevCount = -1;
  let prevIncrease: number | null = null;
  for (const b of gridOf(step)) {
    const count = pruneCount(alive, b);
    let increase: number | null;
    let reused = false;
    if (b === 0 && !opts.evaluateZero) increase = count === 0 ? 0 : null;
    else if (count === prevCount && prevIncrease !== null) {
      increase = prevIncrease;
      reused = true;
    } else {
      increase = (await loss(t.name, perturbed(count))) - base;
      evaluations++;
    }
    steps.push(reused ? { at: b, removed: count, increase, reused } : { at: b, removed: count, increase });
    prevCount = count;
    prevIncrease = increase;
    if (increase !== null && increase > alpha1) {
      beta = b - step;
      break;
    }
  }
  const clamped = beta !== null && beta < 0;
  return {
    tensor: t.name, algorithm, beta: beta === null ? 100 : Math.max(0, beta), clamped, alive, steps, evaluations,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Algorithm 1 for one tensor. */
export function sensitivityUnstructured(
  t: SensitivityTensor, loss: TensorLoss, alpha1: number, opts: PruneSensitivityOptions = {},
): Promise<PruneSensitivity> {
  const order = magnitudeOrder(t.values, t.mask);
  const perturbed = (count: number) => {
    const v = Float32Array.from(t.values);
    for (let i = 0; i < count; i++) v[order[i]] = 0;
    return v;
  };
  return gridScan(t, 'unstructured', order.length, perturbed, loss, alpha1, opts);
}

/** Algorithm 2 for one tensor (needs `t.groups`). */
export function sensitivityStructured(
  t: SensitivityTensor, loss: TensorLoss, alpha1: number, opts: PruneSensitivityOptions = {},
): Promise<PruneSensitivity> {
  const layout = t.groups;
  if (!layout) throw new Error(`${t.name}: structured sensitivity needs the tensor's weight groups`);
  const order = groupOrder(t.values, t.mask, layout);
  const perturbed = (count: number) => {
    const m = maskPruneGroups(t.mask, layout, order, count);
    const v = Float32Array.from(t.values);
    for (let i = 0; i < v.length; i++) if (!m[i]) v[i] = 0;
    return v;
  };
  return gridScan(t, 'structured', order.length, perturbed, loss, alpha1, opts);
}

/** Algorithm 1 over blocks for one tensor (needs `t.blocks`; blocks.ts). */
export function sensitivityBlocks(
  t: SensitivityTensor, loss: TensorLoss, alpha1: number, opts: PruneSensitivityOptions = {},
): Promise<PruneSensitivity> {
  const layout = t.blocks;
  if (!layout) throw new Error(`${t.name}: block sensitivity needs the tensor's block grid`);
  const order = blockOrder(t.values, t.mask, layout);
  const perturbed = (count: number) => {
    const m = maskPruneBlocks(t.mask, layout, order, count);
    const v = Float32Array.from(t.values);
    for (let i = 0; i < v.length; i++) if (!m[i]) v[i] = 0;
    return v;
  };
  return gridScan(t, 'blocks', order.length, perturbed, loss, alpha1, opts);
}

/** Options of Algorithm 3. */
export interface QuantSensitivityOptions {
  /** L(V, Θ), if already known. */
  baseLoss?: number;
  /** Largest K tried (default: no limit but 2K > n; the `.hush` format allows K ≤ 65536). */
  maxK?: number;
}

/** Algorithm 3 for one tensor. */
export async function sensitivityKmeans(
  t: SensitivityTensor, loss: TensorLoss, alpha2: number, opts: QuantSensitivityOptions = {},
): Promise<QuantSensitivity> {
  const t0 = performance.now();
  const n = maskKept(t.mask);
  const steps: SensitivityStep[] = [];
  let evaluations = 0;
  if (n === 0) return { tensor: t.name, algorithm: 'kmeans', k: 0, nonzeros: 0, steps, evaluations, seconds: 0 };
  let base = opts.baseLoss;
  const maxK = opts.maxK ?? Infinity;
  let k = 1;
  for (;;) {
    if (2 * k > n || 2 * k > maxK) {
      steps.push({ at: k, removed: k, increase: null });
      break;
    }
    if (base === undefined) {
      base = await loss(t.name, null);
      evaluations++;
    }
    const q = kmeansQuantize(t.values, k, t.mask);
    const increase = (await loss(t.name, q.values)) - base;
    evaluations++;
    steps.push({ at: k, removed: k, increase });
    if (increase < alpha2) break;
    k *= 2;
  }
  return { tensor: t.name, algorithm: 'kmeans', k, nonzeros: n, steps, evaluations, seconds: (performance.now() - t0) / 1000 };
}

/** A job of a sensitivity analysis: which algorithm on which tensor with which tolerance. */
export type SensitivityJob =
  | { algorithm: 'unstructured' | 'structured' | 'blocks'; tensor: SensitivityTensor; alpha: number; options?: PruneSensitivityOptions }
  | { algorithm: 'kmeans'; tensor: SensitivityTensor; alpha: number; options?: QuantSensitivityOptions };

/** Runs one job with `loss`. */
export function sensitivityJobRun(job: SensitivityJob, loss: TensorLoss): Promise<PruneSensitivity | QuantSensitivity> {
  switch (job.algorithm) {
    case 'unstructured':
      return sensitivityUnstructured(job.tensor, loss, job.alpha, job.options);
    case 'structured':
      return sensitivityStructured(job.tensor, loss, job.alpha, job.options);
    case 'blocks':
      return sensitivityBlocks(job.tensor, loss, job.alpha, job.options);
    case 'kmeans':
      return sensitivityKmeans(job.tensor, loss, job.alpha, job.options);
  }
}
