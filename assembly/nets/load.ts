// Load-time builders of the non-matrix weights: biases, norms, PReLU slopes, convolution kernels
// (dense f32 in the PyTorch layout, or — when the plan says so for a pruned kernel — the sparse
// list of its nonzero taps, conv-sparse.ts, or its kept blocks, conv-block.ts), transposed-conv kernels repacked into polyphase blocks
// or sparse lists, and BatchNorm folded to a per-channel affine map. Each takes the open .hush reader state and tensor
// indices (resolved by name on the host), allocates its result once, and returns 0 with a load error
// (mat.ts netsLoadError()) on failure. The host checks names and shapes against src/models' layout
// before calling; the element counts are checked again here.

import { memAlloc } from "../mem";
import { HushState } from "../format/reader";
import {
  hushTensorDataPtr, hushTensorElements, hushTensorEncoding, hushTensorK, hushTensorSparsity, hushTensorSparsityParam, hushTensorValueDtype,
} from "../format/decode";
import { HUSH_DTYPE_F32, HUSH_ENC_F32, HUSH_ENC_KMEANS, HUSH_SPARSITY_BLOCKS } from "../format/spec";
import { f32FromF16 } from "../format/f16";
import { batchNormFold } from "../nn/batch-norm";
import { convTranspose2dPack } from "../nn/conv-transpose2d";
import { convBlockBytes, convBlockPack } from "../nn/conv-block";
import { convSparseBytes, convSparseNonzeros, convSparsePack, convTransposeSparsePack } from "../nn/conv-sparse";
import { loadFail, tensorDecodeTo, NETS_E_FORM, NETS_E_MEMORY, NETS_E_SCRATCH, NETS_E_SHAPE } from "./mat";

/** Returns t's element count if it equals `count`, else records NETS_E_SHAPE and returns -1. */
function expectCount(s: HushState, t: i32, count: i32): i32 {
  if (<i32>hushTensorElements(s, <u32>t) != count) {
    loadFail(NETS_E_SHAPE);
    return -1;
  }
  return count;
}

/**
 * Tensor t (count elements) as f32[count]: in place when the file stores it as dense f32 (payloads
 * are 16-byte aligned and the file stays in memory), else decoded into a new buffer.
 */
export function tensorCreate(state: usize, t: i32, count: i32, scratch: usize, scratchBytes: u32): usize {
  const s = changetype<HushState>(state);
  if (expectCount(s, t, count) < 0) return 0;
  if (<i32>hushTensorEncoding(s, <u32>t) == HUSH_ENC_F32) return hushTensorDataPtr(s, <u32>t);
  const out = memAlloc(<u32>count << 2);
  if (out == 0) return loadFail(NETS_E_MEMORY);
  return tensorDecodeTo(s, t, out, count, scratch, scratchBytes) ? out : 0;
}

/**
 * Tensors a and b (count elements each) decoded one after the other into a new f32[2·count]:
 * GCRN's gated convolutions run conv1 and conv2 as one convolution with twice the output channels
 * ([Cout][…] of conv1 then of conv2 is the weight [2·Cout][…]).
 */
export function tensorPairCreate(state: usize, a: i32, b: i32, count: i32, scratch: usize, scratchBytes: u32): usize {
  const s = changetype<HushState>(state);
  if (expectCount(s, a, count) < 0 || expectCount(s, b, count) < 0) return 0;
  const out = memAlloc(<u32>(2 * count) << 2);
  if (out == 0) return loadFail(NETS_E_MEMORY);
  if (!tensorDecodeTo(s, a, out, count, scratch, scratchBytes)) return 0;
  return tensorDecodeTo(s, b, out + (<usize>count << 2), count, scratch, scratchBytes) ? out : 0;
}

/**
 * a + b element-wise into a new f32[count] (an LSTM's b_ih + b_hh: the gates only ever see their
 * sum, so one bias vector is added per step instead of two). The load scratch holds b while decoding.
 */
