/**
 * assembly/nn/matvec-block.ts, the block-sparse kernel (issue #18): packed bytes equal an independent
 * TS packer, products equal the f64 dense reference on the same masked weights (relative 1e-5), equal
 * bit for bit an f32 loop in the kernel's documented summation order, and so agree bit for bit between
 * the SIMD and scalar builds.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { blockPackRef, matvec, matvecBlockOrder, matvecScale, pruneBlocks, relError } from './reference.js';
import { randomF32 } from '../helpers/signals.js';
import { Arena, FLAVORS, loadNn, type NnExports } from './wasm.js';

const TOL = 1e-5;
/** [rows, cols, br, bc]: the three block shapes on small, odd-block-count and paper-size (GCRN LSTM 2048 × 512) matrices. */
const CASES: Array<[number, number, number, number]> = [
  [4, 1, 4, 1], [8, 3, 4, 1], [12, 7, 4, 1], [16, 161, 8, 1], [8, 1, 8, 1], [1, 4, 1, 4], [3, 12, 1, 4], [161, 164, 1, 4],
  [2048, 512, 4, 1], [2048, 512, 8, 1], [2048, 512, 1, 4],
];

const outputs = new Map<string, Float32Array>();

describe.each(FLAVORS)('matvecBlock (%s build)', (flavor) => {
  let ex: NnExports;
  beforeAll(async () => {
    ex = await loadNn(flavor);
  });

  it.each(CASES)('%i×%i in %ix%i blocks at 0, 50, 75, 100 %% empty: packer bytes, dense reference, summation order', (rows, cols, br, bc) => {
    for (const sparsity of [0, 0.5, 0.75, 1]) {
      const a = new Arena(ex);
      const w = pruneBlocks(randomF32(rows * cols, rows + 31 * cols), rows, cols, br, bc, sparsity, 5 + br);
      const x = randomF32(cols, 17), b = randomF32(rows, 18), y0 = randomF32(rows, 19);
      const pw = a.f32(w.length, w), px = a.f32(cols, x), pb = a.f32(rows, b), py = a.f32(rows);
      const blocks = ex.blockCount(pw, rows, cols, br, bc);
      const ref = blockPackRef(w, rows, cols, br, bc);
      expect(ex.blockPackedBytes(rows, br, bc, blocks)).toBe(ref.length);
      const pp = a.alloc(ref.length);
      expect(ex.blockPack(pp, pw, rows, cols, br, bc)).toBe(blocks);
      expect(Buffer.from(a.readBytes(pp, ref.length)).equals(Buffer.from(ref))).toBe(true);

      ex.matvecBlock(py, pp, pb, px);
      const got = a.read(py, rows);
      expect(relError(got, matvec(w, b, x, rows, cols), matvecScale(w, b, x, rows, cols))).toBeLessThanOrEqual(TOL);
      expect(got).toEqual(matvecBlockOrder(w, b, x, rows, cols, br, bc));
      const key = `${rows}x${cols}/${br}x${bc}/${sparsity}`;
      const other = outputs.get(key);
      if (other) expect(got).toEqual(other); // the other build gave the same bits
      else outputs.set(key, got);

      a.write(py, y0);
      ex.matvecBlockAcc(py, pp, 0, px);
      const acc = matvec(w, null, x, rows, cols).map((v, i) => v + y0[i]);
      expect(relError(a.read(py, rows), acc, matvecScale(w, null, x, rows, cols, y0))).toBeLessThanOrEqual(TOL);
    }
  });

  it('refuses block shapes other than 4x1, 8x1, 1x4 and matrices they do not tile', () => {
    const a = new Arena(ex);
    const pw = a.f32(64, randomF32(64, 3));
    expect(ex.blockCount(pw, 8, 8, 3, 1)).toBe(-1);
    expect(ex.blockCount(pw, 8, 8, 2, 2)).toBe(-1);
    expect(ex.blockCount(pw, 8, 8, 4, 4)).toBe(-1);
    expect(ex.blockCount(pw, 6, 10, 4, 1)).toBe(-1);
    expect(ex.blockCount(pw, 10, 6, 1, 4)).toBe(-1);
    expect(ex.blockPack(a.alloc(1024), pw, 6, 10, 4, 1)).toBe(-1);
    expect(ex.blockCount(pw, 8, 8, 4, 1)).toBe(16);
  });
});
