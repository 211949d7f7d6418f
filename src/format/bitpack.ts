/**
 * LSB-first bit packing, the layout of `.hush` k-means index streams, bitmaps and position lists:
 * value i of width w occupies stream bits [i·w, (i+1)·w), and stream bit j is bit (j mod 8) of byte
 * ⌊j/8⌋. Widths are 0..16 bits. Streams are ⌈n·w/8⌉ bytes; unused high bits of the last byte are 0.
 *
 * Also the gap code for ascending integer lists (sparsity "delta" positions and "groups" lists):
 * gaps g₀ = v₀, gᵢ = vᵢ − vᵢ₋₁ − 1 ≥ 0, each written as w-bit codes: while g ≥ E = 2^w − 1 emit E and
 * subtract E, then emit g. A run of escapes therefore adds up, and a code below E ends the gap.
 */

/** Reads the w-bit value (w ≤ 16) starting at stream bit `bitPos` of bytes[start, …). Reads only the bytes it needs. */
export function bitpackRead(bytes: Uint8Array, start: number, bitPos: number, w: number): number {
  if (w === 0) return 0;
  const first = start + (bitPos >>> 3);
  const last = start + ((bitPos + w - 1) >>> 3);
  let word = bytes[first];
  if (last > first) word |= bytes[first + 1] << 8;
  if (last > first + 1) word |= bytes[first + 2] << 16;
  return (word >>> (bitPos & 7)) & ((1 << w) - 1);
}

/** Packs `values` (each < 2^w) LSB-first into ⌈n·w/8⌉ bytes. */
export function bitpackWrite(values: ArrayLike<number>, w: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((values.length * w) / 8));
  if (w === 0) return out;
  let bitPos = 0;
  for (let i = 0; i < values.length; i++) {
    let v = values[i];
    let p = bitPos;
    let left = w;
    while (left > 0) {
      const room = 8 - (p & 7);
      const take = Math.min(room, left);
      out[p >>> 3] |= (v & ((1 << take) - 1)) << (p & 7);
      v >>>= take;
      p += take;
      left -= take;
    }
    bitPos += w;
  }
  return out;
}

/** Unpacks `n` w-bit values from bytes[start, …). */
export function bitpackReadAll(bytes: Uint8Array, start: number, n: number, w: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = bitpackRead(bytes, start, i * w, w);
  return out;
}

/** Codes the gap list of strictly ascending `values` needs at width w. */
export function gapCodeCount(values: ArrayLike<number>, w: number): number {
  const escape = (1 << w) - 1;
  let codes = 0;
  let next = 0;
  for (let i = 0; i < values.length; i++) {
    const g = values[i] - next;
    codes += Math.floor(g / escape) + 1;
    next = values[i] + 1;
  }
  return codes;
}

/** Bytes of the gap code of `values` at width w: ⌈codes·w/8⌉. */
export function gapEncodedBytes(values: ArrayLike<number>, w: number): number {
  return Math.ceil((gapCodeCount(values, w) * w) / 8);
}

/** The width 1..16 with the fewest bytes (the smallest width on ties) and that byte count. */
export function gapBestWidth(values: ArrayLike<number>): { w: number; bytes: number } {
  let best = { w: 1, bytes: gapEncodedBytes(values, 1) };
  for (let w = 2; w <= 16; w++) {
    const bytes = gapEncodedBytes(values, w);
    if (bytes < best.bytes) best = { w, bytes };
  }
  return best;
}

/** Gap-codes strictly ascending non-negative integers at width w (1..16). */
export function gapEncode(values: ArrayLike<number>, w: number): Uint8Array {
  const escape = (1 << w) - 1;
  const codes: number[] = [];
  let next = 0;
  for (let i = 0; i < values.length; i++) {
    let g = values[i] - next;
    if (g < 0) throw new Error(`gapEncode: values not strictly ascending at #${i}`);
    while (g >= escape) {
      codes.push(escape);
      g -= escape;
    }
    codes.push(g);
    next = values[i] + 1;
  }
  return bitpackWrite(codes, w);
}

/** Decodes `n` values gap-coded at width w from bytes[start, …) (the stream must be valid). */
export function gapDecode(bytes: Uint8Array, start: number, n: number, w: number): Uint32Array {
  const escape = (1 << w) - 1;
  const out = new Uint32Array(n);
  let bitPos = 0;
  let next = 0;
  for (let i = 0; i < n; i++) {
    let g = 0;
    for (;;) {
      const c = bitpackRead(bytes, start, bitPos, w);
      bitPos += w;
      g += c;
      if (c !== escape) break;
    }
    out[i] = next + g;
    next = out[i] + 1;
  }
  return out;
}
