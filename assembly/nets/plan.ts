// Execution plans: how each weight matrix and 2-D conv kernel of a `.hush` model is held in memory
// and multiplied per hop (mat.ts and load.ts build the chosen forms). Chosen per tensor at load, from
// its table entry alone, by the binder (binder.ts).
//
// Two modes:
//   fast     decode once at load to f32 — kept dense (MAT_DENSE), or repacked SELL-4 when sparse
//            enough that the sparse kernel is cheaper (MAT_SPARSE), or with its all-zero columns
//            dropped when it was column-pruned (MAT_COLUMNS, pipeline C2's structured groups), or as
//            4x1 / 8x1 / 1x4 blocks when the file stores it with sparsity 'blocks' (MAT_BLOCK; such a
//            tensor's weights are in block order, so of the sparse forms only MAT_BLOCK and dense apply);
//   compact  keep the file's k-means codebook + bit-packed indices (+ sparsity bitmap) in memory and
//            multiply with the codebook kernels (MAT_CODEBOOK, MAT_CODEBOOK_SPARSE), or multiply an
//            MPO tensor core by core (MAT_MPO). Weights cost b bits each instead of 32, but the
//            kernels are decode-bound (see the cost table).
// Plan choices: PLAN_FAST and PLAN_COMPACT force a mode where it applies (compact needs a k-means or
// MPO tensor; other tensors are fast either way); PLAN_AUTO (default) takes, per tensor, the form with
// the lowest expected time per hop, and among forms within AUTO_TIME_SLACK (20 %) of it the one that
// adds the fewest bytes.
//
// Matrix-shaped weights (Linear, LSTM W_ih/W_hh, 1×1 Conv1d) are [rows = dim0][cols = rest]. 2-D conv
// and transposed-conv kernels (GCRN's gated encoder/decoder convs, TCNN's encoder/decoder) have forms
//   CONV_DENSE            f32 in the PyTorch layout, im2col / polyphase + rows × patches product
//                         (nn/conv2d.ts, nn/conv-transpose2d.ts)
//   CONV_SPARSE           `fast`: pruned kernels (k-means or sparse tensors with unstored positions):
//                         per output channel (and output phase), the list of nonzero taps (f32 value +
//                         offset, 8 bytes), each one shifted, scaled input row (nn/conv-sparse.ts)
//   CONV_CODEBOOK_SPARSE  `compact`: the same list with each tap's k-means codebook index instead of
//                         its value (4 bytes per nonzero; K ≤ CONV_CODEBOOK_MAX_K), ≈ 1.15× the time
//   CONV_BLOCK            `fast`: a block-pruned kernel (sparsity 'blocks') as its kept blocks, each one
//                         dense f32x4 product over im2col patches (nn/conv-block.ts): Conv2d 4x1 / 8x1 /
//                         1x4 blocks of [Cout][Cin·kT·kF]; ConvTranspose2d 4x1 / 8x1 of [Cin][Cout·kT·kF]
// 'fast' takes the fastest of dense, sparse and block, 'compact' codebook-sparse where it applies (else as
// fast), 'auto' the smallest within 20 % of the fastest. A dense (unpruned) kernel is always dense.
// Depthwise convs, biases, norms and slopes are always dense f32.
//
// Expected time of a form = its compute cost, or — when the model's dense matrices (its fast-mode
// working set) exceed the cache budget (default 8 MiB, a typical last-level-cache share) so that
// every hop streams them from DRAM — max(compute cost, bytes read × DRAM_NS_PER_BYTE). Compute costs
// are ns per unit of work of each kernel, from `npm run bench:kernels` on the 2-core dev machine
// (fastest of 5 runs, 512×512 and 1024×2048, in cache; tools/bench/kernels.ts):
//   SIMD:   dense 0.05 ns/weight (41 GFLOP/s); SELL-4 0.22 ns/stored weight; codebook 0.23 (≤ 4 bits,
//           8.8 GFLOP/s), 0.30 (5 bits), 0.37 (≥ 6 bits, 5.4 GFLOP/s) ns/weight; codebook+bitmap
//           2.0 ns/stored weight + 0.01 ns/weight of bitmap scan; MPO ~0.1 ns/MAC (f32x4 axpy).
//   scalar: dense 0.20; SELL-4 0.38; codebook 0.55; codebook+bitmap 6.9 + 0.03; MPO ~0.3.
//   Blocks (nn/matvec-block.ts), NOT YET MEASURED on an idle machine (issue #18): SIMD 0.10 ns per
//   stored weight (two chains of one f32x4 multiply-add per 4 weights, against the dense kernel's four
//   chains at 0.05), scalar 0.25 — estimates from the instruction counts, to be replaced by
//   `npm run bench:kernels` figures.
// Conv kernels, from `node dist/tools/bench/convSparse.js --keep 0.2458` (fastest of 15 runs) on every
// paper GCRN conv shape and TCNN's encoder / decoder shapes; uses = the kernel's executed positions
// per frame (output bins; transposed: input bins + 1, the widest output phase):
//   SIMD:   dense 0.06 ns/MAC (0.05–0.07 on the large-K GCRN layers where it is fastest);
//           sparse 0.42 ns per stored tap per output vector, i.e. per entry ×⌈uses/4⌉ — the
//           sparse kernel runs f32x4 over output bins, so a 4- or 5-bin GCRN layer pays a whole
//           vector (or two) per tap: break-even ≈ 57 % kept at uses ≡ 0 mod 4, ≈ 36 % at 5 bins.
//   scalar: dense 0.28 ns/MAC (0.25–0.45); sparse 0.33 ns/MAC + 0.05 ns per stored tap (measured
//           0.25–0.3; rounded up so that a lightly pruned kernel, ≥ 85 % kept, stays dense).
//   block (SIMD, same tool, its "block 4x1" column on a loaded machine; a ranking model, not a fit):
//           0.07 ns per block MAC + 0.45 ns per float of the per-frame input copy (kT·Cin·(s·uses + kF);
//           im2col uses·Cin·kT·kF for a Conv2d in 1x4) + 0.5 ns per output (Cout · uses: the row
//           stores) — the deep layers with few bins and many channels run 1.6–1.9× faster than
//           sparse (the paper GCRN's conv kernels 275 → 176 µs per hop with the faster form per
//           layer), a wide shallow one (TCNN's 16-channel encoders, GCRN's 1-output decoder) up to 2×
//           slower, so the plan keeps those sparse. scalar: 0.5 per MAC, same rest.
// The paper GCRN's conv kernels at C1's 24.58 % kept: 658 → 282 µs per hop (SIMD), 2361 → 517 µs
// (scalar); codebook-sparse 1.13× (SIMD) / 1.11× (scalar) the time of sparse over all the shapes.
// DRAM: 0.05 ns/byte (≈ 20 GB/s: the paper FDNN's 36 MB of dense weights take 1.7 ms per hop, i.e.
// 0.19 ns/weight, against 0.23 for its 4-bit codebooks — a near tie that 'auto' resolves in favour
// of the 8× smaller codebooks; the paper LSTM measured 9.6 ms either way).
// The numbers only rank the forms of one tensor; the bench (`hushpack bench`) measures the result.
//
// Measured plans (issue #18: the ranking depends on the CPU — SELL-4 is 2× slower relative to dense
// on a Xeon than on an EPYC): the host may time the candidate forms of each matrix at load
// (runtime/core/planMeasure.ts: planMatOptions lists them, matCreate + matProduct run each) and pin
// its choice per tensor with planOverrideSet before modelCreate; PLAN_AUTO then takes a pinned form
// when it is one of the tensor's options, the cost model's choice otherwise.
// Arithmetic is f64, as in the JS cost model this file replaced, so every choice is unchanged.

