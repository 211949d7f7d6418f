/**
 * BSS-eval SDR for one source (Vincent, Gribonval, Févotte, IEEE TASLP 2006; "BSS Eval v3" as in
 * mir_eval.separation.bss_eval_sources): the estimate is projected onto the span of the reference
 * delayed by 0..511 samples (a 512-tap time-invariant distortion filter is allowed), and
 * SDR = 10·log10(|P ŝ|² / |ŝ − P ŝ|²), signals zero-extended by 511 samples.
 *
 * Same computation as mir_eval's _project: auto- and cross-correlations by FFT, the 512 × 512
 * Toeplitz normal equations (solved by Levinson recursion, checked by its residual, with Gaussian
 * elimination — numpy.linalg.solve's method — as the fallback), the projection by FFT convolution. Double precision; values above ~200 dB are round-off
 * (a perfect estimate).
 */
import { UserError } from '../errors.js';
import { fftForward, fftInverse, fftPlanCreate } from '../dsp/fft.js';
import { lengthsCheck, signalCheck, type Samples } from './signalCheck.js';

/** Length of the distortion filter (taps). */
export const BSS_FILTER_TAPS = 512;

/** Names used in error messages. */
export interface BssNames {
  ref?: string;
  deg?: string;
}

/**
 * Solves the symmetric Toeplitz system T x = b, T[i][j] = r[|i − j|], by Levinson recursion
 * (O(n²)); null if a reflection step breaks down (T not positive definite).
 */
function levinsonSolve(r: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const x = new Float64Array(n);
  const f = new Float64Array(n); // forward vector of the current order
  const tmp = new Float64Array(n);
  if (!(r[0] > 0)) return null;
  f[0] = 1 / r[0];
  x[0] = b[0] / r[0];
  for (let k = 1; k < n; k++) {
    // Error of extending f (and its reverse, the backward vector) by one order.
    let ef = 0;
    for (let i = 0; i < k; i++) ef += r[k - i] * f[i];
    const denom = 1 - ef * ef;
    if (!(denom > 0)) return null;
    const a = 1 / denom;
    const c = -ef / denom;
    for (let i = 0; i <= k; i++) {
      const fi = i < k ? f[i] : 0;
      const bi = i > 0 ? f[k - i] : 0; // backward vector = reversed forward (symmetric T)
      tmp[i] = a * fi + c * bi;
    }
    for (let i = 0; i <= k; i++) f[i] = tmp[i];
    // Update the solution with the new backward vector (reverse of f).
    let ex = 0;
    for (let i = 0; i < k; i++) ex += r[k - i] * x[i];
    const g = b[k] - ex;
    for (let i = 0; i <= k; i++) x[i] += g * f[k - i];
  }
  return x;
}

/** Relative residual |T x − b| / |b| of the Toeplitz system (to validate the fast solve). */
function toeplitzResidual(r: Float64Array, x: Float64Array, b: Float64Array, n: number): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += r[Math.abs(i - j)] * x[j];
    num += (s - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

/** Solves A x = b in place (A row-major n × n, overwritten) by Gaussian elimination with partial pivoting. */
function luSolve(a: Float64Array, b: Float64Array, n: number): Float64Array | null {
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(a[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (best === 0) return null;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = a[k * n + j];
        a[k * n + j] = a[p * n + j];
        a[p * n + j] = t;
      }
      const t = b[k];
      b[k] = b[p];
      b[p] = t;
    }
    const pivot = a[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = a[i * n + k] / pivot;
      if (f === 0) continue;
      a[i * n + k] = f;
      const ri = i * n;
      const rk = k * n;
      for (let j = k + 1; j < n; j++) a[ri + j] -= f * a[rk + j];
      b[i] -= f * b[k];
    }
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= a[i * n + j] * x[j];
    x[i] = s / a[i * n + i];
  }
  return x;
}

/**
 * BSS-eval v3 SDR (dB) of `deg` as an estimate of `ref` (same length). Throws a UserError for
 * silent signals (mir_eval refuses them too) or fewer samples than the filter length.
 */
