// The model boundary's inner half: binds the tensors of an open, validated `.hush` file to a net's
// weight records BY NAME, as rnnoise's model-from-buffer and ggml's gguf_find_tensor do. Each net
// describes itself once, in its <net>Bind(b) function (fdnn.ts, lstm.ts, tcnn.ts, gcrn.ts): geometry
// from the file's hyper-parameters (hparams.ts), then one binder call per tensor with its PyTorch
// state-dict name and the shape the hyper-parameters give. model.ts runs that description three times:
//
//   PASS_SIZE  sums the dense bytes of the matrices (the fast-mode working set, which decides whether
//              the plan is memory-bound: plan.ts);
//   PASS_PLAN  checks every name and shape, chooses every tensor's form (plan.ts), sizes the load
//              scratch, and refuses a file with a tensor the description does not name;
//   PASS_BIND  allocates and loads (mat.ts, load.ts), measuring the bytes each tensor adds, its MACs
//              per hop and the parameters.
// Planning passes allocate only the records the description itself creates; model.ts rewinds the
// allocator after them (mem.ts memRewind). Loaders return DUMMY there: a zeroed block that nothing
// reads before PASS_BIND.
//
// The first problem is kept as a message (name.ts messageCurrent), e.g.
//   gcrn model: tensor conv3_t_1.conv1.weight has shape [64, 16, 1, 3], the hyper-parameters give [128, 32, 1, 3]
// and every later call does nothing, so a description never has to check for errors itself.

import { memUsed } from "../mem";
import { HushState } from "../format/reader";
import {
  hushTensorCount, hushTensorDecodeScratchBytes, hushTensorDim, hushTensorElements, hushTensorEncoding, hushTensorFind,
  hushTensorFlags, hushTensorRank,
} from "../format/decode";
import { HUSH_ENC_MPO, HUSH_MAX_RANK, HUSH_MAX_TENSORS, HUSH_TF_BN_FOLDED, HUSH_TF_MPO_CORE, HUSH_TENSOR_BYTES, TENSOR_NAME_BYTES_AT, TENSOR_NAME_OFFSET_AT } from "../format/spec";
import { span } from "../format/reader";
import { convSparseMacs, convSparsePrepFloats } from "../nn/conv-sparse";
import { convBlockMacs, convBlockPatchFloats } from "../nn/conv-block";
import { MAT_COLUMNS, MAT_SPARSE, matCreate, matMacs, matScratchFloats, netsLoadError, netsLoadErrorClear, Mat, NETS_E_DECODE, NETS_E_FORM, NETS_E_MEMORY, NETS_E_SCRATCH, NETS_E_SHAPE } from "./mat";
import { batchNormCreate, convBlockCreate, convSparseCreate, deconvCreate, tensorCreate, tensorPairCreate, tensorSumCreate } from "./load";
import { CONV_BLOCK, CONV_CODEBOOK_SPARSE, CONV_DENSE, CONV_SPARSE, convFormPlan, matFormPlan } from "./plan";
import { messageCurrent, messageStart, nameCurrent, Text } from "./name";

export const PASS_SIZE: i32 = 0;
export const PASS_PLAN: i32 = 1;
export const PASS_BIND: i32 = 2;

/** Report kinds: a planned matrix, a 2-D conv kernel, anything else (dense f32). */
export const REPORT_MATRIX: i32 = 1;
export const REPORT_CONV: i32 = 2;
export const REPORT_OTHER: i32 = 3;
/** A BatchNorm (its report names the layer: the weight's name without ".weight"). */
export const REPORT_BATCHNORM: i32 = 4;

/** One line of the load report: which tensor(s), in which form, how many bytes they added. */
@unmanaged export class TensorReport {
  /** Table index; second: the other half of a pair or sum, else −1. */
  tensor: i32;
  second: i32;
  kind: i32;
  /** MAT_* for a matrix, CONV_* for a conv kernel, CONV_DENSE for anything else. */
  form: i32;
  bytes: u32;
}

