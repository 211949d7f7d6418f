/**
 * Small helpers shared by the benchmark scripts: the value after a `--name` flag and the median of
 * a sample (benchmarks report medians, not means: one preempted run must not move the figure).
 */

/** The argument after `name` on the command line, or undefined. */
export function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Median of `v` (mean of the middle two for an even count); NaN when empty. */
export function median(v: readonly number[]): number {
  if (v.length === 0) return NaN;
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
