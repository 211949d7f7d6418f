// Block-sparse 2-D convolutions, one new time frame per call (block-sparse pruning of conv kernels,
// beyond the paper; `.hush` sparsity `blocks` on the kernel's matrix view, docs/format.md "Blocks"):
// the block forms of conv2dStep (conv2d.ts) and convTranspose2dStep (conv-transpose2d.ts), same
// PyTorch semantics, arguments and ring convention (ring.ts) as those and as conv-sparse.ts, so a net
// swaps one for another per tensor at load time.
//
// A convolution is a matrix times patches: the im2col patch of output bin fo is the column of input
// values its outputs see, and
//
//   Conv2d           y[co][fo] = b[co] + Σ_c W[co][c] · patch_fo[c],   W = the weight's matrix view
//                    [Cout][Cin·kT·kF] (PyTorch's layout as is), patch_fo[(ci·kT + t)·kF + k] =
//                    x_{n−(kT−1−t)}[ci][fo·s + k − padL] (conv2dPatchGather)
//   ConvTranspose2d  per output phase q (as conv-transpose2d.ts: the bins fo ≡ q − pad mod s meet only
//                    the taps k = q + j·s, j < n_q): y[co][fo0_q + i·s] = b[co] + Σ_c V_q[co][c] ·
//                    patch_i[c] over c = (t·n_q + j)·Cin + ci, V_q[co][c] = w[ci][co][t][q + j·s],
//                    patch_i[c] = x_{n−t}[ci][(fo0_q + i·s + pad − q)/s − j]  — input channels fastest
//
// so a kept block of the file's matrix view is a dense block of the product's matrix:
//   Conv2d, file [Cout][Cin·kT·kF]:  4x1 = 4 output channels at one (ci, t, k) → a 4x1 block of W:
//                    acc(co..co+3) += w[4] · splat(patch[c]) (one f32x4 load, one load32_splat, one
//                    multiply-add); 8x1 the same with two f32x4; 1x4 = 4 consecutive (ci, t, k) of one
//                    output → acc += w[4] · patch[c..c+3], lanes summed at the end of the row
//   ConvTranspose2d, file [Cin][Cout·kT·kF]: 4x1 = 4 input channels at one (co, t, k) → in V_q the 4
//                    consecutive columns (t, j, ci..ci+3) of row co: a 1x4 block (8x1: two of them).
//                    The file's 1x4 blocks (4 consecutive (co, t, k) of one input) scatter over
//                    outputs and phases: no block form (the plan keeps such a kernel sparse or dense).
// Each block is dense SIMD with no lane insert and no gather. Four patches (output bins) are run
// together, so each block's f32x4 of weights is loaded once per four bins (4 accumulators).
//
// The patches are not copied out (im2col, kF/s copies of every input value) where a layout of the
// frame serves every bin: the packed matrices' column entries hold, instead of the column c, the
// offset of patch_0[c] in a per-frame copy `prep` of the input, and patch_i[c] = prep[offset + i·d]:
//   Conv2d 4x1 / 8x1  prep f32[kT][Cin][s][Lp] (conv-sparse.ts's layout: each input row split into
//                     its s phases), prep[t][ci][p][m] = x_{n−(kT−1−t)}[ci][m·s + p − padL],
//                     Lp = Fout + ⌊(kF − 1)/s⌋; column (ci, t, k) → ((t·Cin + ci)·s + k mod s)·Lp + ⌊k/s⌋,
//                     d = 1 (the four bins of a pass are four consecutive floats)
//   Conv2d 1x4        im2col: patch_i = f32[Cin·kT·kF] (conv2dPatchGather), offset = c, d = K (a 1x4
//                     block needs its four columns side by side)
//   ConvTranspose2d   prep f32[kT][Lp'][Cin] (channels fastest), prep[t][m][ci] = x_{n−t}[ci][m − lead];
//                     phase q's column (t, j, ci) → (t·Lp' + lead + c_q − j)·Cin + ci with
//                     c_q = (fo0_q + pad − q)/s (the input bin of the phase's first output at j = 0),
//                     d = Cin; lead = max(0, max_q (n_q − 1 − c_q)), Lp' = lead + max_q (c_q + bins_q)
// (0 wherever the input bin falls outside [0, F)). Every offset + (bins − 1)·d stays below the prep
// floats (checked at pack time), so the step never reads outside it, whatever the weights.
//
// The packed matrices are nn/matvec-block.ts's layout (blockPack: every br × bc block with a nonzero
// is kept, so any weights give the exact product; a block-pruned file's blocks are exactly its kept
// blocks). Block layout (16-byte aligned; convBlockBytes / convBlockPack):
//   ConvBlock header (64 bytes) | phase table: phases × (i32 matrix offset from the block start,
//   i32 columns K_q, i32 taps n_q, i32 0) | the phases' packed block matrices, each 16-byte aligned
// MACs per frame: Σ_q kept_q · br·bc · bins_q. Prep scratch: kT·Cin·s·Lp, Fout·K (1x4), kT·Lp'·Cin floats.
//
// Arithmetic order (the scalar build follows it exactly, so both builds give the same bits): each
// output is one sum over its row's kept blocks in increasing column order, starting from 0 —
//   4x1 / 8x1: s += w·p per block;
//   1x4:       lane sums e_l += w_l·p_{c+l} (l < 4) per block, then (e0 + e2) + (e1 + e3) (laneSum4)
// then + b. f32 accumulation: |error| ≤ ~nnz_row·2⁻²⁴·Σ|w·p| per output, as the dense kernels.