/** What a bind pass has found so far (one binder at a time: loading is single-threaded). */
@unmanaged export class Binder {
  s: HushState;
  pass: i32;
  /** PLAN_* (plan.ts). */
  choice: i32;
  memoryBound: bool;
  failed: bool;
  /** "fdnn" … (for messages); set by the net's description. */
  arch: i32;
  /** Name length of the current layer prefix (find() appends to it). */
  mark: i32;
  /** Load scratch (PASS_BIND) and the largest need seen (PASS_PLAN). */
  scratch: usize;
  scratchBytes: u32;
  needBytes: u32;
  /** PASS_SIZE: bytes of every matrix as dense f32. */
  denseMatrixBytes: f64;
  /** PASS_BIND: multiplications per hop as loaded; parameters (BatchNorm statistics excluded). */
  macs: f64;
  params: f64;
  /** Largest matScratchFloats of the matrices loaded. */
  tmpFloats: i32;
  /** Lines of the report: counted in PASS_PLAN, written in PASS_BIND into `reports`. */
  reportCount: i32;
  reports: usize;
}

const binder = changetype<Binder>(memory.data(offsetof<Binder>(), 16));
/** Bit i: table entry i was bound (HUSH_MAX_TENSORS bits). */
const bound = memory.data(HUSH_MAX_TENSORS >> 3, 16);
/** What loaders return in the planning passes (zeroed, never written). */
const DUMMY = memory.data(256, 16);

/** Architecture names for messages (HUSH_ARCH_* − 1). */
function archName(t: Text, arch: i32): Text {
  return t.s(arch == 1 ? "fdnn" : arch == 2 ? "lstm" : arch == 3 ? "tcnn" : arch == 4 ? "gcrn" : arch == 5 ? "conv-tasnet" : "upit-lstm");
}

/** Starts a pass over file s. */
export function binderStart(s: HushState, arch: i32, pass: i32, choice: i32, memoryBound: bool, scratch: usize, scratchBytes: u32, reports: usize): Binder {
  const b = binder;
  b.s = s;
  b.arch = arch;
  b.pass = pass;
  b.choice = choice;
  b.memoryBound = memoryBound;
  b.failed = false;
  b.mark = 0;
  b.scratch = scratch;
  b.scratchBytes = scratchBytes;
  b.needBytes = 0;
  b.denseMatrixBytes = 0;
  b.macs = 0;
  b.params = 0;
  b.tmpFloats = 0;
  b.reportCount = 0;
  b.reports = reports;
  memory.fill(bound, 0, HUSH_MAX_TENSORS >> 3);
  return b;
}

/** The message for a model-level problem: "<arch> model: " then the caller's text. */
export function binderFail(b: Binder): Text {
  const m = messageStart();
  b.failed = true;
  return archName(m, b.arch).s(" model: ");
}

/** Appends table entry t's name (UTF-8 from the strings section) to a message. */
function tensorName(m: Text, s: HushState, t: i32): Text {
  const e = s.tableOff + <u64>HUSH_TENSOR_BYTES * <u64>t;
  const p = span(s, e + TENSOR_NAME_OFFSET_AT, 8);
  if (p == 0) return m.s("?");
  const at = s.stringsOff + <u64>load<u32>(p);
  const n = load<u32>(p, 4);
  const q = span(s, at, n);
  return q == 0 ? m.s("?") : m.bytes(q, <i32>n);
}

/** binderFind's shapes, i32[HUSH_MAX_RANK] each: the one the hyper-parameters give, and the file's. */
const shapeWant = memory.data(HUSH_MAX_RANK << 2, 16);
const shapeHave = memory.data(HUSH_MAX_RANK << 2, 16);

/** Appends "[d0, d1, …]" of the `rank` i32 dims at p. */
function shapeText(m: Text, p: usize, rank: i32): Text {
  m.s("[");
  for (let d = 0; d < rank; d++) {
    if (d > 0) m.s(", ");
    m.int(load<i32>(p + (<usize>d << 2)));
  }
  return m.s("]");
}

/** Starts the name prefix of a layer: what nm(…) built so far. */
export function binderLayer(b: Binder): void {
  b.mark = nameCurrent().len;
}

/**
 * The table index of tensor <layer prefix><suffix> with the given shape (rank dims; unused dims 0),
 * marked bound; −1 after recording "missing" or "has shape" (or, with `optional`, −1 silently when absent).
 */
