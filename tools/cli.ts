/**
 * The `hushpack` command line. Each subcommand lives in its own file under tools/commands/ and is
 * listed in tools/commands/index.ts by the issue that owns it. Conventions (stable, scripts rely
 * on them): `--json` prints exactly one JSON object on stdout and nothing else there; progress and
 * diagnostics go to stderr; a failed command exits with status 1 after printing `hushpack: <message>`.
 *
 * Only the module of the command named on the command line is imported (tools/commands/index.ts
 * says why): `hushpack enhance …` loads neither training code nor its dependencies. The top-level
 * help lists every command from the registry's summaries, importing none.
 *
 * Run as `hushpack …` (bin/hushpack.js), or directly as `node dist/tools/cli.js …`.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { COMMANDS, type CommandEntry, type CommandModule } from './commands/index.js';
import { UserError } from '../src/errors.js';

/** The subcommand an argv (as process.argv) names: the first argument that is not an option. */
export function commandNameOf(argv: readonly string[]): string | undefined {
  const args = argv.slice(2);
  const i = args.findIndex((a) => !a.startsWith('-'));
  if (i < 0) return undefined;
  // `hushpack help enhance` is `hushpack enhance --help`.
  return args[i] === 'help' ? args[i + 1] : args[i];
}

/** Imports a command's module; a missing package or file becomes a UserError that says what to install. */
export async function commandLoad(entry: CommandEntry): Promise<CommandModule> {
  try {
    return await entry.load();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (entry.runtime || (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND')) throw err;
    // Node's message names the missing package or file: "Cannot find package 'vega' imported from …".
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec(String((err as Error).message))?.[1] ?? 'a module';
    const here = COMMANDS.filter((c) => c.runtime).map((c) => c.name).join(', ');
    throw new UserError(
      `'hushpack ${entry.name}' needs the full hushpack install (training and compression tools), and this is the runtime-only ` +
        `package (${missing} is not installed). Clone the repository and run 'bash tools/run.sh test' (Debian: installs libtorch ` +
        `and builds everything), or 'npm ci && npm run build && npm run build:native' there. On this install: ${here}.`,
    );
  }
}

/**
 * The program for `argv`: the named command fully registered (its module imported), every other
 * command as a placeholder with its summary, so that help and "unknown command" work unchanged.
 */
export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command('hushpack')
    .description('Compressed speech-enhancement networks for WebAssembly: corpus, training, compression, runtime.')
    .showHelpAfterError()
    .exitOverride();
  const wanted = commandNameOf(argv);
  for (const entry of COMMANDS) {
    if (entry.name === wanted) (await commandLoad(entry)).register(program);
    else program.command(entry.name).description(entry.summary);
  }
  return program;
}

/** Runs the CLI on `argv` (as process.argv) and returns the process exit status. */
export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
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

/** True when this file is the process's main script (`node dist/tools/cli.js …`), not an import. */
function isMainScript(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isMainScript()) process.exitCode = await main(process.argv);
