/**
 * IEEE 754 binary16 ("half", f16) conversions in plain JS (Node 20 has no Float16Array).
 * Used by the `.hush` dense-f16 encoding and f16 codebooks, and by the safetensors reader for F16
 * checkpoints. assembly/format/f16.ts mirrors f32FromF16 for the WASM reader.
 */

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** Widens f16 bits (0..0xffff) to the exactly equal f32 value (NaN payloads kept in the top mantissa bits). */
export function f32FromF16(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >>> 10) & 0x1f;
  const man = h & 0x3ff;
  let bits: number;
  if (exp === 0x1f) {
    bits = sign | 0x7f800000 | (man << 13); // inf / NaN
  } else if (exp !== 0) {
    bits = sign | ((exp + 112) << 23) | (man << 13); // normal: rebias 15 → 127
  } else if (man === 0) {
    bits = sign; // ±0
  } else {
    // subnormal f16: value = man · 2^-24; normalise into an f32 normal
    let e = 113; // 127 - 15 + 1
    let m = man;
    while ((m & 0x400) === 0) {
      m <<= 1;
      e--;
    }
    bits = sign | (e << 23) | ((m & 0x3ff) << 13);
  }
  u32Scratch[0] = bits >>> 0;
  return f32Scratch[0];
}

/** Rounds an f32 value to the nearest f16 (ties to even) and returns its bits; overflow gives ±inf. */
export function f16FromF32(x: number): number {
  f32Scratch[0] = x;
  const bits = u32Scratch[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const man = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (man !== 0 ? 0x200 | (man >>> 13) : 0); // inf / NaN (quiet)
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // too large: inf
  if (e <= 0) {
    // f16 subnormal or zero: value = man' · 2^-24
    if (e < -10) return sign; // below half the smallest subnormal: ±0
    const m = man | 0x800000; // implicit bit
    const shift = 14 - e; // 14..24
    let half = m >>> shift;
    const rem = m & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (man >>> 13);
  const rem = man & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1) === 1)) half++; // may carry into the exponent (correct: rounds up to inf or next binade)
  return sign | half;
}

/** The f32 value nearest to `x` that f16 represents exactly. */
export function f16Round(x: number): number {
  return f32FromF16(f16FromF32(x));
}

/** Rounds every element to f16 precision (a new array), so that an f16 encoding stores it exactly. */
export function f16RoundArray(values: Float32Array): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = f16Round(values[i]);
  return out;
}

/** True when f16 stores `x` exactly (NaN never counts: the `.hush` format rejects non-finite values). */
export function f16Exact(x: number): boolean {
  return Number.isFinite(x) && Object.is(f16Round(x), Math.fround(x));
}
