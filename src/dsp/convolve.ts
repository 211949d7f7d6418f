/**
 * Whole-signal FFT tools for the training-data mixer, float64: linear convolution of one signal
 * with several impulse responses (room reverberation), band-limited resampling by resizing a DFT
 * (speed perturbation), and the transform sizes both need.
 *
 * Sizes: src/dsp/fft.ts transforms lengths whose half has prime factors 2, 3 and 5 only, so every
 * length here is rounded up to such an "FFT size" (e.g. 64000 = 2·2^8·5^3, 76800, 81920). On this
 * machine a real transform of 64–82k points takes 1.1–1.6 ms (npx vite-node, idle core; see
 * docs/results/corpus-augment.md), so a 4-s segment with a 1-s impulse response costs a few ms.
 */
import { rfftForward, rfftInverse, rfftPlanCreate, type RealFftPlan } from './fft.js';

/** Is n = 2^a·3^b·5^c (n ≥ 1)? */
function smooth235(n: number): boolean {
  for (const p of [2, 3, 5]) while (n % p === 0) n /= p;
  return n === 1;
}

/** The smallest even length ≥ n whose half has prime factors 2, 3, 5 only (a valid rfft size). */
export function fftSizeAtLeast(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`fftSizeAtLeast: length must be a positive integer, got ${n}`);
  let half = Math.ceil(n / 2);
  while (!smooth235(half)) half++;
  return 2 * half;
}

/** The valid rfft size nearest to `target` (ties: the smaller); target ≥ 2. */
export function fftSizeNearest(target: number): number {
  if (!(target >= 2)) throw new RangeError(`fftSizeNearest: target must be ≥ 2, got ${target}`);
  const up = fftSizeAtLeast(Math.ceil(target));
  let half = Math.floor(target / 2);
  while (half > 1 && !smooth235(half)) half--;
  const down = 2 * half;
  return target - down <= up - target ? down : up;
}

/** Real-FFT plans are ~3 arrays of N floats: cache the few sizes the mixer uses. */
const planCache = new Map<number, RealFftPlan>();
const PLAN_CACHE_MAX = 64;

/** The (cached) real-FFT plan of size n. Plans hold scratch: use from one thread at a time. */
export function rfftPlanCached(n: number): RealFftPlan {
  let plan = planCache.get(n);
  if (plan === undefined) {
    if (planCache.size >= PLAN_CACHE_MAX) planCache.delete(planCache.keys().next().value!);
    plan = rfftPlanCreate(n);
    planCache.set(n, plan);
  }
  return plan;
}

/**
 * The "valid" part of the linear convolutions y_k = x ∗ h_k of one signal with several impulse
 * responses (numpy's mode='valid' with respect to the longest h, length H): samples
 * n = H − 1 … x.length − 1 of each, i.e. every output whose whole history lies inside x, so a
 * caller gives x a lead-in of H − 1 samples before the part it wants. Computed as one circular
 * convolution of size N = fftSizeAtLeast(x.length) (overlap-save with a single block: the wrap-
 * around only reaches outputs n < H − 1, which are not returned). One forward transform of x is
 * shared by all k: cost 1 + 2·K real FFTs of size N. Error vs direct summation ~1e-15 of the peak.
 */
export function convolveValid(x: Float64Array, irs: readonly Float64Array[]): Float64Array[] {
  const hMax = Math.max(1, ...irs.map((h) => h.length));
  if (x.length < hMax) throw new RangeError(`convolveValid: signal of ${x.length} samples is shorter than the impulse response (${hMax})`);
  const n = fftSizeAtLeast(x.length);
  const plan = rfftPlanCached(n);
  const bins = n / 2 + 1;
  const padded = new Float64Array(n);
  padded.set(x);
  const xRe = new Float64Array(bins);
  const xIm = new Float64Array(bins);
  rfftForward(plan, padded, xRe, xIm);
  const hRe = new Float64Array(bins);
  const hIm = new Float64Array(bins);
  const y = new Float64Array(n);
  return irs.map((h) => {
    padded.fill(0);
    padded.set(h);
    rfftForward(plan, padded, hRe, hIm);
    for (let k = 0; k < bins; k++) {
      const re = xRe[k] * hRe[k] - xIm[k] * hIm[k];
      hIm[k] = xRe[k] * hIm[k] + xIm[k] * hRe[k];
      hRe[k] = re;
    }
    rfftInverse(plan, hRe, hIm, y);
    return y.slice(hMax - 1, x.length);
  });
}

/**
 * Band-limited resampling of a whole signal by resizing its DFT: x (length N_in, an rfft size)
 * is read as one period of a periodic signal and re-sampled to `outLength` (an rfft size)
 * samples over the same period, i.e. time is stretched by outLength / N_in. Bins above the lower
 * of the two Nyquist frequencies are dropped (an ideal low-pass: no aliasing), the rest scaled by
 * outLength / N_in so amplitudes are kept; a tone of bin k stays bin k. The signal wraps around,
 * so callers taper or discard a few hundred samples at both ends. Cost: two real FFTs.
 */
export function resampleSpectral(x: Float64Array, outLength: number): Float64Array {
  const nIn = x.length;
  if (fftSizeAtLeast(nIn) !== nIn) throw new RangeError(`resampleSpectral: input length ${nIn} is not an FFT size (fftSizeAtLeast)`);
  if (fftSizeAtLeast(outLength) !== outLength) throw new RangeError(`resampleSpectral: output length ${outLength} is not an FFT size`);
  const inBins = nIn / 2 + 1;
  const outBins = outLength / 2 + 1;
  const re = new Float64Array(Math.max(inBins, outBins));
  const im = new Float64Array(Math.max(inBins, outBins));
  rfftForward(rfftPlanCached(nIn), x, re, im);
  // Keep bins 0 … K − 1 with K = min(N_in, N_out)/2: the shared Nyquist bin would need halving
  // (its energy is split between ±Nyquist) — dropping it costs one bin of 8 kHz.
  const keep = Math.min(nIn, outLength) / 2;
  const gain = outLength / nIn;
  for (let k = 0; k < keep; k++) {
    re[k] *= gain;
    im[k] *= gain;
  }
  re.fill(0, keep);
  im.fill(0, keep);
  const y = new Float64Array(outLength);
  rfftInverse(rfftPlanCached(outLength), re, im, y);
  return y;
}
