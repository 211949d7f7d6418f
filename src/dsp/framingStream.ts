/**
 * TCNN's rectangular framing and 50 % overlap-add, streaming, one 160-sample hop at a time: the
 * TypeScript twin of assembly/dsp/framing.ts on framing.ts's definition.
 *
 * Input hop t gives frame t = x[160t − 160, 160t + 160) (the previous hop, then this one; zeros
 * before the stream start), equal to frame t of frameSignal. Output frame t completes output samples
 * [160(t − 1), 160t) as the mean of the two frames covering them:
 *   out[160(t−1) + k] = ½·(frame_{t−1}[160 + k] + frame_t[k])     (framing.ts overlapAdd)
 * so out[n] = in[n − STFT_DELAY_SAMPLES], the same stream delay as the STFT.
 */
import { HOP_SAMPLES, WINDOW_SAMPLES } from './constants.js';

/** Stream state of the framer and the overlap-adder. */
export interface FramingStream {
  /** Previous input hop, [160]. */
  readonly prev: Float64Array;
  /** Second half of the previous output frame, [160]. */
  readonly tail: Float64Array;
}

/** Zeroed framing state. */
export function framingStreamCreate(): FramingStream {
  return { prev: new Float64Array(HOP_SAMPLES), tail: new Float64Array(HOP_SAMPLES) };
}

/** Clears the state, as at the start of a stream. */
export function framingStreamReset(st: FramingStream): void {
  st.prev.fill(0);
  st.tail.fill(0);
}

/** Input hop t (160 samples) → frame t in out[0..320). */
export function framingStreamFrame(st: FramingStream, hop: ArrayLike<number>, out: Float64Array | Float32Array): void {
  for (let i = 0; i < HOP_SAMPLES; i++) {
    out[i] = st.prev[i];
    out[HOP_SAMPLES + i] = hop[i];
    st.prev[i] = hop[i];
  }
}

/** Output frame t (320 samples) → out[0..160) = output samples [160(t − 1), 160t). */
export function framingStreamOverlapAdd(st: FramingStream, frame: ArrayLike<number>, out: Float64Array | Float32Array): void {
  if (frame.length < WINDOW_SAMPLES) throw new RangeError(`framingStreamOverlapAdd: need ${WINDOW_SAMPLES} samples`);
  for (let k = 0; k < HOP_SAMPLES; k++) {
    out[k] = 0.5 * (st.tail[k] + frame[k]);
    st.tail[k] = frame[HOP_SAMPLES + k];
  }
}
