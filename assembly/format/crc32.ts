// CRC-32 (IEEE 802.3 / zlib: reflected polynomial 0xEDB88320, init and final xor 0xFFFFFFFF) of the
// .hush sections and payloads; the same slice-by-4 algorithm as src/format/crc32.ts.

/** Four 256-entry u32 tables (4 KiB, static): table 0 is the byte table, table t advances t more zero bytes. Built on first use. */
const CRC_TABLES: usize = memory.data(4096, 16);
let crcReady = false;

function crcBuild(): void {
  for (let b: u32 = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    store<u32>(CRC_TABLES + (<usize>b << 2), c);
  }
  for (let b: u32 = 0; b < 256; b++) {
    for (let t: u32 = 1; t < 4; t++) {
      const prev = load<u32>(CRC_TABLES + (<usize>((t - 1) * 256 + b) << 2));
      const next = load<u32>(CRC_TABLES + (<usize>(prev & 0xff) << 2)) ^ (prev >>> 8);
      store<u32>(CRC_TABLES + (<usize>(t * 256 + b) << 2), next);
    }
  }
  crcReady = true;
}

// @ts-ignore: decorator
@inline function tab(t: u32, b: u32): u32 {
  return load<u32>(CRC_TABLES + (<usize>((t << 8) | b) << 2));
}

/** CRC-32 of the `n` bytes at `ptr` (the caller has bounds-checked the range). */
export function crc32(ptr: usize, n: usize): u32 {
  if (!crcReady) crcBuild();
  let c: u32 = 0xffffffff;
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) {
    c ^= load<u32>(ptr + i); // little-endian word: byte 0 in the low bits
    c = tab(3, c & 0xff) ^ tab(2, (c >>> 8) & 0xff) ^ tab(1, (c >>> 16) & 0xff) ^ tab(0, c >>> 24);
  }
  for (; i < n; i++) c = tab(0, (c ^ <u32>load<u8>(ptr + i)) & 0xff) ^ (c >>> 8); // scalar tail
  return c ^ 0xffffffff;
}
