/**
 * Sparsity patterns of `.hush` k-means and sparse tensors: which flat positions are stored.
 *   none    every element (block empty)
 *   bitmap  ⌈count/8⌉ bytes, bit p (LSB-first) set when position p is stored
 *   delta   the positions gap-coded at width w (bitpack.ts), w = param & 0xff
 *   groups  the kept groups' ids gap-coded at width w; axis = (param >> 8) & 0xff; every element of a
 *           kept group is stored, nothing else. For shape [d0, d1, ...rest], R = ∏rest:
 *             axis 0 (HUSH_GROUP_DIM0):   G = d0 groups, p ∈ g ⇔ ⌊p / (d1·R)⌋ = g  (rows of [out, in])
 *             axis 1 (HUSH_GROUP_DIM1):   G = d1 groups, p ∈ g ⇔ ⌊p / R⌋ mod d1 = g (columns: inputs)
 *             axis 2 (HUSH_GROUP_KERNEL): G = d0·d1 groups, p ∈ g ⇔ ⌊p / R⌋ = g   (conv kernels out×in)
 *   blocks  (minor 2) the kept br×bc blocks of the matrix view [R = d0][C = count/d0], ids
 *           b = rb·(C/bc) + cb gap-coded at width w; param = w | br << 8 | bc << 16. The stored
 *           weights are in BLOCK order (each block's br·bc weights together, row-major inside it):
 *           sparsityEncode returns the permutation `order` the writer applies, sparsityDecode the
 *           positions in that storage order.
 * The writer picks the smallest block (ties: none, groups, bitmap, delta) unless told otherwise;
 * 'blocks' only when asked (it reorders the stored weights).
 */
import { bitpackRead, gapBestWidth, gapDecode, gapEncode } from './bitpack.js';
import {
  HUSH_GROUP_DIM0,
  HUSH_GROUP_DIM1,
  HUSH_GROUP_KERNEL,
  HUSH_SPARSITY_BITMAP,
  HUSH_SPARSITY_BLOCKS,
  HUSH_SPARSITY_DELTA,
  HUSH_SPARSITY_GROUPS,
  HUSH_SPARSITY_NONE,
  blockShapeValid,
} from './spec.js';
import { shapeElements, type HushBlockShape, type HushSparsityChoice, type HushSparsityKind } from './tensor.js';

/** An encoded sparsity block: kind id, the hush_tensor.sparsity_param word and the block bytes. */
export interface SparsityCode {
  kind: number;
  param: number;
  bytes: Uint8Array;
  /**
   * 'blocks' only: stored weight j of the file is the order[j]-th of the ascending positions (block
   * order); absent = ascending order.
   */
  order?: Uint32Array;
}

/** Kind ids by name and back. */
export const SPARSITY_IDS: Record<HushSparsityKind, number> = {
  none: HUSH_SPARSITY_NONE,
  bitmap: HUSH_SPARSITY_BITMAP,
  delta: HUSH_SPARSITY_DELTA,
  groups: HUSH_SPARSITY_GROUPS,
  blocks: HUSH_SPARSITY_BLOCKS,
};
export const SPARSITY_NAMES: Record<number, HushSparsityKind> = { 0: 'none', 1: 'bitmap', 2: 'delta', 3: 'groups', 4: 'blocks' };

/** The block grid of `shape` for br×bc blocks, or a reason why there is none (docs/format.md "Blocks"). */
export function blockGeometry(shape: readonly number[], br: number, bc: number): { rows: number; cols: number; blockCols: number; blocks: number; size: number } | string {
  if (!blockShapeValid(br, bc)) return `block shape ${br}x${bc} is not one of 4x1, 8x1, 1x4`;
  if (shape.length < 2) return `blocks need a matrix, not rank ${shape.length}`;
  const rows = shape[0];
  const cols = shapeElements(shape) / rows;
  if (rows % br !== 0 || cols % bc !== 0) return `the matrix view ${rows} × ${cols} does not tile into ${br}x${bc} blocks`;
  return { rows, cols, blockCols: cols / bc, blocks: (rows / br) * (cols / bc), size: br * bc };
}

/** Block id of flat position p (geometry from blockGeometry). */
function blockOf(p: number, cols: number, br: number, bc: number, blockCols: number): number {
  const r = Math.floor(p / cols);
  return Math.floor(r / br) * blockCols + Math.floor((p % cols) / bc);
}

/**
 * The flat positions of the kept blocks (ascending ids) in storage (block) order: block by block,
 * row-major inside each block.
 */
