import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/data/prng.js';
import { fftSizeAtLeast } from '../../../src/dsp/convolve.js';
import { SPEED_MARGIN_SAMPLES, speedPerturb, speedPlan } from '../../../src/data/augment/speed.js';

/** Frequency of the strongest DFT component of x within ±span Hz of `guess`, on a 0.5-Hz grid. */
function peakHz(x: Float64Array, guess: number, span: number): number {
  let best = -1;
  let bestHz = 0;
  for (let f = guess - span; f <= guess + span; f += 0.5) {
    let re = 0;
    let im = 0;
    const w = (2 * Math.PI * f) / 16000;
    for (let i = 0; i < x.length; i += 1) {
      re += x[i] * Math.cos(w * i);
      im -= x[i] * Math.sin(w * i);
    }
    if (re * re + im * im > best) {
      best = re * re + im * im;
      bestHz = f;
    }
  }
  return bestHz;
}

describe('speed perturbation', () => {
  it('moves a tone by the realised factor, keeps its amplitude, and returns the asked length', () => {
    for (const factor of [0.9, 0.95, 1.0123, 1.07, 1.1]) {
      const out = 16000; // 1 s
      const plan = speedPlan(factor, out);
      expect(Math.abs(plan.factor / factor - 1)).toBeLessThan(0.01); // snapped to a ratio of FFT sizes
      expect(plan.fullLength).toBeGreaterThanOrEqual(out + 2 * SPEED_MARGIN_SAMPLES);
      const x = new Float64Array(plan.inLength);
      for (let i = 0; i < x.length; i++) x[i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / 16000);
      const y = speedPerturb(x, plan, out);
      expect(y.length).toBe(out);
      // 440 Hz played plan.factor times faster: 440·factor (within the 0.5-Hz grid).
      expect(Math.abs(peakHz(y, 440 * plan.factor, 6) - 440 * plan.factor)).toBeLessThanOrEqual(0.5);
      let peak = 0;
      for (const v of y) peak = Math.max(peak, Math.abs(v));
      expect(peak).toBeGreaterThan(0.29); // no taper reaches into the kept part
      expect(peak).toBeLessThan(0.31);
    }
  });

  it('snaps the factor within 1 % for 4-s segments with any room lead-in, at most 10 % longer transforms', () => {
    const rng = Prng.fromKey(['speed-snap']);
    for (let k = 0; k < 300; k++) {
      const factor = rng.uniform(0.9, 1.1);
      const length = 64000 + rng.int(16000);
      const plan = speedPlan(factor, length);
      expect(Math.abs(plan.factor / factor - 1)).toBeLessThan(0.01);
      expect(plan.fullLength).toBeLessThanOrEqual(1.1 * fftSizeAtLeast(length + 2 * SPEED_MARGIN_SAMPLES));
      expect(plan.inLength).toBe(fftSizeAtLeast(plan.inLength));
    }
  });

  it('scales durations by 1/factor: a burst of 4000 input samples lasts 4000/factor output samples', () => {
    const plan = speedPlan(1.1, 32000);
    const x = new Float64Array(plan.inLength);
    const start = 5000;
    for (let i = start; i < start + 4000; i++) x[i] = Math.sin((2 * Math.PI * 1000 * i) / 16000);
    const y = speedPerturb(x, plan, 32000);
    // Samples above half the peak: the burst's extent in the output.
    const on = [...y.keys()].filter((i) => Math.abs(y[i]) > 0.5);
    const extent = on[on.length - 1] - on[0];
    expect(Math.abs(extent - 4000 / plan.factor)).toBeLessThan(30);
    expect(Math.abs(on[0] - (start / plan.factor - SPEED_MARGIN_SAMPLES))).toBeLessThan(30);
    expect(() => speedPerturb(new Float64Array(10), plan, 32000)).toThrow(/plan wants/);
  });
});
