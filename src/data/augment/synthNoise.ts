/**
 * Synthetic noises that fill gaps of the recorded ones: coloured noise with a drawn spectral slope
 * (white, pink, brown and everything between: fans, air conditioning, distant traffic, rumble)
 * and the same noise amplitude-modulated at 0.5–8 Hz (machines that pulse, passing vehicles,
 * wind gusts — a noise whose level moves at syllable rate is what a stationarity assumption misses).
 *
 * Coloured noise is shaped in the frequency domain: complex Gaussian bins (Box–Muller) times
 * f^(−α/2), so the power spectrum falls as f^(−α) (−3α dB per octave), flat below
 * COLOURED_FLOOR_HZ (so brown noise does not become a DC drift), DC removed; one inverse FFT of
 * the next FFT size ≥ the length (the noise is periodic over that size, far longer than a
 * mixture's 4 s). Unit RMS out; the mixer sets the level.
 */
import { SAMPLE_RATE_HZ } from '../../dsp/constants.js';
import { fftSizeAtLeast, rfftPlanCached } from '../../dsp/convolve.js';
import { rfftInverse } from '../../dsp/fft.js';
import type { Prng } from '../prng.js';
import { signalRms } from '../noise.js';

/** Below this frequency the coloured spectrum is flat (Hz). */
export const COLOURED_FLOOR_HZ = 40;
/** Modulation depth range of the modulated noise (1: the envelope touches zero). */
export const MODULATION_DEPTH: readonly [number, number] = [0.5, 1];

/** Coloured Gaussian noise of `length` samples, power ∝ f^(−slope), unit RMS. */
export function colouredNoise(length: number, slope: number, rng: Prng): Float64Array {
  const n = fftSizeAtLeast(Math.max(2, length));
  const bins = n / 2 + 1;
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const floorBin = (COLOURED_FLOOR_HZ * n) / SAMPLE_RATE_HZ;
  for (let k = 1; k < bins; k++) {
    const u1 = 1 - rng.float();
    const u2 = rng.float();
    const mag = Math.sqrt(-2 * Math.log(u1)) * Math.max(k, floorBin) ** (-slope / 2);
    re[k] = mag * Math.cos(2 * Math.PI * u2);
    im[k] = mag * Math.sin(2 * Math.PI * u2);
  }
  const y = new Float64Array(n);
  rfftInverse(rfftPlanCached(n), re, im, y);
  const out = y.slice(0, length);
  const rms = signalRms(out);
  for (let i = 0; i < length; i++) out[i] /= rms;
  return out;
}

/** A drawn modulation: rate (Hz), depth (0…1) and phase (rad) of 1 + depth·sin(2π·rate·t + phase). */
export interface Modulation {
  rateHz: number;
  depth: number;
  phase: number;
}

/** Multiplies x in place by the envelope 1 + depth·sin(2π·rate·t + phase). */
export function modulationApply(x: Float64Array, m: Modulation): void {
  const w = (2 * Math.PI * m.rateHz) / SAMPLE_RATE_HZ;
  for (let i = 0; i < x.length; i++) x[i] *= 1 + m.depth * Math.sin(w * i + m.phase);
}

/** Coloured noise (slope drawn in `slopeRange`) under a drawn sinusoidal envelope (rate in `rateRange` Hz). */
export function modulatedNoise(
  length: number, slopeRange: readonly [number, number], rateRange: readonly [number, number], rng: Prng,
): { samples: Float64Array; slope: number; modulation: Modulation } {
  const slope = rng.uniform(slopeRange[0], slopeRange[1]);
  const modulation: Modulation = {
    rateHz: rng.uniform(rateRange[0], rateRange[1]),
    depth: rng.uniform(MODULATION_DEPTH[0], MODULATION_DEPTH[1]),
    phase: rng.uniform(0, 2 * Math.PI),
  };
  const samples = colouredNoise(length, slope, rng);
  modulationApply(samples, modulation);
  return { samples, slope, modulation };
}
