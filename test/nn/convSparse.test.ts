/**
 * The sparse conv form (assembly/nn/conv-sparse.ts) against the dense kernels it replaces
 * (conv2dStep, convTranspose2dStep) on random sparse weights — every stride / padding /
 * output_padding the nets use (GCRN (1,3)/(1,2) encoders and decoders, TCNN (2,5) stride 1 and 2 with
 * its time ring) and awkward ones — streamed frame by frame so rings wrap. Also: entry and MAC
 * counts, whole-kernel (structured) pruning, and an all-zero weight (output = bias).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relError } from './reference.js';
import { prngUniform } from '../../src/models/index.js';
import { randomF32 } from '../helpers/signals.js';
import { Arena, FLAVORS, loadNn, recordError, reportErrors, type NnExports } from './wasm.js';

const TOL = 1e-5;
const FRAMES = 7;

afterAll(() => reportErrors('test/nn/conv-sparse'));

/** Random weights with `keep` of the values nonzero; `kernels` prunes whole kF-kernels instead. */
function sparseWeights(n: number, kF: number, keep: number, seed: number, kernels = false): Float32Array {
  const w = randomF32(n, seed);
  const rnd = prngUniform(seed + 99);
  if (kernels) {
    for (let k0 = 0; k0 < n; k0 += kF) if (rnd() >= keep) w.fill(0, k0, k0 + kF);
  } else {
    for (let i = 0; i < n; i++) if (rnd() >= keep) w[i] = 0;
  }
  return w;
}

/** Floats of NaN after each guarded buffer: a read past prep turns outputs NaN, a write past y shows. */
const GUARD = 8;

/** n floats followed by GUARD NaNs. */
function guarded(a: Arena, n: number): number {
  const p = a.f32(n + GUARD);
  a.write(p + 4 * n, new Float32Array(GUARD).fill(NaN));
  return p;
}

/** w with every value snapped to one of 16 levels (a k-means-like codebook), zeros kept. */
function quantised(w: Float32Array): Float32Array {
  return w.map((v) => (v === 0 ? 0 : Math.round(v * 8) / 8 || 0.0625));
}

const nonzeros = (w: Float32Array) => w.reduce((s, v) => s + (v !== 0 ? 1 : 0), 0);

// [name, cin, cout, F, kT, kF, strideF, padL, padR]
const CONV2D: Array<[string, number, number, number, number, number, number, number, number]> = [
  ['GCRN enc1 (1,3)/(1,2), 161 bins', 2, 16, 161, 1, 3, 2, 0, 0],
  ['GCRN enc5 gated pair 9→4', 32, 2 * 24, 9, 1, 3, 2, 0, 0],
  ['GCRN enc2 80→39', 6, 8, 80, 1, 3, 2, 0, 0],
  ['TCNN enc1 (2,5) stride 1, pad 2', 1, 16, 320, 2, 5, 1, 2, 2],
  ['TCNN enc (2,5) stride 2, pad 1', 6, 5, 160, 2, 5, 2, 1, 1],
  ['TCNN enc (2,5) stride 2, 9→4', 8, 8, 9, 2, 5, 2, 1, 1],
  ['awkward kT=3 kF=4 s=3', 3, 7, 11, 3, 4, 3, 2, 1],
  ['kernel wider than input', 5, 6, 2, 2, 3, 1, 1, 1],
];

// [name, cin, cout, F, kT, kF, strideF, pad, outPad]
const TCONV: Array<[string, number, number, number, number, number, number, number, number]> = [
  ['GCRN dec 4→9', 24, 8, 4, 1, 3, 2, 0, 0],
  ['GCRN dec 39→80 (output_padding 1)', 6, 5, 39, 1, 3, 2, 0, 1],
  ['GCRN dec 80→161', 4, 1, 80, 1, 3, 2, 0, 0],
  ['TCNN dec (2,5) stride 2, pad 1', 8, 6, 9, 2, 5, 2, 1, 0],
  ['TCNN dec (2,5) stride 2, output_padding 1', 6, 4, 79, 2, 5, 2, 1, 1],
  ['TCNN dec (2,5) stride 1, pad 2', 4, 1, 320, 2, 5, 1, 2, 0],
  ['awkward kT=3 kF=4 s=3 pad 2', 5, 6, 7, 3, 4, 3, 2, 2],
  ['kF < stride (a phase with no taps)', 3, 4, 5, 1, 2, 3, 0, 0],
];

