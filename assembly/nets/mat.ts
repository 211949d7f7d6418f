// One weight matrix of a net, in the form its execution plan chose at load time (plan.ts
// decides per tensor; docs in that file), and the two products every net needs from it:
//   matApply(y, m, b, x, tmp)      y  = W·x + b
//   matApplyAcc(y, m, b, x, tmp)   y += W·x + b        (LSTM gates W_hh·h, TCNN residual 1×1 convs)
// W is the tensor's matrix view [rows = dim0][cols = elements / dim0]: a Linear [out, in], an LSTM
// [4H, in], a 1×1 Conv1d [out, in, 1]. Forms (MAT_*; runtime/core/enhancer.ts names them,
// test/runtime/plan.test.ts checks the names against these numbers):
//
//   MAT_DENSE            `fast`: f32[rows][cols] (read in place when the file   matvecDense
//                        stores it as f32, else decoded once)
//   MAT_SPARSE           `fast`: SELL-4 (unstructured pruning)                   matvecSparse
//   MAT_COLUMNS          `fast`: unstored columns dropped (C2 column pruning)    vecGather + matvecDense
//                        (both packed straight from a k-means / sparse tensor's stored entries, stored.ts)
//   MAT_CODEBOOK         `compact`: k-means codebook + bit-packed indices, read
//                        in place from the .hush bytes (one index per weight)   matvecCodebook
//   MAT_CODEBOOK_SPARSE  `compact`: same, indices of nonzeros only + a bitmap    matvecCodebookSparse
//                        (the file's bitmap in place, or built from its gap-coded positions / groups)
//   MAT_MPO              `compact`: matrix-product-operator cores (dense f32)   mpoMatvec
//   MAT_BLOCK            `fast`: 4x1 / 8x1 / 1x4 blocks (sparsity 'blocks',     matvecBlock
//                        block-sparse pruning), packed straight from the file's block-order stream
//
// A Mat is read-only after load (weights); `tmp` is per-hop scratch of matScratchFloats(m) floats that
// the caller owns (the nets keep one buffer of the largest need). Nothing here allocates per hop.
// Load functions return 0 on failure and leave the reason in netsLoadError() (NETS_E_*).

import { memAlloc } from "../mem";
import { HushState } from "../format/reader";
import {
  hushTensorBits, hushTensorDataPtr, hushTensorDecode, hushTensorDecodeScratchBytes, hushTensorDim,
  hushTensorElements, hushTensorEncoding, hushTensorK, hushTensorMpoCores, hushTensorRank, hushTensorSparsity,
  hushTensorSparsityParam, hushTensorSparsityPtr, hushTensorStored, hushTensorStreamPtr, hushTensorValueDtype,
} from "../format/decode";
import {
  HUSH_DTYPE_F32, HUSH_ENC_F32, HUSH_ENC_KMEANS, HUSH_ENC_MPO, HUSH_ENC_SPARSE, HUSH_OK, HUSH_SPARSITY_BITMAP,
  HUSH_SPARSITY_BLOCKS, HUSH_SPARSITY_NONE,
} from "../format/spec";
import { f32FromF16 } from "../format/f16";
import { matvecDense, matvecDenseAcc } from "../nn/matvec-dense";
import { matvecSparse, matvecSparseAcc } from "../nn/matvec-sparse";
import { blockPackedBytes, matvecBlock, matvecBlockAcc } from "../nn/matvec-block";
import { vecGather } from "../nn/columns-compact";
import { matvecCodebook, matvecCodebookSparse } from "../nn/matvec-codebook";
import { mpoMatvec, mpoScratchFloats } from "../nn/mpo";
import { vecAdd } from "../nn/vec";
import { blockPackStored, bitmapBytes, bitmapFromGaps, columnsKeptStored, columnsPackStored, sellBytesStored, sellPackStored, storedBitmap } from "./stored";
import { sellScratchBytes } from "../nn/sparse-pack";

