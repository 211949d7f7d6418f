/**
 * Which tensors are pruned and quantised, and their weight groups (Tan & Wang §II-B):
 *   - conv / deconv: each kernel is a group (a kh×kw matrix of a 2-D layer, a k-vector of a 1-D one):
 *     for a weight [d0, d1, ...k] the d0·d1 trailing blocks — `.hush` group axis HUSH_GROUP_KERNEL;
 *   - Linear, LSTM input-to-hidden, LSTM hidden-to-hidden: each column of the [out, in] matrix is a
 *     group ("one input unit"); for LSTM the four gates are concatenated (PyTorch's [4H, in]
 *     layout), so a column spans all four gates — `.hush` group axis HUSH_GROUP_DIM1;
 *   - biases, norms, PReLU slopes and BatchNorm statistics are never pruned (nor quantised).
 * The geometry is the `.hush` format's own (src/format/sparsity.ts), so structured masks are
 * stored as group lists without translation.
 */
import { groupGeometry } from '../format/sparsity.js';
import { HUSH_GROUP_DIM1, HUSH_GROUP_KERNEL } from '../format/spec.js';
import { shapeSize, type ParamKind, type ParamSpec } from '../models/paramSpec.js';

/** Kinds of tensors that pruning and quantisation act on ("weight tensors" W_l of Algorithms 1–3). */
export const PRUNABLE_KINDS: readonly ParamKind[] = ['linear', 'conv', 'deconv', 'lstm_ih', 'lstm_hh'];

/** True for weight tensors (pruned and quantised); false for biases, norms, PReLU, buffers. */
export function isPrunable(spec: Pick<ParamSpec, 'kind' | 'buffer'>): boolean {
  return !spec.buffer && PRUNABLE_KINDS.includes(spec.kind);
}

/** The weight tensors of a network, in state-dict order. */
export function prunableSpecs(specs: readonly ParamSpec[]): ParamSpec[] {
  return specs.filter(isPrunable);
}

/** Group layout of one weight tensor. */
export interface GroupLayout {
  /** `.hush` group axis: HUSH_GROUP_DIM1 (columns) or HUSH_GROUP_KERNEL (kernels). */
  axis: number;
  /** Number of groups G. */
  groups: number;
  /** Elements per group S (G·S = numel). */
  size: number;
  /**
   * Flat positions of group g are `first(g) + r·stride + t` for r < runs, t < run: a column of
   * [out, in] is `out` runs of 1 element, stride `in`; a kernel is one run of S elements.
   */
  runs: number;
  run: number;
  stride: number;
}

/** The group layout of a weight tensor (throws for tensors that are not prunable). */
export function groupLayout(spec: Pick<ParamSpec, 'name' | 'kind' | 'shape'>): GroupLayout {
  const shape = spec.shape;
  if (spec.kind === 'linear' || spec.kind === 'lstm_ih' || spec.kind === 'lstm_hh') {
    if (shape.length !== 2) throw new Error(`${spec.name}: a ${spec.kind} weight must be 2-D, got [${shape}]`);
    return { axis: HUSH_GROUP_DIM1, groups: shape[1], size: shape[0], runs: shape[0], run: 1, stride: shape[1] };
  }
  if (spec.kind === 'conv' || spec.kind === 'deconv') {
    const geo = groupGeometry(shape, HUSH_GROUP_KERNEL);
    if (!geo || shape.length < 3) throw new Error(`${spec.name}: a ${spec.kind} weight must have rank ≥ 3, got [${shape}]`);
    return { axis: HUSH_GROUP_KERNEL, groups: geo.groups, size: geo.size, runs: 1, run: geo.size, stride: 0 };
  }
  throw new Error(`${spec.name}: ${spec.kind} tensors have no weight groups (never pruned)`);
}

/** First flat position of group g. */
export function groupFirst(layout: GroupLayout, g: number): number {
  return layout.axis === HUSH_GROUP_DIM1 ? g : g * layout.size;
}

/** Calls fn(p) for every flat position p of group g (ascending). */
export function groupForEach(layout: GroupLayout, g: number, fn: (p: number) => void): void {
  const first = groupFirst(layout, g);
  for (let r = 0; r < layout.runs; r++) {
    const base = first + r * layout.stride;
    for (let t = 0; t < layout.run; t++) fn(base + t);
  }
}

/** Group id of every flat position (Uint32Array of numel). */
export function groupIdOfPosition(layout: GroupLayout, numel: number): Uint32Array {
  const out = new Uint32Array(numel);
  for (let g = 0; g < layout.groups; g++) groupForEach(layout, g, (p) => (out[p] = g));
  return out;
}

/** Number of elements of a spec. */
export function specNumel(spec: Pick<ParamSpec, 'shape'>): number {
  return shapeSize(spec.shape);
}
