/** Building blocks of the `.hush` format: CRC-32, UTF-8 validation, bit packing, gap codes, groups, MPO, BN folding. */
import { describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { crc32 } from '../../src/format/crc32.js';
import { utf8InvalidAt } from '../../src/format/utf8.js';
import { bitpackRead, bitpackReadAll, bitpackWrite, gapBestWidth, gapDecode, gapEncode, gapEncodedBytes } from '../../src/format/bitpack.js';
import { groupGeometry, groupPositions, groupsFromPositions, sparsityDecode, sparsityEncode } from '../../src/format/sparsity.js';
import { mpoContract } from '../../src/format/mpo.js';
import { bnFoldIntoConv } from '../../src/format/bnFold.js';
import { randn, rng } from './fixture.js';

describe('crc32', () => {
  it('equals zlib.crc32 on every length 0..300 and on 1 MiB', () => {
    const r = rng(7);
    const b = Uint8Array.from({ length: 1 << 20 }, () => Math.floor(r() * 256));
    for (let n = 0; n <= 300; n++) expect(crc32(b, 0, n)).toBe(zlib.crc32(b.subarray(0, n)));
    for (const start of [1, 2, 3]) expect(crc32(b, start, start + 1001)).toBe(zlib.crc32(b.subarray(start, start + 1001)));
    expect(crc32(b)).toBe(zlib.crc32(b));
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926); // the standard check value
  });
});

describe('utf8InvalidAt', () => {
  it('accepts exactly what a fatal TextDecoder accepts (random and edge sequences)', () => {
    const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const r = rng(3);
    const edge = [0x00, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x90, 0xa0, 0x9f, 0x8f];
    for (let i = 0; i < 20000; i++) {
      const n = 1 + Math.floor(r() * 6);
      const b = Uint8Array.from({ length: n }, () => (r() < 0.7 ? edge[Math.floor(r() * edge.length)] : Math.floor(r() * 256)));
      let ok = true;
      try {
        dec.decode(b);
      } catch {
        ok = false;
      }
      expect(utf8InvalidAt(b, 0, n) < 0, Array.from(b).join(',')).toBe(ok);
    }
    const name = new TextEncoder().encode('enc1.conv.weight ✓ 𝄞');
    expect(utf8InvalidAt(name, 0, name.length)).toBe(-1);
    expect(utf8InvalidAt(name, 0, name.length - 1)).toBe(21); // cut inside the 4-byte sequence
    expect(utf8InvalidAt(Uint8Array.from([0x61, 0xed, 0xa0, 0x80]), 0, 4)).toBe(1); // a surrogate
  });
});

describe('bit packing (LSB-first)', () => {
  it('round-trips every width 0..16', () => {
    const r = rng(5);
    for (let w = 0; w <= 16; w++) {
      const vals = Uint32Array.from({ length: 101 }, () => (w === 0 ? 0 : Math.floor(r() * 2 ** w)));
      const packed = bitpackWrite(vals, w);
      expect(packed.length).toBe(Math.ceil((101 * w) / 8));
      expect(Array.from(bitpackReadAll(packed, 0, 101, w))).toEqual(Array.from(vals));
    }
  });
  it('puts value 0 in the low bits of byte 0', () => {
    expect(Array.from(bitpackWrite([1, 2, 3], 3))).toEqual([0b11010001, 0b0]);
    expect(bitpackRead(Uint8Array.from([0b11010001, 0]), 0, 3, 3)).toBe(2);
  });
  it('gap code round-trips and picks the smallest width', () => {
    const r = rng(9);
    for (let t = 0; t < 200; t++) {
      const vals: number[] = [];
      let v = -1;
      const n = Math.floor(r() * 50);
      for (let i = 0; i < n; i++) vals.push((v += 1 + Math.floor(r() ** 3 * 3000)));
      const { w, bytes } = gapBestWidth(vals);
      const enc = gapEncode(vals, w);
      expect(enc.length).toBe(bytes);
      for (let x = 1; x <= 16; x++) expect(gapEncodedBytes(vals, x)).toBeGreaterThanOrEqual(bytes);
      expect(Array.from(gapDecode(enc, 0, vals.length, w))).toEqual(vals);
    }
  });
});

describe('sparsity groups', () => {
  it('geometry of [d0, d1, ...rest]: rows, columns, kernels', () => {
    expect(groupGeometry([8, 3, 2, 5], 0)).toEqual({ groups: 8, size: 30 });
    expect(groupGeometry([8, 3, 2, 5], 1)).toEqual({ groups: 3, size: 80 });
    expect(groupGeometry([8, 3, 2, 5], 2)).toEqual({ groups: 24, size: 10 });
    expect(groupGeometry([8], 1)).toBeNull();
    // column 1 of a 3×4 matrix
    expect(Array.from(groupPositions([3, 4], 1, [1]))).toEqual([1, 5, 9]);
    // kernel (1, 0) of [2, 2, 1, 3]
    expect(Array.from(groupPositions([2, 2, 1, 3], 2, [2]))).toEqual([6, 7, 8]);
    expect(groupsFromPositions([3, 4], 1, Uint32Array.from([1, 5, 9]))).toEqual(Uint32Array.from([1]));
    expect(groupsFromPositions([3, 4], 1, Uint32Array.from([1, 5]))).toBeNull();
  });
  it('every kind decodes back to the positions it encoded', () => {
    const r = rng(11);
    const shape = [6, 5, 1, 3];
    for (let t = 0; t < 50; t++) {
      const kept = [...Array(30).keys()].filter(() => r() < 0.4);
      const pos = groupPositions(shape, 2, kept);
      for (const kind of ['auto', 'bitmap', 'delta', 'groups'] as const) {
        const code = sparsityEncode(shape, pos, kind);
        expect(Array.from(sparsityDecode(shape, code.kind, code.param, code.bytes, 0, pos.length) ?? [])).toEqual(Array.from(pos));
      }
    }
  });
});

