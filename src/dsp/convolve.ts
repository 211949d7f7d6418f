/**
 * Whole-signal FFT tools for the training-data mixer, float64: linear convolution of one signal
 * with several impulse responses (room reverberation), band-limited resampling by resizing a DFT
 * (speed perturbation), and the transform sizes both need.
 *
 * Sizes: src/dsp/fft.ts transforms lengths whose half has prime factors 2, 3 and 5 only, so every
 * length here is rounded up to such an "FFT size" (e.g. 64000 = 2·2^8·5^3, 76800, 81920); the
 * mixer's costs per 4-s segment are in docs/results/corpus-augment.md (tools/bench/mixer.ts).
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

/** The non-negative-frequency half of the DFT of a real signal of `size` samples (bins 0 … size/2). */
export interface HalfSpectrum {
  size: number;
  re: Float64Array;
  im: Float64Array;
}

/** The DFT of x zero-padded to `size` (an FFT size ≥ x.length). */
export function spectrumForward(x: Float64Array, size: number): HalfSpectrum {
  if (fftSizeAtLeast(size) !== size || size < x.length) throw new RangeError(`spectrumForward: ${size} is not an FFT size ≥ ${x.length}`);
  const padded = x.length === size ? x : new Float64Array(size);
  if (padded !== x) padded.set(x);
  const re = new Float64Array(size / 2 + 1);
  const im = new Float64Array(size / 2 + 1);
  rfftForward(rfftPlanCached(size), padded, re, im);
  return { size, re, im };
}

/** Samples [first, first + count) of the inverse DFT of `spec` (the signal is periodic in spec.size). */
export function spectrumInverse(spec: HalfSpectrum, first = 0, count = spec.size - first): Float64Array {
  const y = new Float64Array(spec.size);
  rfftInverse(rfftPlanCached(spec.size), spec.re, spec.im, y);
  return first === 0 && count === spec.size ? y : y.slice(first, first + count);
}

/**
 * Samples [first, first + count) of the circular convolutions of the periodic signal of `spec`
 * with each impulse response (zero-padded to spec.size). Where first ≥ h.length − 1 and the signal
 * is read only inside one period, this is the linear convolution (overlap-save). Cost: two real
 * FFTs of spec.size per response.
 */
export function spectrumConvolve(spec: HalfSpectrum, irs: readonly Float64Array[], first: number, count: number): Float64Array[] {
  const n = spec.size;
  const bins = n / 2 + 1;
  return irs.map((h) => {
    if (h.length > n) throw new RangeError(`spectrumConvolve: impulse response of ${h.length} samples exceeds the period ${n}`);
    const hs = spectrumForward(h, n);
    for (let k = 0; k < bins; k++) {
      const re = spec.re[k] * hs.re[k] - spec.im[k] * hs.im[k];
      hs.im[k] = spec.re[k] * hs.im[k] + spec.im[k] * hs.re[k];
      hs.re[k] = re;
    }
    return spectrumInverse(hs, first, count);
  });
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
  return spectrumConvolve(spectrumForward(x, fftSizeAtLeast(x.length)), irs, hMax - 1, x.length - hMax + 1);
}

/**
 * Resizes the DFT of a signal of spec.size samples to `outSize` samples over the same period
 * (band-limited resampling, see resampleSpectral): bins above the lower of the two Nyquist
 * frequencies are dropped (an ideal low-pass: no aliasing), the rest scaled by outSize / size so
 * amplitudes are kept; a tone of bin k stays bin k.
 */
export function spectrumResize(spec: HalfSpectrum, outSize: number): HalfSpectrum {
  if (fftSizeAtLeast(outSize) !== outSize) throw new RangeError(`spectrumResize: output length ${outSize} is not an FFT size`);
  const re = new Float64Array(outSize / 2 + 1);
  const im = new Float64Array(outSize / 2 + 1);
  // Keep bins 0 … K − 1 with K = min(N_in, N_out)/2: the shared Nyquist bin would need halving
  // (its energy is split between ±Nyquist) — dropping it costs one bin at 8 kHz.
  const keep = Math.min(spec.size, outSize) / 2;
  const gain = outSize / spec.size;
  for (let k = 0; k < keep; k++) {
    re[k] = spec.re[k] * gain;
    im[k] = spec.im[k] * gain;
  }
  return { size: outSize, re, im };
}

/**
 * Band-limited resampling of a whole signal by resizing its DFT: x (length N_in, an rfft size)
 * is read as one period of a periodic signal and re-sampled to `outLength` (an rfft size)
 * samples over the same period, i.e. time is stretched by outLength / N_in (spectrumResize).
 * The signal wraps around, so callers taper or discard a few hundred samples at both ends.
 * Cost: two real FFTs.
 */
export function resampleSpectral(x: Float64Array, outLength: number): Float64Array {
  if (fftSizeAtLeast(x.length) !== x.length) throw new RangeError(`resampleSpectral: input length ${x.length} is not an FFT size (fftSizeAtLeast)`);
  if (fftSizeAtLeast(outLength) !== outLength) throw new RangeError(`resampleSpectral: output length ${outLength} is not an FFT size`);
  return spectrumInverse(spectrumResize(spectrumForward(x, x.length), outLength));
}