import { HushState } from "../format/reader";
import {
  hushTensorBits, hushTensorDim, hushTensorElements, hushTensorEncoding, hushTensorK, hushTensorMpoCores,
  hushTensorRank, hushTensorSparsity, hushTensorSparsityParam, hushTensorStored,
} from "../format/decode";
import {
  HUSH_ENC_F32, HUSH_ENC_KMEANS, HUSH_ENC_MPO, HUSH_ENC_SPARSE, HUSH_GROUP_DIM1, HUSH_SPARSITY_BITMAP, HUSH_SPARSITY_BLOCKS,
  HUSH_SPARSITY_GROUPS, HUSH_SPARSITY_NONE,
} from "../format/spec";
import { CONV_BLOCK_MAX_STRIDE } from "../nn/conv-block";
import { MAT_BLOCK, MAT_CODEBOOK, MAT_CODEBOOK_SPARSE, MAT_COLUMNS, MAT_DENSE, MAT_MPO, MAT_SPARSE } from "./mat";

/** Plan choices (runtime/core/enhancer.ts PLAN_IDS mirrors them; test/runtime/plan.test.ts checks). */
export const PLAN_AUTO: i32 = 0;
export const PLAN_FAST: i32 = 1;
export const PLAN_COMPACT: i32 = 2;