import { blockColsOffset, blockCount, blockPack, blockPackedBytes, blockWeightsOffset } from "./matvec-block";
import { conv2dOutBins, conv2dPatchGather } from "./conv2d";
import { convTranspose2dOutBins } from "./conv-transpose2d";
import { laneSum4 } from "./lanes";
import { ringFrame, ringPush } from "./ring";

/** Header of a block conv (64 bytes). */
@unmanaged class ConvBlock {
  /** 0: Conv2d; 1: ConvTranspose2d. */
  transposed: i32;
  cin: i32;
  /** Output channels (rows of every phase matrix; a GCRN gated pair: both convs, 2·Cout). */
  rows: i32;
  /** F, input bins. */
  bins: i32;
  /** Fout, output bins. */
  fout: i32;
  kT: i32;
  kF: i32;
  /** Frequency stride s. */
  stride: i32;
  /** conv: padL; tconv: pad. */
  pad: i32;
  /** Phases: 1 (conv) or s (tconv). */
  phases: i32;
  /** Block shape of the packed matrices (tconv: 1x4). */
  br: i32;
  bc: i32;
  /** Multiplications per frame. */
  macs: i32;
  /** Floats of patch scratch a step needs. */
  patchFloats: i32;
  /** Prep row floats: conv (4x1 / 8x1) Lp; tconv Lp' (rows of Cin); 0 for a conv in 1x4 (im2col). */
  rowFloats: i32;
  /** tconv: zero bins in front of each prep frame; else 0. */
  lead: i32;
}

const HEADER_BYTES: usize = 64;
/** Bytes per phase-table entry. */
const PHASE_BYTES: usize = 16;
/** Largest frequency stride of the transposed block form (phase-table entries). */
export const CONV_BLOCK_MAX_STRIDE: i32 = 16;

/** Taps of phase q (k ≡ q mod s, 0 ≤ k < kF), as conv-transpose2d.ts. */
// @ts-ignore: decorator
@inline function phaseTaps(q: i32, kF: i32, s: i32): i32 {
  return q < kF ? (kF - q + s - 1) / s : 0;
}

/** First output bin fo ≥ 0 with (fo + pad) mod s = q. */
// @ts-ignore: decorator
@inline function phaseFirstBin(q: i32, pad: i32, s: i32): i32 {
  return (((q - pad) % s) + s) % s;
}

/** Output bins of phase q: fo0_q, fo0_q + s, … < Fout. */
// @ts-ignore: decorator
@inline function phaseBins(fo0: i32, fout: i32, s: i32): i32 {
  return fo0 < fout ? (fout - fo0 + s - 1) / s : 0;
}

/**
 * Writes phase q's matrix V_q[Cout][kT·n_q·Cin] (see the file comment) of the ConvTranspose2d weight
 * w: f32[Cin][Cout][kT][kF] into dst.
 */
