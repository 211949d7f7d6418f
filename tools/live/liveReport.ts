/**
 * What `hushpack live` prints once a second, and its verdict on whether the real-time path keeps
 * up. Pure functions of the figures the live session collects (tools/commands/live.ts), so that the
 * wording and the thresholds are tested without an audio device.
 *
 * Sources of the figures (all cumulative since the start, differenced per second here):
 *   HushNode stats (runtime/worklet/processor.ts HopBridgeStats): per-hop compute µs p50/p99/max over
 *     the last ≤ 512 hops (5.12 s), hops, deadline misses (a hop slower than its 10 ms), overload
 *     fallbacks to the dry signal;
 *   node-web-audio-api's AudioRenderCapacity: render load (time rendering / time available, per
 *     quantum: average and peak over the second) and underrun ratio (quanta not ready in time);
 *   audio clock vs wall clock: the context's currentTime advancing slower than the wall clock means
 *     the render thread fell behind (or the device is stalled);
 *   RMS level of the input and of the output, dBFS, from analyser snapshots.
 */

/** One second (or so) of the live session. */
export interface LiveWindow {
  /** Wall-clock seconds since the start, and the audio clock (AudioContext.currentTime). */
  wallSeconds: number;
  audioSeconds: number;
  /** The same two at the previous window (0, 0 at the start). */
  wallSecondsBefore: number;
  audioSecondsBefore: number;
  /** HushNode per-hop compute time over its last ≤ 512 hops (µs); the hop budget (µs). */
  p50Us: number;
  p99Us: number;
  maxUs: number;
  budgetUs: number;
  /** Hops, misses and overloads: totals now and at the previous window. */
  hops: number;
  hopsBefore: number;
  misses: number;
  missesBefore: number;
  overloads: number;
  overloadsBefore: number;
  /** True while the overload fallback holds the output dry. */
  overloaded: boolean;
  /** AudioRenderCapacity over the window (null where the context has none): load 0…1+, underrun ratio 0…1. */
  renderLoadAverage: number | null;
  renderLoadPeak: number | null;
  underrunRatio: number | null;
  /** RMS levels (dBFS; −Infinity for digital silence) and the level normaliser's gain (dB). */
  inputDb: number;
  outputDb: number;
  levelGainDb: number;
}

/** Audio falling further behind wall time than this per second counts as not keeping up. */
export const LIVE_LAG_TOLERANCE_SECONDS = 0.05;

/** dBFS of a mean square (−Infinity at 0). */
export function dbfs(meanSquare: number): number {
  return meanSquare > 0 ? 10 * Math.log10(meanSquare) : -Infinity;
}

function fmtDb(db: number): string {
  return Number.isFinite(db) ? `${db.toFixed(1)} dBFS` : 'silent';
}

/** The per-second line. */
export function liveLine(w: LiveWindow): string {
  const newMisses = w.misses - w.missesBefore;
  const newHops = w.hops - w.hopsBefore;
  const render =
    w.renderLoadAverage === null
      ? ''
      : `  render load ${(100 * w.renderLoadAverage).toFixed(0)} % (peak ${(100 * (w.renderLoadPeak ?? 0)).toFixed(0)} %) underruns ${(100 * (w.underrunRatio ?? 0)).toFixed(1)} %`;
  const hops =
    w.hops === 0
      ? 'no hop reported yet'
      : `hop µs p50 ${w.p50Us.toFixed(0)} p99 ${w.p99Us.toFixed(0)} max ${w.maxUs.toFixed(0)} (budget ${w.budgetUs.toFixed(0)})  misses ${newMisses}/${newHops} (total ${w.misses})`;
  return (
    `${w.wallSeconds.toFixed(0).padStart(4)} s  ${hops}` +
    `${w.overloads > w.overloadsBefore || w.overloaded ? `  OVERLOAD: dry output (total ${w.overloads})` : ''}` +
    `${render}  audio−wall ${((w.audioSeconds - w.wallSeconds) * 1000).toFixed(0)} ms` +
    `  in ${fmtDb(w.inputDb)} out ${fmtDb(w.outputDb)} (level gain ${w.levelGainDb.toFixed(1)} dB)`
  );
}

/**
 * Why this window shows the real-time path not keeping up (empty when it keeps up): deadline
 * misses, overload fallbacks, render underruns, or the audio clock losing more than
 * LIVE_LAG_TOLERANCE_SECONDS on the wall clock in the window.
 */
export function liveProblems(w: LiveWindow): string[] {
  const out: string[] = [];
  const newMisses = w.misses - w.missesBefore;
  if (newMisses > 0) out.push(`${newMisses} of ${w.hops - w.hopsBefore} hops took longer than their 10 ms`);
  if (w.overloads > w.overloadsBefore) out.push(`the overload fallback switched the output to the dry input ${w.overloads - w.overloadsBefore} time(s)`);
  if (w.underrunRatio !== null && w.underrunRatio > 0) out.push(`${(100 * w.underrunRatio).toFixed(1)} % of the render quanta underran`);
  const lag = w.wallSeconds - w.wallSecondsBefore - (w.audioSeconds - w.audioSecondsBefore);
  if (lag > LIVE_LAG_TOLERANCE_SECONDS) out.push(`the audio clock lost ${(lag * 1000).toFixed(0)} ms on the wall clock`);
  return out;
}

/** The plain-words warning printed when liveProblems is not empty. */
export function liveWarning(problems: string[], w: Pick<LiveWindow, 'hops' | 'p99Us'>): string {
  const model = w.hops > 0 ? `The model needs ${w.p99Us.toFixed(0)} µs per 10-ms hop at p99; the rest is` : 'No hop has been timed yet: the time goes to';
  return (
    `hushpack live: NOT KEEPING UP IN REAL TIME: ${problems.join('; ')}. ` +
    `${model} the real-time audio path ` +
    `(node-web-audio-api runs the worklet as JavaScript on its render thread, and other processes compete ` +
    `for the CPU). Use the direct, non-worklet path instead: 'hushpack enhance --model M.hush in.wav out.wav' ` +
    `for recordings, or Enhancer.process(hop) in your own capture loop (docs/usage.md, "In Node"); ` +
    `'hushpack bench --model M.hush' shows what the model alone costs on this machine.`
  );
}