/** Conv kernel forms (the binder's report ids; see the file comment). */
export const CONV_DENSE: i32 = 1;
export const CONV_SPARSE: i32 = 2;
export const CONV_CODEBOOK_SPARSE: i32 = 3;
export const CONV_BLOCK: i32 = 4;

/** Largest k-means K the indexed sparse conv takes per tensor (GCRN's gated pairs share one table of ≤ 256). */
export const CONV_CODEBOOK_MAX_K: i32 = 128;
/** Working set above which weights are assumed to stream from DRAM every hop (see the file comment). */
export const CACHE_BYTES_DEFAULT: f64 = 8 * 1048576;
/** DRAM streaming cost, ns per byte (≈ 20 GB/s). */
const DRAM_NS_PER_BYTE: f64 = 0.05;
/** 'auto' takes the smallest form within this factor of the fastest. */
const AUTO_TIME_SLACK: f64 = 1.2;
/** The indexed (codebook-sparse) conv's time over the f32-entry sparse conv's. */
const CONV_CODEBOOK_SLOWDOWN: f64 = 1.15;

/** One candidate form with its expected cost. */
@unmanaged class PlanOption {
  form: i32;
  /** Expected ns per product (per frame for a conv). */
  expectedNs: f64;
  /** Multiplications per product. */
  macs: f64;
  /** Bytes this form adds to WASM memory beyond the file copy (estimate; the binder measures). */
  extraBytes: f64;
}

/** Pinned MAT_* form per tensor index (0 = none), set by the host for PLAN_AUTO (see the file comment). */
const OVERRIDE_MAX: i32 = 4096; // HUSH_MAX_TENSORS
const overrides = memory.data(OVERRIDE_MAX);

/** Pins matrix tensor t to MAT_* `form` under PLAN_AUTO (0 unpins); ignored for an index ≥ 4096. */
export function planOverrideSet(t: i32, form: i32): void {
  if (t >= 0 && t < OVERRIDE_MAX) store<u8>(overrides + <usize>t, <u8>form);
}

/** Unpins every tensor. */
export function planOverrideClear(): void {
  memory.fill(overrides, 0, <usize>OVERRIDE_MAX);
}

/** Up to 6 options of the tensor being planned (one plan at a time). */
const OPTIONS_MAX = 6;
const options = memory.data(OPTIONS_MAX * offsetof<PlanOption>(), 16);
let optionCount = 0;

function option(i: i32): PlanOption {
  return changetype<PlanOption>(options + <usize>i * offsetof<PlanOption>());
}

/** Inserts an option keeping the list sorted by expectedNs, ties in insertion order (a stable sort). */
function optionAdd(form: i32, expectedNs: f64, macs: f64, extraBytes: f64): void {
  let i = optionCount++;
  while (i > 0 && option(i - 1).expectedNs > expectedNs) {
    const a = option(i - 1), b = option(i);
    b.form = a.form; b.expectedNs = a.expectedNs; b.macs = a.macs; b.extraBytes = a.extraBytes;
    i--;
  }
  const o = option(i);
  o.form = form; o.expectedNs = expectedNs; o.macs = macs; o.extraBytes = extraBytes;
}

function align16f(n: f64): f64 {
  return Math.ceil(n / 16) * 16;
}

/** True for a fast-mode matrix form. */
function matFast(form: i32): bool {
  return form == MAT_DENSE || form == MAT_SPARSE || form == MAT_COLUMNS || form == MAT_BLOCK;
}