export function binderFind(b: Binder, suffix: string, rank: i32, d0: i32, d1: i32 = 0, d2: i32 = 0, d3: i32 = 0, optional: bool = false): i32 {
  if (b.failed) return -1;
  const name = nameCurrent();
  name.len = b.mark;
  name.s(suffix);
  store<i32>(shapeWant, d0);
  store<i32>(shapeWant, d1, 4);
  store<i32>(shapeWant, d2, 8);
  store<i32>(shapeWant, d3, 12);
  const t = hushTensorFind(b.s, name.ptr, <u32>name.len);
  if (t < 0) {
    if (optional) return -1;
    shapeText(binderFail(b).s("tensor ").text(name).s(" (shape "), shapeWant, rank).s(") is missing");
    return -1;
  }
  const r = <i32>hushTensorRank(b.s, <u32>t); // ≤ HUSH_MAX_RANK: the reader checked it
  let same = r == rank;
  for (let d = 0; d < r; d++) {
    const have = <i32>hushTensorDim(b.s, <u32>t, <u32>d);
    store<i32>(shapeHave + (<usize>d << 2), have);
    same = same && have == load<i32>(shapeWant + (<usize>d << 2));
  }
  if (!same) {
    shapeText(shapeText(binderFail(b).s("tensor ").text(name).s(" has shape "), shapeHave, r).s(", the hyper-parameters give "), shapeWant, rank);
    return -1;
  }
  const bit = bound + <usize>(t >> 3);
  store<u8>(bit, load<u8>(bit) | <u8>(<i32>1 << (t & 7)));
  return t;
}

/** True when conv weight t carries HUSH_TF_BN_FOLDED (its BatchNorm was folded into it at export). */
export function binderFolded(b: Binder, t: i32): bool {
  return t >= 0 && (hushTensorFlags(b.s, <u32>t) & <u32>HUSH_TF_BN_FOLDED) != 0;
}

/**
 * After PASS_PLAN: records an error naming the first table entry that no binder call named (MPO
 * cores belong to their tensor). Returns false then.
 */
export function binderCheckAllBound(b: Binder): bool {
  if (b.failed) return false;
  const n = <i32>hushTensorCount(b.s);
  for (let t = 0; t < n; t++) {
    if ((hushTensorFlags(b.s, <u32>t) & <u32>HUSH_TF_MPO_CORE) != 0) continue;
    if ((load<u8>(bound + <usize>(t >> 3)) & <u8>(<i32>1 << (t & 7))) != 0) continue;
    const m = binderFail(b).s("tensor ");
    tensorName(m, b.s, t).s(" is not part of the net its hyper-parameters describe");
    return false;
  }
  return true;
}

/** Raises the load-scratch need (PASS_PLAN). */
function need(b: Binder, bytes: f64): void {
  if (b.pass == PASS_PLAN) b.needBytes = max(b.needBytes, <u32>min(bytes, <f64>u32.MAX_VALUE));
}

/** hushTensorDecodeScratchBytes of an MPO tensor (its cores' decode), else 0. */
function mpoScratch(b: Binder, t: i32): f64 {
  return <i32>hushTensorEncoding(b.s, <u32>t) == HUSH_ENC_MPO ? <f64>hushTensorDecodeScratchBytes(b.s, <u32>t) : 0;
}

/** Appends a report line (PASS_BIND writes it; PASS_PLAN counts it). */
function report(b: Binder, t: i32, second: i32, kind: i32, form: i32, bytes: u32): void {
  if (b.pass == PASS_BIND && b.reports != 0) {
    const r = changetype<TensorReport>(b.reports + <usize>b.reportCount * offsetof<TensorReport>());
    r.tensor = t;
    r.second = second;
    r.kind = kind;
    r.form = form;
    r.bytes = bytes;
  }
  b.reportCount++;
}

/** Why a loader failed (mat.ts NETS_E_*). */
function loadErrorText(m: Text, code: i32): Text {
  if (code == NETS_E_MEMORY) return m.s("out of WASM memory");
  if (code == NETS_E_DECODE) return m.s("the .hush decoder refused it");
  if (code == NETS_E_FORM) return m.s("its encoding does not allow the planned form");
  if (code == NETS_E_SHAPE) return m.s("its element count does not match the net geometry");
  if (code == NETS_E_SCRATCH) return m.s("the load scratch block is too small (a hushpack bug)");
  return m.s("error ").int(code);
}

