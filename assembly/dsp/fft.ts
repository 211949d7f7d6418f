// 320-point real FFT in float32 for the streaming STFT (mirror of src/dsp/fft.ts, which is the
// float64 definition it is tested against in test/dsp/wasmStft.test.ts).
//
// Real FFT of N = 320 through one complex FFT of M = 160 points on z[m] = x[2m] + i·x[2m+1] plus
// an O(N) split step (same formulas as src/dsp/fft.ts). The complex FFT is a Stockham autosort
// (no bit reversal; ping-pong between buffers A and B) with radices 5·2·4·4, in that order so that
// the sub-transform count r = M/(l·p) after each stage is 32, 16, 4, 1: the first three stages are
// vectorised over k (r a multiple of 4, one twiddle per vector), the last (r = 1) over j with 4×4
// transposes. Split step vectorised over k with lane-reversed loads for Z[M−k]. A scalar path
// (ASC_FEATURE_SIMD off) runs the same arithmetic one lane at a time.
//
// Stage s (cumulative length l before, radix p, L = l·p, r = M/L) reads a[j·r·p + q·r + k] and
// writes b[(j + l·j2)·r + k], j < l, q, j2 < p, k < r, after twiddling input q by e^{−2πi·j·q/L}.
//
// Everything lives in one plan block allocated once by rfftCreate() (twiddles computed there in
// f64, rounded once to f32); nothing is allocated per transform. Layout (byte offsets, f32,
// 16-byte aligned; A/B are scratch, the rest read-only):
//   A_RE, A_IM [160]    packed sequence / result          B_RE, B_IM [160]   Stockham work
//   SPLIT_RE/IM [161]   e^{−2πik/320}, k = 0..160
//   TWs_RE/IM           stage s twiddles at [(q−1)·l + j], q = 1..p−1, j < l
// Error: ~1e-7 relative to the frame's peak bin (f32 rounding), measured in the tests.

import { memAlloc } from "../mem";
import { FFT_SIZE } from "./constants";

/** Real transform length, 320 (the radix plan and the byte layout below are specific to it). */
const N: i32 = FFT_SIZE;
/** Complex transform length N/2 = 160. */
const M: i32 = FFT_SIZE / 2;

const A_RE: usize = 0;
const A_IM: usize = 640;
const B_RE: usize = 1280;
const B_IM: usize = 1920;
const SPLIT_RE: usize = 2560; // 161 f32, 656 bytes reserved
const SPLIT_IM: usize = 3216;
const TW0_RE: usize = 3872; // stage 0: p = 5, l = 1  → 4 twiddles (all 1)
const TW0_IM: usize = 3888;
const TW1_RE: usize = 3904; // stage 1: p = 2, l = 5  → 5
const TW1_IM: usize = 3936;
const TW2_RE: usize = 3968; // stage 2: p = 4, l = 10 → 30
const TW2_IM: usize = 4096;
const TW3_RE: usize = 4224; // stage 3: p = 4, l = 40 → 120
const TW3_IM: usize = 4704;
/** Bytes of one plan block. */
const PLAN_BYTES: u32 = 5184;

// cos/sin of 2π/5 and 4π/5 for the radix-5 butterfly.
const C72: f32 = <f32>0.30901699437494745;
const C144: f32 = <f32>-0.8090169943749475;
const S72: f32 = <f32>0.9510565162951535;
const S144: f32 = <f32>0.5877852522924731;

/** Fills stage twiddles e^{−2πi·j·q/(l·p)} at [(q−1)·l + j]. */
function twiddlesFill(re: usize, im: usize, l: i32, p: i32): void {
  const span = l * p;
  for (let q = 1; q < p; q++) {
    for (let j = 0; j < l; j++) {
      const angle = -2.0 * Math.PI * <f64>((j * q) % span) / <f64>span;
      store<f32>(re + (<usize>((q - 1) * l + j) << 2), <f32>Math.cos(angle));
      store<f32>(im + (<usize>((q - 1) * l + j) << 2), <f32>Math.sin(angle));
    }
  }
}

