/**
 * Deterministic mutations of a valid `.hush` file for the fuzz tests: truncation at every offset, bit
 * flips, random counts/offsets/sizes written into header, model and table fields, oversize K, huge
 * shapes, spliced and appended bytes. Most structural mutations are re-signed (all checksums
 * recomputed) so that they get past the CRC checks and reach the deeper validation.
 */
import { hushResign } from '../../src/format/writer.js';
import * as S from '../../src/format/spec.js';
import { rng } from './fixture.js';

export interface Mutation {
  kind: string;
  bytes: Uint8Array;
}

/** Field positions worth overwriting: every u32 of the header, the model section's fixed part and entries, and the table. */
function fieldOffsets(base: Uint8Array): { u32: number[]; u8: number[]; k: number[]; dims: number[]; entries: number[]; payload: number[] } {
  const v = new DataView(base.buffer, base.byteOffset, base.byteLength);
  const u32: number[] = [];
  const u8: number[] = [];
  const k: number[] = [];
  const dims: number[] = [];
  const entries: number[] = [];
  const payload: number[] = [];
  const dataOff = v.getUint32(S.HDR_DATA_OFFSET_AT, true);
  for (let p = 0; p < S.HUSH_HEADER_BYTES; p += 2) u32.push(p);
  const model = v.getUint32(S.HDR_MODEL_AT, true);
  const modelBytes = v.getUint32(S.HDR_MODEL_AT + 4, true);
  for (let p = model; p + 4 <= model + modelBytes; p += 4) u32.push(p);
  const table = v.getUint32(S.HDR_TABLE_AT, true);
  const n = v.getUint32(S.HDR_TENSOR_COUNT_AT, true);
  for (let i = 0; i < n; i++) {
    const e = table + S.HUSH_TENSOR_BYTES * i;
    entries.push(e);
    const at = dataOff + v.getUint32(e + S.TENSOR_DATA_OFFSET_AT, true);
    const n = v.getUint32(e + S.TENSOR_DATA_BYTES_AT, true);
    for (let p = at; p + 4 <= at + n; p += 2) payload.push(p);
    for (let p = 0; p < S.HUSH_TENSOR_BYTES; p += 4) u32.push(e + p);
    for (const p of [S.TENSOR_ENCODING_AT, S.TENSOR_RANK_AT, S.TENSOR_FLAGS_AT, S.TENSOR_RESERVED0_AT, S.TENSOR_BITS_AT, S.TENSOR_VALUE_DTYPE_AT, S.TENSOR_STREAM_CODING_AT, S.TENSOR_SPARSITY_AT]) u8.push(e + p);
    if (base[e + S.TENSOR_ENCODING_AT] === S.HUSH_ENC_KMEANS) k.push(e + S.TENSOR_K_AT);
    for (let d = 0; d < 4; d++) dims.push(e + S.TENSOR_DIMS_AT + 4 * d);
  }
  return { u32, u8, k, dims, entries, payload };
}

