// Access to a validated .hush file for the runtime: the model's signal parameters and hyper-parameters,
// per-tensor descriptors for `compact` kernels (K, bits, codebook/stream/sparsity pointers), and a
// decoder to dense f32 for `fast` mode. Every function here assumes hushValidate() returned HUSH_OK on
// this state (they return 0 / an error code otherwise) and reads through the same bounds-checked
// accessors as the validator.
import {
  HUSH_OK, HUSH_HPARAM_BYTES, HUSH_META_BYTES, HUSH_MODEL_FIXED_BYTES, HUSH_TENSOR_BYTES, MODEL_ARCH_AT, MODEL_TASK_AT, MODEL_OUTPUT_COUNT_AT,
  MODEL_SAMPLE_RATE_AT, MODEL_WINDOW_AT, MODEL_HOP_AT, MODEL_FFT_AT, MODEL_WINDOW_KIND_AT, MODEL_HPARAM_COUNT_AT,
  MODEL_META_COUNT_AT, HPARAM_NAME_OFFSET_AT, HPARAM_NAME_BYTES_AT, HPARAM_KIND_AT, HPARAM_COUNT_AT,
  TENSOR_NAME_OFFSET_AT, TENSOR_NAME_BYTES_AT, TENSOR_ENCODING_AT, TENSOR_RANK_AT, TENSOR_FLAGS_AT, TENSOR_DIMS_AT,
  TENSOR_COUNT_AT, TENSOR_DATA_OFFSET_AT, TENSOR_DATA_BYTES_AT, TENSOR_K_AT, TENSOR_BITS_AT, TENSOR_VALUE_DTYPE_AT,
  TENSOR_SPARSITY_AT, TENSOR_NONZEROS_AT, TENSOR_STREAM_BYTES_AT, TENSOR_SPARSITY_BYTES_AT,
  TENSOR_SPARSITY_PARAM_AT, TENSOR_MPO_CORES_AT, HUSH_ENC_F32, HUSH_ENC_F16, HUSH_ENC_KMEANS, HUSH_ENC_SPARSE,
  HUSH_ENC_MPO, HUSH_DTYPE_F32, HUSH_SPARSITY_NONE, HUSH_E_DECODE_CAPACITY, HUSH_E_DECODE_INDEX, HUSH_E_INTERNAL_BOUNDS, alignOffset,
} from "./spec";
import { HushState, rd8, rd16, rd32, rdF32, rdF64, bitsAt, span } from "./reader";
import { f32FromF16 } from "./f16";
import { positionsNext, positionsOpen } from "./positions";

// -- model ---------------------------------------------------------------------------------------

/** HUSH_ARCH_* of the model. */
export function hushArch(s: HushState): u32 {
  return s.code == HUSH_OK ? rd32(s, s.modelOff + MODEL_ARCH_AT) : 0;
}
/** HUSH_TASK_*: 0 enhance (every 1.0 file), 1 separate. */
export function hushTask(s: HushState): u32 {
  return s.code == HUSH_OK ? rd32(s, s.modelOff + MODEL_TASK_AT) : 0;
}
/** Output signals: 1 for enhancement (stored as 0), the speakers for separation. */
export function hushOutputCount(s: HushState): u32 {
  if (s.code != HUSH_OK) return 0;
  const n = rd32(s, s.modelOff + MODEL_OUTPUT_COUNT_AT);
  return n == 0 ? 1 : n;
}
/** Sample rate, Hz. */
export function hushSampleRate(s: HushState): u32 {
  return s.code == HUSH_OK ? rd32(s, s.modelOff + MODEL_SAMPLE_RATE_AT) : 0;
}
/** Analysis window length, samples. */
export function hushWindowSamples(s: HushState): u32 {
  return s.code == HUSH_OK ? rd32(s, s.modelOff + MODEL_WINDOW_AT) : 0;
}
/** Hop, samples. */
export function hushHopSamples(s: HushState): u32 {
  return s.code == HUSH_OK ? rd32(s, s.modelOff + MODEL_HOP_AT) : 0;
}
/** DFT length, samples. */
export function hushFftSize(s: HushState): u32 {
  return s.code == HUSH_OK ? rd32(s, s.modelOff + MODEL_FFT_AT) : 0;
}
/** HUSH_WINDOW_* of the analysis window. */
export function hushWindowKind(s: HushState): u32 {
  return s.code == HUSH_OK ? rd32(s, s.modelOff + MODEL_WINDOW_KIND_AT) : 0;
}

/** Number of hyper-parameters. */
export function hushHparamCount(s: HushState): u32 {
  return s.code == HUSH_OK ? rd32(s, s.modelOff + MODEL_HPARAM_COUNT_AT) : 0;
}

