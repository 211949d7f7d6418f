// Element-wise activations on f32 vectors. y may equal x (in place); otherwise they must not
// overlap. The transcendental ones are exact: evaluated in f64 with AssemblyScript's Math (musl
// ports, < 1 ulp in f64) and rounded once to f32, so |error| ≤ 1 ulp of the f32 result plus the
// f32 rounding of the input (no fast approximations here).

/** σ(v) = 1 / (1 + e^−v) in f64, rounded to f32. Saturates cleanly: σ(−∞) = 0, σ(+∞) = 1. */
// @ts-ignore: decorator
@inline export function sigmoidF32(v: f32): f32 {
  return <f32>(1.0 / (1.0 + Math.exp(-<f64>v)));
}

/** tanh(v) in f64, rounded to f32. */
// @ts-ignore: decorator
@inline export function tanhF32(v: f32): f32 {
  return <f32>Math.tanh(<f64>v);
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

/** y[i] = σ(x[i]) for i < n. */
export function sigmoidApply(y: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, sigmoidF32(load<f32>(x + o)));
  }
}

/** y[i] = tanh(x[i]) for i < n. */
export function tanhApply(y: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, tanhF32(load<f32>(x + o)));
  }
}

/** ELU: y[i] = x[i] if x[i] > 0, else α·(e^x[i] − 1) (expm1 in f64), for i < n. PyTorch default α = 1. */
export function eluApply(y: usize, x: usize, n: i32, alpha: f32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(y + o, v > 0 ? v : <f32>(<f64>alpha * Math.expm1(<f64>v)));
  }
}

/**
 * PReLU over a [channels][len] frame: y[c][l] = x if x > 0 else slope[c]·x, where slope is
 * f32[slopeCount] and slopeCount is 1 (one shared slope, PyTorch's default) or channels.
 */
export function preluApply(y: usize, x: usize, slope: usize, channels: i32, len: i32, slopeCount: i32): void {
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