/** Yields `count` mutations of `base` (the first base.length of them are the truncations at every offset). */
export function* hushMutations(base: Uint8Array, seed: number, count: number): Generator<Mutation> {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const f = fieldOffsets(base);
  const len = base.length;
  const interesting = [0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 255, 256, 0xffff, 0x10000, 0x10001, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff, len - 1, len, len + 1, S.HUSH_MAX_ELEMENTS, S.HUSH_MAX_ELEMENTS + 1];
  const randU32 = () => (r() < 0.6 ? pick(interesting) : Math.floor(r() * 2 ** 32)) >>> 0;
  const put32 = (b: Uint8Array, at: number, value: number) => {
    if (at + 4 <= b.length) new DataView(b.buffer, b.byteOffset).setUint32(at, value >>> 0, true);
  };
  let produced = 0;
  for (let cut = 0; cut < len && produced < count; cut++, produced++) yield { kind: 'truncate', bytes: base.slice(0, cut) };
  while (produced < count) {
    produced++;
    const b = base.slice();
    const choice = r();
    if (choice < 0.2) {
      // raw bit flips, checksums left stale: must be caught by CRCs (or earlier checks)
      const flips = 1 + Math.floor(r() * 3);
      for (let i = 0; i < flips; i++) {
        const p = Math.floor(r() * len);
        b[p] ^= 1 << Math.floor(r() * 8);
      }
      yield { kind: 'bitflip', bytes: b };
    } else if (choice < 0.35) {
      // bit flips anywhere, re-signed: reaches field and content checks
      const flips = 1 + Math.floor(r() * 2);
      for (let i = 0; i < flips; i++) {
        const p = Math.floor(r() * len);
        b[p] ^= 1 << Math.floor(r() * 8);
      }
      hushResign(b);
      yield { kind: 'bitflip-resigned', bytes: b };
    } else if (choice < 0.6) {
      put32(b, pick(f.u32), randU32());
      if (r() < 0.3) put32(b, pick(f.u32), randU32());
      hushResign(b);
      yield { kind: 'field-u32', bytes: b };
    } else if (choice < 0.72) {
      const at = pick(f.u8);
      b[at] = r() < 0.5 ? Math.floor(r() * 8) : Math.floor(r() * 256);
      hushResign(b);
      yield { kind: 'field-u8', bytes: b };
    } else if (choice < 0.78 && f.k.length > 0) {
      // oversize (or undersize) K, sometimes with a matching bit width
      const at = pick(f.k);
      const k = pick([0, 2, 3, 65536, 65537, 1 << 20, 0xffffffff, Math.floor(r() * 2 ** 32)]) >>> 0;
      put32(b, at, k);
      if (r() < 0.5) b[at + 4] = Math.min(255, Math.ceil(Math.log2(Math.max(1, k))));
      hushResign(b);
      yield { kind: 'oversize-k', bytes: b };
    } else if (choice < 0.84) {
      // huge shapes
      const at = pick(f.dims);
      put32(b, at, pick([0x10000, 0x1000000, 0x7fffffff, 0xffffffff, S.HUSH_MAX_ELEMENTS, Math.floor(r() * 2 ** 32)]));
      if (r() < 0.5) put32(b, pick(f.dims), randU32());
      hushResign(b);
      yield { kind: 'huge-shape', bytes: b };
    } else if (choice < 0.845) {
      // a non-finite value (f32 inf/NaN or f16 inf/NaN bits) somewhere in a payload, re-signed
      const at = pick(f.payload);
      if (r() < 0.5) put32(b, at, pick([0x7f800000, 0xff800000, 0x7fc00000]));
      else new DataView(b.buffer).setUint16(at, pick([0x7c00, 0xfc00, 0x7e00]), true);
      hushResign(b);
      yield { kind: 'nonfinite', bytes: b };
    } else if (choice < 0.87) {
      // consistent reshape: new rank and small dims with a matching element count (reaches the MPO
      // chain, group geometry and size checks behind the count check)
      const e = pick(f.entries);
      const rank = Math.floor(r() * 5);
      let count = 1;
      for (let d = 0; d < 4; d++) {
        const dim = d < rank ? 1 + Math.floor(r() * (r() < 0.2 ? 2000 : 6)) : 0;
        put32(b, e + S.TENSOR_DIMS_AT + 4 * d, dim);
        if (d < rank) count *= dim;
      }
      b[e + S.TENSOR_RANK_AT] = rank;
      put32(b, e + S.TENSOR_COUNT_AT, count);
      hushResign(b);
      yield { kind: 'reshape', bytes: b };
    } else if (choice < 0.9) {
      // splice: copy a random chunk over another place
      const n = 1 + Math.floor(r() * 64);
      const from = Math.floor(r() * len);
      const to = Math.floor(r() * len);
      b.copyWithin(to, from, Math.min(len, from + n));
      if (r() < 0.7) hushResign(b);
      yield { kind: 'splice', bytes: b };
    } else if (choice < 0.95) {
      // appended garbage, with the header's file size sometimes adjusted
      const extra = Uint8Array.from({ length: 1 + Math.floor(r() * 40) }, () => (r() < 0.5 ? 0 : Math.floor(r() * 256)));
      const out = new Uint8Array(len + extra.length);
      out.set(b);
      out.set(extra, len);
      if (r() < 0.5) put32(out, S.HDR_FILE_BYTES_AT, out.length);
      if (r() < 0.5) put32(out, S.HDR_DATA_BYTES_AT, out.length - new DataView(out.buffer).getUint32(S.HDR_DATA_OFFSET_AT, true));
      hushResign(out);
      yield { kind: 'append', bytes: out };
    } else {
      // truncate after a re-signed field change
      put32(b, pick(f.u32), randU32());
      hushResign(b);
      yield { kind: 'field-truncate', bytes: b.slice(0, Math.floor(r() * len)) };
    }
  }
}