export function bssEvalSdr(ref: Samples, deg: Samples, names: BssNames = {}): number {
  const rName = names.ref ?? 'reference';
  const dName = names.deg ?? 'degraded';
  signalCheck(ref, rName);
  signalCheck(deg, dName);
  lengthsCheck(ref, deg, rName, dName);
  const flen = BSS_FILTER_TAPS;
  const n = ref.length;
  if (n < flen) throw new UserError(`${rName}: ${n} samples; BSS-eval SDR needs at least ${flen}`);
  let er = 0;
  let ed = 0;
  for (let i = 0; i < n; i++) {
    er += ref[i] * ref[i];
    ed += deg[i] * deg[i];
  }
  if (er === 0) throw new UserError(`${rName}: reference is digital silence; BSS-eval SDR is undefined`);
  if (ed === 0) throw new UserError(`${dName}: degraded signal is digital silence; BSS-eval SDR is undefined`);

  let nfft = 1;
  while (nfft < n + flen - 1) nfft *= 2;
  const plan = fftPlanCreate(nfft);
  // Spectra S of the reference and E of the estimate (zero-padded to nfft) from one complex FFT
  // of z = s + i·e: S[k] = (Z[k] + conj Z[−k]) / 2, E[k] = (Z[k] − conj Z[−k]) / 2i.
  const zRe = new Float64Array(nfft);
  const zIm = new Float64Array(nfft);
  for (let i = 0; i < n; i++) {
    zRe[i] = ref[i];
    zIm[i] = deg[i];
  }
  fftForward(plan, zRe, zIm);
  const sRe = new Float64Array(nfft);
  const sIm = new Float64Array(nfft);
  // Autocorrelation of s and cross-correlation ⟨s delayed by k, e⟩ are the real inverse FFTs of
  // A = |S|² and C = S·conj(E); both are real, so one complex IFFT of A + i·C gives them as re/im.
  const aRe = new Float64Array(nfft);
  const aIm = new Float64Array(nfft);
  for (let k = 0; k < nfft; k++) {
    const m = (nfft - k) & (nfft - 1);
    const sr = 0.5 * (zRe[k] + zRe[m]);
    const si = 0.5 * (zIm[k] - zIm[m]);
    const er = 0.5 * (zIm[k] + zIm[m]);
    const ei = -0.5 * (zRe[k] - zRe[m]);
    sRe[k] = sr;
    sIm[k] = si;
    const a = sr * sr + si * si;
    const cr = sr * er + si * ei;
    const ci = si * er - sr * ei;
    // A + i·C with A real: re = A − Im(C), im = Re(C).
    aRe[k] = a - ci;
    aIm[k] = cr;
  }
  fftInverse(plan, aRe, aIm);
  // After the inverse: aRe = autocorrelation r, aIm = cross-correlation c (both real sequences).
  const cRe = aIm;
  // D[k] = c[−k mod nfft]: ⟨s delayed by k, ŝ⟩.
  const d = new Float64Array(flen);
  for (let k = 0; k < flen; k++) d[k] = cRe[(nfft - k) % nfft];
  // Levinson recursion (O(n²)) when it solves the system to round-off; Gaussian elimination with
  // partial pivoting (numpy.linalg.solve's method, O(n³)) when the matrix is too ill-conditioned.
  const rr = new Float64Array(flen);
  for (let k = 0; k < flen; k++) rr[k] = aRe[k];
  let c = levinsonSolve(rr, d, flen);
  if (!c || !(toeplitzResidual(rr, c, d, flen) < 1e-10)) {
    // G[i][j] = r[|i − j|] (symmetric Toeplitz; mir_eval: toeplitz(r[0], r[-1:-flen:-1]), r[:flen])).
    const g = new Float64Array(flen * flen);
    for (let i = 0; i < flen; i++) {
      for (let j = 0; j < flen; j++) {
        const lag = i - j;
        g[i * flen + j] = lag >= 0 ? aRe[(nfft - lag) % nfft] : aRe[-lag];
      }
    }
    c = luSolve(g, d.slice(), flen);
  }
  if (!c) throw new UserError(`${rName}: singular reference autocorrelation; BSS-eval SDR is undefined`);

  // Projection P ŝ = Σ_k c[k] · s delayed by k (length n + flen − 1), by FFT convolution.
  const pRe = new Float64Array(nfft);
  const pIm = new Float64Array(nfft);
  for (let k = 0; k < flen; k++) pRe[k] = c[k];
  fftForward(plan, pRe, pIm);
  for (let k = 0; k < nfft; k++) {
    const re = pRe[k] * sRe[k] - pIm[k] * sIm[k];
    const im = pRe[k] * sIm[k] + pIm[k] * sRe[k];
    pRe[k] = re;
    pIm[k] = im;
  }
  fftInverse(plan, pRe, pIm);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n + flen - 1; i++) {
    const pr = pRe[i];
    const e = (i < n ? deg[i] : 0) - pr;
    num += pr * pr;
    den += e * e;
  }
  return 10 * Math.log10(num / den);
}
