import { describe, expect, it } from 'vitest';
import { FFT_SIZE, HOP_SAMPLES, NUM_BINS, WINDOW_SAMPLES } from '../../src/dsp/constants.js';
import { frameCount, frameSignal, overlapAdd } from '../../src/dsp/framing.js';
import { spectrumApplyGain, spectrumFromPolar, spectrumMagnitude, spectrumPhase } from '../../src/dsp/spectrum.js';
import { stftAnalyze, stftSynthesize } from '../../src/dsp/stft.js';
import { hammingWindow } from '../../src/dsp/window.js';
import { maxRelError, naiveDft } from './reference.js';
import { randomF64 } from '../helpers/signals.js';

describe('window', () => {
  it('is the periodic Hamming window (torch.hamming_window(320) default) with constant 50 % overlap sum', () => {
    const w = hammingWindow();
    expect(w.length).toBe(WINDOW_SAMPLES);
    expect(w[0]).toBeCloseTo(0.08, 15);
    expect(w[160]).toBeCloseTo(1, 15);
    expect(w[80]).toBeCloseTo(0.54, 15);
    for (let n = 0; n < HOP_SAMPLES; n++) expect(w[n] + w[n + HOP_SAMPLES]).toBeCloseTo(1.08, 14);
  });
});

describe('framing (TCNN)', () => {
  it('frame t holds x[160t − 160, 160t + 160) with zeros outside', () => {
    const x = Float64Array.from({ length: 500 }, (_, i) => i + 1);
    const { frames, data } = frameSignal(x);
    expect(frames).toBe(frameCount(500));
    expect(frames).toBe(Math.ceil(500 / 160) + 1);
    expect(Array.from(data.subarray(0, 160)).every((v) => v === 0)).toBe(true);
    expect(data[160]).toBe(1); // frame 0, second half = hop 0
    expect(data[320]).toBe(1); // frame 1 starts at sample 0
    expect(data[3 * 320 + 160 + 19]).toBe(500); // frame 3 holds x[320, 640)
    expect(data[3 * 320 + 160 + 20]).toBe(0);
  });

  it('overlapAdd(frameSignal(x)) == x exactly for several lengths', () => {
    for (const len of [1, 159, 160, 161, 1000, 16000]) {
      const x = randomF64(len, len);
      const { frames, data } = frameSignal(x);
      expect(overlapAdd(data, frames, len)).toEqual(x);
      expect(overlapAdd(data, frames).length).toBe((frames - 1) * 160);
    }
    expect(frameCount(0)).toBe(0);
  });
});

describe('stft (float64 reference)', () => {
  it('frame t is the DFT of the Hamming-windowed x[160t − 160, 160t + 160) (naive DFT, ≤ 1e-12)', () => {
    const x = randomF64(1234, 11);
    const spec = stftAnalyze(x);
    expect(spec.frames).toBe(Math.ceil(1234 / 160) + 1);
    const w = hammingWindow();
    for (const t of [0, 1, 4, spec.frames - 1]) {
      const frame = new Float64Array(FFT_SIZE);
      for (let i = 0; i < 320; i++) {
        const n = t * 160 - 160 + i;
        frame[i] = n >= 0 && n < x.length ? x[n] * w[i] : 0;
      }
      const ref = naiveDft(frame, new Float64Array(FFT_SIZE));
      const got = spec.re.subarray(t * NUM_BINS, (t + 1) * NUM_BINS);
      expect(maxRelError(got, ref.re.subarray(0, NUM_BINS))).toBeLessThanOrEqual(1e-12);
      expect(maxRelError(spec.im.subarray(t * NUM_BINS, (t + 1) * NUM_BINS), ref.im.subarray(0, NUM_BINS))).toBeLessThanOrEqual(1e-12);
    }
  });

  it('synthesize(analyze(x)) == x to ≤ 1e-9 relative over the whole signal', () => {
    for (const len of [1, 160, 317, 16000, 64000]) {
      const x = randomF64(len, 100 + len);
      const spec = stftAnalyze(x);
      const y = stftSynthesize(spec.re, spec.im, spec.frames, len);
      expect(y.length).toBe(len);
      expect(maxRelError(y, x)).toBeLessThanOrEqual(1e-9);
      // The default length covers x (and a zero tail up to the next hop boundary).
      const full = stftSynthesize(spec.re, spec.im, spec.frames);
      expect(full.length).toBe(Math.ceil(len / 160) * 160);
      expect(maxRelError(full.subarray(0, len), x)).toBeLessThanOrEqual(1e-9);
    }
  });

  it('accepts Float32Array input and rejects a length beyond the frames', () => {
    const x32 = Float32Array.from(randomF64(800, 5));
    const spec = stftAnalyze(x32);
    expect(maxRelError(stftSynthesize(spec.re, spec.im, spec.frames, 800), x32)).toBeLessThanOrEqual(1e-9);
    expect(() => stftSynthesize(spec.re, spec.im, spec.frames, spec.frames * 160 + 1)).toThrow(RangeError);
  });

  it('magnitude/phase helpers round-trip and gain keeps the phase', () => {
    const spec = stftAnalyze(randomF64(640, 9));
    const mag = spectrumMagnitude(spec.re, spec.im);
    const phase = spectrumPhase(spec.re, spec.im);
    const back = spectrumFromPolar(mag, phase);
    expect(maxRelError(back.re, spec.re)).toBeLessThanOrEqual(1e-14);
    expect(maxRelError(back.im, spec.im)).toBeLessThanOrEqual(1e-14);
    const gain = new Float64Array(mag.length).fill(0.5);
    const half = spectrumApplyGain(spec.re, spec.im, gain);
    expect(maxRelError(spectrumPhase(half.re, half.im), phase)).toBeLessThanOrEqual(1e-14);
  });
});