/** Checks a loader's result (PASS_BIND): 0 records "cannot load tensor X: <reason>". */
function loaded(b: Binder, p: usize, t: i32, second: i32): usize {
  if (p != 0) return p;
  const m = binderFail(b).s("cannot load tensor ");
  tensorName(m, b.s, t);
  if (second >= 0) tensorName(m.s("+"), b.s, second);
  loadErrorText(m.s(": "), netsLoadError());
  return DUMMY;
}

/** Parameters of tensor t (not a BatchNorm statistic). */
function countParams(b: Binder, t: i32): void {
  if (b.pass == PASS_BIND) b.params += <f64>hushTensorElements(b.s, <u32>t);
}

/** A matrix [rows = dim0][cols = rest] in its planned form: a Mat (mat.ts). */
export function binderMat(b: Binder, t: i32): Mat {
  if (b.failed || t < 0) return changetype<Mat>(DUMMY);
  const count = <f64>hushTensorElements(b.s, <u32>t);
  if (b.pass == PASS_SIZE) {
    b.denseMatrixBytes += 4 * count;
    return changetype<Mat>(DUMMY);
  }
  const form = matFormPlan(b.s, t, b.choice, b.memoryBound);
  if (b.pass == PASS_PLAN) {
    // sparse forms are packed from the stored entries: a positions bitmap + the SELL-4 row counts
    // and count histogram (nn/sparse-pack.ts sellScratchBytes) or a column rank table
    const rows = <f64>hushTensorDim(b.s, <u32>t, 0), cols = count / rows;
    if (form == MAT_SPARSE || form == MAT_COLUMNS) need(b, align16f(Math.ceil(count / 8) + 4) + Math.max(align16f(4 * (rows + cols + 1)), 4 * cols));
    else need(b, mpoScratch(b, t));
    report(b, t, -1, REPORT_MATRIX, form, 0);
    return changetype<Mat>(DUMMY);
  }
  netsLoadErrorClear();
  const before = memUsed();
  const p = loaded(b, matCreate(changetype<usize>(b.s), t, form, b.scratch, b.scratchBytes), t, -1);
  if (b.failed) return changetype<Mat>(DUMMY);
  report(b, t, -1, REPORT_MATRIX, changetype<Mat>(p).kind, memUsed() - before);
  b.tmpFloats = max(b.tmpFloats, matScratchFloats(p));
  b.macs += <f64>matMacs(p);
  countParams(b, t);
  return changetype<Mat>(p);
}

function align16f(n: f64): f64 {
  return Math.ceil(n / 16) * 16;
}

/** A dense f32 copy of tensor t (in place when the file stores f32); `macsPerElement`: its MACs per hop (depthwise conv: 1). */
export function binderVec(b: Binder, t: i32, macsPerElement: i32 = 0): usize {
  if (b.failed || t < 0) return DUMMY;
  if (b.pass == PASS_SIZE) return DUMMY;
  const count = <i32>hushTensorElements(b.s, <u32>t);
  if (b.pass == PASS_PLAN) {
    need(b, mpoScratch(b, t));
    report(b, t, -1, REPORT_OTHER, CONV_DENSE, 0);
    return DUMMY;
  }
  netsLoadErrorClear();
  const before = memUsed();
  const p = loaded(b, tensorCreate(changetype<usize>(b.s), t, count, b.scratch, b.scratchBytes), t, -1);
  report(b, t, -1, REPORT_OTHER, CONV_DENSE, memUsed() - before);
  b.macs += <f64>count * <f64>macsPerElement;
  countParams(b, t);
  return p;
}

/** Tensors a and b (equal sizes) one after the other (GCRN's gated conv biases). */
export function binderPair(b: Binder, ta: i32, tb: i32): usize {
  if (b.failed || ta < 0 || tb < 0 || b.pass == PASS_SIZE) return DUMMY;
  const count = <i32>hushTensorElements(b.s, <u32>ta);
  if (b.pass == PASS_PLAN) {
    need(b, Math.max(mpoScratch(b, ta), mpoScratch(b, tb)));
    report(b, ta, tb, REPORT_OTHER, CONV_DENSE, 0);
    return DUMMY;
  }
  netsLoadErrorClear();
  const before = memUsed();
  const p = loaded(b, tensorPairCreate(changetype<usize>(b.s), ta, tb, count, b.scratch, b.scratchBytes), ta, tb);
  report(b, ta, tb, REPORT_OTHER, CONV_DENSE, memUsed() - before);
  countParams(b, ta);
  countParams(b, tb);
  return p;
}

