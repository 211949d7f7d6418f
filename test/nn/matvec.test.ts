import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bitpack, matvec, matvecScale, mpoMatrix, nonzeroBitmap, prune, randomInts, relError, sparsePack,
} from './reference.js';
import { randomF32 } from '../helpers/signals.js';
import { Arena, FLAVORS, loadNn, recordError, reportErrors, type NnExports } from './wasm.js';

afterAll(() => reportErrors('test/nn/matvec'));

/** Max relative error allowed everywhere (max |wasm − f64 reference| / max |reference|). */
const TOL = 1e-5;

// Shapes with rows and cols off multiples of 4 and 8, the 161-bin spectrum, and one wide layer.
const SHAPES: Array<[number, number]> = [[1, 1], [3, 5], [4, 4], [7, 13], [161, 161], [33, 257], [64, 2048], [2, 3]];

describe.each(FLAVORS)('matvec kernels (%s build)', (flavor) => {
  let ex: NnExports;
  const err = (kernel: string, got: ArrayLike<number>, ref: ArrayLike<number>, scale = 0) =>
    recordError(`${kernel} [${flavor}]`, relError(got, ref, scale));
  beforeAll(async () => {
    ex = await loadNn(flavor);
    expect(ex.simdEnabled()).toBe(flavor === 'simd' ? 1 : 0);
  });

  it.each(SHAPES)('matvecDense / matvecDenseAcc %i×%i vs float64', (rows, cols) => {
    const a = new Arena(ex);
    const w = randomF32(rows * cols, rows * 1000 + cols);
    const x = randomF32(cols, 7);
    const b = randomF32(rows, 8);
    const y0 = randomF32(rows, 9);
    const pw = a.f32(w.length, w), px = a.f32(cols, x), pb = a.f32(rows, b), py = a.f32(rows);
    ex.matvecDense(py, pw, pb, px, rows, cols);
    expect(err('matvecDense', a.read(py, rows), matvec(w, b, x, rows, cols), matvecScale(w, b, x, rows, cols))).toBeLessThanOrEqual(TOL);
    ex.matvecDense(py, pw, 0, px, rows, cols);
    expect(err('matvecDense', a.read(py, rows), matvec(w, null, x, rows, cols), matvecScale(w, null, x, rows, cols))).toBeLessThanOrEqual(TOL);
    a.write(py, y0);
    ex.matvecDenseAcc(py, pw, pb, px, rows, cols);
    const ref = matvec(w, b, x, rows, cols).map((v, i) => v + y0[i]);
    expect(err('matvecDenseAcc', a.read(py, rows), ref, matvecScale(w, b, x, rows, cols, y0))).toBeLessThanOrEqual(TOL);
  });

  it.each([0, 0.5, 0.8, 0.9, 0.95, 1])('matvecSparse at %f sparsity, packers agree byte for byte', (sparsity) => {
    for (const [rows, cols] of [[161, 161], [6, 2048], [37, 19], [1, 7]]) {
      const a = new Arena(ex);
      const w = prune(randomF32(rows * cols, 11 + rows), sparsity, 12 + cols);
      const x = randomF32(cols, 13), b = randomF32(rows, 14), y0 = randomF32(rows, 15);
      const pw = a.f32(w.length, w), px = a.f32(cols, x), pb = a.f32(rows, b), py = a.f32(rows);
      const scratch = a.alloc(ex.sellScratchBytes(rows, cols));
      const bytes = ex.sparsePackedBytes(pw, rows, cols, scratch);
      const tsPacked = sparsePack(w, rows, cols);
      expect(bytes).toBe(tsPacked.length);
      const pp = a.alloc(bytes);
      expect(ex.sparsePack(pp, pw, rows, cols, scratch)).toBe(bytes);
      expect(Buffer.from(a.readBytes(pp, bytes)).equals(Buffer.from(tsPacked))).toBe(true);
      ex.matvecSparse(py, pp, pb, px);
      expect(err('matvecSparse', a.read(py, rows), matvec(w, b, x, rows, cols), matvecScale(w, b, x, rows, cols))).toBeLessThanOrEqual(TOL);
      a.write(py, y0);
      ex.matvecSparseAcc(py, pp, 0, px);
      const ref = matvec(w, null, x, rows, cols).map((v, i) => v + y0[i]);
      expect(err('matvecSparseAcc', a.read(py, rows), ref, matvecScale(w, null, x, rows, cols, y0))).toBeLessThanOrEqual(TOL);
    }
  });

  it('sparsePackedBytes rejects shapes it cannot store', () => {
    const a = new Arena(ex);
    const pw = a.f32(16), scratch = a.alloc(1 << 20);
    expect(ex.sparsePackedBytes(pw, 0, 4, scratch)).toBe(0);
    expect(ex.sparsePackedBytes(pw, 1, 65537, scratch)).toBe(0);
  });

  it.each([[12, 40], [161, 161], [5, 7]])('columnsCompact + vecGather + matvecDense on a column-pruned %i×%i matrix', (rows, cols) => {
    const a = new Arena(ex);
    const w = randomF32(rows * cols, 23 + rows);
    const dead = prune(new Float32Array(cols).fill(1), 0.7, 24);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (dead[c] === 0) w[r * cols + c] = 0;
    const expectKept = dead.filter((v) => v !== 0).length;
    const x = randomF32(cols, 25), b = randomF32(rows, 26);
    const pw = a.f32(w.length, w), px = a.f32(cols, x), pb = a.f32(rows, b), py = a.f32(rows);
    const kept = ex.columnsKept(pw, rows, cols);
    expect(kept).toBe(expectKept);
    const pwc = a.f32(rows * kept), pkeep = a.alloc(4 * kept), pxs = a.f32(kept);
    expect(ex.columnsCompact(pwc, pkeep, pw, rows, cols)).toBe(kept);
    ex.vecGather(pxs, px, pkeep, kept);
    ex.matvecDense(py, pwc, pb, pxs, rows, kept);
    expect(err('columnsCompact+matvecDense', a.read(py, rows), matvec(w, b, x, rows, cols), matvecScale(w, b, x, rows, cols))).toBeLessThanOrEqual(TOL);
  });

  it('matvecSparse of a column-pruned matrix stores no padding', () => {
    const rows = 12, cols = 40;
    const w = randomF32(rows * cols, 21);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c += 3) w[r * cols + c] = 0; // structured
    const packed = sparsePack(w, rows, cols);
    const entries = new DataView(packed.buffer).getInt32(12, true);
    expect(entries * 4).toBe(w.filter((v) => v !== 0).length);
  });

  const BITS = Array.from({ length: 17 }, (_, b) => b);
  it.each(BITS)('matvecCodebook, %i-bit indices, vs decoded float64 matrix', (bits) => {
    for (const [rows, cols] of [[13, 37], [9, 161], [5, 200], [1, 1]]) {
      const a = new Arena(ex);
      const K = bits === 0 ? 1 : Math.max(1, 2 ** bits - (bits > 2 ? 3 : 0));
      const codebook = randomF32(K, 100 + bits);
      const idx = bits === 0 ? new Int32Array(rows * cols) : randomInts(rows * cols, K, 200 + bits + rows);
      const w = Float32Array.from(idx, (k) => codebook[k]);
      const x = randomF32(cols, 17), b = randomF32(rows, 18);
      const pidx = a.bytes(bitpack(idx, bits)), pcb = a.f32(K, codebook);
      const px = a.f32(cols, x), pb = a.f32(rows, b), py = a.f32(rows);
      ex.matvecCodebook(py, bits === 0 ? 0 : pidx, bits, pcb, K, pb, px, rows, cols);
      expect(err('matvecCodebook', a.read(py, rows), matvec(w, b, x, rows, cols), matvecScale(w, b, x, rows, cols))).toBeLessThanOrEqual(TOL);
      ex.matvecCodebook(py, pidx, bits, pcb, K, 0, px, rows, cols);
      expect(err('matvecCodebook', a.read(py, rows), matvec(w, null, x, rows, cols), matvecScale(w, null, x, rows, cols))).toBeLessThanOrEqual(TOL);
    }
  });

  it.each(BITS)('matvecCodebookSparse, %i-bit indices over a nonzero bitmap', (bits) => {
    for (const [rows, cols, sparsity] of [[13, 37, 0.7], [9, 161, 0.9], [31, 33, 0.5], [4, 8, 1], [3, 5, 0], [2, 3001, 0.2]] as const) {
      const a = new Arena(ex);
      const K = bits === 0 ? 1 : 2 ** bits;
      const codebook = randomF32(K, 300 + bits).map((v) => (v === 0 ? 0.5 : v));
      const keep = prune(new Float32Array(rows * cols).fill(1), sparsity, 400 + bits + rows);
      const allIdx = randomInts(rows * cols, K, 500 + bits);
      const w = new Float32Array(rows * cols);
      const nzIdx: number[] = [];
      for (let m = 0; m < w.length; m++) {
        if (keep[m] !== 0) { w[m] = codebook[allIdx[m]]; nzIdx.push(allIdx[m]); }
      }
      const x = randomF32(cols, 19), b = randomF32(rows, 20);
      const pmap = a.bytes(nonzeroBitmap(keep)), pidx = a.bytes(bitpack(nzIdx, bits)), pcb = a.f32(K, codebook);
      const px = a.f32(cols, x), pb = a.f32(rows, b), py = a.f32(rows);
      ex.matvecCodebookSparse(py, pmap, pidx, bits, pcb, K, pb, px, rows, cols);
      expect(err('matvecCodebookSparse', a.read(py, rows), matvec(w, b, x, rows, cols), matvecScale(w, b, x, rows, cols))).toBeLessThanOrEqual(TOL);
    }
  });

  it.each([
    ['2 cores', [[1, 4, 3, 3], [3, 5, 7, 1]]],
    ['3 cores', [[1, 3, 4, 2], [2, 4, 4, 5], [5, 2, 3, 1]]],
    ['4 cores, 161-like', [[1, 7, 2, 4], [4, 23, 3, 6], [6, 1, 5, 3], [3, 1, 7, 1]]],
    ['1 core (= dense)', [[1, 9, 11, 1]]],
  ] as Array<[string, number[][]]>)('mpoMatvec %s vs the formed matrix', (_name, dims) => {
    const a = new Arena(ex);
    const n = dims.reduce((s, d) => s + d[0] * d[1] * d[2] * d[3], 0);
    const cores = randomF32(n, 31 + n);
    const { w, I, J } = mpoMatrix(cores, dims);
    const x = randomF32(J, 32), b = randomF32(I, 33);
    const pd = a.i32(dims.flat());
    const scratch = ex.mpoScratchFloats(pd, dims.length);
    const pc = a.f32(n, cores), px = a.f32(J, x), pb = a.f32(I, b), py = a.f32(I), ps = a.f32(scratch);
    ex.mpoMatvec(py, pc, pd, dims.length, pb, px, ps);
    expect(err('mpoMatvec', a.read(py, I), matvec(w, b, x, I, J), matvecScale(w, b, x, I, J))).toBeLessThanOrEqual(TOL);
  });
});
