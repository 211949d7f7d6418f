/**
 * Child processes for the corpus build (apt-get, dpkg-deb, c4group, ffmpeg, sox): run one and
 * collect its output, and run many through a fixed-size pool so that decoding uses every core.
 */
import { spawn } from 'node:child_process';
import { UserError } from '../../errors.js';

/** Outcome of a finished child process. */
export interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Options of `processRun`. */
export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Bytes piped to the child's stdin (stdin is closed otherwise). */
  input?: Uint8Array;
}

/**
 * Runs `cmd args…` without a shell and resolves when it exits (never rejects for a non-zero
 * exit; a missing executable becomes a UserError naming the Debian package to install).
 */
export function processRun(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') reject(new UserError(`${cmd}: not found on PATH (install it: apt-get install ${TOOL_PACKAGES[cmd] ?? cmd})`));
      else reject(e);
    });
    child.on('close', (code, signal) => {
      resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => {}); // a child that exits early closes its stdin: not our error
    if (opts.input) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

/** Debian packages that provide the tools the build runs. */
const TOOL_PACKAGES: Record<string, string> = {
  'apt-get': 'apt',
  'dpkg-deb': 'dpkg',
  ffmpeg: 'ffmpeg',
  sox: 'sox libsox-fmt-all',
  tar: 'tar',
  unzip: 'unzip',
};

/** Last non-empty line of a tool's stderr (for error messages). */
export function stderrTail(stderr: string, lines = 1): string {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(-lines)
    .join(' | ');
}

/**
 * Runs `work(item, i)` for every item with at most `jobs` in flight; resolves when all are done,
 * or rejects with the first error once the in-flight ones have settled (no new work starts after
 * an error).
 */
export async function poolRun<T>(items: readonly T[], jobs: number, work: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (failure === null && next < items.length) {
      const i = next++;
      try {
        await work(items[i], i);
      } catch (e) {
        if (failure === null) failure = e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  if (failure !== null) throw failure;
}
