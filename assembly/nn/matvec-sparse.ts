// Sparse matrix–vector product over unstructured-pruned weights (50–95 % zeros), in "SELL-4"
// layout: sliced ELLPACK with slices of 4 rows. Each slice of 4 consecutive rows stores entries
// of 4 lanes (lane l = row 4k+l): entry j holds the j-th nonzero of each of the 4 rows, so a
// slice has as many entries as its fullest row, and shorter rows are padded with zero weights.
//
// Why this layout: WASM SIMD has no gather, so per-nonzero CSR is scalar; 4×4 or 8×4 blocks
// (rnnoise) only pay off when pruning is block-structured — at 90 % unstructured sparsity a 4×4
// block is empty only 0.9¹⁶ = 19 % of the time. SELL-4 keeps a full f32x4 of useful products per
// entry (the 4 x values are fetched with 4 lane loads), costs 6 bytes per stored weight (f32 +
// u16 column) against 4/(1−sparsity) for dense, and wastes only the padding to the longest row of
// each slice (≈ +7 % for 2048 columns at 90 % sparsity, 0 for column-structured pruning).
// Column-structured (C2) pruning is better served by columns-compact.ts, which runs at dense speed.
//
// Rows are sorted by nonzero count (descending, stable) before they are cut into slices, so the 4
// rows of a slice have nearly equal counts and the padding almost vanishes (SELL-C-σ with C = 4 and
// σ = all rows: Kreutzer et al. 2014). Measured on the paper-size matrices: padding +8 % (2048×512 at
// 24.6 % kept), +20 % (2048×2048 at 1.3 %) → +0.1 %, 9–14 % less time. The price is a scattered
// store of the 4 results per slice through a lane → row table.
//
// Packed layout (one block of linear memory, 16-byte aligned, little-endian; built by sellLayout()
// and the packers in sparse-pack.ts, mirrored by sparsePack() in test/nn/reference.ts):
//   offset 0          i32 rows, i32 cols (≤ 65536), i32 slices = ⌈rows/4⌉, i32 entries
//   offset 16         i32 sliceStart[slices + 1]     first entry of each slice; [slices] = entries
//   rowOff = 16 + align16(4·(slices+1))
//                     i32 rowOf[slices][4]           row of lane l of slice k; −1 past the last row
//   wOff = rowOff + 16·slices
//                     f32 w[entries][4]              lane l of entry e (slice k) → row rowOf[k][l]
//   colOff = wOff + 16·entries
//                     u16 col[entries][4]            column of w[e][l]; padding: weight 0, col of
//                                                    the row's last nonzero (0 for an empty row)
//   total = colOff + align16(8·entries)
// Within a row, nonzeros keep increasing column order, so the sum order is that of the dense row.
//
// SIMD kernel: per entry, 4 scalar u16 column loads feed v128.load32_zero/load32_lane (measured
// 1.45× faster than one load16x4_u plus 4 extract_lane), one f32x4 multiply-add; two entries per
// iteration into two accumulators. It is load-bound (~9 loads per entry): on the dev machine
// 1024×2048 runs as fast as dense at ≈ 75 % sparsity, 2.2× faster at 90 %, 4.4× at 95 %.

/** Byte offset of the lane → row table inside a packed matrix with `slices` slices. */
// @ts-ignore: decorator
@inline export function sparseRowsOffset(slices: i32): usize {
  return 16 + ((<usize>(4 * (slices + 1)) + 15) & ~(<usize>15));
}

/** Byte offset of the weights inside a packed matrix with `slices` slices. */
// @ts-ignore: decorator
@inline export function sparseWeightsOffset(slices: i32): usize {
  return sparseRowsOffset(slices) + (<usize>slices << 4);
}

/** y[row] = v (+ b[row]) (+ y[row]) for the row of one lane; row −1 (past the last row) is skipped. */
// @ts-ignore: decorator
@inline function laneStore(y: usize, b: usize, row: i32, v: f32, accumulate: bool): void {
  if (row < 0) return;
  const o = <usize>row << 2;
  if (b != 0) v += load<f32>(b + o);
  if (accumulate) v += load<f32>(y + o);
  store<f32>(y + o, v);
}

