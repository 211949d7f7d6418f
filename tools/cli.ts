/**
 * The `hushpack` command line. Each subcommand lives in its own file under tools/commands/ and is
 * registered in tools/commands/index.ts by the issue that owns it. Conventions (stable, scripts rely
 * on them): `--json` prints exactly one JSON object on stdout and nothing else there; progress and
 * diagnostics go to stderr; a failed command exits with status 1 after printing `hushpack: <message>`.
 */
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';
import { UserError } from '../src/errors.js';

export function buildProgram(): Command {
  const program = new Command('hushpack')
    .description('Compressed speech-enhancement networks for WebAssembly: corpus, training, compression, runtime.')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
}

/** Runs the CLI on `argv` (as process.argv) and returns the process exit status. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit with code 0; usage errors were already printed by commander.
      return err.exitCode;
    }
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`hushpack: ${msg}\n`);
    if (!(err instanceof UserError) && process.env.HUSHPACK_DEBUG && err instanceof Error) {
      process.stderr.write(`${err.stack}\n`);
    }
    return 1;
  }
}
