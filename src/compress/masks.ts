/**
 * Pruning masks and how they are chosen (Tan & Wang §II-B).
 *
 * A mask is a Uint8Array with one byte per element of a weight tensor: 1 = kept ("nonzero weight",
 * the set W_l of Algorithms 1–3), 0 = pruned. Pruned weights are exactly 0.0 in the tensor at all
 * times: the fine-tuning loop re-applies the mask after every optimiser step (finetune.ts).
 *
 * Selection of β % of a tensor:
 *   - unstructured: the round(β·N / 100) kept weights with the smallest |w| (N = kept weights);
 *   - structured: the round(β·G / 100) kept groups with the smallest ℓ1 norm (G = groups with at
 *     least one kept weight), every weight of those groups pruned.
 * Ties are broken by flat position / group id (lowest first), so selection is deterministic.
 * Magnitudes and norms are compared in float64.
 */
import { groupForEach, type GroupLayout } from './groups.js';

/** 1 = kept, 0 = pruned; one byte per element. */
export type Mask = Uint8Array;

/** A mask keeping every element. */
export function maskFull(numel: number): Mask {
  return new Uint8Array(numel).fill(1);
}

/** Number of kept elements. */
export function maskKept(mask: Mask): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i];
  return n;
}

/** Zeroes the pruned elements of `values` in place; returns `values`. */
export function maskApply(values: Float32Array, mask: Mask): Float32Array {
  if (values.length !== mask.length) throw new RangeError(`maskApply: ${values.length} values, ${mask.length} mask bytes`);
  for (let i = 0; i < values.length; i++) if (!mask[i]) values[i] = 0;
  return values;
}

/** Number of elements to prune for β percent of `alive` (round half up). */
export function pruneCount(alive: number, betaPercent: number): number {
  if (!(betaPercent >= 0 && betaPercent <= 100)) throw new RangeError(`pruning ratio ${betaPercent} % is outside 0…100`);
  return Math.min(alive, Math.round((betaPercent * alive) / 100));
}

/** Kept positions sorted by ascending |w| (ties: lower position first). */
export function magnitudeOrder(values: Float32Array, mask: Mask): Uint32Array {
  const n = maskKept(mask);
  const idx = new Uint32Array(n);
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) idx[k++] = i;
  const mag = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) mag[i] = Math.abs(values[i]);
  return idx.sort((a, b) => mag[a] - mag[b] || a - b);
}

/**
 * The mask after pruning the `count` kept weights of smallest |w|, given their order from
 * magnitudeOrder (a new mask; `mask` is not modified).
 */
export function maskPruneOrdered(mask: Mask, order: Uint32Array, count: number): Mask {
  const out = Uint8Array.from(mask);
  for (let i = 0; i < count; i++) out[order[i]] = 0;
  return out;
}

/** Unstructured pruning of β % of the kept weights of one tensor (new mask). */
export function maskUnstructured(values: Float32Array, mask: Mask, betaPercent: number): Mask {
  const order = magnitudeOrder(values, mask);
  return maskPruneOrdered(mask, order, pruneCount(order.length, betaPercent));
}

/** Per group: ℓ1 norm of its kept weights (float64) and whether it has any kept weight. */
export function groupNorms(values: Float32Array, mask: Mask, layout: GroupLayout): { l1: Float64Array; alive: Uint8Array } {
  const l1 = new Float64Array(layout.groups);
  const alive = new Uint8Array(layout.groups);
  for (let g = 0; g < layout.groups; g++) {
    let s = 0;
    let a = 0;
    groupForEach(layout, g, (p) => {
      if (mask[p]) {
        a = 1;
        s += Math.abs(values[p]);
      }
    });
    l1[g] = s;
    alive[g] = a;
  }
  return { l1, alive };
}

/** Groups with a kept weight, sorted by ascending ℓ1 norm (ties: lower id first). */
export function groupOrder(values: Float32Array, mask: Mask, layout: GroupLayout): Uint32Array {
  const { l1, alive } = groupNorms(values, mask, layout);
  const ids: number[] = [];
  for (let g = 0; g < layout.groups; g++) if (alive[g]) ids.push(g);
  return Uint32Array.from(ids).sort((a, b) => l1[a] - l1[b] || a - b);
}

/** The mask after pruning the first `count` groups of `order` entirely (a new mask). */
export function maskPruneGroups(mask: Mask, layout: GroupLayout, order: Uint32Array, count: number): Mask {
  const out = Uint8Array.from(mask);
  for (let i = 0; i < count; i++) groupForEach(layout, order[i], (p) => (out[p] = 0));
  return out;
}

/** Structured pruning of β % of the kept groups of one tensor (new mask). */
export function maskStructured(values: Float32Array, mask: Mask, layout: GroupLayout, betaPercent: number): Mask {
  const order = groupOrder(values, mask, layout);
  return maskPruneGroups(mask, layout, order, pruneCount(order.length, betaPercent));
}

/** Number of groups with at least one kept weight. */
export function groupsAlive(mask: Mask, layout: GroupLayout): number {
  let n = 0;
  for (let g = 0; g < layout.groups; g++) {
    let a = 0;
    groupForEach(layout, g, (p) => (a |= mask[p]));
    n += a;
  }
  return n;
}

/** Kept weights per group (p_g of eq. 8 over the kept weights). */
export function groupKeptCounts(mask: Mask, layout: GroupLayout): Uint32Array {
  const out = new Uint32Array(layout.groups);
  for (let g = 0; g < layout.groups; g++) {
    let n = 0;
    groupForEach(layout, g, (p) => (n += mask[p]));
    out[g] = n;
  }
  return out;
}

/** Ascending flat positions of the kept elements. */
export function maskPositions(mask: Mask): Uint32Array {
  const out = new Uint32Array(maskKept(mask));
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) out[k++] = i;
  return out;
}

/** A mask of the nonzero elements of `values`. */
export function maskFromNonzero(values: Float32Array): Mask {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
  return out;
}
