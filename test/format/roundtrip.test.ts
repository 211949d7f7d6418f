/** `.hush` writer and TS reader: bit-exact round trips for every encoding and exact byte sizes. */
import { describe, expect, it } from 'vitest';
import { readHush } from '../../src/format/reader.js';
import { writeHush, type HushModel } from '../../src/format/writer.js';
import { hushTensorDense, type HushTensor } from '../../src/format/tensor.js';
import { UserError } from '../../src/errors.js';
import * as S from '../../src/format/spec.js';
import { fixtureModel } from './fixture.js';

const u32 = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** The fields that define a tensor's content, with f32 arrays as bit patterns. */
function content(t: HushTensor): unknown {
  const base = { encoding: t.encoding, shape: t.shape, bnFolded: !!t.bnFolded };
  switch (t.encoding) {
    case 'f32':
    case 'f16':
      return { ...base, data: u32(t.data) };
    case 'kmeans':
      return { ...base, codebook: u32(t.codebook), dtype: t.codebookDtype ?? 'f32', positions: t.positions && Array.from(t.positions), indices: Array.from(t.indices) };
    case 'sparse':
      return { ...base, dtype: t.valuesDtype ?? 'f32', positions: t.positions && Array.from(t.positions), values: u32(t.values) };
    case 'mpo':
      return { ...base, cores: t.cores.map(content) };
  }
}

