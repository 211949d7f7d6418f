// The .hush reader's validation pass in AssemblyScript: a line-by-line port of src/format/validate.ts
// (docs/format.md "Reader algorithm"). Same checks, same order, same error records — the fuzz test
// (test/format/fuzzWasm.test.ts) feeds both the same mutated files and requires identical results.
//
// Memory safety: the file lives at [filePtr, filePtr + fileLen) and every access goes through span()
// (directly or via rd8/rd16/rd32/rdF32/rdF64/bitsAt), which refuses any range outside it. A refused
// read records a fault and returns 0; hushValidate() then reports HUSH_E_INTERNAL_BOUNDS — a reader bug,
// which the fuzz test asserts never happens. Nothing is allocated; the caller owns the state block.
import {
  HUSH_MAGIC, HUSH_VERSION_MAJOR, HUSH_HEADER_BYTES, HDR_MAGIC_AT, HDR_VERSION_MAJOR_AT, HDR_VERSION_MINOR_AT,
  HDR_HEADER_BYTES_AT, HDR_FLAGS_AT, HDR_FILE_BYTES_AT, HDR_TENSOR_COUNT_AT, HDR_MODEL_AT, HDR_DATA_OFFSET_AT,
  HDR_DATA_BYTES_AT, HDR_RESERVED_AT, HDR_CRC_AT, SECTION_MODEL, SECTION_STRINGS, SECTION_TABLE, SECTION_DATA,
  HUSH_MODEL_FIXED_BYTES, MODEL_ARCH_AT, MODEL_SAMPLE_RATE_AT, MODEL_WINDOW_AT, MODEL_HOP_AT, MODEL_FFT_AT,
  MODEL_WINDOW_KIND_AT, MODEL_HPARAM_COUNT_AT, MODEL_META_COUNT_AT, MODEL_VALUE_COUNT_AT, MODEL_RESERVED_AT, MODEL_TASK_AT, MODEL_OUTPUT_COUNT_AT,
  HUSH_TASK_ENHANCE, HUSH_TASK_SEPARATE, HUSH_TASK_MAX, HUSH_MIN_SEPARATE_OUTPUTS, HUSH_MAX_OUTPUTS, HUSH_ARCH_ENHANCE_MAX,
  HUSH_E_TASK, HUSH_E_OUTPUT_COUNT, HUSH_E_ARCH_TASK,
  HUSH_HPARAM_BYTES, HPARAM_NAME_OFFSET_AT, HPARAM_NAME_BYTES_AT, HPARAM_KIND_AT, HPARAM_COUNT_AT,
  HUSH_META_BYTES, META_KEY_OFFSET_AT, META_KEY_BYTES_AT, META_VALUE_OFFSET_AT, META_VALUE_BYTES_AT,
  HUSH_ARCH_MAX, HUSH_WINDOW_MAX, HUSH_HPARAM_NUMBER, HUSH_HPARAM_LIST, HUSH_SAMPLE_RATE_MIN_HZ,
  HUSH_SAMPLE_RATE_MAX_HZ, HUSH_MAX_WINDOW_SAMPLES, HUSH_TENSOR_BYTES, TENSOR_NAME_OFFSET_AT,
  TENSOR_NAME_BYTES_AT, TENSOR_ENCODING_AT, TENSOR_RANK_AT, TENSOR_FLAGS_AT, TENSOR_RESERVED0_AT,
  TENSOR_DIMS_AT, TENSOR_COUNT_AT, TENSOR_DATA_OFFSET_AT, TENSOR_DATA_BYTES_AT, TENSOR_DATA_CRC_AT,
  TENSOR_RESERVED1_AT, TENSOR_PARAMS_AT, TENSOR_K_AT, TENSOR_BITS_AT, TENSOR_VALUE_DTYPE_AT,
  TENSOR_STREAM_CODING_AT, TENSOR_SPARSITY_AT, TENSOR_NONZEROS_AT, TENSOR_STREAM_BYTES_AT,
  TENSOR_SPARSITY_BYTES_AT, TENSOR_SPARSITY_PARAM_AT, TENSOR_PARAMS_RESERVED_AT, TENSOR_MPO_CORES_AT,
  HUSH_MAX_RANK, HUSH_ENC_F32, HUSH_ENC_F16, HUSH_ENC_KMEANS, HUSH_ENC_SPARSE, HUSH_ENC_MPO, HUSH_ENC_MAX,
  HUSH_DTYPE_F32, HUSH_DTYPE_F16, HUSH_STREAM_PACKED, HUSH_SPARSITY_NONE, HUSH_SPARSITY_BITMAP,
  HUSH_SPARSITY_DELTA, HUSH_SPARSITY_GROUPS, HUSH_SPARSITY_BLOCKS, HUSH_SPARSITY_MAX, blockShapeValid, HUSH_GROUP_DIM0, HUSH_GROUP_DIM1,
  HUSH_GROUP_KERNEL, HUSH_TF_MPO_CORE, HUSH_TF_ALL, HUSH_MAX_TENSORS, HUSH_MAX_HPARAMS, HUSH_MAX_META,
  HUSH_MAX_VALUES, HUSH_MAX_NAME_BYTES, HUSH_MAX_META_VALUE_BYTES, HUSH_MAX_ELEMENTS, HUSH_MAX_K,
  HUSH_MAX_GAP_BITS, HUSH_MAX_MPO_CORES, HUSH_MAX_MPO_BOND, HUSH_WHERE_FILE, HUSH_WHERE_SECTION,
  HUSH_WHERE_HPARAM, HUSH_WHERE_META, HUSH_WHERE_TENSOR, HUSH_OK, HUSH_E_TRUNCATED_HEADER, HUSH_E_BAD_MAGIC,
  HUSH_E_VERSION, HUSH_E_HEADER_CRC, HUSH_E_HEADER_SIZE, HUSH_E_RESERVED, HUSH_E_TENSOR_COUNT,
  HUSH_E_SECTION_OFFSET, HUSH_E_SECTION_SIZE, HUSH_E_SECTION_PAST_END, HUSH_E_SECTION_CRC, HUSH_E_PADDING,
  HUSH_E_ARCH, HUSH_E_SAMPLE_RATE, HUSH_E_WINDOW_SAMPLES, HUSH_E_HOP_SAMPLES, HUSH_E_FFT_SIZE,
  HUSH_E_WINDOW_KIND, HUSH_E_HPARAM_COUNT, HUSH_E_META_COUNT, HUSH_E_VALUE_LIMIT, HUSH_E_VALUE_COUNT,
  HUSH_E_NAME_LENGTH, HUSH_E_NAME_PAST_STRINGS, HUSH_E_NAME_UTF8, HUSH_E_NAME_DUPLICATE, HUSH_E_HPARAM_KIND,
  HUSH_E_HPARAM_NUMBER_COUNT, HUSH_E_HPARAM_VALUES_PAST, HUSH_E_HPARAM_VALUE, HUSH_E_META_VALUE_LENGTH,
  HUSH_E_META_VALUE_PAST_STRINGS, HUSH_E_META_VALUE_UTF8, HUSH_E_ENCODING, HUSH_E_RANK, HUSH_E_DIM_ZERO,
  HUSH_E_TOO_MANY_ELEMENTS, HUSH_E_COUNT, HUSH_E_FLAGS, HUSH_E_MPO_CORE_MISSING, HUSH_E_MPO_NESTED,
  HUSH_E_MPO_CORE_RANK, HUSH_E_MPO_BOND, HUSH_E_MPO_BOND_LIMIT, HUSH_E_MPO_ROWS, HUSH_E_MPO_COLS,
  HUSH_E_MPO_ORPHAN_CORE, HUSH_E_MPO_CORE_COUNT, HUSH_E_MPO_CORES_PAST_TABLE, HUSH_E_MPO_RANK,
  HUSH_E_DATA_OFFSET, HUSH_E_K_RANGE, HUSH_E_BITS, HUSH_E_DTYPE, HUSH_E_STREAM_CODING, HUSH_E_SPARSITY_KIND,
  HUSH_E_NONZEROS, HUSH_E_STREAM_BYTES, HUSH_E_SPARSITY_NONE_COUNT, HUSH_E_SPARSITY_BYTES,
  HUSH_E_SPARSITY_PARAM, HUSH_E_GROUP_AXIS, HUSH_E_GROUP_NONZEROS, HUSH_E_BLOCK_SHAPE, HUSH_E_BLOCK_RANK,
  HUSH_E_BLOCK_TILING, HUSH_E_BLOCK_NONZEROS, HUSH_E_BLOCK_RANGE, HUSH_E_PAYLOAD_SIZE, HUSH_E_DATA_PAST_END,
  HUSH_E_CODEBOOK_PAST_END, HUSH_E_INDEX_PAST_END, HUSH_E_VALUES_PAST_END, HUSH_E_SPARSITY_PAST_END,
  HUSH_E_PAYLOAD_CRC, HUSH_E_VALUE_NOT_FINITE, HUSH_E_CODEBOOK_NOT_FINITE, HUSH_E_INDEX_RANGE,
  HUSH_E_INDEX_PADDING, HUSH_E_BITMAP_PADDING, HUSH_E_BITMAP_COUNT, HUSH_E_GAP_STREAM_SHORT,
  HUSH_E_POSITION_RANGE, HUSH_E_GROUP_RANGE, HUSH_E_GAP_STREAM_LENGTH, HUSH_E_GAP_PADDING, HUSH_E_FILE_SIZE,
  HUSH_E_TRAILING_BYTES, HUSH_E_INTERNAL_BOUNDS, alignOffset,
} from "./spec";
import { crc32 } from "./crc32";
import { utf8InvalidAt } from "./utf8";

