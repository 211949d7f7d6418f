// Causal transposed 2-D convolution, for one new time frame: the decoders of GCRN (kernel (1,3),
// stride (1,2), output_padding 1 at one block) and TCNN (kernel (2,5)). PyTorch ConvTranspose2d
// semantics with time stride 1 and time padding 0, keeping the first T of the T + kT − 1 output
// frames (the causal trim); along frequency stride s = strideF, padding pad, output_padding outPad:
//
//   y[co][fo] = b[co] + Σ_ci Σ_t<kT Σ_k<kF  w[ci][co][t][k] · x_{n−t}[ci][fi],
//               summed over the (k, fi) with fi·s + k = fo + pad and 0 ≤ fi < F,
//   Fout = (F − 1)·s − 2·pad + kF + outPad          (convTranspose2dOutBins)
//
// so tap t = 0 sees the current frame and tap t the frame t hops ago.
//
// Method: polyphase gather. An output bin fo only meets the taps k ≡ (fo + pad) (mod s); so the
// weight is repacked once (convTranspose2dPack) into s phase blocks, block q holding the taps
// k = q, q+s, q+2s, … as a row-major matrix [Cout][Cin·kT·n_q] (n_q = taps in phase q). Per frame,
// each phase gathers its input patches into caller scratch and runs one rows × patches product —
// no multiplications by the zeros a zero-upsampling implementation would insert.

import { gemmRowsPatches } from "./lanes";
import { ringFrame, ringPush } from "./ring";

/** Taps of phase q (k ≡ q mod s, 0 ≤ k < kF). */
// @ts-ignore: decorator
@inline function phaseTaps(q: i32, kF: i32, s: i32): i32 {
  return q < kF ? (kF - q + s - 1) / s : 0;
}

/** First output bin fo ≥ 0 with (fo + pad) mod s = q. */
// @ts-ignore: decorator
@inline function phaseFirstBin(q: i32, pad: i32, s: i32): i32 {
  return (((q - pad) % s) + s) % s;
}

/** Output bins: (F − 1)·strideF − 2·pad + kF + outPad (0 if < 1). */
export function convTranspose2dOutBins(bins: i32, kF: i32, strideF: i32, pad: i32, outPad: i32): i32 {
  const n = (bins - 1) * strideF - 2 * pad + kF + outPad;
  return n < 0 ? 0 : n;
}

/** Floats of patch scratch convTranspose2dStep needs: max over phases q of bins_q · Cin·kT·n_q. */
export function convTranspose2dPatchFloats(cin: i32, bins: i32, kT: i32, kF: i32, strideF: i32, pad: i32, outPad: i32): i32 {
  const fout = convTranspose2dOutBins(bins, kF, strideF, pad, outPad);
  let most = 0;
  for (let q = 0; q < strideF; q++) {
    const fo0 = phaseFirstBin(q, pad, strideF);
    const nfo = fo0 < fout ? (fout - fo0 + strideF - 1) / strideF : 0;
    most = max(most, nfo * cin * kT * phaseTaps(q, kF, strideF));
  }
  return most;
}

/**
 * Repacks a PyTorch ConvTranspose2d weight w: f32[Cin][Cout][kT][kF] into dst (same float count,
 * Cin·Cout·kT·kF; must not overlap w): for q = 0 … strideF−1 in turn, block q = f32[Cout][Cin][kT][n_q]
 * with entry (co, ci, t, j) = w[ci][co][t][q + j·strideF]. Run once at load time.
 */
export function convTranspose2dPack(dst: usize, w: usize, cin: i32, cout: i32, kT: i32, kF: i32, strideF: i32): void {
  let o = dst;
  for (let q = 0; q < strideF; q++) {
    const nq = phaseTaps(q, kF, strideF);
    for (let co = 0; co < cout; co++) {
      for (let ci = 0; ci < cin; ci++) {
        for (let t = 0; t < kT; t++) {
          const src = w + (<usize>(((ci * cout + co) * kT + t) * kF) << 2);
          for (let j = 0; j < nq; j++) {
            store<f32>(o, load<f32>(src + (<usize>(q + j * strideF) << 2)));
            o += 4;
          }
        }
      }
    }
  }
}

/**
 * One frame of a causal transposed conv2d; returns the next ring position (see ring.ts).
 *   y:      f32[Cout][Fout] output (not overlapping the inputs)
 *   x:      f32[Cin][F] current input frame
 *   ring:   f32[kT−1][Cin][F] previous kT−1 input frames (state; 0 allowed when kT = 1)
 *   pos:    ring position (state)
 *   packed: the weight after convTranspose2dPack(); b: f32[Cout] or 0
 *   patch:  f32 scratch of convTranspose2dPatchFloats(...) floats
 *   strideF ≥ 1; 0 ≤ pad; 0 ≤ outPad < strideF (as PyTorch requires).
 * MACs: Cin · Cout · kT · (taps landing inside the output) ≈ Cin·Cout·kT·kF·F.
 */
export function convTranspose2dStep(
  y: usize, x: usize, ring: usize, pos: i32, packed: usize, b: usize, patch: usize,
  cin: i32, cout: i32, bins: i32, kT: i32, kF: i32, strideF: i32, pad: i32, outPad: i32,
): i32 {
  const fout = convTranspose2dOutBins(bins, kF, strideF, pad, outPad);
  const L = kT - 1;
  const frameBytes = (<usize>cin * <usize>bins) << 2;
  let wq = packed;
  for (let q = 0; q < strideF; q++) {
    const nq = phaseTaps(q, kF, strideF);
    const K = cin * kT * nq;
    const fo0 = phaseFirstBin(q, pad, strideF);
    const nfo = fo0 < fout ? (fout - fo0 + strideF - 1) / strideF : 0;
    // patch[i][ci][t][j] = x_{n−t}[ci][fi], fi = (fo + pad − q)/s − j for fo = fo0 + i·s.
    for (let t = 0; t < kT; t++) {
      const src = t == 0 ? x : ringFrame(ring, pos, L, t, frameBytes);
      for (let ci = 0; ci < cin; ci++) {
        const srow = src + ((<usize>ci * <usize>bins) << 2);
        for (let i = 0; i < nfo; i++) {
          const base = (fo0 + i * strideF + pad - q) / strideF;
          const dst = patch + ((<usize>(i * K + (ci * kT + t) * nq)) << 2);
          for (let j = 0; j < nq; j++) {
            const fi = base - j;
            store<f32>(dst + (<usize>j << 2), fi >= 0 && fi < bins ? load<f32>(srow + (<usize>fi << 2)) : 0);
          }
        }
      }
    }
    if (nfo > 0) gemmRowsPatches(y + (<usize>fo0 << 2), fout, strideF, wq, b, patch, cout, nfo, K);
    wq += (<usize>(cout * K)) << 2;
  }
  return ringPush(ring, pos, L, x, frameBytes);
}