describe('.hush round trip', () => {
  const model = fixtureModel();
  const bytes = writeHush(model);
  const back = readHush(bytes, 'fixture.hush');

  it('gives identical tensors (bit-exact) for every encoding, sparsity kind and flag', () => {
    const tensors = model.tensors as Map<string, HushTensor>;
    expect([...back.tensors.keys()]).toEqual([...tensors.keys()]);
    for (const [name, t] of tensors) {
      expect(content(back.tensors.get(name)!), name).toEqual(content(t));
      expect(u32(hushTensorDense(back.tensors.get(name)!)), name).toEqual(u32(hushTensorDense(t)));
    }
    const kinds = new Set(back.entries.map((e) => `${e.encoding}/${e.sparsity}`));
    for (const k of ['f32/null', 'f16/null', 'mpo/null', 'kmeans/none', 'kmeans/bitmap', 'kmeans/delta', 'kmeans/groups', 'sparse/bitmap', 'kmeans/blocks', 'sparse/blocks']) expect(kinds).toContain(k);
  });

  it('keeps the config (numbers vs lists), signal and metadata', () => {
    expect(back.config).toEqual(model.config);
    expect(back.config.hparams.one).toEqual([7]);
    expect(back.signal).toEqual({ sampleRateHz: 16000, windowSamples: 320, hopSamples: 160, fftSize: 320, window: 'hamming-periodic' });
    expect(back.metadata).toEqual(model.metadata);
    expect(back.versionMajor).toBe(S.HUSH_VERSION_MAJOR);
  });

  it('is canonical: writing what was read gives the same bytes', () => {
    const again = writeHush({ config: back.config, signal: back.signal, metadata: back.metadata, tensors: back.tensors });
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('.hush exact byte sizes', () => {
  it('a two-tensor file is 400 bytes, laid out as the spec says', () => {
    // header 80 | model @80: 48 + 16·1 hparam + 8·1 value = 72 | strings @160: "a","w","k" = 3
    // | table @176: 2 × 80 = 160 | data @336: w 6 × 4 = 24 (+8 pad), k codebook 16 + stream 16 × 2 bits = 4 (+12 pad) = 32
    const m: HushModel = {
      config: { arch: 'fdnn', hparams: { a: 3 } },
      tensors: {
        w: { encoding: 'f32', shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) },
        k: { encoding: 'kmeans', shape: [4, 4], codebook: new Float32Array([-1, 0.5, 2, 4]), positions: null, indices: Uint32Array.from({ length: 16 }, (_, i) => i % 4) },
      },
    };
    const b = writeHush(m);
    expect(b.length).toBe(400);
    const v = new DataView(b.buffer);
    expect(v.getUint32(S.HDR_MODEL_AT, true)).toBe(80);
    expect(v.getUint32(S.HDR_MODEL_AT + 4, true)).toBe(72);
    expect(v.getUint32(S.HDR_STRINGS_AT, true)).toBe(160);
    expect(v.getUint32(S.HDR_STRINGS_AT + 4, true)).toBe(3);
    expect(v.getUint32(S.HDR_TABLE_AT, true)).toBe(176);
    expect(v.getUint32(S.HDR_TABLE_AT + 4, true)).toBe(160);
    expect(v.getUint32(S.HDR_DATA_OFFSET_AT, true)).toBe(336);
    expect(v.getUint32(S.HDR_DATA_BYTES_AT, true)).toBe(64);
    expect(v.getUint32(S.HDR_FILE_BYTES_AT, true)).toBe(400);
    // the index stream: indices 0,1,2,3,… at 2 bits LSB-first = 0b11100100 = 0xe4 per byte
    expect(Array.from(b.subarray(336 + 32 + 16, 336 + 32 + 20))).toEqual([0xe4, 0xe4, 0xe4, 0xe4]);
    // a k-means payload always runs to the (empty) sparsity block at alignOffset(stream end)
    expect(readHush(b).entries.map((e) => e.payloadBytes)).toEqual([24, 32]);
  });

  it('payload sizes per encoding (the struct sizes of docs/format.md)', () => {
    const f = readHush(
      writeHush({
        config: { arch: 'lstm', hparams: {} },
        tensors: {
          // dense f16: 5 × 2
          h: { encoding: 'f16', shape: [5], data: new Float32Array([1, 2, 0.5, -4, 0]) },
          // k-means K = 5, f16 codebook 10 B | pad → 16 | 10 × 3 bits = 4 B → 20 | pad → 32 | bitmap 20 bits = 3 B → 35
          b: { encoding: 'kmeans', shape: [4, 5], codebook: new Float32Array([0, 1, 2, 3, 4]), codebookDtype: 'f16', positions: Uint32Array.from([0, 2, 3, 6, 7, 8, 11, 13, 17, 19]), indices: Uint32Array.from([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]) },
          // k-means K = 1 (0 bits): codebook 4 B | pad → 16 | no stream | delta [2, 40, 41] at w = 3: codes 2,7,7,7,7,7,2,0 = 24 bits = 3 B → 19
          d: { encoding: 'kmeans', shape: [100], codebook: new Float32Array([0.25]), positions: Uint32Array.from([2, 40, 41]), indices: new Uint32Array(3) },
          // columns 1 and 3 of [6, 4]: group list gaps 1, 1 at w = 1: codes 1,0,1,0 = 1 B; stream 12 × 1 bit = 2 B → 16 + 2 → pad 32 + 1 = 33
          g: { encoding: 'kmeans', shape: [6, 4], codebook: new Float32Array([1, -1]), positions: Uint32Array.from([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23]), indices: new Uint32Array(12) },
          // sparse f32: 3 values 12 B | pad → 16 | bitmap 9 bits = 2 B (delta also 2 B: bitmap wins ties) → 18
          s: { encoding: 'sparse', shape: [3, 3], positions: Uint32Array.from([0, 4, 8]), values: new Float32Array([1, 2, 3]) },
        },
      }),
    );
    const by = Object.fromEntries(f.entries.map((e) => [e.name, e]));
    expect(by.h.payloadBytes).toBe(10);
    expect([by.b.payloadBytes, by.b.sparsity, by.b.bits]).toEqual([35, 'bitmap', 3]);
    expect([by.d.payloadBytes, by.d.sparsity, by.d.sparsityParam, by.d.bits]).toEqual([19, 'delta', 3, 0]);
    expect([by.g.payloadBytes, by.g.sparsity, by.g.sparsityParam]).toEqual([33, 'groups', 0x101]);
    expect([by.s.payloadBytes, by.s.sparsity]).toEqual([18, 'bitmap']);
    expect(f.signal.window).toBe('hamming-periodic');
  });

  it('struct sizes', () => {
    expect(S.HUSH_HEADER_BYTES).toBe(S.HDR_CRC_AT + 4);
    expect(S.HUSH_TENSOR_BYTES).toBe(S.TENSOR_PARAMS_RESERVED_AT + 8);
    expect(S.HUSH_MODEL_FIXED_BYTES).toBe(S.MODEL_RESERVED_AT + 4);
    expect([S.MODEL_TASK_AT, S.MODEL_OUTPUT_COUNT_AT, S.MODEL_RESERVED_AT]).toEqual([36, 40, 44]);
    expect(S.HUSH_HPARAM_BYTES).toBe(S.HPARAM_COUNT_AT + 4);
    expect(S.HUSH_META_BYTES).toBe(S.META_VALUE_BYTES_AT + 4);
    for (const n of [S.HUSH_HEADER_BYTES, S.HUSH_TENSOR_BYTES, S.HUSH_MODEL_FIXED_BYTES, S.HUSH_HPARAM_BYTES, S.HUSH_META_BYTES]) expect(n % 16).toBe(0);
  });
});

describe('.hush writer rejects bad input', () => {
  const cfg = { arch: 'fdnn' as const, hparams: {} };
  const bad: [string, Record<string, HushTensor>, RegExp][] = [
    ['index ≥ K', { w: { encoding: 'kmeans', shape: [2], codebook: new Float32Array([1]), positions: null, indices: Uint32Array.from([0, 1]) } }, /tensor w: index #1 is 1, not below K = 1/],
    ['unsorted positions', { w: { encoding: 'sparse', shape: [4], positions: Uint32Array.from([2, 1]), values: new Float32Array(2) } }, /strictly ascending/],
    ['f16 not exact', { w: { encoding: 'f16', shape: [1], data: new Float32Array([0.1]) } }, /f16 does not store exactly/],
    ['NaN', { w: { encoding: 'f32', shape: [1], data: new Float32Array([NaN]) } }, /not finite/],
    ['rank 5', { w: { encoding: 'f32', shape: [1, 1, 1, 1, 1], data: new Float32Array(1) } }, /rank 5 exceeds 4/],
    ['zero dim', { w: { encoding: 'f32', shape: [0], data: new Float32Array(0) } }, /not a positive integer/],
    ['data length', { w: { encoding: 'f32', shape: [3], data: new Float32Array(2) } }, /needs 3 values/],
    ['K too big', { w: { encoding: 'kmeans', shape: [1], codebook: new Float32Array(65537), positions: null, indices: new Uint32Array(1) } }, /K = 65537/],
    ['MPO shape', { w: { encoding: 'mpo', shape: [4, 4], cores: [{ encoding: 'f32', shape: [1, 2, 2, 1], data: new Float32Array(4) }] } }, /MPO cores give a 2×2 matrix/],
    ['forced sparsity', { w: { encoding: 'sparse', shape: [4], positions: Uint32Array.from([1]), values: new Float32Array(1), sparsity: 'none' } }, /tensor w: sparsity "none" cannot represent/],
    ['blocks without a shape', { w: { encoding: 'sparse', shape: [4, 1], positions: null, values: new Float32Array(4), sparsity: 'blocks' } }, /tensor w: sparsity "blocks" needs a block shape/],
    ['block shape 2x2', { w: { encoding: 'sparse', shape: [4, 4], positions: null, values: new Float32Array(16), sparsity: 'blocks', block: [2, 2] } }, /tensor w: block shape 2x2 is not one of 4x1, 8x1, 1x4/],
    ['blocks on a vector', { w: { encoding: 'sparse', shape: [8], positions: null, values: new Float32Array(8), sparsity: 'blocks', block: [4, 1] } }, /tensor w: blocks need a matrix, not rank 1/],
    ['blocks that do not tile', { w: { encoding: 'sparse', shape: [6, 2], positions: null, values: new Float32Array(12), sparsity: 'blocks', block: [4, 1] } }, /tensor w: the matrix view 6 × 2 does not tile into 4x1 blocks/],
    ['a partial block', { w: { encoding: 'sparse', shape: [4, 2], positions: Uint32Array.from([0, 2, 4]), values: new Float32Array(3), sparsity: 'blocks', block: [4, 1] } }, /tensor w: 3 stored weights are not whole 4x1 blocks/],
  ];
  for (const [label, tensors, re] of bad) {
    it(label, () => {
      expect(() => writeHush({ config: cfg, tensors })).toThrow(UserError);
      expect(() => writeHush({ config: cfg, tensors })).toThrow(re);
    });
  }
});

describe('.hush block sparsity (format minor 2)', () => {
  const cfg = { arch: 'fdnn' as const, hparams: {} };
  it('stores the weights in block order and reads them back in ascending order', () => {
    // W[4][2] = [[1, 2], [3, 4], [5, 6], [7, 8]] in two 4x1 blocks (columns): file order 1 3 5 7 | 2 4 6 8
    const values = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const bytes = writeHush({ config: cfg, tensors: { w: { encoding: 'sparse', shape: [4, 2], positions: null, values, sparsity: 'blocks', block: [4, 1] } } });
    const stored = Buffer.from(Float32Array.from([1, 3, 5, 7, 2, 4, 6, 8]).buffer);
    expect(Buffer.from(bytes).indexOf(stored)).toBeGreaterThan(0);
    const back = readHush(bytes).tensors.get('w')!;
    expect(back).toMatchObject({ encoding: 'sparse', sparsity: 'blocks', block: [4, 1], positions: Uint32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), values });
    expect(readHush(bytes).versionMinor).toBe(S.HUSH_VERSION_MINOR_BLOCKS);
  });
  it('writes minor version 0 when no tensor uses blocks, so older readers still read it', () => {
    const bytes = writeHush({ config: cfg, tensors: { w: { encoding: 'sparse', shape: [4, 2], positions: Uint32Array.from([1, 5]), values: Float32Array.from([1, 2]) } } });
    expect(readHush(bytes).versionMinor).toBe(0);
    expect(readHush(writeHush(fixtureModel())).versionMinor).toBe(2);
  });
});