/**
 * Everything the reader knows about one open file: where it is, what failed, and (once valid) where
 * its sections are. Lives in a caller-provided block of offsetof<HushState>() bytes (hushStateBytes()).
 * Offsets are absolute within the file; u64 so that sums of two u32 fields never wrap.
 */
@unmanaged export class HushState {
  filePtr: usize;
  fileLen: u64;
  /** first failed check (HUSH_E_*), HUSH_OK when valid */
  code: i32;
  where: i32;
  index: i32;
  /** 1 when a read outside the file was refused */
  fault: i32;
  a: f64;
  b: f64;
  faultAt: f64;
  minor: u32;
  tensorCount: u32;
  modelOff: u64;
  modelBytes: u64;
  stringsOff: u64;
  stringsBytes: u64;
  tableOff: u64;
  dataOff: u64;
  dataBytes: u64;
}

// -- the one bounds-checked accessor ---------------------------------------------------------------

/** Pointer to the n bytes at file offset `off`, or 0 (and a recorded fault) when they are not all inside the file. */
export function span(s: HushState, off: u64, n: u64): usize {
  if (off > s.fileLen || n > s.fileLen - off) {
    if (!s.fault) {
      s.fault = 1;
      s.faultAt = <f64>off;
    }
    return 0;
  }
  return s.filePtr + <usize>off;
}

/** u8 at file offset `off` (0 and a fault when outside the file); rd16/rd32/rdF32/rdF64 likewise, little-endian. */
// @ts-ignore: decorator
@inline export function rd8(s: HushState, off: u64): u32 {
  const p = span(s, off, 1);
  return p ? <u32>load<u8>(p) : 0;
}
// @ts-ignore: decorator
@inline export function rd16(s: HushState, off: u64): u32 {
  const p = span(s, off, 2);
  return p ? <u32>load<u16>(p) : 0;
}
// @ts-ignore: decorator
@inline export function rd32(s: HushState, off: u64): u32 {
  const p = span(s, off, 4);
  return p ? load<u32>(p) : 0;
}
// @ts-ignore: decorator
@inline export function rdF32(s: HushState, off: u64): f32 {
  const p = span(s, off, 4);
  return p ? load<f32>(p) : 0;
}
// @ts-ignore: decorator
@inline export function rdF64(s: HushState, off: u64): f64 {
  const p = span(s, off, 8);
  return p ? load<f64>(p) : 0;
}

/** The w-bit (1..16) LSB-first value at stream bit `bitPos` of the block at file offset `start`; reads only the bytes it needs. */
export function bitsAt(s: HushState, start: u64, bitPos: u64, w: u32): u32 {
  const first = start + (bitPos >> 3);
  const last = start + ((bitPos + <u64>w - 1) >> 3);
  let word = rd8(s, first);
  if (last > first) word |= rd8(s, first + 1) << 8;
  if (last > first + 1) word |= rd8(s, first + 2) << 16;
  return (word >>> <u32>(bitPos & 7)) & ((1 << w) - 1);
}

function crcAt(s: HushState, off: u64, n: u64): u32 {
  const p = span(s, off, n);
  return p || n == 0 ? crc32(p, <usize>n) : 0;
}

// -- failure records -----------------------------------------------------------------------------

/** Records the first failure; returns true so that checks read `if (…) return fail(…)`. */
function fail(s: HushState, code: i32, where: i32, index: i32, a: f64, b: f64): bool {
  s.code = code;
  s.where = where;
  s.index = index;
  s.a = a;
  s.b = b;
  return true;
}

