/**
 * The CLI's command loading (tools/cli.ts, tools/commands/index.ts): only the named command's module
 * is imported; the runtime commands' static import closure holds no training code and none of the
 * training-only packages (so they run on a runtime-only install: dependencies commander + wavefile);
 * a training command on such an install fails with a message that says what to install; and
 * `node dist/tools/cli.js …` runs the CLI.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS } from '../../tools/commands/index.js';
import { buildProgram, commandLoad, commandNameOf, main } from '../../tools/cli.js';
import { UserError } from '../../src/errors.js';
import { packageRoot } from '../../src/demo/paths.js';
import { capture } from '../helpers/cli.js';

afterEach(() => vi.restoreAllMocks());
const root = packageRoot();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

/** Files (relative to the package root) and packages reached from `entry` through static imports only. */
async function staticClosure(entry: string): Promise<{ files: string[]; packages: string[] }> {
  const r = await build({ entryPoints: [join(root, entry)], bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent', absWorkingDir: root });
  const inputs = r.metafile.inputs;
  const seen = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const f = todo.pop() as string;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const imp of inputs[f]?.imports ?? []) {
      if (imp.kind !== 'import-statement' && imp.kind !== 'require-call') continue; // dynamic imports load on demand
      if (imp.external) {
        if (!imp.path.startsWith('node:')) packages.add(imp.path.startsWith('@') ? imp.path.split('/').slice(0, 2).join('/') : imp.path.split('/')[0]);
      } else todo.push(imp.path);
    }
  }
  return { files: [...seen].sort(), packages: [...packages].sort() };
}

describe('command registry', () => {
  it('each summary is the description its module registers, and every command file is listed', async () => {
    for (const entry of COMMANDS) {
      const program = new Command('hushpack');
      (await entry.load()).register(program);
      const cmd = program.commands.find((c) => c.name() === entry.name);
      expect(cmd, entry.name).toBeDefined();
      expect(cmd?.description(), entry.name).toBe(entry.summary);
    }
    const names = COMMANDS.map((c) => c.name).sort();
    const files = execFileSync('ls', [join(root, 'tools/commands')], { encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.ts') && f !== 'index.ts');
    expect(names).toEqual(files.map((f) => f.replace(/\.ts$/, '')).sort());
  });

  it('finds the command name in argv', () => {
    expect(commandNameOf(['node', 'hushpack', 'enhance', '--model', 'm.hush', 'a.wav', 'b.wav'])).toBe('enhance');
    expect(commandNameOf(['node', 'hushpack', '--help'])).toBeUndefined();
    expect(commandNameOf(['node', 'hushpack', 'help', 'bench'])).toBe('bench');
    expect(commandNameOf(['node', 'hushpack'])).toBeUndefined();
  });

  it('registers the named command in full and the others as summaries only', async () => {
    const program = await buildProgram(['node', 'hushpack', 'inspect', 'x.hush']);
    expect(program.commands.map((c) => c.name())).toEqual(COMMANDS.map((c) => c.name));
    expect(program.commands.find((c) => c.name() === 'inspect')?.options.map((o) => o.long)).toContain('--json');
    expect(program.commands.find((c) => c.name() === 'train')?.options).toEqual([]);
  });

  it('an unknown command is a usage error (status 1) naming it', async () => {
    const io = capture();
    expect(await main(['node', 'hushpack', 'enhanse'])).toBe(1);
    expect(io.err()).toContain("unknown command 'enhanse'");
  });
});

describe('runtime-only install', () => {
  const runtimeDeps = Object.keys(pkg.dependencies).sort();
  it('the package depends on commander and wavefile only; training-only packages are devDependencies', () => {
    expect(runtimeDeps).toEqual(['commander', 'wavefile']);
    for (const p of ['vega', 'vega-lite', 'cli-progress', 'node-addon-api']) expect(pkg.devDependencies[p], p).toBeDefined();
  });

  for (const entry of COMMANDS.filter((c) => c.runtime)) {
    it(`'${entry.name}' statically imports no training code and only runtime dependencies`, async () => {
      const { files, packages } = await staticClosure(`tools/commands/${entry.name}.ts`);
      const training = files.filter((f) => /^(src\/(train|compress)\/|native\/|src\/models\/(nets|stream))/.test(f));
      expect(training, entry.name).toEqual([]);
      expect(packages.filter((p) => !runtimeDeps.includes(p)), entry.name).toEqual([]);
    });
  }

  it('the CLI entry itself imports only commander and the registry', async () => {
    const { files, packages } = await staticClosure('tools/cli.ts');
    expect(packages).toEqual(['commander']);
    expect(files.filter((f) => f.startsWith('tools/commands/'))).toEqual(['tools/commands/index.ts']);
  });

  it('a training command whose packages are missing says what to install', async () => {
    const missing = Object.assign(new Error("Cannot find package 'vega' imported from /x/dist/tools/commands/report.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    const entry = { name: 'report', summary: '', runtime: false, load: () => Promise.reject(missing) };
    const err = await commandLoad(entry).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(String((err as Error).message)).toMatch(/'hushpack report' needs the full hushpack install.*vega is not installed.*bash tools\/run\.sh/);
    // a runtime command's failure is a bug, passed on unchanged
    await expect(commandLoad({ ...entry, runtime: true })).rejects.toBe(missing);
  });
});

describe.skipIf(!existsSync(join(root, 'dist/tools/cli.js')))('node dist/tools/cli.js (compiled)', () => {
  it('runs the CLI when it is the main script', () => {
    const out = execFileSync(process.execPath, [join(root, 'dist/tools/cli.js'), 'models', '--preset', 'tiny', '--json'], { encoding: 'utf8' });
    expect(JSON.parse(out).preset).toBe('tiny');
  });
});
