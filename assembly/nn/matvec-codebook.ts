// Matrix–vector products straight from k-means-quantised weights ("compact mode"): the weights
// stay as bit-packed codebook indices in memory (b bits per weight instead of 32) and are decoded
// on the fly, so a 4-bit LSTM layer needs 1/8 of the f32 memory.
//
// Index stream (the .hush k-means encoding): index n (0-based, in row-major order over the
// weights it covers) occupies bits [n·b, n·b + b) of the stream, LSB-first: stream bit m is bit
// (m & 7) of byte m >> 3, and an index's lowest bit comes first. b = 1…16 (b = ⌈log2 K⌉), or
// b = 0 when K = 1 (no stream at all). Weight = codebook[index]; codebook: f32[K].
// The stream is read with unaligned 4-byte loads, so up to 3 bytes past its last byte are read
// (never used): the buffer must be readable up to a multiple of 4 bytes (memAlloc() rounds to 16
// and the .hush format aligns tensor data to 16).
//
// Two variants:
//   matvecCodebook        — one index per weight (dense);
//   matvecCodebookSparse  — indices only for nonzero weights, with a bitmap of nonzeros:
//                           bit r·cols + c (LSB-first, same bit order as the stream) is 1 when
//                           W[r][c] ≠ 0; the stream holds one index per set bit, in bit order.
//
// Dense variant, two decoders:
//  - SIMD build, b ≤ 5 (K ≤ 32): 16 indices at a time entirely in v128 registers. The 2b bytes
//    of a group are spread into 16-bit windows (i8x16.swizzle), each window shifted by its own
//    bit offset (i16x8.mul by 2^(8−s), then >> 8: WASM has no per-lane shift), narrowed to 16
//    byte indices, and looked up with i8x16.swizzle in the codebook split into 4 byte planes
//    (⌈K/16⌉ swizzles per plane); byte-plane shuffles rebuild 4 f32x4 of weights that multiply x
//    directly. ~3 SIMD ops per weight, no scratch. (At b = 6 the 4 tables per plane made it
//    slower than the scalar decoder, so b ≥ 6 decodes scalar.)
//  - otherwise: groups of 8 indices (b bytes, byte aligned) decoded with constant shifts — one
//    specialised loop per b — through the codebook into a static 64-float scratch, then the SIMD
//    (or scalar) dot product with x. ~4–5 scalar ops per weight.
// Rows start anywhere in the stream (row r at index r·cols); unaligned heads and tails of a row
// use random-access decoding. Either way compact mode is decode-bound (see tools/bench/kernels.ts).

import { dotF32, laneSum } from "./lanes";

/** Weights decoded per chunk by the scalar decoder (256 bytes of static scratch). */
// @ts-ignore: decorator
@inline const CHUNK: i32 = 64;
const chunk: usize = memory.data(CHUNK * 4, 16);
/** Byte planes of the codebook for the SIMD decoder: plane j of table t at lut + 16·(4t + j). */
const lut: usize = memory.data(128, 16); // ≤ 2 tables (K ≤ 32)
/** SIMD unpack constants: swizzle patterns (lo, hi indices) and i16x8 multipliers (lo, hi). */
const unpack: usize = memory.data(64, 16);

/** Index at stream bit `bit`: (b ≤ 16) bits from one unaligned u32 load. */
// @ts-ignore: decorator
@inline function codebookIndex(idx: usize, bit: u32, mask: u32): u32 {
  return (load<u32>(idx + (bit >> 3)) >> (bit & 7)) & mask;
}

/** Weight j (constant 0…7) of the 8-index group whose bytes start at g. */
// @ts-ignore: decorator
@inline function groupWeight(g: usize, j: i32, bits: i32, mask: u32, codebook: usize): f32 {
  const off = j * bits;
  return load<f32>(codebook + (((load<u32>(g + <usize>(off >> 3)) >> <u32>(off & 7)) & mask) << 2));
}

/**
 * Decodes indices first … first+n−1 of a b-bit stream through the codebook into dst: f32[n].
 * Inlined with a constant b, so every shift and offset of a group of 8 is a constant.
 */
