import { describe, expect, it } from 'vitest';
import { StreamingResampler, resamplerPlanCreate } from '../../src/dsp/resample.js';
import { quantumPlanCreate, resamplerReadyCount } from '../../runtime/worklet/quantumPlan.js';
import { DelayLine, SampleFifo } from '../../runtime/worklet/sampleRing.js';
import { randomF32 } from '../helpers/signals.js';

describe('resamplerReadyCount', () => {
  it.each([[48000, 16000], [16000, 48000], [44100, 16000], [16000, 44100], [22050, 16000], [8000, 16000], [16000, 8000], [16000, 16000]])(
    'matches StreamingResampler.available() for %i → %i',
    (from, to) => {
      const plan = resamplerPlanCreate(from, to);
      const r = new StreamingResampler(from, to);
      const sizes = randomF32(200, from + to);
      let pushed = 0;
      for (const s of sizes) {
        const n = 1 + Math.floor((s + 1) * 100);
        r.push(new Float32Array(n));
        pushed += n;
        expect(resamplerReadyCount(plan, pushed)).toBe(r.available());
      }
    },
  );
});

describe('quantumPlanCreate', () => {
  it('primes 128 samples at 16 kHz (128·(k+1) mod 160 reaches 128)', () => {
    const p = quantumPlanCreate(16000);
    expect(p.primingSamples).toBe(128);
    expect(p.inputResampler).toBeNull();
    expect(p.periodQuanta).toBe(5);
  });

  it.each([8000, 22050, 32000, 44100, 48000, 96000])('priming at %i Hz is minimal and periodic', (fs) => {
    const p = quantumPlanCreate(fs);
    const pIn = p.inputResampler!;
    const pOut = p.outputResampler!;
    // Walk three periods: the shortfall never exceeds P, and reaches it (so P − 1 would underrun).
    let worst = 0;
    for (let k = 0; k < 3 * p.periodQuanta + 200; k++) {
      const n = 128 * (k + 1);
      const m = 160 * Math.floor(resamplerReadyCount(pIn, n) / 160);
      worst = Math.max(worst, n - resamplerReadyCount(pOut, m));
    }
    expect(worst).toBe(p.primingSamples);
    // The buffering is at least the two resampler lookaheads, and at most those plus a hop and a quantum.
    const lookahead = pIn.radius + (pOut.radius * fs) / 16000;
    expect(p.primingSamples).toBeGreaterThanOrEqual(lookahead);
    expect(p.primingSamples).toBeLessThanOrEqual(lookahead + (160 * fs) / 16000 + 128 + 2);
  });

  it('rejects rates the resampler cannot reach from 16 kHz', () => {
    expect(() => quantumPlanCreate(44101)).toThrow(/phases/);
  });
});

describe('SampleFifo / DelayLine', () => {
  it('FIFO keeps order across wrap-around and refuses over/underrun', () => {
    const f = new SampleFifo(10); // rounds to 16
    const out = new Float32Array(7);
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 20; round++) {
      f.write(Float32Array.from({ length: 9 }, () => next++), 9);
      f.read(out, 7);
      for (const v of out) expect(v).toBe(expected++);
      f.read(out, 2);
      expected += 2;
    }
    expect(() => f.read(out, 1)).toThrow(/underrun/);
    expect(() => f.writeZeros(17)).toThrow(/overflow/);
  });

  it('DelayLine reads the block written n samples ago, keeps history when grown', () => {
    const d = new DelayLine(5, 4);
    const out = new Float32Array(4);
    let t = 0;
    const write = (): void => d.write(Float32Array.from({ length: 4 }, () => t++), 4);
    write();
    d.read(out, 4, 3);
    expect([...out]).toEqual([0, 0, 0, 0]); // times −3 … 0 → zeros before 0, then x[0] = 0
    write();
    write();
    d.read(out, 4, 3);
    expect([...out]).toEqual([5, 6, 7, 8]);
    d.ensureDelay(40);
    expect(d.maxDelaySamples).toBeGreaterThanOrEqual(40);
    d.read(out, 4, 6);
    expect([...out]).toEqual([2, 3, 4, 5]);
  });
});
