/**
 * STOI (Taal, Hendriks, Heusdens, Jensen, IEEE TASLP 2011) and extended STOI (Jensen & Taal,
 * IEEE TASLP 2016), computed as the reference Python implementation pystoi 0.4 does:
 *
 *   resample to 10 kHz (resampleOct) → drop 256-sample Hann frames (hop 128) more than 40 dB below
 *   the loudest reference frame, overlap-add the rest → STFT (256-sample Hann, hop 128, 512-point
 *   FFT) → 15 one-third-octave bands from 150 Hz → 30-frame (384 ms) segments →
 *   STOI: per band and segment, the degraded envelope normalised to the reference energy and
 *        clipped at −15 dB SDR, then the correlation with the reference envelope; mean of all.
 *   ESTOI: per segment, rows (bands) then columns (frames) mean- and norm-normalised; mean of
 *        the column correlations.
 *
 * All in double precision. pystoi's ESTOI adds 1e-16-scale random noise before normalising (to
 * avoid 0/0); we do not, and treat an all-zero row or column as contributing 0 (the same value
 * up to that noise for any real signal).
 */
import { UserError } from '../errors.js';
import { rfftForward, rfftPlanCreate } from '../dsp/fft.js';
import { resampleOctMany } from './resampleOct.js';
import { lengthsCheck, signalCheck, type Samples } from './signalCheck.js';

/** STOI's internal sample rate (Hz). */
export const STOI_RATE_HZ = 10000;
/** Analysis frame (samples at 10 kHz, 25.6 ms) and its hop (50 %). */
export const STOI_FRAME_SAMPLES = 256;
export const STOI_HOP_SAMPLES = 128;
/** FFT length (zero-padded frame). */
export const STOI_FFT_SIZE = 512;
/** One-third-octave bands and the centre of the lowest (Hz). */
export const STOI_BANDS = 15;
export const STOI_MIN_FREQ_HZ = 150;
/** Frames per intermediate-intelligibility segment (30 · 12.8 ms = 384 ms). */
export const STOI_SEGMENT_FRAMES = 30;
/** Lower signal-to-distortion bound of the clipping (dB). */
export const STOI_BETA_DB = -15;
/** Frames this far below the loudest reference frame are removed (dB). */
export const STOI_DYN_RANGE_DB = 40;

/** numpy's float64 machine epsilon, pystoi's EPS. */
const EPS = 2.220446049250313e-16;

/** Both intelligibility scores of one pair. */
export interface StoiResult {
  stoi: number;
  estoi: number;
}

/** Names used in error messages. */
export interface StoiNames {
  ref?: string;
  deg?: string;
}

/** Hann window of pystoi (np.hanning(n + 2)[1:-1], MATLAB's hanning(n)). */
function hanning(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 1)) / (n + 1));
  return w;
}

