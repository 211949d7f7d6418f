// Builds the SELL-4 sparse layout (documented in matvec-sparse.ts). Two packers share the layout
// code here: sparsePack() below, from a dense matrix in linear memory (tests, benchmarks), and
// sellPackStored() in assembly/nets/stored.ts, straight from a `.hush` tensor's stored entries (the
// nets' load path). Both go through the same three steps:
//   1. the caller writes each row's nonzero count into the scratch (i32 counts[rows]);
//   2. sellBytes(scratch, rows, cols) sorts the rows by count (stable counting sort, descending)
//      and returns the block's size; sellLayout(dst, …) writes the header, slice starts and lane →
//      row table, and turns counts[r] into row r's position in the sorted order (slice = pos >> 2,
//      lane = pos & 3);
//   3. the caller writes each row's (value, column) entries at its lane (sellRowEntry) and pads the
//      rest of the slice (sellRowPad).
// Scratch: sellScratchBytes(rows, cols) = i32 counts[rows] + i32 histogram[cols + 1].
//
// A weight is "nonzero" when w != 0 (so −0 is dropped, NaN kept). sparsePack() is byte-identical to
// sparsePack() in test/nn/reference.ts.

import { sparseRowsOffset, sparseWeightsOffset } from "./matvec-sparse";

/** Bytes of scratch the SELL-4 packers need for a [rows][cols] matrix (a multiple of 16). */
export function sellScratchBytes(rows: i32, cols: i32): u32 {
  return <u32>(((<usize>(rows + cols + 1) << 2) + 15) & ~(<usize>15));
}

/** The histogram part of the scratch: i32[cols + 1], counts of rows per nonzero count. */
// @ts-ignore: decorator
@inline function histOf(scratch: usize, rows: i32): usize {
  return scratch + (<usize>rows << 2);
}

/** Byte total of a block with `slices` slices and `entries` entries. */
// @ts-ignore: decorator
@inline function blockBytes(slices: i32, entries: i32): u32 {
  return <u32>(sparseWeightsOffset(slices) + (<usize>entries << 4) + ((<usize>entries * 8 + 15) & ~(<usize>15)));
}

/**
 * Step 2a: from counts[r] (i32[rows] at scratch, 0 ≤ counts[r] ≤ cols) the histogram, and the size
 * of the block: with the rows sorted by count (descending), slice k holds sorted positions 4k…4k+3
 * and has as many entries as its first (fullest) row. Returns 0 for shapes SELL-4 cannot store
 * (rows or cols < 1, cols > 65536: columns are u16).
 */
export function sellBytes(scratch: usize, rows: i32, cols: i32): u32 {
  if (rows < 1 || cols < 1 || cols > 65536) return 0;
  const hist = histOf(scratch, rows);
  memory.fill(hist, 0, <usize>(cols + 1) << 2);
  for (let r = 0; r < rows; r++) {
    const p = hist + (<usize>load<i32>(scratch + (<usize>r << 2)) << 2);
    store<i32>(p, load<i32>(p) + 1);
  }
  // Walk the counts from the largest down: positions [seen, seen + hist[v]) have count v, and
  // every slice whose first position 4k falls there adds v entries.
  let entries = 0;
  let seen = 0;
  for (let v = cols; v >= 0; v--) {
    const n = load<i32>(hist + (<usize>v << 2));
    if (n == 0) continue;
    const firstSlice = (seen + 3) >> 2; // slices starting at a position ≥ seen
    const endSlice = (seen + n + 3) >> 2; //  … and < seen + n
    entries += (endSlice - firstSlice) * v;
    seen += n;
  }
  return blockBytes((rows + 3) >> 2, entries);
}

/**
 * Step 2b (after sellBytes on the same scratch): zero-fills the block at dst (`bytes` from sellBytes)
 * and writes the header, slice starts and lane → row table; counts[r] becomes row r's sorted
 * position (stable: equal counts keep row order). Lanes past the last row hold row −1.
 */