/** a + b element-wise (an LSTM's b_ih + b_hh). */
export function binderSum(b: Binder, ta: i32, tb: i32): usize {
  if (b.failed || ta < 0 || tb < 0 || b.pass == PASS_SIZE) return DUMMY;
  const count = <i32>hushTensorElements(b.s, <u32>ta);
  if (b.pass == PASS_PLAN) {
    need(b, align16f(4 * <f64>count) + Math.max(mpoScratch(b, ta), mpoScratch(b, tb)));
    report(b, ta, tb, REPORT_OTHER, CONV_DENSE, 0);
    return DUMMY;
  }
  netsLoadErrorClear();
  const before = memUsed();
  const p = loaded(b, tensorSumCreate(changetype<usize>(b.s), ta, tb, count, b.scratch, b.scratchBytes), ta, tb);
  report(b, ta, tb, REPORT_OTHER, CONV_DENSE, memUsed() - before);
  countParams(b, ta);
  countParams(b, tb);
  return p;
}

/**
 * A loaded conv kernel: the pointer the net keeps and its kind — dense (the net calls conv2dStep /
 * convTranspose2dStep), a conv-sparse.ts block (`sparse`) or a conv-block.ts block (`block`, with
 * `sparse` false): convBoundStep runs either of the last two.
 */
@unmanaged export class ConvBound {
  ptr: usize;
  sparse: bool;
  block: bool;
}
const convBound = changetype<ConvBound>(memory.data(offsetof<ConvBound>(), 16));

function convResult(ptr: usize, sparse: bool, block: bool = false): ConvBound {
  convBound.ptr = ptr;
  convBound.sparse = sparse;
  convBound.block = block;
  return convBound;
}

/**
 * Conv geometry along the non-time axis: input bins, stride, p1/p2 (Conv2d: padL, padR;
 * ConvTranspose2d: pad, outPad), and the kernel's output bins per frame (its dense MACs per element).
 */
@unmanaged export class ConvGeometry {
  bins: i32;
  binsOut: i32;
  stride: i32;
  p1: i32;
  p2: i32;
}
const geometry = changetype<ConvGeometry>(memory.data(offsetof<ConvGeometry>(), 16));

/** The (single) geometry record the conv calls take. */
export function convGeometry(bins: i32, binsOut: i32, stride: i32, p1: i32, p2: i32): ConvGeometry {
  geometry.bins = bins;
  geometry.binsOut = binsOut;
  geometry.stride = stride;
  geometry.p1 = p1;
  geometry.p2 = p2;
  return geometry;
}

/**
 * The sparse form (nn/conv-sparse.ts) of conv kernel ta (and tb stacked after it, or −1), transposed
 * or not; `form` CONV_SPARSE or CONV_CODEBOOK_SPARSE. PASS_BIND only.
 */
function sparseConv(b: Binder, ta: i32, tb: i32, transposed: bool, g: ConvGeometry, form: i32): ConvBound {
  const s = b.s;
  const d0 = <i32>hushTensorDim(s, <u32>ta, 0), d1 = <i32>hushTensorDim(s, <u32>ta, 1);
  const kT = <i32>hushTensorDim(s, <u32>ta, 2), kF = <i32>hushTensorDim(s, <u32>ta, 3);
  const cin = transposed ? d0 : d1, cout = transposed ? d1 : d0;
  netsLoadErrorClear();
  const before = memUsed();
  const p = loaded(b, convSparseCreate(
    changetype<usize>(s), ta, tb, transposed ? 1 : 0, cin, cout, g.bins, kT, kF, g.stride, g.p1, g.p2,
    form == CONV_CODEBOOK_SPARSE, b.scratch, b.scratchBytes,
  ), ta, tb);
  if (b.failed) return convResult(DUMMY, false);
  report(b, ta, tb, REPORT_CONV, form, memUsed() - before);
  b.macs += <f64>convSparseMacs(p);
  countParams(b, ta);
  if (tb >= 0) countParams(b, tb);
  return convResult(p, true);
}

