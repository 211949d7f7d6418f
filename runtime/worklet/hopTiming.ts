/**
 * Per-hop compute-time bookkeeping of the hop bridge: a history for the statistics (mean, p50,
 * p99, max over the last HOP_TIMING_HISTORY hops) and a sliding window for overload detection.
 * Browser-free; allocation-free per hop (summary() allocates its result object only).
 */

/** Hops kept for the statistics (5.12 s of audio at 10 ms per hop). */
export const HOP_TIMING_HISTORY = 512;

/** Statistics of the processor's per-hop compute time. Times in microseconds. */
export interface HopTimingSummary {
  /** Hops timed since creation. */
  hops: number;
  /** Mean / median / 99th percentile / max compute time over the last ≤ 512 hops (0 when none). */
  meanUs: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  /** Hops since creation whose compute time exceeded the hop's real-time duration (10 ms). */
  misses: number;
}

/** Ring of recent hop times plus a sliding window (mean and misses) for the overload monitor. */
export class HopTimings {
  private readonly history = new Float64Array(HOP_TIMING_HISTORY);
  private readonly sorted = new Float64Array(HOP_TIMING_HISTORY);
  private readonly window: Float64Array;
  private windowCount = 0;
  private windowNext = 0;
  private windowSum = 0;
  private windowMissCount = 0;
  private hopCount = 0;
  private missCount = 0;

  /**
   * @param windowHops   hops in the overload window
   * @param hopDurationUs real-time duration of one hop (10 000 µs); a hop slower than this is a miss
   */
  constructor(windowHops: number, readonly hopDurationUs: number) {
    if (!Number.isInteger(windowHops) || windowHops < 1) throw new RangeError(`HopTimings: windowHops must be a positive integer, got ${windowHops}`);
    this.window = new Float64Array(windowHops);
  }

  /** Records one hop's compute time (µs). */
  record(us: number): void {
    this.history[this.hopCount % HOP_TIMING_HISTORY] = us;
    this.hopCount++;
    const miss = us > this.hopDurationUs;
    if (miss) this.missCount++;
    if (this.windowCount === this.window.length) {
      const old = this.window[this.windowNext];
      this.windowSum -= old;
      if (old > this.hopDurationUs) this.windowMissCount--;
    } else {
      this.windowCount++;
    }
    this.window[this.windowNext] = us;
    this.windowNext = (this.windowNext + 1) % this.window.length;
    this.windowSum += us;
    if (miss) this.windowMissCount++;
  }

  /** True when the window holds windowHops hops recorded since the last clearWindow(). */
  get windowFull(): boolean {
    return this.windowCount === this.window.length;
  }

  /** Mean compute time over the window (µs; 0 when empty). */
  get windowMeanUs(): number {
    return this.windowCount === 0 ? 0 : this.windowSum / this.windowCount;
  }

  /** Misses within the window. */
  get windowMisses(): number {
    return this.windowMissCount;
  }

  /** Empties the overload window (the history and totals stay). */
  clearWindow(): void {
    this.windowCount = 0;
    this.windowNext = 0;
    this.windowSum = 0;
    this.windowMissCount = 0;
  }

  /** Statistics over the history (sorts a preallocated copy). */
  summary(): HopTimingSummary {
    const n = Math.min(this.hopCount, HOP_TIMING_HISTORY);
    if (n === 0) return { hops: 0, meanUs: 0, p50Us: 0, p99Us: 0, maxUs: 0, misses: this.missCount };
    let sum = 0;
    for (let i = 0; i < n; i++) {
      this.sorted[i] = this.history[i];
      sum += this.history[i];
    }
    for (let i = n; i < HOP_TIMING_HISTORY; i++) this.sorted[i] = Infinity;
    this.sorted.sort();
    // Nearest-rank percentiles: the ⌈p·n⌉-th smallest.
    const rank = (p: number): number => this.sorted[Math.max(0, Math.ceil(p * n) - 1)];
    return { hops: this.hopCount, meanUs: sum / n, p50Us: rank(0.5), p99Us: rank(0.99), maxUs: this.sorted[n - 1], misses: this.missCount };
  }
}
