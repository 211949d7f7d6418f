/**
 * Block-sparse pruning (beyond the paper; issue #18): Algorithm 1's per-tensor sensitivity scan with
 * blocks as the pruning unit instead of single weights, so that the runtime can multiply each kept
 * block as one dense SIMD product (assembly/nn/matvec-block.ts) instead of gathering single weights.
 *
 *   blocks   br × bc tiles of a weight's matrix view W [rows = dim0][cols = the rest] — 4x1, 8x1, 1x4:
 *            the `.hush` sparsity kind `blocks` (docs/format.md "Blocks"), so a pruned mask is stored
 *            as a block list without translation. What a block is, per kind:
 *              Linear / LSTM [out][in], 1×1 Conv1d [out][in][1]: 4x1 = 4 outputs of one input, 8x1,
 *                1x4 = 4 inputs of one output (nn/matvec-block.ts)
 *              Conv2d [Cout][Cin][kT][kF]: 4x1 = 4 output channels at one (input channel, tap), 8x1,
 *                1x4 = 4 consecutive (ci, t, k) of one output channel (nn/conv-block.ts)
 *              ConvTranspose2d [Cin][Cout][kT][kF]: 4x1 = 4 input channels at one (output channel,
 *                tap), 8x1 — each one f32x4 product into one output (nn/conv-block.ts); not 1x4 (4
 *                consecutive (co, t, k) of one input scatter over outputs and phases)
 *   saliency ℓ2 norm of the block's kept weights, ascending (ties: lower block id), compared in f64;
 *            the ℓ2 norm (not Alg. 2's ℓ1) ranks a block by the energy it contributes to the outputs,
 *            the usual choice for block pruning (e.g. Narang et al. 2017, block-sparse RNNs)
 *   β        % of the blocks with a kept weight, on Alg. 1's 5 % grid with tolerance α1
 *
 * Which tensors: the above whose matrix view the block tiles; depthwise and other k > 1 Conv1d
 * kernels (TCNN's depthwise TCM convs, Conv-TasNet's encoder) and every other prunable tensor keep
 * Algorithm 1 unstructured.
 */
import { UserError } from '../errors.js';
import { blockShapeValid } from '../format/spec.js';
import type { HushBlockShape } from '../format/tensor.js';
import { isMatrixSpec, shapeSize, type ParamSpec } from '../models/paramSpec.js';
import { pruneCount, type Mask } from './masks.js';

/** The block shapes of `--block`. */
export const BLOCK_SHAPE_NAMES = ['4x1', '8x1', '1x4'] as const;
export type BlockShapeName = (typeof BLOCK_SHAPE_NAMES)[number];

/** Tensor kinds pruned in blocks (the rest stay unstructured; `conv` only as Conv2d or a 1×1 Conv1d, `deconv` as ConvTranspose2d). */
export const BLOCK_KINDS: readonly ParamSpec['kind'][] = ['linear', 'lstm_ih', 'lstm_hh', 'conv', 'deconv'];

/** True when a tensor of this kind and shape is pruned in `block`s at all (before the tiling check). */
function blockApplies(spec: Pick<ParamSpec, 'kind' | 'shape'>, block: HushBlockShape): boolean {
  if (!BLOCK_KINDS.includes(spec.kind)) return false;
  if (spec.kind === 'deconv') return spec.shape.length === 4 && block[1] === 1;
  if (spec.kind === 'conv') return spec.shape.length === 4 || isMatrixSpec(spec as ParamSpec);
  return spec.shape.length === 2;
}

/** The block grid of one matrix: W [rows][cols] in br × bc blocks, `blockCols` = cols / bc per block row. */
export interface BlockLayout {
  rows: number;
  cols: number;
  br: number;
  bc: number;
  blocks: number;
  blockCols: number;
}

/** '4x1' → [4, 1]; a UserError naming the allowed shapes otherwise. */
export function blockShapeParse(text: string): HushBlockShape {
  const m = /^(\d+)x(\d+)$/.exec(text.trim());
  const shape: HushBlockShape | null = m ? [Number(m[1]), Number(m[2])] : null;
  if (!shape || !blockShapeValid(shape[0], shape[1])) throw new UserError(`--block must be one of ${BLOCK_SHAPE_NAMES.join(', ')}, got '${text}'`);
  return shape;
}

/** [4, 1] → '4x1'. */
export function blockShapeName(b: HushBlockShape): string {
  return `${b[0]}x${b[1]}`;
}

/** The block grid of a weight tensor's matrix view, or null when it is not pruned in blocks (kind, rank, or the block does not tile it). */
export function blockLayout(spec: Pick<ParamSpec, 'kind' | 'shape'>, block: HushBlockShape): BlockLayout | null {
  const [br, bc] = block;
  if (!blockApplies(spec, block)) return null;
  const rows = spec.shape[0];
  const cols = shapeSize(spec.shape) / rows;
  if (rows % br !== 0 || cols % bc !== 0) return null;
  return { rows, cols, br, bc, blocks: (rows / br) * (cols / bc), blockCols: cols / bc };
}

/** Calls fn(p) for every flat position p of block b (row-major inside the block). */
export function blockForEach(l: BlockLayout, b: number, fn: (p: number) => void): void {
  const r0 = Math.floor(b / l.blockCols) * l.br;
  const c0 = (b % l.blockCols) * l.bc;
  for (let i = 0; i < l.br; i++) for (let k = 0; k < l.bc; k++) fn((r0 + i) * l.cols + c0 + k);
}

/** Blocks with a kept weight, sorted by ascending ℓ2 norm of their kept weights (ties: lower id first). */
export function blockOrder(values: Float32Array, mask: Mask, l: BlockLayout): Uint32Array {
  const l2 = new Float64Array(l.blocks);
  const ids: number[] = [];
  for (let b = 0; b < l.blocks; b++) {
    let s = 0;
    let alive = false;
    blockForEach(l, b, (p) => {
      if (mask[p]) {
        alive = true;
        s += values[p] * values[p];
      }
    });
    l2[b] = Math.sqrt(s);
    if (alive) ids.push(b);
  }
  return Uint32Array.from(ids).sort((a, b) => l2[a] - l2[b] || a - b);
}

/** The mask after pruning the first `count` blocks of `order` entirely (a new mask). */
export function maskPruneBlocks(mask: Mask, l: BlockLayout, order: Uint32Array, count: number): Mask {
  const out = Uint8Array.from(mask);
  for (let i = 0; i < count; i++) blockForEach(l, order[i], (p) => (out[p] = 0));
  return out;
}

/**
 * Block pruning of β % of the blocks with a kept weight (new mask). From a block-aligned mask (every
 * block all kept or all pruned: the full mask of a first iteration, and every result of this) the
 * result is block-aligned, i.e. a `.hush` block list (export.ts checks and otherwise stores positions).
 */
export function maskBlocks(values: Float32Array, mask: Mask, l: BlockLayout, betaPercent: number): Mask {
  const order = blockOrder(values, mask, l);
  return maskPruneBlocks(mask, l, order, pruneCount(order.length, betaPercent));
}