function hparamEntry(s: HushState, i: u32): u64 {
  return s.modelOff + HUSH_MODEL_FIXED_BYTES + <u64>HUSH_HPARAM_BYTES * i;
}

/** Index of the hyper-parameter named by the UTF-8 bytes [namePtr, namePtr + nameLen), or -1. */
export function hushHparamFind(s: HushState, namePtr: usize, nameLen: u32): i32 {
  const n = hushHparamCount(s);
  for (let i: u32 = 0; i < n; i++) {
    const e = hparamEntry(s, i);
    if (rd32(s, e + HPARAM_NAME_BYTES_AT) != nameLen) continue;
    const p = span(s, s.stringsOff + <u64>rd32(s, e + HPARAM_NAME_OFFSET_AT), nameLen);
    if (p && memory.compare(p, namePtr, nameLen) == 0) return <i32>i;
  }
  return -1;
}

/** HUSH_HPARAM_NUMBER or HUSH_HPARAM_LIST. */
export function hushHparamKind(s: HushState, i: u32): u32 {
  return i < hushHparamCount(s) ? rd32(s, hparamEntry(s, i) + HPARAM_KIND_AT) : 0;
}
/** Number of values of hyper-parameter i (1 for a number). */
export function hushHparamLength(s: HushState, i: u32): u32 {
  return i < hushHparamCount(s) ? rd32(s, hparamEntry(s, i) + HPARAM_COUNT_AT) : 0;
}
/** Value j of hyper-parameter i (0 when out of range). */
export function hushHparamValue(s: HushState, i: u32, j: u32): f64 {
  const n = hushHparamCount(s);
  if (i >= n || j >= hushHparamLength(s, i)) return 0;
  let first: u64 = 0;
  for (let h: u32 = 0; h < i; h++) first += <u64>rd32(s, hparamEntry(s, h) + HPARAM_COUNT_AT);
  const nm = <u64>rd32(s, s.modelOff + MODEL_META_COUNT_AT);
  const values0 = s.modelOff + HUSH_MODEL_FIXED_BYTES + <u64>HUSH_HPARAM_BYTES * n + <u64>HUSH_META_BYTES * nm;
  return rdF64(s, values0 + 8 * (first + j));
}

// -- tensor descriptors --------------------------------------------------------------------------

/** Entries in the tensor table (MPO cores included). */
export function hushTensorCount(s: HushState): u32 {
  return s.code == HUSH_OK ? s.tensorCount : 0;
}

function entryOf(s: HushState, i: u32): u64 {
  return s.tableOff + <u64>HUSH_TENSOR_BYTES * i;
}

/** Index of the tensor named by the UTF-8 bytes [namePtr, namePtr + nameLen), or -1. */
export function hushTensorFind(s: HushState, namePtr: usize, nameLen: u32): i32 {
  const n = hushTensorCount(s);
  for (let i: u32 = 0; i < n; i++) {
    const e = entryOf(s, i);
    if (rd32(s, e + TENSOR_NAME_BYTES_AT) != nameLen) continue;
    const p = span(s, s.stringsOff + <u64>rd32(s, e + TENSOR_NAME_OFFSET_AT), nameLen);
    if (p && memory.compare(p, namePtr, nameLen) == 0) return <i32>i;
  }
  return -1;
}

/** Byte field of entry i (0 when i is out of range). */
function field8(s: HushState, i: u32, at: i32): u32 {
  return i < hushTensorCount(s) ? rd8(s, entryOf(s, i) + <u64>at) : 0;
}
/** u32 field of entry i (0 when i is out of range). */
function field32(s: HushState, i: u32, at: i32): u32 {
  return i < hushTensorCount(s) ? rd32(s, entryOf(s, i) + <u64>at) : 0;
}

