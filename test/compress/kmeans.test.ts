/**
 * k-means quantisation (src/compress/kmeans.ts): at most K distinct nonzero values, linear
 * initialisation, Lloyd fixed point, determinism; eq. 11 bookkeeping (src/compress/rate.ts).
 */
import { describe, expect, it } from 'vitest';
import { kmeansFit, kmeansQuantize } from '../../src/compress/kmeans.js';
import { eq11TensorRate } from '../../src/format/rate.js';

function gaussianish(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const u = () => ((s = (s * 1664525 + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  return Float32Array.from({ length: n }, () => (u() + u() + u() + u() - 2) * 0.1);
}

describe('kmeansFit', () => {
  it('finds well separated clusters exactly', () => {
    const v = [1, 1.1, 0.9, 5, 5.2, 4.8, -3, -3.1, -2.9];
    const r = kmeansFit(v, 3);
    expect(Array.from(r.centroids)).toEqual([Math.fround(-3), Math.fround(1), Math.fround(5)]);
    expect(Array.from(r.assignment)).toEqual([1, 1, 1, 2, 2, 2, 0, 0, 0]);
  });
  it('is a Lloyd fixed point: every value is nearest to its centroid, every centroid the mean of its cluster', () => {
    const v = gaussianish(5000, 3);
    for (const k of [1, 2, 4, 16, 64]) {
      const r = kmeansFit(v, k);
      expect(r.centroids.length).toBeLessThanOrEqual(k);
      let worst = 0; // how much closer some other centroid is than the assigned one
      for (let i = 0; i < v.length; i++) {
        const d = Math.abs(v[i] - r.centroids[r.assignment[i]]);
        for (const c of r.centroids) worst = Math.max(worst, d - Math.abs(v[i] - c));
      }
      expect(worst).toBeLessThanOrEqual(1e-6);
      const sums = new Float64Array(r.centroids.length);
      const counts = new Float64Array(r.centroids.length);
      v.forEach((x, i) => {
        sums[r.assignment[i]] += x;
        counts[r.assignment[i]]++;
      });
      r.centroids.forEach((c, j) => expect(c).toBeCloseTo(sums[j] / counts[j], 6));
    }
  });
  it('K = 1 gives the mean; K ≥ distinct values reproduces them', () => {
    const r1 = kmeansFit([1, 2, 3, 6], 1);
    expect(Array.from(r1.centroids)).toEqual([3]);
    const r = kmeansFit([0.5, -0.25, 0.5, 2], 8);
    expect(Array.from(r.centroids)).toEqual([-0.25, 0.5, 2]);
    expect(r.inertia).toBe(0);
  });
  it('is deterministic and independent of input order', () => {
    const v = gaussianish(3000, 9);
    const a = kmeansFit(v, 16);
    const rev = Float32Array.from(v).reverse();
    const b = kmeansFit(rev, 16);
    expect(Array.from(a.centroids)).toEqual(Array.from(b.centroids));
    expect(Array.from(kmeansFit(v, 16).assignment)).toEqual(Array.from(a.assignment));
  });
});

describe('kmeansQuantize', () => {
  it('holds at most K distinct nonzero values and keeps pruned weights at 0', () => {
    const v = gaussianish(4000, 1);
    const mask = Uint8Array.from(v, (_, i) => (i % 3 === 0 ? 0 : 1));
    for (const k of [1, 2, 4, 8, 32]) {
      const q = kmeansQuantize(v, k, mask);
      const distinct = new Set<number>();
      for (let i = 0; i < v.length; i++) {
        if (!mask[i]) expect(q.values[i]).toBe(0);
        else distinct.add(q.values[i]);
      }
      expect(distinct.size).toBeLessThanOrEqual(k);
      expect(q.codebook.length).toBe(distinct.size);
      q.positions.forEach((p, i) => expect(q.values[p]).toBe(q.codebook[q.indices[i]]));
    }
  });
  it('an all-pruned tensor has an empty codebook', () => {
    const q = kmeansQuantize(new Float32Array(4), 4, new Uint8Array(4));
    expect(q.codebook.length).toBe(0);
    expect(q.indices.length).toBe(0);
  });
});

describe('eq. 11', () => {
  it('r = 32N / (N log2 K + 32K)', () => {
    expect(eq11TensorRate(1000, 16)).toBeCloseTo(32000 / (4000 + 512), 12);
    expect(eq11TensorRate(1000, 1)).toBeCloseTo(32000 / 32, 12);
  });
});
