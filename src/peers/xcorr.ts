/**
 * The lag of one signal against another by cross-correlation (FFT, float64): how the peers' fixed
 * delays are found (src/peers/delay.ts) and checked after compensation.
 *
 *   c[d] = Σ_n x[n] · y[n + d],   d ∈ [−maxLag, maxLag]
 *        = IFFT(conj(X) · Y)[d mod N],  N = the power of two ≥ len(x) + len(y) (no wrap-around)
 *
 * The peak of c is at d = D when y is x delayed by D samples (y[n] ≈ g·x[n − D], g > 0). The
 * largest positive value wins (a suppressor does not invert polarity); ties go to the smaller |d|.
 */
import { UserError } from '../errors.js';
import { rfftForward, rfftInverse, rfftPlanCreate } from '../dsp/fft.js';

/** Where the cross-correlation peaks, and how clearly. */
export interface XcorrPeak {
  /** Lag of the peak (samples; positive: y lags x). */
  lag: number;
  /** c[lag] / (‖x‖·‖y‖), in [−1, 1]. */
  peak: number;
  /** Largest normalised value at a lag farther than `guard` samples from the peak (its sharpness). */
  secondPeak: number;
}

/** Samples either side of the peak excluded when looking for the second peak. */
const SECOND_PEAK_GUARD = 32;

/**
 * The normalised cross-correlation c[d] / (‖x‖·‖y‖) for d = −maxLag … maxLag, at index d + maxLag
 * (see the file comment).
 */
export function xcorrCurve(x: ArrayLike<number>, y: ArrayLike<number>, maxLag: number): Float64Array {
  if (!Number.isInteger(maxLag) || maxLag < 0) throw new UserError(`xcorr: maxLag must be a non-negative integer, got ${maxLag}`);
  if (x.length === 0 || y.length === 0) throw new UserError('xcorr: empty signal');
  let n = 2;
  while (n < x.length + y.length || n < 2 * maxLag + 2) n *= 2;
  const plan = rfftPlanCreate(n);
  const bins = n / 2 + 1;
  const pad = (s: ArrayLike<number>) => {
    const b = new Float64Array(n);
    for (let i = 0; i < s.length; i++) b[i] = s[i];
    return b;
  };
  const xr = new Float64Array(bins), xi = new Float64Array(bins);
  const yr = new Float64Array(bins), yi = new Float64Array(bins);
  rfftForward(plan, pad(x), xr, xi);
  rfftForward(plan, pad(y), yr, yi);
  // conj(X)·Y
  for (let k = 0; k < bins; k++) {
    const r = xr[k] * yr[k] + xi[k] * yi[k];
    const i = xr[k] * yi[k] - xi[k] * yr[k];
    xr[k] = r;
    xi[k] = i;
  }
  const c = new Float64Array(n);
  rfftInverse(plan, xr, xi, c);
  let ex = 0, ey = 0;
  for (let i = 0; i < x.length; i++) ex += x[i] * x[i];
  for (let i = 0; i < y.length; i++) ey += y[i] * y[i];
  const norm = Math.sqrt(ex * ey) || 1;
  const out = new Float64Array(2 * maxLag + 1);
  for (let d = -maxLag; d <= maxLag; d++) out[d + maxLag] = c[(d + n) % n] / norm;
  return out;
}

/** The peak of a curve from xcorrCurve (or a sum of such curves) with `maxLag` lags each side. */
export function xcorrCurvePeak(curve: Float64Array, maxLag: number): XcorrPeak {
  if (curve.length !== 2 * maxLag + 1) throw new Error(`xcorr: curve of ${curve.length} values is not 2·${maxLag} + 1`);
  let lag = 0;
  let peak = -Infinity;
  for (let a = 0; a <= maxLag; a++) {
    for (const d of a === 0 ? [0] : [-a, a]) {
      const v = curve[d + maxLag];
      if (v > peak) {
        peak = v;
        lag = d;
      }
    }
  }
  let secondPeak = -Infinity;
  for (let d = -maxLag; d <= maxLag; d++) if (Math.abs(d - lag) > SECOND_PEAK_GUARD) secondPeak = Math.max(secondPeak, curve[d + maxLag]);
  return { lag, peak, secondPeak: Number.isFinite(secondPeak) ? secondPeak : 0 };
}

/** Cross-correlation peak of x and y over lags −maxLag … maxLag (see the file comment). */
export function xcorrPeak(x: ArrayLike<number>, y: ArrayLike<number>, maxLag: number): XcorrPeak {
  return xcorrCurvePeak(xcorrCurve(x, y, maxLag), maxLag);
}