/** HUSH_ENC_* of tensor i. */
export function hushTensorEncoding(s: HushState, i: u32): u32 {
  return field8(s, i, TENSOR_ENCODING_AT);
}
/** Rank (0..4). */
export function hushTensorRank(s: HushState, i: u32): u32 {
  return field8(s, i, TENSOR_RANK_AT);
}
/** HUSH_TF_* flags (MPO core, BatchNorm folded). */
export function hushTensorFlags(s: HushState, i: u32): u32 {
  return field8(s, i, TENSOR_FLAGS_AT);
}
/** Dimension d (outermost first; 0 beyond the rank). */
export function hushTensorDim(s: HushState, i: u32, d: u32): u32 {
  return d < 4 ? field32(s, i, TENSOR_DIMS_AT + 4 * <i32>d) : 0;
}
/** Elements (product of the dims). */
export function hushTensorElements(s: HushState, i: u32): u32 {
  return field32(s, i, TENSOR_COUNT_AT);
}
/** K of a k-means tensor (0 otherwise). */
export function hushTensorK(s: HushState, i: u32): u32 {
  const enc = hushTensorEncoding(s, i);
  return enc == <u32>HUSH_ENC_KMEANS ? field32(s, i, TENSOR_K_AT) : 0;
}
/** Index width ⌈log2 K⌉ of a k-means tensor (0 otherwise). */
export function hushTensorBits(s: HushState, i: u32): u32 {
  const enc = hushTensorEncoding(s, i);
  return enc == <u32>HUSH_ENC_KMEANS ? field8(s, i, TENSOR_BITS_AT) : 0;
}
/** HUSH_DTYPE_* of the codebook (k-means) or values (sparse); 0 for other encodings. */
export function hushTensorValueDtype(s: HushState, i: u32): u32 {
  const enc = hushTensorEncoding(s, i);
  return enc == <u32>HUSH_ENC_KMEANS || enc == <u32>HUSH_ENC_SPARSE ? field8(s, i, TENSOR_VALUE_DTYPE_AT) : 0;
}
/** HUSH_SPARSITY_* (k-means and sparse; HUSH_SPARSITY_NONE otherwise). */
export function hushTensorSparsity(s: HushState, i: u32): u32 {
  const enc = hushTensorEncoding(s, i);
  return enc == <u32>HUSH_ENC_KMEANS || enc == <u32>HUSH_ENC_SPARSE ? field8(s, i, TENSOR_SPARSITY_AT) : 0;
}
/** The sparsity parameter word: gap width in bits 0–7, group axis in bits 8–15. */
export function hushTensorSparsityParam(s: HushState, i: u32): u32 {
  const enc = hushTensorEncoding(s, i);
  return enc == <u32>HUSH_ENC_KMEANS || enc == <u32>HUSH_ENC_SPARSE ? field32(s, i, TENSOR_SPARSITY_PARAM_AT) : 0;
}
/** Stored weights: nonzeros (k-means, sparse), elements (dense), 0 (MPO: see its cores). */
export function hushTensorStored(s: HushState, i: u32): u32 {
  const enc = hushTensorEncoding(s, i);
  if (enc == <u32>HUSH_ENC_KMEANS || enc == <u32>HUSH_ENC_SPARSE) return field32(s, i, TENSOR_NONZEROS_AT);
  if (enc == <u32>HUSH_ENC_F32 || enc == <u32>HUSH_ENC_F16) return field32(s, i, TENSOR_COUNT_AT);
  return 0;
}
/** Cores of an MPO tensor (they are entries i+1 … i+cores); 0 for other encodings. */
export function hushTensorMpoCores(s: HushState, i: u32): u32 {
  return hushTensorEncoding(s, i) == <u32>HUSH_ENC_MPO ? field32(s, i, TENSOR_MPO_CORES_AT) : 0;
}

/** Absolute file offset of tensor i's payload. */
function payloadOff(s: HushState, i: u32): u64 {
  return s.dataOff + <u64>field32(s, i, TENSOR_DATA_OFFSET_AT);
}
function dsizeOf(s: HushState, i: u32): u64 {
  const enc = hushTensorEncoding(s, i);
  if (enc == <u32>HUSH_ENC_F32) return 4;
  if (enc == <u32>HUSH_ENC_F16) return 2;
  return field8(s, i, TENSOR_VALUE_DTYPE_AT) == <u32>HUSH_DTYPE_F32 ? 4 : 2;
}
/** Offset of block B (index stream / sparse values) within the payload. */
function blockB(s: HushState, i: u32): u64 {
  return hushTensorEncoding(s, i) == <u32>HUSH_ENC_KMEANS ? alignOffset(<u64>field32(s, i, TENSOR_K_AT) * dsizeOf(s, i)) : 0;
}
/** Offset of block C (sparsity) within the payload. */
function blockC(s: HushState, i: u32): u64 {
  return alignOffset(blockB(s, i) + <u64>field32(s, i, TENSOR_STREAM_BYTES_AT));
}