export function blockPositions(shape: readonly number[], br: number, bc: number, kept: ArrayLike<number>): Uint32Array {
  const geo = blockGeometry(shape, br, bc);
  if (typeof geo === 'string') throw new Error(geo);
  const out = new Uint32Array(kept.length * geo.size);
  let n = 0;
  for (let q = 0; q < kept.length; q++) {
    const rb = Math.floor(kept[q] / geo.blockCols), cb = kept[q] % geo.blockCols;
    for (let i = 0; i < br; i++) for (let k = 0; k < bc; k++) out[n++] = (rb * br + i) * geo.cols + cb * bc + k;
  }
  return out;
}

/**
 * The kept blocks (ascending ids) when `positions` (ascending, unique) is exactly their union, and
 * the storage permutation (SparsityCode.order); else a reason.
 */
export function blocksFromPositions(shape: readonly number[], block: HushBlockShape, positions: Uint32Array): { kept: Uint32Array; order: Uint32Array } | string {
  const [br, bc] = block;
  const geo = blockGeometry(shape, br, bc);
  if (typeof geo === 'string') return geo;
  const keep = new Uint8Array(geo.blocks);
  let kept = 0;
  for (let i = 0; i < positions.length; i++) {
    const b = blockOf(positions[i], geo.cols, br, bc, geo.blockCols);
    if (!keep[b]) {
      keep[b] = 1;
      kept++;
    }
  }
  if (kept * geo.size !== positions.length) return `${positions.length} stored weights are not whole ${br}x${bc} blocks`;
  const ids = new Uint32Array(kept);
  let n = 0;
  for (let b = 0; b < geo.blocks; b++) if (keep[b]) ids[n++] = b;
  // storage order: position → its index among the ascending positions (a table over the tensor:
  // a Map of 2 M entries took 10 % of building a paper-size GCRN file)
  const rank = new Uint32Array(shapeElements(shape));
  for (let i = 0; i < positions.length; i++) rank[positions[i]] = i;
  const stored = blockPositions(shape, br, bc, ids);
  const order = new Uint32Array(stored.length);
  for (let j = 0; j < stored.length; j++) order[j] = rank[stored[j]];
  return { kept: ids, order };
}

/** Groups along `axis` of `shape`: their number G and size S (G·S = count), or null when the rank is too small. */
export function groupGeometry(shape: readonly number[], axis: number): { groups: number; size: number } | null {
  const count = shapeElements(shape);
  if (axis === HUSH_GROUP_DIM0 && shape.length >= 1) return { groups: shape[0], size: count / shape[0] };
  if (axis === HUSH_GROUP_DIM1 && shape.length >= 2) return { groups: shape[1], size: count / shape[1] };
  if (axis === HUSH_GROUP_KERNEL && shape.length >= 2) return { groups: shape[0] * shape[1], size: count / (shape[0] * shape[1]) };
  return null;
}

/** Group id of flat position p along `axis` (geometry as in the file comment). */
export function groupOf(shape: readonly number[], axis: number, p: number): number {
  const inner = shape.length > 2 ? shapeElements(shape.slice(2)) : 1;
  if (axis === HUSH_GROUP_DIM0) return Math.floor(p / (shape.length > 1 ? shape[1] * inner : 1));
  if (axis === HUSH_GROUP_DIM1) return Math.floor(p / inner) % shape[1];
  return Math.floor(p / inner);
}

/** Ascending flat positions of the union of the kept groups (ascending ids); O(stored positions). */
export function groupPositions(shape: readonly number[], axis: number, kept: ArrayLike<number>): Uint32Array {
  const geo = groupGeometry(shape, axis);
  if (!geo) throw new Error(`groupPositions: axis ${axis} invalid for rank ${shape.length}`);
  const out = new Uint32Array(kept.length * geo.size);
  // rows (axis 0) and kernels (axis 2) are contiguous runs of `size`; a column (axis 1) is a run of R in every row
  const inner = shape.length > 2 ? shapeElements(shape.slice(2)) : 1;
  const rows = axis === HUSH_GROUP_DIM1 ? shape[0] : 1;
  const run = axis === HUSH_GROUP_DIM1 ? inner : geo.size;
  const rowStride = axis === HUSH_GROUP_DIM1 ? shape[1] * inner : 0;
  let n = 0;
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < kept.length; q++) {
      const first = r * rowStride + kept[q] * run;
      for (let t = 0; t < run; t++) out[n++] = first + t;
    }
  }
  return out;
}

