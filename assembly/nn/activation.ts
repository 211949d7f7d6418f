// Element-wise activations on f32 vectors. y may equal x (in place); otherwise they must not
// overlap. The transcendental ones (σ, tanh, ELU) are built on exp-approx.ts's f32 e^x and e^x − 1,
// four lanes at a time in the SIMD build, with scalar twins doing the same operations in the same
// order (tails, scalar build): both builds give the same bits. Error against float64, asserted in
// test/nn/expApprox.test.ts over the whole f32 range (measured maxima in brackets):
//   σ      absolute ≤ 1.2e-7 [8.8e-8], relative ≤ 2e-7 [1.3e-7]; σ(x < −87) = σ(−87) = 1.6e-38, never subnormal
//   tanh   relative ≤ 2.5e-7 [1.6e-7], exactly odd; |x| clamped to 9, where tanh is ±1 in f32
//   ELU    relative ≤ 1.5e-7 [7.2e-8] on the negative side (e^x − 1 has no cancellation near 0); x > 0 exact
// (PyTorch's own CPU kernels use vectorised polynomial exp/tanh of the same class.)

import { expF32, expF32x4, expm1F32, expm1F32x4 } from "./exp-approx";

/** σ's argument floor: keeps 1 / (1 + e^−x) a normal float. */
const SIGMOID_LO: f32 = -87.0;
/** |x| beyond which tanh(x) rounds to ±1 in f32. */
const TANH_HI: f32 = 9.0;

/** σ(v) = 1 / (1 + e^−v). Saturates cleanly: σ(−∞) = 1.6e-38, σ(+∞) = 1; NaN stays NaN. */
// @ts-ignore: decorator
@inline export function sigmoidF32(v: f32): f32 {
  return 1 / (1 + expF32(-(v < SIGMOID_LO ? SIGMOID_LO : v))); // pmax semantics: NaN passes
}

/** tanh(v) = sign(v)·e / (e + 2) with e = e^{2|v|} − 1: odd by construction, relative accuracy kept near 0. */
// @ts-ignore: decorator
@inline export function tanhF32(v: f32): f32 {
  const a = abs<f32>(v);
  const e = expm1F32(2 * (TANH_HI < a ? TANH_HI : a)); // pmin semantics: NaN passes
  return copysign<f32>(e / (e + 2), v);
}

/** ELU with slope α: v if v > 0, else α·(e^v − 1). */
// @ts-ignore: decorator
@inline export function eluF32(v: f32, alpha: f32): f32 {
  return v > 0 ? v : alpha * expm1F32(v);
}

/** σ of four lanes: the same operations as sigmoidF32. */
// @ts-ignore: decorator
@inline export function sigmoidF32x4(v: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, expF32x4(f32x4.neg(f32x4.pmax(v, f32x4.splat(SIGMOID_LO))))));
}

/** tanh of four lanes: the same operations as tanhF32. */
// @ts-ignore: decorator
@inline export function tanhF32x4(v: v128): v128 {
  const e = expm1F32x4(f32x4.mul(f32x4.splat(2), f32x4.pmin(f32x4.abs(v), f32x4.splat(TANH_HI))));
  const t = f32x4.div(e, f32x4.add(e, f32x4.splat(2)));
  return v128.or(t, v128.and(v, f32x4.splat(-0.0))); // t ≥ 0: OR-ing in v's sign bit is copysign
}

/** ELU of four lanes: the same operations as eluF32. */
// @ts-ignore: decorator
@inline export function eluF32x4(v: v128, alpha: v128): v128 {
  return v128.bitselect(v, f32x4.mul(alpha, expm1F32x4(v)), f32x4.gt(v, f32x4.splat(0)));
}

/** y[i] = max(x[i], 0) for i < n (f32x4.max in the SIMD build; NaN handling as the lane op's). */
export function reluApply(y: usize, x: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(y + o, f32x4.max(v128.load(x + o), zero));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(y + o, v > 0 ? v : 0);
  }
}

// The element-wise maps below share one loop, elementwise(): f32x4 lanes in the SIMD build, then
// the scalar twin for the tail (and for everything in the scalar build). `op` is a literal at every
// call, so after inlining each export keeps only its own operation.
const OP_SIGMOID = 0;
const OP_TANH = 1;
const OP_ELU = 2;
const OP_EXP = 3;
const OP_EXPM1 = 4;