/** Linear-memory pointer to the payload: dense values (f32/f16) or the codebook (k-means); 0 for MPO. */
export function hushTensorDataPtr(s: HushState, i: u32): usize {
  const bytes = <u64>field32(s, i, TENSOR_DATA_BYTES_AT);
  return bytes > 0 ? span(s, payloadOff(s, i), bytes) : 0;
}
/** Pointer to the bit-packed index stream (k-means) or the values (sparse); 0 when empty. */
export function hushTensorStreamPtr(s: HushState, i: u32): usize {
  const enc = hushTensorEncoding(s, i);
  if (enc != <u32>HUSH_ENC_KMEANS && enc != <u32>HUSH_ENC_SPARSE) return 0;
  const n = <u64>field32(s, i, TENSOR_STREAM_BYTES_AT);
  return n > 0 ? span(s, payloadOff(s, i) + blockB(s, i), n) : 0;
}
/** Bytes of the index stream / sparse values. */
export function hushTensorStreamBytes(s: HushState, i: u32): u32 {
  const enc = hushTensorEncoding(s, i);
  return enc == <u32>HUSH_ENC_KMEANS || enc == <u32>HUSH_ENC_SPARSE ? field32(s, i, TENSOR_STREAM_BYTES_AT) : 0;
}
/** File offset of the sparsity block (bitmap / gap-coded list). */
export function hushTensorSparsityOffset(s: HushState, i: u32): u64 {
  return payloadOff(s, i) + blockC(s, i);
}
/** Pointer to the sparsity block (bitmap / gap-coded list); 0 when empty. */
export function hushTensorSparsityPtr(s: HushState, i: u32): usize {
  const n = <u64>hushTensorSparsityBytes(s, i);
  return n > 0 ? span(s, payloadOff(s, i) + blockC(s, i), n) : 0;
}
/** Bytes of the sparsity block. */
export function hushTensorSparsityBytes(s: HushState, i: u32): u32 {
  const enc = hushTensorEncoding(s, i);
  return enc == <u32>HUSH_ENC_KMEANS || enc == <u32>HUSH_ENC_SPARSE ? field32(s, i, TENSOR_SPARSITY_BYTES_AT) : 0;
}

// -- decoding to dense f32 -------------------------------------------------------------------------

/** Value j of the codebook (k-means) or values block (sparse) of tensor i. */
function storedValue(s: HushState, at: u64, dsize: u64, j: u64): f32 {
  return dsize == 4 ? rdF32(s, at + 4 * j) : f32FromF16(rd16(s, at + 2 * j));
}

/** Value of the j-th stored weight of k-means/sparse tensor i. */
// @ts-ignore: decorator
@inline function storedWeight(s: HushState, isK: bool, abs: u64, bAt: u64, dsize: u64, bits: u32, j: u64): f32 {
  if (isK) return storedValue(s, abs, dsize, bits > 0 ? <u64>bitsAt(s, bAt, j * <u64>bits, bits) : 0);
  return storedValue(s, bAt, dsize, j);
}

/** Writes k-means/sparse tensor i as dense f32 into out (count elements). */
function decodeStored(s: HushState, i: u32, out: usize): void {
  const count = <u64>hushTensorElements(s, i);
  const isK = hushTensorEncoding(s, i) == <u32>HUSH_ENC_KMEANS;
  const abs = payloadOff(s, i);
  const bAt = abs + blockB(s, i);
  const dsize = dsizeOf(s, i);
  const bits = hushTensorBits(s, i);
  const n = <u64>field32(s, i, TENSOR_NONZEROS_AT);
  memory.fill(out, 0, <usize>(count * 4));
  positionsOpen(s, i); // stored positions in storage order (ascending but for blocks; positions.ts)
  for (let j: u64 = 0; j < n; j++) store<f32>(out + <usize>(positionsNext(s) * 4), storedWeight(s, isK, abs, bAt, dsize, bits, j));
}

/** Scratch bytes hushTensorDecode needs for tensor i: 0 except for MPO (dense cores + one f64 bond vector per level). */
export function hushTensorDecodeScratchBytes(s: HushState, i: u32): u32 {
  const cores = hushTensorMpoCores(s, i);
  if (cores == 0) return 0;
  let bytes: u64 = 0;
  let maxBond: u64 = 1;
  for (let c: u32 = 1; c <= cores; c++) {
    bytes += alignOffset(<u64>hushTensorElements(s, i + c) * 4);
    const b = <u64>hushTensorDim(s, i + c, 3);
    if (b > maxBond) maxBond = b;
  }
  return <u32>(bytes + <u64>(cores + 1) * maxBond * 8);
}

/** Contraction state of one MPO decode (see mpoVisit). */
let mpoS: HushState = changetype<HushState>(0);
let mpoFirst: u32 = 0;
let mpoN: u32 = 0;
let mpoCorePtr: usize = 0; // dense cores, each 16-byte aligned
let mpoVecPtr: usize = 0; // (N + 1) f64 vectors of maxBond
let mpoMaxBond: u64 = 0;
let mpoCols: u64 = 0;
let mpoOut: usize = 0;

