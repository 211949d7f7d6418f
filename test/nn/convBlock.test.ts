/**
 * The block-sparse conv form (assembly/nn/conv-block.ts) against the dense kernels it replaces
 * (conv2dStep, convTranspose2dStep) on block-pruned random weights — 4x1, 8x1, 1x4 blocks of the
 * kernel's matrix view for Conv2d; 4x1, 8x1 for ConvTranspose2d — on the geometries the nets use
 * (GCRN (1,3)/(1,2), TCNN (2,5) stride 1 and 2 with its time ring) and awkward ones, streamed frame
 * by frame so rings wrap; outputs guarded against writes past y. Also: kept-block and MAC counts,
 * the shapes the form refuses, and the SIMD and scalar builds giving the same bits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relError } from './reference.js';
import { prngUniform } from '../../src/models/index.js';
import { randomF32 } from '../helpers/signals.js';
import { Arena, FLAVORS, loadNn, recordError, reportErrors, type NnExports } from './wasm.js';

const TOL = 1e-5;
const FRAMES = 7;
/** NaN floats after y: a write past it shows. */
const GUARD = 8;

afterAll(() => reportErrors('test/nn/conv-block'));

type Shape = [br: number, bc: number];

/**
 * Random weights of the matrix view [d0][rest] with `keep` of its br × bc blocks kept (the rest 0).
 * Returns the weights and the kept blocks.
 */
function blockWeights(d0: number, rest: number, [br, bc]: Shape, keep: number, seed: number): { w: Float32Array; kept: number } {
  const w = randomF32(d0 * rest, seed);
  const rnd = prngUniform(seed + 31);
  let kept = 0;
  for (let rb = 0; rb < d0 / br; rb++) {
    for (let cb = 0; cb < rest / bc; cb++) {
      const on = rnd() < keep;
      if (on) kept++;
      for (let i = 0; i < br; i++) for (let k = 0; k < bc; k++) if (!on) w[(rb * br + i) * rest + cb * bc + k] = 0;
    }
  }
  return { w, kept };
}

// [name, cin, cout, F, kT, kF, strideF, padL, padR]
const CONV2D: Array<[string, number, number, number, number, number, number, number, number]> = [
  ['GCRN enc1 (1,3)/(1,2), 161 bins', 2, 16, 161, 1, 3, 2, 0, 0],
  ['GCRN enc5 gated pair 9→4', 32, 2 * 24, 9, 1, 3, 2, 0, 0],
  ['GCRN enc2 80→39', 8, 8, 80, 1, 3, 2, 0, 0],
  ['TCNN enc1 (2,5) stride 1, pad 2', 2, 16, 320, 2, 5, 1, 2, 2],
  ['TCNN enc (2,5) stride 2, pad 1', 4, 8, 160, 2, 5, 2, 1, 1],
  ['TCNN enc (2,5) stride 2, 9→4', 8, 16, 9, 2, 5, 2, 1, 1],
  ['awkward kT=3 kF=4 s=3', 3, 8, 11, 3, 4, 3, 2, 1],
  ['kernel wider than input', 4, 8, 2, 2, 3, 1, 1, 1],
];

// [name, cin, cout, F, kT, kF, strideF, pad, outPad]
const TCONV: Array<[string, number, number, number, number, number, number, number, number]> = [
  ['GCRN dec 4→9', 48, 8, 4, 1, 3, 2, 0, 0],
  ['GCRN dec 39→80 (output_padding 1)', 8, 5, 39, 1, 3, 2, 0, 1],
  ['GCRN dec 80→161', 8, 1, 80, 1, 3, 2, 0, 0],
  ['TCNN dec (2,5) stride 2, pad 1', 16, 6, 9, 2, 5, 2, 1, 0],
  ['TCNN dec (2,5) stride 2, output_padding 1', 8, 4, 79, 2, 5, 2, 1, 1],
  ['TCNN dec (2,5) stride 1, pad 2', 8, 1, 320, 2, 5, 1, 2, 0],
  ['awkward kT=3 kF=4 s=3 pad 2', 8, 6, 7, 3, 4, 3, 2, 2],
  ['kF < stride (a phase with no taps)', 8, 4, 5, 1, 2, 3, 0, 0],
];

