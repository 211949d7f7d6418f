import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  conv2dSequence, convTranspose2dSequence, depthwiseConv1dSequence, pointwiseConv, relError,
} from './reference.js';
import { randomF32 } from '../helpers/signals.js';
import { Arena, FLAVORS, loadNn, recordError, reportErrors, type NnExports } from './wasm.js';

const TOL = 1e-5;
/** Frames streamed per test: more than every ring length below, so each ring wraps. */
const FRAMES = 7;

afterAll(() => reportErrors('test/nn/conv'));

// [name, cin, cout, F, kT, kF, strideF, padL, padR]
const CONV2D: Array<[string, number, number, number, number, number, number, number, number]> = [
  ['GCRN enc1 (1,3)/(1,2), 161 bins', 2, 16, 161, 1, 3, 2, 0, 0],
  ['GCRN enc2', 16, 32, 80, 1, 3, 2, 0, 0],
  ['TCNN enc1 (2,5) stride 1, same pad', 1, 16, 320, 2, 5, 1, 2, 2],
  ['TCNN enc (2,5) stride 2', 16, 16, 160, 2, 5, 2, 1, 1],
  ['awkward kT=3 kF=4 s=3', 3, 7, 11, 3, 4, 3, 2, 1],
  ['kernel wider than input', 5, 6, 2, 2, 3, 1, 1, 1],
];

// [name, cin, cout, F, kT, kF, strideF, pad, outPad]
const TCONV: Array<[string, number, number, number, number, number, number, number, number]> = [
  ['GCRN dec 4→9', 24, 8, 4, 1, 3, 2, 0, 0],
  ['GCRN dec 39→80 (output_padding 1)', 6, 5, 39, 1, 3, 2, 0, 1],
  ['GCRN dec 80→161', 4, 1, 80, 1, 3, 2, 0, 0],
  ['TCNN dec (2,5) stride 2', 8, 6, 9, 2, 5, 2, 1, 1],
  ['awkward kT=3 kF=4 s=3 pad 2', 5, 6, 7, 3, 4, 3, 2, 2],
  ['kF < stride (a phase with no taps)', 3, 4, 5, 1, 2, 3, 0, 0],
  ['stride 1', 7, 9, 5, 2, 3, 1, 1, 0],
];

