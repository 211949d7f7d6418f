/**
 * The analysis/synthesis window: periodic Hamming of WINDOW_SAMPLES = 320 points,
 * w[n] = 0.54 − 0.46·cos(2πn/N), n = 0..N−1 (N = 320, not N − 1).
 *
 * Why periodic: it is torch.hamming_window(320)'s default (periodic=True), so features computed
 * here equal torch.stft's, and at a 50 % hop its shifted copies sum to a constant
 * (w[n] + w[n + 160] = 1.08 exactly), which the symmetric window does not. The WOLA synthesis in
 * stft.ts divides by Σw², which for this window is 2·0.54² + 2·0.46²·cos²(2πn/320) ∈ [0.5832, 1.0064],
 * never small, so the inverse is well conditioned (w[0] = 0.08 > 0 too).
 */
import { WINDOW_SAMPLES } from './constants.js';

/** Hamming coefficients (torch.hamming_window's defaults). */
export const HAMMING_ALPHA = 0.54;
export const HAMMING_BETA = 0.46;

/** Returns a periodic Hamming window of `length` samples (default 320) in float64. */
export function hammingWindow(length: number = WINDOW_SAMPLES): Float64Array {
  const w = new Float64Array(length);
  for (let n = 0; n < length; n++) w[n] = HAMMING_ALPHA - HAMMING_BETA * Math.cos((2 * Math.PI * n) / length);
  return w;
}