export const MAT_DENSE: i32 = 1;
export const MAT_SPARSE: i32 = 2;
export const MAT_COLUMNS: i32 = 3;
export const MAT_CODEBOOK: i32 = 4;
export const MAT_CODEBOOK_SPARSE: i32 = 5;
export const MAT_MPO: i32 = 6;
export const MAT_BLOCK: i32 = 7;

/** Load failures (netsLoadError()). */
export const NETS_OK: i32 = 0;
/** memAlloc could not grow memory. */
export const NETS_E_MEMORY: i32 = 1;
/** the .hush decoder refused (its code is in the reader state). */
export const NETS_E_DECODE: i32 = 2;
/** the requested form does not apply to the tensor's encoding (e.g. codebook on a dense tensor). */
export const NETS_E_FORM: i32 = 3;
/** the tensor's element count is not what the net's geometry needs. */
export const NETS_E_SHAPE: i32 = 4;
/** the load scratch block is smaller than the tensor needs (a host bug). */
export const NETS_E_SCRATCH: i32 = 5;

let loadError: i32 = NETS_OK;

/** NETS_E_* of the last failed load function (NETS_OK when none failed since netsLoadErrorClear()). */
export function netsLoadError(): i32 {
  return loadError;
}

/** Clears the load error. */
export function netsLoadErrorClear(): void {
  loadError = NETS_OK;
}

/** Records a load failure and returns 0 (so loaders read `return loadFail(...)`). */
export function loadFail(code: i32): usize {
  if (loadError == NETS_OK) loadError = code;
  return 0;
}

/** A weight matrix in one of the MAT_* forms (48 bytes, allocated once at load). */
@unmanaged export class Mat {
  kind: i32;
  rows: i32;
  cols: i32;
  /** MAT_COLUMNS: kept columns; MAT_CODEBOOK*: K; MAT_MPO: number of cores. */
  n: i32;
  /** MAT_CODEBOOK*: index width ⌈log2 K⌉ (0 when K = 1). */
  bits: i32;
  /** Multiplications per product (what a hop costs; reported as MACs per hop). */
  macs: i32;
  /** DENSE f32[rows][cols] | SPARSE SELL-4 block | BLOCK block-sparse block | COLUMNS f32[rows][kept] | CODEBOOK* f32[K] | MPO cores. */
  w: usize;
  /** COLUMNS i32 keep[kept] | CODEBOOK* index stream | MPO i32 dims[n][4]. */
  idx: usize;
  /** CODEBOOK_SPARSE: bitmap, bit r·cols + c set when W[r][c] is stored. */
  mask: usize;
}

/** Floats of per-hop scratch `tmp` that matApply / matApplyAcc need for m. */
export function matScratchFloats(mat: usize): i32 {
  const m = changetype<Mat>(mat);
  if (m.kind == MAT_COLUMNS) return m.n;
  if (m.kind == MAT_CODEBOOK || m.kind == MAT_CODEBOOK_SPARSE) return m.rows;
  if (m.kind == MAT_MPO) return m.rows + mpoScratchFloats(m.idx, m.n);
  return 0;
}

/** Rows of m (outputs). */
export function matRows(mat: usize): i32 {
  return changetype<Mat>(mat).rows;
}
/** Columns of m (inputs). */
export function matCols(mat: usize): i32 {
  return changetype<Mat>(mat).cols;
}
/** MAT_* form of m. */
export function matKind(mat: usize): i32 {
  return changetype<Mat>(mat).kind;
}
/** Block `w` of m (dense / SELL-4 / compacted weights / codebook / MPO cores). */
export function matWeights(mat: usize): usize {
  return changetype<Mat>(mat).w;
}
/** Block `idx` of m (kept columns / index stream / MPO dims). */
export function matIndex(mat: usize): usize {
  return changetype<Mat>(mat).idx;
}
/** Kept columns (COLUMNS), K (CODEBOOK*), cores (MPO). */
export function matCount(mat: usize): i32 {
  return changetype<Mat>(mat).n;
}
/** Multiplications per product of m. */
export function matMacs(mat: usize): i32 {
  return changetype<Mat>(mat).macs;
}

