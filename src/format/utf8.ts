/**
 * Strict UTF-8 validation with the WHATWG decoder's rules (no overlongs, no surrogates, nothing above
 * U+10FFFF), returning where the first bad sequence starts so that both `.hush` readers report the same
 * byte. assembly/format/utf8.ts is the same state machine.
 */

/** Index (relative to `start`) of the first byte of the first invalid sequence in bytes[start, end), or -1. */
export function utf8InvalidAt(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const b0 = bytes[i];
    if (b0 < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
    else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      if (b0 === 0xe0) lo = 0xa0; // overlong
      if (b0 === 0xed) hi = 0x9f; // surrogates
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      if (b0 === 0xf0) lo = 0x90; // overlong
      if (b0 === 0xf4) hi = 0x8f; // > U+10FFFF
    } else return i - start;
    if (i + need >= end) return i - start; // sequence cut off by the end
    const b1 = bytes[i + 1];
    if (b1 < lo || b1 > hi) return i - start;
    for (let k = 2; k <= need; k++) {
      const b = bytes[i + k];
      if (b < 0x80 || b > 0xbf) return i - start;
    }
    i += need + 1;
  }
  return -1;
}