describe.each(FLAVORS)('sparse convolutions = dense convolutions (%s build)', (flavor) => {
  let ex: NnExports;
  const err = (kernel: string, got: ArrayLike<number>, ref: ArrayLike<number>) => recordError(`${kernel} [${flavor}]`, relError(got, ref));
  beforeAll(async () => {
    ex = await loadNn(flavor);
  });

  /** The block's value table (indexed variant): the distinct nonzero values of w, ascending; empty for f32 entries. */
  const tableOf = (w: Float32Array, indexed: boolean) => (indexed ? Float32Array.from(new Set(w.filter((v) => v !== 0))).sort() : new Float32Array(0));

  /**
   * Streams FRAMES frames of x (`frame` floats each, through px) into the dense step (output yd) and
   * the sparse one (output ys, guarded); both return the next ring position, which must agree.
   * Returns the two output streams, `out` floats per frame.
   */
  function streamBoth(a: Arena, x: Float32Array, px: number, frame: number, yd: number, ys: number, out: number,
    denseStep: (pos: number) => number, sparseStep: (pos: number) => number) {
    const dense = new Float32Array(FRAMES * out), sparse = new Float32Array(FRAMES * out);
    let posD = 0, posS = 0;
    for (let n = 0; n < FRAMES; n++) {
      a.write(px, x.subarray(n * frame, (n + 1) * frame));
      posD = denseStep(posD);
      posS = sparseStep(posS);
      expect(posS).toBe(posD);
      dense.set(a.read(yd, out), n * out);
      sparse.set(a.read(ys, out), n * out);
      expect(Array.from(a.read(ys + 4 * out, GUARD)).every(Number.isNaN), 'wrote past y').toBe(true);
    }
    return { dense, sparse };
  }

  /** Streams FRAMES frames through the dense and the sparse conv2d; returns both outputs and the block's counts. */
  function conv2dBoth(w: Float32Array, b: Float32Array | null, cin: number, cout: number, F: number, kT: number, kF: number, s: number, padL: number, padR: number, indexed = false) {
    const a = new Arena(ex);
    const x = randomF32(FRAMES * cin * F, cin * 7 + F);
    const fout = ex.conv2dOutBins(F, kF, s, padL, padR);
    const frame = cin * F;
    const px = a.f32(frame), pw = a.f32(w.length, w), pb = b ? a.f32(cout, b) : 0;
    const nnz = ex.convSparseNonzeros(pw, w.length);
    const table = tableOf(w, indexed);
    const cs = a.alloc(ex.convSparseBytes(nnz, cout, table.length));
    expect(ex.convSparsePack(cs, pw, a.f32(table.length, table), table.length, cin, cout, F, kT, kF, s, padL, padR)).toBe(1);
    expect(ex.convSparseIndexed(cs)).toBe(table.length > 0 ? 1 : 0);
    const ringD = kT > 1 ? a.f32((kT - 1) * frame) : 0, ringS = kT > 1 ? a.f32((kT - 1) * frame) : 0;
    const patch = a.f32(ex.conv2dPatchFloats(cin, F, kT, kF, s, padL, padR));
    const prep = guarded(a, ex.convSparsePrepFloats(cs));
    const yd = a.f32(cout * fout), ys = guarded(a, cout * fout);
    const { dense, sparse } = streamBoth(a, x, px, frame, yd, ys, cout * fout,
      (pos) => ex.conv2dStep(yd, px, ringD, pos, pw, pb, patch, cin, cout, F, kT, kF, s, padL, padR),
      (pos) => ex.convSparseStep(ys, px, ringS, pos, cs, pb, prep));
    return { dense, sparse, nnz, entries: ex.convSparseEntries(cs), macs: ex.convSparseMacs(cs), fout };
  }

  /** As conv2dBoth, for the transposed conv. */
  function tconvBoth(w: Float32Array, b: Float32Array | null, cin: number, cout: number, F: number, kT: number, kF: number, s: number, pad: number, outPad: number, indexed = false) {
    const a = new Arena(ex);
    const x = randomF32(FRAMES * cin * F, cin * 5 + F);
    const fout = ex.convTranspose2dOutBins(F, kF, s, pad, outPad);
    const frame = cin * F;
    const pw = a.f32(w.length, w), pp = a.f32(w.length), pb = b ? a.f32(cout, b) : 0, px = a.f32(frame);
    ex.convTranspose2dPack(pp, pw, cin, cout, kT, kF, s);
    const nnz = ex.convSparseNonzeros(pw, w.length);
    const table = tableOf(w, indexed);
    const cs = a.alloc(ex.convSparseBytes(nnz, s * cout, table.length));
    expect(ex.convTransposeSparsePack(cs, pw, a.f32(table.length, table), table.length, cin, cout, F, kT, kF, s, pad, outPad)).toBe(1);
    const ringD = kT > 1 ? a.f32((kT - 1) * frame) : 0, ringS = kT > 1 ? a.f32((kT - 1) * frame) : 0;
    const patch = a.f32(ex.convTranspose2dPatchFloats(cin, F, kT, kF, s, pad, outPad));
    const prep = guarded(a, ex.convSparsePrepFloats(cs));
    const yd = a.f32(cout * fout), ys = guarded(a, cout * fout);
    const { dense, sparse } = streamBoth(a, x, px, frame, yd, ys, cout * fout,
      (pos) => ex.convTranspose2dStep(yd, px, ringD, pos, pp, pb, patch, cin, cout, F, kT, kF, s, pad, outPad),
      (pos) => ex.convSparseStep(ys, px, ringS, pos, cs, pb, prep));
    return { dense, sparse, nnz, entries: ex.convSparseEntries(cs), macs: ex.convSparseMacs(cs), fout };
  }

  it.each(CONV2D)('conv %s: 30 % and 70 % kept, whole kernels pruned', (_n, cin, cout, F, kT, kF, s, padL, padR) => {
    for (const [keep, kernels] of [[0.3, false], [0.7, false], [0.4, true]] as const) {
      const w = sparseWeights(cout * cin * kT * kF, kF, keep, 3 + kF + cin, kernels);
      const r = conv2dBoth(w, randomF32(cout, 5), cin, cout, F, kT, kF, s, padL, padR);
      expect(r.entries).toBe(nonzeros(w));
      expect(r.macs).toBe(nonzeros(w) * r.fout);
      expect(err('convSparseStep conv', r.sparse, r.dense)).toBeLessThanOrEqual(TOL);
    }
  });

  it.each(TCONV)('transposed conv %s: 30 % and 70 % kept, whole kernels pruned', (_n, cin, cout, F, kT, kF, s, pad, outPad) => {
    for (const [keep, kernels] of [[0.3, false], [0.7, false], [0.4, true]] as const) {
      const w = sparseWeights(cin * cout * kT * kF, kF, keep, 4 + kF + cin, kernels);
      const r = tconvBoth(w, randomF32(cout, 6), cin, cout, F, kT, kF, s, pad, outPad);
      expect(r.entries).toBeLessThanOrEqual(nonzeros(w)); // taps of a phase with no output bins are dropped
      expect(err('convSparseStep tconv', r.sparse, r.dense)).toBeLessThanOrEqual(TOL);
    }
  });

  it.each([...CONV2D.map((c) => [false, ...c] as const), ...TCONV.map((c) => [true, ...c] as const)])(
    'indexed variant (codebook values) = f32 entries = dense: transposed %s, %s',
    (transposed, _n, cin, cout, F, kT, kF, s, p1, p2) => {
      const w = quantised(sparseWeights(cin * cout * kT * kF, kF, 0.3, 7 + kF + cin));
      const both = transposed ? tconvBoth : conv2dBoth;
      const r = both(w, randomF32(cout, 9), cin, cout, F, kT, kF, s, p1, p2, true);
      const f = both(w, randomF32(cout, 9), cin, cout, F, kT, kF, s, p1, p2, false);
      expect(r.entries).toBe(f.entries);
      expect(Array.from(r.sparse)).toEqual(Array.from(f.sparse)); // same values, same order: bit-identical
      expect(err('convSparseStep indexed', r.sparse, r.dense)).toBeLessThanOrEqual(TOL);
    },
  );

  it('the indexed pack refuses a value missing from the table, an unsorted or too long table', () => {
    const a = new Arena(ex);
    const w = quantised(sparseWeights(4 * 3 * 3, 3, 0.5, 11));
    const pw = a.f32(w.length, w);
    const nnz = ex.convSparseNonzeros(pw, w.length);
    const table = tableOf(w, true);
    const cs = a.alloc(ex.convSparseBytes(nnz, 4, 256));
    const pack = (t: Float32Array) => ex.convSparsePack(cs, pw, a.f32(t.length, t), t.length, 3, 4, 9, 1, 3, 2, 0, 0);
    expect(pack(table)).toBe(1);
    expect(pack(table.subarray(1))).toBe(0); // its smallest value missing
    expect(pack(Float32Array.from(table).reverse())).toBe(0);
    expect(pack(Float32Array.from({ length: 257 }, (_, i) => i + 1))).toBe(0);
  });

  it('an all-zero weight gives the bias; no bias gives zeros', () => {
    const [cin, cout, F, kT, kF, s] = [3, 4, 10, 2, 5, 2];
    const zero = new Float32Array(cout * cin * kT * kF);
    const b = randomF32(cout, 8);
    const r = conv2dBoth(zero, b, cin, cout, F, kT, kF, s, 1, 1);
    expect(r.entries).toBe(0);
    expect(r.macs).toBe(0);
    for (let i = 0; i < r.sparse.length; i++) expect(r.sparse[i]).toBe(b[Math.floor(i / r.fout) % cout]);
    const t = tconvBoth(zero, null, cin, cout, F, kT, kF, s, 1, 1);
    expect(Array.from(t.sparse).every((v) => v === 0)).toBe(true);
  });

  it('a dense weight (nothing pruned) still matches', () => {
    const w = randomF32(16 * 8 * 3, 21);
    const r = conv2dBoth(w, null, 8, 16, 39, 1, 3, 2, 0, 0);
    expect(r.entries).toBe(w.length);
    expect(err('convSparseStep dense weight', r.sparse, r.dense)).toBeLessThanOrEqual(TOL);
  });
});
