// TCNN's time-domain framing, streaming, float32: the runtime mirror of src/dsp/framing.ts.
// Same alignment as the STFT: pushing input hop t (samples [160t, 160t+160)) yields frame t =
// x[160t − 160, 160t + 160) (rectangular, zeros before the stream start); overlap-adding frame t
// emits output samples [160(t−1), 160t) as the mean of the two frames covering them:
//   out[k] = ½·(frame_{t−1}[160 + k] + frame_t[k])      (out[n] = in[n − 160] for unchanged frames)
//
// Object layout (one memAlloc block, f32, byte offsets):
//   PREV     [160]   previous input hop                           stream state
//   OVERLAP  [160]   second half of the last overlap-added frame  stream state

import { memAlloc } from "../mem";
import { HOP_SAMPLES } from "./constants";

const PREV: usize = 0;
const OVERLAP: usize = 640;
const FRAMING_BYTES: u32 = 1280;

/** Creates a streaming framer/overlap-adder with zero history. Returns 0 when out of memory. */
export function framingCreate(): usize {
  return memAlloc(FRAMING_BYTES);
}

/** Clears the stream state. */
export function framingReset(fr: usize): void {
  memory.fill(fr, 0, FRAMING_BYTES);
}

/** One input hop in[0..160) → frame[0..320) = [previous hop, this hop]. */
export function framingAnalyzeHop(fr: usize, inPtr: usize, framePtr: usize): void {
  const hopBytes = <usize>HOP_SAMPLES << 2;
  memory.copy(framePtr, fr + PREV, hopBytes);
  memory.copy(framePtr + hopBytes, inPtr, hopBytes);
  memory.copy(fr + PREV, inPtr, hopBytes);
}

/** One frame[0..320) → out[0..160) = ½·(overlap + frame[0..160)); keeps frame[160..320). No overlap of buffers. */
export function framingSynthesizeHop(fr: usize, framePtr: usize, outPtr: usize): void {
  const ovl = fr + OVERLAP;
  if (ASC_FEATURE_SIMD) {
    const half = f32x4.splat(0.5);
    for (let i: usize = 0; i < <usize>HOP_SAMPLES << 2; i += 16) {
      v128.store(outPtr + i, f32x4.mul(half, f32x4.add(v128.load(ovl + i), v128.load(framePtr + i))));
    }
  } else {
    for (let i: usize = 0; i < <usize>HOP_SAMPLES << 2; i += 4) {
      store<f32>(outPtr + i, <f32>0.5 * (load<f32>(ovl + i) + load<f32>(framePtr + i)));
    }
  }
  memory.copy(ovl, framePtr + (<usize>HOP_SAMPLES << 2), <usize>HOP_SAMPLES << 2);
}