export function tensorSumCreate(state: usize, a: i32, b: i32, count: i32, scratch: usize, scratchBytes: u32): usize {
  const s = changetype<HushState>(state);
  if (expectCount(s, a, count) < 0 || expectCount(s, b, count) < 0) return 0;
  const bytes = <u32>count << 2;
  if (bytes > scratchBytes) return loadFail(NETS_E_SCRATCH);
  const out = memAlloc(bytes);
  if (out == 0) return loadFail(NETS_E_MEMORY);
  const rest = (bytes + 15) & ~15;
  if (!tensorDecodeTo(s, a, out, count, scratch, scratchBytes)) return 0;
  if (!tensorDecodeTo(s, b, scratch, count, scratch + rest, scratchBytes > rest ? scratchBytes - rest : 0)) return 0;
  for (let i = 0; i < count; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(out + o) + load<f32>(scratch + o));
  }
  return out;
}

/**
 * A ConvTranspose2d weight (PyTorch [Cin][Cout][kT][kF]) decoded into the load scratch and repacked
 * by convTranspose2dPack into a new block of the same size, for convTranspose2dStep.
 */
export function deconvCreate(
  state: usize, t: i32, cin: i32, cout: i32, kT: i32, kF: i32, strideF: i32, scratch: usize, scratchBytes: u32,
): usize {
  const s = changetype<HushState>(state);
  const count = cin * cout * kT * kF;
  if (expectCount(s, t, count) < 0) return 0;
  const bytes = <u32>count << 2;
  const rest = (bytes + 15) & ~15;
  if (rest > scratchBytes) return loadFail(NETS_E_SCRATCH);
  if (!tensorDecodeTo(s, t, scratch, count, scratch + rest, scratchBytes - rest)) return 0;
  const out = memAlloc(bytes);
  if (out == 0) return loadFail(NETS_E_MEMORY);
  convTranspose2dPack(out, scratch, cin, cout, kT, kF, strideF);
  return out;
}

/**
 * The sparse form (nn/conv-sparse.ts) of a pruned conv kernel, built from its dense decode in the
 * load scratch (the list holds exactly the nonzeros; a stored value that is exactly 0 is dropped,
 * which leaves every product unchanged):
 *   transposed = 0: Conv2d weight tensor a f32[Cout][Cin][kT][kF], geometry as conv2dStep
 *                   (p1 = padL, p2 = padR); b ≥ 0: a second weight of the same shape stacked after
 *                   it as outputs Cout … 2·Cout−1 (GCRN's gated pair conv1, conv2), else b = −1.
 *   transposed = 1: ConvTranspose2d weight a f32[Cin][Cout][kT][kF], geometry as convTranspose2dStep
 *                   (p1 = pad, p2 = outPad); b must be −1.
 * indexed: the compact variant — entries index a table of the tensors' k-means codebook values
 * (both codebooks for a pair, ≤ 256 distinct nonzero values; else NETS_E_FORM).
 * The scratch must hold the dense weights (2 tensors for a pair) 16-byte aligned, plus any MPO decode
 * scratch. Every list offset is checked against the prep scratch size by the pack function.
 */
