import { describe, expect, it } from 'vitest';
import { Prng, prngKeyHash } from '../../src/data/prng.js';

describe('Prng (xoshiro128**)', () => {
  it('is a pure function of its key', () => {
    const a = Prng.fromKey([0, 'train', 17, 'speech']);
    const b = Prng.fromKey([0, 'train', 17, 'speech']);
    const xs = Array.from({ length: 100 }, () => a.u32());
    const ys = Array.from({ length: 100 }, () => b.u32());
    expect(xs).toEqual(ys);
  });

  it('gives unrelated streams for keys that differ in any part or in how parts split', () => {
    const first = (key: (string | number)[]) => Prng.fromKey(key).u32();
    const values = new Set([first([0, 'train', 1]), first([0, 'train', 2]), first([1, 'train', 1]), first([0, 'test', 1]), first(['ab', 'c']), first(['a', 'bc'])]);
    expect(values.size).toBe(6);
    expect(prngKeyHash(['ab', 'c'])).not.toEqual(prngKeyHash(['a', 'bc']));
  });

  it('matches the xoshiro128** reference output for state (1, 2, 3, 4)', () => {
    // Reference: Vigna's xoshiro128starstar.c with s = {1, 2, 3, 4}; first outputs 11520, 0, 5927040, 70819200.
    const r = new Prng([1, 2, 3, 4]);
    expect([r.u32(), r.u32(), r.u32(), r.u32()]).toEqual([11520, 0, 5927040, 70819200]);
  });

  it('draws floats in [0, 1) with the right mean, and unbiased bounded integers', () => {
    const r = Prng.fromKey(['stats']);
    let sum = 0;
    const counts = new Array(7).fill(0);
    const n = 70000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const f = r.float();
      if (!(f >= 0 && f < 1)) outside++;
      sum += f;
      counts[r.int(7)]++;
    }
    expect(outside).toBe(0);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
    for (const c of counts) expect(Math.abs(c / n - 1 / 7)).toBeLessThan(0.01);
    expect(() => r.int(0)).toThrow(RangeError);
  });

  it('draws Poisson counts with the requested mean', () => {
    const r = Prng.fromKey(['poisson']);
    let sum = 0;
    for (let i = 0; i < 20000; i++) sum += r.poisson(2);
    expect(Math.abs(sum / 20000 - 2)).toBeLessThan(0.05);
  });
});