describe.each(FLAVORS)('streaming convolutions (%s build)', (flavor) => {
  let ex: NnExports;
  const err = (kernel: string, got: ArrayLike<number>, ref: ArrayLike<number>) => recordError(`${kernel} [${flavor}]`, relError(got, ref));
  beforeAll(async () => {
    ex = await loadNn(flavor);
  });

  it.each(CONV2D)('conv2dStep %s: frame by frame = whole-sequence causal conv', (_n, cin, cout, F, kT, kF, s, padL, padR) => {
    const a = new Arena(ex);
    const x = randomF32(FRAMES * cin * F, cin * 7 + F);
    const w = randomF32(cout * cin * kT * kF, 3 + kF);
    const b = randomF32(cout, 5);
    const ref = conv2dSequence(x, w, b, FRAMES, cin, cout, F, kT, kF, s, padL, padR);
    const fout = ex.conv2dOutBins(F, kF, s, padL, padR);
    expect(fout).toBe(ref.fout);
    const frame = cin * F;
    const px = a.f32(frame), pw = a.f32(w.length, w), pb = a.f32(cout, b);
    const pring = kT > 1 ? a.f32((kT - 1) * frame) : 0;
    const ppatch = a.f32(ex.conv2dPatchFloats(cin, F, kT, kF, s, padL, padR));
    const py = a.f32(cout * fout);
    const got = new Float32Array(FRAMES * cout * fout);
    let pos = 0;
    for (let n = 0; n < FRAMES; n++) {
      a.write(px, x.subarray(n * frame, (n + 1) * frame));
      pos = ex.conv2dStep(py, px, pring, pos, pw, pb, ppatch, cin, cout, F, kT, kF, s, padL, padR);
      got.set(a.read(py, cout * fout), n * cout * fout);
    }
    expect(err('conv2dStep', got, ref.y)).toBeLessThanOrEqual(TOL);
  });

  it.each(TCONV)('convTranspose2dStep %s: frame by frame = whole-sequence causal transposed conv', (_n, cin, cout, F, kT, kF, s, pad, outPad) => {
    const a = new Arena(ex);
    const x = randomF32(FRAMES * cin * F, cin * 5 + F);
    const w = randomF32(cin * cout * kT * kF, 4 + kF);
    const b = randomF32(cout, 6);
    const ref = convTranspose2dSequence(x, w, b, FRAMES, cin, cout, F, kT, kF, s, pad, outPad);
    const fout = ex.convTranspose2dOutBins(F, kF, s, pad, outPad);
    expect(fout).toBe(ref.fout);
    const frame = cin * F;
    const pw = a.f32(w.length, w), pp = a.f32(w.length), pb = a.f32(cout, b), px = a.f32(frame);
    ex.convTranspose2dPack(pp, pw, cin, cout, kT, kF, s);
    const pring = kT > 1 ? a.f32((kT - 1) * frame) : 0;
    const ppatch = a.f32(ex.convTranspose2dPatchFloats(cin, F, kT, kF, s, pad, outPad));
    const py = a.f32(cout * fout);
    const got = new Float32Array(FRAMES * cout * fout);
    let pos = 0;
    for (let n = 0; n < FRAMES; n++) {
      a.write(px, x.subarray(n * frame, (n + 1) * frame));
      pos = ex.convTranspose2dStep(py, px, pring, pos, pp, pb, ppatch, cin, cout, F, kT, kF, s, pad, outPad);
      got.set(a.read(py, cout * fout), n * cout * fout);
    }
    expect(err('convTranspose2dStep', got, ref.y)).toBeLessThanOrEqual(TOL);
  });

  it.each([[1, 13], [2, 16], [5, 7], [32, 9]])('depthwiseConv1dStep k=3 dilation %i, %i channels: stream = sequence', (d, C) => {
    const a = new Arena(ex);
    const k = 3;
    const T = 2 * (k - 1) * d + 3; // the ring of (k−1)·d frames wraps twice
    const x = randomF32(T * C, 40 + d), w = randomF32(C * k, 41), b = randomF32(C, 42);
    const ref = depthwiseConv1dSequence(x, w, b, T, C, k, d);
    const px = a.f32(C), pw = a.f32(w.length, w), pb = a.f32(C, b), py = a.f32(C), pring = a.f32((k - 1) * d * C);
    const got = new Float32Array(T * C);
    let pos = 0;
    for (let n = 0; n < T; n++) {
      a.write(px, x.subarray(n * C, (n + 1) * C));
      pos = ex.depthwiseConv1dStep(py, px, pring, pos, pw, pb, C, k, d);
      got.set(a.read(py, C), n * C);
    }
    expect(err('depthwiseConv1dStep', got, ref)).toBeLessThanOrEqual(TOL);
  });

  it('depthwiseConv1dStep with kernel 1 and kernel 5 (no ring / longer ring)', () => {
    for (const [k, d] of [[1, 1], [5, 3]]) {
      const a = new Arena(ex);
      const C = 6, T = 20;
      const x = randomF32(T * C, 50 + k), w = randomF32(C * k, 51);
      const ref = depthwiseConv1dSequence(x, w, null, T, C, k, d);
      const px = a.f32(C), pw = a.f32(w.length, w), py = a.f32(C), pring = (k - 1) * d > 0 ? a.f32((k - 1) * d * C) : 0;
      const got = new Float32Array(T * C);
      let pos = 0;
      for (let n = 0; n < T; n++) {
        a.write(px, x.subarray(n * C, (n + 1) * C));
        pos = ex.depthwiseConv1dStep(py, px, pring, pos, pw, 0, C, k, d);
        got.set(a.read(py, C), n * C);
      }
      expect(err('depthwiseConv1dStep', got, ref)).toBeLessThanOrEqual(TOL);
    }
  });

  it.each([[1, 256, 512], [4, 3, 5], [7, 16, 9], [161, 2, 3]])('pointwiseConv len %i, %i→%i channels', (len, cin, cout) => {
    const a = new Arena(ex);
    const x = randomF32(cin * len, 60), w = randomF32(cout * cin, 61), b = randomF32(cout, 62);
    const px = a.f32(x.length, x), pw = a.f32(w.length, w), pb = a.f32(cout, b), py = a.f32(cout * len);
    ex.pointwiseConv(py, pw, pb, px, cin, cout, len);
    expect(err('pointwiseConv', a.read(py, cout * len), pointwiseConv(w, b, x, cin, cout, len))).toBeLessThanOrEqual(TOL);
  });
});
