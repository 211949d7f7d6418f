/**
 * CRC-32 (IEEE 802.3 / zlib: reflected polynomial 0xEDB88320, init and final xor 0xFFFFFFFF), the
 * checksum of every `.hush` section and tensor payload. Slice-by-4: four 256-entry tables (4 KiB)
 * consume a 32-bit word per step. assembly/format/crc32.ts builds the same tables; both are tested
 * against Node's zlib.crc32.
 */

/** CRC_TABLES[t * 256 + b]: table 0 is the classic byte table; table t advances t more zero bytes. */
const CRC_TABLES: Uint32Array = (() => {
  const t = new Uint32Array(4 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[b] = c >>> 0;
  }
  for (let b = 0; b < 256; b++) {
    for (let s = 1; s < 4; s++) {
      const prev = t[(s - 1) * 256 + b];
      t[s * 256 + b] = (t[prev & 0xff] ^ (prev >>> 8)) >>> 0;
    }
  }
  return t;
})();

/** CRC-32 of bytes[start, end) (defaults: the whole array). Returns an unsigned 32-bit number. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = CRC_TABLES;
  let c = 0xffffffff;
  let i = start;
  // 4 bytes per step: xor the little-endian word into the register, then look up each byte.
  for (; i + 4 <= end; i += 4) {
    c ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    c = t[768 + (c & 0xff)] ^ t[512 + ((c >>> 8) & 0xff)] ^ t[256 + ((c >>> 16) & 0xff)] ^ t[c >>> 24];
  }
  for (; i < end; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8); // scalar tail
  return (c ^ 0xffffffff) >>> 0;
}
