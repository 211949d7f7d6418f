/**
 * Synthetic noises that fill gaps of the recorded ones: coloured noise with a drawn spectral slope
 * (white, pink, brown and everything between: fans, air conditioning, distant traffic, rumble)
 * and the same noise amplitude-modulated at 0.5–8 Hz (machines that pulse, passing vehicles,
 * wind gusts — a noise whose level moves at syllable rate is what a stationarity assumption misses).
 *
 * Coloured noise is shaped in the frequency domain: every bin gets the magnitude f^(−α/2) and a
 * uniformly random phase, so the power spectrum falls as f^(−α) (−3α dB per octave), flat below
 * COLOURED_FLOOR_HZ (so brown noise does not become a DC drift), DC removed; one inverse FFT of
 * the next FFT size ≥ the length (the noise is periodic over that size, ≥ the mixture's 4 s).
 * Random phases over ~32 000 bins give Gaussian samples by the central limit theorem; drawing
 * Gaussian bins (Box–Muller) as well would only add Rayleigh ripple to the spectrum, at about twice
 * the cost (a log, a square root and two trigonometric calls per bin; tools/bench/mixer.ts).
 * Phases come from a 4096-entry cos/sin table.
 * Unit RMS out; the mixer sets the level.
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

/** Phase table: cos and sin of 2π·j/PHASES, j < PHASES (12 bits of a random word pick one). */
const PHASE_BITS = 12;
const PHASES = 1 << PHASE_BITS;
const PHASE_COS = Float64Array.from({ length: PHASES }, (_, j) => Math.cos((2 * Math.PI * j) / PHASES));
const PHASE_SIN = Float64Array.from({ length: PHASES }, (_, j) => Math.sin((2 * Math.PI * j) / PHASES));

/** ln(max(k, floor bin)) for the bins of one FFT size (cached: the slope only scales it). */
const logBinCache = new Map<number, Float64Array>();
function logBins(n: number): Float64Array {
  let t = logBinCache.get(n);
  if (t === undefined) {
    const floorBin = (COLOURED_FLOOR_HZ * n) / SAMPLE_RATE_HZ;
    t = Float64Array.from({ length: n / 2 + 1 }, (_, k) => Math.log(Math.max(k, floorBin)));
    logBinCache.set(n, t);
  }
  return t;
}

/** Coloured noise of `length` samples, power ∝ f^(−slope), unit RMS (see the module comment). */
export function colouredNoise(length: number, slope: number, rng: Prng): Float64Array {
  const n = fftSizeAtLeast(Math.max(2, length));
  const bins = n / 2 + 1;
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const ln = logBins(n);
  for (let k = 1; k < bins; k++) {
    const mag = Math.exp((-slope / 2) * ln[k]);
    const j = rng.u32() >>> (32 - PHASE_BITS);
    re[k] = mag * PHASE_COS[j];
    im[k] = mag * PHASE_SIN[j];
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

/** Samples between exact evaluations of the envelope's sine (the rotation in between drifts ~1e-13). */
const MODULATION_RESYNC = 1024;

/** Multiplies x in place by the envelope 1 + depth·sin(2π·rate·t + phase). */
export function modulationApply(x: Float64Array, m: Modulation): void {
  const w = (2 * Math.PI * m.rateHz) / SAMPLE_RATE_HZ;
  const cw = Math.cos(w);
  const sw = Math.sin(w);
  let s = 0;
  let c = 1;
  for (let i = 0; i < x.length; i++) {
    if (i % MODULATION_RESYNC === 0) {
      s = Math.sin(w * i + m.phase);
      c = Math.cos(w * i + m.phase);
    }
    x[i] *= 1 + m.depth * s;
    // Rotate (c, s) by w: sin and cos of the next sample's angle.
    const s1 = s * cw + c * sw;
    c = c * cw - s * sw;
    s = s1;
  }
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
