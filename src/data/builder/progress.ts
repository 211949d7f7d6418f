/**
 * Progress reporting for long data jobs: a cli-progress bar on stderr (on a terminal it redraws
 * in place; redirected to a log it prints a line every 10 s), plus plain log lines. Quiet mode
 * (tests, `--json` consumers that want a silent stderr) drops both.
 */
import cliProgress from 'cli-progress';

/** One stage's progress. */
export interface ProgressBar {
  increment(n?: number): void;
  stop(): void;
}

/** Where a job reports to. */
export interface ProgressSink {
  log(msg: string): void;
  bar(label: string, total: number): ProgressBar;
  /** Stops every bar still running (their redraw timers would keep Node alive after an error). */
  close(): void;
}

/** A sink writing to stderr (`quiet`: a sink that says nothing). */
export function progressSink(quiet = false): ProgressSink {
  if (quiet) {
    return { log: () => {}, bar: () => ({ increment: () => {}, stop: () => {} }), close: () => {} };
  }
  const running = new Set<cliProgress.SingleBar>();
  return {
    close: () => {
      for (const b of running) b.stop();
      running.clear();
    },
    log: (msg) => process.stderr.write(`hushpack: ${msg}\n`),
    bar: (label, total) => {
      const bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${label.padEnd(10)} [{bar}] {value}/{total} {percentage}% | {duration_formatted} elapsed | eta {eta_formatted}`,
          noTTYOutput: true,
          notTTYSchedule: 10_000,
          hideCursor: false,
          etaBuffer: 200,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
      running.add(bar);
      return {
        increment: (n = 1) => bar.increment(n),
        stop: () => {
          bar.stop();
          running.delete(bar);
        },
      };
    },
  };
}