/** ⌈log2 k⌉ for k ≥ 1. */
export function ceilLog2(k: u32): u32 {
  let b: u32 = 0;
  while ((<u64>1 << b) < <u64>k) b++;
  return b;
}

// @ts-ignore: decorator
@inline function ceilDiv8(x: u64): u64 {
  return (x + 7) >> 3;
}

function padding(s: HushState, where: i32, index: i32, from: u64, to: u64): bool {
  for (let p = from; p < to; p++) {
    const v = rd8(s, p);
    if (v != 0) return fail(s, HUSH_E_PADDING, where, index, <f64>p, <f64>v);
  }
  return false;
}

function reserved32(s: HushState, where: i32, index: i32, at: u64): bool {
  const v = rd32(s, at);
  if (v != 0) return fail(s, HUSH_E_RESERVED, where, index, <f64>at, <f64>v);
  return false;
}

function isFiniteF16(h: u32): bool {
  return (h & 0x7c00) != 0x7c00;
}

// -- header and sections -------------------------------------------------------------------------

function checkHeader(s: HushState): bool {
  const len = s.fileLen;
  if (len < <u64>HUSH_HEADER_BYTES) return fail(s, HUSH_E_TRUNCATED_HEADER, HUSH_WHERE_FILE, 0, <f64>len, HUSH_HEADER_BYTES);
  const magic = rd32(s, HDR_MAGIC_AT);
  if (magic != <u32>HUSH_MAGIC) return fail(s, HUSH_E_BAD_MAGIC, HUSH_WHERE_FILE, 0, <f64>magic, <f64>HUSH_MAGIC);
  const major = rd16(s, HDR_VERSION_MAJOR_AT);
  s.minor = rd16(s, HDR_VERSION_MINOR_AT);
  if (major != <u32>HUSH_VERSION_MAJOR) return fail(s, HUSH_E_VERSION, HUSH_WHERE_FILE, 0, <f64>major, <f64>s.minor);
  const stored = rd32(s, HDR_CRC_AT);
  const computed = crcAt(s, 0, HDR_CRC_AT);
  if (stored != computed) return fail(s, HUSH_E_HEADER_CRC, HUSH_WHERE_FILE, 0, <f64>stored, <f64>computed);
  const hb = rd32(s, HDR_HEADER_BYTES_AT);
  if (hb != <u32>HUSH_HEADER_BYTES) return fail(s, HUSH_E_HEADER_SIZE, HUSH_WHERE_FILE, 0, <f64>hb, HUSH_HEADER_BYTES);
  if (reserved32(s, HUSH_WHERE_FILE, 0, HDR_FLAGS_AT)) return true;
  if (reserved32(s, HUSH_WHERE_FILE, 0, HDR_RESERVED_AT)) return true;
  if (reserved32(s, HUSH_WHERE_FILE, 0, HDR_RESERVED_AT + 4)) return true;
  s.tensorCount = rd32(s, HDR_TENSOR_COUNT_AT);
  if (s.tensorCount > <u32>HUSH_MAX_TENSORS) return fail(s, HUSH_E_TENSOR_COUNT, HUSH_WHERE_FILE, 0, <f64>s.tensorCount, HUSH_MAX_TENSORS);
  return false;
}

function checkSections(s: HushState): bool {
  let expected: u64 = HUSH_HEADER_BYTES;
  let prevEnd: u64 = HUSH_HEADER_BYTES;
  for (let sec = SECTION_MODEL; sec <= SECTION_TABLE; sec++) {
    const at: u64 = <u64>(HDR_MODEL_AT + 12 * sec);
    const off = <u64>rd32(s, at);
    const size = <u64>rd32(s, at + 4);
    const stored = rd32(s, at + 8);
    if (off != expected) return fail(s, HUSH_E_SECTION_OFFSET, HUSH_WHERE_SECTION, sec, <f64>off, <f64>expected);
    const tableBytes = <u64>s.tensorCount * HUSH_TENSOR_BYTES;
    if (sec == SECTION_TABLE && size != tableBytes) return fail(s, HUSH_E_SECTION_SIZE, HUSH_WHERE_SECTION, sec, <f64>size, <f64>tableBytes);
    if (off + size > s.fileLen) return fail(s, HUSH_E_SECTION_PAST_END, HUSH_WHERE_SECTION, sec, <f64>(off + size - s.fileLen), 0);
    if (padding(s, HUSH_WHERE_SECTION, sec, prevEnd, off)) return true;
    const computed = crcAt(s, off, size);
    if (stored != computed) return fail(s, HUSH_E_SECTION_CRC, HUSH_WHERE_SECTION, sec, <f64>stored, <f64>computed);
    if (sec == SECTION_MODEL) {
      s.modelOff = off;
      s.modelBytes = size;
    } else if (sec == SECTION_STRINGS) {
      s.stringsOff = off;
      s.stringsBytes = size;
    } else s.tableOff = off;
    prevEnd = off + size;
    expected = alignOffset(prevEnd);
  }
  const dataOff = <u64>rd32(s, HDR_DATA_OFFSET_AT);
  if (dataOff != expected) return fail(s, HUSH_E_SECTION_OFFSET, HUSH_WHERE_SECTION, SECTION_DATA, <f64>dataOff, <f64>expected);
  if (dataOff > s.fileLen) return fail(s, HUSH_E_SECTION_PAST_END, HUSH_WHERE_SECTION, SECTION_DATA, <f64>(dataOff - s.fileLen), 0);
  if (padding(s, HUSH_WHERE_SECTION, SECTION_DATA, prevEnd, dataOff)) return true;
  s.dataOff = dataOff;
  return false;
}

// -- names ---------------------------------------------------------------------------------------

function checkName(s: HushState, where: i32, index: i32, off: u64, n: u64): bool {
  if (n < 1 || n > <u64>HUSH_MAX_NAME_BYTES) return fail(s, HUSH_E_NAME_LENGTH, where, index, <f64>n, HUSH_MAX_NAME_BYTES);
  if (off + n > s.stringsBytes) return fail(s, HUSH_E_NAME_PAST_STRINGS, where, index, <f64>(off + n), <f64>s.stringsBytes);
  const p = span(s, s.stringsOff + off, n);
  const bad = p ? utf8InvalidAt(p, <u32>n) : -1;
  if (bad >= 0) return fail(s, HUSH_E_NAME_UTF8, where, index, <f64>bad, 0);
  return false;
}