// @ts-ignore: decorator
@inline function codebookDecodeBits(dst: usize, idx: usize, bits: i32, codebook: usize, first: u32, n: i32): void {
  const mask: u32 = (<u32>1 << bits) - 1;
  let i = 0;
  let pos = first;
  for (; i < n && (pos & 7) != 0; i++, pos++) {
    store<f32>(dst + (<usize>i << 2), load<f32>(codebook + (codebookIndex(idx, pos * <u32>bits, mask) << 2)));
  }
  for (; i + 8 <= n; i += 8, pos += 8) {
    const g = idx + <usize>(pos >> 3) * <usize>bits;
    const o = dst + (<usize>i << 2);
    store<f32>(o, groupWeight(g, 0, bits, mask, codebook));
    store<f32>(o, groupWeight(g, 1, bits, mask, codebook), 4);
    store<f32>(o, groupWeight(g, 2, bits, mask, codebook), 8);
    store<f32>(o, groupWeight(g, 3, bits, mask, codebook), 12);
    store<f32>(o, groupWeight(g, 4, bits, mask, codebook), 16);
    store<f32>(o, groupWeight(g, 5, bits, mask, codebook), 20);
    store<f32>(o, groupWeight(g, 6, bits, mask, codebook), 24);
    store<f32>(o, groupWeight(g, 7, bits, mask, codebook), 28);
  }
  for (; i < n; i++, pos++) {
    store<f32>(dst + (<usize>i << 2), load<f32>(codebook + (codebookIndex(idx, pos * <u32>bits, mask) << 2)));
  }
}

/** Dispatches codebookDecodeBits on b = 1 … 16 (one specialised loop each). */
function codebookDecode(dst: usize, idx: usize, bits: i32, codebook: usize, first: u32, n: i32): void {
  switch (bits) {
    case 1: codebookDecodeBits(dst, idx, 1, codebook, first, n); break;
    case 2: codebookDecodeBits(dst, idx, 2, codebook, first, n); break;
    case 3: codebookDecodeBits(dst, idx, 3, codebook, first, n); break;
    case 4: codebookDecodeBits(dst, idx, 4, codebook, first, n); break;
    case 5: codebookDecodeBits(dst, idx, 5, codebook, first, n); break;
    case 6: codebookDecodeBits(dst, idx, 6, codebook, first, n); break;
    case 7: codebookDecodeBits(dst, idx, 7, codebook, first, n); break;
    case 8: codebookDecodeBits(dst, idx, 8, codebook, first, n); break;
    case 9: codebookDecodeBits(dst, idx, 9, codebook, first, n); break;
    case 10: codebookDecodeBits(dst, idx, 10, codebook, first, n); break;
    case 11: codebookDecodeBits(dst, idx, 11, codebook, first, n); break;
    case 12: codebookDecodeBits(dst, idx, 12, codebook, first, n); break;
    case 13: codebookDecodeBits(dst, idx, 13, codebook, first, n); break;
    case 14: codebookDecodeBits(dst, idx, 14, codebook, first, n); break;
    case 15: codebookDecodeBits(dst, idx, 15, codebook, first, n); break;
    default: codebookDecodeBits(dst, idx, 16, codebook, first, n); break;
  }
}

/** Fills `lut` with the byte planes of `tables` 16-entry slices of the codebook (zero past K). */
function lutBuild(codebook: usize, K: i32, tables: i32): void {
  for (let t = 0; t < tables; t++) {
    for (let k = 0; k < 16; k++) {
      const e = 16 * t + k;
      const v: u32 = e < K ? load<u32>(codebook + (<usize>e << 2)) : 0;
      for (let j = 0; j < 4; j++) store<u8>(lut + <usize>(16 * (4 * t + j) + k), <u8>(v >> (8 * j)));
    }
  }
}

