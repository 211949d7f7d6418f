import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/data/prng.js';
import { biquadsGainAt } from '../../../src/dsp/biquad.js';
import { colourationApply, colourationDraw, colourationSections, eqDraw, telephoneFilters } from '../../../src/data/augment/colour.js';

const db = (g: number) => 20 * Math.log10(g);

describe('microphone / telephone colouration', () => {
  it('random EQs stay within ±eqGainDb·(sections that overlap) and differ between draws', () => {
    const grid = Array.from({ length: 60 }, (_, i) => 60 * 1.09 ** i).filter((f) => f < 7900);
    const curves: number[][] = [];
    for (let k = 0; k < 20; k++) {
      const filters = eqDraw(Prng.fromKey(['eq', k]), 6);
      const gainsDb = filters.map((f) => f.gainDb);
      const sections = colourationSections({ eqGainsDb: gainsDb, telephone: false, filters });
      expect(gainsDb.length).toBe(sections.length);
      expect(sections.length).toBeGreaterThanOrEqual(3); // two shelves + 1–3 peaks
      for (const g of gainsDb) expect(Math.abs(g)).toBeLessThanOrEqual(6);
      const curve = grid.map((f) => db(biquadsGainAt(sections, f, 16000)));
      // Each section is within ±6 dB everywhere; at most 5 sections can overlap.
      for (const v of curve) expect(Math.abs(v)).toBeLessThanOrEqual(6 * sections.length);
      curves.push(curve);
    }
    // The curves are not all alike: the spread at 1 kHz over 20 draws exceeds 4 dB.
    const at1k = curves.map((c) => c[grid.findIndex((f) => f >= 1000)]);
    expect(Math.max(...at1k) - Math.min(...at1k)).toBeGreaterThan(4);
  });

  it('the telephone band passes 300–3400 Hz and removes what is outside it', () => {
    const tel = colourationSections({ eqGainsDb: [], telephone: true, filters: telephoneFilters() });
    for (const f of [500, 1000, 2000, 3000]) expect(Math.abs(db(biquadsGainAt(tel, f, 16000)))).toBeLessThan(1);
    expect(db(biquadsGainAt(tel, 300, 16000))).toBeCloseTo(-3, 0);
    expect(db(biquadsGainAt(tel, 3400, 16000))).toBeCloseTo(-3, 0);
    expect(db(biquadsGainAt(tel, 100, 16000))).toBeLessThan(-35);
    expect(db(biquadsGainAt(tel, 6000, 16000))).toBeLessThan(-35);
  });

  it('is drawn with the given probabilities and filters every signal it is given alike', () => {
    let eqs = 0;
    let tels = 0;
    for (let k = 0; k < 200; k++) {
      const c = colourationDraw(Prng.fromKey(['colour-p', k]), 0.5, 6, 0.1);
      if (c.eqGainsDb.length > 0) eqs++;
      if (c.telephone) tels++;
    }
    expect(eqs).toBeGreaterThan(70);
    expect(eqs).toBeLessThan(130);
    expect(tels).toBeGreaterThan(5);
    expect(tels).toBeLessThan(40);
    const none = colourationDraw(Prng.fromKey(['x']), 0, 6, 0);
    expect(none.filters).toEqual([]);
    const c = colourationDraw(Prng.fromKey(['colour-lin']), 1, 6, 1);
    const a = Float64Array.from({ length: 4000 }, (_, i) => Math.sin(i / 7));
    const b = Float64Array.from({ length: 4000 }, (_, i) => Math.cos(i / 3));
    const sum = Float64Array.from(a, (v, i) => v + b[i]);
    colourationApply(c, [a, b, sum]);
    // Linear and identical for all: colour(a) + colour(b) = colour(a + b).
    for (let i = 0; i < 4000; i += 13) expect(Math.abs(a[i] + b[i] - sum[i])).toBeLessThan(1e-12);
  });

  it('at a frequency scale, every corner moves by it (what the mixer uses before a speed perturbation)', () => {
    const c = colourationDraw(Prng.fromKey(['colour-scale']), 1, 6, 1);
    const at1 = colourationSections(c, 1);
    const at09 = colourationSections(c, 1 / 1.1);
    // |H_scaled(f / 1.1)| = |H(f)| up to the bilinear warping (small below 4 kHz).
    for (const f of [200, 500, 1000, 2000, 3000, 3400]) {
      expect(Math.abs(db(biquadsGainAt(at09, f / 1.1, 16000)) - db(biquadsGainAt(at1, f, 16000)))).toBeLessThan(0.6);
    }
  });
});