/** y = W·x + b. y: f32[rows] (not overlapping x, tmp); x: f32[cols]; b: f32[rows] or 0. */
export function matApply(y: usize, m: Mat, b: usize, x: usize, tmp: usize): void {
  switch (m.kind) {
    case MAT_DENSE: matvecDense(y, m.w, b, x, m.rows, m.cols); break;
    case MAT_SPARSE: matvecSparse(y, m.w, b, x); break;
    case MAT_BLOCK: matvecBlock(y, m.w, b, x); break;
    case MAT_COLUMNS: {
      vecGather(tmp, x, m.idx, m.n); // the inputs of the kept columns
      matvecDense(y, m.w, b, tmp, m.rows, m.n);
      break;
    }
    case MAT_CODEBOOK: matvecCodebook(y, m.idx, m.bits, m.w, m.n, b, x, m.rows, m.cols); break;
    case MAT_CODEBOOK_SPARSE: matvecCodebookSparse(y, m.mask, m.idx, m.bits, m.w, m.n, b, x, m.rows, m.cols); break;
    default: mpoMatvec(y, m.w, m.idx, m.n, b, x, tmp);
  }
}

/** y = W·x for the host's measured planner (runtime/core/planMeasure.ts): matApply without a bias. */
export function matProduct(y: usize, mat: usize, x: usize, tmp: usize): void {
  matApply(y, changetype<Mat>(mat), 0, x, tmp);
}

/** y += W·x + b (same buffers as matApply). */
export function matApplyAcc(y: usize, m: Mat, b: usize, x: usize, tmp: usize): void {
  switch (m.kind) {
    case MAT_DENSE: matvecDenseAcc(y, m.w, b, x, m.rows, m.cols); break;
    case MAT_SPARSE: matvecSparseAcc(y, m.w, b, x); break;
    case MAT_BLOCK: matvecBlockAcc(y, m.w, b, x); break;
    case MAT_COLUMNS: {
      vecGather(tmp, x, m.idx, m.n);
      matvecDenseAcc(y, m.w, b, tmp, m.rows, m.n);
      break;
    }
    default: {
      // The compact kernels have no accumulating form: product into tmp[0, rows), then add.
      const rest = tmp + (<usize>m.rows << 2);
      matApply(tmp, m, b, x, rest);
      vecAdd(y, y, tmp, m.rows);
    }
  }
}

// -- load ----------------------------------------------------------------------------------------

/**
 * Decodes tensor t to dense f32 at `out` (count floats) with the .hush decoder, using
 * [scratch, scratch + scratchBytes) for an MPO contraction. False (and a load error) on failure.
 */
export function tensorDecodeTo(s: HushState, t: i32, out: usize, count: i32, scratch: usize, scratchBytes: u32): bool {
  const need = hushTensorDecodeScratchBytes(s, <u32>t);
  if (need > scratchBytes) {
    loadFail(NETS_E_SCRATCH);
    return false;
  }
  if (hushTensorDecode(s, <u32>t, out, <u32>count, scratch, need) != HUSH_OK) {
    loadFail(NETS_E_DECODE);
    return false;
  }
  return true;
}

/** The codebook of k-means tensor t as f32[K]: in place when stored as f32, else widened once. */
function codebookF32(s: HushState, t: i32): usize {
  const K = <i32>hushTensorK(s, <u32>t);
  const p = hushTensorDataPtr(s, <u32>t);
  if (hushTensorValueDtype(s, <u32>t) == <u32>HUSH_DTYPE_F32) return p;
  const out = memAlloc(<u32>K << 2);
  if (out == 0) return loadFail(NETS_E_MEMORY);
  for (let k = 0; k < K; k++) store<f32>(out + (<usize>k << 2), f32FromF16(<u32>load<u16>(p + (<usize>k << 1))));
  return out;
}