const CONV_SHAPES: Shape[] = [[4, 1], [8, 1], [1, 4]];
const TCONV_SHAPES: Shape[] = [[4, 1], [8, 1]];

/** Outputs of both builds per case, to compare their bits. */
const outputs = new Map<string, Float32Array>();

describe.each(FLAVORS)('block-sparse convolutions = dense convolutions (%s build)', (flavor) => {
  let ex: NnExports;
  beforeAll(async () => {
    ex = await loadNn(flavor);
  });

  /** Packs w as a block conv (asserting it applies); returns the block's pointer. */
  function pack(a: Arena, pw: number, transposed: boolean, cin: number, rows: number, F: number, kT: number, kF: number, s: number, p1: number, p2: number, [br, bc]: Shape): number {
    const scratch = a.f32(cin * rows * kT * kF);
    const bytes = ex.convBlockBytes(pw, scratch, transposed ? 1 : 0, cin, rows, F, kT, kF, s, br, bc);
    expect(bytes).toBeGreaterThan(0);
    const cb = a.alloc(bytes);
    expect(ex.convBlockPack(cb, pw, scratch, transposed ? 1 : 0, cin, rows, F, kT, kF, s, p1, p2, br, bc)).toBe(1);
    return cb;
  }

  /** Streams FRAMES frames through the dense kernel and the block form; returns both outputs and the form's counts. */
  function both(transposed: boolean, w: Float32Array, b: Float32Array | null, cin: number, cout: number, F: number, kT: number, kF: number, s: number, p1: number, p2: number, shape: Shape) {
    const a = new Arena(ex);
    const x = randomF32(FRAMES * cin * F, cin * 7 + F);
    const fout = transposed ? ex.convTranspose2dOutBins(F, kF, s, p1, p2) : ex.conv2dOutBins(F, kF, s, p1, p2);
    const frame = cin * F, out = cout * fout;
    const px = a.f32(frame), pw = a.f32(w.length, w), pb = b ? a.f32(cout, b) : 0;
    const pp = transposed ? a.f32(w.length) : pw;
    if (transposed) ex.convTranspose2dPack(pp, pw, cin, cout, kT, kF, s);
    const cb = pack(a, pw, transposed, cin, cout, F, kT, kF, s, p1, p2, shape);
    const ringD = kT > 1 ? a.f32((kT - 1) * frame) : 0, ringB = kT > 1 ? a.f32((kT - 1) * frame) : 0;
    const patchD = a.f32(transposed ? ex.convTranspose2dPatchFloats(cin, F, kT, kF, s, p1, p2) : ex.conv2dPatchFloats(cin, F, kT, kF, s, p1, p2));
    const patchB = a.f32(ex.convBlockPatchFloats(cb));
    const yd = a.f32(out), yb = a.f32(out + GUARD);
    a.write(yb + 4 * out, new Float32Array(GUARD).fill(NaN));
    const dense = new Float32Array(FRAMES * out), block = new Float32Array(FRAMES * out);
    let posD = 0, posB = 0;
    for (let n = 0; n < FRAMES; n++) {
      a.write(px, x.subarray(n * frame, (n + 1) * frame));
      posD = transposed
        ? ex.convTranspose2dStep(yd, px, ringD, posD, pp, pb, patchD, cin, cout, F, kT, kF, s, p1, p2)
        : ex.conv2dStep(yd, px, ringD, posD, pw, pb, patchD, cin, cout, F, kT, kF, s, p1, p2);
      posB = ex.convBlockStep(yb, px, ringB, posB, cb, pb, patchB);
      expect(posB).toBe(posD);
      dense.set(a.read(yd, out), n * out);
      block.set(a.read(yb, out), n * out);
      expect(Array.from(a.read(yb + 4 * out, GUARD)).every(Number.isNaN), 'wrote past y').toBe(true);
    }
    return { dense, block, blocks: ex.convBlockBlocks(cb), macs: ex.convBlockMacs(cb), fout };
  }

  it.each(CONV2D)('conv %s: 4x1, 8x1, 1x4 blocks, 30 % kept', (name, cin, cout, F, kT, kF, s, padL, padR) => {
    for (const shape of CONV_SHAPES) {
      const K = cin * kT * kF;
      if (cout % shape[0] !== 0 || K % shape[1] !== 0) continue;
      const { w, kept } = blockWeights(cout, K, shape, 0.3, 3 + kF + cin + shape[0]);
      const r = both(false, w, randomF32(cout, 5), cin, cout, F, kT, kF, s, padL, padR, shape);
      expect(r.blocks).toBe(kept);
      expect(r.macs).toBe(kept * shape[0] * shape[1] * r.fout);
      expect(recordError(`convBlockStep conv ${shape.join('x')} [${flavor}]`, relError(r.block, r.dense))).toBeLessThanOrEqual(TOL);
      outputs.set(`${flavor} conv ${name} ${shape}`, r.block);
    }
  });

  it.each(TCONV)('transposed conv %s: 4x1, 8x1 blocks (4 / 8 input channels at one output tap), 30 % kept', (name, cin, cout, F, kT, kF, s, pad, outPad) => {
    for (const shape of TCONV_SHAPES) {
      if (cin % shape[0] !== 0) continue;
      const { w, kept } = blockWeights(cin, cout * kT * kF, shape, 0.3, 4 + kF + cin + shape[0]);
      const r = both(true, w, randomF32(cout, 6), cin, cout, F, kT, kF, s, pad, outPad, shape);
      // each file block is one (4x1) or two (8x1) packed 1x4 blocks, in the phase of its tap
      expect(r.blocks).toBe((kept * shape[0]) / 4);
      expect(recordError(`convBlockStep tconv ${shape.join('x')} [${flavor}]`, relError(r.block, r.dense))).toBeLessThanOrEqual(TOL);
      outputs.set(`${flavor} tconv ${name} ${shape}`, r.block);
    }
  });

  it('an all-zero weight gives the bias, no MACs', () => {
    const [cin, cout, F, kT, kF, s] = [4, 8, 10, 2, 5, 2];
    const b = randomF32(cout, 8);
    const r = both(false, new Float32Array(cout * cin * kT * kF), b, cin, cout, F, kT, kF, s, 1, 1, [4, 1]);
    expect(r.blocks).toBe(0);
    expect(r.macs).toBe(0);
    for (let i = 0; i < r.block.length; i++) expect(r.block[i]).toBe(b[Math.floor(i / r.fout) % cout]);
  });

  it('refuses shapes it has no block form for', () => {
    const a = new Arena(ex);
    const pw = a.f32(8 * 8 * 3), scratch = a.f32(8 * 8 * 3);
    expect(ex.convBlockBytes(pw, scratch, 0, 8, 8, 9, 1, 3, 2, 2, 2)).toBe(0); // 2x2
    expect(ex.convBlockBytes(pw, scratch, 0, 8, 6, 9, 1, 3, 2, 4, 1)).toBe(0); // 6 rows in 4x1
    expect(ex.convBlockBytes(pw, scratch, 0, 2, 8, 9, 1, 3, 2, 1, 4)).toBe(0); // 6 columns in 1x4
    expect(ex.convBlockBytes(pw, scratch, 1, 8, 8, 9, 1, 3, 2, 1, 4)).toBe(0); // a transposed conv's 1x4
    expect(ex.convBlockBytes(pw, scratch, 1, 6, 8, 9, 1, 3, 2, 4, 1)).toBe(0); // 6 input channels in 4x1
    expect(ex.convBlockBytes(pw, scratch, 1, 8, 8, 9, 1, 3, 17, 4, 1)).toBe(0); // stride above the phase table
  });
});

describe('block convolutions: the SIMD and scalar builds agree bit for bit', () => {
  it('every case above', () => {
    let n = 0;
    for (const [key, simd] of outputs) {
      if (!key.startsWith('simd ')) continue;
      const scalar = outputs.get(`scalar ${key.slice(5)}`);
      expect(scalar, key).toBeDefined();
      expect(Array.from(scalar!), key).toEqual(Array.from(simd));
      n++;
    }
    expect(n).toBeGreaterThan(20);
  });
});