function nameEq(s: HushState, offA: u64, offB: u64, n: u64): bool {
  const pa = span(s, offA, n);
  const pb = span(s, offB, n);
  if (!pa || !pb) return false;
  return memory.compare(pa, pb, <usize>n) == 0;
}

/** Index of an earlier entry (stride bytes apart from `first`) with the same name as entry i, or -1. */
function duplicateOf(s: HushState, first: u64, stride: u64, i: u32): i32 {
  const e = first + stride * <u64>i;
  const off = <u64>rd32(s, e);
  const n = <u64>rd32(s, e + 4);
  for (let j: u32 = 0; j < i; j++) {
    const f = first + stride * <u64>j;
    if (<u64>rd32(s, f + 4) == n && nameEq(s, s.stringsOff + <u64>rd32(s, f), s.stringsOff + off, n)) return <i32>j;
  }
  return -1;
}

// -- model section -------------------------------------------------------------------------------

function checkModel(s: HushState): bool {
  const base = s.modelOff;
  const W = HUSH_WHERE_SECTION;
  const M0 = SECTION_MODEL;
  if (s.modelBytes < <u64>HUSH_MODEL_FIXED_BYTES) return fail(s, HUSH_E_SECTION_SIZE, W, M0, <f64>s.modelBytes, HUSH_MODEL_FIXED_BYTES);
  const arch = rd32(s, base + MODEL_ARCH_AT);
  if (arch < 1 || arch > <u32>HUSH_ARCH_MAX) return fail(s, HUSH_E_ARCH, W, M0, <f64>arch, 0);
  const sr = rd32(s, base + MODEL_SAMPLE_RATE_AT);
  if (sr < <u32>HUSH_SAMPLE_RATE_MIN_HZ || sr > <u32>HUSH_SAMPLE_RATE_MAX_HZ) return fail(s, HUSH_E_SAMPLE_RATE, W, M0, <f64>sr, 0);
  const win = rd32(s, base + MODEL_WINDOW_AT);
  if (win < 1 || win > <u32>HUSH_MAX_WINDOW_SAMPLES) return fail(s, HUSH_E_WINDOW_SAMPLES, W, M0, <f64>win, 0);
  const hop = rd32(s, base + MODEL_HOP_AT);
  if (hop < 1 || hop > win) return fail(s, HUSH_E_HOP_SAMPLES, W, M0, <f64>hop, <f64>win);
  const fft = rd32(s, base + MODEL_FFT_AT);
  if (fft < win || fft > <u32>HUSH_MAX_WINDOW_SAMPLES) return fail(s, HUSH_E_FFT_SIZE, W, M0, <f64>fft, <f64>win);
  const wk = rd32(s, base + MODEL_WINDOW_KIND_AT);
  if (wk < 1 || wk > <u32>HUSH_WINDOW_MAX) return fail(s, HUSH_E_WINDOW_KIND, W, M0, <f64>wk, 0);
  const nh = rd32(s, base + MODEL_HPARAM_COUNT_AT);
  if (nh > <u32>HUSH_MAX_HPARAMS) return fail(s, HUSH_E_HPARAM_COUNT, W, M0, <f64>nh, HUSH_MAX_HPARAMS);
  const nm = rd32(s, base + MODEL_META_COUNT_AT);
  if (nm > <u32>HUSH_MAX_META) return fail(s, HUSH_E_META_COUNT, W, M0, <f64>nm, HUSH_MAX_META);
  const nv = rd32(s, base + MODEL_VALUE_COUNT_AT);
  if (nv > <u32>HUSH_MAX_VALUES) return fail(s, HUSH_E_VALUE_LIMIT, W, M0, <f64>nv, HUSH_MAX_VALUES);
  const task = rd32(s, base + MODEL_TASK_AT);
  if (task > <u32>HUSH_TASK_MAX) return fail(s, HUSH_E_TASK, W, M0, <f64>task, <f64>s.minor);
  const outputs = rd32(s, base + MODEL_OUTPUT_COUNT_AT);
  const outputsOk = task == <u32>HUSH_TASK_ENHANCE ? outputs == 0 : outputs >= <u32>HUSH_MIN_SEPARATE_OUTPUTS && outputs <= <u32>HUSH_MAX_OUTPUTS;
  if (!outputsOk) return fail(s, HUSH_E_OUTPUT_COUNT, W, M0, <f64>outputs, <f64>task);
  if ((arch > <u32>HUSH_ARCH_ENHANCE_MAX) != (task == <u32>HUSH_TASK_SEPARATE)) return fail(s, HUSH_E_ARCH_TASK, W, M0, <f64>arch, <f64>task);
  if (reserved32(s, W, M0, base + <u64>MODEL_RESERVED_AT)) return true;
  const expectedBytes = <u64>HUSH_MODEL_FIXED_BYTES + <u64>HUSH_HPARAM_BYTES * nh + <u64>HUSH_META_BYTES * nm + 8 * <u64>nv;
  if (s.modelBytes != expectedBytes) return fail(s, HUSH_E_SECTION_SIZE, W, M0, <f64>s.modelBytes, <f64>expectedBytes);

  const hp0 = base + HUSH_MODEL_FIXED_BYTES;
  const meta0 = hp0 + <u64>HUSH_HPARAM_BYTES * nh;
  const values0 = meta0 + <u64>HUSH_META_BYTES * nm;
  let used: u64 = 0;
  for (let i: u32 = 0; i < nh; i++) {
    const e = hp0 + <u64>HUSH_HPARAM_BYTES * i;
    if (checkName(s, HUSH_WHERE_HPARAM, i, rd32(s, e + HPARAM_NAME_OFFSET_AT), rd32(s, e + HPARAM_NAME_BYTES_AT))) return true;
    const dup = duplicateOf(s, hp0, HUSH_HPARAM_BYTES, i);
    if (dup >= 0) return fail(s, HUSH_E_NAME_DUPLICATE, HUSH_WHERE_HPARAM, i, <f64>dup, 0);
    const kind = rd32(s, e + HPARAM_KIND_AT);
    if (kind > <u32>HUSH_HPARAM_LIST) return fail(s, HUSH_E_HPARAM_KIND, HUSH_WHERE_HPARAM, i, <f64>kind, 0);
    const n = <u64>rd32(s, e + HPARAM_COUNT_AT);
    if (kind == <u32>HUSH_HPARAM_NUMBER && n != 1) return fail(s, HUSH_E_HPARAM_NUMBER_COUNT, HUSH_WHERE_HPARAM, i, <f64>n, 0);
    if (used + n > <u64>nv) return fail(s, HUSH_E_HPARAM_VALUES_PAST, HUSH_WHERE_HPARAM, i, <f64>(used + n), <f64>nv);
    for (let j: u64 = 0; j < n; j++) {
      if (!isFinite<f64>(rdF64(s, values0 + 8 * (used + j)))) return fail(s, HUSH_E_HPARAM_VALUE, HUSH_WHERE_HPARAM, i, <f64>j, 0);
    }
    used += n;
  }
  if (used != <u64>nv) return fail(s, HUSH_E_VALUE_COUNT, W, M0, <f64>used, <f64>nv);
  for (let i: u32 = 0; i < nm; i++) {
    const e = meta0 + <u64>HUSH_META_BYTES * i;
    if (checkName(s, HUSH_WHERE_META, i, rd32(s, e + META_KEY_OFFSET_AT), rd32(s, e + META_KEY_BYTES_AT))) return true;
    const dup = duplicateOf(s, meta0, HUSH_META_BYTES, i);
    if (dup >= 0) return fail(s, HUSH_E_NAME_DUPLICATE, HUSH_WHERE_META, i, <f64>dup, 0);
    const vOff = <u64>rd32(s, e + META_VALUE_OFFSET_AT);
    const vLen = <u64>rd32(s, e + META_VALUE_BYTES_AT);
    if (vLen > <u64>HUSH_MAX_META_VALUE_BYTES) return fail(s, HUSH_E_META_VALUE_LENGTH, HUSH_WHERE_META, i, <f64>vLen, HUSH_MAX_META_VALUE_BYTES);
    if (vOff + vLen > s.stringsBytes) return fail(s, HUSH_E_META_VALUE_PAST_STRINGS, HUSH_WHERE_META, i, <f64>(vOff + vLen), <f64>s.stringsBytes);
    const p = span(s, s.stringsOff + vOff, vLen);
    const bad = p ? utf8InvalidAt(p, <u32>vLen) : -1;
    if (bad >= 0) return fail(s, HUSH_E_META_VALUE_UTF8, HUSH_WHERE_META, i, <f64>bad, 0);
  }
  return false;
}

