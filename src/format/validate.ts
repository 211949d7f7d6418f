/**
 * The `.hush` validation algorithm (docs/format.md "Reader algorithm"), in TypeScript. It checks every
 * count, offset, size, checksum and stream of a file before anything is decoded, in a fixed order, and
 * stops at the first problem with an error record {code, where, index, a, b}.
 *
 * assembly/format/reader.ts is a line-by-line port: the fuzz test feeds both the same mutated files and
 * requires identical records, so a change here must be made there too, in the same order.
 *
 * Every read goes through one bounds-checked accessor (`u8`…`f64`); a read outside the file throws
 * HushBoundsFault, turned into HUSH_E_INTERNAL_BOUNDS — a bug in this file, never a file problem.
 */
import { crc32 } from './crc32.js';
import { utf8InvalidAt } from './utf8.js';
import * as S from './spec.js';

/** Where and why a file was rejected; `a`/`b` fill the message template of `code` (spec.ts). */
export interface HushErrorRecord {
  code: number;
  where: number;
  index: number;
  a: number;
  b: number;
}

/** Section offsets and counts of a file that passed validation (absolute byte offsets). */
export interface HushValidLayout {
  versionMajor: number;
  versionMinor: number;
  tensorCount: number;
  modelOffset: number;
  stringsOffset: number;
  stringsBytes: number;
  tableOffset: number;
  dataOffset: number;
  dataBytes: number;
}

class HushReject {
  constructor(readonly record: HushErrorRecord) {}
}

class HushBoundsFault {
  constructor(readonly at: number) {}
}

/** ⌈log2 k⌉ for k ≥ 1 (0 for k = 1): the index width of a K-entry codebook. */
export function ceilLog2(k: number): number {
  let b = 0;
  while (2 ** b < k) b++;
  return b;
}

const NEG = -1;

/** Validation state over one file. Mirrors `HushState` in assembly/format/reader.ts. */
class Check {
  readonly len: number;
  private readonly view: DataView;
  minor = 0;
  tensorCount = 0;
  modelOff = 0;
  modelBytes = 0;
  stringsOff = 0;
  stringsBytes = 0;
  tableOff = 0;
  dataOff = 0;

