/**
 * Small helpers shared by the benchmark scripts: the value after a `--name` flag, the median of
 * a sample (benchmarks report medians, not means: one preempted run must not move the figure) and
 * the package root (fixtures are found from there, wherever the compiled script sits).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** The package root (folder with package.json) above this module. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('bench: package.json not found above this script');
    dir = up;
  }
  return dir;
}
