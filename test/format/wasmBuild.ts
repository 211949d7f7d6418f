/**
 * Compiles the test-only WASM entry (test/format/wasm/specEntry.ts: the .hush reader + every spec
 * constant as an exported global) once per source version, cached under node_modules/.cache so that
 * several test files (and re-runs) share one build. Standalone options (no asconfig entries) so that
 * other engineers' AS files cannot break these tests.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sources(): string[] {
  const dir = join(ROOT, 'assembly/format');
  return [join(ROOT, 'test/format/wasm/specEntry.ts'), join(ROOT, 'assembly/mem.ts'), ...readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f))].sort();
}

/** Path of the compiled test module (SIMD or scalar), building it if the sources changed. */
export function formatTestWasm(flavor: 'simd' | 'scalar' = 'simd'): string {
  const h = createHash('sha256');
  for (const f of sources()) h.update(f).update(readFileSync(f));
  h.update(flavor);
  const dir = join(ROOT, 'node_modules/.cache/hushpack-format');
  const out = join(dir, `format-${flavor}-${h.digest('hex').slice(0, 16)}.wasm`);
  if (existsSync(out)) return out;
  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const cfg = join(dir, 'empty-asconfig.json');
  writeFileSync(cfg, '{"options":{}}'); // an explicit empty config: asc would otherwise apply ./asconfig.json and its entries
  execFileSync(
    join(ROOT, 'node_modules/.bin/asc'),
    ['test/format/wasm/specEntry.ts', '--config', cfg, '--runtime', 'stub', '-O3', '--initialMemory', '1', flavor === 'simd' ? '--enable' : '--disable', 'simd', '-o', tmp],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  renameSync(tmp, out); // atomic: parallel test files never see a half-written module
  return out;
}

/** Instantiates the test module; aborts become JS errors (the reader must never abort). */
export async function loadFormatTestWasm(flavor: 'simd' | 'scalar' = 'simd'): Promise<WebAssembly.Instance> {
  const mod = await WebAssembly.compile(readFileSync(formatTestWasm(flavor)));
  return WebAssembly.instantiate(mod, {
    env: {
      abort(): never {
        throw new Error('hushpack format wasm: abort');
      },
    },
  });
}
