// Inner loops shared by the layer kernels in assembly/nn/ (the role rnnoise's vec*.h plays for
// nnet.c): dot products and axpy over f32 vectors, each with an f32x4 path chosen at compile time
// (ASC_FEATURE_SIMD) and a scalar path/tail. Not exported from the module; kernels inline them.
//
// Pointers are byte offsets into linear memory. Vectors need no alignment (v128.load tolerates
// unaligned addresses; aligned buffers from memAlloc() are only faster). Accumulation is in f32:
// a length-n dot product has a rounding error ≤ ~n·2⁻²⁴·Σ|aᵢbᵢ| (typically √n of that).

/** Sum of the four f32 lanes of `v`, as (l0 + l1) + (l2 + l3). */
// @ts-ignore: decorator
@inline export function laneSum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) +
         (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * Lane sums of four vectors at once: returns [Σa, Σb, Σc, Σd] (one transpose-and-add, 6 shuffles
 * and 3 adds instead of 12 extracts).
 */
// @ts-ignore: decorator
@inline export function laneSum4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 1, 5), v128.shuffle<f32>(a, b, 2, 6, 3, 7)); // a0+a2 b0+b2 a1+a3 b1+b3
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 1, 5), v128.shuffle<f32>(c, d, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}

/** Σ a[i]·b[i] for i < n (a, b: f32[n]). Two f32x4 accumulators, then a scalar tail. */
// @ts-ignore: decorator
@inline export function dotF32(a: usize, b: usize, n: i32): f32 {
  let i = 0;
  let s: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    let acc0 = f32x4.splat(0);
    let acc1 = f32x4.splat(0);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
      acc1 = f32x4.add(acc1, f32x4.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
    }
    if (i + 4 <= n) {
      const o = <usize>i << 2;
      acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
      i += 4;
    }
    s = laneSum(f32x4.add(acc0, acc1));
  } else {
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      s0 += load<f32>(a + o) * load<f32>(b + o);
      s1 += load<f32>(a + o, 4) * load<f32>(b + o, 4);
      s2 += load<f32>(a + o, 8) * load<f32>(b + o, 8);
      s3 += load<f32>(a + o, 12) * load<f32>(b + o, 12);
    }
    s = (s0 + s1) + (s2 + s3);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    s += load<f32>(a + o) * load<f32>(b + o);
  }
  return s;
}

/** y[i] += a·x[i] for i < n (y, x: f32[n]; may not overlap unless y == x). */
// @ts-ignore: decorator
@inline export function axpyF32(y: usize, a: f32, x: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const av = f32x4.splat(a);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(av, v128.load(x + o))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + a * load<f32>(x + o));
  }
}

/** y[i] = v for i < n. */
// @ts-ignore: decorator
@inline export function fillF32(y: usize, v: f32, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vv = f32x4.splat(v);
    for (; i + 4 <= n; i += 4) v128.store(y + (<usize>i << 2), vv);
  }
  for (; i < n; i++) store<f32>(y + (<usize>i << 2), v);
}

/**
 * Rows × patches product used by the convolutions (im2col form):
 *   y[co·yRowStride + p·yColStride] = bias[co] + Σ_k w[co·K + k] · patch[p·K + k]
 * for co < rows, p < patches; w: f32[rows][K] row-major, patch: f32[patches][K], bias: f32[rows]
 * or 0 for none. Strides are in floats. 4 rows share every patch load (f32x4 over k).
 */
export function gemmRowsPatches(
  y: usize, yRowStride: i32, yColStride: i32,
  w: usize, bias: usize, patch: usize,
  rows: i32, patches: i32, K: i32,
): void {
  const rowBytes = <usize>K << 2;
  let co = 0;
  if (ASC_FEATURE_SIMD) {
    for (; co + 4 <= rows; co += 4) {
      const w0 = w + <usize>co * rowBytes;
      const w1 = w0 + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
      let bv = f32x4.splat(0);
      if (bias != 0) bv = v128.load(bias + (<usize>co << 2));
      for (let p = 0; p < patches; p++) {
        const pp = patch + <usize>p * rowBytes;
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
        let k = 0;
        for (; k + 4 <= K; k += 4) {
          const o = <usize>k << 2;
          const xv = v128.load(pp + o);
          a0 = f32x4.add(a0, f32x4.mul(v128.load(w0 + o), xv));
          a1 = f32x4.add(a1, f32x4.mul(v128.load(w1 + o), xv));
          a2 = f32x4.add(a2, f32x4.mul(v128.load(w2 + o), xv));
          a3 = f32x4.add(a3, f32x4.mul(v128.load(w3 + o), xv));
        }
        let s = f32x4.add(laneSum4(a0, a1, a2, a3), bv);
        let t0: f32 = 0, t1: f32 = 0, t2: f32 = 0, t3: f32 = 0;
        for (; k < K; k++) {
          const o = <usize>k << 2;
          const xk = load<f32>(pp + o);
          t0 += load<f32>(w0 + o) * xk;
          t1 += load<f32>(w1 + o) * xk;
          t2 += load<f32>(w2 + o) * xk;
          t3 += load<f32>(w3 + o) * xk;
        }
        const yp = y + ((<usize>co * yRowStride + <usize>p * yColStride) << 2);
        const rs = <usize>yRowStride << 2;
        store<f32>(yp, f32x4.extract_lane(s, 0) + t0);
        store<f32>(yp + rs, f32x4.extract_lane(s, 1) + t1);
        store<f32>(yp + 2 * rs, f32x4.extract_lane(s, 2) + t2);
        store<f32>(yp + 3 * rs, f32x4.extract_lane(s, 3) + t3);
      }
    }
  }
  for (; co < rows; co++) {
    const wr = w + <usize>co * rowBytes;
    const b0: f32 = bias != 0 ? load<f32>(bias + (<usize>co << 2)) : 0;
    for (let p = 0; p < patches; p++) {
      store<f32>(y + ((<usize>co * yRowStride + <usize>p * yColStride) << 2),
        b0 + dotF32(wr, patch + <usize>p * rowBytes, K));
    }
  }
}
