// Live histogram of HushNode's per-hop compute time, from its `stats` reports.
//
// A report carries `hops` (hops timed so far) and `meanUs` over the last min(hops, H) hops, where
// H = 512 is the processor's timing history (runtime/worklet/hopTiming.ts HOP_TIMING_HISTORY). So
// the window's sum S = meanUs · min(hops, H), and between two reports
//     S' − S = (sum of the Δ = hops' − hops new hop times) − (sum of the hops that left the window);
// the ones that left were recovered earlier, which gives the sum of the new ones. The page asks for a
// report every render quantum (statsIntervalSeconds 0.002: at any context rate ≥ 16 kHz a 128-sample
// quantum completes at most one 160-sample hop), so every hop's time is recovered exactly. When a
// report does cover several hops (rates below 16 kHz), each gets their mean, and every value whose
// derivation involves such an estimate (also hops timed before the page's first report, known only
// by their mean) is flagged as an estimate; the page says how many of the plotted values are.
// Limits: Chromium's AudioWorkletGlobalScope has no performance.now, so the worklet times hops with
// Date.now (stats.clock === 'date', 1-ms steps): single hops are then 0, 1000, 2000 µs… and only the
// mean is precise. The page says so under the chart.

/** The processor's timing history (hops). */
export const HOP_HISTORY = 512;
/** Recovered hop times kept for the histogram (30 s of audio). */
const KEEP = 3000;

export class HopTimeRecovery {
  constructor() {
    this.reset();
  }

  reset() {
    this.hops = 0;
    this.sum = 0;
    /** Recovered times of the hops in the processor's current window, oldest first. */
    this.window = [];
    /** Whether each window entry is exact (a one-hop report whose evicted hops were all exact). */
    this.windowExact = [];
    /** Recent recovered hop times (µs), oldest first, at most KEEP. */
    this.recent = [];
    /** How many of `recent` are estimates rather than exact hop times. */
    this.recentEstimates = 0;
    this.recentExact = [];
    this.started = false;
  }

  /** Forgets the plotted values (e.g. after a model change), keeping what the recovery needs. */
  clearRecent() {
    this.recent = [];
    this.recentExact = [];
    this.recentEstimates = 0;
  }

  /** Feeds one stats report; returns the hop times it added and whether they are exact. */
  add(stats) {
    if (stats.hops < this.hops) this.reset(); // a new processor (model swap) restarts the count
    const n = Math.min(stats.hops, HOP_HISTORY);
    const sum = stats.meanUs * n;
    const added = [];
    let exact = true;
    if (!this.started) {
      // The hops before our first report: all we know is their mean.
      this.started = true;
      for (let i = 0; i < n; i++) {
        this.window.push(stats.meanUs);
        this.windowExact.push(n <= 1);
      }
    } else {
      const d = stats.hops - this.hops;
      if (d > 0) {
        const leftBefore = Math.max(0, this.hops - HOP_HISTORY);
        const leftNow = Math.max(0, stats.hops - HOP_HISTORY);
        const evicted = Math.min(leftNow - leftBefore, this.window.length);
        let evictedSum = 0;
        for (let i = 0; i < evicted; i++) {
          evictedSum += this.window[i];
          exact &&= this.windowExact[i];
        }
        this.window.splice(0, evicted);
        this.windowExact.splice(0, evicted);
        exact &&= d === 1;
        const est = d > HOP_HISTORY ? stats.meanUs : (sum - this.sum + evictedSum) / d;
        // An estimate may come out negative (it carries earlier estimates' errors): clamp for display.
        for (let i = 0; i < d; i++) added.push(exact ? est : Math.max(0, est));
        this.window.push(...added);
        for (let i = 0; i < d; i++) this.windowExact.push(exact);
        if (this.window.length > HOP_HISTORY) {
          this.window.splice(0, this.window.length - HOP_HISTORY);
          this.windowExact.splice(0, this.windowExact.length - HOP_HISTORY);
        }
      }
    }
    this.hops = stats.hops;
    this.sum = sum;
    for (const v of added) {
      this.recent.push(v);
      this.recentExact.push(exact);
      if (!exact) this.recentEstimates++;
    }
    if (this.recent.length > KEEP) {
      const drop = this.recent.length - KEEP;
      for (let i = 0; i < drop; i++) if (!this.recentExact[i]) this.recentEstimates--;
      this.recent.splice(0, drop);
      this.recentExact.splice(0, drop);
    }
    return { values: added, exact };
  }
}

/** Nearest-rank percentile of unsorted values. */
function percentile(values, p) {
  if (values.length === 0) return 0;
  const s = Float64Array.from(values).sort();
  return s[Math.max(0, Math.ceil(p * s.length) - 1)];
}

/**
 * Draws a histogram of `values` (µs) on `canvas`: 30 bins from 0 to 1.3 × p99 (slower hops in the
 * last bin; at least one clock step wide), with the p50 / p99 marked.
 * @param {HTMLCanvasElement} canvas
 * @param {number[]} values
 * @param {{ stepUs?: number }} [opts] clock resolution (1000 for a Date.now clock)
 */
export function drawHopHistogram(canvas, values, opts = {}) {
  const g = canvas.getContext('2d');
  const { width, height } = canvas;
  const pad = { l: 40, r: 10, t: 8, b: 28 };
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  g.clearRect(0, 0, width, height);
  g.font = '11px system-ui, sans-serif';
  g.fillStyle = '#555';
  if (values.length === 0) {
    g.fillText('waiting for statistics…', pad.l, pad.t + h / 2);
    return;
  }
  const bins = 30;
  const p50 = percentile(values, 0.5);
  const p99 = percentile(values, 0.99);
  const step = opts.stepUs ?? 0;
  const top = Math.max(1.3 * p99, step * 3, 50);
  const counts = new Array(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v / top) * bins))]++;
  const maxC = Math.max(...counts);
  g.fillStyle = '#4a6fa5';
  counts.forEach((c, k) => {
    if (c === 0) return;
    const bh = (c / maxC) * h;
    g.fillRect(pad.l + (k * w) / bins + 0.5, pad.t + h - bh, Math.max(1, w / bins - 1), bh);
  });
  g.strokeStyle = '#333';
  g.beginPath();
  g.moveTo(pad.l, pad.t + h + 0.5);
  g.lineTo(pad.l + w, pad.t + h + 0.5);
  g.stroke();
  g.fillStyle = '#333';
  g.textAlign = 'center';
  for (let k = 0; k <= 4; k++) g.fillText(`${Math.round((top * k) / 4)}`, pad.l + (w * k) / 4, pad.t + h + 13);
  g.fillText('µs per 10-ms hop', pad.l + w / 2, height - 2);
  g.textAlign = 'right';
  g.fillText(String(maxC), pad.l - 4, pad.t + 9);
  g.fillText('hops', pad.l - 4, pad.t + h / 2);
  g.textAlign = 'left';
  for (const [v, label, colour, dy] of [[p50, 'p50', '#2a9d4b', 12], [p99, 'p99', '#d9822b', 26]]) {
    const x = pad.l + Math.min(1, v / top) * w;
    g.strokeStyle = colour;
    g.setLineDash([4, 3]);
    g.beginPath();
    g.moveTo(x + 0.5, pad.t);
    g.lineTo(x + 0.5, pad.t + h);
    g.stroke();
    g.setLineDash([]);
    g.fillStyle = colour;
    g.fillText(`${label} ${Math.round(v)} µs`, Math.min(x + 3, pad.l + w - 70), pad.t + dy);
  }
}
