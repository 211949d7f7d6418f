/**
 * The single-precision P.862 FFT (src/metrics/pesq/fftFloat.ts): the WebAssembly SIMD kernel and
 * the JavaScript loop give identical bits; the transform is a DFT (checked against a float64
 * DFT); real forward/inverse round-trip.
 */
import { describe, expect, it } from 'vitest';
import { pesqFftBackend, pesqFftComplex, pesqRealFft, pesqRealIfft } from '../../src/metrics/pesq/fftFloat.js';
import { iirFilter, iirFilterJs } from '../../src/metrics/pesq/filters.js';
import { pesqRate } from '../../src/metrics/pesq/rate.js';
import { lcgNoise32 } from '../helpers/signals.js';

describe('P.862 float FFT', () => {
  it('uses the WebAssembly SIMD kernel on Node', () => {
    expect(pesqFftBackend()).toBe('wasm-simd');
  });

  for (const n of [2, 4, 8, 64, 512, 1024, 4096]) {
    it(`WebAssembly and JavaScript kernels agree bit for bit, N = ${n}`, () => {
      for (const inverse of [false, true]) {
        const a = lcgNoise32(2 * n, n + (inverse ? 7 : 0));
        const b = a.slice();
        pesqFftComplex(a, n, inverse, 'wasm-simd');
        pesqFftComplex(b, n, inverse, 'js');
        expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
      }
    });
  }

  for (const n of [256, 1024, 8192]) {
    it(`real transforms (WebAssembly) equal the complex JavaScript transform bit for bit, N = ${n}`, () => {
      const x = lcgNoise32(n, n);
      const packed = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) packed[2 * i] = x[i];
      pesqFftComplex(packed, n, false, 'js');
      const r = new Float32Array(n + 2);
      r.set(x);
      pesqRealFft(r, n);
      expect(Buffer.from(r.buffer).equals(Buffer.from(packed.buffer, 0, 4 * (n + 2)))).toBe(true);
      // Inverse: Hermitian completion of the bins, complex IFFT, real parts.
      const full = new Float32Array(2 * n);
      full.set(r.subarray(0, n + 2));
      for (let i = n / 2 + 1; i < n; i++) {
        full[2 * i] = r[2 * (n - i)];
        full[2 * i + 1] = -r[2 * (n - i) + 1];
      }
      pesqFftComplex(full, n, true, 'js');
      pesqRealIfft(r, n);
      for (let i = 0; i < n; i++) expect(r[i]).toBe(full[2 * i]);
    });
  }

  it('IIR cascade: WebAssembly and JavaScript agree bit for bit', () => {
    for (const fs of [8000, 16000]) {
      const rate = pesqRate(fs);
      for (const sos of [rate.inputIir, rate.wbInputIir]) {
        const a = lcgNoise32(20000, fs + sos.length);
        for (let i = 0; i < a.length; i++) a[i] *= 3000;
        const b = a.slice();
        iirFilter(sos, a, 100, 19000);
        iirFilterJs(sos, b, 100, 19000);
        expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
      }
    }
  });

  it('computes the DFT (within float32 rounding)', () => {
    const n = 256;
    const x = lcgNoise32(2 * n, 3);
    const y = x.slice();
    pesqFftComplex(y, n, false);
    let maxErr = 0;
    for (let k = 0; k < n; k++) {
      let re = 0;
      let im = 0;
      for (let t = 0; t < n; t++) {
        const a = (-2 * Math.PI * k * t) / n;
        re += x[2 * t] * Math.cos(a) - x[2 * t + 1] * Math.sin(a);
        im += x[2 * t] * Math.sin(a) + x[2 * t + 1] * Math.cos(a);
      }
      maxErr = Math.max(maxErr, Math.abs(re - y[2 * k]), Math.abs(im - y[2 * k + 1]));
    }
    expect(maxErr).toBeLessThan(1e-4);
  });

  it('real forward then inverse returns the signal', () => {
    const n = 1024;
    const x = lcgNoise32(n, 11);
    const y = new Float32Array(n + 2);
    y.set(x);
    pesqRealFft(y, n);
    pesqRealIfft(y, n);
    let maxErr = 0;
    for (let i = 0; i < n; i++) maxErr = Math.max(maxErr, Math.abs(y[i] - x[i]));
    expect(maxErr).toBeLessThan(1e-5);
  });
});