function phaseMatrix(dst: usize, w: usize, q: i32, cin: i32, cout: i32, kT: i32, kF: i32, s: i32): void {
  const nq = phaseTaps(q, kF, s);
  const K = kT * nq * cin;
  for (let co = 0; co < cout; co++) {
    for (let t = 0; t < kT; t++) {
      for (let j = 0; j < nq; j++) {
        for (let ci = 0; ci < cin; ci++) {
          const v = load<f32>(w + (<usize>(((ci * cout + co) * kT + t) * kF + q + j * s) << 2));
          store<f32>(dst + (<usize>(co * K + (t * nq + j) * cin + ci) << 2), v);
        }
      }
    }
  }
}

/** True when (br, bc) is a block shape of the form: conv 4x1, 8x1, 1x4; tconv 4x1, 8x1 (packed 1x4). */
function shapeOk(transposed: bool, cin: i32, rows: i32, kT: i32, kF: i32, br: i32, bc: i32): bool {
  if (transposed) return bc == 1 && (br == 4 || br == 8) && cin % br == 0;
  if (!((bc == 1 && (br == 4 || br == 8)) || (br == 1 && bc == 4))) return false;
  return rows % br == 0 && (cin * kT * kF) % bc == 0;
}

/**
 * Bytes of the block form of weight w (dense f32, PyTorch layout: conv [rows][Cin][kT][kF], tconv
 * [Cin][rows][kT][kF]) with the file's block shape br × bc; 0 when the form does not apply (shape,
 * stride). `scratch`: f32[rows·Cin·kT·kF] for a tconv's phase matrices (unused for a conv).
 */
export function convBlockBytes(
  w: usize, scratch: usize, transposed: i32, cin: i32, rows: i32, bins: i32, kT: i32, kF: i32, strideF: i32, br: i32, bc: i32,
): u32 {
  const t = transposed != 0;
  if (!shapeOk(t, cin, rows, kT, kF, br, bc) || strideF < 1 || bins < 1 || (t && strideF > CONV_BLOCK_MAX_STRIDE)) return 0;
  if (!t) {
    const K = cin * kT * kF;
    return <u32>(HEADER_BYTES + PHASE_BYTES) + blockPackedBytes(rows, br, bc, blockCount(w, rows, K, br, bc));
  }
  let bytes = <u32>(HEADER_BYTES + PHASE_BYTES * <usize>strideF);
  for (let q = 0; q < strideF; q++) {
    const K = kT * phaseTaps(q, kF, strideF) * cin;
    phaseMatrix(scratch, w, q, cin, rows, kT, kF, strideF);
    bytes += blockPackedBytes(rows, 1, 4, blockCount(scratch, rows, K, 1, 4));
  }
  return bytes;
}

/**
 * Packs weight w into dst (convBlockBytes(...) bytes, 16-byte aligned) for the geometry: conv bins F,
 * stride s, p1 = padL, p2 = padR; tconv p1 = pad, p2 = outPad. Returns false when the form does not
 * apply (as convBlockBytes) or the geometry gives no output bin.
 */
