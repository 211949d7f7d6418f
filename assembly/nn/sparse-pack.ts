// Builds the SELL-4 sparse layout (documented in matvec-sparse.ts) from a dense matrix in linear
// memory. Run once at load time, after the .hush reader has decoded a pruned tensor to f32:
//   const bytes = sparsePackedBytes(w, rows, cols);  const p = memAlloc(bytes);
//   sparsePack(p, w, rows, cols);                    ... matvecSparse(y, p, b, x) per frame
// A weight is "nonzero" when w != 0 (so −0 is dropped, NaN kept). Byte-identical to
// sparsePack() in test/nn/reference.ts.

import { sparseWeightsOffset } from "./matvec-sparse";

/** Nonzeros of row r of the dense f32[rows][cols] matrix at w. */
function rowNonzeros(w: usize, r: i32, cols: i32): i32 {
  const row = w + ((<usize>r * <usize>cols) << 2);
  let n = 0;
  for (let c = 0; c < cols; c++) if (load<f32>(row + (<usize>c << 2)) != 0) n++;
  return n;
}

/** Entries (= the longest row's nonzeros) of slice k: rows 4k … 4k+3 that exist. */
function sliceEntries(w: usize, k: i32, rows: i32, cols: i32): i32 {
  let n = 0;
  const end = min(rows, 4 * k + 4);
  for (let r = 4 * k; r < end; r++) n = max(n, rowNonzeros(w, r, cols));
  return n;
}

/**
 * Bytes needed by sparsePack() for the dense f32[rows][cols] matrix at w (a multiple of 16).
 * Returns 0 when the matrix cannot be packed (cols > 65536: columns are stored as u16; or
 * rows/cols < 1).
 */
export function sparsePackedBytes(w: usize, rows: i32, cols: i32): u32 {
  if (rows < 1 || cols < 1 || cols > 65536) return 0;
  const slices = (rows + 3) >> 2;
  let entries = 0;
  for (let k = 0; k < slices; k++) entries += sliceEntries(w, k, rows, cols);
  return <u32>(sparseWeightsOffset(slices) + (<usize>entries << 4) + ((<usize>entries * 8 + 15) & ~(<usize>15)));
}

/**
 * Packs the dense f32[rows][cols] matrix at w into the SELL-4 layout at dst (16-byte aligned,
 * sparsePackedBytes(w, rows, cols) bytes; every byte is written, padding included).
 * Returns the bytes written, or 0 when sparsePackedBytes() would return 0.
 */
export function sparsePack(dst: usize, w: usize, rows: i32, cols: i32): u32 {
  const total = sparsePackedBytes(w, rows, cols);
  if (total == 0) return 0;
  memory.fill(dst, 0, total);
  const slices = (rows + 3) >> 2;
  store<i32>(dst, rows);
  store<i32>(dst, cols, 4);
  store<i32>(dst, slices, 8);
  // Slice starts first (entries per slice), then the total.
  let entries = 0;
  for (let k = 0; k < slices; k++) {
    store<i32>(dst + 16 + (<usize>k << 2), entries);
    entries += sliceEntries(w, k, rows, cols);
  }
  store<i32>(dst + 16 + (<usize>slices << 2), entries);
  store<i32>(dst, entries, 12);
  const wBase = dst + sparseWeightsOffset(slices);
  const cBase = wBase + (<usize>entries << 4);
  for (let k = 0; k < slices; k++) {
    const start = load<i32>(dst + 16 + (<usize>k << 2));
    const end = load<i32>(dst + 20 + (<usize>k << 2));
    for (let l = 0; l < 4; l++) {
      const r = 4 * k + l;
      if (r >= rows) break; // lanes of missing rows stay (weight 0, col 0)
      const row = w + ((<usize>r * <usize>cols) << 2);
      let e = start;
      let last = 0;
      for (let c = 0; c < cols; c++) {
        const v = load<f32>(row + (<usize>c << 2));
        if (v != 0) {
          store<f32>(wBase + (<usize>e << 4) + (<usize>l << 2), v);
          store<u16>(cBase + (<usize>e << 3) + (<usize>l << 1), <u16>c);
          last = c;
          e++;
        }
      }
      for (; e < end; e++) store<u16>(cBase + (<usize>e << 3) + (<usize>l << 1), <u16>last);
    }
  }
  return total;
}