export function convSparseCreate(
  state: usize, a: i32, b: i32, transposed: i32, cin: i32, cout: i32, bins: i32, kT: i32, kF: i32, strideF: i32,
  p1: i32, p2: i32, indexed: bool, scratch: usize, scratchBytes: u32,
): usize {
  const s = changetype<HushState>(state);
  if (cin < 1 || cout < 1 || bins < 1 || kT < 1 || kF < 1 || strideF < 1 || p1 < 0 || p2 < 0) return loadFail(NETS_E_SHAPE);
  if (transposed != 0 && (b >= 0 || p2 >= strideF)) return loadFail(NETS_E_SHAPE);
  const count = cin * cout * kT * kF;
  const tensors = b >= 0 ? 2 : 1;
  if (expectCount(s, a, count) < 0 || (b >= 0 && expectCount(s, b, count) < 0)) return 0;
  const bytes = ((<u32>(tensors * count) << 2) + 15) & ~15;
  if (bytes > scratchBytes) return loadFail(NETS_E_SCRATCH);
  if (!tensorDecodeTo(s, a, scratch, count, scratch + bytes, scratchBytes - bytes)) return 0;
  if (b >= 0 && !tensorDecodeTo(s, b, scratch + (<usize>count << 2), count, scratch + bytes, scratchBytes - bytes)) return 0;
  let K = 0;
  if (indexed) {
    K = codebookTable(s, a, 0);
    if (K >= 0 && b >= 0) K = codebookTable(s, b, K);
    if (K < 0) return loadFail(NETS_E_FORM);
    K = tableSortUnique(K);
  }
  const rows = tensors * cout;
  const nnz = convSparseNonzeros(scratch, tensors * count);
  const out = memAlloc(convSparseBytes(nnz, transposed != 0 ? strideF * cout : rows, K));
  if (out == 0) return loadFail(NETS_E_MEMORY);
  const ok = transposed != 0
    ? convTransposeSparsePack(out, scratch, codebooks, K, cin, cout, bins, kT, kF, strideF, p1, p2)
    : convSparsePack(out, scratch, codebooks, K, cin, rows, bins, kT, kF, strideF, p1, p2);
  return ok ? out : loadFail(NETS_E_FORM);
}

/**
 * The block form (nn/conv-block.ts) of conv kernel a (and b stacked after it, or −1: GCRN's gated
 * pair, Conv2d only), in a's block shape (sparsity 'blocks', docs/format.md): decoded into the
 * scratch, then packed; a ConvTranspose2d's phase matrices are built in the scratch after it.
 * NETS_E_FORM when a is not a block tensor or the form does not apply to its shape.
 */
export function convBlockCreate(
  state: usize, a: i32, b: i32, transposed: i32, cin: i32, cout: i32, bins: i32, kT: i32, kF: i32, strideF: i32,
  p1: i32, p2: i32, scratch: usize, scratchBytes: u32,
): usize {
  const s = changetype<HushState>(state);
  if (cin < 1 || cout < 1 || bins < 1 || kT < 1 || kF < 1 || strideF < 1 || p1 < 0 || p2 < 0) return loadFail(NETS_E_SHAPE);
  if (transposed != 0 && (b >= 0 || p2 >= strideF)) return loadFail(NETS_E_SHAPE);
  if (<i32>hushTensorSparsity(s, <u32>a) != HUSH_SPARSITY_BLOCKS) return loadFail(NETS_E_FORM);
  const param = hushTensorSparsityParam(s, <u32>a);
  const br = <i32>((param >>> 8) & 0xff), bc = <i32>((param >>> 16) & 0xff);
  const count = cin * cout * kT * kF;
  const tensors = b >= 0 ? 2 : 1;
  if (expectCount(s, a, count) < 0 || (b >= 0 && expectCount(s, b, count) < 0)) return 0;
  const bytes = ((<u32>(tensors * count) << 2) + 15) & ~15;
  const phase = transposed != 0 ? ((<u32>count << 2) + 15) & ~15 : 0; // a tconv's phase matrices
  if (<u64>bytes + <u64>phase > <u64>scratchBytes) return loadFail(NETS_E_SCRATCH);
  const rest = scratch + bytes + phase, restBytes = scratchBytes - bytes - phase;
  if (!tensorDecodeTo(s, a, scratch, count, rest, restBytes)) return 0;
  if (b >= 0 && !tensorDecodeTo(s, b, scratch + (<usize>count << 2), count, rest, restBytes)) return 0;
  const rows = tensors * cout;
  const size = convBlockBytes(scratch, scratch + bytes, transposed, cin, rows, bins, kT, kF, strideF, br, bc);
  if (size == 0) return loadFail(NETS_E_FORM);
  const out = memAlloc(size);
  if (out == 0) return loadFail(NETS_E_MEMORY);
  return convBlockPack(out, scratch, scratch + bytes, transposed, cin, rows, bins, kT, kF, strideF, p1, p2, br, bc) ? out : loadFail(NETS_E_FORM);
}