/** Fills `unpack` for b-bit groups of 16: window bytes of index n and its multiplier 2^(8 − s). */
function unpackBuild(bits: i32): void {
  for (let n = 0; n < 16; n++) {
    const bit = n * bits;
    const half = n < 8 ? 0 : 16;
    const lane = n & 7;
    store<u8>(unpack + <usize>(half + 2 * lane), <u8>(bit >> 3));
    store<u8>(unpack + <usize>(half + 2 * lane + 1), <u8>((bit >> 3) + 1));
    store<u16>(unpack + <usize>(32 + half + 2 * lane), <u16>(<i32>1 << (8 - (bit & 7))));
  }
}

/**
 * Byte plane j of the weights for 16 byte indices ix, from `tables` 16-entry tables in `lut` (an
 * index i lands in table ⌊i/16⌋; swizzle yields 0 for the others, whose shifted indices are ≥ 16).
 * The planes are reloaded per group on purpose: hoisted into locals they measured ~10 % slower
 * (V8 runs out of xmm registers).
 */
// @ts-ignore: decorator
@inline function lutPlane(ix: v128, j: i32, tables: i32): v128 {
  let p = i8x16.swizzle(v128.load(lut + <usize>(16 * j)), ix);
  for (let t = 1; t < tables; t++) {
    p = v128.or(p, i8x16.swizzle(v128.load(lut + <usize>(16 * (4 * t + j))), i8x16.sub(ix, i8x16.splat(<i8>(16 * t)))));
  }
  return p;
}