export function convBlockPack(
  dst: usize, w: usize, scratch: usize, transposed: i32, cin: i32, rows: i32, bins: i32, kT: i32, kF: i32, strideF: i32,
  p1: i32, p2: i32, br: i32, bc: i32,
): bool {
  const t = transposed != 0;
  if (convBlockBytes(w, scratch, transposed, cin, rows, bins, kT, kF, strideF, br, bc) == 0 || p1 < 0 || p2 < 0) return false;
  const fout = t ? convTranspose2dOutBins(bins, kF, strideF, p1, p2) : conv2dOutBins(bins, kF, strideF, p1, p2);
  if (fout < 1) return false;
  const h = changetype<ConvBlock>(dst);
  h.transposed = transposed;
  h.cin = cin;
  h.rows = rows;
  h.bins = bins;
  h.fout = fout;
  h.kT = kT;
  h.kF = kF;
  h.stride = strideF;
  h.pad = p1;
  h.phases = t ? strideF : 1;
  h.br = t ? 1 : br;
  h.bc = t ? 4 : bc;
  const s = strideF;
  // prep geometry (see the file comment)
  let rowFloats = 0, lead = 0;
  if (!t && bc == 1) rowFloats = fout + (kF - 1) / s;
  if (t) {
    let end = 0;
    for (let q = 0; q < s; q++) {
      const nq = phaseTaps(q, kF, s), n = phaseBins(phaseFirstBin(q, p1, s), fout, s);
      if (nq == 0 || n == 0) continue;
      const c = (phaseFirstBin(q, p1, s) + p1 - q) / s;
      lead = max(lead, nq - 1 - c);
      end = max(end, c + n);
    }
    rowFloats = lead + end;
  }
  h.rowFloats = rowFloats;
  h.lead = lead;
  let macs: i64 = 0;
  let patch = t ? kT * rowFloats * cin : bc == 1 ? kT * cin * s * rowFloats : 0;
  let off = HEADER_BYTES + PHASE_BYTES * <usize>h.phases;
  for (let q = 0; q < h.phases; q++) {
    const nq = t ? phaseTaps(q, kF, strideF) : kF;
    const K = cin * kT * nq;
    const n = t ? phaseBins(phaseFirstBin(q, p1, strideF), fout, strideF) : fout;
    const m = dst + off;
    let kept: i32;
    if (t) {
      phaseMatrix(scratch, w, q, cin, rows, kT, kF, strideF);
      kept = blockPack(m, scratch, rows, K, 1, 4);
    } else {
      kept = blockPack(m, w, rows, K, br, bc);
    }
    const e = dst + HEADER_BYTES + PHASE_BYTES * <usize>q;
    store<i32>(e, <i32>off);
    store<i32>(e, K, 4);
    store<i32>(e, nq, 8);
    store<i32>(e, 0, 12);
    macs += <i64>kept * <i64>(h.br * h.bc) * <i64>n;
    if (!t && bc == 4) {
      patch = max(patch, n * K); // im2col
    } else if (kept > 0 && n > 0) {
      // columns → prep offsets (the order of the blocks, hence of the sums, is unchanged)
      const cq = t ? (phaseFirstBin(q, p1, s) + p1 - q) / s : 0;
      const colBase = m + blockColsOffset(rows / h.br);
      for (let e = 0; e < kept; e++) {
        const c = load<i32>(colBase + (<usize>e << 2));
        let o: i32;
        if (t) {
          const ci = c % cin, tj = c / cin, tt = tj / nq, j = tj % nq;
          o = (tt * rowFloats + lead + cq - j) * cin + ci;
          if (o < 0 || o + (n - 1) * cin + 3 >= patch) return false;
        } else {
          const k = c % kF, ct = c / kF, tt = ct % kT, ci = ct / kT;
          o = ((tt * cin + ci) * s + k % s) * rowFloats + k / s;
          if (o < 0 || o + n - 1 >= patch) return false;
        }
        store<i32>(colBase + (<usize>e << 2), o);
      }
    }
    off += blockPackedBytes(rows, h.br, h.bc, kept);
  }
  h.macs = <i32>min<i64>(macs, 0x7fffffff);
  h.patchFloats = patch;
  return true;
}

/** Floats of patch scratch convBlockStep needs for block cb. */
export function convBlockPatchFloats(cb: usize): i32 {
  return changetype<ConvBlock>(cb).patchFloats;
}

/** Multiplications per frame of block cb. */
export function convBlockMacs(cb: usize): i32 {
  return changetype<ConvBlock>(cb).macs;
}

/** Kept blocks of block cb, over its phases. */
export function convBlockBlocks(cb: usize): i32 {
  const h = changetype<ConvBlock>(cb);
  let n = 0;
  for (let q = 0; q < h.phases; q++) n += load<i32>(cb + <usize>load<i32>(cb + HEADER_BYTES + PHASE_BYTES * <usize>q), 20);
  return n;
}

/** y[r·yRow + i·yStep] = v (+ b[r]). */
// @ts-ignore: decorator
@inline function outStore(y: usize, yRow: i32, yStep: i32, b: usize, r: i32, i: i32, v: f32): void {
  if (b != 0) v += load<f32>(b + (<usize>r << 2));
  store<f32>(y + (<usize>(r * yRow + i * yStep) << 2), v);
}

/** The four lanes of v as outputs r..r+3 of patch i. */
// @ts-ignore: decorator
@inline function outStore4Rows(y: usize, yRow: i32, yStep: i32, b: usize, r: i32, i: i32, v: v128): void {
  outStore(y, yRow, yStep, b, r, i, f32x4.extract_lane(v, 0));
  outStore(y, yRow, yStep, b, r + 1, i, f32x4.extract_lane(v, 1));
  outStore(y, yRow, yStep, b, r + 2, i, f32x4.extract_lane(v, 2));
  outStore(y, yRow, yStep, b, r + 3, i, f32x4.extract_lane(v, 3));
}