/**
 * The block form (nn/conv-block.ts) of block-pruned conv kernel ta (and tb stacked after it, or −1),
 * transposed or not. PASS_BIND only.
 */
function blockConv(b: Binder, ta: i32, tb: i32, transposed: bool, g: ConvGeometry): ConvBound {
  const s = b.s;
  const d0 = <i32>hushTensorDim(s, <u32>ta, 0), d1 = <i32>hushTensorDim(s, <u32>ta, 1);
  const kT = <i32>hushTensorDim(s, <u32>ta, 2), kF = <i32>hushTensorDim(s, <u32>ta, 3);
  netsLoadErrorClear();
  const before = memUsed();
  const p = loaded(b, convBlockCreate(
    changetype<usize>(s), ta, tb, transposed ? 1 : 0, transposed ? d0 : d1, transposed ? d1 : d0, g.bins, kT, kF, g.stride, g.p1, g.p2,
    b.scratch, b.scratchBytes,
  ), ta, tb);
  if (b.failed) return convResult(DUMMY, false);
  report(b, ta, tb, REPORT_CONV, CONV_BLOCK, memUsed() - before);
  b.macs += <f64>convBlockMacs(p);
  countParams(b, ta);
  if (tb >= 0) countParams(b, tb);
  return convResult(p, false, true);
}

/** Plans conv kernel t (PASS_PLAN: scratch need) with frequency stride `stride`; returns its form. */
function convPlan(b: Binder, t: i32, uses: i32, transposed: bool, stride: i32): i32 {
  const form = convFormPlan(b.s, t, uses, b.choice, transposed, stride);
  const count = <f64>hushTensorElements(b.s, <u32>t);
  // dense deconvs are repacked through the scratch; sparse and block forms decode there (a Conv2d may
  // be GCRN's gated pair: both halves side by side; a block deconv builds its phase matrices after it)
  if (form == CONV_BLOCK) need(b, (transposed ? 2 * align16f(4 * count) : align16f(8 * count)) + mpoScratch(b, t));
  else if (form != CONV_DENSE) need(b, align16f((transposed ? 4 : 8) * count) + mpoScratch(b, t));
  else need(b, transposed ? align16f(4 * count) + mpoScratch(b, t) : mpoScratch(b, t));
  return form;
}

/** A Conv2d weight [Cout][Cin][kT][kF]: dense f32, or a sparse form when planned. */
export function binderConv(b: Binder, t: i32, g: ConvGeometry): ConvBound {
  if (b.failed || t < 0 || b.pass == PASS_SIZE) return convResult(DUMMY, false);
  const form = convPlan(b, t, g.binsOut, false, g.stride);
  if (b.pass == PASS_PLAN) {
    report(b, t, -1, REPORT_CONV, form, 0);
    return convResult(DUMMY, false);
  }
  if (form == CONV_BLOCK) return blockConv(b, t, -1, false, g);
  if (form != CONV_DENSE) return sparseConv(b, t, -1, false, g, form);
  const ptr = binderVec(b, t, g.binsOut);
  return convResult(ptr, false);
}

/**
 * Two Conv2d weights of one shape as one conv with twice the outputs (GCRN's gated pair): block when
 * both are planned block, sparse when both are planned sparse or block (codebook-sparse when both are
 * planned so), else dense.
 */
export function binderConvPair(b: Binder, ta: i32, tb: i32, g: ConvGeometry): ConvBound {
  if (b.failed || ta < 0 || tb < 0 || b.pass == PASS_SIZE) return convResult(DUMMY, false);
  const fa = convPlan(b, ta, g.binsOut, false, g.stride), fb = convPlan(b, tb, g.binsOut, false, g.stride);
  const sparse = fa != CONV_DENSE && fb != CONV_DENSE;
  const form = !sparse ? CONV_DENSE : fa == fb ? fa : CONV_SPARSE;
  if (b.pass == PASS_PLAN) {
    report(b, ta, tb, REPORT_CONV, form, 0);
    return convResult(DUMMY, false);
  }
  if (form == CONV_BLOCK) return blockConv(b, ta, tb, false, g);
  if (sparse) return sparseConv(b, ta, tb, false, g, form);
  const ptr = binderPair(b, ta, tb);
  b.macs += <f64>hushTensorElements(b.s, <u32>ta) * 2 * <f64>g.binsOut;
  return convResult(ptr, false);
}

