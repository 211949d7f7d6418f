// Streaming STFT of any even window length W with hop W/2 and a W-point DFT, in float32: the runtime
// mirror of src/models/separation/upitStft.ts (the float64 definition; test/dsp/wasmStftSized.test.ts
// checks frame t here == frame t there and the synthesis against its float64 inverse). The fixed
// 16-kHz path (./stft.ts: 320 / 160 with its hand-planned FFT) stays as it is; this one serves the
// 8-kHz separation nets (uPIT-LSTM: 160 / 80 at edge, 256 / 128 at paper).
//
// Alignment, as ./stft.ts: analysing input hop t (samples [hop·t, hop·t + hop)) yields frame t, the
// periodic-Hamming-windowed x[hop·(t − 1), hop·(t + 1)) (zeros before the stream start); synthesising
// frame t emits samples [hop·(t − 1), hop·t): out[n] = in[n − hop], latency 2·hop = W.
// Synthesis is WOLA normalised by Σw² (torch.istft's least squares) at 50 % overlap:
//   s[n] = w[n] / (w[n]² + w[(n + hop) mod W]²), out = overlap + s[k]·y_t[k], overlap = s[hop + k]·y_t[hop + k].
//
// The DFT is direct, O(W·bins) per frame from one table of cos/sin(2πm/W), m < W: 26 k MACs per
// 10 ms for W = 160 each way — under 3 % of the edge uPIT-LSTM's 0.92 M, so no radix plan per size.
// Sums in f64 (one rounding to f32 per bin), error ~1e-7 of the frame's peak.
//
// Object (one memAlloc block; f32 arrays, 16-byte aligned, offsets in the header):
//   header   i32 W, hop, bins; usize cos, sin, window, synth, prev, overlap, frame
//   cos/sin  [W]   cos(2πm/W), sin(2πm/W)                                read-only
//   window   [W]   periodic Hamming w[n] = 0.54 − 0.46·cos(2πn/W)          read-only
//   synth    [W]   s[n]                                                   read-only
//   prev     [hop] previous input hop                                     stream state
//   overlap  [hop] second half of the last synthesised frame, weighted    stream state
//   frame    [W]   windowed frame / inverse DFT output                    scratch

import { memAlloc } from "../mem";

@unmanaged class StftSized {
  W: i32;
  hop: i32;
  bins: i32;
  cos: usize;
  sin: usize;
  window: usize;
  synth: usize;
  prev: usize;
  overlap: usize;
  frame: usize;
}

/** Largest window accepted (the format's limit is larger; the direct DFT's cost grows as W²). */
export const STFT_SIZED_MAX_WINDOW: i32 = 4096;

/** Creates a streaming STFT for window W (even, 2..STFT_SIZED_MAX_WINDOW), hop W/2. 0 when out of memory or W invalid. */
export function stftSizedCreate(W: i32): usize {
  if (W < 2 || W > STFT_SIZED_MAX_WINDOW || (W & 1) != 0) return 0;
  const hop = W >> 1;
  const p = memAlloc(<u32>offsetof<StftSized>());
  if (p == 0) return 0;
  const st = changetype<StftSized>(p);
  st.W = W;
  st.hop = hop;
  st.bins = hop + 1;
  st.cos = memAlloc(<u32>W << 2);
  st.sin = memAlloc(<u32>W << 2);
  st.window = memAlloc(<u32>W << 2);
  st.synth = memAlloc(<u32>W << 2);
  st.prev = memAlloc(<u32>hop << 2);
  st.overlap = memAlloc(<u32>hop << 2);
  st.frame = memAlloc(<u32>W << 2);
  if (!(st.cos && st.sin && st.window && st.synth && st.prev && st.overlap && st.frame)) return 0;
  for (let n = 0; n < W; n++) {
    const a = 2.0 * Math.PI * <f64>n / <f64>W;
    store<f32>(st.cos + (<usize>n << 2), <f32>Math.cos(a));
    store<f32>(st.sin + (<usize>n << 2), <f32>Math.sin(a));
    const w = 0.54 - 0.46 * Math.cos(a);
    const m = (n + hop) % W;
    const wm = 0.54 - 0.46 * Math.cos(2.0 * Math.PI * <f64>m / <f64>W);
    store<f32>(st.window + (<usize>n << 2), <f32>w);
    store<f32>(st.synth + (<usize>n << 2), <f32>(w / (w * w + wm * wm)));
  }
  return p;
}

