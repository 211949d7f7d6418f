/**
 * Short-time Fourier transform in float64 — THE feature definition: training features, the offline
 * reference path and the parity target of the streaming float32 WASM STFT (assembly/dsp/stft.ts).
 *
 * Analysis: periodic Hamming window (window.ts), 320 samples every 160, 320-point real FFT (fft.ts)
 * → 161 bins (0 … 8 kHz in 50 Hz steps), no scaling ("backward" normalisation as torch.stft).
 * Frame t holds x[t·160 − 160 .. t·160 + 160) (framing.ts: 160 leading zeros, zeros after the
 * end); there are T = ⌈L/160⌉ + 1 frames. The libtorch equivalent (for training graphs) is
 *   torch.stft(F.pad(x, (160, 160·T − L)), n_fft=320, hop_length=160,
 *              window=torch.hamming_window(320), center=False, return_complex=True)   → [161 × T]
 * and the synthesis below equals torch.istft(…, center=False)[160 : 160 + L] on the same padding.
 *
 * Synthesis: weighted overlap-add normalised by Σw², the least-squares inverse of Griffin & Lim
 * (as torch.istft): y[n] = Σ_t w[n−s_t]·irfft(X_t)[n−s_t] / Σ_t w²[n−s_t], s_t = t·160 − 160.
 * stftSynthesize(stftAnalyze(x)) == x to ~1e-15 relative for every sample of x.
 */
import { HOP_SAMPLES, NUM_BINS, FFT_SIZE, FRAME_PAD_SAMPLES, WINDOW_SAMPLES } from './constants.js';
import { rfftForward, rfftInverse, rfftPlanCreate, type RealFftPlan } from './fft.js';
import { frameCopy, frameCount } from './framing.js';
import { hammingWindow } from './window.js';

/** A complex spectrogram, split re/im, row-major [frames × NUM_BINS] (bin fastest). */
export interface Spectrogram {
  frames: number;
  re: Float64Array;
  im: Float64Array;
}

let sharedPlan: RealFftPlan | undefined;
let sharedWindow: Float64Array | undefined;

/** The module's 320-point real-FFT plan and window, built on first use (plans carry scratch). */
function stftTables(): { plan: RealFftPlan; window: Float64Array } {
  sharedPlan ??= rfftPlanCreate(FFT_SIZE);
  sharedWindow ??= hammingWindow(WINDOW_SAMPLES);
  return { plan: sharedPlan, window: sharedWindow };
}

/** Analyses a 16 kHz signal into ⌈L/160⌉ + 1 frames of 161 complex bins (see framing.ts). */
export function stftAnalyze(x: Float64Array | Float32Array): Spectrogram {
  const { plan, window } = stftTables();
  const frames = frameCount(x.length);
  const re = new Float64Array(frames * NUM_BINS);
  const im = new Float64Array(frames * NUM_BINS);
  const frame = new Float64Array(WINDOW_SAMPLES);
  for (let t = 0; t < frames; t++) {
    frameCopy(x, t, frame);
    for (let i = 0; i < WINDOW_SAMPLES; i++) frame[i] *= window[i];
    rfftForward(plan, frame, re, im, t * NUM_BINS);
  }
  return { frames, re, im };
}

/**
 * Inverts a [frames × 161] spectrogram by WOLA with Σw² normalisation into `length` samples
 * (default (frames − 1)·160, every sample covered by two frames; at most frames·160, where the
 * last 160 samples are covered by one frame only). Im of DC and Nyquist is ignored (Hermitian).
 */
export function stftSynthesize(
  re: Float64Array | Float32Array, im: Float64Array | Float32Array, frames: number, length?: number,
): Float64Array {
  if (re.length < frames * NUM_BINS || im.length < frames * NUM_BINS) {
    throw new RangeError(`stftSynthesize: need ${frames} × ${NUM_BINS} bins, got re ${re.length}, im ${im.length}`);
  }
  const len = length ?? Math.max(0, (frames - 1) * HOP_SAMPLES);
  if (!Number.isInteger(len) || len < 0 || len > frames * HOP_SAMPLES) {
    throw new RangeError(`stftSynthesize: length ${length} outside [0, ${frames * HOP_SAMPLES}] for ${frames} frames`);
  }
  const { plan, window } = stftTables();
  const y = new Float64Array(len);
  const envelope = new Float64Array(len);
  const frame = new Float64Array(WINDOW_SAMPLES);
  for (let t = 0; t < frames; t++) {
    const start = t * HOP_SAMPLES - FRAME_PAD_SAMPLES;
    const lo = Math.max(0, -start);
    const hi = Math.min(WINDOW_SAMPLES, len - start);
    if (hi <= lo) continue;
    rfftInverse(plan, re, im, frame, t * NUM_BINS);
    for (let i = lo; i < hi; i++) {
      y[start + i] += window[i] * frame[i];
      envelope[start + i] += window[i] * window[i];
    }
  }
  for (let n = 0; n < len; n++) y[n] /= envelope[n];
  return y;
}
