// Dense matrix–vector products: Linear layers, LSTM gate pre-activations, 1×1 convolutions.
//
//   W: f32[rows][cols], row-major (PyTorch `Linear.weight` [out × in] as stored), row stride = cols
//   x: f32[cols], b: f32[rows] or 0 (no bias), y: f32[rows]; y must not overlap W, x or b.
//
// SIMD build: blocks of 4 rows share each f32x4 load of x (4 accumulators, one per row), lane sums
// via one transpose; cols % 4 and rows % 4 leftovers take a scalar tail. Scalar build: 4 rows at
// a time with scalar accumulators. f32 accumulation: |error| ≤ ~cols·2⁻²⁴·Σ|Wᵢⱼxⱼ| per row.

import { dotF32, laneSum4 } from "./lanes";

// @ts-ignore: decorator
@inline function matvecDenseRows(y: usize, w: usize, b: usize, x: usize, rows: i32, cols: i32, accumulate: bool): void {
  const rowBytes = <usize>cols << 2;
  let r = 0;
  if (ASC_FEATURE_SIMD) {
    for (; r + 4 <= rows; r += 4) {
      const w0 = w + <usize>r * rowBytes;
      const w1 = w0 + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let c = 0;
      for (; c + 4 <= cols; c += 4) {
        const o = <usize>c << 2;
        const xv = v128.load(x + o);
        a0 = f32x4.add(a0, f32x4.mul(v128.load(w0 + o), xv));
        a1 = f32x4.add(a1, f32x4.mul(v128.load(w1 + o), xv));
        a2 = f32x4.add(a2, f32x4.mul(v128.load(w2 + o), xv));
        a3 = f32x4.add(a3, f32x4.mul(v128.load(w3 + o), xv));
      }
      let s = laneSum4(a0, a1, a2, a3);
      if (c < cols) {
        let t0: f32 = 0, t1: f32 = 0, t2: f32 = 0, t3: f32 = 0;
        for (; c < cols; c++) {
          const o = <usize>c << 2;
          const xc = load<f32>(x + o);
          t0 += load<f32>(w0 + o) * xc;
          t1 += load<f32>(w1 + o) * xc;
          t2 += load<f32>(w2 + o) * xc;
          t3 += load<f32>(w3 + o) * xc;
        }
        s = f32x4.add(s, f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(t0), 1, t1), 2, t2), 3, t3));
      }
      const yo = y + (<usize>r << 2);
      if (b != 0) s = f32x4.add(s, v128.load(b + (<usize>r << 2)));
      if (accumulate) s = f32x4.add(s, v128.load(yo));
      v128.store(yo, s);
    }
  } else {
    for (; r + 4 <= rows; r += 4) {
      const w0 = w + <usize>r * rowBytes;
      const w1 = w0 + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
      let t0: f32 = 0, t1: f32 = 0, t2: f32 = 0, t3: f32 = 0;
      for (let c = 0; c < cols; c++) {
        const o = <usize>c << 2;
        const xc = load<f32>(x + o);
        t0 += load<f32>(w0 + o) * xc;
        t1 += load<f32>(w1 + o) * xc;
        t2 += load<f32>(w2 + o) * xc;
        t3 += load<f32>(w3 + o) * xc;
      }
      const yo = y + (<usize>r << 2);
      if (b != 0) {
        const bo = b + (<usize>r << 2);
        t0 += load<f32>(bo); t1 += load<f32>(bo, 4); t2 += load<f32>(bo, 8); t3 += load<f32>(bo, 12);
      }
      if (accumulate) {
        t0 += load<f32>(yo); t1 += load<f32>(yo, 4); t2 += load<f32>(yo, 8); t3 += load<f32>(yo, 12);
      }
      store<f32>(yo, t0); store<f32>(yo, t1, 4); store<f32>(yo, t2, 8); store<f32>(yo, t3, 12);
    }
  }
  for (; r < rows; r++) {
    let s = dotF32(w + <usize>r * rowBytes, x, cols);
    const yo = y + (<usize>r << 2);
    if (b != 0) s += load<f32>(b + (<usize>r << 2));
    if (accumulate) s += load<f32>(yo);
    store<f32>(yo, s);
  }
}

/**
 * y = W·x + b. W: f32[rows][cols] row-major; x: f32[cols]; b: f32[rows] or 0 for no bias;
 * y: f32[rows] (not overlapping the inputs). FLOPs: 2·rows·cols.
 */
export function matvecDense(y: usize, w: usize, b: usize, x: usize, rows: i32, cols: i32): void {
  matvecDenseRows(y, w, b, x, rows, cols, false);
}

/**
 * y += W·x + b (accumulating form, e.g. LSTM gates: W_ih·x + b_ih, then += W_hh·h + b_hh).
 * Same layout as matvecDense; b may be 0.
 */
export function matvecDenseAcc(y: usize, w: usize, b: usize, x: usize, rows: i32, cols: i32): void {
  matvecDenseRows(y, w, b, x, rows, cols, true);
}