/** A ConvTranspose2d weight [Cin][Cout][kT][kF]: repacked for convTranspose2dStep, or a sparse form when planned. */
export function binderDeconv(b: Binder, t: i32, g: ConvGeometry): ConvBound {
  if (b.failed || t < 0 || b.pass == PASS_SIZE) return convResult(DUMMY, false);
  // a transposed conv's output phases have up to F + 1 bins (F = its input bins, executed uses)
  const form = convPlan(b, t, g.bins + 1, true, g.stride);
  if (b.pass == PASS_PLAN) {
    report(b, t, -1, REPORT_CONV, form, 0);
    return convResult(DUMMY, false);
  }
  if (form == CONV_BLOCK) return blockConv(b, t, -1, true, g);
  if (form != CONV_DENSE) return sparseConv(b, t, -1, true, g, form);
  const s = b.s;
  const cin = <i32>hushTensorDim(s, <u32>t, 0), cout = <i32>hushTensorDim(s, <u32>t, 1);
  const kT = <i32>hushTensorDim(s, <u32>t, 2), kF = <i32>hushTensorDim(s, <u32>t, 3);
  netsLoadErrorClear();
  const before = memUsed();
  const p = loaded(b, deconvCreate(changetype<usize>(s), t, cin, cout, kT, kF, g.stride, b.scratch, b.scratchBytes), t, -1);
  report(b, t, -1, REPORT_CONV, CONV_DENSE, memUsed() - before);
  b.macs += <f64>hushTensorElements(s, <u32>t) * <f64>g.bins;
  countParams(b, t);
  return convResult(p, false);
}

/**
 * BatchNorm <layer prefix> of `channels` as [scale | shift] (eps 1e-5, PyTorch's default); its
 * weight, bias, running_mean, running_var (and num_batches_tracked when the file has it) are bound.
 * `foldedInto` ≥ 0: the conv weight it follows — when that carries HUSH_TF_BN_FOLDED the BatchNorm
 * is in the conv already and its tensors may be absent: returns 0 then.
 */
export function binderBatchNorm(b: Binder, channels: i32, foldedInto: i32 = -1): usize {
  if (b.failed) return DUMMY;
  const optional = binderFolded(b, foldedInto);
  const tw = binderFind(b, ".weight", 1, channels, 0, 0, 0, optional);
  if (optional && tw < 0) return 0;
  const tb = binderFind(b, ".bias", 1, channels);
  const tm = binderFind(b, ".running_mean", 1, channels);
  const tv = binderFind(b, ".running_var", 1, channels);
  binderFind(b, ".num_batches_tracked", 0, 0, 0, 0, 0, true);
  if (b.failed || b.pass == PASS_SIZE) return DUMMY;
  if (b.pass == PASS_PLAN) {
    need(b, 4 * align16f(4 * <f64>channels)); // four vectors side by side
    report(b, tw, -1, REPORT_BATCHNORM, CONV_DENSE, 0);
    return DUMMY;
  }
  netsLoadErrorClear();
  const before = memUsed();
  const p = loaded(b, batchNormCreate(changetype<usize>(b.s), tw, tb, tm, tv, channels, 1e-5, b.scratch, b.scratchBytes), tw, -1);
  report(b, tw, -1, REPORT_BATCHNORM, CONV_DENSE, memUsed() - before);
  countParams(b, tw);
  countParams(b, tb);
  return p;
}

/** Products per hop that no weight scales (e.g. the GCRN's complex mask, 4 per bin), counted once, in the bind pass. */
export function binderFixedMacs(b: Binder, macs: i32): void {
  if (b.pass == PASS_BIND) b.macs += <f64>macs;
}

/** LSTM cell products per hop that no weight's nonzeros scale: 16·H per step and layer, as thop counts them. */
export function binderLstmCellMacs(b: Binder, units: i32): void {
  binderFixedMacs(b, 16 * units);
}

/** The prep floats of a sparse conv, the patch floats of a block conv (their per-hop scratch; 0 for a dense one). */
export function convBoundPrepFloats(ptr: usize, sparse: bool, block: bool = false): i32 {
  return block ? convBlockPatchFloats(ptr) : sparse ? convSparsePrepFloats(ptr) : 0;
}
