import { describe, expect, it } from 'vitest';
import * as spec from '../../src/format/spec.js';
import { loadFormatTestWasm } from './wasmBuild.js';

describe('spec constants: TypeScript and AssemblyScript agree', () => {
  it('every numeric constant of src/format/spec.ts is exported by the WASM build with the same value', async () => {
    const inst = await loadFormatTestWasm();
    const numeric = Object.entries(spec).filter(([, v]) => typeof v === 'number') as [string, number][];
    expect(numeric.length).toBeGreaterThan(150);
    const missing: string[] = [];
    const different: string[] = [];
    for (const [name, value] of numeric) {
      const g = inst.exports[name];
      if (!(g instanceof WebAssembly.Global)) {
        missing.push(name);
        continue;
      }
      if ((g.value as number) !== (value | 0)) different.push(`${name}: ts ${value}, as ${g.value}`);
    }
    expect(missing).toEqual([]);
    expect(different).toEqual([]);
    // and nothing extra on the AS side
    const tsNames = new Set(numeric.map(([n]) => n));
    const extra = Object.entries(inst.exports).filter(([n, v]) => v instanceof WebAssembly.Global && !tsNames.has(n)).map(([n]) => n);
    expect(extra).toEqual([]);
  });

  it('every error code has a message template', () => {
    for (const [name, code] of Object.entries(spec)) {
      if (name.startsWith('HUSH_E_')) expect(spec.HUSH_ERROR_TEMPLATES[code as number], name).toBeTypeOf('string');
    }
  });
});