/** y[r·yRow + i .. + 3] = v (+ b[r]): one row's outputs of 4 consecutive patches (yStep = 1). */
// @ts-ignore: decorator
@inline function outStoreRow(y: usize, yRow: i32, b: usize, r: i32, i: i32, v: v128): void {
  if (b != 0) v = f32x4.add(v, v128.load32_splat(b + (<usize>r << 2)));
  v128.store(y + (<usize>(r * yRow + i) << 2), v);
}

/**
 * y[r·yRow + i·yStep] = b[r] + Σ_c W[r][c]·patch[col_c + i·d] for r < rows, i < n, with W packed by
 * blockPack (matvec-block.ts layout) whose column entries col_c are float offsets into `patch` (see the
 * file comment); `ld` = 4·d, bytes between consecutive patches. b: f32[rows] or 0.
 */
function blockRowsPatches(y: usize, yRow: i32, yStep: i32, p: usize, b: usize, patch: usize, ld: usize, n: i32): void {
  const br = load<i32>(p, 8);
  const bc = load<i32>(p, 12);
  const blockRows = load<i32>(p, 16);
  const blocks = load<i32>(p, 20);
  const colBase = p + blockColsOffset(blockRows);
  const wBase = p + blockWeightsOffset(blockRows, blocks);
  for (let rb = 0; rb < blockRows; rb++) {
    const k0 = load<i32>(p + 32 + (<usize>rb << 2));
    const end = load<i32>(p + 36 + (<usize>rb << 2));
    const r = rb * br;
    if (ASC_FEATURE_SIMD) {
      let i = 0;
      if (bc == 1 && br == 4) {
        for (; i + 4 <= n; i += 4) {
          const p0 = patch + <usize>i * ld, p1 = p0 + ld, p2 = p1 + ld, p3 = p2 + ld;
          let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
          for (let k = k0; k < end; k++) {
            const c = <usize>load<i32>(colBase + (<usize>k << 2)) << 2;
            const wv = v128.load(wBase + (<usize>k << 4));
            a0 = f32x4.add(a0, f32x4.mul(wv, v128.load32_splat(p0 + c)));
            a1 = f32x4.add(a1, f32x4.mul(wv, v128.load32_splat(p1 + c)));
            a2 = f32x4.add(a2, f32x4.mul(wv, v128.load32_splat(p2 + c)));
            a3 = f32x4.add(a3, f32x4.mul(wv, v128.load32_splat(p3 + c)));
          }
          if (yStep == 1) {
            // transpose: row r + l of patches i..i+3 is one f32x4, stored whole
            const t0 = v128.shuffle<f32>(a0, a1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(a2, a3, 0, 4, 1, 5);
            const t2 = v128.shuffle<f32>(a0, a1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(a2, a3, 2, 6, 3, 7);
            outStoreRow(y, yRow, b, r, i, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
            outStoreRow(y, yRow, b, r + 1, i, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
            outStoreRow(y, yRow, b, r + 2, i, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
            outStoreRow(y, yRow, b, r + 3, i, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
          } else {
            outStore4Rows(y, yRow, yStep, b, r, i, a0);
            outStore4Rows(y, yRow, yStep, b, r, i + 1, a1);
            outStore4Rows(y, yRow, yStep, b, r, i + 2, a2);
            outStore4Rows(y, yRow, yStep, b, r, i + 3, a3);
          }
        }
        for (; i < n; i++) {
          const p0 = patch + <usize>i * ld;
          let a0 = f32x4.splat(0);
          for (let k = k0; k < end; k++) {
            const c = <usize>load<i32>(colBase + (<usize>k << 2)) << 2;
            a0 = f32x4.add(a0, f32x4.mul(v128.load(wBase + (<usize>k << 4)), v128.load32_splat(p0 + c)));
          }
          outStore4Rows(y, yRow, yStep, b, r, i, a0);
        }
      } else if (bc == 1) {
        // 8x1: rows r..r+3 from the block's first f32x4, r+4..r+7 from its second
        for (; i + 2 <= n; i += 2) {
          const p0 = patch + <usize>i * ld, p1 = p0 + ld;
          let a0 = f32x4.splat(0), a1 = f32x4.splat(0), c0 = f32x4.splat(0), c1 = f32x4.splat(0);
          for (let k = k0; k < end; k++) {
            const c = <usize>load<i32>(colBase + (<usize>k << 2)) << 2;
            const wp = wBase + (<usize>k << 5);
            const lo = v128.load(wp), hi = v128.load(wp, 16);
            const x0 = v128.load32_splat(p0 + c), x1 = v128.load32_splat(p1 + c);
            a0 = f32x4.add(a0, f32x4.mul(lo, x0));
            a1 = f32x4.add(a1, f32x4.mul(hi, x0));
            c0 = f32x4.add(c0, f32x4.mul(lo, x1));
            c1 = f32x4.add(c1, f32x4.mul(hi, x1));
          }
          outStore4Rows(y, yRow, yStep, b, r, i, a0);
          outStore4Rows(y, yRow, yStep, b, r + 4, i, a1);
          outStore4Rows(y, yRow, yStep, b, r, i + 1, c0);
          outStore4Rows(y, yRow, yStep, b, r + 4, i + 1, c1);
        }
        for (; i < n; i++) {
          const p0 = patch + <usize>i * ld;
          let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
          for (let k = k0; k < end; k++) {
            const c = <usize>load<i32>(colBase + (<usize>k << 2)) << 2;
            const wp = wBase + (<usize>k << 5);
            const x0 = v128.load32_splat(p0 + c);
            a0 = f32x4.add(a0, f32x4.mul(v128.load(wp), x0));
            a1 = f32x4.add(a1, f32x4.mul(v128.load(wp, 16), x0));
          }
          outStore4Rows(y, yRow, yStep, b, r, i, a0);
          outStore4Rows(y, yRow, yStep, b, r + 4, i, a1);
        }
      } else {
        // 1x4: one output row, 4 consecutive columns per block; 4 patches' lane sums at once
        const zero = f32x4.splat(0);
        for (; i + 4 <= n; i += 4) {
          const p0 = patch + <usize>i * ld, p1 = p0 + ld, p2 = p1 + ld, p3 = p2 + ld;
          let a0 = zero, a1 = zero, a2 = zero, a3 = zero;
          for (let k = k0; k < end; k++) {
            const c = <usize>load<i32>(colBase + (<usize>k << 2)) << 2;
            const wv = v128.load(wBase + (<usize>k << 4));
            a0 = f32x4.add(a0, f32x4.mul(wv, v128.load(p0 + c)));
            a1 = f32x4.add(a1, f32x4.mul(wv, v128.load(p1 + c)));
            a2 = f32x4.add(a2, f32x4.mul(wv, v128.load(p2 + c)));
            a3 = f32x4.add(a3, f32x4.mul(wv, v128.load(p3 + c)));
          }
          const s = laneSum4(a0, a1, a2, a3);
          if (yStep == 1) {
            outStoreRow(y, yRow, b, rb, i, s);
            continue;
          }
          outStore(y, yRow, yStep, b, rb, i, f32x4.extract_lane(s, 0));
          outStore(y, yRow, yStep, b, rb, i + 1, f32x4.extract_lane(s, 1));
          outStore(y, yRow, yStep, b, rb, i + 2, f32x4.extract_lane(s, 2));
          outStore(y, yRow, yStep, b, rb, i + 3, f32x4.extract_lane(s, 3));
        }
        for (; i < n; i++) {
          const p0 = patch + <usize>i * ld;
          let a0 = zero;
          for (let k = k0; k < end; k++) {
            const c = <usize>load<i32>(colBase + (<usize>k << 2)) << 2;
            a0 = f32x4.add(a0, f32x4.mul(v128.load(wBase + (<usize>k << 4)), v128.load(p0 + c)));
          }
          outStore(y, yRow, yStep, b, rb, i, f32x4.extract_lane(laneSum4(a0, zero, zero, zero), 0));
        }
      }
    } else {
      const size = br * bc;
      for (let i = 0; i < n; i++) {
        const pi = patch + <usize>i * ld;
        if (bc == 1) {
          for (let l = 0; l < br; l++) {
            let s: f32 = 0;
            for (let k = k0; k < end; k++) {
              s += load<f32>(wBase + (<usize>(k * size + l) << 2)) * load<f32>(pi + (<usize>load<i32>(colBase + (<usize>k << 2)) << 2));
            }
            outStore(y, yRow, yStep, b, r + l, i, s);
          }
        } else {
          let e0: f32 = 0, e1: f32 = 0, e2: f32 = 0, e3: f32 = 0;
          for (let k = k0; k < end; k++) {
            const wp = wBase + (<usize>k << 4);
            const xp = pi + (<usize>load<i32>(colBase + (<usize>k << 2)) << 2);
            e0 += load<f32>(wp) * load<f32>(xp);
            e1 += load<f32>(wp, 4) * load<f32>(xp, 4);
            e2 += load<f32>(wp, 8) * load<f32>(xp, 8);
            e3 += load<f32>(wp, 12) * load<f32>(xp, 12);
          }
          outStore(y, yRow, yStep, b, rb, i, (e0 + e2) + (e1 + e3));
        }
      }
    }
  }
}

/**
 * One frame of the block conv cb (convBlockPack); returns the next ring position (ring.ts).
 *   y:     f32[rows][Fout] output (not overlapping x, ring, patch)
 *   x:     f32[Cin][F] current input frame
 *   ring:  f32[kT−1][Cin][F] the previous kT−1 input frames (state; 0 allowed when kT = 1)
 *   pos:   ring position (state)
 *   b:     f32[rows] or 0
 *   patch: f32 scratch of convBlockPatchFloats(cb) floats
 * Same results as conv2dStep / convTranspose2dStep on the weights cb was packed from (to f32 rounding).
 */
export function convBlockStep(y: usize, x: usize, ring: usize, pos: i32, cb: usize, b: usize, patch: usize): i32 {
  const h = changetype<ConvBlock>(cb);
  const cin = h.cin, bins = h.bins, kT = h.kT, kF = h.kF, s = h.stride, fout = h.fout, Lp = h.rowFloats;
  const L = kT - 1;
  const frameBytes = (<usize>cin * <usize>bins) << 2;
  if (h.transposed == 0) {
    const m = cb + <usize>load<i32>(cb + HEADER_BYTES);
    if (h.bc == 4) {
      conv2dPatchGather(patch, x, ring, pos, cin, bins, kT, kF, s, h.pad, fout);
      blockRowsPatches(y, fout, 1, m, b, patch, <usize>(cin * kT * kF) << 2, fout);
    } else {
      // prep[t][ci][p][m] = x_{n−(kT−1−t)}[ci][m·s + p − padL]
      for (let t = 0; t < kT; t++) {
        const lag = kT - 1 - t;
        const src = lag == 0 ? x : ringFrame(ring, pos, L, lag, frameBytes);
        for (let ci = 0; ci < cin; ci++) {
          const srow = src + ((<usize>ci * <usize>bins) << 2);
          for (let p = 0; p < s; p++) {
            const dst = patch + (<usize>(((t * cin + ci) * s + p) * Lp) << 2);
            for (let j = 0; j < Lp; j++) {
              const fi = j * s + p - h.pad;
              store<f32>(dst + (<usize>j << 2), fi >= 0 && fi < bins ? load<f32>(srow + (<usize>fi << 2)) : 0);
            }
          }
        }
      }
      blockRowsPatches(y, fout, 1, m, b, patch, 4, fout);
    }
    return ringPush(ring, pos, L, x, frameBytes);
  }
  // prep[t][m][ci] = x_{n−t}[ci][m − lead]
  const lead = h.lead;
  for (let t = 0; t < kT; t++) {
    const src = t == 0 ? x : ringFrame(ring, pos, L, t, frameBytes);
    for (let j = 0; j < Lp; j++) {
      const fi = j - lead;
      const dst = patch + (<usize>((t * Lp + j) * cin) << 2);
      if (fi >= 0 && fi < bins) {
        for (let ci = 0; ci < cin; ci++) store<f32>(dst + (<usize>ci << 2), load<f32>(src + (<usize>(ci * bins + fi) << 2)));
      } else {
        memory.fill(dst, 0, <usize>cin << 2);
      }
    }
  }
  for (let q = 0; q < s; q++) {
    const fo0 = phaseFirstBin(q, h.pad, s);
    const n = phaseBins(fo0, fout, s);
    if (n == 0) continue;
    const m = cb + <usize>load<i32>(cb + HEADER_BYTES + PHASE_BYTES * <usize>q);
    blockRowsPatches(y + (<usize>fo0 << 2), fout, s, m, b, patch, <usize>cin << 2, n);
  }
  return ringPush(ring, pos, L, x, frameBytes);
}
