// Load-time access to the stored weights of a pruned `.hush` tensor (k-means or sparse encoding)
// without decoding it to a dense f32 matrix first: a bitmap of the stored positions and the j-th
// stored value. The fast plan's sparse forms are built from these, so loading a pruned matrix needs
// ⌈count/8⌉ bytes of scratch instead of 4·count (the scratch stays allocated: assembly/nets/arena.ts).
//
//   SELL-4 (matvec-sparse.ts layout, through the same sparse-pack.ts steps as sparsePack() from a
//   dense matrix) and
//   compacted columns (columns-compact.ts layout, as columnsCompact() writes it)
//   block-sparse (matvec-block.ts layout, as blockPack() writes it from the dense decode) from a
//   tensor with sparsity 'blocks', whose stored values are already in the kernel's block order
//
// Differences from packing the dense decode: none for the stored pattern the writer produces
// (stored values are nonzero). A stored value that is exactly 0 (a k-means centroid at 0) is kept
// here as an explicit 0 entry, where the dense packers would drop it — the products are equal.
// test/runtime/stored.test.ts checks byte identity against sparsePack/columnsCompact.

import { HushState } from "../format/reader";
import { positionsNext, positionsOpen } from "../format/positions";
import {
  hushTensorBits, hushTensorDataPtr, hushTensorElements, hushTensorEncoding, hushTensorSparsity, hushTensorSparsityPtr,
  hushTensorStored, hushTensorStreamPtr, hushTensorValueDtype,
} from "../format/decode";
import { HUSH_DTYPE_F32, HUSH_ENC_KMEANS, HUSH_SPARSITY_BITMAP, HUSH_SPARSITY_NONE } from "../format/spec";
import { f32FromF16 } from "../format/f16";
import { sellBytes, sellLayout, sellRowEntry, sellRowPad, sellRowStart } from "../nn/sparse-pack";
import { blockColsOffset, blockHeaderWrite, blockWeightsOffset } from "../nn/matvec-block";

/** The w-bit (1..16) LSB-first code at bit `bit` of the (validated) block at p. */
// @ts-ignore: decorator
@inline export function codeAt(p: usize, bit: u64, w: u32): u32 {
  const a = p + <usize>(bit >> 3);
  // Up to 3 bytes; a validated block lies inside the 16-byte aligned file, so bytes past its end
  // that this may touch are file padding (docs/format.md, "Alignment").
  const word = <u32>load<u8>(a) | (<u32>load<u8>(a, 1) << 8) | (<u32>load<u8>(a, 2) << 16);
  return (word >>> <u32>(bit & 7)) & ((<u32>1 << w) - 1);
}

/** Bit p of the bitmap at b (LSB-first). */
// @ts-ignore: decorator
@inline export function bitGet(b: usize, p: u32): bool {
  return ((<u32>load<u8>(b + <usize>(p >> 3)) >> (p & 7)) & 1) != 0;
}

/** Sets bit p of the bitmap at b (LSB-first). */
// @ts-ignore: decorator
@inline function bitSet(b: usize, p: u32): void {
  const a = b + <usize>(p >> 3);
  store<u8>(a, load<u8>(a) | <u8>(<u32>1 << (p & 7)));
}

/** Bytes of a bitmap over `count` positions, readable with 4-byte loads: ⌈count/8⌉ + 4. */
export function bitmapBytes(count: u32): u32 {
  return ((count + 7) >> 3) + 4;
}

/**
 * Fills the zeroed bitmap dst (bitmapBytes(count)) with the stored positions of a tensor whose
 * sparsity is gap-coded (delta positions or groups), walked by format/positions.ts as the dense
 * decoder walks them.
 */
export function bitmapFromGaps(dst: usize, s: HushState, t: i32): void {
  const n = <u64>hushTensorStored(s, <u32>t);
  positionsOpen(s, <u32>t);
  for (let j: u64 = 0; j < n; j++) bitSet(dst, <u32>positionsNext(s));
}

