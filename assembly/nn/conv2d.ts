// Causal 2-D convolution over (time, frequency) for one new time frame — GCRN's encoder (kernel
// (1,3), stride (1,2)) and TCNN's encoder (kernel (2,5), stride 1 or 2 along the sample axis).
// PyTorch Conv2d semantics on an input [Cin][T][F] with the time axis padded by kT−1 frames in
// front (causal) and the frequency axis padded by padL / padR zeros:
//
//   y[co][fo] = b[co] + Σ_ci Σ_t<kT Σ_k<kF  w[co][ci][t][k] · x_{n−(kT−1−t)}[ci][fo·strideF + k − padL]
//
// so kernel tap t = kT−1 sees the current frame and tap 0 the frame kT−1 hops ago. Output bins
// Fout = ⌊(F + padL + padR − kF) / strideF⌋ + 1 (conv2dOutBins). The time stride is 1.
//
// Method: im2col — gather the Fout input patches, each f32[Cin·kT·kF] in the weight's own
// (ci, t, k) order, into caller scratch, then one rows × patches product (4 output channels share
// every patch load). The weight needs no repacking: PyTorch's [Cout][Cin][kT][kF] is already the
// row-major [Cout][Cin·kT·kF] matrix.

import { gemmRowsPatches } from "./lanes";
import { ringFrame, ringPush } from "./ring";

/** Output bins of a convolution along frequency: ⌊(F + padL + padR − kF)/strideF⌋ + 1 (0 if < 1). */
export function conv2dOutBins(bins: i32, kF: i32, strideF: i32, padL: i32, padR: i32): i32 {
  const span = bins + padL + padR - kF;
  return span < 0 ? 0 : span / strideF + 1;
}

/** Floats of patch scratch conv2dStep needs: Fout · Cin · kT · kF. */
export function conv2dPatchFloats(cin: i32, bins: i32, kT: i32, kF: i32, strideF: i32, padL: i32, padR: i32): i32 {
  return conv2dOutBins(bins, kF, strideF, padL, padR) * cin * kT * kF;
}

/**
 * One frame of a causal conv2d; returns the next ring position (see ring.ts).
 *   y:     f32[Cout][Fout] output (not overlapping x, ring, patch)
 *   x:     f32[Cin][F] current input frame
 *   ring:  f32[kT−1][Cin][F] the previous kT−1 input frames (state; 0 allowed when kT = 1)
 *   pos:   ring position (state), 0 ≤ pos < max(kT−1, 1)
 *   w:     f32[Cout][Cin][kT][kF] (PyTorch layout); b: f32[Cout] or 0
 *   patch: f32 scratch of conv2dPatchFloats(...) floats
 *   strideF ≥ 1; padL, padR ≥ 0 zero bins on the low / high frequency side.
 * MACs: Cout · Fout · Cin · kT · kF.
 */
export function conv2dStep(
  y: usize, x: usize, ring: usize, pos: i32, w: usize, b: usize, patch: usize,
  cin: i32, cout: i32, bins: i32, kT: i32, kF: i32, strideF: i32, padL: i32, padR: i32,
): i32 {
  const fout = conv2dOutBins(bins, kF, strideF, padL, padR);
  conv2dPatchGather(patch, x, ring, pos, cin, bins, kT, kF, strideF, padL, fout);
  gemmRowsPatches(y, fout, 1, w, b, patch, cout, fout, cin * kT * kF);
  return ringPush(ring, pos, kT - 1, x, (<usize>cin * <usize>bins) << 2);
}

/**
 * im2col of one frame: patch[fo][ci][t][k] = x_{n−(kT−1−t)}[ci][fo·strideF + k − padL] (0 outside
 * [0, F)), for fo < fout — the Fout patches of f32[Cin·kT·kF], in the weight's own column order
 * (conv2dStep; the block-sparse conv, conv-block.ts, multiplies the same patches). Reads x and the
 * ring (conv2dStep's arguments), does not push.
 */
export function conv2dPatchGather(
  patch: usize, x: usize, ring: usize, pos: i32, cin: i32, bins: i32, kT: i32, kF: i32, strideF: i32, padL: i32, fout: i32,
): void {
  const L = kT - 1;
  const frameBytes = (<usize>cin * <usize>bins) << 2;
  const K = cin * kT * kF;
  for (let t = 0; t < kT; t++) {
    const m = kT - 1 - t; // lag of tap t
    const src = m == 0 ? x : ringFrame(ring, pos, L, m, frameBytes);
    for (let ci = 0; ci < cin; ci++) {
      const srow = src + ((<usize>ci * <usize>bins) << 2);
      for (let fo = 0; fo < fout; fo++) {
        const dst = patch + ((<usize>(fo * K + (ci * kT + t) * kF)) << 2);
        const f0 = fo * strideF - padL;
        if (f0 >= 0 && f0 + kF <= bins) {
          const src = srow + (<usize>f0 << 2); // interior: no bounds to check
          for (let k = 0; k < kF; k++) store<f32>(dst + (<usize>k << 2), load<f32>(src + (<usize>k << 2)));
          continue;
        }
        for (let k = 0; k < kF; k++) {
          const fi = f0 + k;
          store<f32>(dst + (<usize>k << 2), fi >= 0 && fi < bins ? load<f32>(srow + (<usize>fi << 2)) : 0);
        }
      }
    }
  }
}
