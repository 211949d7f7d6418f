import { describe, expect, it } from 'vitest';
import { convolveValid, fftSizeAtLeast, fftSizeNearest, resampleSpectral } from '../../src/dsp/convolve.js';
import { randomF64 } from '../helpers/signals.js';

/** Frequency (Hz at 16 kHz) of the largest DFT bin of x, by a direct DFT scan on a 1-Hz grid near `guess`. */
function peakHz(x: Float64Array, guess: number, span = 200): number {
  let best = 0;
  let bestHz = 0;
  for (let f = guess - span; f <= guess + span; f += 1) {
    let re = 0;
    let im = 0;
    const w = (2 * Math.PI * f) / 16000;
    for (let i = 0; i < x.length; i++) {
      re += x[i] * Math.cos(w * i);
      im -= x[i] * Math.sin(w * i);
    }
    const p = re * re + im * im;
    if (p > best) {
      best = p;
      bestHz = f;
    }
  }
  return bestHz;
}

describe('FFT sizes', () => {
  it('rounds up to an even length whose half is 2,3,5-smooth, and finds the nearest one', () => {
    expect(fftSizeAtLeast(64000)).toBe(64000);
    expect(fftSizeAtLeast(64001)).toBe(64800); // 32400 = 2^4·3^4·5^2
    expect(fftSizeAtLeast(7)).toBe(8);
    expect(fftSizeNearest(70400)).toBe(69984); // 34992 = 2^4·3^7; 72000 is farther
    expect(() => fftSizeAtLeast(0)).toThrow(RangeError);
  });
});

describe('convolveValid', () => {
  it('equals direct summation on the valid part, for several responses at once', () => {
    const x = randomF64(3000, 1);
    const h1 = randomF64(257, 2);
    const h2 = randomF64(40, 3);
    const [y1, y2] = convolveValid(x, [h1, h2]);
    expect(y1.length).toBe(3000 - 256);
    expect(y2.length).toBe(3000 - 256);
    let err = 0;
    for (let n = 256; n < 3000; n += 7) {
      let d1 = 0;
      let d2 = 0;
      for (let k = 0; k < h1.length; k++) d1 += h1[k] * x[n - k];
      for (let k = 0; k < h2.length; k++) d2 += h2[k] * x[n - k];
      err = Math.max(err, Math.abs(y1[n - 256] - d1), Math.abs(y2[n - 256] - d2));
    }
    expect(err).toBeLessThan(1e-11);
    expect(() => convolveValid(new Float64Array(10), [new Float64Array(11)])).toThrow(/shorter/);
  });
});

describe('resampleSpectral', () => {
  it('keeps a tone of bin k at bin k: its frequency scales by N_out/N_in, its amplitude is kept', () => {
    const nIn = 16000;
    const x = new Float64Array(nIn);
    for (let i = 0; i < nIn; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 16000); // bin 1000
    const y = resampleSpectral(x, 20000);
    expect(y.length).toBe(20000);
    let err = 0;
    for (let i = 0; i < y.length; i++) err = Math.max(err, Math.abs(y[i] - 0.5 * Math.sin((2 * Math.PI * 800 * i) / 16000)));
    expect(err).toBeLessThan(1e-9); // 1000 Hz stretched by 1.25 → 800 Hz, exactly
    expect(() => resampleSpectral(new Float64Array(14), 16)).toThrow(/FFT size/);
  });

  it('drops what would alias: a 7.5 kHz tone vanishes when the signal is sped up by 1.25', () => {
    const x = new Float64Array(20000);
    for (let i = 0; i < x.length; i++) x[i] = Math.sin((2 * Math.PI * 7500 * i) / 16000) + Math.sin((2 * Math.PI * 2000 * i) / 16000);
    const y = resampleSpectral(x, 16000);
    expect(peakHz(y, 2500, 50)).toBe(2500);
    let r = 0;
    for (let i = 0; i < y.length; i++) r += (y[i] - Math.sin((2 * Math.PI * 2500 * i) / 16000)) ** 2;
    expect(Math.sqrt(r / y.length)).toBeLessThan(1e-9);
  });
});
