/**
 * A minimal PNG encoder (8-bit RGB or 8-bit palette, no interlace, zlib from node:zlib), for the
 * spectrogram images the demo report inlines as data: URIs. Layout per the PNG spec (RFC 2083):
 * signature, IHDR (13 bytes), [PLTE], one IDAT (the zlib stream of rows, each prefixed by its
 * filter byte), IEND; every chunk is length (u32 BE) · type · data · CRC-32 over type and data.
 */
import { deflateSync } from 'node:zlib';
import { crc32 } from '../format/crc32.js';

/** The 8-byte PNG signature. */
const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

function pngFile(ihdr: Uint8Array, plte: Uint8Array | null, raw: Uint8Array): Uint8Array {
  const parts = [PNG_SIGNATURE, chunk('IHDR', ihdr), ...(plte ? [chunk('PLTE', plte)] : []), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function header(width: number, height: number, colourType: 2 | 3): Uint8Array {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) throw new RangeError(`png: bad size ${width}×${height}`);
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = colourType; // 2 truecolour, 3 palette
  // compression 0 (deflate), filter method 0, interlace 0: already zero
  return ihdr;
}

/**
 * Rows with filter "Up" (type 2: each byte minus the byte above, mod 256; the first row minus 0),
 * which suits spectrograms (neighbouring frequency rows are alike).
 */
function rowsUp(pixels: Uint8Array, stride: number, height: number): Uint8Array {
  const raw = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const o = y * (stride + 1);
    raw[o] = 2;
    for (let i = 0; i < stride; i++) raw[o + 1 + i] = (pixels[y * stride + i] - (y > 0 ? pixels[(y - 1) * stride + i] : 0)) & 0xff;
  }
  return raw;
}

/**
 * Encodes `rgb` (width·height·3 bytes, rows top to bottom, R G B per pixel) as a PNG file.
 * Throws RangeError when the buffer does not match the size.
 */
export function pngEncodeRgb(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const ihdr = header(width, height, 2);
  if (rgb.length !== width * height * 3) throw new RangeError(`pngEncodeRgb: ${rgb.length} bytes for ${width}×${height} RGB (need ${width * height * 3})`);
  return pngFile(ihdr, null, rowsUp(rgb, width * 3, height));
}

/**
 * Encodes palette indices (width·height bytes, rows top to bottom) with `palette` (RGB triples,
 * 1–256 entries) as a PNG file. Throws RangeError on size mismatch or an index outside the palette.
 */
export function pngEncodeIndexed(width: number, height: number, indices: Uint8Array, palette: Uint8Array): Uint8Array {
  const ihdr = header(width, height, 3);
  if (indices.length !== width * height) throw new RangeError(`pngEncodeIndexed: ${indices.length} indices for ${width}×${height}`);
  if (palette.length % 3 !== 0 || palette.length < 3 || palette.length > 768) throw new RangeError(`pngEncodeIndexed: palette of ${palette.length} bytes (need 3–768, a multiple of 3)`);
  const entries = palette.length / 3;
  for (const i of indices) if (i >= entries) throw new RangeError(`pngEncodeIndexed: index ${i} outside a ${entries}-entry palette`);
  return pngFile(ihdr, palette, rowsUp(indices, width, height));
}
