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
 * phase response, so they stay aligned.
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

/** One drawn colouration: the EQ gains (for the record) and the filter cascade. */
export interface Colouration {
  /** Shelf and peaking gains, dB, in cascade order (empty without EQ). */
  eqGainsDb: number[];
  telephone: boolean;
  sections: Biquad[];
}

/** The telephone band-pass as a cascade of biquads. */
export function telephoneSections(): Biquad[] {
  const fs = SAMPLE_RATE_HZ;
  return [
    ...butterworthQs(4).map((q) => biquadHighPass(TELEPHONE_BAND_HZ[0], q, fs)),
    ...butterworthQs(8).map((q) => biquadLowPass(TELEPHONE_BAND_HZ[1], q, fs)),
  ];
}

/** A random microphone EQ with section gains uniform in ±maxGainDb. */
export function eqDraw(rng: Prng, maxGainDb: number): { sections: Biquad[]; gainsDb: number[] } {
  const fs = SAMPLE_RATE_HZ;
  const gain = () => rng.uniform(-maxGainDb, maxGainDb);
  const logUniform = ([lo, hi]: readonly [number, number]) => lo * (hi / lo) ** rng.float();
  const gainsDb: number[] = [];
  const sections: Biquad[] = [];
  let g = gain();
  gainsDb.push(g);
  sections.push(biquadLowShelf(logUniform(EQ_LOW_SHELF_HZ), g, fs));
  g = gain();
  gainsDb.push(g);
  sections.push(biquadHighShelf(logUniform(EQ_HIGH_SHELF_HZ), g, fs));
  const peaks = EQ_PEAKS[0] + rng.int(EQ_PEAKS[1] - EQ_PEAKS[0] + 1);
  for (let k = 0; k < peaks; k++) {
    g = gain();
    gainsDb.push(g);
    sections.push(biquadPeaking(logUniform(EQ_PEAK_HZ), rng.uniform(EQ_PEAK_Q[0], EQ_PEAK_Q[1]), g, fs));
  }
  return { sections, gainsDb };
}

/**
 * Draws a colouration: an EQ with probability pEq, the telephone band with probability
 * pTelephone (independent draws, both from `rng`, always made in the same order).
 */
export function colourationDraw(rng: Prng, pEq: number, maxGainDb: number, pTelephone: number): Colouration {
  const withEq = rng.float() < pEq;
  const telephone = rng.float() < pTelephone;
  const eq = withEq ? eqDraw(rng, maxGainDb) : { sections: [], gainsDb: [] };
  return { eqGainsDb: eq.gainsDb, telephone, sections: [...eq.sections, ...(telephone ? telephoneSections() : [])] };
}

/** Filters each signal in place through the colouration. */
export function colourationApply(c: Colouration, signals: readonly Float64Array[]): void {
  if (c.sections.length === 0) return;
  for (const x of signals) biquadsApply(c.sections, x);
}
