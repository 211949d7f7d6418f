import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FLAVORS } from './wasm.js';

// The kernel tests compile assembly/nn privately; this checks that the shipped builds
// (build/hush-*.wasm from `npm run build:wasm`, made before the tests by tools/run.sh) export every
// kernel listed in assembly/nn/entry.ts, i.e. that assembly/index.ts re-exports them.
const root = fileURLToPath(new URL('../../', import.meta.url));
const entry = readFileSync(`${root}assembly/nn/entry.ts`, 'utf8');
const kernelNames = [...entry.matchAll(/^export \{([^}]*)\}/gm)].flatMap((m) => m[1].split(',').map((s) => s.trim()).filter(Boolean));

describe.each(FLAVORS)('build/hush-%s.wasm', (flavor) => {
  const file = `${root}build/hush-${flavor}.wasm`;
  it.skipIf(!existsSync(file))('exports every assembly/nn kernel', () => {
    const mod = new WebAssembly.Module(readFileSync(file));
    const names = new Set(WebAssembly.Module.exports(mod).map((e) => e.name));
    expect(kernelNames.length).toBeGreaterThan(30);
    expect(kernelNames.filter((n) => !names.has(n))).toEqual([]);
  });
});
