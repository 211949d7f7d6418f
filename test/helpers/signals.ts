/**
 * Seeded test signals shared by the test folders, so that a failure reproduces and every folder
 * draws the same numbers from the same seed.
 */
import { prngUniform } from '../../src/models/paramInit.js';

/** Seeded uniform numbers in [lo, hi) (mulberry32, src/models/paramInit.ts prngUniform), float64. */
export function randomF64(length: number, seed: number, lo = -1, hi = 1): Float64Array {
  const next = prngUniform(seed);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = lo + (hi - lo) * next();
  return out;
}

/** randomF64 rounded to float32 (so a float32 kernel and its float64 reference see the same input). */
export function randomF32(length: number, seed: number, lo = -1, hi = 1): Float32Array {
  const next = prngUniform(seed);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = lo + (hi - lo) * next();
  return out;
}

/**
 * Seeded uniform noise in [−1, 1) from the 32-bit LCG s ← 1664525·s + 1013904223 (mod 2³²), first
 * value from the first step, as float32. A different stream from randomF32 for the same seed.
 */
export function lcgNoise32(length: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** The arrays one after another in a new Float32Array (e.g. signal, burst, signal). */
export function concatF32(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
