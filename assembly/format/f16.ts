// IEEE 754 binary16 → f32, exactly as src/format/f16.ts f32FromF16 (the .hush f16 encodings).

/** Widens f16 bits to the equal f32 value. */
export function f32FromF16(h: u32): f32 {
  const sign = (h & 0x8000) << 16;
  const exp = (h >>> 10) & 0x1f;
  const man = h & 0x3ff;
  let bits: u32;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000 | (man << 13); // inf / NaN
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (man << 13); // normal: rebias 15 → 127
  } else if (man == 0) {
    bits = sign; // ±0
  } else {
    // subnormal: man · 2^-24, normalised into an f32 normal
    let e: u32 = 113;
    let m = man;
    while ((m & 0x400) == 0) {
      m <<= 1;
      e--;
    }
    bits = sign | (e << 23) | ((m & 0x3ff) << 13);
  }
  return reinterpret<f32>(bits);
}
