import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elu, layerNorm, lstmStep, relError, sigmoid } from './reference.js';
import { randomF32 } from '../helpers/signals.js';
import { Arena, FLAVORS, loadNn, recordError, reportErrors, type NnExports } from './wasm.js';

const TOL = 1e-5;

afterAll(() => reportErrors('test/nn/lstm+elementwise'));

describe.each(FLAVORS)('LSTM and element-wise kernels (%s build)', (flavor) => {
  let ex: NnExports;
  const err = (kernel: string, got: ArrayLike<number>, ref: ArrayLike<number>) => recordError(`${kernel} [${flavor}]`, relError(got, ref));
  beforeAll(async () => {
    ex = await loadNn(flavor);
  });

  it.each([[161, 37], [5, 3], [64, 64], [1, 1]])('lstmStep In=%i H=%i over 6 steps vs float64', (inSize, H) => {
    const a = new Arena(ex);
    const T = 6;
    const xs = randomF32(T * inSize, 70 + inSize);
    const s = 1 / Math.sqrt(H); // PyTorch's init range keeps the gates out of saturation
    const wih = randomF32(4 * H * inSize, 71, -s, s), whh = randomF32(4 * H * H, 72, -s, s);
    const bih = randomF32(4 * H, 73, -s, s), bhh = randomF32(4 * H, 74, -s, s);
    const ph = a.f32(H), pc = a.f32(H), px = a.f32(inSize), pg = a.f32(4 * H);
    const pwih = a.f32(wih.length, wih), pwhh = a.f32(whh.length, whh), pbih = a.f32(4 * H, bih), pbhh = a.f32(4 * H, bhh);
    // The reference state is re-seeded from the WASM state each step (the f32 rounding of h and
    // c is part of the kernel's contract), so the comparison measures one step's error only.
    let h = new Float64Array(H), c = new Float64Array(H);
    for (let n = 0; n < T; n++) {
      const x = xs.subarray(n * inSize, (n + 1) * inSize);
      a.write(px, x);
      ex.lstmStep(ph, pc, px, pwih, pwhh, pbih, pbhh, pg, inSize, H);
      const ref = lstmStep(x, h, c, wih, whh, bih, bhh, inSize, H);
      expect(err('lstmStep h', a.read(ph, H), ref.h)).toBeLessThanOrEqual(TOL);
      expect(err('lstmStep c', a.read(pc, H), ref.c)).toBeLessThanOrEqual(TOL);
      h = Float64Array.from(a.read(ph, H));
      c = Float64Array.from(a.read(pc, H));
    }
    // No biases.
    ex.lstmStep(ph, pc, px, pwih, pwhh, 0, 0, pg, inSize, H);
    const ref = lstmStep(xs.subarray((T - 1) * inSize), h, c, wih, whh, null, null, inSize, H);
    expect(err('lstmStep h', a.read(ph, H), ref.h)).toBeLessThanOrEqual(TOL);
  });

  it.each([[2, 24, 16], [4, 8, 12], [1, 7, 5]])('lstmGroupedStep %i groups, In=%i H=%i = independent per-group LSTMs', (G, inSize, H) => {
    const a = new Arena(ex);
    const ig = inSize / G, hg = H / G;
    const x = randomF32(inSize, 80), h0 = randomF32(H, 81), c0 = randomF32(H, 82);
    const wih = randomF32(G * 4 * hg * ig, 83, -0.5, 0.5), whh = randomF32(G * 4 * hg * hg, 84, -0.5, 0.5);
    const bih = randomF32(G * 4 * hg, 85), bhh = randomF32(G * 4 * hg, 86);
    const ph = a.f32(H, h0), pc = a.f32(H, c0), px = a.f32(inSize, x), pg = a.f32(4 * hg);
    ex.lstmGroupedStep(ph, pc, px, a.f32(wih.length, wih), a.f32(whh.length, whh), a.f32(bih.length, bih), a.f32(bhh.length, bhh), pg, inSize, H, G);
    const refH = new Float64Array(H), refC = new Float64Array(H);
    for (let g = 0; g < G; g++) {
      const r = lstmStep(
        x.subarray(g * ig, (g + 1) * ig), h0.subarray(g * hg, (g + 1) * hg), c0.subarray(g * hg, (g + 1) * hg),
        wih.subarray(g * 4 * hg * ig, (g + 1) * 4 * hg * ig), whh.subarray(g * 4 * hg * hg, (g + 1) * 4 * hg * hg),
        bih.subarray(g * 4 * hg, (g + 1) * 4 * hg), bhh.subarray(g * 4 * hg, (g + 1) * 4 * hg), ig, hg,
      );
      refH.set(r.h, g * hg);
      refC.set(r.c, g * hg);
    }
    expect(err('lstmGroupedStep h', a.read(ph, H), refH)).toBeLessThanOrEqual(TOL);
    expect(err('lstmGroupedStep c', a.read(pc, H), refC)).toBeLessThanOrEqual(TOL);
  });

  it('lstmCellUpdate alone matches the gate equations', () => {
    const a = new Arena(ex);
    const H = 13;
    const gates = randomF32(4 * H, 90, -6, 6), c0 = randomF32(H, 91);
    const ph = a.f32(H), pc = a.f32(H, c0), pg = a.f32(4 * H, gates);
    ex.lstmCellUpdate(ph, pc, pg, H);
    const refC = Float64Array.from({ length: H }, (_, j) => sigmoid(gates[H + j]) * c0[j] + sigmoid(gates[j]) * Math.tanh(gates[2 * H + j]));
    const refH = refC.map((cv, j) => sigmoid(gates[3 * H + j]) * Math.tanh(cv));
    expect(err('lstmCellUpdate', a.read(pc, H), refC)).toBeLessThanOrEqual(TOL);
    expect(err('lstmCellUpdate', a.read(ph, H), refH)).toBeLessThanOrEqual(TOL);
  });

  // Full range, including saturation and exact zeros; n = 1027 exercises the SIMD tails.
  const wide = (() => {
    const v = randomF32(1027, 100, -30, 30);
    v.set([0, -0, 1e-30, -1e-30, 88, -88, 100, -100, 3.4e38, -3.4e38, 1e-7, -1e-7]);
    return v;
  })();

  it('sigmoidApply, tanhApply, reluApply, eluApply over the full range (absolute error ≤ 1e-7)', () => {
    const a = new Arena(ex);
    const n = wide.length;
    const px = a.f32(n, wide), py = a.f32(n);
    const absErr = (got: Float32Array, f: (v: number) => number) => {
      let e = 0;
      for (let i = 0; i < n; i++) e = Math.max(e, Math.abs(got[i] - f(wide[i])));
      return e;
    };
    ex.sigmoidApply(py, px, n);
    expect(recordError(`sigmoidApply abs [${flavor}]`, absErr(a.read(py, n), sigmoid))).toBeLessThanOrEqual(1e-7);
    ex.tanhApply(py, px, n);
    expect(recordError(`tanhApply abs [${flavor}]`, absErr(a.read(py, n), Math.tanh))).toBeLessThanOrEqual(1e-7);
    ex.reluApply(py, px, n);
    expect(absErr(a.read(py, n), (v) => Math.max(v, 0))).toBe(0);
    ex.eluApply(py, px, n, 1.0);
    expect(recordError(`eluApply abs [${flavor}]`, absErr(a.read(py, n).map((v, i) => (wide[i] > 0 ? 0 : v)), (v) => (v > 0 ? 0 : elu(v, 1))))).toBeLessThanOrEqual(1e-7);
    expect(a.read(py, n).every((v, i) => wide[i] <= 0 || v === wide[i])).toBe(true);
    ex.eluApply(py, px, n, 0.5);
    expect(absErr(a.read(py, n).map((v, i) => (wide[i] > 0 ? 0 : v)), (v) => (v > 0 ? 0 : elu(v, 0.5)))).toBeLessThanOrEqual(1e-7);
    // In place.
    ex.sigmoidApply(px, px, n);
    expect(absErr(a.read(px, n), sigmoid)).toBeLessThanOrEqual(1e-7);
  });

  it.each([[1], [5]])('preluApply with %i slope(s) over [5][1], [5][7] and [5][161]', (slopes) => {
    for (const len of [1, 7, 161]) {
      const a = new Arena(ex);
      const C = 5;
      const x = randomF32(C * len, 110 + len), sl = randomF32(slopes, 111, 0, 0.5);
      const px = a.f32(x.length, x), ps = a.f32(slopes, sl), py = a.f32(x.length);
      ex.preluApply(py, px, ps, C, len, slopes);
      const ref = Float64Array.from(x, (v, i) => (v > 0 ? v : sl[slopes === 1 ? 0 : Math.floor(i / len)] * v));
      expect(err('preluApply', a.read(py, x.length), ref)).toBeLessThanOrEqual(TOL);
    }
  });

  it('gluApply: a ⊙ σ(g), also in place', () => {
    const a = new Arena(ex);
    const n = 163;
    const av = randomF32(n, 120, -3, 3), gv = randomF32(n, 121, -10, 10);
    const pa = a.f32(n, av), pg = a.f32(n, gv), py = a.f32(n);
    const ref = Float64Array.from(av, (v, i) => v * sigmoid(gv[i]));
    ex.gluApply(py, pa, pg, n);
    expect(err('gluApply', a.read(py, n), ref)).toBeLessThanOrEqual(TOL);
    ex.gluApply(pa, pa, pg, n);
    expect(err('gluApply', a.read(pa, n), ref)).toBeLessThanOrEqual(TOL);
  });

  it.each([[1024], [161], [3]])('layerNormApply n=%i, with and without affine', (n) => {
    const a = new Arena(ex);
    const x = randomF32(n, 130 + n, -2, 5), g = randomF32(n, 131), b = randomF32(n, 132);
    const px = a.f32(n, x), pg = a.f32(n, g), pb = a.f32(n, b), py = a.f32(n);
    ex.layerNormApply(py, px, pg, pb, n, 1e-5);
    expect(err('layerNormApply', a.read(py, n), layerNorm(x, g, b, 1e-5))).toBeLessThanOrEqual(TOL);
    ex.layerNormApply(px, px, 0, 0, n, 1e-5);
    expect(err('layerNormApply', a.read(px, n), layerNorm(x, null, null, 1e-5))).toBeLessThanOrEqual(TOL);
  });

  it.each([[19], [1]])('batchNormFold + batchNormAffine = (x − mean)/√(var + eps)·γ + β per channel, [6][%i]', (len) => {
    const a = new Arena(ex);
    const C = 6;
    const x = randomF32(C * len, 140), gamma = randomF32(C, 141), beta = randomF32(C, 142);
    const mean = randomF32(C, 143), vr = randomF32(C, 144, 0.1, 2);
    const pscale = a.f32(C), pshift = a.f32(C);
    ex.batchNormFold(pscale, pshift, a.f32(C, gamma), a.f32(C, beta), a.f32(C, mean), a.f32(C, vr), C, 1e-5);
    const px = a.f32(x.length, x), py = a.f32(x.length);
    ex.batchNormAffine(py, px, pscale, pshift, C, len);
    const ref = Float64Array.from(x, (v, i) => {
      const c = Math.floor(i / len);
      return ((v - mean[c]) / Math.sqrt(vr[c] + 1e-5)) * gamma[c] + beta[c];
    });
    expect(err('batchNormAffine', a.read(py, x.length), ref)).toBeLessThanOrEqual(TOL);
  });

  it('vecAdd and vecInterleave', () => {
    const a = new Arena(ex);
    const n = 1026;
    const u = randomF32(n, 150), v = randomF32(n, 151);
    const pu = a.f32(n, u), pv = a.f32(n, v), py = a.f32(n);
    ex.vecAdd(py, pu, pv, n);
    expect(a.read(py, n)).toEqual(Float32Array.from(u, (x, i) => x + v[i]));
    ex.vecInterleave(py, pu, 2, n);
    const got = a.read(py, n);
    for (let j = 0; j < n / 2; j++) {
      expect(got[2 * j]).toBe(u[j]);
      expect(got[2 * j + 1]).toBe(u[n / 2 + j]);
    }
  });
});