/** MPO MACs of one product (nn/mpo.ts): Σ_k A_k·i_k·r_k·B_k·r_{k−1}·j_k over the cores t+1 … t+n. */
function mpoMacsOf(s: HushState, t: i32): f64 {
  const n = <i32>hushTensorMpoCores(s, <u32>t);
  let B: f64 = 1;
  for (let c = 1; c <= n; c++) B *= <f64>hushTensorDim(s, <u32>(t + c), 2);
  let A: f64 = 1;
  let macs: f64 = 0;
  for (let c = 1; c <= n; c++) {
    const rp = <f64>hushTensorDim(s, <u32>(t + c), 0), ik = <f64>hushTensorDim(s, <u32>(t + c), 1);
    const jk = <f64>hushTensorDim(s, <u32>(t + c), 2), rk = <f64>hushTensorDim(s, <u32>(t + c), 3);
    B /= jk;
    macs += A * ik * rk * B * rp * jk;
    A *= ik;
  }
  return macs;
}

/** Σ elements of the cores of MPO tensor t. */
function mpoFloats(s: HushState, t: i32): f64 {
  const n = <i32>hushTensorMpoCores(s, <u32>t);
  let f: f64 = 0;
  for (let c = 1; c <= n; c++) f += <f64>hushTensorElements(s, <u32>(t + c));
  return f;
}

/** A matrix option: expected time = compute, or the DRAM time of its bytes when larger and memory-bound. */
function matAdd(form: i32, computeNs: f64, macs: f64, bytesRead: f64, extraBytes: f64, memoryBound: bool): void {
  optionAdd(form, memoryBound ? Math.max(computeNs, bytesRead * DRAM_NS_PER_BYTE) : computeNs, macs, extraBytes);
}

/** SIMD build: the SIMD cost table, else the scalar one. */
const SIMD = ASC_FEATURE_SIMD;

/**
 * Fills the options of matrix tensor t with their expected cost; `memoryBound`: the model's weights
 * stream from DRAM every hop.
 */
function matOptions(s: HushState, t: i32, memoryBound: bool): void {
  optionCount = 0;
  const dense: f64 = SIMD ? 0.05 : 0.2;
  const count = <f64>hushTensorElements(s, <u32>t);
  const rows = <f64>hushTensorDim(s, <u32>t, 0);
  const cols = count / rows;
  const enc = <i32>hushTensorEncoding(s, <u32>t);
  // dense f32 tensors are read in place from the file (mat.ts): no extra bytes
  matAdd(MAT_DENSE, dense * count, count, 4 * count, enc == HUSH_ENC_F32 ? 0 : 4 * count, memoryBound);
  const stored = enc == HUSH_ENC_MPO ? count : <f64>hushTensorStored(s, <u32>t);
  if ((enc == HUSH_ENC_KMEANS || enc == HUSH_ENC_SPARSE) && <i32>hushTensorSparsity(s, <u32>t) == HUSH_SPARSITY_BLOCKS) {
    // block order: dense (decoded) or the block kernel; packed bytes ≈ 4 per weight + a column per block
    const param = hushTensorSparsityParam(s, <u32>t);
    const size = <f64>(((param >>> 8) & 0xff) * ((param >>> 16) & 0xff));
    const bytes = 32 + align16f(4 * (rows + 1)) + align16f((4 * stored) / size) + 4 * stored;
    matAdd(MAT_BLOCK, (SIMD ? 0.1 : 0.25) * stored, stored, bytes, bytes, memoryBound);
    return;
  }
  if ((enc == HUSH_ENC_KMEANS || enc == HUSH_ENC_SPARSE) && stored < count && cols <= 65536) {
    // SELL-4: 16-byte header + slice starts + lane → row table + 24 bytes per entry of 4 lanes
    // (≈ stored/4 entries: rows sorted by count leave ≈ 0.1 % padding, +1 % allowed here).
    const entries = Math.ceil((1.01 * stored) / 4);
    const slices = Math.ceil(rows / 4);
    const bytes = 16 + align16f(4 * (slices + 1)) + 16 * slices + 16 * entries + align16f(8 * entries);
    matAdd(MAT_SPARSE, (SIMD ? 0.22 : 0.38) * 4 * entries, stored, bytes, bytes, memoryBound);
    const sparsity = <i32>hushTensorSparsity(s, <u32>t);
    const groupAxis = (hushTensorSparsityParam(s, <u32>t) >>> 8) & 0xff;
    if (sparsity == HUSH_SPARSITY_GROUPS && groupAxis == <u32>HUSH_GROUP_DIM1 && hushTensorRank(s, <u32>t) >= 2 && count == rows * <f64>hushTensorDim(s, <u32>t, 1)) {
      const kept = stored / rows;
      matAdd(MAT_COLUMNS, dense * rows * kept, rows * kept, 4 * rows * kept, 4 * rows * kept + 4 * kept, memoryBound);
    }
  }
  if (enc == HUSH_ENC_KMEANS) {
    const bits = <i32>hushTensorBits(s, <u32>t);
    const k = <f64>hushTensorK(s, <u32>t);
    const sparsity = <i32>hushTensorSparsity(s, <u32>t);
    if (sparsity == HUSH_SPARSITY_NONE) {
      const perWeight: f64 = SIMD ? (bits <= 4 ? 0.23 : bits == 5 ? 0.3 : 0.37) : 0.55;
      matAdd(MAT_CODEBOOK, perWeight * count, count, Math.ceil((count * bits) / 8) + 4 * k, 0, memoryBound);
    } else {
      const bitmap = sparsity == HUSH_SPARSITY_BITMAP ? 0 : align16f(Math.ceil(count / 8) + 4);
      matAdd(MAT_CODEBOOK_SPARSE, (SIMD ? 2.0 : 6.9) * stored + (SIMD ? 0.01 : 0.03) * count, stored,
        Math.ceil((stored * bits) / 8) + Math.ceil(count / 8) + 4 * k, bitmap, memoryBound);
    }
  }
  if (enc == HUSH_ENC_MPO) {
    const macs = mpoMacsOf(s, t);
    const floats = mpoFloats(s, t);
    matAdd(MAT_MPO, (SIMD ? 0.1 : 0.3) * macs, macs, 4 * floats, 4 * floats + 16 * <f64>hushTensorMpoCores(s, <u32>t), memoryBound);
  }
}