  constructor(readonly bytes: Uint8Array) {
    this.len = bytes.length;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(code: number, where: number, index: number, a: number, b: number): never {
    throw new HushReject({ code, where, index, a, b });
  }

  // -- the one bounds-checked accessor family --------------------------------------------------
  private span(off: number, n: number): number {
    if (off < 0 || off + n > this.len) throw new HushBoundsFault(off);
    return off;
  }
  u8(off: number): number {
    return this.bytes[this.span(off, 1)];
  }
  u16(off: number): number {
    return this.view.getUint16(this.span(off, 2), true);
  }
  u32(off: number): number {
    return this.view.getUint32(this.span(off, 4), true);
  }
  f32(off: number): number {
    return this.view.getFloat32(this.span(off, 4), true);
  }
  f64(off: number): number {
    return this.view.getFloat64(this.span(off, 8), true);
  }
  crc(off: number, n: number): number {
    this.span(off, n);
    return crc32(this.bytes, off, off + n);
  }
  /** w-bit LSB-first value at stream bit `bitPos` of the block at `start` (reads only the bytes it needs). */
  bits(start: number, bitPos: number, w: number): number {
    const first = start + Math.floor(bitPos / 8);
    const last = start + Math.floor((bitPos + w - 1) / 8);
    let word = this.u8(first);
    if (last > first) word |= this.u8(first + 1) << 8;
    if (last > first + 1) word |= this.u8(first + 2) << 16;
    return (word >>> bitPos % 8) & ((1 << w) - 1);
  }
  utf8Bad(off: number, n: number): number {
    this.span(off, n);
    return utf8InvalidAt(this.bytes, off, off + n);
  }
  nameEq(offA: number, offB: number, n: number): boolean {
    for (let k = 0; k < n; k++) if (this.u8(offA + k) !== this.u8(offB + k)) return false;
    return true;
  }

  // -- checks -------------------------------------------------------------------------------
  /** bytes [from, to) must be zero. */
  padding(where: number, index: number, from: number, to: number): void {
    for (let p = from; p < to; p++) {
      const v = this.u8(p);
      if (v !== 0) this.fail(S.HUSH_E_PADDING, where, index, p, v);
    }
  }
  reserved32(where: number, index: number, at: number): void {
    const v = this.u32(at);
    if (v !== 0) this.fail(S.HUSH_E_RESERVED, where, index, at, v);
  }

  header(): void {
    const len = this.len;
    if (len < S.HUSH_HEADER_BYTES) this.fail(S.HUSH_E_TRUNCATED_HEADER, S.HUSH_WHERE_FILE, 0, len, S.HUSH_HEADER_BYTES);
    const magic = this.u32(S.HDR_MAGIC_AT);
    if (magic !== S.HUSH_MAGIC) this.fail(S.HUSH_E_BAD_MAGIC, S.HUSH_WHERE_FILE, 0, magic, S.HUSH_MAGIC);
    const major = this.u16(S.HDR_VERSION_MAJOR_AT);
    this.minor = this.u16(S.HDR_VERSION_MINOR_AT);
    if (major !== S.HUSH_VERSION_MAJOR) this.fail(S.HUSH_E_VERSION, S.HUSH_WHERE_FILE, 0, major, this.minor);
    const stored = this.u32(S.HDR_CRC_AT);
    const computed = this.crc(0, S.HDR_CRC_AT);
    if (stored !== computed) this.fail(S.HUSH_E_HEADER_CRC, S.HUSH_WHERE_FILE, 0, stored, computed);
    const hb = this.u32(S.HDR_HEADER_BYTES_AT);
    if (hb !== S.HUSH_HEADER_BYTES) this.fail(S.HUSH_E_HEADER_SIZE, S.HUSH_WHERE_FILE, 0, hb, S.HUSH_HEADER_BYTES);
    this.reserved32(S.HUSH_WHERE_FILE, 0, S.HDR_FLAGS_AT);
    this.reserved32(S.HUSH_WHERE_FILE, 0, S.HDR_RESERVED_AT);
    this.reserved32(S.HUSH_WHERE_FILE, 0, S.HDR_RESERVED_AT + 4);
    this.tensorCount = this.u32(S.HDR_TENSOR_COUNT_AT);
    if (this.tensorCount > S.HUSH_MAX_TENSORS) this.fail(S.HUSH_E_TENSOR_COUNT, S.HUSH_WHERE_FILE, 0, this.tensorCount, S.HUSH_MAX_TENSORS);
  }

  sections(): number {
    let expected = S.HUSH_HEADER_BYTES;
    let prevEnd = S.HUSH_HEADER_BYTES;
    for (let s = S.SECTION_MODEL; s <= S.SECTION_TABLE; s++) {
      const at = S.HDR_MODEL_AT + 12 * s;
      const off = this.u32(at);
      const size = this.u32(at + 4);
      const stored = this.u32(at + 8);
      if (off !== expected) this.fail(S.HUSH_E_SECTION_OFFSET, S.HUSH_WHERE_SECTION, s, off, expected);
      if (s === S.SECTION_TABLE && size !== this.tensorCount * S.HUSH_TENSOR_BYTES) {
        this.fail(S.HUSH_E_SECTION_SIZE, S.HUSH_WHERE_SECTION, s, size, this.tensorCount * S.HUSH_TENSOR_BYTES);
      }
      if (off + size > this.len) this.fail(S.HUSH_E_SECTION_PAST_END, S.HUSH_WHERE_SECTION, s, off + size - this.len, 0);
      this.padding(S.HUSH_WHERE_SECTION, s, prevEnd, off);
      const computed = this.crc(off, size);
      if (stored !== computed) this.fail(S.HUSH_E_SECTION_CRC, S.HUSH_WHERE_SECTION, s, stored, computed);
      if (s === S.SECTION_MODEL) {
        this.modelOff = off;
        this.modelBytes = size;
      } else if (s === S.SECTION_STRINGS) {
        this.stringsOff = off;
        this.stringsBytes = size;
      } else this.tableOff = off;
      prevEnd = off + size;
      expected = S.alignOffset(prevEnd);
    }
    const dataOff = this.u32(S.HDR_DATA_OFFSET_AT);
    if (dataOff !== expected) this.fail(S.HUSH_E_SECTION_OFFSET, S.HUSH_WHERE_SECTION, S.SECTION_DATA, dataOff, expected);
    if (dataOff > this.len) this.fail(S.HUSH_E_SECTION_PAST_END, S.HUSH_WHERE_SECTION, S.SECTION_DATA, dataOff - this.len, 0);
    this.padding(S.HUSH_WHERE_SECTION, S.SECTION_DATA, prevEnd, dataOff);
    this.dataOff = dataOff;
    return dataOff;
  }

  /** A name (or metadata key) reference into the strings section. */
  name(where: number, index: number, off: number, n: number): void {
    if (n < 1 || n > S.HUSH_MAX_NAME_BYTES) this.fail(S.HUSH_E_NAME_LENGTH, where, index, n, S.HUSH_MAX_NAME_BYTES);
    if (off + n > this.stringsBytes) this.fail(S.HUSH_E_NAME_PAST_STRINGS, where, index, off + n, this.stringsBytes);
    const bad = this.utf8Bad(this.stringsOff + off, n);
    if (bad >= 0) this.fail(S.HUSH_E_NAME_UTF8, where, index, bad, 0);
  }
  /** Index of an earlier entry (stride bytes apart from `first`) whose name equals entry i's, or -1. */
  duplicate(first: number, stride: number, i: number): number {
    const e = first + stride * i;
    const off = this.u32(e);
    const n = this.u32(e + 4);
    for (let j = 0; j < i; j++) {
      const f = first + stride * j;
      if (this.u32(f + 4) === n && this.nameEq(this.stringsOff + this.u32(f), this.stringsOff + off, n)) return j;
    }
    return NEG;
  }

  model(): void {
    const base = this.modelOff;
    const W = S.HUSH_WHERE_SECTION;
    const M0 = S.SECTION_MODEL;
    if (this.modelBytes < S.HUSH_MODEL_FIXED_BYTES) this.fail(S.HUSH_E_SECTION_SIZE, W, M0, this.modelBytes, S.HUSH_MODEL_FIXED_BYTES);
    const arch = this.u32(base + S.MODEL_ARCH_AT);
    if (arch < 1 || arch > S.HUSH_ARCH_MAX) this.fail(S.HUSH_E_ARCH, W, M0, arch, 0);
    const sr = this.u32(base + S.MODEL_SAMPLE_RATE_AT);
    if (sr < S.HUSH_SAMPLE_RATE_MIN_HZ || sr > S.HUSH_SAMPLE_RATE_MAX_HZ) this.fail(S.HUSH_E_SAMPLE_RATE, W, M0, sr, 0);
    const win = this.u32(base + S.MODEL_WINDOW_AT);
    if (win < 1 || win > S.HUSH_MAX_WINDOW_SAMPLES) this.fail(S.HUSH_E_WINDOW_SAMPLES, W, M0, win, 0);
    const hop = this.u32(base + S.MODEL_HOP_AT);
    if (hop < 1 || hop > win) this.fail(S.HUSH_E_HOP_SAMPLES, W, M0, hop, win);
    const fft = this.u32(base + S.MODEL_FFT_AT);
    if (fft < win || fft > S.HUSH_MAX_WINDOW_SAMPLES) this.fail(S.HUSH_E_FFT_SIZE, W, M0, fft, win);
    const wk = this.u32(base + S.MODEL_WINDOW_KIND_AT);
    if (wk < 1 || wk > S.HUSH_WINDOW_MAX) this.fail(S.HUSH_E_WINDOW_KIND, W, M0, wk, 0);
    const nh = this.u32(base + S.MODEL_HPARAM_COUNT_AT);
    if (nh > S.HUSH_MAX_HPARAMS) this.fail(S.HUSH_E_HPARAM_COUNT, W, M0, nh, S.HUSH_MAX_HPARAMS);
    const nm = this.u32(base + S.MODEL_META_COUNT_AT);
    if (nm > S.HUSH_MAX_META) this.fail(S.HUSH_E_META_COUNT, W, M0, nm, S.HUSH_MAX_META);
    const nv = this.u32(base + S.MODEL_VALUE_COUNT_AT);
    if (nv > S.HUSH_MAX_VALUES) this.fail(S.HUSH_E_VALUE_LIMIT, W, M0, nv, S.HUSH_MAX_VALUES);
    const task = this.u32(base + S.MODEL_TASK_AT);
    if (task > S.HUSH_TASK_MAX) this.fail(S.HUSH_E_TASK, W, M0, task, this.minor);
    const outputs = this.u32(base + S.MODEL_OUTPUT_COUNT_AT);
    const outputsOk = task === S.HUSH_TASK_ENHANCE ? outputs === 0 : outputs >= S.HUSH_MIN_SEPARATE_OUTPUTS && outputs <= S.HUSH_MAX_OUTPUTS;
    if (!outputsOk) this.fail(S.HUSH_E_OUTPUT_COUNT, W, M0, outputs, task);
    if ((arch > S.HUSH_ARCH_ENHANCE_MAX) !== (task === S.HUSH_TASK_SEPARATE)) this.fail(S.HUSH_E_ARCH_TASK, W, M0, arch, task);
    this.reserved32(W, M0, base + S.MODEL_RESERVED_AT);
    const expectedBytes = S.HUSH_MODEL_FIXED_BYTES + S.HUSH_HPARAM_BYTES * nh + S.HUSH_META_BYTES * nm + 8 * nv;
    if (this.modelBytes !== expectedBytes) this.fail(S.HUSH_E_SECTION_SIZE, W, M0, this.modelBytes, expectedBytes);

    const hp0 = base + S.HUSH_MODEL_FIXED_BYTES;
    const meta0 = hp0 + S.HUSH_HPARAM_BYTES * nh;
    const values0 = meta0 + S.HUSH_META_BYTES * nm;
    let used = 0;
    for (let i = 0; i < nh; i++) {
      const e = hp0 + S.HUSH_HPARAM_BYTES * i;
      this.name(S.HUSH_WHERE_HPARAM, i, this.u32(e + S.HPARAM_NAME_OFFSET_AT), this.u32(e + S.HPARAM_NAME_BYTES_AT));
      const dup = this.duplicate(hp0, S.HUSH_HPARAM_BYTES, i);
      if (dup >= 0) this.fail(S.HUSH_E_NAME_DUPLICATE, S.HUSH_WHERE_HPARAM, i, dup, 0);
      const kind = this.u32(e + S.HPARAM_KIND_AT);
      if (kind > S.HUSH_HPARAM_LIST) this.fail(S.HUSH_E_HPARAM_KIND, S.HUSH_WHERE_HPARAM, i, kind, 0);
      const n = this.u32(e + S.HPARAM_COUNT_AT);
      if (kind === S.HUSH_HPARAM_NUMBER && n !== 1) this.fail(S.HUSH_E_HPARAM_NUMBER_COUNT, S.HUSH_WHERE_HPARAM, i, n, 0);
      if (used + n > nv) this.fail(S.HUSH_E_HPARAM_VALUES_PAST, S.HUSH_WHERE_HPARAM, i, used + n, nv);
      for (let j = 0; j < n; j++) {
        if (!Number.isFinite(this.f64(values0 + 8 * (used + j)))) this.fail(S.HUSH_E_HPARAM_VALUE, S.HUSH_WHERE_HPARAM, i, j, 0);
      }
      used += n;
    }
    if (used !== nv) this.fail(S.HUSH_E_VALUE_COUNT, W, M0, used, nv);
    for (let i = 0; i < nm; i++) {
      const e = meta0 + S.HUSH_META_BYTES * i;
      this.name(S.HUSH_WHERE_META, i, this.u32(e + S.META_KEY_OFFSET_AT), this.u32(e + S.META_KEY_BYTES_AT));
      const dup = this.duplicate(meta0, S.HUSH_META_BYTES, i);
      if (dup >= 0) this.fail(S.HUSH_E_NAME_DUPLICATE, S.HUSH_WHERE_META, i, dup, 0);
      const vOff = this.u32(e + S.META_VALUE_OFFSET_AT);
      const vLen = this.u32(e + S.META_VALUE_BYTES_AT);
      if (vLen > S.HUSH_MAX_META_VALUE_BYTES) this.fail(S.HUSH_E_META_VALUE_LENGTH, S.HUSH_WHERE_META, i, vLen, S.HUSH_MAX_META_VALUE_BYTES);
      if (vOff + vLen > this.stringsBytes) this.fail(S.HUSH_E_META_VALUE_PAST_STRINGS, S.HUSH_WHERE_META, i, vOff + vLen, this.stringsBytes);
      const bad = this.utf8Bad(this.stringsOff + vOff, vLen);
      if (bad >= 0) this.fail(S.HUSH_E_META_VALUE_UTF8, S.HUSH_WHERE_META, i, bad, 0);
    }
  }

  /** Gap-coded ascending list of n values < limit in block [start, start+bytes), w-bit codes. */
  gaps(i: number, start: number, bytes: number, n: number, w: number, limit: number, rangeCode: number): void {
    const T = S.HUSH_WHERE_TENSOR;
    const escape = (1 << w) - 1;
    const total = bytes * 8;
    let bitPos = 0;
    let next = 0;
    for (let j = 0; j < n; j++) {
      let g = 0;
      for (;;) {
        if (bitPos + w > total) this.fail(S.HUSH_E_GAP_STREAM_SHORT, T, i, j, 0);
        const c = this.bits(start, bitPos, w);
        bitPos += w;
        g += c;
        if (c !== escape) break;
      }
      const v = next + g;
      if (v >= limit) this.fail(rangeCode, T, i, j, v);
      next = v + 1;
    }
    const used = Math.ceil(bitPos / 8);
    if (used !== bytes) this.fail(S.HUSH_E_GAP_STREAM_LENGTH, T, i, bytes, used);
    if (bitPos % 8 !== 0 && this.u8(start + used - 1) >>> bitPos % 8 !== 0) this.fail(S.HUSH_E_GAP_PADDING, T, i, 0, 0);
  }

  tensors(): void {
    const T = S.HUSH_WHERE_TENSOR;
    const tc = this.tensorCount;
    let cursor = 0; // next payload's offset in the data section
    let prevEnd = 0; // end of the previous non-empty payload
    // MPO chain state: cores still expected after entry mpoParent, bond, factor products
    let mpoLeft = 0;
    let mpoParent = 0;
    let mpoCore = 0;
    let mpoBond = 1;
    let mpoRows = 0;
    let mpoCols = 0;
    let mpoRowProd = 1;
    let mpoColProd = 1;
    for (let i = 0; i < tc; i++) {
      const e = this.tableOff + S.HUSH_TENSOR_BYTES * i;
      this.name(T, i, this.u32(e + S.TENSOR_NAME_OFFSET_AT), this.u32(e + S.TENSOR_NAME_BYTES_AT));
      const dup = this.duplicate(this.tableOff, S.HUSH_TENSOR_BYTES, i);
      if (dup >= 0) this.fail(S.HUSH_E_NAME_DUPLICATE, T, i, dup, 0);
      const enc = this.u8(e + S.TENSOR_ENCODING_AT);
      if (enc < 1 || enc > S.HUSH_ENC_MAX) this.fail(S.HUSH_E_ENCODING, T, i, enc, this.minor);
      const rank = this.u8(e + S.TENSOR_RANK_AT);
      if (rank > S.HUSH_MAX_RANK) this.fail(S.HUSH_E_RANK, T, i, rank, S.HUSH_MAX_RANK);
      const flags = this.u8(e + S.TENSOR_FLAGS_AT);
      const r0 = this.u8(e + S.TENSOR_RESERVED0_AT);
      if (r0 !== 0) this.fail(S.HUSH_E_RESERVED, T, i, e + S.TENSOR_RESERVED0_AT, r0);
      let elements = 1;
      for (let d = 0; d < S.HUSH_MAX_RANK; d++) {
        const dim = this.u32(e + S.TENSOR_DIMS_AT + 4 * d);
        if (d < rank) {
          if (dim === 0) this.fail(S.HUSH_E_DIM_ZERO, T, i, d, 0);
          elements *= dim;
          if (elements > S.HUSH_MAX_ELEMENTS) this.fail(S.HUSH_E_TOO_MANY_ELEMENTS, T, i, 0, S.HUSH_MAX_ELEMENTS);
        } else if (dim !== 0) this.fail(S.HUSH_E_RESERVED, T, i, e + S.TENSOR_DIMS_AT + 4 * d, dim);
      }
      const count = this.u32(e + S.TENSOR_COUNT_AT);
      if (count !== elements) this.fail(S.HUSH_E_COUNT, T, i, count, elements);
      if ((flags & ~S.HUSH_TF_ALL) !== 0) this.fail(S.HUSH_E_FLAGS, T, i, flags, 0);
      this.reserved32(T, i, e + S.TENSOR_RESERVED1_AT);
      const dim0 = rank > 0 ? this.u32(e + S.TENSOR_DIMS_AT) : 1;

      // MPO chains: an MPO entry is followed by exactly its cores, each flagged HUSH_TF_MPO_CORE.
      const isCore = (flags & S.HUSH_TF_MPO_CORE) !== 0;
      if (mpoLeft > 0) {
        if (!isCore) this.fail(S.HUSH_E_MPO_CORE_MISSING, T, mpoParent, mpoCore, i);
        if (enc === S.HUSH_ENC_MPO) this.fail(S.HUSH_E_MPO_NESTED, T, i, 0, 0);
        if (rank !== 4) this.fail(S.HUSH_E_MPO_CORE_RANK, T, i, rank, 0);
        const c0 = this.u32(e + S.TENSOR_DIMS_AT);
        const c1 = this.u32(e + S.TENSOR_DIMS_AT + 4);
        const c2 = this.u32(e + S.TENSOR_DIMS_AT + 8);
        const c3 = this.u32(e + S.TENSOR_DIMS_AT + 12);
        if (c0 !== mpoBond) this.fail(S.HUSH_E_MPO_BOND, T, i, c0, mpoBond);
        if (c3 > S.HUSH_MAX_MPO_BOND) this.fail(S.HUSH_E_MPO_BOND_LIMIT, T, i, c3, S.HUSH_MAX_MPO_BOND);
        mpoRowProd *= c1;
        if (mpoRowProd > mpoRows) this.fail(S.HUSH_E_MPO_ROWS, T, mpoParent, mpoRowProd, mpoRows);
        mpoColProd *= c2;
        if (mpoColProd > mpoCols) this.fail(S.HUSH_E_MPO_COLS, T, mpoParent, mpoColProd, mpoCols);
        mpoBond = c3;
        mpoLeft--;
        mpoCore++;
        if (mpoLeft === 0) {
          if (mpoBond !== 1) this.fail(S.HUSH_E_MPO_BOND, T, i, mpoBond, 1);
          if (mpoRowProd !== mpoRows) this.fail(S.HUSH_E_MPO_ROWS, T, mpoParent, mpoRowProd, mpoRows);
          if (mpoColProd !== mpoCols) this.fail(S.HUSH_E_MPO_COLS, T, mpoParent, mpoColProd, mpoCols);
        }
      } else if (isCore) this.fail(S.HUSH_E_MPO_ORPHAN_CORE, T, i, 0, 0);

      const dataOffset = this.u32(e + S.TENSOR_DATA_OFFSET_AT);
      if (dataOffset !== cursor) this.fail(S.HUSH_E_DATA_OFFSET, T, i, dataOffset, cursor);
      const dataBytes = this.u32(e + S.TENSOR_DATA_BYTES_AT);

      // Encoding parameters → the payload's blocks: A (dense data | codebook) at 0, B (index stream |
      // sparse values) at align(A), C (sparsity) at align(B end).
      let aBytes = 0;
      let aCode = S.HUSH_E_DATA_PAST_END;
      let bOff = 0;
      let bBytes = 0;
      let bCode = S.HUSH_E_INDEX_PAST_END;
      let cOff = 0;
      let cBytes = 0;
      let expected = 0;
      let k = 0;
      let bits = 0;
      let dsize = 4;
      let sparsity = 0;
      let nonzeros = 0;
      let w = 0;
      let groups = 0;
      let groupSize = 1;
      if (enc === S.HUSH_ENC_F32 || enc === S.HUSH_ENC_F16) {
        for (let p = S.TENSOR_PARAMS_AT; p < S.HUSH_TENSOR_BYTES; p += 4) this.reserved32(T, i, e + p);
        dsize = enc === S.HUSH_ENC_F32 ? 4 : 2;
        aBytes = count * dsize;
        bOff = S.alignOffset(aBytes);
        cOff = bOff;
        expected = aBytes;
      } else if (enc === S.HUSH_ENC_KMEANS || enc === S.HUSH_ENC_SPARSE) {
        k = this.u32(e + S.TENSOR_K_AT);
        bits = this.u8(e + S.TENSOR_BITS_AT);
        if (enc === S.HUSH_ENC_KMEANS) {
          if (k < 1 || k > S.HUSH_MAX_K) this.fail(S.HUSH_E_K_RANGE, T, i, k, S.HUSH_MAX_K);
          const eb = ceilLog2(k);
          if (bits !== eb) this.fail(S.HUSH_E_BITS, T, i, bits, eb);
        } else {
          if (k !== 0) this.fail(S.HUSH_E_RESERVED, T, i, e + S.TENSOR_K_AT, k);
          if (bits !== 0) this.fail(S.HUSH_E_RESERVED, T, i, e + S.TENSOR_BITS_AT, bits);
        }
        const vdt = this.u8(e + S.TENSOR_VALUE_DTYPE_AT);
        if (vdt !== S.HUSH_DTYPE_F32 && vdt !== S.HUSH_DTYPE_F16) this.fail(S.HUSH_E_DTYPE, T, i, vdt, 0);
        dsize = vdt === S.HUSH_DTYPE_F32 ? 4 : 2;
        const coding = this.u8(e + S.TENSOR_STREAM_CODING_AT);
        if (coding !== S.HUSH_STREAM_PACKED) this.fail(S.HUSH_E_STREAM_CODING, T, i, coding, this.minor);
        sparsity = this.u8(e + S.TENSOR_SPARSITY_AT);
        if (sparsity > S.HUSH_SPARSITY_MAX) this.fail(S.HUSH_E_SPARSITY_KIND, T, i, sparsity, this.minor);
        nonzeros = this.u32(e + S.TENSOR_NONZEROS_AT);
        if (nonzeros > count) this.fail(S.HUSH_E_NONZEROS, T, i, nonzeros, count);
        this.reserved32(T, i, e + S.TENSOR_PARAMS_RESERVED_AT);
        this.reserved32(T, i, e + S.TENSOR_PARAMS_RESERVED_AT + 4);
        const streamBytes = this.u32(e + S.TENSOR_STREAM_BYTES_AT);
        const expStream = enc === S.HUSH_ENC_KMEANS ? Math.ceil((nonzeros * bits) / 8) : nonzeros * dsize;
        if (streamBytes !== expStream) this.fail(S.HUSH_E_STREAM_BYTES, T, i, streamBytes, expStream);
        cBytes = this.u32(e + S.TENSOR_SPARSITY_BYTES_AT);
        const param = this.u32(e + S.TENSOR_SPARSITY_PARAM_AT);
        if (sparsity === S.HUSH_SPARSITY_NONE) {
          if (nonzeros !== count) this.fail(S.HUSH_E_SPARSITY_NONE_COUNT, T, i, nonzeros, count);
          if (param !== 0) this.fail(S.HUSH_E_SPARSITY_PARAM, T, i, param, 0);
          if (cBytes !== 0) this.fail(S.HUSH_E_SPARSITY_BYTES, T, i, cBytes, 0);
        } else if (sparsity === S.HUSH_SPARSITY_BITMAP) {
          if (param !== 0) this.fail(S.HUSH_E_SPARSITY_PARAM, T, i, param, 0);
          const eb = Math.ceil(count / 8);
          if (cBytes !== eb) this.fail(S.HUSH_E_SPARSITY_BYTES, T, i, cBytes, eb);
        } else if (sparsity === S.HUSH_SPARSITY_DELTA) {
          w = param & 0xff;
          if (param >>> 8 !== 0 || w < 1 || w > S.HUSH_MAX_GAP_BITS) this.fail(S.HUSH_E_SPARSITY_PARAM, T, i, param, 0);
        } else if (sparsity === S.HUSH_SPARSITY_BLOCKS) {
          // docs/format.md "Blocks": br×bc blocks of the matrix view [dim0][count / dim0]
          w = param & 0xff;
          const br = (param >>> 8) & 0xff;
          const bc = (param >>> 16) & 0xff;
          if (param >>> 24 !== 0 || w < 1 || w > S.HUSH_MAX_GAP_BITS) this.fail(S.HUSH_E_SPARSITY_PARAM, T, i, param, 0);
          if (!S.blockShapeValid(br, bc)) this.fail(S.HUSH_E_BLOCK_SHAPE, T, i, br, bc);
          if (rank < 2) this.fail(S.HUSH_E_BLOCK_RANK, T, i, rank, 0);
          const cols = count / dim0;
          if (dim0 % br !== 0 || cols % bc !== 0) this.fail(S.HUSH_E_BLOCK_TILING, T, i, dim0, cols);
          groups = (dim0 / br) * (cols / bc);
          groupSize = br * bc;
          if (nonzeros % groupSize !== 0) this.fail(S.HUSH_E_BLOCK_NONZEROS, T, i, nonzeros, groupSize);
        } else {
          w = param & 0xff;
          const axis = (param >>> 8) & 0xff;
          if (param >>> 16 !== 0 || w < 1 || w > S.HUSH_MAX_GAP_BITS) this.fail(S.HUSH_E_SPARSITY_PARAM, T, i, param, 0);
          if (axis > S.HUSH_GROUP_KERNEL || (axis === S.HUSH_GROUP_DIM0 && rank < 1) || (axis !== S.HUSH_GROUP_DIM0 && rank < 2)) {
            this.fail(S.HUSH_E_GROUP_AXIS, T, i, axis, rank);
          }
          const dim1 = rank > 1 ? this.u32(e + S.TENSOR_DIMS_AT + 4) : 1;
          groups = axis === S.HUSH_GROUP_DIM0 ? dim0 : axis === S.HUSH_GROUP_DIM1 ? dim1 : dim0 * dim1;
          groupSize = count / groups;
          if (nonzeros % groupSize !== 0) this.fail(S.HUSH_E_GROUP_NONZEROS, T, i, nonzeros, groupSize);
        }
        if (enc === S.HUSH_ENC_KMEANS) {
          aBytes = k * dsize;
          aCode = S.HUSH_E_CODEBOOK_PAST_END;
        } else {
          bCode = S.HUSH_E_VALUES_PAST_END;
        }
        bOff = S.alignOffset(aBytes);
        bBytes = streamBytes;
        cOff = S.alignOffset(bOff + bBytes);
        expected = cOff + cBytes;
      } else {
        // HUSH_ENC_MPO: no payload of its own; its cores follow in the table.
        if (rank === 0) this.fail(S.HUSH_E_MPO_RANK, T, i, rank, 0);
        const cores = this.u32(e + S.TENSOR_MPO_CORES_AT);
        if (cores < 1 || cores > S.HUSH_MAX_MPO_CORES) this.fail(S.HUSH_E_MPO_CORE_COUNT, T, i, cores, S.HUSH_MAX_MPO_CORES);
        if (i + cores >= tc) this.fail(S.HUSH_E_MPO_CORES_PAST_TABLE, T, i, i + cores, tc);
        for (let p = S.TENSOR_MPO_CORES_AT + 4; p < S.HUSH_TENSOR_BYTES; p += 4) this.reserved32(T, i, e + p);
        mpoLeft = cores;
        mpoParent = i;
        mpoCore = 0;
        mpoBond = 1;
        mpoRows = dim0;
        mpoCols = count / dim0;
        mpoRowProd = 1;
        mpoColProd = 1;
      }
      if (dataBytes !== expected) this.fail(S.HUSH_E_PAYLOAD_SIZE, T, i, dataBytes, expected);

      if (dataBytes > 0) {
        const abs = this.dataOff + cursor;
        if (aBytes > 0 && abs + aBytes > this.len) this.fail(aCode, T, i, abs + aBytes - this.len, 0);
        if (bBytes > 0 && abs + bOff + bBytes > this.len) this.fail(bCode, T, i, abs + bOff + bBytes - this.len, 0);
        if (cBytes > 0 && abs + cOff + cBytes > this.len) this.fail(S.HUSH_E_SPARSITY_PAST_END, T, i, abs + cOff + cBytes - this.len, 0);
        if (abs + dataBytes > this.len) this.fail(S.HUSH_E_DATA_PAST_END, T, i, abs + dataBytes - this.len, 0);
        this.padding(T, i, this.dataOff + prevEnd, abs);
        if (bBytes > 0 || cBytes > 0) this.padding(T, i, abs + aBytes, abs + bOff);
        if (cBytes > 0) this.padding(T, i, abs + bOff + bBytes, abs + cOff);
        const stored = this.u32(e + S.TENSOR_DATA_CRC_AT);
        const computed = this.crc(abs, dataBytes);
        if (stored !== computed) this.fail(S.HUSH_E_PAYLOAD_CRC, T, i, stored, computed);

        // Contents.
        if (enc === S.HUSH_ENC_F32) {
          for (let j = 0; j < count; j++) if (!Number.isFinite(this.f32(abs + 4 * j))) this.fail(S.HUSH_E_VALUE_NOT_FINITE, T, i, j, 0);
        } else if (enc === S.HUSH_ENC_F16) {
          for (let j = 0; j < count; j++) if ((this.u16(abs + 2 * j) & 0x7c00) === 0x7c00) this.fail(S.HUSH_E_VALUE_NOT_FINITE, T, i, j, 0);
        } else if (enc === S.HUSH_ENC_KMEANS || enc === S.HUSH_ENC_SPARSE) {
          const vals = enc === S.HUSH_ENC_KMEANS ? k : nonzeros;
          const vAt = enc === S.HUSH_ENC_KMEANS ? abs : abs + bOff;
          const vCode = enc === S.HUSH_ENC_KMEANS ? S.HUSH_E_CODEBOOK_NOT_FINITE : S.HUSH_E_VALUE_NOT_FINITE;
          for (let j = 0; j < vals; j++) {
            const finite = dsize === 4 ? Number.isFinite(this.f32(vAt + 4 * j)) : (this.u16(vAt + 2 * j) & 0x7c00) !== 0x7c00;
            if (!finite) this.fail(vCode, T, i, j, 0);
          }
          if (enc === S.HUSH_ENC_KMEANS && bits > 0) {
            const at = abs + bOff;
            if (k < 1 << bits) {
              for (let j = 0; j < nonzeros; j++) {
                const idx = this.bits(at, j * bits, bits);
                if (idx >= k) this.fail(S.HUSH_E_INDEX_RANGE, T, i, j, idx);
              }
            }
            const tail = (nonzeros * bits) % 8;
            if (tail !== 0 && this.u8(at + bBytes - 1) >>> tail !== 0) this.fail(S.HUSH_E_INDEX_PADDING, T, i, 0, 0);
          }
          const cAt = abs + cOff;
          if (sparsity === S.HUSH_SPARSITY_BITMAP) {
            const tail = count % 8;
            if (tail !== 0 && this.u8(cAt + cBytes - 1) >>> tail !== 0) this.fail(S.HUSH_E_BITMAP_PADDING, T, i, 0, 0);
            let pop = 0;
            for (let j = 0; j < cBytes; j++) {
              let v = this.u8(cAt + j);
              while (v !== 0) {
                v &= v - 1;
                pop++;
              }
            }
            if (pop !== nonzeros) this.fail(S.HUSH_E_BITMAP_COUNT, T, i, pop, nonzeros);
          } else if (sparsity === S.HUSH_SPARSITY_DELTA) {
            this.gaps(i, cAt, cBytes, nonzeros, w, count, S.HUSH_E_POSITION_RANGE);
          } else if (sparsity === S.HUSH_SPARSITY_GROUPS) {
            this.gaps(i, cAt, cBytes, nonzeros / groupSize, w, groups, S.HUSH_E_GROUP_RANGE);
          } else if (sparsity === S.HUSH_SPARSITY_BLOCKS) {
            this.gaps(i, cAt, cBytes, nonzeros / groupSize, w, groups, S.HUSH_E_BLOCK_RANGE);
          }
        }
        prevEnd = cursor + dataBytes;
        cursor = S.alignOffset(prevEnd);
      } else {
        const stored = this.u32(e + S.TENSOR_DATA_CRC_AT);
        if (stored !== 0) this.fail(S.HUSH_E_PAYLOAD_CRC, T, i, stored, 0); // CRC-32 of nothing
      }
    }
    const dataBytesHdr = this.u32(S.HDR_DATA_BYTES_AT);
    if (dataBytesHdr !== cursor) this.fail(S.HUSH_E_SECTION_SIZE, S.HUSH_WHERE_SECTION, S.SECTION_DATA, dataBytesHdr, cursor);
    const end = this.dataOff + cursor;
    if (end > this.len) this.fail(S.HUSH_E_SECTION_PAST_END, S.HUSH_WHERE_SECTION, S.SECTION_DATA, end - this.len, 0);
    this.padding(S.HUSH_WHERE_SECTION, S.SECTION_DATA, this.dataOff + prevEnd, end);
    const fileBytes = this.u32(S.HDR_FILE_BYTES_AT);
    if (fileBytes !== this.len) this.fail(S.HUSH_E_FILE_SIZE, S.HUSH_WHERE_FILE, 0, fileBytes, this.len);
    if (end !== this.len) this.fail(S.HUSH_E_TRAILING_BYTES, S.HUSH_WHERE_FILE, 0, this.len - end, 0);
  }
}

/**
 * Validates a whole `.hush` file. Returns the layout when every check passes, else the error record
 * of the first failed check (docs/format.md lists them in order).
 */
export function hushValidate(bytes: Uint8Array): { ok: true; layout: HushValidLayout } | { ok: false; error: HushErrorRecord } {
  const c = new Check(bytes);
  try {
    c.header();
    c.sections();
    c.model();
    c.tensors();
  } catch (err) {
    if (err instanceof HushReject) return { ok: false, error: err.record };
    if (err instanceof HushBoundsFault) {
      return { ok: false, error: { code: S.HUSH_E_INTERNAL_BOUNDS, where: S.HUSH_WHERE_FILE, index: 0, a: err.at, b: 0 } };
    }
    throw err;
  }
  return {
    ok: true,
    layout: {
      versionMajor: S.HUSH_VERSION_MAJOR,
      versionMinor: c.minor,
      tensorCount: c.tensorCount,
      modelOffset: c.modelOff,
      stringsOffset: c.stringsOff,
      stringsBytes: c.stringsBytes,
      tableOffset: c.tableOff,
      dataOffset: c.dataOff,
      dataBytes: c.u32(S.HDR_DATA_BYTES_AT),
    },
  };
}