/** The kept groups along `axis` when `positions` (ascending, unique) is exactly their union, else null. */
export function groupsFromPositions(shape: readonly number[], axis: number, positions: Uint32Array): Uint32Array | null {
  const geo = groupGeometry(shape, axis);
  if (!geo) return null;
  const keep = new Uint8Array(geo.groups);
  let kept = 0;
  for (let i = 0; i < positions.length; i++) {
    const g = groupOf(shape, axis, positions[i]);
    if (!keep[g]) {
      keep[g] = 1;
      kept++;
    }
  }
  // every position lies in a kept group, so equal sizes mean equal sets
  if (kept * geo.size !== positions.length) return null;
  const out = new Uint32Array(kept);
  let n = 0;
  for (let g = 0; g < geo.groups; g++) if (keep[g]) out[n++] = g;
  return out;
}

/** LSB-first bitmap of `positions` over `count` elements. */
export function bitmapEncode(positions: ArrayLike<number>, count: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(count / 8));
  for (let i = 0; i < positions.length; i++) out[positions[i] >>> 3] |= 1 << (positions[i] & 7);
  return out;
}

/**
 * Encodes the stored `positions` of a tensor of `shape` (null = all) with `choice`.
 * Throws when the requested kind cannot represent the pattern.
 */
export function sparsityEncode(shape: readonly number[], positions: Uint32Array | null, choice: HushSparsityChoice = 'auto', block?: HushBlockShape): SparsityCode {
  const count = shapeElements(shape);
  if (choice === 'blocks') {
    if (!block) throw new Error('sparsity "blocks" needs a block shape');
    const pos = positions ?? Uint32Array.from({ length: count }, (_, i) => i);
    const b = blocksFromPositions(shape, block, pos);
    if (typeof b === 'string') throw new Error(b);
    const { w } = gapBestWidth(b.kept);
    return { kind: HUSH_SPARSITY_BLOCKS, param: w | (block[0] << 8) | (block[1] << 16), bytes: gapEncode(b.kept, w), order: b.order };
  }
  const all = positions === null || positions.length === count;
  const candidates: SparsityCode[] = [];
  const want = (k: HushSparsityKind) => choice === 'auto' || choice === k;
  if (all && want('none')) candidates.push({ kind: HUSH_SPARSITY_NONE, param: 0, bytes: new Uint8Array(0) });
  const pos = positions ?? Uint32Array.from({ length: count }, (_, i) => i);
  if (want('groups')) {
    for (const axis of [HUSH_GROUP_DIM0, HUSH_GROUP_DIM1, HUSH_GROUP_KERNEL]) {
      // groups of one element are just positions: leave those to bitmap/delta
      if ((groupGeometry(shape, axis)?.size ?? 1) === 1) continue;
      const kept = groupsFromPositions(shape, axis, pos);
      if (!kept) continue;
      const { w } = gapBestWidth(kept);
      candidates.push({ kind: HUSH_SPARSITY_GROUPS, param: w | (axis << 8), bytes: gapEncode(kept, w) });
    }
  }
  if (want('bitmap')) candidates.push({ kind: HUSH_SPARSITY_BITMAP, param: 0, bytes: bitmapEncode(pos, count) });
  if (want('delta')) {
    const { w } = gapBestWidth(pos);
    candidates.push({ kind: HUSH_SPARSITY_DELTA, param: w, bytes: gapEncode(pos, w) });
  }
  if (candidates.length === 0) throw new Error(`sparsity "${choice}" cannot represent this pattern of ${pos.length} of ${count} weights`);
  // stable: on equal size the earlier candidate (none, groups, bitmap, delta) wins
  return candidates.reduce((best, c) => (c.bytes.length < best.bytes.length ? c : best));
}

/** Decodes a (validated) sparsity block to the positions in storage order (ascending but for blocks); null for kind none. */
export function sparsityDecode(shape: readonly number[], kind: number, param: number, bytes: Uint8Array, start: number, stored: number): Uint32Array | null {
  const count = shapeElements(shape);
  switch (kind) {
    case HUSH_SPARSITY_NONE:
      return null;
    case HUSH_SPARSITY_BITMAP: {
      const out = new Uint32Array(stored);
      let n = 0;
      for (let p = 0; p < count && n < stored; p++) if (bitpackRead(bytes, start, p, 1)) out[n++] = p;
      return out;
    }
    case HUSH_SPARSITY_DELTA:
      return gapDecode(bytes, start, stored, param & 0xff);
    case HUSH_SPARSITY_BLOCKS: {
      const br = (param >>> 8) & 0xff, bc = (param >>> 16) & 0xff;
      return blockPositions(shape, br, bc, gapDecode(bytes, start, stored / (br * bc), param & 0xff));
    }
    default: {
      const axis = (param >>> 8) & 0xff;
      const geo = groupGeometry(shape, axis)!;
      return groupPositions(shape, axis, gapDecode(bytes, start, stored / geo.size, param & 0xff));
    }
  }
}
