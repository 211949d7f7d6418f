/**
 * Spectrogram images for the demo report: the log magnitude of the project's own STFT
 * (src/dsp/stft.ts: 20-ms periodic Hamming window, 10-ms hop, 161 bins of 50 Hz) mapped through a
 * perceptually ordered colour map (magma) and encoded as PNG, one pixel per frame × bin, low
 * frequencies at the bottom. Images of one clip share the dB scale (top = loudest bin of the noisy
 * mixture, RANGE_DB below it = black) so before/after compare at a glance.
 */
import { NUM_BINS } from '../dsp/constants.js';
import { stftAnalyze } from '../dsp/stft.js';
import { pngEncodeIndexed } from './png.js';

/** Dynamic range of the images: values this far below the top of the scale are black. */
export const SPECTROGRAM_RANGE_DB = 80;

/** Log-magnitude spectrogram: frames × NUM_BINS, bin fastest, in dB (20·log10 |X|). */
export interface SpectrogramDb {
  frames: number;
  bins: number;
  db: Float32Array;
  /** Largest value (dB). */
  maxDb: number;
}

/** |STFT| in dB of a 16 kHz signal (floor at −200 dB for exact zeros). */
export function spectrogramDb(x: Float32Array): SpectrogramDb {
  const s = stftAnalyze(x);
  const db = new Float32Array(s.frames * NUM_BINS);
  let maxDb = -Infinity;
  for (let i = 0; i < db.length; i++) {
    const p = s.re[i] * s.re[i] + s.im[i] * s.im[i];
    const v = p > 1e-20 ? 10 * Math.log10(p) : -200;
    db[i] = v;
    if (v > maxDb) maxDb = v;
  }
  return { frames: s.frames, bins: NUM_BINS, db, maxDb };
}

/** matplotlib's magma at 0, 1/8, …, 1 (sRGB), linearly interpolated between stops. */
const MAGMA_STOPS: readonly (readonly [number, number, number])[] = [
  [0, 0, 4],
  [28, 16, 68],
  [79, 18, 123],
  [129, 37, 129],
  [181, 54, 122],
  [229, 80, 100],
  [251, 135, 97],
  [254, 194, 135],
  [252, 253, 191],
];

/** Colour of t ∈ [0, 1] (clamped) written to out[at..at+3). */
export function magma(t: number, out: Uint8Array, at: number): void {
  const u = Math.min(1, Math.max(0, t)) * (MAGMA_STOPS.length - 1);
  const k = Math.min(MAGMA_STOPS.length - 2, Math.floor(u));
  const f = u - k;
  const a = MAGMA_STOPS[k];
  const b = MAGMA_STOPS[k + 1];
  for (let c = 0; c < 3; c++) out[at + c] = Math.round(a[c] + f * (b[c] - a[c]));
}

/** Colour levels of the images: 2 dB steps over the 80-dB range (keeps the PNGs small). */
export const SPECTROGRAM_LEVELS = 40;

let palette: Uint8Array | undefined;

/** The magma palette of SPECTROGRAM_LEVELS entries (RGB triples). */
function spectrogramPalette(): Uint8Array {
  if (!palette) {
    palette = new Uint8Array(3 * SPECTROGRAM_LEVELS);
    for (let k = 0; k < SPECTROGRAM_LEVELS; k++) magma(k / (SPECTROGRAM_LEVELS - 1), palette, 3 * k);
  }
  return palette;
}

/** PNG of a spectrogram with the scale [topDb − rangeDb, topDb]; width = frames, height = bins. */
export function spectrogramPng(s: SpectrogramDb, topDb = s.maxDb, rangeDb = SPECTROGRAM_RANGE_DB): Uint8Array {
  const w = s.frames;
  const h = s.bins;
  const idx = new Uint8Array(w * h);
  const lo = topDb - rangeDb;
  const top = SPECTROGRAM_LEVELS - 1;
  for (let y = 0; y < h; y++) {
    const bin = h - 1 - y; // top row = highest frequency
    for (let t = 0; t < w; t++) idx[y * w + t] = Math.min(top, Math.max(0, Math.round(((s.db[t * h + bin] - lo) / rangeDb) * top)));
  }
  return pngEncodeIndexed(w, h, idx, spectrogramPalette());
}

/** A PNG as a data: URI. */
export function pngDataUri(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString('base64')}`;
}
