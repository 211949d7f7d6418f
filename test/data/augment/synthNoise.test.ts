import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/data/prng.js';
import { rfftForward } from '../../../src/dsp/fft.js';
import { rfftPlanCached } from '../../../src/dsp/convolve.js';
import { colouredNoise, modulatedNoise } from '../../../src/data/augment/synthNoise.js';
import { signalRms } from '../../../src/data/noise.js';

/** Welch power spectrum (Hann, 1024 points, 50 % overlap): power per bin, bins 0…512. */
function welch(x: Float64Array): Float64Array {
  const n = 1024;
  const plan = rfftPlanCached(n);
  const re = new Float64Array(n / 2 + 1);
  const im = new Float64Array(n / 2 + 1);
  const p = new Float64Array(n / 2 + 1);
  const frame = new Float64Array(n);
  for (let start = 0; start + n <= x.length; start += n / 2) {
    for (let i = 0; i < n; i++) frame[i] = x[start + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
    rfftForward(plan, frame, re, im);
    for (let k = 0; k <= n / 2; k++) p[k] += re[k] * re[k] + im[k] * im[k];
  }
  return p;
}

/** Least-squares slope of 10·log10(power) against log2(f) between 200 Hz and 6 kHz: dB per octave. */
function slopeDbPerOctave(x: Float64Array): number {
  const p = welch(x);
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let k = Math.round(200 / 15.625); k <= Math.round(6000 / 15.625); k++) {
    const lx = Math.log2(k * 15.625);
    const ly = 10 * Math.log10(p[k]);
    n++; sx += lx; sy += ly; sxx += lx * lx; sxy += lx * ly;
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

describe('synthetic noises', () => {
  it('coloured noise has the drawn spectral slope (−3·α dB per octave within 0.5 dB) and unit RMS', () => {
    for (const alpha of [0, 1, 1.6, 2]) {
      const x = colouredNoise(64000, alpha, Prng.fromKey(['coloured', alpha]));
      expect(x.length).toBe(64000);
      expect(signalRms(x)).toBeCloseTo(1, 9);
      expect(Math.abs(slopeDbPerOctave(x) - -10 * Math.log10(2) * alpha)).toBeLessThan(0.5);
    }
  });

  it('modulated noise: its short-time level follows an envelope at the drawn rate (0.5–8 Hz)', () => {
    for (let k = 0; k < 6; k++) {
      const m = modulatedNoise(64000, [0, 2], [0.5, 8], Prng.fromKey(['modulated', k]));
      expect(m.modulation.rateHz >= 0.5 && m.modulation.rateHz < 8).toBe(true);
      // Envelope: RMS over 10-ms blocks; its strongest modulation frequency (0.25 Hz grid) is the rate.
      const blocks = 400;
      const env = Float64Array.from({ length: blocks }, (_, b) => signalRms(m.samples.subarray(b * 160, (b + 1) * 160)));
      const mean = env.reduce((a, v) => a + v, 0) / blocks;
      let best = 0;
      let bestHz = 0;
      for (let f = 0.25; f <= 10; f += 0.25) {
        let re = 0;
        let im = 0;
        for (let b = 0; b < blocks; b++) {
          re += (env[b] - mean) * Math.cos((2 * Math.PI * f * b) / 100);
          im += (env[b] - mean) * Math.sin((2 * Math.PI * f * b) / 100);
        }
        if (re * re + im * im > best) {
          best = re * re + im * im;
          bestHz = f;
        }
      }
      expect(Math.abs(bestHz - m.modulation.rateHz)).toBeLessThanOrEqual(0.25);
    }
  });
});
