/**
 * The uPIT-LSTM's STFT at 8 kHz (float64, host side), for training features and targets: the
 * project's STFT (src/dsp/stft.ts) with the window and hop of a uPIT preset instead of the fixed
 * 16-kHz 320 / 160. Periodic Hamming window of W = 2·(bins − 1) samples, hop W/2 (the presets:
 * edge 160 / 80 → 81 bins, the runtime's 20-ms / 10-ms framing at 8 kHz; paper 256 / 128 → 129
 * bins), W-point real FFT, no scaling; frame t covers x[t·hop − (W − hop) .. t·hop + hop) (zeros
 * outside x), T = ⌈L/hop⌉ + 1 frames — src/dsp/framing.ts's alignment at another size.
 * Its streaming float32 twin is the runtime's assembly/dsp/stft-sized.ts (test/dsp/wasmStftSized.test.ts
 * checks them against each other); upitStftSynthesize is the inverse both are tested with.
 */
import { UserError } from '../../errors.js';
import { rfftForward, rfftInverse, rfftPlanCreate, type RealFftPlan } from '../../dsp/fft.js';
import { hammingWindow } from '../../dsp/window.js';
import type { UpitLstmHParams } from './sizes.js';

/** A complex spectrogram, row-major [frames × bins], bin fastest. */
export interface UpitSpectrogram {
  frames: number;
  bins: number;
  re: Float64Array;
  im: Float64Array;
}

/** Window and hop in samples of a uPIT preset (window = DFT size = 2·(bins − 1), hop = window / 2). */
export function upitStftGeometry(h: UpitLstmHParams): { windowSamples: number; hopSamples: number } {
  const windowSamples = 2 * (h.bins - 1);
  if (h.hopSamples * 2 !== windowSamples) {
    throw new UserError(`upit-lstm: the STFT needs hop = window / 2, got ${h.bins} bins (window ${windowSamples}) and hop ${h.hopSamples}`);
  }
  return { windowSamples, hopSamples: h.hopSamples };
}

/** FFT plans and windows by window length, built on first use (a plan carries scratch: one caller at a time). */
const tables = new Map<number, { plan: RealFftPlan; window: Float64Array }>();

/** The plan and window of a window length (built on first use). */
function upitTables(w: number): { plan: RealFftPlan; window: Float64Array } {
  let t = tables.get(w);
  if (t === undefined) {
    t = { plan: rfftPlanCreate(w), window: hammingWindow(w) };
    tables.set(w, t);
  }
  return t;
}

/** Analyses `x` into ⌈L/hop⌉ + 1 frames of `h.bins` complex bins (see the file comment). */
export function upitStftAnalyze(h: UpitLstmHParams, x: ArrayLike<number>): UpitSpectrogram {
  const { windowSamples: w, hopSamples: hop } = upitStftGeometry(h);
  const { plan, window } = upitTables(w);
  const frames = x.length === 0 ? 0 : Math.ceil(x.length / hop) + 1;
  const re = new Float64Array(frames * h.bins);
  const im = new Float64Array(frames * h.bins);
  const frame = new Float64Array(w);
  for (let t = 0; t < frames; t++) {
    const start = t * hop - (w - hop);
    for (let i = 0; i < w; i++) {
      const n = start + i;
      frame[i] = n >= 0 && n < x.length ? x[n] * window[i] : 0;
    }
    rfftForward(plan, frame, re, im, t * h.bins);
  }
  return { frames, bins: h.bins, re, im };
}

/**
 * Inverts `spec` (frames × bins, as upitStftAnalyze gives) by WOLA with Σw² normalisation (torch.istft's
 * least squares) into `length` samples (at most (frames − 1)·hop, where every sample is covered by two
 * frames): frame t adds w·irfft(frame t) at x[t·hop − (W − hop) ..). Im of DC and Nyquist is ignored.
 * The float64 reference of the runtime's streaming synthesis (assembly/dsp/stft-sized.ts).
 */
export function upitStftSynthesize(
  h: UpitLstmHParams, spec: Pick<UpitSpectrogram, 'frames' | 'bins'> & { re: ArrayLike<number>; im: ArrayLike<number> }, length: number,
): Float64Array {
  const { windowSamples: w, hopSamples: hop } = upitStftGeometry(h);
  if (spec.bins !== h.bins) throw new RangeError(`upitStftSynthesize: spectrogram has ${spec.bins} bins, the net ${h.bins}`);
  if (!Number.isInteger(length) || length < 0 || length > Math.max(0, (spec.frames - 1) * hop)) {
    throw new RangeError(`upitStftSynthesize: length ${length} outside [0, ${Math.max(0, (spec.frames - 1) * hop)}] for ${spec.frames} frames`);
  }
  const { plan, window } = upitTables(w);
  const y = new Float64Array(length);
  const envelope = new Float64Array(length);
  const frame = new Float64Array(w);
  for (let t = 0; t < spec.frames; t++) {
    const start = t * hop - (w - hop);
    const lo = Math.max(0, -start);
    const hi = Math.min(w, length - start);
    if (hi <= lo) continue;
    rfftInverse(plan, spec.re, spec.im, frame, t * spec.bins);
    for (let i = lo; i < hi; i++) {
      y[start + i] += window[i] * frame[i];
      envelope[start + i] += window[i] * window[i];
    }
  }
  for (let n = 0; n < length; n++) y[n] /= envelope[n];
  return y;
}