/** The indexed sparse conv's value table while loading: f32[256] (one load at a time). */
const codebooks: usize = memory.data(1024, 16);

/**
 * Appends the nonzero values of k-means tensor t's codebook (widened to f32 as the decoder does) to
 * the table after its first n values; returns the new count, or −1 when t is not k-means or the
 * table would pass 256 values.
 */
function codebookTable(s: HushState, t: i32, n: i32): i32 {
  if (<i32>hushTensorEncoding(s, <u32>t) != HUSH_ENC_KMEANS) return -1;
  const K = <i32>hushTensorK(s, <u32>t);
  const p = hushTensorDataPtr(s, <u32>t);
  const f32 = hushTensorValueDtype(s, <u32>t) == <u32>HUSH_DTYPE_F32;
  for (let k = 0; k < K; k++) {
    const v = f32 ? load<f32>(p + (<usize>k << 2)) : f32FromF16(<u32>load<u16>(p + (<usize>k << 1)));
    if (v == 0) continue; // pruned positions hold no entry
    if (n == 256) return -1;
    store<f32>(codebooks + (<usize>n << 2), v);
    n++;
  }
  return n;
}

/** Sorts the table's first n values ascending and drops repeats (insertion sort, n ≤ 256); returns the count. */
function tableSortUnique(n: i32): i32 {
  for (let i = 1; i < n; i++) {
    const v = load<f32>(codebooks + (<usize>i << 2));
    let j = i - 1;
    while (j >= 0 && load<f32>(codebooks + (<usize>j << 2)) > v) {
      store<f32>(codebooks + (<usize>(j + 1) << 2), load<f32>(codebooks + (<usize>j << 2)));
      j--;
    }
    store<f32>(codebooks + (<usize>(j + 1) << 2), v);
  }
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = load<f32>(codebooks + (<usize>i << 2));
    if (m == 0 || v != load<f32>(codebooks + (<usize>(m - 1) << 2))) {
      store<f32>(codebooks + (<usize>m << 2), v);
      m++;
    }
  }
  return m;
}

/**
 * An inference-mode BatchNorm (tensors weight γ, bias β, running_mean μ, running_var σ², each
 * f32[C]) as the affine map y = x·scale + shift: a new f32[2C] holding scale[C] then shift[C]
 * (batchNormFold, f64 arithmetic). eps: PyTorch's default 1e-5 unless the model says otherwise.
 */
export function batchNormCreate(
  state: usize, tw: i32, tb: i32, tm: i32, tv: i32, channels: i32, eps: f32, scratch: usize, scratchBytes: u32,
): usize {
  const s = changetype<HushState>(state);
  if (expectCount(s, tw, channels) < 0 || expectCount(s, tb, channels) < 0) return 0;
  if (expectCount(s, tm, channels) < 0 || expectCount(s, tv, channels) < 0) return 0;
  const vec = ((<u32>channels << 2) + 15) & ~15;
  if (<u32>4 * vec > scratchBytes) return loadFail(NETS_E_SCRATCH);
  const gamma = scratch, beta = scratch + <usize>vec, mean = scratch + <usize>(2 * vec), variance = scratch + <usize>(3 * vec);
  const rest = scratch + <usize>(4 * vec);
  const restBytes = scratchBytes - <u32>4 * vec;
  if (!tensorDecodeTo(s, tw, gamma, channels, rest, restBytes)) return 0;
  if (!tensorDecodeTo(s, tb, beta, channels, rest, restBytes)) return 0;
  if (!tensorDecodeTo(s, tm, mean, channels, rest, restBytes)) return 0;
  if (!tensorDecodeTo(s, tv, variance, channels, rest, restBytes)) return 0;
  const out = memAlloc(<u32>(2 * channels) << 2);
  if (out == 0) return loadFail(NETS_E_MEMORY);
  batchNormFold(out, out + (<usize>channels << 2), gamma, beta, mean, variance, channels, eps);
  return out;
}
