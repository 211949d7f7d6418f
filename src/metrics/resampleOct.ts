/**
 * The resampler of pystoi (utils.resample_oct): Octave's `resample` filter design (Kaiser-windowed
 * sinc, 60 dB rejection, roll-off a tenth of the cut-off, normalised to unit sum) applied with
 * scipy.signal.resample_poly's polyphase upfirdn and its output alignment. STOI resamples to
 * 10 kHz with exactly this filter; a different resampler moves STOI by ~1e-3, so the metric keeps
 * its own copy rather than using the project resampler (src/dsp/resample.ts).
 */
import { resample2Wasm, resampleWasmKernel } from './resampleWasm.js';

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (power series; converges for all x). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** np.sinc: sin(πx)/(πx), 1 at 0. */
function sinc(x: number): number {
  if (x === 0) return 1;
  const y = Math.PI * x;
  return Math.sin(y) / y;
}

/**
 * Anti-aliasing filter of resample_oct for the reduced ratio up/down (pystoi
 * _resample_window_oct): length 2L + 1, L = ⌈(60 − 8) / (28.714 · roll-off)⌉, normalised to sum 1.
 */
export function resampleOctFilter(up: number, down: number): Float64Array {
  const g = gcd(up, down);
  const p = up / g;
  const q = down / g;
  const log10Rejection = -3.0;
  const stopbandCutoff = 1.0 / (2 * Math.max(p, q));
  const rollOff = stopbandCutoff / 10;
  const rejectionDb = -20 * log10Rejection;
  const L = Math.ceil((rejectionDb - 8) / (28.714 * rollOff));
  let beta = 0;
  if (rejectionDb >= 21 && rejectionDb <= 50) beta = 0.5842 * (rejectionDb - 21) ** 0.4 + 0.07886 * (rejectionDb - 21);
  else if (rejectionDb > 50) beta = 0.1102 * (rejectionDb - 8.7);
  const m = 2 * L + 1;
  const h = new Float64Array(m);
  const alpha = (m - 1) / 2;
  const i0Beta = besselI0(beta);
  let sum = 0;
  for (let n = 0; n < m; n++) {
    const t = n - L;
    const ideal = 2 * p * stopbandCutoff * sinc(2 * stopbandCutoff * t);
    const r = (n - alpha) / alpha;
    const kaiser = besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
    h[n] = kaiser * ideal;
    sum += h[n];
  }
  for (let n = 0; n < m; n++) h[n] /= sum;
  return h;
}

/**
 * Resamples x from `fromHz` to `toHz` as pystoi's resample_oct(x, toHz, fromHz): output length
 * ⌈len · up / down⌉ for the reduced ratio up/down, samples aligned as scipy's resample_poly.
 */
export function resampleOct(x: ArrayLike<number>, fromHz: number, toHz: number): Float64Array {
  return resampleOctMany([x], fromHz, toHz)[0];
}

/**
 * resampleOct of several equally long signals in one pass (they share the filter and the index
 * arithmetic; STOI resamples its two signals together).
 */
export function resampleOctMany(xs: readonly ArrayLike<number>[], fromHz: number, toHz: number): Float64Array[] {
  if (fromHz === toHz) return xs.map((x) => Float64Array.from(x));
  const g = gcd(toHz, fromHz);
  const up = toHz / g;
  const down = fromHz / g;
  const win = resampleOctFilter(up, down);
  const halfLen = (win.length - 1) >> 1;
  const nIn = xs[0].length;
  for (const x of xs) if (x.length !== nIn) throw new RangeError('resampleOctMany: signals differ in length');
  const nOut = Math.ceil((nIn * up) / down);
  // resample_poly: h = window · up, padded with zeros so output sample 0 sits at the filter centre.
  const nPrePad = down - (halfLen % down);
  const nPreRemove = Math.floor((halfLen + nPrePad) / down);
  const hLen = win.length + nPrePad;
  // Polyphase banks: bank[phase][m] = h[phase + m·up], so output sample t uses
  // Σ_m x[⌊t/up⌋ − m] · bank[t mod up][m] (upfirdn: y[t] = Σ_n x[n] · h[t − n·up]).
  const taps = Math.ceil(hLen / up);
  const bank = new Float64Array(up * taps);
  for (let j = 0; j < win.length; j++) {
    const hj = nPrePad + j;
    bank[(hj % up) * taps + Math.floor(hj / up)] = win[j] * up;
  }
  const k = xs.length === 2 ? resampleWasmKernel() : null;
  if (k) return resample2Wasm(k, xs[0], xs[1], bank, taps, up, down, nPreRemove, nOut);
  const xsF = xs.map((x) => (x instanceof Float64Array ? x : Float64Array.from(x)));
  const outs = xs.map(() => new Float64Array(nOut));
  const a = xsF[0];
  const b = xsF.length > 1 ? xsF[1] : null;
  for (let i = 0; i < nOut; i++) {
    const t = (i + nPreRemove) * down;
    const nHi = Math.floor(t / up);
    const phase = t - nHi * up;
    const base = phase * taps;
    // Taps m with 0 ≤ nHi − m < nIn (the zero-padded ends contribute nothing).
    const mLo = Math.max(0, nHi - (nIn - 1));
    const mHi = Math.min(taps - 1, nHi);
    if (b && xsF.length === 2) {
      // Four accumulators per signal: shorter add chains (the order of summation differs from
      // scipy's by ~1e-16 relative, far below STOI's 1e-6 tolerance).
      let s0 = 0;
      let s1 = 0;
      let t0 = 0;
      let t1 = 0;
      let u0 = 0;
      let u1 = 0;
      let v0 = 0;
      let v1 = 0;
      let m = mLo;
      for (; m + 3 <= mHi; m += 4) {
        const k = nHi - m;
        const c0 = bank[base + m];
        const c1 = bank[base + m + 1];
        const c2 = bank[base + m + 2];
        const c3 = bank[base + m + 3];
        s0 += a[k] * c0;
        s1 += b[k] * c0;
        t0 += a[k - 1] * c1;
        t1 += b[k - 1] * c1;
        u0 += a[k - 2] * c2;
        u1 += b[k - 2] * c2;
        v0 += a[k - 3] * c3;
        v1 += b[k - 3] * c3;
      }
      for (; m <= mHi; m++) {
        const c = bank[base + m];
        s0 += a[nHi - m] * c;
        s1 += b[nHi - m] * c;
      }
      outs[0][i] = s0 + t0 + (u0 + v0);
      outs[1][i] = s1 + t1 + (u1 + v1);
    } else {
      for (let k = 0; k < xsF.length; k++) {
        const x = xsF[k];
        let s = 0;
        for (let m = mLo; m <= mHi; m++) s += x[nHi - m] * bank[base + m];
        outs[k][i] = s;
      }
    }
  }
  return outs;
}