/** SIMD-decoder matvec (b ≤ 5), specialised on the table count (1 or 2) when inlined. */
// @ts-ignore: decorator
@inline function matvecCodebookLut(y: usize, idx: usize, bits: i32, codebook: usize, K: i32, b: usize, x: usize, rows: i32, cols: i32, tables: i32): void {
  lutBuild(codebook, K, tables);
  unpackBuild(bits);
  const patLo = v128.load(unpack), patHi = v128.load(unpack, 16);
  const mulLo = v128.load(unpack, 32), mulHi = v128.load(unpack, 48);
  const maskv = i8x16.splat(<i8>((<i32>1 << bits) - 1));
  const mask: u32 = (<u32>1 << bits) - 1;
  // A group's 16-byte load must stay inside the stream, padded to 4 bytes.
  const streamBytes: u64 = ((<u64>rows * <u64>cols * <u64>bits + 31) >> 5) << 2;
  let pos: u32 = 0;
  for (let r = 0; r < rows; r++) {
    let s: f32 = 0;
    let c = 0;
    for (; c < cols && (pos & 15) != 0; c++, pos++) {
      s += load<f32>(codebook + (codebookIndex(idx, pos * <u32>bits, mask) << 2)) * load<f32>(x + (<usize>c << 2));
    }
    let acc0 = f32x4.splat(0), acc1 = f32x4.splat(0), acc2 = f32x4.splat(0), acc3 = f32x4.splat(0);
    for (; c + 16 <= cols; c += 16, pos += 16) {
      const g: u32 = (pos >> 3) * <u32>bits;
      if (<u64>g + 16 > streamBytes) break;
      const raw = v128.load(idx + g);
      const lo = i16x8.shr_u(i16x8.mul(i8x16.swizzle(raw, patLo), mulLo), 8);
      const hi = i16x8.shr_u(i16x8.mul(i8x16.swizzle(raw, patHi), mulHi), 8);
      const ix = v128.and(i8x16.narrow_i16x8_u(lo, hi), maskv);
      const b0 = lutPlane(ix, 0, tables), b1 = lutPlane(ix, 1, tables);
      const b2 = lutPlane(ix, 2, tables), b3 = lutPlane(ix, 3, tables);
      const p01lo = i8x16.shuffle(b0, b1, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
      const p01hi = i8x16.shuffle(b0, b1, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
      const p23lo = i8x16.shuffle(b2, b3, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
      const p23hi = i8x16.shuffle(b2, b3, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
      const xo = x + (<usize>c << 2);
      acc0 = f32x4.add(acc0, f32x4.mul(i16x8.shuffle(p01lo, p23lo, 0, 8, 1, 9, 2, 10, 3, 11), v128.load(xo)));
      acc1 = f32x4.add(acc1, f32x4.mul(i16x8.shuffle(p01lo, p23lo, 4, 12, 5, 13, 6, 14, 7, 15), v128.load(xo, 16)));
      acc2 = f32x4.add(acc2, f32x4.mul(i16x8.shuffle(p01hi, p23hi, 0, 8, 1, 9, 2, 10, 3, 11), v128.load(xo, 32)));
      acc3 = f32x4.add(acc3, f32x4.mul(i16x8.shuffle(p01hi, p23hi, 4, 12, 5, 13, 6, 14, 7, 15), v128.load(xo, 48)));
    }
    for (; c < cols; c++, pos++) {
      s += load<f32>(codebook + (codebookIndex(idx, pos * <u32>bits, mask) << 2)) * load<f32>(x + (<usize>c << 2));
    }
    s += laneSum(f32x4.add(f32x4.add(acc0, acc1), f32x4.add(acc2, acc3)));
    if (b != 0) s += load<f32>(b + (<usize>r << 2));
    store<f32>(y + (<usize>r << 2), s);
  }
}

/**
 * y = W·x + b where W[r][c] = codebook[index r·cols + c] (dense index stream, see the top of this
 * file). idx: the b-bit stream (any alignment, padded as above; unused when bits = 0);
 * codebook: f32[K] with 1 ≤ K ≤ 2^bits (indices ≥ K must have been rejected by the loader: they
 * read undefined weights); b: f32[rows] or 0; x: f32[cols]; y: f32[rows].
 * bits = 0: every weight is codebook[0]. Uses static scratch (not re-entrant; WASM is one thread).
 */
export function matvecCodebook(y: usize, idx: usize, bits: i32, codebook: usize, K: i32, b: usize, x: usize, rows: i32, cols: i32): void {
  if (bits == 0) {
    // K = 1: every row is codebook[0]·Σx.
    let sx: f32 = 0;
    for (let c = 0; c < cols; c++) sx += load<f32>(x + (<usize>c << 2));
    const v = load<f32>(codebook) * sx;
    for (let r = 0; r < rows; r++) {
      store<f32>(y + (<usize>r << 2), b != 0 ? v + load<f32>(b + (<usize>r << 2)) : v);
    }
    return;
  }
  if (ASC_FEATURE_SIMD) {
    if (bits <= 4) { matvecCodebookLut(y, idx, bits, codebook, K, b, x, rows, cols, 1); return; }
    if (bits == 5) { matvecCodebookLut(y, idx, bits, codebook, K, b, x, rows, cols, 2); return; }
  }
  let pos: u32 = 0;
  for (let r = 0; r < rows; r++) {
    let s: f32 = 0;
    for (let c = 0; c < cols; c += CHUNK) {
      const n = min(CHUNK, cols - c);
      codebookDecode(chunk, idx, bits, codebook, pos, n);
      s += dotF32(chunk, x + (<usize>c << 2), n);
      pos += <u32>n;
    }
    if (b != 0) s += load<f32>(b + (<usize>r << 2));
    store<f32>(y + (<usize>r << 2), s);
  }
}

/** Nonzero column positions of the current row (bitmap variant), flushed when nearly full. */
// @ts-ignore: decorator
@inline const POSITIONS: i32 = 1024;
const positions: usize = memory.data(POSITIONS * 4, 16);

/**
 * Σ codebook[index n0 + i]·x[positions[i]] for i < count: the multiply-add half of the bitmap
 * variant, 4 independent accumulators over a long, well-predicted loop.
 */
// @ts-ignore: decorator
@inline function positionsDot(count: i32, n0: u32, idx: usize, bits: i32, mask: u32, codebook: usize, x: usize): f32 {
  let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
  let bit: u32 = n0 * <u32>bits;
  const step: u32 = <u32>bits;
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const pp = positions + (<usize>i << 2);
    s0 += load<f32>(codebook + (codebookIndex(idx, bit, mask) << 2)) * load<f32>(x + (<usize>load<i32>(pp) << 2));
    s1 += load<f32>(codebook + (codebookIndex(idx, bit + step, mask) << 2)) * load<f32>(x + (<usize>load<i32>(pp, 4) << 2));
    s2 += load<f32>(codebook + (codebookIndex(idx, bit + 2 * step, mask) << 2)) * load<f32>(x + (<usize>load<i32>(pp, 8) << 2));
    s3 += load<f32>(codebook + (codebookIndex(idx, bit + 3 * step, mask) << 2)) * load<f32>(x + (<usize>load<i32>(pp, 12) << 2));
    bit += 4 * step;
  }
  for (; i < count; i++) {
    s0 += load<f32>(codebook + (codebookIndex(idx, bit, mask) << 2)) * load<f32>(x + (<usize>load<i32>(positions + (<usize>i << 2)) << 2));
    bit += step;
  }
  return (s0 + s1) + (s2 + s3);
}

/**
 * y = W·x + b where W is zero except where the bitmap has a 1, and the n-th set bit (in bit order
 * r·cols + c) has weight codebook[index n]. bitmap: ⌈rows·cols/32⌉ u32 words (read with unaligned
 * 4-byte loads, so padded like the stream); idx: stream of popcount(bitmap) b-bit indices
 * (unused when bits = 0); codebook: f32[K] (K ≤ 2^bits); b: f32[rows] or 0; x: f32[cols];
 * y: f32[rows]. Per row, 24-bit windows of the bitmap are flattened into a list of column
 * positions 4 set bits per step (a loop that runs ⌈popcount/4⌉ ≈ once per window, so it rarely
 * mispredicts; ctz of an exhausted word writes harmless positions past the count), then
 * positionsDot runs over the list. Cost ∝ rows·cols/24 windows + nonzeros.
 */
export function matvecCodebookSparse(
  y: usize, bitmap: usize, idx: usize, bits: i32, codebook: usize, K: i32,
  b: usize, x: usize, rows: i32, cols: i32,
): void {
  const mask: u32 = bits == 0 ? 0 : (<u32>1 << bits) - 1;
  let n: u32 = 0; // index of the next nonzero in the stream
  let rowBit: u32 = 0;
  for (let r = 0; r < rows; r++) {
    let s: f32 = 0;
    let count = 0;
    for (let c = 0; c < cols; c += 24) {
      const bit = rowBit + <u32>c;
      let word = (load<u32>(bitmap + (bit >> 3)) >> (bit & 7)) & 0xffffff;
      if (cols - c < 24) word &= (<u32>1 << (cols - c)) - 1;
      const found = <i32>popcnt(word);
      let q = count;
      const pp = positions + (<usize>q << 2);
      store<i32>(pp, c + <i32>ctz(word)); word &= word - 1;
      store<i32>(pp, c + <i32>ctz(word), 4); word &= word - 1;
      store<i32>(pp, c + <i32>ctz(word), 8); word &= word - 1;
      store<i32>(pp, c + <i32>ctz(word), 12); word &= word - 1;
      if (found > 4) {
        q += 4;
        do {
          const pq = positions + (<usize>q << 2);
          store<i32>(pq, c + <i32>ctz(word)); word &= word - 1;
          store<i32>(pq, c + <i32>ctz(word), 4); word &= word - 1;
          store<i32>(pq, c + <i32>ctz(word), 8); word &= word - 1;
          store<i32>(pq, c + <i32>ctz(word), 12); word &= word - 1;
          store<i32>(pq, c + <i32>ctz(word), 16); word &= word - 1;
          store<i32>(pq, c + <i32>ctz(word), 20); word &= word - 1;
          store<i32>(pq, c + <i32>ctz(word), 24); word &= word - 1;
          store<i32>(pq, c + <i32>ctz(word), 28); word &= word - 1;
          q += 8;
        } while (word != 0);
      }
      count += found;
      if (count > POSITIONS - 32) { // room for one more window: ≤ 4 + 3·8 positions written
        s += positionsDot(count, n, idx, bits, mask, codebook, x);
        n += <u32>count;
        count = 0;
      }
    }
    s += positionsDot(count, n, idx, bits, mask, codebook, x);
    n += <u32>count;
    if (b != 0) s += load<f32>(b + (<usize>r << 2));
    store<f32>(y + (<usize>r << 2), s);
    rowBit += <u32>cols;
  }
}