/**
 * The stored-position bitmap of pruned tensor t: the file's own (sparsity 'bitmap'), or built into
 * `scratch` (bitmapBytes(count) bytes, zero-filled here) from gap-coded positions or groups.
 * Returns 0 for sparsity 'none' (every position stored).
 */
export function storedBitmap(s: HushState, t: i32, scratch: usize): usize {
  const kind = <i32>hushTensorSparsity(s, <u32>t);
  if (kind == HUSH_SPARSITY_NONE) return 0;
  if (kind == HUSH_SPARSITY_BITMAP) return hushTensorSparsityPtr(s, <u32>t);
  memory.fill(scratch, 0, <usize>bitmapBytes(hushTensorElements(s, <u32>t)));
  bitmapFromGaps(scratch, s, t);
  return scratch;
}

/** Reads stored values j = 0, 1, … of a k-means or sparse tensor. */
@unmanaged class StoredValues {
  kmeans: bool;
  f32: bool;
  bits: u32;
  /** codebook (k-means) or values (sparse) */
  values: usize;
  /** index stream (k-means) */
  stream: usize;
}

/** One reader per process (load is single-threaded); filled by storedValuesOpen. */
const reader = changetype<StoredValues>(memory.data(offsetof<StoredValues>(), 16));

function storedValuesOpen(s: HushState, t: i32): StoredValues {
  const kmeans = <i32>hushTensorEncoding(s, <u32>t) == HUSH_ENC_KMEANS;
  reader.kmeans = kmeans;
  reader.f32 = <i32>hushTensorValueDtype(s, <u32>t) == HUSH_DTYPE_F32;
  reader.bits = hushTensorBits(s, <u32>t);
  reader.values = kmeans ? hushTensorDataPtr(s, <u32>t) : hushTensorStreamPtr(s, <u32>t);
  reader.stream = kmeans ? hushTensorStreamPtr(s, <u32>t) : 0;
  return reader;
}

/** Stored value j. */
// @ts-ignore: decorator
@inline function storedValue(r: StoredValues, j: u32): f32 {
  const i = r.kmeans ? (r.bits > 0 ? codeAt(r.stream, <u64>j * <u64>r.bits, r.bits) : 0) : j;
  return r.f32 ? load<f32>(r.values + (<usize>i << 2)) : f32FromF16(<u32>load<u16>(r.values + (<usize>i << 1)));
}

/** Stored entries in row r of the [rows][cols] view (popcount of its bits; cols if no bitmap). */
function rowStored(bitmap: usize, r: i32, cols: i32): i32 {
  if (bitmap == 0) return cols;
  let n = 0;
  const first = <u32>r * <u32>cols;
  for (let c = 0; c < cols; c++) if (bitGet(bitmap, first + <u32>c)) n++;
  return n;
}

/**
 * Bytes of the SELL-4 block of tensor t as [rows][cols], given its stored-position bitmap (0: all
 * stored); scratch: sellScratchBytes(rows, cols) bytes, left ready for sellPackStored.
 */
export function sellBytesStored(bitmap: usize, rows: i32, cols: i32, scratch: usize): u32 {
  for (let r = 0; r < rows; r++) store<i32>(scratch + (<usize>r << 2), rowStored(bitmap, r, cols));
  return sellBytes(scratch, rows, cols);
}

/**
 * Writes the SELL-4 block (matvec-sparse.ts layout; `bytes` and `scratch` from sellBytesStored) of
 * pruned tensor t at dst, straight from the file's stored values in flat-position order. cols ≤ 65536.
 */
export function sellPackStored(dst: usize, bytes: u32, s: HushState, t: i32, bitmap: usize, rows: i32, cols: i32, scratch: usize): void {
  sellLayout(dst, bytes, scratch, rows, cols);
  const v = storedValuesOpen(s, t);
  let j: u32 = 0; // stored index: rows in order, columns in order = flat position order
  for (let r = 0; r < rows; r++) {
    let e = sellRowStart(dst, scratch, r);
    let last = 0;
    const first = <u32>r * <u32>cols;
    for (let c = 0; c < cols; c++) {
      if (bitmap != 0 && !bitGet(bitmap, first + <u32>c)) continue;
      sellRowEntry(dst, scratch, r, e++, storedValue(v, j++), c);
      last = c;
    }
    sellRowPad(dst, scratch, r, e, last);
  }
}

