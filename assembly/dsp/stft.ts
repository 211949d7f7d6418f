// Streaming STFT in float32, one 160-sample hop at a time: the runtime mirror of src/dsp/stft.ts
// (the float64 definition; test/dsp/wasmStft.test.ts checks hop t here == frame t there).
//
// Alignment (src/dsp/framing.ts): analysing input hop t (samples [160t, 160t+160)) yields STFT
// frame t, the periodic-Hamming-windowed x[160t − 160, 160t + 160) (zeros before the stream
// start). Synthesising frame t emits output samples [160(t−1), 160t): out[n] = in[n − 160]
// (STFT_DELAY_SAMPLES), and the first hop out is the tail of the zero history.
//
// Synthesis is WOLA normalised by Σw² (least squares, as torch.istft): at 50 % overlap
//   out[160(t−1) + k] = s[160 + k]·y_{t−1}[160 + k] + s[k]·y_t[k],  s[n] = w[n] / (w[n]² + w[n ± 160]²),
// y_t = irfft(frame t). The second term is computed now, the first was kept as `overlap`.
//
// Object layout (one memAlloc block, byte offsets, f32 unless noted, 16-byte aligned):
//   PLAN     usize       the object's rfft plan (assembly/dsp/fft.ts), read-only + FFT scratch
//   WINDOW   [320]       analysis window w[n] = 0.54 − 0.46·cos(2πn/320)          read-only
//   SYNTH    [320]       synthesis window s[n]                                    read-only
//   PREV     [160]       previous input hop (first half of the next frame)        stream state
//   OVERLAP  [160]       s[160 + k]·y_t[160 + k] of the last synthesised frame     stream state
//   FRAME    [320]       windowed frame / inverse FFT output                      scratch
// Spectra are split re/im: two arrays of NUM_BINS = 161 f32 (bin k = k·50 Hz).

import { memAlloc } from "../mem";
import { HOP_SAMPLES, WINDOW_SAMPLES } from "./constants";
import { rfftCreate, rfftForward, rfftInverse } from "./fft";

const PLAN: usize = 0;
const WINDOW: usize = 16;
const SYNTH: usize = 1296;
const PREV: usize = 2576;
const OVERLAP: usize = 3216;
const FRAME: usize = 3856;
const STFT_BYTES: u32 = 5136;

/** Creates a streaming STFT (tables, zeroed state, scratch). Returns 0 when out of memory. */
export function stftCreate(): usize {
  const st = memAlloc(STFT_BYTES);
  if (st == 0) return 0;
  const plan = rfftCreate();
  if (plan == 0) return 0;
  store<usize>(st + PLAN, plan);
  for (let n = 0; n < WINDOW_SAMPLES; n++) {
    const w = 0.54 - 0.46 * Math.cos(2.0 * Math.PI * <f64>n / <f64>WINDOW_SAMPLES);
    const m = (n + HOP_SAMPLES) % WINDOW_SAMPLES;
    const wm = 0.54 - 0.46 * Math.cos(2.0 * Math.PI * <f64>m / <f64>WINDOW_SAMPLES);
    store<f32>(st + WINDOW + (<usize>n << 2), <f32>w);
    store<f32>(st + SYNTH + (<usize>n << 2), <f32>(w / (w * w + wm * wm)));
  }
  return st;
}

/** Clears the stream state (input history and overlap), as at the start of a stream. */
export function stftReset(st: usize): void {
  memory.fill(st + PREV, 0, <usize>HOP_SAMPLES << 2);
  memory.fill(st + OVERLAP, 0, <usize>HOP_SAMPLES << 2);
}

/**
 * Analyses one input hop: in[0..160) (f32) → frame t's 161 bins at outRe/outIm (f32 each).
 * Input and outputs may not overlap each other or the object.
 */
export function stftAnalyzeHop(st: usize, inPtr: usize, outRe: usize, outIm: usize): void {
  const win = st + WINDOW, prev = st + PREV, frame = st + FRAME;
  if (ASC_FEATURE_SIMD) {
    for (let i: usize = 0; i < <usize>HOP_SAMPLES << 2; i += 16) {
      v128.store(frame + i, f32x4.mul(v128.load(prev + i), v128.load(win + i)));
      v128.store(frame + 640 + i, f32x4.mul(v128.load(inPtr + i), v128.load(win + 640 + i)));
    }
  } else {
    for (let i: usize = 0; i < <usize>HOP_SAMPLES << 2; i += 4) {
      store<f32>(frame + i, load<f32>(prev + i) * load<f32>(win + i));
      store<f32>(frame + 640 + i, load<f32>(inPtr + i) * load<f32>(win + 640 + i));
    }
  }
  memory.copy(prev, inPtr, <usize>HOP_SAMPLES << 2);
  rfftForward(load<usize>(st + PLAN), frame, outRe, outIm);
}

/**
 * Synthesises one hop: frame t's 161 bins at inRe/inIm (f32, Im of bins 0 and 160 ignored) →
 * out[0..160) = output samples [160(t−1), 160t). Buffers may not overlap each other or the object.
 */
export function stftSynthesizeHop(st: usize, inRe: usize, inIm: usize, outPtr: usize): void {
  const syn = st + SYNTH, ovl = st + OVERLAP, frame = st + FRAME;
  rfftInverse(load<usize>(st + PLAN), inRe, inIm, frame);
  if (ASC_FEATURE_SIMD) {
    for (let i: usize = 0; i < <usize>HOP_SAMPLES << 2; i += 16) {
      v128.store(outPtr + i, f32x4.add(v128.load(ovl + i), f32x4.mul(v128.load(syn + i), v128.load(frame + i))));
      v128.store(ovl + i, f32x4.mul(v128.load(syn + 640 + i), v128.load(frame + 640 + i)));
    }
  } else {
    for (let i: usize = 0; i < <usize>HOP_SAMPLES << 2; i += 4) {
      store<f32>(outPtr + i, load<f32>(ovl + i) + load<f32>(syn + i) * load<f32>(frame + i));
      store<f32>(ovl + i, load<f32>(syn + 640 + i) * load<f32>(frame + 640 + i));
    }
  }
}