describe('MPO reference contraction', () => {
  it('equals the element-wise definition W[r,c] = Σ G1[0,i1,j1,a]·G2[a,i2,j2,0]', () => {
    const r = rng(13);
    const g1 = randn(1 * 3 * 2 * 4, r);
    const g2 = randn(4 * 2 * 5 * 1, r);
    const w = mpoContract([6, 10], [{ shape: [1, 3, 2, 4], data: g1 }, { shape: [4, 2, 5, 1], data: g2 }]);
    for (let i1 = 0; i1 < 3; i1++)
      for (let i2 = 0; i2 < 2; i2++)
        for (let j1 = 0; j1 < 2; j1++)
          for (let j2 = 0; j2 < 5; j2++) {
            let s = 0;
            for (let a = 0; a < 4; a++) s += g1[(i1 * 2 + j1) * 4 + a] * g2[((a * 2 + i2) * 5 + j2) * 1];
            expect(w[(i1 * 2 + i2) * 10 + (j1 * 5 + j2)]).toBe(Math.fround(s));
          }
  });
  it('a single core is its own matrix', () => {
    const g = randn(12, rng(1));
    expect(Array.from(mpoContract([3, 4], [{ shape: [1, 3, 4, 1], data: g }]))).toEqual(Array.from(g));
  });
});

describe('BatchNorm folding', () => {
  it('conv → BN equals the folded conv, BN tensors removed, bias created', () => {
    const r = rng(17);
    const [cout, cin, k] = [3, 2, 4];
    const w = randn(cout * cin * k, r);
    const t = new Map([
      ['c.weight', { shape: [cout, cin, 1, k], data: w }],
      ['bn.weight', { shape: [cout], data: Float32Array.from([1.5, -0.5, 2]) }],
      ['bn.bias', { shape: [cout], data: Float32Array.from([0.1, 0.2, -0.3]) }],
      ['bn.running_mean', { shape: [cout], data: Float32Array.from([0.5, -1, 0]) }],
      ['bn.running_var', { shape: [cout], data: Float32Array.from([4, 0.25, 1]) }],
      ['bn.num_batches_tracked', { shape: [], data: Float32Array.from([100]) }],
      ['next.weight', { shape: [1], data: Float32Array.from([1]) }],
    ]);
    const { tensors, folded } = bnFoldIntoConv(t, [{ conv: 'c', bn: 'bn' }]);
    expect([...tensors.keys()]).toEqual(['c.weight', 'c.bias', 'next.weight']);
    expect([...folded]).toEqual(['c.weight', 'c.bias']);
    const x = randn(cin * k, r); // one input patch
    const W = tensors.get('c.weight')!.data;
    const B = tensors.get('c.bias')!.data;
    for (let c = 0; c < cout; c++) {
      let y = 0;
      let yf = B[c];
      for (let i = 0; i < cin * k; i++) {
        y += w[c * cin * k + i] * x[i];
        yf += W[c * cin * k + i] * x[i];
      }
      const g = t.get('bn.weight')!.data[c];
      const ref = (g * (y - t.get('bn.running_mean')!.data[c])) / Math.sqrt(t.get('bn.running_var')!.data[c] + 1e-5) + t.get('bn.bias')!.data[c];
      expect(yf).toBeCloseTo(ref, 5);
    }
  });
  it('transposed conv scales along axis 1', () => {
    const w = new Float32Array(2 * 3).fill(1); // [in 2, out 3]
    const ones = (v: number) => ({ shape: [3], data: new Float32Array(3).fill(v) });
    const t = new Map([['t.weight', { shape: [2, 3], data: w }], ['b.weight', { shape: [3], data: Float32Array.from([1, 2, 3]) }], ['b.bias', ones(0)], ['b.running_mean', ones(0)], ['b.running_var', ones(1 - 1e-5)]]);
    const out = bnFoldIntoConv(t, [{ conv: 't', bn: 'b', outAxis: 1 }]).tensors.get('t.weight')!.data;
    expect(Array.from(out).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([1, 2, 3, 1, 2, 3]);
  });
  it('names a missing tensor', () => {
    expect(() => bnFoldIntoConv(new Map([['c.weight', { shape: [1, 1], data: new Float32Array(1) }]]), [{ conv: 'c', bn: 'bn' }])).toThrow(/tensor bn.weight is missing/);
  });
});
