import { describe, expect, it } from 'vitest';
import { f16FromF32, f32FromF16, f16Round } from '../../src/format/f16.js';

describe('f16', () => {
  it('every finite f16 widens and narrows back to itself', () => {
    for (let h = 0; h < 0x10000; h++) {
      const x = f32FromF16(h);
      if (Number.isNaN(x)) continue;
      expect(f16FromF32(x)).toBe(h);
    }
  });
  it('known values', () => {
    expect(f32FromF16(0x3c00)).toBe(1);
    expect(f32FromF16(0xc000)).toBe(-2);
    expect(f32FromF16(0x7bff)).toBe(65504);
    expect(f32FromF16(0x0001)).toBe(2 ** -24);
    expect(f32FromF16(0x7c00)).toBe(Infinity);
    expect(Number.isNaN(f32FromF16(0x7e00))).toBe(true);
    expect(f16FromF32(65520)).toBe(0x7c00); // rounds up to inf
    expect(f16FromF32(65519)).toBe(0x7bff);
    expect(f16FromF32(2 ** -25)).toBe(0); // halfway to the smallest subnormal: ties to even (0)
    expect(f16FromF32(1.5 * 2 ** -25)).toBe(1);
    expect(f16Round(1 + 2 ** -11)).toBe(1); // tie → even
    expect(f16Round(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9);
  });
  it('rounds to nearest (checked against exhaustive neighbours)', () => {
    let seed = 1;
    for (let i = 0; i < 20000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const x = Math.fround(((seed / 2 ** 32) - 0.5) * 2 ** ((i % 40) - 25));
      const h = f16FromF32(x);
      const y = f32FromF16(h);
      // neighbours of h are not closer
      for (const n of [h - 1, h + 1]) {
        if ((n & 0x7fff) > 0x7bff || n < 0) continue;
        expect(Math.abs(f32FromF16(n) - x)).toBeGreaterThanOrEqual(Math.abs(y - x));
      }
    }
  });
});