/**
 * Depth-first over the digit pairs (i_k, j_k): `vec` (bond r_k, f64) is the product of the first k cores
 * for the digits so far. Same products and the same summation order as src/format/mpo.ts, so the f32
 * result is bit-identical.
 */
function mpoVisit(k: u32, row: u64, col: u64, corePtr: usize): void {
  const vec = mpoVecPtr + <usize>(<u64>k * mpoMaxBond * 8);
  if (k == mpoN) {
    store<f32>(mpoOut + <usize>((row * mpoCols + col) * 4), <f32>load<f64>(vec));
    return;
  }
  const e = mpoFirst + k;
  const r0 = <u64>hushTensorDim(mpoS, e, 0);
  const ni = <u64>hushTensorDim(mpoS, e, 1);
  const nj = <u64>hushTensorDim(mpoS, e, 2);
  const r1 = <u64>hushTensorDim(mpoS, e, 3);
  const nextVec = vec + <usize>(mpoMaxBond * 8);
  const nextCore = corePtr + <usize>alignOffset(r0 * ni * nj * r1 * 4);
  for (let i: u64 = 0; i < ni; i++) {
    for (let j: u64 = 0; j < nj; j++) {
      for (let b: u64 = 0; b < r1; b++) {
        let sum: f64 = 0;
        for (let a: u64 = 0; a < r0; a++) {
          const g = <f64>load<f32>(corePtr + <usize>((((a * ni + i) * nj + j) * r1 + b) * 4));
          sum += load<f64>(vec + <usize>(a * 8)) * g;
        }
        store<f64>(nextVec + <usize>(b * 8), sum);
      }
      mpoVisit(k + 1, row * ni + i, col * nj + j, nextCore);
    }
  }
}

/**
 * Decodes tensor i to dense row-major f32 at `out` (room for outElements). MPO tensors need
 * hushTensorDecodeScratchBytes(s, i) bytes of 8-byte aligned scratch. Returns HUSH_OK or an error code.
 */
export function hushTensorDecode(s: HushState, i: u32, out: usize, outElements: u32, scratch: usize, scratchBytes: u32): i32 {
  if (s.code != HUSH_OK) return s.code;
  if (i >= s.tensorCount) {
    s.a = <f64>i;
    s.b = <f64>s.tensorCount;
    return HUSH_E_DECODE_INDEX;
  }
  const count = hushTensorElements(s, i);
  if (outElements < count) {
    s.a = <f64>outElements;
    s.b = <f64>count;
    return HUSH_E_DECODE_CAPACITY;
  }
  const enc = hushTensorEncoding(s, i);
  const abs = payloadOff(s, i);
  if (enc == <u32>HUSH_ENC_F32) {
    const p = span(s, abs, <u64>count * 4);
    if (p) memory.copy(out, p, <usize>count * 4);
  } else if (enc == <u32>HUSH_ENC_F16) {
    for (let j: u32 = 0; j < count; j++) store<f32>(out + (<usize>j << 2), f32FromF16(rd16(s, abs + 2 * <u64>j)));
  } else if (enc == <u32>HUSH_ENC_KMEANS || enc == <u32>HUSH_ENC_SPARSE) {
    decodeStored(s, i, out);
  } else {
    const need = hushTensorDecodeScratchBytes(s, i);
    if (scratchBytes < need) {
      s.a = <f64>scratchBytes;
      s.b = <f64>need;
      return HUSH_E_DECODE_CAPACITY;
    }
    const cores = hushTensorMpoCores(s, i);
    let p = scratch;
    let maxBond: u64 = 1;
    for (let c: u32 = 1; c <= cores; c++) {
      const rc = hushTensorDecode(s, i + c, p, hushTensorElements(s, i + c), 0, 0);
      if (rc != HUSH_OK) return rc;
      p += <usize>alignOffset(<u64>hushTensorElements(s, i + c) * 4);
      const b = <u64>hushTensorDim(s, i + c, 3);
      if (b > maxBond) maxBond = b;
    }
    mpoS = s;
    mpoFirst = i + 1;
    mpoN = cores;
    mpoCorePtr = scratch;
    mpoVecPtr = p;
    mpoMaxBond = maxBond;
    mpoCols = <u64>count / <u64>hushTensorDim(s, i, 0);
    mpoOut = out;
    store<f64>(mpoVecPtr, 1.0); // the empty product
    mpoVisit(0, 0, 0, mpoCorePtr);
  }
  return s.fault ? HUSH_E_INTERNAL_BOUNDS : HUSH_OK;
}
