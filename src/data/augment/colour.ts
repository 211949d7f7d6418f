/**
 * Microphone and telephone colouration of a mixture: a random EQ (a low shelf, a high shelf and
 * 1–3 peaking sections, each within ±eqGainDb) and, sometimes, the telephone band (300–3400 Hz,
 * ITU-T G.712's nominal band: a 4th-order Butterworth high-pass at 300 Hz and an 8th-order
 * Butterworth low-pass at 3400 Hz; ≥ 35 dB down at 100 Hz and at 6 kHz).
 *
 * Applied alike to the speech, the target and the noise: the microphone (or the phone line) hears
 * everything the same way, and the colouration is part of the "clean" signal. A net cannot restore
 * a band the channel removed, so a target with the full band would teach it to invent or to boost
 * (and to boost the noise there); with the coloured target it learns to remove noise, not to
 * reshape spectra. The noise goes through the same channel, so a band-limited mixture has no
 * out-of-band noise either (as on a real phone line).
 *
 * All filters are causal IIR sections with zero initial state: mixture and target get the same
 * phase response, so they stay aligned. The speech is filtered once, before speed perturbation and
 * room (both linear; the room commutes with the filter, the speed perturbation is compensated by
 * scaling the filter's frequencies, colourationSections), so its start-up transient falls in the
 * discarded lead-in whenever there is one.
 */
import { SAMPLE_RATE_HZ } from '../../dsp/constants.js';
import {
  biquadHighPass, biquadHighShelf, biquadLowPass, biquadLowShelf, biquadPeaking, biquadsApply, butterworthQs, type Biquad,
} from '../../dsp/biquad.js';
import type { Prng } from '../prng.js';

/** Telephone band edges, Hz. */
export const TELEPHONE_BAND_HZ: readonly [number, number] = [300, 3400];
/** Low-shelf and high-shelf corner ranges, Hz; peaking centres (log-uniform) and Q ranges. */
export const EQ_LOW_SHELF_HZ: readonly [number, number] = [80, 400];
export const EQ_HIGH_SHELF_HZ: readonly [number, number] = [2000, 6000];
export const EQ_PEAK_HZ: readonly [number, number] = [150, 6000];
export const EQ_PEAK_Q: readonly [number, number] = [0.5, 2];
/** Peaking sections per EQ: uniform in this range. */
export const EQ_PEAKS: readonly [number, number] = [1, 3];

/** One filter section as designed (frequencies in Hz at the microphone). */
export interface FilterSpec {
  kind: 'peaking' | 'lowShelf' | 'highShelf' | 'lowPass' | 'highPass';
  f0Hz: number;
  /** Q (peaking, low-pass, high-pass); shelves use slope 1. */
  q: number;
  /** Gain, dB (peaking, shelves). */
  gainDb: number;
}

/** One drawn colouration: the EQ gains (for the record) and the filter sections. */
export interface Colouration {
  /** Shelf and peaking gains, dB, in cascade order (empty without EQ). */
  eqGainsDb: number[];
  telephone: boolean;
  filters: FilterSpec[];
}

/** The telephone band-pass as filter sections. */
export function telephoneFilters(): FilterSpec[] {
  return [
    ...butterworthQs(4).map((q): FilterSpec => ({ kind: 'highPass', f0Hz: TELEPHONE_BAND_HZ[0], q, gainDb: 0 })),
    ...butterworthQs(8).map((q): FilterSpec => ({ kind: 'lowPass', f0Hz: TELEPHONE_BAND_HZ[1], q, gainDb: 0 })),
  ];
}

/** A random microphone EQ with section gains uniform in ±maxGainDb. */
export function eqDraw(rng: Prng, maxGainDb: number): FilterSpec[] {
  const gain = () => rng.uniform(-maxGainDb, maxGainDb);
  const logUniform = ([lo, hi]: readonly [number, number]) => lo * (hi / lo) ** rng.float();
  const filters: FilterSpec[] = [
    { kind: 'lowShelf', f0Hz: logUniform(EQ_LOW_SHELF_HZ), q: 1, gainDb: gain() },
    { kind: 'highShelf', f0Hz: logUniform(EQ_HIGH_SHELF_HZ), q: 1, gainDb: gain() },
  ];
  const peaks = EQ_PEAKS[0] + rng.int(EQ_PEAKS[1] - EQ_PEAKS[0] + 1);
  for (let k = 0; k < peaks; k++) {
    const f0Hz = logUniform(EQ_PEAK_HZ);
    const q = rng.uniform(EQ_PEAK_Q[0], EQ_PEAK_Q[1]);
    filters.push({ kind: 'peaking', f0Hz, q, gainDb: gain() });
  }
  return filters;
}

/**
 * Draws a colouration: an EQ with probability pEq, the telephone band with probability
 * pTelephone (independent draws, both from `rng`, always made in the same order).
 */
export function colourationDraw(rng: Prng, pEq: number, maxGainDb: number, pTelephone: number): Colouration {
  const withEq = rng.float() < pEq;
  const telephone = rng.float() < pTelephone;
  const eq = withEq ? eqDraw(rng, maxGainDb) : [];
  return { eqGainsDb: eq.map((f) => f.gainDb), telephone, filters: [...eq, ...(telephone ? telephoneFilters() : [])] };
}

/**
 * The biquads of the colouration with every frequency multiplied by `frequencyScale`. Scale 1 is
 * the colouration itself. The mixer filters the speech before a speed perturbation by factor f
 * with scale 1/f: a component at f0/f moves to f0 when sped up, so the sped-up speech is coloured
 * at the designed frequencies (up to the bilinear transform's warping near 8 kHz) — one filter
 * pass over the speech instead of one over each of its reverberant and target versions.
 */
export function colourationSections(c: Colouration, frequencyScale = 1): Biquad[] {
  const fs = SAMPLE_RATE_HZ;
  return c.filters.map((f) => {
    const f0 = f.f0Hz * frequencyScale;
    switch (f.kind) {
      case 'peaking': return biquadPeaking(f0, f.q, f.gainDb, fs);
      case 'lowShelf': return biquadLowShelf(f0, f.gainDb, fs);
      case 'highShelf': return biquadHighShelf(f0, f.gainDb, fs);
      case 'lowPass': return biquadLowPass(f0, f.q, fs);
      case 'highPass': return biquadHighPass(f0, f.q, fs);
    }
  });
}

/** Filters each signal in place through the colouration (at `frequencyScale`, see colourationSections). */
export function colourationApply(c: Colouration, signals: readonly Float64Array[], frequencyScale = 1): void {
  if (c.filters.length === 0) return;
  const sections = colourationSections(c, frequencyScale);
  for (const x of signals) biquadsApply(sections, x);
}
