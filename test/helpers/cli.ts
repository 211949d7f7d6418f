/**
 * Running the CLI in-process (tools/cli.ts `main`) in tests: stdout and stderr captured through
 * vitest spies, so every test file checks the printed text the same way.
 */
import { vi } from 'vitest';

/**
 * Replaces process.stdout.write and process.stderr.write with spies that collect the text (nothing
 * reaches the terminal) until the spies are restored: call vi.restoreAllMocks() afterwards, e.g.
 * `afterEach(() => vi.restoreAllMocks())`.
 */
export function capture(): { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  return { out: () => out, err: () => err };
}

/**
 * Runs `run` with process.stdout.write collecting the text instead of printing it (stderr still
 * prints); the original write is back when `run` settles, also when it throws.
 */
export async function stdoutOf<T>(run: () => Promise<T>): Promise<{ result: T; out: string }> {
  let out = '';
  const write = process.stdout.write;
  process.stdout.write = ((s: string | Uint8Array) => ((out += String(s)), true)) as typeof process.stdout.write;
  try {
    const result = await run();
    return { result, out };
  } finally {
    process.stdout.write = write;
  }
}
