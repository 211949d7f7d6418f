// Strict UTF-8 validation (WHATWG decoder rules: no overlongs, no surrogates, nothing above U+10FFFF);
// the same state machine as src/format/utf8.ts so that both readers report the same byte.

/** Index of the first byte of the first invalid sequence in the `n` bytes at `ptr`, or -1. */
export function utf8InvalidAt(ptr: usize, n: u32): i32 {
  let i: u32 = 0;
  while (i < n) {
    const b0 = <u32>load<u8>(ptr + i);
    if (b0 < 0x80) {
      i++;
      continue;
    }
    let need: u32;
    let lo: u32 = 0x80;
    let hi: u32 = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
    else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      if (b0 == 0xe0) lo = 0xa0; // overlong
      if (b0 == 0xed) hi = 0x9f; // surrogates
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      if (b0 == 0xf0) lo = 0x90; // overlong
      if (b0 == 0xf4) hi = 0x8f; // above U+10FFFF
    } else return <i32>i;
    if (i + need >= n) return <i32>i; // sequence cut off by the end
    const b1 = <u32>load<u8>(ptr + i + 1);
    if (b1 < lo || b1 > hi) return <i32>i;
    for (let k: u32 = 2; k <= need; k++) {
      const b = <u32>load<u8>(ptr + i + k);
      if (b < 0x80 || b > 0xbf) return <i32>i;
    }
    i += need + 1;
  }
  return -1;
}
