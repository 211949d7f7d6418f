/**
 * Frame alignment shared by the STFT and TCNN's time-domain framing (float64, batch), and TCNN's
 * framing itself: rectangular frames of WINDOW_SAMPLES = 320 every HOP_SAMPLES = 160, and the
 * 50 % overlap-add that turns frames back into a signal.
 *
 * Alignment (constants.ts FRAME_PAD_SAMPLES): the signal x of length L is preceded by 160 zeros and
 * followed by zeros, so frame t holds x[t·160 − 160 .. t·160 + 160). Frame t's second half is input
 * hop t, which is exactly what a causal streaming framer has after receiving hop t. There are
 * frameCount(L) = ⌈L/160⌉ + 1 frames (0 for L = 0): enough that every sample of x lies in two frames.
 * Overlap-add of frames t−1 and t yields x[(t−1)·160 .. t·160), so the streaming version is delayed
 * by STFT_DELAY_SAMPLES = 160 (assembly/dsp/framing.ts).
 */
import { FRAME_PAD_SAMPLES, HOP_SAMPLES, WINDOW_SAMPLES } from './constants.js';

/** Number of frames for a signal of `lengthSamples` samples: ⌈L/160⌉ + 1, or 0 when L = 0. */
export function frameCount(lengthSamples: number): number {
  if (!Number.isInteger(lengthSamples) || lengthSamples < 0) {
    throw new RangeError(`frameCount: length must be a non-negative integer, got ${lengthSamples}`);
  }
  return lengthSamples === 0 ? 0 : Math.ceil(lengthSamples / HOP_SAMPLES) + 1;
}

/**
 * Copies frame t of `x` (with the alignment above; samples outside x read as 0) into
 * out[outOffset .. outOffset + 320).
 */
export function frameCopy(x: ArrayLike<number>, t: number, out: Float64Array, outOffset = 0): void {
  const start = t * HOP_SAMPLES - FRAME_PAD_SAMPLES;
  for (let i = 0; i < WINDOW_SAMPLES; i++) {
    const n = start + i;
    out[outOffset + i] = n >= 0 && n < x.length ? x[n] : 0;
  }
}

/** A signal cut into frames: row-major [frames × 320] float64. */
export interface Frames {
  frames: number;
  data: Float64Array;
}

/** Cuts x into rectangular 320-sample frames every 160 samples (TCNN's input), [frames × 320]. */
export function frameSignal(x: Float32Array | Float64Array): Frames {
  const frames = frameCount(x.length);
  const data = new Float64Array(frames * WINDOW_SAMPLES);
  for (let t = 0; t < frames; t++) frameCopy(x, t, data, t * WINDOW_SAMPLES);
  return { frames, data };
}

/**
 * Overlap-adds [frames × 320] rectangular frames at a 160 hop into a signal of `length` samples
 * (default (frames − 1)·160, where every sample is covered by two frames; at most frames·160).
 * Each output sample is the mean of the frames covering it, so for the default length
 * y[n] = ½·(frame_{t}[n − 160t + 160] + frame_{t+1}[n − 160t]) with t = ⌊n/160⌋, and
 * overlapAdd(frameSignal(x)) == x exactly. A training graph must use the same ½.
 */
export function overlapAdd(data: Float64Array | Float32Array, frames: number, length?: number): Float64Array {
  if (data.length < frames * WINDOW_SAMPLES) {
    throw new RangeError(`overlapAdd: need ${frames} × ${WINDOW_SAMPLES} samples, got ${data.length}`);
  }
  const len = length ?? Math.max(0, (frames - 1) * HOP_SAMPLES);
  if (!Number.isInteger(len) || len < 0 || len > frames * HOP_SAMPLES) {
    throw new RangeError(`overlapAdd: length ${length} outside [0, ${frames * HOP_SAMPLES}] for ${frames} frames`);
  }
  const y = new Float64Array(len);
  const count = new Float64Array(len);
  for (let t = 0; t < frames; t++) {
    const start = t * HOP_SAMPLES - FRAME_PAD_SAMPLES;
    const lo = Math.max(0, -start);
    const hi = Math.min(WINDOW_SAMPLES, len - start);
    for (let i = lo; i < hi; i++) {
      y[start + i] += data[t * WINDOW_SAMPLES + i];
      count[start + i] += 1;
    }
  }
  for (let n = 0; n < len; n++) y[n] /= count[n];
  return y;
}
