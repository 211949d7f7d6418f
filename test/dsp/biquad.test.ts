import { describe, expect, it } from 'vitest';
import {
  biquadHighPass, biquadHighShelf, biquadLowPass, biquadLowShelf, biquadPeaking, biquadsApply, biquadsGainAt, butterworthQs, type Biquad,
} from '../../src/dsp/biquad.js';

const FS = 16000;

/** Gain of the cascade on a steady tone, measured by filtering 1 s and comparing RMS after the transient. */
function toneGain(sections: Biquad[], hz: number): number {
  const x = new Float64Array(FS);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin((2 * Math.PI * hz * i) / FS);
  const y = Float64Array.from(x);
  biquadsApply(sections, y);
  let ex = 0;
  let ey = 0;
  for (let i = FS / 2; i < FS; i++) {
    ex += x[i] * x[i];
    ey += y[i] * y[i];
  }
  return Math.sqrt(ey / ex);
}
const db = (g: number) => 20 * Math.log10(g);

describe('biquads (RBJ cookbook)', () => {
  it('peaking: the drawn gain at f0 and 0 dB far away, measured on tones', () => {
    for (const [f0, q, g] of [[1000, 1, 6], [300, 0.5, -6], [4000, 2, 3.5]] as const) {
      const s = [biquadPeaking(f0, q, g, FS)];
      expect(db(toneGain(s, f0))).toBeCloseTo(g, 1);
      expect(Math.abs(db(biquadsGainAt(s, 7900, FS)))).toBeLessThan(Math.abs(g) / 2);
      expect(db(biquadsGainAt(s, f0, FS))).toBeCloseTo(g, 6);
    }
  });

  it('shelves: full gain deep in the shelf, none on the other side', () => {
    expect(db(toneGain([biquadLowShelf(200, -6, FS)], 30))).toBeCloseTo(-6, 0);
    expect(Math.abs(db(toneGain([biquadLowShelf(200, -6, FS)], 4000)))).toBeLessThan(0.1);
    expect(db(toneGain([biquadHighShelf(3000, 5, FS)], 7500))).toBeCloseTo(5, 0);
    expect(Math.abs(db(toneGain([biquadHighShelf(3000, 5, FS)], 100)))).toBeLessThan(0.1);
  });

  it('Butterworth cascades: −3.01 dB at the corner, maximally flat, 6·order dB per octave', () => {
    const lp = butterworthQs(8).map((q) => biquadLowPass(2000, q, FS));
    expect(db(biquadsGainAt(lp, 2000, FS))).toBeCloseTo(-3.01, 1);
    expect(Math.abs(db(toneGain(lp, 500)))).toBeLessThan(0.01);
    expect(db(toneGain(lp, 4000))).toBeLessThan(-45); // bilinear warping makes it steeper than 48 dB
    const hp = butterworthQs(4).map((q) => biquadHighPass(300, q, FS));
    expect(db(biquadsGainAt(hp, 300, FS))).toBeCloseTo(-3.01, 1);
    expect(db(toneGain(hp, 150))).toBeLessThan(-23);
    expect(() => butterworthQs(3)).toThrow(RangeError);
    expect(() => biquadLowPass(9000, 0.7, FS)).toThrow(RangeError);
  });
});
