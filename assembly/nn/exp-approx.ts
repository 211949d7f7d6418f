// e^x and e^x − 1 in f32 arithmetic, four lanes at a time (f32x4) with a scalar twin that performs
// the same operations in the same order, so the SIMD and scalar builds agree bit for bit.
//
// Why: the transcendental activations of GCRN (ELU after every conv block, the GLU gates' σ, the
// LSTM gates' σ/tanh: ≈ 42 000 per hop in the paper-size net) cost ≈ 250 µs per hop through libm's
// scalar f64 exp/expm1/tanh — a quarter of the compressed net's hop. These run ≈ 10× faster.
//
// Method (Cephes expf): n = round(x·log2 e); r = x − n·ln2 (ln2 split in a short C1, exact in
// n·C1, plus a correction C2); e^r on [−ln2/2, ln2/2] by a degree-7 polynomial 1 + r + r²·P(r)
// (Cephes' minimax coefficients); the result scaled by 2^n built in the exponent bits. For
// e^x − 1 the "1 +" is dropped: q = r + r²·P(r) = e^r − 1, and e^x − 1 = 2^n·q + (2^n − 1), which is
// exactly q when n = 0 (|x| < ln2/2), so small arguments keep full relative accuracy (no cancellation).
//
// Domain and error (asserted over every 4096th f32 of the range and at the edges in
// test/nn/expApprox.test.ts, against float64 Math.exp / Math.expm1; measured maxima in brackets):
//   expF32     x clamped to [−87, 88]: relative error ≤ 1.5e-7 [7.6e-8, about 1 ulp]; e^x for x < −87 is
//              e^−87 = 1.6e-38 (absolute error < 1.7e-38, the result stays a normal number), for
//              x > 88 it is e^88 = 1.65e38 (finite)
//   expm1F32   x clamped to [−87, 88]: relative error ≤ 2e-7 [1.07e-7] (−1 exactly below −17)
//   NaN in → NaN out (it passes the clamp and poisons r).

/** Clamp of the argument: keeps 2^n a normal float (n ∈ [−126, 127]). */
const X_LO: f32 = -87.0;
const X_HI: f32 = 88.0;
const LOG2E: f32 = 1.44269504088896341;
/** ln 2 = C1 − C2 with C1 = 0.693359375 (9 significant bits: n·C1 is exact for |n| ≤ 2^15). */
const C1: f32 = 0.693359375;
const C2: f32 = -2.12194440e-4;
// Cephes expf polynomial: e^r ≈ 1 + r + r²·(P5 + r·(P4 + r·(P3 + r·(P2 + r·(P1 + r·P0))))).
const P0: f32 = 1.9875691500e-4;
const P1: f32 = 1.3981999507e-3;
const P2: f32 = 8.3334519073e-3;
const P3: f32 = 4.1665795894e-2;
const P4: f32 = 1.6666665459e-1;
const P5: f32 = 5.0000001201e-1;

/**
 * Round-to-nearest-even by the "magic number" 1.5·2^23: t = v + MAGIC holds round(v) in its low
 * mantissa bits (|v| < 2^22), so round(v) = t − MAGIC as a float and bits(t) − bits(MAGIC) as an
 * integer — two adds instead of f32x4.nearest plus i32x4.trunc_sat_f32x4_s (measured 2× faster).
 */
const MAGIC: f32 = 12582912.0;

/** 2^k for integer lanes k ∈ [−126, 127], as f32 bits. */
// @ts-ignore: decorator
@inline function pow2x4(k: v128): v128 {
  return i32x4.shl(i32x4.add(k, i32x4.splat(127)), 23);
}

/** Clamp to [X_LO, X_HI]: pmin/pmax (a compare and a blend each; f32x4.min/max cost 3× more) keep NaN. */
// @ts-ignore: decorator
@inline function clampX4(x: v128): v128 {
  return f32x4.pmax(f32x4.pmin(x, f32x4.splat(X_HI)), f32x4.splat(X_LO));
}

/** q = e^r − 1 = r + r²·P(r) for r ∈ [−ln2/2, ln2/2]. */
// @ts-ignore: decorator
@inline function expm1PolyX4(r: v128): v128 {
  let p = f32x4.splat(P0);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P5));
  return f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r);
}

/** e^x per lane (see the file comment for domain and error). */
// @ts-ignore: decorator
@inline export function expF32x4(x: v128): v128 {
  x = clampX4(x);
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(MAGIC));
  const n = f32x4.sub(t, f32x4.splat(MAGIC)); // round(x·log2 e)
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(C1))), f32x4.mul(n, f32x4.splat(C2)));
  const e = f32x4.add(expm1PolyX4(r), f32x4.splat(1));
  return f32x4.mul(e, pow2x4(i32x4.sub(t, f32x4.splat(MAGIC))));
}

/** e^x − 1 per lane, accurate near 0 (see the file comment). */
// @ts-ignore: decorator
@inline export function expm1F32x4(x: v128): v128 {
  x = clampX4(x);
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(MAGIC));
  const n = f32x4.sub(t, f32x4.splat(MAGIC));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(C1))), f32x4.mul(n, f32x4.splat(C2)));
  const q = expm1PolyX4(r);
  const s = pow2x4(i32x4.sub(t, f32x4.splat(MAGIC)));
  return f32x4.add(f32x4.mul(s, q), f32x4.sub(s, f32x4.splat(1)));
}

/** Scalar twin of expm1PolyX4 (same operations, same order). */
// @ts-ignore: decorator
@inline function expm1Poly(r: f32): f32 {
  let p: f32 = P0;
  p = p * r + P1;
  p = p * r + P2;
  p = p * r + P3;
  p = p * r + P4;
  p = p * r + P5;
  return p * (r * r) + r;
}

/** Scalar twin of clampX4 (pmin/pmax semantics: NaN passes through). */
// @ts-ignore: decorator
@inline function clampX(x: f32): f32 {
  const v = X_HI < x ? X_HI : x;
  return v < X_LO ? X_LO : v;
}

/** 2^k from t = v + MAGIC (scalar twin of pow2x4 on i32x4.sub(t, MAGIC)). */
// @ts-ignore: decorator
@inline function pow2(t: f32): f32 {
  return reinterpret<f32>(((reinterpret<i32>(t) - reinterpret<i32>(MAGIC)) + 127) << 23);
}

/** Scalar twin of expF32x4. */
// @ts-ignore: decorator
@inline export function expF32(x: f32): f32 {
  x = clampX(x);
  const t = x * LOG2E + MAGIC;
  const n = t - MAGIC;
  const r = (x - n * C1) - n * C2;
  const e = expm1Poly(r) + 1;
  return e * pow2(t);
}

/** Scalar twin of expm1F32x4. */
// @ts-ignore: decorator
@inline export function expm1F32(x: f32): f32 {
  x = clampX(x);
  const t = x * LOG2E + MAGIC;
  const n = t - MAGIC;
  const r = (x - n * C1) - n * C2;
  const q = expm1Poly(r);
  const s = pow2(t);
  return s * q + (s - 1);
}