export function sellLayout(dst: usize, bytes: u32, scratch: usize, rows: i32, cols: i32): void {
  memory.fill(dst, 0, bytes);
  const slices = (rows + 3) >> 2;
  const hist = histOf(scratch, rows);
  // hist[v] → first sorted position of count v (counts descending).
  let next = 0;
  for (let v = cols; v >= 0; v--) {
    const p = hist + (<usize>v << 2);
    const n = load<i32>(p);
    store<i32>(p, next);
    next += n;
  }
  const rowOf = dst + sparseRowsOffset(slices);
  for (let i = rows; i < slices << 2; i++) store<i32>(rowOf + (<usize>i << 2), -1);
  // Rows in order: position = hist[count]++; slice k's entries = the count at its position 4k.
  const starts = dst + 16;
  for (let r = 0; r < rows; r++) {
    const c = scratch + (<usize>r << 2);
    const count = load<i32>(c);
    const p = hist + (<usize>count << 2);
    const pos = load<i32>(p);
    store<i32>(p, pos + 1);
    store<i32>(c, pos);
    store<i32>(rowOf + (<usize>pos << 2), r);
    if ((pos & 3) == 0) store<i32>(starts + (<usize>(pos >> 2) << 2), count, 4); // entries of slice pos/4, for now
  }
  // Entries per slice → first entry of each slice (prefix sums), then the total.
  let entries = 0;
  for (let k = 0; k < slices; k++) {
    const p = starts + (<usize>(k + 1) << 2);
    const n = load<i32>(p);
    store<i32>(starts + (<usize>k << 2), entries);
    entries += n;
  }
  store<i32>(starts + (<usize>slices << 2), entries);
  store<i32>(dst, rows);
  store<i32>(dst, cols, 4);
  store<i32>(dst, slices, 8);
  store<i32>(dst, entries, 12);
}

/** First entry of row r's slice (r's position in scratch from sellLayout). */
// @ts-ignore: decorator
@inline export function sellRowStart(dst: usize, scratch: usize, r: i32): i32 {
  return load<i32>(dst + 16 + (<usize>(load<i32>(scratch + (<usize>r << 2)) >> 2) << 2));
}

/** Entry e of row r (lane = its position & 3): weight v, column c. */
// @ts-ignore: decorator
@inline export function sellRowEntry(dst: usize, scratch: usize, r: i32, e: i32, v: f32, c: i32): void {
  const slices = load<i32>(dst, 8);
  const entries = load<i32>(dst, 12);
  const l = <usize>(load<i32>(scratch + (<usize>r << 2)) & 3);
  const wBase = dst + sparseWeightsOffset(slices);
  store<f32>(wBase + (<usize>e << 4) + (l << 2), v);
  store<u16>(wBase + (<usize>entries << 4) + (<usize>e << 3) + (l << 1), <u16>c);
}

/**
 * Pads row r from entry e to the end of its slice: weight 0 (left by sellLayout's fill), column
 * `last` (the row's last nonzero column, 0 for an empty row) so that padding reads a valid x.
 */
export function sellRowPad(dst: usize, scratch: usize, r: i32, e: i32, last: i32): void {
  const slices = load<i32>(dst, 8);
  const entries = load<i32>(dst, 12);
  const pos = load<i32>(scratch + (<usize>r << 2));
  const end = load<i32>(dst + 20 + (<usize>(pos >> 2) << 2));
  const cBase = dst + sparseWeightsOffset(slices) + (<usize>entries << 4) + (<usize>(pos & 3) << 1);
  for (; e < end; e++) store<u16>(cBase + (<usize>e << 3), <u16>last);
}

/** Step 1 for a dense f32[rows][cols] matrix at w: counts[r] = nonzeros of row r. */
function countRows(scratch: usize, w: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = w + ((<usize>r * <usize>cols) << 2);
    let n = 0;
    for (let c = 0; c < cols; c++) if (load<f32>(row + (<usize>c << 2)) != 0) n++;
    store<i32>(scratch + (<usize>r << 2), n);
  }
}

/**
 * Bytes needed by sparsePack() for the dense f32[rows][cols] matrix at w (a multiple of 16);
 * scratch: sellScratchBytes(rows, cols) bytes. Returns 0 when the matrix cannot be packed
 * (cols > 65536: columns are stored as u16; or rows/cols < 1).
 */
export function sparsePackedBytes(w: usize, rows: i32, cols: i32, scratch: usize): u32 {
  if (rows < 1 || cols < 1 || cols > 65536) return 0;
  countRows(scratch, w, rows, cols);
  return sellBytes(scratch, rows, cols);
}

/**
 * Packs the dense f32[rows][cols] matrix at w into the SELL-4 layout at dst (16-byte aligned,
 * sparsePackedBytes(w, rows, cols, scratch) bytes; every byte is written, padding included);
 * scratch as sparsePackedBytes. Returns the bytes written, or 0 when sparsePackedBytes() would.
 */
export function sparsePack(dst: usize, w: usize, rows: i32, cols: i32, scratch: usize): u32 {
  const total = sparsePackedBytes(w, rows, cols, scratch);
  if (total == 0) return 0;
  sellLayout(dst, total, scratch, rows, cols);
  for (let r = 0; r < rows; r++) {
    const row = w + ((<usize>r * <usize>cols) << 2);
    let e = sellRowStart(dst, scratch, r);
    let last = 0;
    for (let c = 0; c < cols; c++) {
      const v = load<f32>(row + (<usize>c << 2));
      if (v != 0) {
        sellRowEntry(dst, scratch, r, e++, v, c);
        last = c;
      }
    }
    sellRowPad(dst, scratch, r, e, last);
  }
  return total;
}
