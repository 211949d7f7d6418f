import { describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors } from '../../src/format/safetensors.js';
import { UserError } from '../../src/errors.js';

function header(bytes: Uint8Array): Record<string, unknown> {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
}

/** Builds a file from a raw header object and data buffer (for malformed cases). */
function build(h: unknown, data: Uint8Array, headerText?: string): Uint8Array {
  const json = new TextEncoder().encode(headerText ?? JSON.stringify(h));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors', () => {
  const tensors = new Map([
    ['enc1.conv.weight', { shape: [2, 1, 1, 3], data: new Float32Array([1, -2, 3.5, 1e-30, -0, Number.MAX_VALUE > 0 ? 3.4e38 : 0]) }],
    ['enc1.conv.bias', { shape: [2], data: new Float32Array([0.25, -0.125]) }],
    ['scalar', { shape: [], data: new Float32Array([7]) }],
    ['empty', { shape: [0, 4], data: new Float32Array(0) }],
  ]);
  const metadata = { arch: 'tcnn', preset: 'tiny', hparams: '{"channels":[16,32]}' };

  it('round-trips tensors bit-exactly, in order, with metadata', () => {
    const bytes = writeSafetensors(tensors, metadata);
    const h = header(bytes);
    // data starts 8-byte aligned; header padded with spaces
    const n = new DataView(bytes.buffer).getUint32(0, true);
    expect((8 + n) % 8).toBe(0);
    expect(bytes.length).toBe(8 + n + 4 * (6 + 2 + 1));
    expect(h['enc1.conv.weight']).toEqual({ dtype: 'F32', shape: [2, 1, 1, 3], data_offsets: [0, 24] });
    const back = readSafetensors(bytes, 'm.safetensors');
    expect([...back.tensors.keys()]).toEqual([...tensors.keys()]);
    for (const [k, t] of tensors) {
      const b = back.tensors.get(k)!;
      expect(b.shape).toEqual(t.shape);
      expect(new Uint32Array(b.data.buffer)).toEqual(new Uint32Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength)));
    }
    expect(back.metadata).toEqual(metadata);
  });

  it('reads from a Node Buffer (what readFileSync returns): each tensor gets its own bytes only', () => {
    const a = Float32Array.from([1, 2, 3]);
    const b = Float32Array.from([-4, 5.5]);
    const bytes = Buffer.from(writeSafetensors(new Map([['a', { shape: [3], data: a }], ['b', { shape: [2], data: b }]])));
    const { tensors } = readSafetensors(bytes, 'buf.safetensors');
    expect(Array.from(tensors.get('a')!.data)).toEqual([1, 2, 3]);
    expect(Array.from(tensors.get('b')!.data)).toEqual([-4, 5.5]);
    expect(tensors.get('b')!.data.buffer.byteLength).toBe(8);
  });

  it('reads F16, BF16, F64 and I64 (num_batches_tracked) as f32', () => {
    const data = new Uint8Array(2 + 2 + 8 + 8);
    const v = new DataView(data.buffer);
    v.setUint16(0, 0x3c00, true); // f16 1.0
    v.setUint16(2, 0xc040, true); // bf16 -3.0
    v.setFloat64(4, 0.5, true);
    v.setBigInt64(12, 1234n, true);
    const f = readSafetensors(
      build({ a: { dtype: 'F16', shape: [1], data_offsets: [0, 2] }, b: { dtype: 'BF16', shape: [1], data_offsets: [2, 4] }, c: { dtype: 'F64', shape: [1], data_offsets: [4, 12] }, n: { dtype: 'I64', shape: [], data_offsets: [12, 20] } }, data),
      'x',
    );
    expect(f.tensors.get('n')!.data[0]).toBe(1234);
    expect(f.tensors.get('a')!.data[0]).toBe(1);
    expect(f.tensors.get('b')!.data[0]).toBe(-3);
    expect(f.tensors.get('c')!.data[0]).toBe(0.5);
  });

  const f32 = (n: number) => new Uint8Array(4 * n);
  const cases: [string, Uint8Array, RegExp][] = [
    ['too short', new Uint8Array(5), /m: file is 5 bytes, too short/],
    ['header past end', (() => { const b = build({}, new Uint8Array(0)); new DataView(b.buffer).setUint32(0, 100, true); return b; })(), /header of 100 bytes ends 98 bytes past the end/],
    ['huge header length', (() => { const b = new Uint8Array(16); new DataView(b.buffer).setUint32(4, 1, true); return b; })(), /exceeds the .*-byte limit/],
    ['not an object', build(null, new Uint8Array(0), '[1]'), /does not start with '\{'/],
    ['bad JSON', build(null, new Uint8Array(0), '{"a":'), /not valid JSON/],
    ['bad utf8', build(null, new Uint8Array(0), '{"\u00ff":1}'.replace('\u00ff', 'x')).map((b, i) => (i === 10 ? 0xff : b)), /not valid UTF-8/],
    ['bad dtype', build({ w: { dtype: 'U8', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)), /tensor w: dtype U8 is not supported/],
    ['bad shape', build({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, f32(1)), /tensor w: shape \[-1\]/],
    ['shape mismatch', build({ w: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 20] } }, f32(5)), /tensor w: shape \[2,3\] of F32 needs 6 elements but data_offsets hold 20 bytes/],
    ['huge shape', build({ w: { dtype: 'F32', shape: [2 ** 40, 2 ** 40], data_offsets: [0, 4] } }, f32(1)), /tensor w: shape/],
    ['offsets past end', build({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, f32(2)), /tensor w: data ends 8 bytes past the end of the file/],
    ['offsets reversed', build({ w: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, f32(1)), /tensor w: data_offsets \[4,0\]/],
    ['overlap', build({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(2)), /overlap the previous tensor/],
    ['gap', build({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(2)), /tensor a: 4 bytes before/],
    ['trailing', build({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32(2)), /4 bytes after the last tensor/],
    ['metadata not strings', build({ __metadata__: { a: 1 } }, new Uint8Array(0)), /__metadata__.a is not a string/],
    ['entry not object', build({ w: 3 }, new Uint8Array(0)), /tensor w: entry is not an object/],
  ];
  for (const [label, bytes, re] of cases) {
    it(`rejects: ${label}`, () => {
      expect(() => readSafetensors(bytes, 'm')).toThrow(UserError);
      expect(() => readSafetensors(bytes, 'm')).toThrow(re);
    });
  }

  it('writer validates shapes and metadata', () => {
    expect(() => writeSafetensors(new Map([['w', { shape: [3], data: new Float32Array(2) }]]))).toThrow(/needs 3 values, data has 2/);
    expect(() => writeSafetensors({}, { a: 1 as unknown as string })).toThrow(/not a string/);
  });
});