/** Columns of the [rows][cols] view with at least one stored entry. */
export function columnsKeptStored(bitmap: usize, rows: i32, cols: i32): i32 {
  if (bitmap == 0) return cols;
  let kept = 0;
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) {
      if (bitGet(bitmap, <u32>r * <u32>cols + <u32>c)) {
        kept++;
        break;
      }
    }
  }
  return kept;
}

/**
 * Writes the compacted-columns form (columns-compact.ts layout) of pruned tensor t: wc f32[rows][kept]
 * (zeroed by the caller's memAlloc) and keep i32[kept], from the stored values; `rank` is scratch of
 * cols i32 (a column's position among the kept ones). Returns kept.
 */
export function columnsPackStored(wc: usize, keep: usize, rank: usize, s: HushState, t: i32, bitmap: usize, rows: i32, cols: i32): i32 {
  let kept = 0;
  for (let c = 0; c < cols; c++) {
    let any = bitmap == 0;
    for (let r = 0; r < rows && !any; r++) any = bitGet(bitmap, <u32>r * <u32>cols + <u32>c);
    store<i32>(rank + (<usize>c << 2), any ? kept : -1);
    if (any) {
      store<i32>(keep + (<usize>kept << 2), c);
      kept++;
    }
  }
  const v = storedValuesOpen(s, t);
  let j: u32 = 0;
  for (let r = 0; r < rows; r++) {
    const first = <u32>r * <u32>cols;
    const row = wc + ((<usize>r * <usize>kept) << 2);
    for (let c = 0; c < cols; c++) {
      if (bitmap != 0 && !bitGet(bitmap, first + <u32>c)) continue;
      store<f32>(row + (<usize>load<i32>(rank + (<usize>c << 2)) << 2), storedValue(v, j++));
    }
  }
  return kept;
}

/**
 * Writes the block-sparse form (nn/matvec-block.ts layout, blockPackedBytes(rows, br, bc, N / (br·bc))
 * bytes) of tensor t with sparsity 'blocks' (br × bc from its parameter) at dst, reading the file's
 * stream front to back: its stored values come block by block, row-major inside each block, in
 * ascending block id = block-row-major order (docs/format.md "Blocks"), which is the kernel's order.
 * A block's position comes from the first of its positions (format/positions.ts walks them).
 */
export function blockPackStored(dst: usize, s: HushState, t: i32, rows: i32, cols: i32, br: i32, bc: i32): void {
  const size = br * bc;
  const blocks = <i32>hushTensorStored(s, <u32>t) / size;
  const blockRows = rows / br;
  blockHeaderWrite(dst, rows, cols, br, bc, blocks);
  const colBase = dst + blockColsOffset(blockRows);
  const wBase = dst + blockWeightsOffset(blockRows, blocks);
  const v = storedValuesOpen(s, t);
  positionsOpen(s, <u32>t);
  let rb = 0; // block rows whose start[] is written: 0 .. rb − 1
  for (let q = 0; q < blocks; q++) {
    const p0 = <i32>positionsNext(s); // top-left of block q
    for (let e = 1; e < size; e++) positionsNext(s);
    const r = p0 / cols;
    for (; rb <= r / br; rb++) store<i32>(dst + 32 + (<usize>rb << 2), q);
    store<i32>(colBase + (<usize>q << 2), p0 % cols);
    for (let e = 0; e < size; e++) store<f32>(wBase + (<usize>(q * size + e) << 2), storedValue(v, <u32>(q * size + e)));
  }
  for (; rb <= blockRows; rb++) store<i32>(dst + 32 + (<usize>rb << 2), blocks);
}