/** Index of the option `choice` selects for a matrix (options sorted cheapest first). */
function matChoose(choice: i32): i32 {
  if (choice == PLAN_AUTO) return autoChoose();
  for (let i = 0; i < optionCount; i++) if (matFast(option(i).form) == (choice == PLAN_FAST)) return i;
  for (let i = 0; i < optionCount; i++) if (matFast(option(i).form)) return i;
  return 0;
}

/** Within AUTO_TIME_SLACK of the fastest, the smallest (the first of equals) wins. */
function autoChoose(): i32 {
  const limit = AUTO_TIME_SLACK * option(0).expectedNs;
  let best = 0;
  for (let i = 1; i < optionCount; i++) {
    if (option(i).expectedNs <= limit && option(i).extraBytes < option(best).extraBytes) best = i;
  }
  return best;
}

/** The MAT_* form of matrix tensor t under `choice` (PLAN_AUTO: a pinned form first, planOverrideSet). */
export function matFormPlan(s: HushState, t: i32, choice: i32, memoryBound: bool): i32 {
  matOptions(s, t, memoryBound);
  if (choice == PLAN_AUTO && t >= 0 && t < OVERRIDE_MAX) {
    const pinned = <i32>load<u8>(overrides + <usize>t);
    for (let i = 0; i < optionCount && pinned != 0; i++) if (option(i).form == pinned) return pinned;
  }
  return option(matChoose(choice)).form;
}

/**
 * The candidate forms of matrix tensor t (reader state at `state`), cheapest expected first; returns
 * their count and leaves them for planMatOptionForm / planMatOptionNs (host-side measured planning).
 */
export function planMatOptions(state: usize, t: i32, memoryBound: i32): i32 {
  matOptions(changetype<HushState>(state), t, memoryBound != 0);
  return optionCount;
}

/** MAT_* form of candidate i of the last planMatOptions. */
export function planMatOptionForm(i: i32): i32 {
  return i >= 0 && i < optionCount ? option(i).form : 0;
}

/** The cost model's expected ns per product of candidate i of the last planMatOptions. */
export function planMatOptionNs(i: i32): f64 {
  return i >= 0 && i < optionCount ? option(i).expectedNs : 0;
}

/** The form the cost model alone would take for the last planMatOptions under PLAN_AUTO. */
export function planMatOptionAuto(): i32 {
  return optionCount > 0 ? option(autoChoose()).form : 0;
}