/** Band edges [lo, hi) in FFT bins of the one-third-octave bands (pystoi thirdoct). */
function thirdOctaveBands(): Int32Array {
  const nBins = STOI_FFT_SIZE / 2 + 1;
  const f = new Float64Array(nBins);
  for (let k = 0; k < nBins; k++) f[k] = (k * STOI_RATE_HZ) / STOI_FFT_SIZE;
  const nearest = (freq: number): number => {
    let best = 0;
    let bestD = Infinity;
    for (let k = 0; k < nBins; k++) {
      const d = (f[k] - freq) ** 2;
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    return best;
  };
  const edges = new Int32Array(2 * STOI_BANDS);
  for (let i = 0; i < STOI_BANDS; i++) {
    edges[2 * i] = nearest(STOI_MIN_FREQ_HZ * 2 ** ((2 * i - 1) / 6));
    edges[2 * i + 1] = nearest(STOI_MIN_FREQ_HZ * 2 ** ((2 * i + 1) / 6));
  }
  return edges;
}

const WINDOW = hanning(STOI_FRAME_SAMPLES);
const BAND_EDGES = thirdOctaveBands();

/**
 * Removes frames of both signals where the reference is more than dynRange dB below its loudest
 * frame, overlap-adding the windowed frames that remain (pystoi remove_silent_frames).
 */
function silentFramesRemove(x: Float64Array, y: Float64Array): [Float64Array, Float64Array] {
  const n = STOI_FRAME_SAMPLES;
  const hop = STOI_HOP_SAMPLES;
  const starts: number[] = [];
  for (let i = 0; i < x.length - n; i += hop) starts.push(i);
  const energy = new Float64Array(starts.length);
  let maxE = -Infinity;
  for (let f = 0; f < starts.length; f++) {
    let s = 0;
    for (let k = 0; k < n; k++) {
      const v = WINDOW[k] * x[starts[f] + k];
      s += v * v;
    }
    energy[f] = 20 * Math.log10(Math.sqrt(s) + EPS);
    if (energy[f] > maxE) maxE = energy[f];
  }
  const kept: number[] = [];
  for (let f = 0; f < starts.length; f++) if (maxE - STOI_DYN_RANGE_DB - energy[f] < 0) kept.push(starts[f]);
  const len = kept.length === 0 ? 0 : (kept.length - 1) * hop + n;
  const xs = new Float64Array(len);
  const ys = new Float64Array(len);
  for (let j = 0; j < kept.length; j++) {
    const src = kept[j];
    const dst = j * hop;
    for (let k = 0; k < n; k++) {
      xs[dst + k] += WINDOW[k] * x[src + k];
      ys[dst + k] += WINDOW[k] * y[src + k];
    }
  }
  return [xs, ys];
}

/**
 * One-third-octave band envelopes: env[band · frames + t] = sqrt(Σ_{bins in band} |X_t(k)|²),
 * frames t of the STFT (pystoi stft + OBM).
 */
function bandEnvelopes(x: Float64Array): { env: Float64Array; frames: number } {
  const n = STOI_FRAME_SAMPLES;
  const hop = STOI_HOP_SAMPLES;
  let frames = 0;
  for (let i = 0; i < x.length - n; i += hop) frames++;
  const env = new Float64Array(STOI_BANDS * frames);
  // Frames of n samples, zero-padded to the FFT length (the tail past n stays 0).
  const frame = new Float64Array(STOI_FFT_SIZE);
  const plan = rfftPlanCreate(STOI_FFT_SIZE);
  const re = new Float64Array(STOI_FFT_SIZE / 2 + 1);
  const im = new Float64Array(STOI_FFT_SIZE / 2 + 1);
  const pow = new Float64Array(STOI_FFT_SIZE / 2 + 1);
  for (let t = 0; t < frames; t++) {
    const start = t * hop;
    for (let k = 0; k < n; k++) frame[k] = WINDOW[k] * x[start + k];
    rfftForward(plan, frame, re, im);
    for (let k = 0; k < pow.length; k++) pow[k] = re[k] * re[k] + im[k] * im[k];
    for (let b = 0; b < STOI_BANDS; b++) {
      let s = 0;
      for (let k = BAND_EDGES[2 * b]; k < BAND_EDGES[2 * b + 1]; k++) s += pow[k];
      env[b * frames + t] = Math.sqrt(s);
    }
  }
  return { env, frames };
}

/** Classic STOI from band envelopes (pystoi stoi, extended = False). */
function stoiFromEnvelopes(xe: Float64Array, ye: Float64Array, frames: number): number {
  const N = STOI_SEGMENT_FRAMES;
  const clip = 1 + 10 ** (-STOI_BETA_DB / 20);
  const segments = frames - N + 1;
  const xs = new Float64Array(N);
  const yp = new Float64Array(N);
  let sum = 0;
  for (let m = 0; m < segments; m++) {
    for (let b = 0; b < STOI_BANDS; b++) {
      const o = b * frames + m;
      let xx = 0;
      let yy = 0;
      for (let t = 0; t < N; t++) {
        xx += xe[o + t] * xe[o + t];
        yy += ye[o + t] * ye[o + t];
      }
      const alpha = Math.sqrt(xx) / (Math.sqrt(yy) + EPS);
      let xm = 0;
      let ym = 0;
      for (let t = 0; t < N; t++) {
        xs[t] = xe[o + t];
        yp[t] = Math.min(ye[o + t] * alpha, xs[t] * clip);
        xm += xs[t];
        ym += yp[t];
      }
      xm /= N;
      ym /= N;
      let xn = 0;
      let yn = 0;
      for (let t = 0; t < N; t++) {
        xs[t] -= xm;
        yp[t] -= ym;
        xn += xs[t] * xs[t];
        yn += yp[t] * yp[t];
      }
      xn = Math.sqrt(xn) + EPS;
      yn = Math.sqrt(yn) + EPS;
      let c = 0;
      for (let t = 0; t < N; t++) c += (yp[t] / yn) * (xs[t] / xn);
      sum += c;
    }
  }
  return sum / (segments * STOI_BANDS);
}

/**
 * Row (band over time) then column (frame over bands) mean and norm normalisation of one
 * 15 × 30 segment starting at frame m (pystoi row_col_normalize, without its random dither).
 */
function segmentNormalize(e: Float64Array, frames: number, m: number, out: Float64Array): void {
  const N = STOI_SEGMENT_FRAMES;
  const J = STOI_BANDS;
  for (let b = 0; b < J; b++) {
    let mean = 0;
    for (let t = 0; t < N; t++) mean += e[b * frames + m + t];
    mean /= N;
    let norm = 0;
    for (let t = 0; t < N; t++) {
      const v = e[b * frames + m + t] - mean;
      out[b * N + t] = v;
      norm += v * v;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let t = 0; t < N; t++) out[b * N + t] *= inv;
  }
  for (let t = 0; t < N; t++) {
    let mean = 0;
    for (let b = 0; b < J; b++) mean += out[b * N + t];
    mean /= J;
    let norm = 0;
    for (let b = 0; b < J; b++) {
      const v = out[b * N + t] - mean;
      out[b * N + t] = v;
      norm += v * v;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let b = 0; b < J; b++) out[b * N + t] *= inv;
  }
}

/** ESTOI from band envelopes (pystoi stoi, extended = True). */
function estoiFromEnvelopes(xe: Float64Array, ye: Float64Array, frames: number): number {
  const N = STOI_SEGMENT_FRAMES;
  const segments = frames - N + 1;
  const xn = new Float64Array(STOI_BANDS * N);
  const yn = new Float64Array(STOI_BANDS * N);
  let sum = 0;
  for (let m = 0; m < segments; m++) {
    segmentNormalize(xe, frames, m, xn);
    segmentNormalize(ye, frames, m, yn);
    let s = 0;
    for (let i = 0; i < xn.length; i++) s += (xn[i] * yn[i]) / N;
    sum += s;
  }
  return sum / segments;
}

/** Shared front end and the requested measures (NaN for the one not requested). */
function stoiCompute(ref: Samples, deg: Samples, sampleRate: number, names: StoiNames, want: { stoi: boolean; estoi: boolean }): StoiResult {
  const refName = names.ref ?? 'reference';
  const degName = names.deg ?? 'degraded';
  signalCheck(ref, refName, sampleRate);
  signalCheck(deg, degName, sampleRate);
  lengthsCheck(ref, deg, refName, degName);
  if (!(sampleRate > 0) || !Number.isInteger(sampleRate)) throw new UserError(`STOI: invalid sample rate ${sampleRate} Hz`);
  const [x, y] = resampleOctMany([ref, deg], sampleRate, STOI_RATE_HZ);
  const [xs, ys] = silentFramesRemove(x, y);
  const xb = bandEnvelopes(xs);
  const yb = bandEnvelopes(ys);
  if (xb.frames < STOI_SEGMENT_FRAMES) {
    throw new UserError(
      `${refName}: too little speech for STOI: ${xb.frames} analysis frames after removing silent frames, ` +
        `${STOI_SEGMENT_FRAMES} (0.4 s of speech) needed`,
    );
  }
  return {
    stoi: want.stoi ? stoiFromEnvelopes(xb.env, yb.env, xb.frames) : NaN,
    estoi: want.estoi ? estoiFromEnvelopes(xb.env, yb.env, xb.frames) : NaN,
  };
}

/**
 * STOI and ESTOI of `deg` against `ref` (same length, any sample rate; resampled to 10 kHz).
 * Throws a UserError for different lengths, empty or non-finite input, or when fewer than 30
 * frames (≈ 0.4 s) of reference speech remain after silent-frame removal (pystoi warns and
 * returns 1e-5 there; we refuse rather than report a placeholder).
 */
export function stoiBoth(ref: Samples, deg: Samples, sampleRate: number, names: StoiNames = {}): StoiResult {
  return stoiCompute(ref, deg, sampleRate, names, { stoi: true, estoi: true });
}

/** STOI (Taal et al. 2011) of `deg` against `ref`; see stoiBoth for the conditions. */
export function stoi(ref: Samples, deg: Samples, sampleRate: number, names: StoiNames = {}): number {
  return stoiCompute(ref, deg, sampleRate, names, { stoi: true, estoi: false }).stoi;
}

/** Extended STOI (Jensen & Taal 2016) of `deg` against `ref`; see stoiBoth for the conditions. */
export function estoi(ref: Samples, deg: Samples, sampleRate: number, names: StoiNames = {}): number {
  return stoiCompute(ref, deg, sampleRate, names, { stoi: false, estoi: true }).estoi;
}
