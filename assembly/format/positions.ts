// The stored positions of a k-means or sparse tensor, one by one in ascending flat order, from its
// sparsity block (docs/format.md, "Sparsity"):
//   none     every position 0, 1, …
//   bitmap   the set bits, LSB-first
//   delta    escape-coded gaps: position_j = position_{j−1} + 1 + gap_j (position_{−1} = −1), where
//            gap_j is the sum of w-bit codes up to and including the first that is not 2^w − 1
//   groups   the kept group ids, gap-coded the same way; axis-0 and kernel groups are contiguous runs
//            of count/groups positions, axis-1 (column) groups repeat the id list in every row
//   blocks   the kept block ids, gap-coded the same way; block b of the [R][C] matrix view covers
//            rows rb·br … +br, columns cb·bc … +bc (rb = b / (C/bc), cb = b mod (C/bc)); its br·bc
//            positions come row-major inside the block. NOT ascending: this is the storage order of
//            the weights (block order), which is what every consumer pairs value j with.
// The walk yields positions in storage order, ascending for every kind but blocks. One walker serves
// the dense decoder (decode.ts), the runtime's position bitmap (nets/stored.ts) and the block packer
// (nets/stored.ts blockPackStored). It expects a block checkTensors has validated (reader.ts checkGaps: the gaps fit
// the stream, every position or group id is in range); its reads are bounds-checked all the same.

import { HushState, bitsAt, rd8 } from "./reader";
import { HUSH_GROUP_DIM0, HUSH_GROUP_DIM1, HUSH_SPARSITY_BITMAP, HUSH_SPARSITY_BLOCKS, HUSH_SPARSITY_DELTA, HUSH_SPARSITY_NONE } from "./spec";
import {
  hushTensorDim, hushTensorElements, hushTensorRank, hushTensorSparsity, hushTensorSparsityOffset, hushTensorSparsityParam,
  hushTensorStored,
} from "./decode";

/** The walk in progress (loading is single-threaded: one walk at a time). */
@unmanaged class Walk {
  kind: i32;
  /** File offset of the sparsity block. */
  start: u64;
  /** Gap code width w, and its escape 2^w − 1. */
  w: u32;
  escape: u32;
  /** Gap stream: next bit to read, next candidate value. */
  bit: u64;
  next: u64;
  /** none / bitmap: the last position returned + 1; the tensor's element count. */
  pos: u64;
  count: u64;
  /** groups: rows the id list repeats over, positions per group run, row stride, kept groups. */
  rows: u64;
  run: u64;
  rowStride: u64;
  kept: u64;
  /** groups: current row, groups of it read, position within the current run, the run's first position. */
  row: u64;
  read: u64;
  inRun: u64;
  first: u64;
  /** blocks: block rows br, block columns bc, matrix columns C, blocks per block row C/bc. */
  br: u64;
  bc: u64;
  cols: u64;
  gridCols: u64;
}

const walk = changetype<Walk>(memory.data(offsetof<Walk>(), 16));

/** The next value of the gap stream (see the file comment). */
function gapNext(s: HushState): u64 {
  let g: u64 = 0;
  while (true) {
    const c = bitsAt(s, walk.start, walk.bit, walk.w);
    walk.bit += walk.w;
    g += c;
    if (c != walk.escape) break;
  }
  const v = walk.next + g;
  walk.next = v + 1;
  return v;
}

/** Starts the walk over tensor t's stored positions. */
export function positionsOpen(s: HushState, t: u32): void {
  const kind = <i32>hushTensorSparsity(s, t);
  const param = hushTensorSparsityParam(s, t);
  walk.kind = kind;
  walk.start = hushTensorSparsityOffset(s, t);
  walk.w = param & 0xff;
  walk.escape = (<u32>1 << walk.w) - 1;
  walk.bit = 0;
  walk.next = 0;
  walk.pos = 0;
  walk.count = <u64>hushTensorElements(s, t);
  if (kind == HUSH_SPARSITY_NONE || kind == HUSH_SPARSITY_BITMAP || kind == HUSH_SPARSITY_DELTA) return;
  if (kind == HUSH_SPARSITY_BLOCKS) {
    // one "run" per kept block: br·bc positions from its top-left one (validated: the blocks tile [R][C])
    walk.br = <u64>((param >>> 8) & 0xff);
    walk.bc = <u64>((param >>> 16) & 0xff);
    walk.cols = walk.count / <u64>hushTensorDim(s, t, 0);
    walk.gridCols = walk.cols / walk.bc;
    walk.run = walk.br * walk.bc;
    walk.inRun = walk.run; // no block open yet
    walk.first = 0;
    return;
  }
  const count = walk.count;
  const axis = <i32>((param >>> 8) & 0xff);
  const rank = hushTensorRank(s, t);
  const d0 = <u64>hushTensorDim(s, t, 0);
  const d1: u64 = rank > 1 ? <u64>hushTensorDim(s, t, 1) : 1;
  const inner: u64 = rank > 1 ? count / (d0 * d1) : 1;
  const groups: u64 = axis == HUSH_GROUP_DIM0 ? d0 : axis == HUSH_GROUP_DIM1 ? d1 : d0 * d1;
  const size = count / groups;
  walk.kept = <u64>hushTensorStored(s, t) / size;
  walk.rows = axis == HUSH_GROUP_DIM1 ? d0 : 1;
  walk.run = axis == HUSH_GROUP_DIM1 ? inner : size;
  walk.rowStride = axis == HUSH_GROUP_DIM1 ? d1 * inner : 0;
  walk.row = 0;
  walk.read = 0;
  walk.inRun = walk.run; // no run open yet
  walk.first = 0;
}

/** The next stored position (call it hushTensorStored(s, t) times after positionsOpen). */
export function positionsNext(s: HushState): u64 {
  const kind = walk.kind;
  if (kind == HUSH_SPARSITY_NONE) return walk.pos++;
  if (kind == HUSH_SPARSITY_BITMAP) {
    let p = walk.pos;
    while (p + 1 < walk.count && ((rd8(s, walk.start + (p >> 3)) >>> <u32>(p & 7)) & 1) == 0) p++;
    walk.pos = p + 1;
    return p;
  }
  if (kind == HUSH_SPARSITY_DELTA) return gapNext(s);
  if (kind == HUSH_SPARSITY_BLOCKS) {
    if (walk.inRun == walk.run) {
      const b = gapNext(s);
      walk.first = (b / walk.gridCols) * walk.br * walk.cols + (b % walk.gridCols) * walk.bc;
      walk.inRun = 0;
    }
    const e = walk.inRun++;
    return walk.first + (e / walk.bc) * walk.cols + e % walk.bc;
  }
  // groups
  if (walk.inRun == walk.run) {
    if (walk.read == walk.kept) {
      // the id list starts over in the next row
      walk.row++;
      walk.read = 0;
      walk.bit = 0;
      walk.next = 0;
    }
    walk.first = walk.row * walk.rowStride + gapNext(s) * walk.run;
    walk.read++;
    walk.inRun = 0;
  }
  return walk.first + walk.inRun++;
}