/**
 * True when block tensor t has a block form (nn/conv-block.ts): a Conv2d any file shape (the format
 * checks that it tiles); a ConvTranspose2d 4x1 or 8x1 (its 1x4 blocks scatter over outputs).
 */
function convBlockApplies(s: HushState, t: i32, transposed: bool): bool {
  if (<i32>hushTensorSparsity(s, <u32>t) != HUSH_SPARSITY_BLOCKS || hushTensorRank(s, <u32>t) != 4) return false;
  const bc = (hushTensorSparsityParam(s, <u32>t) >>> 16) & 0xff;
  return !transposed || bc == 1;
}

/**
 * The CONV_* form of conv kernel t (ConvTranspose2d when `transposed`) run `uses` times per frame,
 * under `choice`: dense always applies; sparse when the file leaves positions unstored (k-means or
 * sparse encoding); codebook-sparse for such a k-means tensor with K ≤ CONV_CODEBOOK_MAX_K (not in
 * block order); block for a block-pruned kernel (convBlockApplies; a transposed one with a frequency
 * `stride` ≤ CONV_BLOCK_MAX_STRIDE).
 */
export function convFormPlan(s: HushState, t: i32, uses: i32, choice: i32, transposed: bool = false, stride: i32 = 1): i32 {
  optionCount = 0;
  const count = <f64>hushTensorElements(s, <u32>t);
  const stored = <f64>hushTensorStored(s, <u32>t);
  const enc = <i32>hushTensorEncoding(s, <u32>t);
  const u = <f64>uses;
  // dense f32 Conv2d kernels are read in place from the file; transposed ones are repacked
  optionAdd(CONV_DENSE, (SIMD ? 0.06 : 0.28) * count * u, count * u, enc == HUSH_ENC_F32 ? 0 : 4 * count);
  if ((enc == HUSH_ENC_KMEANS || enc == HUSH_ENC_SPARSE) && stored < count) {
    const tap: f64 = SIMD ? 0.42 * Math.ceil(u / 4) : 0.05 + 0.33 * u;
    const sparseNs = stored * tap;
    optionAdd(CONV_SPARSE, sparseNs, stored * u, 8 * stored);
    const k = <i32>hushTensorK(s, <u32>t);
    // (not for sparsity 'blocks': the indexed list pairs indices with ascending positions)
    if (enc == HUSH_ENC_KMEANS && k <= CONV_CODEBOOK_MAX_K && <i32>hushTensorSparsity(s, <u32>t) != HUSH_SPARSITY_BLOCKS) {
      optionAdd(CONV_CODEBOOK_SPARSE, CONV_CODEBOOK_SLOWDOWN * sparseNs, stored * u, 4 * stored + 4 * <f64>k);
    }
    if ((!transposed || stride <= CONV_BLOCK_MAX_STRIDE) && convBlockApplies(s, t, transposed)) {
      const cout = <f64>hushTensorDim(s, <u32>t, transposed ? 1 : 0), cin = <f64>hushTensorDim(s, <u32>t, transposed ? 0 : 1);
      const kT = <f64>hushTensorDim(s, <u32>t, 2), kF = <f64>hushTensorDim(s, <u32>t, 3);
      const param = hushTensorSparsityParam(s, <u32>t);
      const br = <f64>((param >>> 8) & 0xff), bc = <f64>((param >>> 16) & 0xff);
      // the per-frame copy of the input (nn/conv-block.ts): im2col for a Conv2d in 1x4, else the prep layout
      const prep = !transposed && bc == 4 ? u * cin * kT * kF : kT * cin * ((transposed ? 1 : <f64>stride) * u + kF);
      const blockNs = (SIMD ? 0.07 : 0.5) * stored * u + 0.45 * prep + 0.5 * cout * u;
      optionAdd(CONV_BLOCK, blockNs, stored * u, 4 * stored + 4 * stored / (br * bc) + 64);
    }
  }
  if (choice == PLAN_AUTO) return option(autoChoose()).form;
  if (choice == PLAN_COMPACT) {
    for (let i = 0; i < optionCount; i++) if (option(i).form == CONV_CODEBOOK_SPARSE) return CONV_CODEBOOK_SPARSE;
  }
  for (let i = 0; i < optionCount; i++) if (option(i).form != CONV_CODEBOOK_SPARSE) return option(i).form;
  return CONV_DENSE;
}
