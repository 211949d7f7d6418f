/**
 * `--workers <n>`: metric worker threads of `evalset` and `demo`. Across the CLI `--threads` means
 * libtorch threads (train, compress); these two commands once spelled their metric workers
 * `--threads` too. That spelling is still accepted, hidden from --help, with a one-line notice.
 */
import { Option, type Command } from 'commander';
import { UserError } from '../src/errors.js';

/** Adds --workers (and the hidden, deprecated --threads) to `cmd`. */
export function workersOptionAdd(cmd: Command): Command {
  return cmd
    .option('--workers <n>', 'metric worker threads (default: available cores; 1 = in this thread)')
    .addOption(new Option('--threads <n>', 'deprecated spelling of --workers').hideHelp());
}

/**
 * The --workers value (undefined: the default), read from --threads with a notice on stderr when
 * only the old spelling is given. Throws a UserError naming the flag as given for a bad value.
 */
export function workersOptionValue(o: { workers?: string; threads?: string }, command: string): number | undefined {
  if (o.workers !== undefined && o.threads !== undefined) throw new UserError('--threads is the old spelling of --workers: give one of them');
  let flag = '--workers';
  let raw = o.workers;
  if (o.threads !== undefined) {
    process.stderr.write(`hushpack ${command}: --threads is deprecated here, use --workers (metric worker threads)\n`);
    flag = '--threads';
    raw = o.threads;
  }
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag} must be a positive integer, got '${raw}'`);
  return n;
}
