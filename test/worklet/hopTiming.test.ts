import { describe, expect, it } from 'vitest';
import { HOP_TIMING_HISTORY, HopTimings } from '../../runtime/worklet/hopTiming.js';

describe('HopTimings', () => {
  it('reports nearest-rank percentiles, mean and max over the history', () => {
    const t = new HopTimings(10, 10_000);
    expect(t.summary()).toEqual({ hops: 0, meanUs: 0, p50Us: 0, p99Us: 0, maxUs: 0, misses: 0 });
    for (let i = 100; i >= 1; i--) t.record(i); // 1 … 100 µs in reverse order
    expect(t.summary()).toEqual({ hops: 100, meanUs: 50.5, p50Us: 50, p99Us: 99, maxUs: 100, misses: 0 });
  });

  it('keeps only the last HOP_TIMING_HISTORY hops for the statistics, all of them in the totals', () => {
    const t = new HopTimings(10, 10_000);
    for (let i = 0; i < HOP_TIMING_HISTORY; i++) t.record(20_000); // all misses
    for (let i = 0; i < HOP_TIMING_HISTORY; i++) t.record(5);
    expect(t.summary()).toMatchObject({ hops: 2 * HOP_TIMING_HISTORY, meanUs: 5, maxUs: 5, misses: HOP_TIMING_HISTORY });
  });

  it('slides the overload window: mean and misses of the last windowHops only', () => {
    const t = new HopTimings(4, 10_000);
    t.record(11_000);
    t.record(1_000);
    expect(t.windowFull).toBe(false);
    expect(t.windowMisses).toBe(1);
    t.record(1_000);
    t.record(3_000);
    expect(t.windowFull).toBe(true);
    expect(t.windowMeanUs).toBe(4_000);
    t.record(1_000); // pushes the miss out
    expect(t.windowMisses).toBe(0);
    expect(t.windowMeanUs).toBe(1_500);
    t.clearWindow();
    expect(t.windowFull).toBe(false);
    expect(t.windowMeanUs).toBe(0);
    expect(t.summary().misses).toBe(1);
  });
});