/** Operation `op` on four lanes (alpha: ELU's slope, splat). */
// @ts-ignore: decorator
@inline function opF32x4(op: i32, v: v128, alpha: v128): v128 {
  if (op == OP_SIGMOID) return sigmoidF32x4(v);
  if (op == OP_TANH) return tanhF32x4(v);
  if (op == OP_ELU) return eluF32x4(v, alpha);
  if (op == OP_EXP) return expF32x4(v);
  return expm1F32x4(v);
}

/** Operation `op` on one value: the scalar twin of opF32x4. */
// @ts-ignore: decorator
@inline function opF32(op: i32, v: f32, alpha: f32): f32 {
  if (op == OP_SIGMOID) return sigmoidF32(v);
  if (op == OP_TANH) return tanhF32(v);
  if (op == OP_ELU) return eluF32(v, alpha);
  if (op == OP_EXP) return expF32(v);
  return expm1F32(v);
}

/** y[i] = op(x[i]) for i < n. */
// @ts-ignore: decorator
@inline function elementwise(op: i32, y: usize, x: usize, n: i32, alpha: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const av = f32x4.splat(alpha);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(y + o, opF32x4(op, v128.load(x + o), av));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, opF32(op, load<f32>(x + o), alpha));
  }
}

/** y[i] = σ(x[i]) for i < n. */
export function sigmoidApply(y: usize, x: usize, n: i32): void {
  elementwise(OP_SIGMOID, y, x, n, 0);
}

/** y[i] = tanh(x[i]) for i < n. */
export function tanhApply(y: usize, x: usize, n: i32): void {
  elementwise(OP_TANH, y, x, n, 0);
}

/** ELU: y[i] = x[i] if x[i] > 0, else α·(e^x[i] − 1), for i < n. PyTorch default α = 1. */
export function eluApply(y: usize, x: usize, n: i32, alpha: f32): void {
  elementwise(OP_ELU, y, x, n, alpha);
}

/** y[i] = e^x[i] for i < n: the kernel exp-approx.ts's error bounds are measured on. */
export function expApply(y: usize, x: usize, n: i32): void {
  elementwise(OP_EXP, y, x, n, 0);
}

/** y[i] = e^x[i] − 1 for i < n. */
export function expm1Apply(y: usize, x: usize, n: i32): void {
  elementwise(OP_EXPM1, y, x, n, 0);
}

/**
 * PReLU over a [channels][len] frame: y[c][l] = x if x > 0 else slope[c]·x, where slope is
 * f32[slopeCount] and slopeCount is 1 (one shared slope, PyTorch's default) or channels.
 */
export function preluApply(y: usize, x: usize, slope: usize, channels: i32, len: i32, slopeCount: i32): void {
  if (len == 1 && slopeCount != 1) {
    // One bin per channel (TCNN's temporal blocks): SIMD across channels, each lane its own slope.
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const zero = f32x4.splat(0);
      for (; c + 4 <= channels; c += 4) {
        const o = <usize>c << 2;
        const v = v128.load(x + o);
        v128.store(y + o, v128.bitselect(v, f32x4.mul(v128.load(slope + o), v), f32x4.gt(v, zero)));
      }
    }
    for (; c < channels; c++) {
      const o = <usize>c << 2;
      const v = load<f32>(x + o);
      store<f32>(y + o, v > 0 ? v : load<f32>(slope + o) * v);
    }
    return;
  }
  if (slopeCount == 1) {
    // One shared slope: the frame is one flat vector.
    len *= channels;
    channels = 1;
  }
  for (let c = 0; c < channels; c++) {
    const a = load<f32>(slope + (slopeCount == 1 ? 0 : <usize>c << 2));
    const base = <usize>(c * len) << 2;
    let l = 0;
    if (ASC_FEATURE_SIMD) {
      const av = f32x4.splat(a);
      const zero = f32x4.splat(0);
      for (; l + 4 <= len; l += 4) {
        const o = base + (<usize>l << 2);
        const v = v128.load(x + o);
        v128.store(y + o, v128.bitselect(v, f32x4.mul(av, v), f32x4.gt(v, zero)));
      }
    }
    for (; l < len; l++) {
      const o = base + (<usize>l << 2);
      const v = load<f32>(x + o);
      store<f32>(y + o, v > 0 ? v : a * v);
    }
  }
}
