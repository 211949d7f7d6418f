/**
 * STOI's resampler (pystoi resample_oct): filter design as Octave's resample, output length and
 * alignment as scipy's resample_poly; the WebAssembly two-signal kernel agrees with the
 * JavaScript loop to round-off.
 */
import { describe, expect, it } from 'vitest';
import { resampleOct, resampleOctFilter, resampleOctMany } from '../../src/metrics/resampleOct.js';

describe('resampleOct', () => {
  it('designs the 581-tap, unit-sum Kaiser filter of 16 kHz → 10 kHz', () => {
    const h = resampleOctFilter(10000, 16000);
    expect(h.length).toBe(2 * 290 + 1);
    expect(h.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    for (let i = 0; i < h.length; i++) expect(h[i]).toBeCloseTo(h[h.length - 1 - i], 15);
  });

  it('keeps a low tone and its length ⌈n·up/down⌉', () => {
    const n = 16000;
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * 440 * i) / 16000));
    const y = resampleOct(x, 16000, 10000);
    expect(y.length).toBe(10000);
    let err = 0;
    for (let i = 1000; i < 9000; i++) err = Math.max(err, Math.abs(y[i] - Math.sin((2 * Math.PI * 440 * i) / 10000)));
    expect(err).toBeLessThan(2e-3);
  });

  it('two-signal kernel equals the one-signal loop to 1e-12', () => {
    for (const [from, to] of [[16000, 10000], [8000, 10000], [44100, 10000]]) {
      const n = 7777;
      const a = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.05) + 0.3 * Math.sin(i * 1.7));
      const b = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 0.11));
      const [ya, yb] = resampleOctMany([a, b], from, to);
      const ra = resampleOct(a, from, to);
      const rb = resampleOct(b, from, to);
      expect(ya.length).toBe(Math.ceil((n * to) / from));
      for (let i = 0; i < ya.length; i++) {
        expect(Math.abs(ya[i] - ra[i])).toBeLessThan(1e-12);
        expect(Math.abs(yb[i] - rb[i])).toBeLessThan(1e-12);
      }
    }
  });
});