/** MACs of one MPO product (mpo.ts): Σ_k A_k · i_k · r_k · B_k · r_{k−1} · j_k. */
function mpoMacs(dims: usize, n: i32): i64 {
  let B: i64 = 1;
  for (let k = 0; k < n; k++) B *= <i64>load<i32>(dims + (<usize>(k * 4 + 2) << 2));
  let A: i64 = 1;
  let macs: i64 = 0;
  for (let k = 0; k < n; k++) {
    const d = dims + (<usize>(k * 4) << 2);
    const rp = <i64>load<i32>(d), ik = <i64>load<i32>(d, 4), jk = <i64>load<i32>(d, 8), rk = <i64>load<i32>(d, 12);
    B /= jk;
    macs += A * ik * rk * B * rp * jk;
    A *= ik;
  }
  return macs;
}

/**
 * Builds the Mat of tensor t (open .hush reader state at `state`) in form `kind` (MAT_*), with
 * [scratch, scratch + scratchBytes) as load scratch (SPARSE and COLUMNS: a positions bitmap +
 * 4·cols bytes; DENSE/MPO: an MPO tensor's decode scratch). Returns the Mat pointer, or 0
 * and a load error. Codebook forms keep pointers into the file, which must stay in memory.
 */
export function matCreate(state: usize, t: i32, kind: i32, scratch: usize, scratchBytes: u32): usize {
  const s = changetype<HushState>(state);
  const count = <i32>hushTensorElements(s, <u32>t);
  if (hushTensorRank(s, <u32>t) < 1 || count < 1) return loadFail(NETS_E_SHAPE);
  const rows = <i32>hushTensorDim(s, <u32>t, 0);
  const cols = count / rows;
  const mp = memAlloc(<u32>offsetof<Mat>());
  if (mp == 0) return loadFail(NETS_E_MEMORY);
  const m = changetype<Mat>(mp);
  m.kind = kind;
  m.rows = rows;
  m.cols = cols;
  m.macs = count;
  const enc = <i32>hushTensorEncoding(s, <u32>t);
  if (kind == MAT_DENSE) {
    if (enc == HUSH_ENC_F32) {
      m.w = hushTensorDataPtr(s, <u32>t); // already f32[rows][cols], 16-byte aligned, in the file
    } else {
      m.w = memAlloc(<u32>count << 2);
      if (m.w == 0) return loadFail(NETS_E_MEMORY);
      if (!tensorDecodeTo(s, t, m.w, count, scratch, scratchBytes)) return 0;
    }
  } else if (kind == MAT_SPARSE || kind == MAT_COLUMNS) {
    // Packed straight from the stored entries (stored.ts); scratch: the positions bitmap, then
    // (sparse) the SELL-4 row counts and histogram or (columns) each column's rank among the kept ones.
    if (enc != HUSH_ENC_KMEANS && enc != HUSH_ENC_SPARSE) return loadFail(NETS_E_FORM);
    if (cols > 65536) return loadFail(NETS_E_FORM); // SELL-4 stores columns as u16
    // these packers pair stored value j with the j-th ascending position: not block order
    if (<i32>hushTensorSparsity(s, <u32>t) == HUSH_SPARSITY_BLOCKS) return loadFail(NETS_E_FORM);
    const mapBytes = (bitmapBytes(<u32>count) + 15) & ~15;
    if (mapBytes + max(sellScratchBytes(rows, cols), <u32>cols << 2) > scratchBytes) return loadFail(NETS_E_SCRATCH);
    const bitmap = storedBitmap(s, t, scratch);
    m.macs = <i32>hushTensorStored(s, <u32>t);
    if (kind == MAT_SPARSE) {
      const sell = scratch + mapBytes;
      const bytes = sellBytesStored(bitmap, rows, cols, sell);
      m.w = memAlloc(bytes);
      if (m.w == 0) return loadFail(NETS_E_MEMORY);
      sellPackStored(m.w, bytes, s, t, bitmap, rows, cols, sell);
    } else {
      const kept = columnsKeptStored(bitmap, rows, cols);
      m.w = memAlloc(<u32>(rows * kept) << 2);
      m.idx = memAlloc(<u32>kept << 2);
      if (m.w == 0 || m.idx == 0) return loadFail(NETS_E_MEMORY);
      m.n = columnsPackStored(m.w, m.idx, scratch + mapBytes, s, t, bitmap, rows, cols);
      m.macs = rows * kept;
    }
  } else if (kind == MAT_BLOCK) {
    // sparsity 'blocks' only: its stream is already in the kernel's block order (stored.ts)
    if ((enc != HUSH_ENC_KMEANS && enc != HUSH_ENC_SPARSE) || <i32>hushTensorSparsity(s, <u32>t) != HUSH_SPARSITY_BLOCKS) return loadFail(NETS_E_FORM);
    const param = hushTensorSparsityParam(s, <u32>t);
    const br = <i32>((param >>> 8) & 0xff), bc = <i32>((param >>> 16) & 0xff);
    const stored = <i32>hushTensorStored(s, <u32>t);
    m.w = memAlloc(blockPackedBytes(rows, br, bc, stored / (br * bc)));
    if (m.w == 0) return loadFail(NETS_E_MEMORY);
    blockPackStored(m.w, s, t, rows, cols, br, bc);
    m.macs = stored;
  } else if (kind == MAT_CODEBOOK || kind == MAT_CODEBOOK_SPARSE) {
    if (enc != HUSH_ENC_KMEANS || <i32>hushTensorSparsity(s, <u32>t) == HUSH_SPARSITY_BLOCKS) return loadFail(NETS_E_FORM);
    m.n = <i32>hushTensorK(s, <u32>t);
    m.bits = <i32>hushTensorBits(s, <u32>t);
    m.w = codebookF32(s, t);
    if (m.w == 0) return 0;
    m.idx = hushTensorStreamPtr(s, <u32>t); // 0 when bits = 0 (K = 1): the kernels never read it then
    const sparsity = <i32>hushTensorSparsity(s, <u32>t);
    if (sparsity == HUSH_SPARSITY_NONE) {
      m.kind = MAT_CODEBOOK;
    } else {
      m.kind = MAT_CODEBOOK_SPARSE;
      m.macs = <i32>hushTensorStored(s, <u32>t);
      if (sparsity == HUSH_SPARSITY_BITMAP) {
        m.mask = hushTensorSparsityPtr(s, <u32>t);
      } else {
        // bitmapBytes: ⌈count/8⌉ + 4, the kernel reads the bitmap with unaligned 4-byte loads
        m.mask = memAlloc(bitmapBytes(<u32>count));
        if (m.mask == 0) return loadFail(NETS_E_MEMORY);
        bitmapFromGaps(m.mask, s, t);
      }
    }
  } else if (kind == MAT_MPO) {
    if (enc != HUSH_ENC_MPO) return loadFail(NETS_E_FORM);
    const n = <i32>hushTensorMpoCores(s, <u32>t);
    m.n = n;
    m.idx = memAlloc(<u32>(n * 16));
    if (m.idx == 0) return loadFail(NETS_E_MEMORY);
    let floats = 0;
    for (let c = 1; c <= n; c++) {
      for (let d = 0; d < 4; d++) store<i32>(m.idx + (<usize>((c - 1) * 4 + d) << 2), <i32>hushTensorDim(s, <u32>(t + c), <u32>d));
      floats += <i32>hushTensorElements(s, <u32>(t + c));
    }
    m.w = memAlloc(<u32>floats << 2);
    if (m.w == 0) return loadFail(NETS_E_MEMORY);
    let at = m.w;
    for (let c = 1; c <= n; c++) {
      const e = <i32>hushTensorElements(s, <u32>(t + c));
      if (!tensorDecodeTo(s, t + c, at, e, scratch, scratchBytes)) return 0;
      at += <usize>e << 2;
    }
    const macs = mpoMacs(m.idx, n);
    m.macs = macs > <i64>i32.MAX_VALUE ? i32.MAX_VALUE : <i32>macs;
  } else {
    return loadFail(NETS_E_FORM);
  }
  return mp;
}
