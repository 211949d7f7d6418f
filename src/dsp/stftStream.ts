/**
 * Streaming STFT in float64, one 160-sample hop at a time: the TypeScript twin of the WASM runtime's
 * assembly/dsp/stft.ts, on the float64 definition of stft.ts (same window, same FFT). Used by the
 * libtorch per-frame reference (src/stream/) so that it frames a stream exactly as the WASM
 * runtime does.
 *
 * Alignment (framing.ts): analysing input hop t (samples [160t, 160t + 160)) yields STFT frame t,
 * the windowed x[160t − 160, 160t + 160) (zeros before the stream start) — equal to frame t of
 * stftAnalyze. Synthesising frame t emits output samples [160(t − 1), 160t), so
 * out[n] = in[n − STFT_DELAY_SAMPLES]; the first hop out is the tail of the zero history.
 *
 * Synthesis is stft.ts's WOLA normalised by Σw², written for a 50 % hop:
 *   out[160(t−1) + k] = s[160 + k]·y_{t−1}[160 + k] + s[k]·y_t[k],   s[n] = w[n] / (w[n]² + w[n ± 160]²),
 * y_t = irfft(frame t). The first term was kept from the previous hop as `overlap`.
 */
import { HOP_SAMPLES, NUM_BINS, FFT_SIZE, WINDOW_SAMPLES } from './constants.js';
import { rfftForward, rfftInverse, rfftPlanCreate, type RealFftPlan } from './fft.js';
import { hammingWindow } from './window.js';

/** A streaming STFT: read-only tables, stream state and scratch (one per stream). */
export interface StftStream {
  /** The 320-point real-FFT plan (carries its own scratch). */
  readonly plan: RealFftPlan;
  /** Analysis window w[n], [320]. Read-only. */
  readonly window: Float64Array;
  /** Synthesis window s[n] = w[n] / (w[n]² + w[(n + 160) mod 320]²), [320]. Read-only. */
  readonly synth: Float64Array;
  /** Previous input hop (first half of the next frame), [160]. Stream state. */
  readonly prev: Float64Array;
  /** s[160 + k]·y_{t−1}[160 + k] of the last synthesised frame, [160]. Stream state. */
  readonly overlap: Float64Array;
  /** Windowed frame / inverse FFT output, [320]. Scratch. */
  readonly frame: Float64Array;
}

/** A streaming STFT with zeroed state. */
export function stftStreamCreate(): StftStream {
  const window = hammingWindow(WINDOW_SAMPLES);
  const synth = new Float64Array(WINDOW_SAMPLES);
  for (let n = 0; n < WINDOW_SAMPLES; n++) {
    const wm = window[(n + HOP_SAMPLES) % WINDOW_SAMPLES];
    synth[n] = window[n] / (window[n] * window[n] + wm * wm);
  }
  return {
    plan: rfftPlanCreate(FFT_SIZE), window, synth,
    prev: new Float64Array(HOP_SAMPLES), overlap: new Float64Array(HOP_SAMPLES), frame: new Float64Array(WINDOW_SAMPLES),
  };
}

/** Clears the stream state, as at the start of a stream. */
export function stftStreamReset(st: StftStream): void {
  st.prev.fill(0);
  st.overlap.fill(0);
}

/** Analyses input hop t (160 samples) into frame t's 161 bins: outRe/outIm [161]. */
export function stftStreamAnalyzeHop(st: StftStream, hop: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array): void {
  const { frame, window, prev } = st;
  for (let i = 0; i < HOP_SAMPLES; i++) {
    frame[i] = prev[i] * window[i];
    frame[HOP_SAMPLES + i] = hop[i] * window[HOP_SAMPLES + i];
    prev[i] = hop[i];
  }
  rfftForward(st.plan, frame, outRe, outIm);
}

/**
 * Synthesises frame t (161 bins, Im of bins 0 and 160 ignored) into out[0..160) = output samples
 * [160(t − 1), 160t).
 */
export function stftStreamSynthesizeHop(st: StftStream, re: ArrayLike<number>, im: ArrayLike<number>, out: Float64Array | Float32Array): void {
  if (re.length < NUM_BINS || im.length < NUM_BINS) throw new RangeError(`stftStreamSynthesizeHop: need ${NUM_BINS} bins`);
  const { frame, synth, overlap } = st;
  rfftInverse(st.plan, re, im, frame);
  for (let k = 0; k < HOP_SAMPLES; k++) {
    out[k] = overlap[k] + synth[k] * frame[k];
    overlap[k] = synth[HOP_SAMPLES + k] * frame[HOP_SAMPLES + k];
  }
}
