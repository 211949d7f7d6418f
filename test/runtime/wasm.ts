/**
 * The hushpack WASM module for the runtime tests: build/hush-{simd,scalar}.wasm when it is newer than
 * every source under assembly/ (CI runs `npm run build` first), else assembly/index.ts compiled with
 * asconfig.json's options into node_modules/.cache/hushpack-runtime (keyed by a hash of the sources,
 * shared by parallel test files). Each call of `runtimeWasm` gives a fresh instance (an Enhancer owns
 * its instance: the allocator never frees).
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { instantiateHush, type HushWasmExports } from '../../runtime/core/wasm.js';

export type Flavor = 'simd' | 'scalar';
export const FLAVORS: Flavor[] = ['simd', 'scalar'];

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir = join(ROOT, 'assembly')): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

function compile(flavor: Flavor): Uint8Array {
  const files = sources();
  const built = join(ROOT, `build/hush-${flavor}.wasm`);
  if (existsSync(built)) {
    const t = statSync(built).mtimeMs;
    if (files.every((f) => statSync(f).mtimeMs <= t)) return readFileSync(built);
  }
  const h = createHash('sha256');
  for (const f of files) h.update(f).update(readFileSync(f));
  h.update(readFileSync(join(ROOT, 'asconfig.json'))).update(flavor);
  const dir = join(ROOT, 'node_modules/.cache/hushpack-runtime');
  const out = join(dir, `hush-${flavor}-${h.digest('hex').slice(0, 16)}.wasm`);
  if (existsSync(out)) return readFileSync(out);
  mkdirSync(dir, { recursive: true });
  const cfg = JSON.parse(readFileSync(join(ROOT, 'asconfig.json'), 'utf8')).options;
  const empty = join(dir, 'empty-asconfig.json');
  writeFileSync(empty, '{"options":{}}');
  const tmp = `${out}.${process.pid}.tmp`;
  execFileSync(join(ROOT, 'node_modules/.bin/asc'), [
    'assembly/index.ts', '--config', empty, '--runtime', cfg.runtime, '--optimizeLevel', String(cfg.optimizeLevel),
    '--shrinkLevel', String(cfg.shrinkLevel), '--initialMemory', String(cfg.initialMemory),
    flavor === 'simd' ? '--enable' : '--disable', 'simd', '-o', tmp,
  ], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  renameSync(tmp, out);
  return readFileSync(out);
}

const modules = new Map<Flavor, Promise<WebAssembly.Module>>();

/** A fresh instance of the module (compiled once per flavour and process). */
export async function runtimeWasm(flavor: Flavor = 'simd'): Promise<HushWasmExports> {
  let m = modules.get(flavor);
  if (!m) {
    m = Promise.resolve().then(() => WebAssembly.compile(compile(flavor) as Uint8Array<ArrayBuffer>));
    modules.set(flavor, m);
  }
  return instantiateHush(await m);
}