// @ts-ignore: decorator
@inline function matvecSparseRows(y: usize, p: usize, b: usize, x: usize, accumulate: bool): void {
  const slices = load<i32>(p, 8);
  const entries = load<i32>(p, 12);
  const rowOf = p + sparseRowsOffset(slices);
  const wBase = p + sparseWeightsOffset(slices);
  const cBase = wBase + (<usize>entries << 4);
  for (let k = 0; k < slices; k++) {
    let e = load<i32>(p + 16 + (<usize>k << 2));
    const end = load<i32>(p + 20 + (<usize>k << 2));
    if (ASC_FEATURE_SIMD) {
      let acc0 = f32x4.splat(0);
      let acc1 = f32x4.splat(0);
      for (; e + 2 <= end; e += 2) {
        const cp = cBase + (<usize>e << 3);
        const wp = wBase + (<usize>e << 4);
        let x0 = v128.load32_zero(x + (<usize>load<u16>(cp) << 2));
        let x1 = v128.load32_zero(x + (<usize>load<u16>(cp, 8) << 2));
        x0 = v128.load32_lane(x + (<usize>load<u16>(cp, 2) << 2), x0, 1);
        x1 = v128.load32_lane(x + (<usize>load<u16>(cp, 10) << 2), x1, 1);
        x0 = v128.load32_lane(x + (<usize>load<u16>(cp, 4) << 2), x0, 2);
        x1 = v128.load32_lane(x + (<usize>load<u16>(cp, 12) << 2), x1, 2);
        x0 = v128.load32_lane(x + (<usize>load<u16>(cp, 6) << 2), x0, 3);
        x1 = v128.load32_lane(x + (<usize>load<u16>(cp, 14) << 2), x1, 3);
        acc0 = f32x4.add(acc0, f32x4.mul(v128.load(wp), x0));
        acc1 = f32x4.add(acc1, f32x4.mul(v128.load(wp, 16), x1));
      }
      if (e < end) {
        const cp = cBase + (<usize>e << 3);
        let x0 = v128.load32_zero(x + (<usize>load<u16>(cp) << 2));
        x0 = v128.load32_lane(x + (<usize>load<u16>(cp, 2) << 2), x0, 1);
        x0 = v128.load32_lane(x + (<usize>load<u16>(cp, 4) << 2), x0, 2);
        x0 = v128.load32_lane(x + (<usize>load<u16>(cp, 6) << 2), x0, 3);
        acc0 = f32x4.add(acc0, f32x4.mul(v128.load(wBase + (<usize>e << 4)), x0));
      }
      const s = f32x4.add(acc0, acc1);
      const rp = rowOf + (<usize>k << 4);
      laneStore(y, b, load<i32>(rp), f32x4.extract_lane(s, 0), accumulate);
      laneStore(y, b, load<i32>(rp, 4), f32x4.extract_lane(s, 1), accumulate);
      laneStore(y, b, load<i32>(rp, 8), f32x4.extract_lane(s, 2), accumulate);
      laneStore(y, b, load<i32>(rp, 12), f32x4.extract_lane(s, 3), accumulate);
    } else {
      let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
      for (; e < end; e++) {
        const cp = cBase + (<usize>e << 3);
        const wp = wBase + (<usize>e << 4);
        s0 += load<f32>(wp) * load<f32>(x + (<usize>load<u16>(cp) << 2));
        s1 += load<f32>(wp, 4) * load<f32>(x + (<usize>load<u16>(cp, 2) << 2));
        s2 += load<f32>(wp, 8) * load<f32>(x + (<usize>load<u16>(cp, 4) << 2));
        s3 += load<f32>(wp, 12) * load<f32>(x + (<usize>load<u16>(cp, 6) << 2));
      }
      const rp = rowOf + (<usize>k << 4);
      laneStore(y, b, load<i32>(rp), s0, accumulate);
      laneStore(y, b, load<i32>(rp, 4), s1, accumulate);
      laneStore(y, b, load<i32>(rp, 8), s2, accumulate);
      laneStore(y, b, load<i32>(rp, 12), s3, accumulate);
    }
  }
}

/**
 * y = W·x + b with W in the packed SELL-4 layout at `packed` (see the top of this file; rows and
 * cols are read from its header). x: f32[cols]; b: f32[rows] or 0; y: f32[rows].
 * Useful FLOPs 2·nnz; work ∝ stored entries·4 (nnz plus slice padding).
 */
export function matvecSparse(y: usize, packed: usize, b: usize, x: usize): void {
  matvecSparseRows(y, packed, b, x, false);
}

/** y += W·x + b, the accumulating form of matvecSparse (LSTM gates). b may be 0. */
export function matvecSparseAcc(y: usize, packed: usize, b: usize, x: usize): void {
  matvecSparseRows(y, packed, b, x, true);
}