/** Allocates and fills a 320-point real-FFT plan (twiddles + scratch). Returns 0 if out of memory. */
export function rfftCreate(): usize {
  const plan = memAlloc(PLAN_BYTES);
  if (plan == 0) return 0;
  for (let k = 0; k <= M; k++) {
    const angle = -2.0 * Math.PI * <f64>k / <f64>N;
    store<f32>(plan + SPLIT_RE + (<usize>k << 2), <f32>Math.cos(angle));
    store<f32>(plan + SPLIT_IM + (<usize>k << 2), <f32>Math.sin(angle));
  }
  twiddlesFill(plan + TW0_RE, plan + TW0_IM, 1, 5);
  twiddlesFill(plan + TW1_RE, plan + TW1_IM, 5, 2);
  twiddlesFill(plan + TW2_RE, plan + TW2_IM, 10, 4);
  twiddlesFill(plan + TW3_RE, plan + TW3_IM, 40, 4);
  return plan;
}

/** Bytes a plan occupies (for memory accounting). */
export function rfftPlanBytes(): u32 {
  return PLAN_BYTES;
}

// ---------------------------------------------------------------------------------------------
// Scalar stages (any l, r): one complex butterfly per (j, k).

// @ts-ignore: decorator
@inline function ld(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function st(p: usize, i: i32, v: f32): void { store<f32>(p + (<usize>i << 2), v); }

function radix2Scalar(l: i32, r: i32, twRe: usize, twIm: usize, aRe: usize, aIm: usize, bRe: usize, bIm: usize): void {
  const lr = l * r;
  for (let j = 0; j < l; j++) {
    const w1r = ld(twRe, j), w1i = ld(twIm, j);
    for (let k = 0; k < r; k++) {
      const i0 = j * r * 2 + k;
      const x0r = ld(aRe, i0), x0i = ld(aIm, i0);
      const yr = ld(aRe, i0 + r), yi = ld(aIm, i0 + r);
      const x1r = yr * w1r - yi * w1i, x1i = yr * w1i + yi * w1r;
      const o = j * r + k;
      st(bRe, o, x0r + x1r); st(bIm, o, x0i + x1i);
      st(bRe, o + lr, x0r - x1r); st(bIm, o + lr, x0i - x1i);
    }
  }
}

function radix4Scalar(l: i32, r: i32, twRe: usize, twIm: usize, aRe: usize, aIm: usize, bRe: usize, bIm: usize): void {
  const lr = l * r;
  for (let j = 0; j < l; j++) {
    const w1r = ld(twRe, j), w1i = ld(twIm, j);
    const w2r = ld(twRe, l + j), w2i = ld(twIm, l + j);
    const w3r = ld(twRe, 2 * l + j), w3i = ld(twIm, 2 * l + j);
    for (let k = 0; k < r; k++) {
      const i0 = j * r * 4 + k;
      const x0r = ld(aRe, i0), x0i = ld(aIm, i0);
      let yr = ld(aRe, i0 + r), yi = ld(aIm, i0 + r);
      const x1r = yr * w1r - yi * w1i, x1i = yr * w1i + yi * w1r;
      yr = ld(aRe, i0 + 2 * r); yi = ld(aIm, i0 + 2 * r);
      const x2r = yr * w2r - yi * w2i, x2i = yr * w2i + yi * w2r;
      yr = ld(aRe, i0 + 3 * r); yi = ld(aIm, i0 + 3 * r);
      const x3r = yr * w3r - yi * w3i, x3i = yr * w3i + yi * w3r;
      const t0r = x0r + x2r, t0i = x0i + x2i;
      const t1r = x0r - x2r, t1i = x0i - x2i;
      const t2r = x1r + x3r, t2i = x1i + x3i;
      const t3r = x1i - x3i, t3i = x3r - x1r; // −i·(x1 − x3)
      const o = j * r + k;
      st(bRe, o, t0r + t2r); st(bIm, o, t0i + t2i);
      st(bRe, o + lr, t1r + t3r); st(bIm, o + lr, t1i + t3i);
      st(bRe, o + 2 * lr, t0r - t2r); st(bIm, o + 2 * lr, t0i - t2i);
      st(bRe, o + 3 * lr, t1r - t3r); st(bIm, o + 3 * lr, t1i - t3i);
    }
  }
}

function radix5Scalar(l: i32, r: i32, twRe: usize, twIm: usize, aRe: usize, aIm: usize, bRe: usize, bIm: usize): void {
  const lr = l * r;
  for (let j = 0; j < l; j++) {
    const w1r = ld(twRe, j), w1i = ld(twIm, j);
    const w2r = ld(twRe, l + j), w2i = ld(twIm, l + j);
    const w3r = ld(twRe, 2 * l + j), w3i = ld(twIm, 2 * l + j);
    const w4r = ld(twRe, 3 * l + j), w4i = ld(twIm, 3 * l + j);
    for (let k = 0; k < r; k++) {
      const i0 = j * r * 5 + k;
      const x0r = ld(aRe, i0), x0i = ld(aIm, i0);
      let yr = ld(aRe, i0 + r), yi = ld(aIm, i0 + r);
      const x1r = yr * w1r - yi * w1i, x1i = yr * w1i + yi * w1r;
      yr = ld(aRe, i0 + 2 * r); yi = ld(aIm, i0 + 2 * r);
      const x2r = yr * w2r - yi * w2i, x2i = yr * w2i + yi * w2r;
      yr = ld(aRe, i0 + 3 * r); yi = ld(aIm, i0 + 3 * r);
      const x3r = yr * w3r - yi * w3i, x3i = yr * w3i + yi * w3r;
      yr = ld(aRe, i0 + 4 * r); yi = ld(aIm, i0 + 4 * r);
      const x4r = yr * w4r - yi * w4i, x4i = yr * w4i + yi * w4r;
      const b1r = x1r + x4r, b1i = x1i + x4i, b2r = x2r + x3r, b2i = x2i + x3i;
      const d1r = x1r - x4r, d1i = x1i - x4i, d2r = x2r - x3r, d2i = x2i - x3i;
      const t1r = x0r + C72 * b1r + C144 * b2r, t1i = x0i + C72 * b1i + C144 * b2i;
      const t2r = x0r + C144 * b1r + C72 * b2r, t2i = x0i + C144 * b1i + C72 * b2i;
      const u1r = S72 * d1r + S144 * d2r, u1i = S72 * d1i + S144 * d2i;
      const u2r = S144 * d1r - S72 * d2r, u2i = S144 * d1i - S72 * d2i;
      const o = j * r + k;
      st(bRe, o, x0r + b1r + b2r); st(bIm, o, x0i + b1i + b2i);
      st(bRe, o + lr, t1r + u1i); st(bIm, o + lr, t1i - u1r);         // t1 − i·u1
      st(bRe, o + 4 * lr, t1r - u1i); st(bIm, o + 4 * lr, t1i + u1r); // t1 + i·u1
      st(bRe, o + 2 * lr, t2r + u2i); st(bIm, o + 2 * lr, t2i - u2r); // t2 − i·u2
      st(bRe, o + 3 * lr, t2r - u2i); st(bIm, o + 3 * lr, t2i + u2r); // t2 + i·u2
    }
  }
}

// ---------------------------------------------------------------------------------------------
// SIMD stages: four consecutive k share one twiddle (r % 4 == 0), or, for the last stage (r = 1),
// four consecutive j with a 4×4 transpose of the inputs.

// @ts-ignore: decorator
@inline function vld(p: usize, i: i32): v128 { return v128.load(p + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function vst(p: usize, i: i32, v: v128): void { v128.store(p + (<usize>i << 2), v); }

function radix5Simd(l: i32, r: i32, twRe: usize, twIm: usize, aRe: usize, aIm: usize, bRe: usize, bIm: usize): void {
  const lr = l * r;
  const c72 = f32x4.splat(C72), c144 = f32x4.splat(C144), s72 = f32x4.splat(S72), s144 = f32x4.splat(S144);
  for (let j = 0; j < l; j++) {
    const w1r = f32x4.splat(ld(twRe, j)), w1i = f32x4.splat(ld(twIm, j));
    const w2r = f32x4.splat(ld(twRe, l + j)), w2i = f32x4.splat(ld(twIm, l + j));
    const w3r = f32x4.splat(ld(twRe, 2 * l + j)), w3i = f32x4.splat(ld(twIm, 2 * l + j));
    const w4r = f32x4.splat(ld(twRe, 3 * l + j)), w4i = f32x4.splat(ld(twIm, 3 * l + j));
    for (let k = 0; k < r; k += 4) {
      const i0 = j * r * 5 + k;
      const x0r = vld(aRe, i0), x0i = vld(aIm, i0);
      let yr = vld(aRe, i0 + r), yi = vld(aIm, i0 + r);
      const x1r = f32x4.sub(f32x4.mul(yr, w1r), f32x4.mul(yi, w1i)), x1i = f32x4.add(f32x4.mul(yr, w1i), f32x4.mul(yi, w1r));
      yr = vld(aRe, i0 + 2 * r); yi = vld(aIm, i0 + 2 * r);
      const x2r = f32x4.sub(f32x4.mul(yr, w2r), f32x4.mul(yi, w2i)), x2i = f32x4.add(f32x4.mul(yr, w2i), f32x4.mul(yi, w2r));
      yr = vld(aRe, i0 + 3 * r); yi = vld(aIm, i0 + 3 * r);
      const x3r = f32x4.sub(f32x4.mul(yr, w3r), f32x4.mul(yi, w3i)), x3i = f32x4.add(f32x4.mul(yr, w3i), f32x4.mul(yi, w3r));
      yr = vld(aRe, i0 + 4 * r); yi = vld(aIm, i0 + 4 * r);
      const x4r = f32x4.sub(f32x4.mul(yr, w4r), f32x4.mul(yi, w4i)), x4i = f32x4.add(f32x4.mul(yr, w4i), f32x4.mul(yi, w4r));
      const b1r = f32x4.add(x1r, x4r), b1i = f32x4.add(x1i, x4i), b2r = f32x4.add(x2r, x3r), b2i = f32x4.add(x2i, x3i);
      const d1r = f32x4.sub(x1r, x4r), d1i = f32x4.sub(x1i, x4i), d2r = f32x4.sub(x2r, x3r), d2i = f32x4.sub(x2i, x3i);
      const t1r = f32x4.add(x0r, f32x4.add(f32x4.mul(c72, b1r), f32x4.mul(c144, b2r)));
      const t1i = f32x4.add(x0i, f32x4.add(f32x4.mul(c72, b1i), f32x4.mul(c144, b2i)));
      const t2r = f32x4.add(x0r, f32x4.add(f32x4.mul(c144, b1r), f32x4.mul(c72, b2r)));
      const t2i = f32x4.add(x0i, f32x4.add(f32x4.mul(c144, b1i), f32x4.mul(c72, b2i)));
      const u1r = f32x4.add(f32x4.mul(s72, d1r), f32x4.mul(s144, d2r)), u1i = f32x4.add(f32x4.mul(s72, d1i), f32x4.mul(s144, d2i));
      const u2r = f32x4.sub(f32x4.mul(s144, d1r), f32x4.mul(s72, d2r)), u2i = f32x4.sub(f32x4.mul(s144, d1i), f32x4.mul(s72, d2i));
      const o = j * r + k;
      vst(bRe, o, f32x4.add(x0r, f32x4.add(b1r, b2r))); vst(bIm, o, f32x4.add(x0i, f32x4.add(b1i, b2i)));
      vst(bRe, o + lr, f32x4.add(t1r, u1i)); vst(bIm, o + lr, f32x4.sub(t1i, u1r));
      vst(bRe, o + 4 * lr, f32x4.sub(t1r, u1i)); vst(bIm, o + 4 * lr, f32x4.add(t1i, u1r));
      vst(bRe, o + 2 * lr, f32x4.add(t2r, u2i)); vst(bIm, o + 2 * lr, f32x4.sub(t2i, u2r));
      vst(bRe, o + 3 * lr, f32x4.sub(t2r, u2i)); vst(bIm, o + 3 * lr, f32x4.add(t2i, u2r));
    }
  }
}

function radix2Simd(l: i32, r: i32, twRe: usize, twIm: usize, aRe: usize, aIm: usize, bRe: usize, bIm: usize): void {
  const lr = l * r;
  for (let j = 0; j < l; j++) {
    const w1r = f32x4.splat(ld(twRe, j)), w1i = f32x4.splat(ld(twIm, j));
    for (let k = 0; k < r; k += 4) {
      const i0 = j * r * 2 + k;
      const x0r = vld(aRe, i0), x0i = vld(aIm, i0);
      const yr = vld(aRe, i0 + r), yi = vld(aIm, i0 + r);
      const x1r = f32x4.sub(f32x4.mul(yr, w1r), f32x4.mul(yi, w1i)), x1i = f32x4.add(f32x4.mul(yr, w1i), f32x4.mul(yi, w1r));
      const o = j * r + k;
      vst(bRe, o, f32x4.add(x0r, x1r)); vst(bIm, o, f32x4.add(x0i, x1i));
      vst(bRe, o + lr, f32x4.sub(x0r, x1r)); vst(bIm, o + lr, f32x4.sub(x0i, x1i));
    }
  }
}

/** Radix-4 butterfly on vectors x0..x3 (already twiddled), stored at o, o + s, o + 2s, o + 3s. */
// @ts-ignore: decorator
@inline function butterfly4Simd(
  x0r: v128, x0i: v128, x1r: v128, x1i: v128, x2r: v128, x2i: v128, x3r: v128, x3i: v128,
  bRe: usize, bIm: usize, o: i32, s: i32,
): void {
  const t0r = f32x4.add(x0r, x2r), t0i = f32x4.add(x0i, x2i);
  const t1r = f32x4.sub(x0r, x2r), t1i = f32x4.sub(x0i, x2i);
  const t2r = f32x4.add(x1r, x3r), t2i = f32x4.add(x1i, x3i);
  const t3r = f32x4.sub(x1i, x3i), t3i = f32x4.sub(x3r, x1r); // −i·(x1 − x3)
  vst(bRe, o, f32x4.add(t0r, t2r)); vst(bIm, o, f32x4.add(t0i, t2i));
  vst(bRe, o + s, f32x4.add(t1r, t3r)); vst(bIm, o + s, f32x4.add(t1i, t3i));
  vst(bRe, o + 2 * s, f32x4.sub(t0r, t2r)); vst(bIm, o + 2 * s, f32x4.sub(t0i, t2i));
  vst(bRe, o + 3 * s, f32x4.sub(t1r, t3r)); vst(bIm, o + 3 * s, f32x4.sub(t1i, t3i));
}

function radix4Simd(l: i32, r: i32, twRe: usize, twIm: usize, aRe: usize, aIm: usize, bRe: usize, bIm: usize): void {
  const lr = l * r;
  for (let j = 0; j < l; j++) {
    const w1r = f32x4.splat(ld(twRe, j)), w1i = f32x4.splat(ld(twIm, j));
    const w2r = f32x4.splat(ld(twRe, l + j)), w2i = f32x4.splat(ld(twIm, l + j));
    const w3r = f32x4.splat(ld(twRe, 2 * l + j)), w3i = f32x4.splat(ld(twIm, 2 * l + j));
    for (let k = 0; k < r; k += 4) {
      const i0 = j * r * 4 + k;
      let yr = vld(aRe, i0 + r), yi = vld(aIm, i0 + r);
      const x1r = f32x4.sub(f32x4.mul(yr, w1r), f32x4.mul(yi, w1i)), x1i = f32x4.add(f32x4.mul(yr, w1i), f32x4.mul(yi, w1r));
      yr = vld(aRe, i0 + 2 * r); yi = vld(aIm, i0 + 2 * r);
      const x2r = f32x4.sub(f32x4.mul(yr, w2r), f32x4.mul(yi, w2i)), x2i = f32x4.add(f32x4.mul(yr, w2i), f32x4.mul(yi, w2r));
      yr = vld(aRe, i0 + 3 * r); yi = vld(aIm, i0 + 3 * r);
      const x3r = f32x4.sub(f32x4.mul(yr, w3r), f32x4.mul(yi, w3i)), x3i = f32x4.add(f32x4.mul(yr, w3i), f32x4.mul(yi, w3r));
      butterfly4Simd(vld(aRe, i0), vld(aIm, i0), x1r, x1i, x2r, x2i, x3r, x3i, bRe, bIm, j * r + k, lr);
    }
  }
}

/**
 * Last radix-4 stage (r = 1, l = 40): inputs of j..j+3 are 16 consecutive floats a[4j + q];
 * a 4×4 transpose turns them into one vector per q over j, twiddles load as vectors over j.
 */
function radix4LastSimd(l: i32, twRe: usize, twIm: usize, aRe: usize, aIm: usize, bRe: usize, bIm: usize): void {
  for (let j = 0; j < l; j += 4) {
    let v0 = vld(aRe, 4 * j), v1 = vld(aRe, 4 * j + 4), v2 = vld(aRe, 4 * j + 8), v3 = vld(aRe, 4 * j + 12);
    let t0 = f32x4.shuffle(v0, v1, 0, 4, 1, 5), t1 = f32x4.shuffle(v0, v1, 2, 6, 3, 7);
    let t2 = f32x4.shuffle(v2, v3, 0, 4, 1, 5), t3 = f32x4.shuffle(v2, v3, 2, 6, 3, 7);
    const x0r = f32x4.shuffle(t0, t2, 0, 1, 4, 5), y1r = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
    const y2r = f32x4.shuffle(t1, t3, 0, 1, 4, 5), y3r = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
    v0 = vld(aIm, 4 * j); v1 = vld(aIm, 4 * j + 4); v2 = vld(aIm, 4 * j + 8); v3 = vld(aIm, 4 * j + 12);
    t0 = f32x4.shuffle(v0, v1, 0, 4, 1, 5); t1 = f32x4.shuffle(v0, v1, 2, 6, 3, 7);
    t2 = f32x4.shuffle(v2, v3, 0, 4, 1, 5); t3 = f32x4.shuffle(v2, v3, 2, 6, 3, 7);
    const x0i = f32x4.shuffle(t0, t2, 0, 1, 4, 5), y1i = f32x4.shuffle(t0, t2, 2, 3, 6, 7);
    const y2i = f32x4.shuffle(t1, t3, 0, 1, 4, 5), y3i = f32x4.shuffle(t1, t3, 2, 3, 6, 7);
    let wr = vld(twRe, j), wi = vld(twIm, j);
    const x1r = f32x4.sub(f32x4.mul(y1r, wr), f32x4.mul(y1i, wi)), x1i = f32x4.add(f32x4.mul(y1r, wi), f32x4.mul(y1i, wr));
    wr = vld(twRe, l + j); wi = vld(twIm, l + j);
    const x2r = f32x4.sub(f32x4.mul(y2r, wr), f32x4.mul(y2i, wi)), x2i = f32x4.add(f32x4.mul(y2r, wi), f32x4.mul(y2i, wr));
    wr = vld(twRe, 2 * l + j); wi = vld(twIm, 2 * l + j);
    const x3r = f32x4.sub(f32x4.mul(y3r, wr), f32x4.mul(y3i, wi)), x3i = f32x4.add(f32x4.mul(y3r, wi), f32x4.mul(y3i, wr));
    butterfly4Simd(x0r, x0i, x1r, x1i, x2r, x2i, x3r, x3i, bRe, bIm, j, l);
  }
}

/** Forward 160-point complex FFT of the plan's A buffers in place (B is work). */
function fft160Forward(plan: usize): void {
  const aRe = plan + A_RE, aIm = plan + A_IM, bRe = plan + B_RE, bIm = plan + B_IM;
  if (ASC_FEATURE_SIMD) {
    radix5Simd(1, 32, plan + TW0_RE, plan + TW0_IM, aRe, aIm, bRe, bIm);
    radix2Simd(5, 16, plan + TW1_RE, plan + TW1_IM, bRe, bIm, aRe, aIm);
    radix4Simd(10, 4, plan + TW2_RE, plan + TW2_IM, aRe, aIm, bRe, bIm);
    radix4LastSimd(40, plan + TW3_RE, plan + TW3_IM, bRe, bIm, aRe, aIm);
  } else {
    radix5Scalar(1, 32, plan + TW0_RE, plan + TW0_IM, aRe, aIm, bRe, bIm);
    radix2Scalar(5, 16, plan + TW1_RE, plan + TW1_IM, bRe, bIm, aRe, aIm);
    radix4Scalar(10, 4, plan + TW2_RE, plan + TW2_IM, aRe, aIm, bRe, bIm);
    radix4Scalar(40, 1, plan + TW3_RE, plan + TW3_IM, bRe, bIm, aRe, aIm);
  }
}

/**
 * Forward real FFT: x[0..320) (f32 at inPtr) → bins 0..160 at outRe/outIm (161 f32 each, split),
 * unscaled, e^{−2πikn/320}. Im of bins 0 and 160 is written as 0. Buffers must not overlap the plan.
 */
export function rfftForward(plan: usize, inPtr: usize, outRe: usize, outIm: usize): void {
  const zr = plan + A_RE, zi = plan + A_IM;
  // Pack z[m] = x[2m] + i·x[2m+1].
  if (ASC_FEATURE_SIMD) {
    for (let m = 0; m < M; m += 4) {
      const a = vld(inPtr, 2 * m), b = vld(inPtr, 2 * m + 4);
      vst(zr, m, f32x4.shuffle(a, b, 0, 2, 4, 6));
      vst(zi, m, f32x4.shuffle(a, b, 1, 3, 5, 7));
    }
  } else {
    for (let m = 0; m < M; m++) {
      st(zr, m, ld(inPtr, 2 * m));
      st(zi, m, ld(inPtr, 2 * m + 1));
    }
  }
  fft160Forward(plan);
  const z0r = ld(zr, 0), z0i = ld(zi, 0);
  st(outRe, 0, z0r + z0i); st(outIm, 0, 0);
  st(outRe, M, z0r - z0i); st(outIm, M, 0);
  // For k = 1..80: A = Z[k], B = conj(Z[M−k]), E = (A + B)/2, O = −i(A − B)/2, T = W^k·O;
  // X[k] = E + T and X[M−k] = conj(E − T).
  const wRe = plan + SPLIT_RE, wIm = plan + SPLIT_IM;
  if (ASC_FEATURE_SIMD) {
    const half = f32x4.splat(0.5);
    for (let k = 1; k <= 80; k += 4) {
      // Lanes k..k+3; the mirrored block Z[M−k−3 .. M−k] is loaded then lane-reversed.
      const ar = vld(zr, k), ai = vld(zi, k);
      let br = vld(zr, M - k - 3), bi = vld(zi, M - k - 3);
      br = f32x4.shuffle(br, br, 3, 2, 1, 0);
      bi = f32x4.neg(f32x4.shuffle(bi, bi, 3, 2, 1, 0));
      const er = f32x4.mul(half, f32x4.add(ar, br)), ei = f32x4.mul(half, f32x4.add(ai, bi));
      const or = f32x4.mul(half, f32x4.sub(ai, bi)), oi = f32x4.mul(half, f32x4.sub(br, ar));
      const wr = vld(wRe, k), wi = vld(wIm, k);
      const tr = f32x4.sub(f32x4.mul(wr, or), f32x4.mul(wi, oi));
      const ti = f32x4.add(f32x4.mul(wr, oi), f32x4.mul(wi, or));
      vst(outRe, k, f32x4.add(er, tr));
      vst(outIm, k, f32x4.add(ei, ti));
      const mr = f32x4.sub(er, tr), mi = f32x4.sub(ti, ei); // conj(E − T)
      vst(outRe, M - k - 3, f32x4.shuffle(mr, mr, 3, 2, 1, 0));
      vst(outIm, M - k - 3, f32x4.shuffle(mi, mi, 3, 2, 1, 0));
    }
  } else {
    for (let k = 1; k <= 80; k++) {
      const ar = ld(zr, k), ai = ld(zi, k);
      const br = ld(zr, M - k), bi = -ld(zi, M - k);
      const er = <f32>0.5 * (ar + br), ei = <f32>0.5 * (ai + bi);
      const or = <f32>0.5 * (ai - bi), oi = <f32>0.5 * (br - ar);
      const wr = ld(wRe, k), wi = ld(wIm, k);
      const tr = wr * or - wi * oi, ti = wr * oi + wi * or;
      st(outRe, k, er + tr); st(outIm, k, ei + ti);
      st(outRe, M - k, er - tr); st(outIm, M - k, ti - ei);
    }
  }
}

/**
 * Inverse real FFT, scaled by 1/320: bins 0..160 (split, 161 f32 each) → x[0..320) at outPtr.
 * Im of bins 0 and 160 is ignored (Hermitian, as torch.fft.irfft). Uses conj(FFT(conj Z))/M:
 * with D = (X[k] − conj X[M−k])/2, E = (X[k] + conj X[M−k])/2, O = conj(W^k)·D,
 * conj Z[k] = conj(E + iO) and conj Z[M−k] = E − iO are packed, transformed forward, and
 * x[2m] = Re/M, x[2m+1] = −Im/M.
 */
export function rfftInverse(plan: usize, inRe: usize, inIm: usize, outPtr: usize): void {
  const zr = plan + A_RE, zi = plan + A_IM;
  const wRe = plan + SPLIT_RE, wIm = plan + SPLIT_IM;
  const x0 = ld(inRe, 0), xm = ld(inRe, M);
  st(zr, 0, <f32>0.5 * (x0 + xm));
  st(zi, 0, <f32>-0.5 * (x0 - xm));
  if (ASC_FEATURE_SIMD) {
    const half = f32x4.splat(0.5);
    for (let k = 1; k <= 80; k += 4) {
      const ar = vld(inRe, k), ai = vld(inIm, k);
      let br = vld(inRe, M - k - 3), bi = vld(inIm, M - k - 3);
      br = f32x4.shuffle(br, br, 3, 2, 1, 0);
      bi = f32x4.neg(f32x4.shuffle(bi, bi, 3, 2, 1, 0)); // conj X[M−k]
      const er = f32x4.mul(half, f32x4.add(ar, br)), ei = f32x4.mul(half, f32x4.add(ai, bi));
      const dr = f32x4.mul(half, f32x4.sub(ar, br)), di = f32x4.mul(half, f32x4.sub(ai, bi));
      const wr = vld(wRe, k), wi = f32x4.neg(vld(wIm, k)); // conj W^k
      const or = f32x4.sub(f32x4.mul(wr, dr), f32x4.mul(wi, di));
      const oi = f32x4.add(f32x4.mul(wr, di), f32x4.mul(wi, dr));
      // iO = (−oi, or); conj(E + iO) = (er − oi, −(ei + or)); E − iO = (er + oi, ei − or).
      vst(zr, k, f32x4.sub(er, oi));
      vst(zi, k, f32x4.neg(f32x4.add(ei, or)));
      const mr = f32x4.add(er, oi), mi = f32x4.sub(ei, or);
      vst(zr, M - k - 3, f32x4.shuffle(mr, mr, 3, 2, 1, 0));
      vst(zi, M - k - 3, f32x4.shuffle(mi, mi, 3, 2, 1, 0));
    }
  } else {
    for (let k = 1; k <= 80; k++) {
      const ar = ld(inRe, k), ai = ld(inIm, k);
      const br = ld(inRe, M - k), bi = -ld(inIm, M - k);
      const er = <f32>0.5 * (ar + br), ei = <f32>0.5 * (ai + bi);
      const dr = <f32>0.5 * (ar - br), di = <f32>0.5 * (ai - bi);
      const wr = ld(wRe, k), wi = -ld(wIm, k);
      const or = wr * dr - wi * di, oi = wr * di + wi * dr;
      st(zr, k, er - oi); st(zi, k, -(ei + or));
      st(zr, M - k, er + oi); st(zi, M - k, ei - or);
    }
  }
  fft160Forward(plan);
  const scale: f32 = <f32>1.0 / <f32>M;
  if (ASC_FEATURE_SIMD) {
    const sv = f32x4.splat(scale), nv = f32x4.splat(-scale);
    for (let m = 0; m < M; m += 4) {
      const a = f32x4.mul(vld(zr, m), sv), b = f32x4.mul(vld(zi, m), nv);
      vst(outPtr, 2 * m, f32x4.shuffle(a, b, 0, 4, 1, 5));
      vst(outPtr, 2 * m + 4, f32x4.shuffle(a, b, 2, 6, 3, 7));
    }
  } else {
    for (let m = 0; m < M; m++) {
      st(outPtr, 2 * m, ld(zr, m) * scale);
      st(outPtr, 2 * m + 1, -ld(zi, m) * scale);
    }
  }
}