/** Window, hop and bins of an STFT object. */
export function stftSizedWindow(st: usize): i32 {
  return changetype<StftSized>(st).W;
}
export function stftSizedHop(st: usize): i32 {
  return changetype<StftSized>(st).hop;
}
export function stftSizedBins(st: usize): i32 {
  return changetype<StftSized>(st).bins;
}

/** Clears the stream state (input history and overlap), as at the start of a stream. */
export function stftSizedReset(stp: usize): void {
  const st = changetype<StftSized>(stp);
  memory.fill(st.prev, 0, <usize>st.hop << 2);
  memory.fill(st.overlap, 0, <usize>st.hop << 2);
}

/**
 * Analyses one input hop: in[0..hop) → frame t's bins at outRe/outIm (f32 each):
 * Y_k = Σ_n f[n]·e^{−2πikn/W} over the windowed frame f. Buffers may not overlap the object.
 */
export function stftSizedAnalyzeHop(stp: usize, inPtr: usize, outRe: usize, outIm: usize): void {
  const st = changetype<StftSized>(stp);
  const W = st.W, hop = st.hop;
  const frame = st.frame;
  for (let n = 0; n < hop; n++) {
    const o = <usize>n << 2;
    store<f32>(frame + o, load<f32>(st.prev + o) * load<f32>(st.window + o));
    store<f32>(frame + (<usize>(n + hop) << 2), load<f32>(inPtr + o) * load<f32>(st.window + (<usize>(n + hop) << 2)));
  }
  memory.copy(st.prev, inPtr, <usize>hop << 2);
  for (let k = 0; k < st.bins; k++) {
    let re: f64 = 0, im: f64 = 0;
    let m = 0; // k·n mod W
    for (let n = 0; n < W; n++) {
      const v = <f64>load<f32>(frame + (<usize>n << 2));
      re += v * <f64>load<f32>(st.cos + (<usize>m << 2));
      im -= v * <f64>load<f32>(st.sin + (<usize>m << 2));
      m += k;
      if (m >= W) m -= W;
    }
    store<f32>(outRe + (<usize>k << 2), <f32>re);
    store<f32>(outIm + (<usize>k << 2), <f32>im);
  }
}

/**
 * Synthesises one hop: frame t's bins at inRe/inIm (Im of bins 0 and W/2 ignored) → out[0..hop) =
 * output samples [hop·(t − 1), hop·t). The inverse DFT of the Hermitian spectrum:
 * y[n] = (Y_0 + (−1)^n·Y_{W/2} + 2·Σ_{0<k<W/2} Re(Y_k·e^{2πikn/W})) / W.
 */
export function stftSizedSynthesizeHop(stp: usize, inRe: usize, inIm: usize, outPtr: usize): void {
  const st = changetype<StftSized>(stp);
  const W = st.W, hop = st.hop;
  const frame = st.frame;
  const dc = <f64>load<f32>(inRe);
  const nyquist = <f64>load<f32>(inRe + (<usize>hop << 2));
  for (let n = 0; n < W; n++) {
    let acc: f64 = 0;
    let m = n; // k·n mod W for k = 1
    for (let k = 1; k < hop; k++) {
      const o = <usize>k << 2;
      acc += <f64>load<f32>(inRe + o) * <f64>load<f32>(st.cos + (<usize>m << 2)) - <f64>load<f32>(inIm + o) * <f64>load<f32>(st.sin + (<usize>m << 2));
      m += n;
      if (m >= W) m -= W;
    }
    store<f32>(frame + (<usize>n << 2), <f32>((dc + ((n & 1) == 0 ? nyquist : -nyquist) + 2 * acc) / <f64>W));
  }
  for (let k = 0; k < hop; k++) {
    const o = <usize>k << 2;
    const o2 = <usize>(k + hop) << 2;
    store<f32>(outPtr + o, load<f32>(st.overlap + o) + load<f32>(st.synth + o) * load<f32>(frame + o));
    store<f32>(st.overlap + o, load<f32>(st.synth + o2) * load<f32>(frame + o2));
  }
}
