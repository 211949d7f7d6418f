import { describe, expect, it } from 'vitest';
import { fftFactorize, fftForward, fftInverse, fftPlanCreate, rfftForward, rfftInverse, rfftPlanCreate } from '../../src/dsp/fft.js';
import { maxRelError, naiveDft } from './reference.js';
import { randomF64 } from '../helpers/signals.js';

/** Relative error of two complex vectors: max |a − b| / max |b| over both parts. */
function complexRelError(aRe: ArrayLike<number>, aIm: ArrayLike<number>, bRe: ArrayLike<number>, bIm: ArrayLike<number>): number {
  let err = 0, peak = 0;
  for (let i = 0; i < bRe.length; i++) {
    err = Math.max(err, Math.hypot(aRe[i] - bRe[i], aIm[i] - bIm[i]));
    peak = Math.max(peak, Math.hypot(bRe[i], bIm[i]));
  }
  return err / peak;
}

describe('fft (float64 reference)', () => {
  it('factorises 320-point real = 160-point complex as 4·4·2·5', () => {
    expect(fftFactorize(160)).toEqual([4, 4, 2, 5]);
    expect(() => fftFactorize(7 * 16)).toThrow(RangeError);
  });

  it.each([1, 2, 3, 4, 5, 6, 12, 15, 45, 60, 160, 320, 360])('complex %i-point forward/inverse vs naive DFT ≤ 1e-12', (n) => {
    const plan = fftPlanCreate(n);
    const xr = randomF64(n, n), xi = randomF64(n, n + 1000);
    const ref = naiveDft(xr, xi);
    const re = xr.slice(), im = xi.slice();
    fftForward(plan, re, im);
    expect(complexRelError(re, im, ref.re, ref.im)).toBeLessThanOrEqual(1e-12);
    fftInverse(plan, re, im);
    expect(complexRelError(re, im, xr, xi)).toBeLessThanOrEqual(1e-12);
  });

  it.each([320, 2, 10, 24, 90])('real %i-point forward vs naive DFT and inverse ≤ 1e-12', (n) => {
    const plan = rfftPlanCreate(n);
    const x = randomF64(n, 7 * n);
    const ref = naiveDft(x, new Float64Array(n));
    const re = new Float64Array(n / 2 + 1), im = new Float64Array(n / 2 + 1);
    rfftForward(plan, x, re, im);
    expect(complexRelError(re, im, ref.re.subarray(0, n / 2 + 1), ref.im.subarray(0, n / 2 + 1))).toBeLessThanOrEqual(1e-12);
    expect(im[0]).toBe(0);
    expect(im[n / 2]).toBe(0);
    const back = new Float64Array(n);
    rfftInverse(plan, re, im, back);
    expect(maxRelError(back, x)).toBeLessThanOrEqual(1e-12);
  });

  it('real inverse ignores Im of DC and Nyquist (Hermitian, as torch.fft.irfft)', () => {
    const plan = rfftPlanCreate(320);
    const x = randomF64(320, 3);
    const re = new Float64Array(161), im = new Float64Array(161);
    rfftForward(plan, x, re, im);
    im[0] = 5;
    im[160] = -2;
    const back = new Float64Array(320);
    rfftInverse(plan, re, im, back);
    expect(maxRelError(back, x)).toBeLessThanOrEqual(1e-12);
  });
});