// -- tensors -------------------------------------------------------------------------------------

/** Gap-coded ascending list of n values < limit in the block [start, start + bytes), w-bit codes. */
function checkGaps(s: HushState, i: u32, start: u64, bytes: u64, n: u64, w: u32, limit: u64, rangeCode: i32): bool {
  const T = HUSH_WHERE_TENSOR;
  const escape: u32 = (1 << w) - 1;
  const total = bytes * 8;
  let bitPos: u64 = 0;
  let next: u64 = 0;
  for (let j: u64 = 0; j < n; j++) {
    let g: u64 = 0;
    while (true) {
      if (bitPos + <u64>w > total) return fail(s, HUSH_E_GAP_STREAM_SHORT, T, i, <f64>j, 0);
      const c = bitsAt(s, start, bitPos, w);
      bitPos += w;
      g += c;
      if (c != escape) break;
    }
    const v = next + g;
    if (v >= limit) return fail(s, rangeCode, T, i, <f64>j, <f64>v);
    next = v + 1;
  }
  const used = ceilDiv8(bitPos);
  if (used != bytes) return fail(s, HUSH_E_GAP_STREAM_LENGTH, T, i, <f64>bytes, <f64>used);
  if ((bitPos & 7) != 0 && (rd8(s, start + used - 1) >>> <u32>(bitPos & 7)) != 0) return fail(s, HUSH_E_GAP_PADDING, T, i, 0, 0);
  return false;
}

