// The f32 exponential of assembly/nn/exp-approx.ts and the activations built on it (activation.ts):
// the error bounds their file comments state, measured against float64 over a sweep of f32 bit
// patterns (every 4096th f32 of each sign: 2048 points per binade, subnormals to the largest), plus
// the edges (±0, ±∞, NaN, the clamp points) and the equality of the SIMD and scalar builds.
import { beforeAll, describe, expect, it } from 'vitest';
import { elu, sigmoid } from './reference.js';
import { Arena, FLAVORS, loadNn, type NnExports } from './wasm.js';

/** Every 4096th f32 of magnitude ≤ maxAbs, both signs. */
function sweep(maxAbs: number): Float32Array {
  const bits = new Uint32Array(1);
  const f = new Float32Array(bits.buffer);
  const out: number[] = [];
  for (let u = 0; u < 0x7f800000; u += 4096) {
    bits[0] = u;
    const v = f[0];
    if (v <= maxAbs) out.push(v, -v);
  }
  return Float32Array.from(out);
}

/** Runs kernel(y, x, n) over xs and returns the f32 results. */
function run(ex: NnExports, kernel: (y: number, x: number, n: number) => void, xs: Float32Array): Float32Array {
  const a = new Arena(ex);
  const px = a.f32(xs.length, xs), py = a.f32(xs.length);
  kernel(py, px, xs.length);
  return a.read(py, xs.length);
}

/** Largest |got − ref| / |ref| (refs of 0 skipped) and |got − ref|. */
function errors(xs: Float32Array, got: Float32Array, ref: (v: number) => number): { rel: number; abs: number } {
  let rel = 0, abs = 0;
  for (let i = 0; i < xs.length; i++) {
    const r = ref(xs[i]);
    const d = Math.abs(got[i] - r);
    abs = Math.max(abs, d);
    if (r !== 0) rel = Math.max(rel, d / Math.abs(r));
  }
  return { rel, abs };
}

const EDGES = Float32Array.from([0, -0, Infinity, -Infinity, NaN, -87, 88, -87.5, 88.5, 9, -9, 1e-30, -1e-30, 1e-45, -1e-45]);

describe.each(FLAVORS)('exp-approx and the activations on it (%s build)', (flavor) => {
  let ex: NnExports;
  beforeAll(async () => {
    ex = await loadNn(flavor);
  });

  it('e^x: relative error ≤ 1.5e-7 on [−87, 88]; clamped, finite and normal outside; NaN stays NaN', () => {
    const xs = sweep(88).filter((v) => v >= -87);
    const got = run(ex, ex.expApply, xs);
    expect(errors(xs, got, Math.exp).rel).toBeLessThanOrEqual(1.5e-7); // measured 7.6e-8
    const edge = run(ex, ex.expApply, EDGES);
    expect(edge[0]).toBe(1);
    expect(edge[1]).toBe(1);
    expect(edge[2]).toBeCloseTo(Math.exp(88), -32); // +∞ → e^88, finite
    expect(Number.isFinite(edge[2])).toBe(true);
    expect(edge[3]).toBeGreaterThanOrEqual(2 ** -126); // −∞ → e^−87, a normal number
    expect(edge[3]).toBeLessThan(1.7e-38);
    expect(Number.isNaN(edge[4])).toBe(true);
  });

  it('e^x − 1: relative error ≤ 2e-7 on [−87, 88], including tiny arguments (no cancellation)', () => {
    const xs = sweep(88).filter((v) => v >= -87);
    const got = run(ex, ex.expm1Apply, xs);
    expect(errors(xs, got, Math.expm1).rel).toBeLessThanOrEqual(2e-7); // measured 1.07e-7
    const edge = run(ex, ex.expm1Apply, EDGES);
    expect(edge[0]).toBe(0);
    expect(edge[3]).toBe(-1);
    expect(edge[11]).toBe(Math.fround(1e-30));
    expect(Number.isNaN(edge[4])).toBe(true);
  });

  it('σ: absolute error ≤ 1.2e-7, relative ≤ 2e-7; never subnormal; σ(±∞) saturates', () => {
    const xs = sweep(3.4e38);
    const got = run(ex, ex.sigmoidApply, xs);
    const e = errors(xs.filter((v) => v >= -87), got.filter((_, i) => xs[i] >= -87), sigmoid);
    expect(e.abs).toBeLessThanOrEqual(1.2e-7); // measured 8.8e-8
    expect(e.rel).toBeLessThanOrEqual(2e-7); //   measured 1.28e-7
    expect(got.every((v) => v === 0 || v >= 2 ** -126)).toBe(true);
    const edge = run(ex, ex.sigmoidApply, EDGES);
    expect(edge[0]).toBe(0.5);
    expect(edge[2]).toBe(1);
    expect(edge[3]).toBeGreaterThanOrEqual(2 ** -126);
    expect(edge[3]).toBeLessThan(1.7e-38);
    expect(Number.isNaN(edge[4])).toBe(true);
  });

  it('tanh: relative error ≤ 2.5e-7 over the whole range; ±1 beyond |x| = 9; odd', () => {
    const xs = sweep(3.4e38);
    const got = run(ex, ex.tanhApply, xs);
    expect(errors(xs, got, Math.tanh).rel).toBeLessThanOrEqual(2.5e-7); // measured 1.59e-7
    let odd = true;
    for (let i = 0; i < xs.length; i += 2) if (xs[i + 1] === -xs[i]) odd &&= got[i + 1] === -got[i]; // −0 = +0 here
    expect(odd).toBe(true);
    const edge = run(ex, ex.tanhApply, EDGES);
    expect([edge[0], edge[2], edge[3], edge[9], edge[10]]).toEqual([0, 1, -1, 1, -1]);
    expect(Number.isNaN(edge[4])).toBe(true);
  });

  it('ELU: x itself for x > 0, relative error ≤ 1.5e-7 below', () => {
    const xs = sweep(3.4e38);
    const a = new Arena(ex);
    const px = a.f32(xs.length, xs), py = a.f32(xs.length);
    for (const alpha of [1, 0.5]) {
      ex.eluApply(py, px, xs.length, alpha);
      const got = a.read(py, xs.length);
      expect(got.every((v, i) => xs[i] <= 0 || v === xs[i])).toBe(true);
      expect(errors(xs, got, (v) => elu(v, alpha)).rel).toBeLessThanOrEqual(1.5e-7); // measured 7.2e-8
    }
  });
});

describe('exp-approx: SIMD and scalar builds give the same bits', () => {
  it.each(['expApply', 'expm1Apply', 'sigmoidApply', 'tanhApply'] as const)('%s', async (name) => {
    const [simd, scalar] = await Promise.all(FLAVORS.map((f) => loadNn(f)));
    const xs = Float32Array.from([...sweep(100), ...EDGES]);
    const a = run(simd, simd[name], xs), b = run(scalar, scalar[name], xs);
    // NaN payloads and signs may differ between the lane and scalar ops; every other value is equal.
    const bits = (v: Float32Array) => Array.from(new Uint32Array(v.buffer), (u, i) => (Number.isNaN(v[i]) ? -1 : u));
    expect(bits(a)).toEqual(bits(b));
  });
});
