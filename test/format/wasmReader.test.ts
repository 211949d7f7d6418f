/** The WASM `.hush` reader against the TypeScript one on a file with every encoding. */
import { beforeAll, describe, expect, it } from 'vitest';
import { readHush } from '../../src/format/reader.js';
import { hushErrorMessage } from '../../src/format/message.js';
import { hushResign, writeHush } from '../../src/format/writer.js';
import { hushValidate } from '../../src/format/validate.js';
import { hushTensorDense, type HushTensor } from '../../src/format/tensor.js';
import * as S from '../../src/format/spec.js';
import { fixtureModel } from './fixture.js';
import { loadFormatTestWasm } from './wasmBuild.js';
import { tableOrder } from './fixture.js';
import { formatWasmDecode, formatWasmOpen, formatWasmSetup, type FormatWasm } from './wasmHarness.js';

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe('WASM reader', () => {
  let w: FormatWasm;
  const bytes = writeHush(fixtureModel());
  const ts = readHush(bytes, 'fixture.hush');
  beforeAll(async () => {
    w = formatWasmSetup(await loadFormatTestWasm(), 1 << 16, 1 << 16);
  });

  it('opens the fixture and reports the same model and tensor descriptors as the TS reader', () => {
    const { code, filePtr } = formatWasmOpen(w, bytes);
    expect(code).toBe(S.HUSH_OK);
    const ex = w.exports;
    expect(ex.hushArch(w.state)).toBe(S.HUSH_ARCH_GCRN);
    expect(ex.hushSampleRate(w.state)).toBe(16000);
    expect(ex.hushWindowSamples(w.state)).toBe(320);
    expect(ex.hushHopSamples(w.state)).toBe(160);
    expect(ex.hushFftSize(w.state)).toBe(320);
    expect(ex.hushWindowKind(w.state)).toBe(S.HUSH_WINDOW_HAMMING_PERIODIC);
    // hyper-parameters by name
    const enc = new TextEncoder();
    const mem = () => new Uint8Array(w.memory.buffer);
    const nameAt = filePtr - 4096; // a spare spot below the file for name lookups
    const find = (fn: string, name: string) => {
      const b = enc.encode(name);
      mem().set(b, nameAt);
      return ex[fn](w.state, nameAt, b.length) as number;
    };
    const ch = find('hushHparamFind', 'channels');
    expect(ex.hushHparamKind(w.state, ch)).toBe(S.HUSH_HPARAM_LIST);
    expect([0, 1, 2].map((j) => ex.hushHparamValue(w.state, ch, j))).toEqual([16, 32, 64]);
    const eps = find('hushHparamFind', 'lnEps');
    expect(ex.hushHparamKind(w.state, eps)).toBe(S.HUSH_HPARAM_NUMBER);
    expect(ex.hushHparamValue(w.state, eps, 0)).toBe(1e-5);
    expect(find('hushHparamFind', 'nope')).toBe(-1);

    expect(ex.hushTensorCount(w.state)).toBe(ts.entries.length);
    ts.entries.forEach((e, i) => {
      expect(find('hushTensorFind', e.name)).toBe(i);
      expect(ex.hushTensorRank(w.state, i)).toBe(e.shape.length);
      e.shape.forEach((d, k) => expect(ex.hushTensorDim(w.state, i, k)).toBe(d));
      expect(ex.hushTensorK(w.state, i)).toBe(e.k);
      expect(ex.hushTensorBits(w.state, i)).toBe(e.bits);
      expect(ex.hushTensorFlags(w.state, i)).toBe(e.flags);
      if (e.encoding === 'kmeans' || e.encoding === 'sparse') {
        expect(ex.hushTensorStored(w.state, i)).toBe(e.stored);
        expect(ex.hushTensorSparsityParam(w.state, i)).toBe(e.sparsityParam);
        // the codebook pointer points at the payload start inside the file
        if (e.encoding === 'kmeans') expect(ex.hushTensorDataPtr(w.state, i)).toBe(filePtr + e.payloadOffset);
      }
    });
  });

  it('decodes every tensor bit-exactly like the TS reference decoder (all encodings, MPO contraction)', () => {
    formatWasmOpen(w, bytes);
    const inTableOrder = tableOrder(ts.tensors);
    ts.entries.forEach((e, i) => {
      const { code, data } = formatWasmDecode(w, i)!;
      expect(code).toBe(S.HUSH_OK);
      expect(bits(data), e.name).toEqual(bits(hushTensorDense(inTableOrder[i])));
    });
  });

  it('reports the same error record as the TS reader, as a message naming the tensor', () => {
    // truncate in the middle of a k-means index stream: codebook 8 × 4 = 32 bytes, stream 48 × 3 bits = 18 bytes at 32..50
    const e = ts.entries.find((x) => x.name === 'lstm1.weight_ih')!;
    const cut = bytes.slice(0, e.payloadOffset + 40);
    const tsr = hushValidate(cut);
    expect(tsr.ok).toBe(false);
    const { record } = formatWasmOpen(w, cut);
    expect(record).toEqual(!tsr.ok && tsr.error);
    expect(hushErrorMessage(cut, record!, 'm.hush')).toBe('m.hush: tensor lstm1.weight_ih: index stream ends 10 bytes past the file');
    // an index ≥ K (K = 5, 3 bits) in a re-signed file
    const f = ts.entries.find((x) => x.name === 'fc2.weight')!;
    const bad = bytes.slice();
    bad[f.payloadOffset + 16] |= 0x07; // first index := 7
    hushResign(bad);
    const r2 = formatWasmOpen(w, bad).record!;
    expect(hushErrorMessage(bad, r2, 'm.hush')).toBe('m.hush: tensor fc2.weight: index #0 is 7, not below K');
    expect(r2).toEqual((hushValidate(bad) as { error: unknown }).error);
  });

  it('refuses bad block sparsity (minor 2) with the TS reader\'s record and a clear message', () => {
    const i = ts.entries.findIndex((x) => x.name === 'blk4.weight');
    const entry = new DataView(bytes.buffer, bytes.byteOffset).getUint32(S.HDR_TABLE_AT, true) + S.HUSH_TENSOR_BYTES * i;
    const param = ts.entries[i].sparsityParam; // w | 4 << 8 | 1 << 16
    const cases: [number, number, string][] = [
      [S.TENSOR_SPARSITY_PARAM_AT + 1, 3, 'block shape 3x1 is not one of 4x1, 8x1, 1x4'],
      // 8x1 tiles the 8 × 6 matrix, but its 5 kept 4x1 blocks (20 weights) are not whole 8x1 blocks
      [S.TENSOR_SPARSITY_PARAM_AT + 1, 8, '20 stored weights are not a whole number of blocks of 8'],
      [S.TENSOR_SPARSITY_PARAM_AT + 3, 1, `invalid sparsity parameter 0x${(param + 2 ** 24).toString(16)}`],
      [S.TENSOR_RANK_AT, 1, 'blocks need a matrix: rank 1'],
    ];
    for (const [at, value, message] of cases) {
      const bad = bytes.slice();
      bad[entry + at] = value;
      if (at === S.TENSOR_RANK_AT) new DataView(bad.buffer).setUint32(entry + S.TENSOR_DIMS_AT + 4, 0, true); // shape [48]
      if (at === S.TENSOR_RANK_AT) new DataView(bad.buffer).setUint32(entry + S.TENSOR_DIMS_AT, 48, true);
      hushResign(bad);
      const tsr = hushValidate(bad);
      const r = formatWasmOpen(w, bad).record!;
      expect(r).toEqual(!tsr.ok && tsr.error);
      expect(hushErrorMessage(bad, r, 'm.hush')).toBe(`m.hush: tensor blk4.weight: ${message}`);
    }
  });
});