function checkTensors(s: HushState): bool {
  const T = HUSH_WHERE_TENSOR;
  const tc = s.tensorCount;
  const len = s.fileLen;
  let cursor: u64 = 0; // next payload's offset in the data section
  let prevEnd: u64 = 0; // end of the previous non-empty payload
  // MPO chain: cores still expected after entry mpoParent, bond, factor products
  let mpoLeft: u32 = 0;
  let mpoParent: u32 = 0;
  let mpoCore: u32 = 0;
  let mpoBond: u64 = 1;
  let mpoRows: u64 = 0;
  let mpoCols: u64 = 0;
  let mpoRowProd: u64 = 1;
  let mpoColProd: u64 = 1;
  for (let i: u32 = 0; i < tc; i++) {
    if (s.fault) return true;
    const e = s.tableOff + <u64>HUSH_TENSOR_BYTES * i;
    if (checkName(s, T, i, rd32(s, e + TENSOR_NAME_OFFSET_AT), rd32(s, e + TENSOR_NAME_BYTES_AT))) return true;
    const dup = duplicateOf(s, s.tableOff, HUSH_TENSOR_BYTES, i);
    if (dup >= 0) return fail(s, HUSH_E_NAME_DUPLICATE, T, i, <f64>dup, 0);
    const enc = rd8(s, e + TENSOR_ENCODING_AT);
    if (enc < 1 || enc > <u32>HUSH_ENC_MAX) return fail(s, HUSH_E_ENCODING, T, i, <f64>enc, <f64>s.minor);
    const rank = rd8(s, e + TENSOR_RANK_AT);
    if (rank > <u32>HUSH_MAX_RANK) return fail(s, HUSH_E_RANK, T, i, <f64>rank, HUSH_MAX_RANK);
    const flags = rd8(s, e + TENSOR_FLAGS_AT);
    const r0 = rd8(s, e + TENSOR_RESERVED0_AT);
    if (r0 != 0) return fail(s, HUSH_E_RESERVED, T, i, <f64>(e + TENSOR_RESERVED0_AT), <f64>r0);
    let elements: u64 = 1;
    for (let d: u32 = 0; d < <u32>HUSH_MAX_RANK; d++) {
      const dim = <u64>rd32(s, e + TENSOR_DIMS_AT + 4 * d);
      if (d < rank) {
        if (dim == 0) return fail(s, HUSH_E_DIM_ZERO, T, i, <f64>d, 0);
        elements *= dim;
        if (elements > <u64>HUSH_MAX_ELEMENTS) return fail(s, HUSH_E_TOO_MANY_ELEMENTS, T, i, 0, HUSH_MAX_ELEMENTS);
      } else if (dim != 0) return fail(s, HUSH_E_RESERVED, T, i, <f64>(e + TENSOR_DIMS_AT + 4 * d), <f64>dim);
    }
    const count = <u64>rd32(s, e + TENSOR_COUNT_AT);
    if (count != elements) return fail(s, HUSH_E_COUNT, T, i, <f64>count, <f64>elements);
    if ((flags & ~<u32>HUSH_TF_ALL) != 0) return fail(s, HUSH_E_FLAGS, T, i, <f64>flags, 0);
    if (reserved32(s, T, i, e + TENSOR_RESERVED1_AT)) return true;
    const dim0: u64 = rank > 0 ? <u64>rd32(s, e + TENSOR_DIMS_AT) : 1;

    // MPO chains: an MPO entry is followed by exactly its cores, each flagged HUSH_TF_MPO_CORE.
    const isCore = (flags & <u32>HUSH_TF_MPO_CORE) != 0;
    if (mpoLeft > 0) {
      if (!isCore) return fail(s, HUSH_E_MPO_CORE_MISSING, T, mpoParent, <f64>mpoCore, <f64>i);
      if (enc == <u32>HUSH_ENC_MPO) return fail(s, HUSH_E_MPO_NESTED, T, i, 0, 0);
      if (rank != 4) return fail(s, HUSH_E_MPO_CORE_RANK, T, i, <f64>rank, 0);
      const c0 = <u64>rd32(s, e + TENSOR_DIMS_AT);
      const c1 = <u64>rd32(s, e + TENSOR_DIMS_AT + 4);
      const c2 = <u64>rd32(s, e + TENSOR_DIMS_AT + 8);
      const c3 = <u64>rd32(s, e + TENSOR_DIMS_AT + 12);
      if (c0 != mpoBond) return fail(s, HUSH_E_MPO_BOND, T, i, <f64>c0, <f64>mpoBond);
      if (c3 > <u64>HUSH_MAX_MPO_BOND) return fail(s, HUSH_E_MPO_BOND_LIMIT, T, i, <f64>c3, HUSH_MAX_MPO_BOND);
      mpoRowProd *= c1;
      if (mpoRowProd > mpoRows) return fail(s, HUSH_E_MPO_ROWS, T, mpoParent, <f64>mpoRowProd, <f64>mpoRows);
      mpoColProd *= c2;
      if (mpoColProd > mpoCols) return fail(s, HUSH_E_MPO_COLS, T, mpoParent, <f64>mpoColProd, <f64>mpoCols);
      mpoBond = c3;
      mpoLeft--;
      mpoCore++;
      if (mpoLeft == 0) {
        if (mpoBond != 1) return fail(s, HUSH_E_MPO_BOND, T, i, <f64>mpoBond, 1);
        if (mpoRowProd != mpoRows) return fail(s, HUSH_E_MPO_ROWS, T, mpoParent, <f64>mpoRowProd, <f64>mpoRows);
        if (mpoColProd != mpoCols) return fail(s, HUSH_E_MPO_COLS, T, mpoParent, <f64>mpoColProd, <f64>mpoCols);
      }
    } else if (isCore) return fail(s, HUSH_E_MPO_ORPHAN_CORE, T, i, 0, 0);

    const dataOffset = <u64>rd32(s, e + TENSOR_DATA_OFFSET_AT);
    if (dataOffset != cursor) return fail(s, HUSH_E_DATA_OFFSET, T, i, <f64>dataOffset, <f64>cursor);
    const dataBytes = <u64>rd32(s, e + TENSOR_DATA_BYTES_AT);

    // Encoding parameters → blocks A (dense data | codebook) at 0, B (index stream | sparse values)
    // at align(A), C (sparsity) at align(B end).
    let aBytes: u64 = 0;
    let aCode = HUSH_E_DATA_PAST_END;
    let bOff: u64 = 0;
    let bBytes: u64 = 0;
    let bCode = HUSH_E_INDEX_PAST_END;
    let cOff: u64 = 0;
    let cBytes: u64 = 0;
    let expected: u64 = 0;
    let k: u64 = 0;
    let bits: u32 = 0;
    let dsize: u64 = 4;
    let sparsity: u32 = 0;
    let nonzeros: u64 = 0;
    let w: u32 = 0;
    let groups: u64 = 0;
    let groupSize: u64 = 1;
    if (enc == <u32>HUSH_ENC_F32 || enc == <u32>HUSH_ENC_F16) {
      for (let p = TENSOR_PARAMS_AT; p < HUSH_TENSOR_BYTES; p += 4) if (reserved32(s, T, i, e + <u64>p)) return true;
      dsize = enc == <u32>HUSH_ENC_F32 ? 4 : 2;
      aBytes = count * dsize;
      bOff = alignOffset(aBytes);
      cOff = bOff;
      expected = aBytes;
    } else if (enc == <u32>HUSH_ENC_KMEANS || enc == <u32>HUSH_ENC_SPARSE) {
      k = <u64>rd32(s, e + TENSOR_K_AT);
      bits = rd8(s, e + TENSOR_BITS_AT);
      if (enc == <u32>HUSH_ENC_KMEANS) {
        if (k < 1 || k > <u64>HUSH_MAX_K) return fail(s, HUSH_E_K_RANGE, T, i, <f64>k, HUSH_MAX_K);
        const eb = ceilLog2(<u32>k);
        if (bits != eb) return fail(s, HUSH_E_BITS, T, i, <f64>bits, <f64>eb);
      } else {
        if (k != 0) return fail(s, HUSH_E_RESERVED, T, i, <f64>(e + TENSOR_K_AT), <f64>k);
        if (bits != 0) return fail(s, HUSH_E_RESERVED, T, i, <f64>(e + TENSOR_BITS_AT), <f64>bits);
      }
      const vdt = rd8(s, e + TENSOR_VALUE_DTYPE_AT);
      if (vdt != <u32>HUSH_DTYPE_F32 && vdt != <u32>HUSH_DTYPE_F16) return fail(s, HUSH_E_DTYPE, T, i, <f64>vdt, 0);
      dsize = vdt == <u32>HUSH_DTYPE_F32 ? 4 : 2;
      const coding = rd8(s, e + TENSOR_STREAM_CODING_AT);
      if (coding != <u32>HUSH_STREAM_PACKED) return fail(s, HUSH_E_STREAM_CODING, T, i, <f64>coding, <f64>s.minor);
      sparsity = rd8(s, e + TENSOR_SPARSITY_AT);
      if (sparsity > <u32>HUSH_SPARSITY_MAX) return fail(s, HUSH_E_SPARSITY_KIND, T, i, <f64>sparsity, <f64>s.minor);
      nonzeros = <u64>rd32(s, e + TENSOR_NONZEROS_AT);
      if (nonzeros > count) return fail(s, HUSH_E_NONZEROS, T, i, <f64>nonzeros, <f64>count);
      if (reserved32(s, T, i, e + TENSOR_PARAMS_RESERVED_AT)) return true;
      if (reserved32(s, T, i, e + TENSOR_PARAMS_RESERVED_AT + 4)) return true;
      const streamBytes = <u64>rd32(s, e + TENSOR_STREAM_BYTES_AT);
      const expStream = enc == <u32>HUSH_ENC_KMEANS ? ceilDiv8(nonzeros * <u64>bits) : nonzeros * dsize;
      if (streamBytes != expStream) return fail(s, HUSH_E_STREAM_BYTES, T, i, <f64>streamBytes, <f64>expStream);
      cBytes = <u64>rd32(s, e + TENSOR_SPARSITY_BYTES_AT);
      const param = rd32(s, e + TENSOR_SPARSITY_PARAM_AT);
      if (sparsity == <u32>HUSH_SPARSITY_NONE) {
        if (nonzeros != count) return fail(s, HUSH_E_SPARSITY_NONE_COUNT, T, i, <f64>nonzeros, <f64>count);
        if (param != 0) return fail(s, HUSH_E_SPARSITY_PARAM, T, i, <f64>param, 0);
        if (cBytes != 0) return fail(s, HUSH_E_SPARSITY_BYTES, T, i, <f64>cBytes, 0);
      } else if (sparsity == <u32>HUSH_SPARSITY_BITMAP) {
        if (param != 0) return fail(s, HUSH_E_SPARSITY_PARAM, T, i, <f64>param, 0);
        const eb = ceilDiv8(count);
        if (cBytes != eb) return fail(s, HUSH_E_SPARSITY_BYTES, T, i, <f64>cBytes, <f64>eb);
      } else if (sparsity == <u32>HUSH_SPARSITY_DELTA) {
        w = param & 0xff;
        if ((param >>> 8) != 0 || w < 1 || w > <u32>HUSH_MAX_GAP_BITS) return fail(s, HUSH_E_SPARSITY_PARAM, T, i, <f64>param, 0);
      } else if (sparsity == <u32>HUSH_SPARSITY_BLOCKS) {
        // docs/format.md "Blocks": br×bc blocks of the matrix view [dim0][count / dim0]
        w = param & 0xff;
        const br = (param >>> 8) & 0xff;
        const bc = (param >>> 16) & 0xff;
        if ((param >>> 24) != 0 || w < 1 || w > <u32>HUSH_MAX_GAP_BITS) return fail(s, HUSH_E_SPARSITY_PARAM, T, i, <f64>param, 0);
        if (!blockShapeValid(br, bc)) return fail(s, HUSH_E_BLOCK_SHAPE, T, i, <f64>br, <f64>bc);
        if (rank < 2) return fail(s, HUSH_E_BLOCK_RANK, T, i, <f64>rank, 0);
        const cols = count / dim0;
        if (dim0 % <u64>br != 0 || cols % <u64>bc != 0) return fail(s, HUSH_E_BLOCK_TILING, T, i, <f64>dim0, <f64>cols);
        groups = (dim0 / <u64>br) * (cols / <u64>bc);
        groupSize = <u64>(br * bc);
        if (nonzeros % groupSize != 0) return fail(s, HUSH_E_BLOCK_NONZEROS, T, i, <f64>nonzeros, <f64>groupSize);
      } else {
        w = param & 0xff;
        const axis = (param >>> 8) & 0xff;
        if ((param >>> 16) != 0 || w < 1 || w > <u32>HUSH_MAX_GAP_BITS) return fail(s, HUSH_E_SPARSITY_PARAM, T, i, <f64>param, 0);
        if (axis > <u32>HUSH_GROUP_KERNEL || (axis == <u32>HUSH_GROUP_DIM0 && rank < 1) || (axis != <u32>HUSH_GROUP_DIM0 && rank < 2)) {
          return fail(s, HUSH_E_GROUP_AXIS, T, i, <f64>axis, <f64>rank);
        }
        const dim1: u64 = rank > 1 ? <u64>rd32(s, e + TENSOR_DIMS_AT + 4) : 1;
        groups = axis == <u32>HUSH_GROUP_DIM0 ? dim0 : axis == <u32>HUSH_GROUP_DIM1 ? dim1 : dim0 * dim1;
        groupSize = count / groups;
        if (nonzeros % groupSize != 0) return fail(s, HUSH_E_GROUP_NONZEROS, T, i, <f64>nonzeros, <f64>groupSize);
      }
      if (enc == <u32>HUSH_ENC_KMEANS) {
        aBytes = k * dsize;
        aCode = HUSH_E_CODEBOOK_PAST_END;
      } else {
        bCode = HUSH_E_VALUES_PAST_END;
      }
      bOff = alignOffset(aBytes);
      bBytes = streamBytes;
      cOff = alignOffset(bOff + bBytes);
      expected = cOff + cBytes;
    } else {
      // HUSH_ENC_MPO: no payload of its own; its cores follow in the table.
      if (rank == 0) return fail(s, HUSH_E_MPO_RANK, T, i, <f64>rank, 0);
      const cores = rd32(s, e + TENSOR_MPO_CORES_AT);
      if (cores < 1 || cores > <u32>HUSH_MAX_MPO_CORES) return fail(s, HUSH_E_MPO_CORE_COUNT, T, i, <f64>cores, HUSH_MAX_MPO_CORES);
      if (<u64>i + <u64>cores >= <u64>tc) return fail(s, HUSH_E_MPO_CORES_PAST_TABLE, T, i, <f64>(<u64>i + <u64>cores), <f64>tc);
      for (let p = TENSOR_MPO_CORES_AT + 4; p < HUSH_TENSOR_BYTES; p += 4) if (reserved32(s, T, i, e + <u64>p)) return true;
      mpoLeft = cores;
      mpoParent = i;
      mpoCore = 0;
      mpoBond = 1;
      mpoRows = dim0;
      mpoCols = count / dim0;
      mpoRowProd = 1;
      mpoColProd = 1;
    }
    if (dataBytes != expected) return fail(s, HUSH_E_PAYLOAD_SIZE, T, i, <f64>dataBytes, <f64>expected);

    if (dataBytes > 0) {
      const abs = s.dataOff + cursor;
      if (aBytes > 0 && abs + aBytes > len) return fail(s, aCode, T, i, <f64>(abs + aBytes - len), 0);
      if (bBytes > 0 && abs + bOff + bBytes > len) return fail(s, bCode, T, i, <f64>(abs + bOff + bBytes - len), 0);
      if (cBytes > 0 && abs + cOff + cBytes > len) return fail(s, HUSH_E_SPARSITY_PAST_END, T, i, <f64>(abs + cOff + cBytes - len), 0);
      if (abs + dataBytes > len) return fail(s, HUSH_E_DATA_PAST_END, T, i, <f64>(abs + dataBytes - len), 0);
      if (padding(s, T, i, s.dataOff + prevEnd, abs)) return true;
      if ((bBytes > 0 || cBytes > 0) && padding(s, T, i, abs + aBytes, abs + bOff)) return true;
      if (cBytes > 0 && padding(s, T, i, abs + bOff + bBytes, abs + cOff)) return true;
      const stored = rd32(s, e + TENSOR_DATA_CRC_AT);
      const computed = crcAt(s, abs, dataBytes);
      if (stored != computed) return fail(s, HUSH_E_PAYLOAD_CRC, T, i, <f64>stored, <f64>computed);

      // Contents.
      if (enc == <u32>HUSH_ENC_F32) {
        for (let j: u64 = 0; j < count; j++) if (!isFinite<f32>(rdF32(s, abs + 4 * j))) return fail(s, HUSH_E_VALUE_NOT_FINITE, T, i, <f64>j, 0);
      } else if (enc == <u32>HUSH_ENC_F16) {
        for (let j: u64 = 0; j < count; j++) if (!isFiniteF16(rd16(s, abs + 2 * j))) return fail(s, HUSH_E_VALUE_NOT_FINITE, T, i, <f64>j, 0);
      } else if (enc == <u32>HUSH_ENC_KMEANS || enc == <u32>HUSH_ENC_SPARSE) {
        const isK = enc == <u32>HUSH_ENC_KMEANS;
        const vals = isK ? k : nonzeros;
        const vAt = isK ? abs : abs + bOff;
        const vCode = isK ? HUSH_E_CODEBOOK_NOT_FINITE : HUSH_E_VALUE_NOT_FINITE;
        for (let j: u64 = 0; j < vals; j++) {
          const finite = dsize == 4 ? isFinite<f32>(rdF32(s, vAt + 4 * j)) : isFiniteF16(rd16(s, vAt + 2 * j));
          if (!finite) return fail(s, vCode, T, i, <f64>j, 0);
        }
        if (isK && bits > 0) {
          const at = abs + bOff;
          if (k < (<u64>1 << bits)) {
            for (let j: u64 = 0; j < nonzeros; j++) {
              const idx = bitsAt(s, at, j * <u64>bits, bits);
              if (<u64>idx >= k) return fail(s, HUSH_E_INDEX_RANGE, T, i, <f64>j, <f64>idx);
            }
          }
          const tail = <u32>((nonzeros * <u64>bits) & 7);
          if (tail != 0 && (rd8(s, at + bBytes - 1) >>> tail) != 0) return fail(s, HUSH_E_INDEX_PADDING, T, i, 0, 0);
        }
        const cAt = abs + cOff;
        if (sparsity == <u32>HUSH_SPARSITY_BITMAP) {
          const tail = <u32>(count & 7);
          if (tail != 0 && (rd8(s, cAt + cBytes - 1) >>> tail) != 0) return fail(s, HUSH_E_BITMAP_PADDING, T, i, 0, 0);
          let pop: u64 = 0;
          for (let j: u64 = 0; j < cBytes; j++) pop += <u64>popcnt<u32>(rd8(s, cAt + j));
          if (pop != nonzeros) return fail(s, HUSH_E_BITMAP_COUNT, T, i, <f64>pop, <f64>nonzeros);
        } else if (sparsity == <u32>HUSH_SPARSITY_DELTA) {
          if (checkGaps(s, i, cAt, cBytes, nonzeros, w, count, HUSH_E_POSITION_RANGE)) return true;
        } else if (sparsity == <u32>HUSH_SPARSITY_GROUPS) {
          if (checkGaps(s, i, cAt, cBytes, nonzeros / groupSize, w, groups, HUSH_E_GROUP_RANGE)) return true;
        } else if (sparsity == <u32>HUSH_SPARSITY_BLOCKS) {
          if (checkGaps(s, i, cAt, cBytes, nonzeros / groupSize, w, groups, HUSH_E_BLOCK_RANGE)) return true;
        }
      }
      prevEnd = cursor + dataBytes;
      cursor = alignOffset(prevEnd);
    } else {
      const stored = rd32(s, e + TENSOR_DATA_CRC_AT);
      if (stored != 0) return fail(s, HUSH_E_PAYLOAD_CRC, T, i, <f64>stored, 0); // CRC-32 of nothing
    }
  }
  const dataBytesHdr = <u64>rd32(s, HDR_DATA_BYTES_AT);
  if (dataBytesHdr != cursor) return fail(s, HUSH_E_SECTION_SIZE, HUSH_WHERE_SECTION, SECTION_DATA, <f64>dataBytesHdr, <f64>cursor);
  const end = s.dataOff + cursor;
  if (end > len) return fail(s, HUSH_E_SECTION_PAST_END, HUSH_WHERE_SECTION, SECTION_DATA, <f64>(end - len), 0);
  if (padding(s, HUSH_WHERE_SECTION, SECTION_DATA, s.dataOff + prevEnd, end)) return true;
  const fileBytes = <u64>rd32(s, HDR_FILE_BYTES_AT);
  if (fileBytes != len) return fail(s, HUSH_E_FILE_SIZE, HUSH_WHERE_FILE, 0, <f64>fileBytes, <f64>len);
  if (end != len) return fail(s, HUSH_E_TRAILING_BYTES, HUSH_WHERE_FILE, 0, <f64>(len - end), 0);
  s.dataBytes = cursor;
  return false;
}

/**
 * Validates the file at [filePtr, filePtr + fileLen) into state block `s`; returns HUSH_OK or the
 * first failed check's code (details in s.where/index/a/b). A refused out-of-file read overrides any
 * result with HUSH_E_INTERNAL_BOUNDS.
 */
export function hushValidate(s: HushState, filePtr: usize, fileLen: u32): i32 {
  memory.fill(changetype<usize>(s), 0, offsetof<HushState>());
  s.filePtr = filePtr;
  s.fileLen = fileLen;
  s.code = HUSH_OK;
  if (!checkHeader(s) && !s.fault) {
    if (!checkSections(s) && !s.fault) {
      if (!checkModel(s) && !s.fault) checkTensors(s);
    }
  }
  if (s.fault) {
    s.code = HUSH_E_INTERNAL_BOUNDS;
    s.where = HUSH_WHERE_FILE;
    s.index = 0;
    s.a = s.faultAt;
    s.b = 0;
  }
  return s.code;
}
