import { describe, expect, it } from 'vitest';
import { HUSH_MODEL_FUNCTIONS, hostHasSimd, readAsString } from '../../runtime/core/wasm.js';
import { runtimeWasm } from '../runtime/wasm.js';
import { loadHushWasm } from '../../runtime/node/wasmFile.js';

describe('WASM loader', () => {
  it('detects SIMD on this host (Node ≥ 16 supports fixed-width SIMD)', () => {
    expect(hostHasSimd()).toBe(true);
  });

  it('loads the SIMD build by default and the scalar build on request', async () => {
    const simd = await loadHushWasm();
    expect(simd.simdEnabled()).toBe(1);
    const scalar = await loadHushWasm('scalar');
    expect(scalar.simdEnabled()).toBe(0);
  });

  it('the typed model boundary (HushModelExports) matches both builds: every function, its parameter count; no positional weight setters', async () => {
    for (const flavor of ['simd', 'scalar'] as const) {
      const wasm = await runtimeWasm(flavor);
      for (const [name, params] of Object.entries(HUSH_MODEL_FUNCTIONS)) {
        expect(typeof wasm[name], `${flavor} ${name}`).toBe('function');
        expect((wasm[name] as (...a: unknown[]) => unknown).length, `${flavor} ${name}`).toBe(params);
      }
      const names = Object.keys(wasm);
      expect(names.filter((n) => /Weights(Create|Set)|StateCreate|ScratchCreate|^(tensor|tensorPair|tensorSum|deconv|convSparse|batchNorm)Create$/.test(n))).toEqual([]);
    }
  });

  it('hands out 16-byte aligned, zeroed blocks and resets', async () => {
    const w = await loadHushWasm('scalar');
    w.memReset();
    const a = w.memAlloc(3);
    const b = w.memAlloc(100);
    expect(a % 16).toBe(0);
    expect(b - a).toBe(16);
    expect(w.memUsed()).toBe(16 + 112);
    const bytes = new Uint8Array(w.memory.buffer, b, 100);
    expect(bytes.every((x) => x === 0)).toBe(true);
    w.memReset();
    expect(w.memUsed()).toBe(0);
  });

  it('decodes AssemblyScript strings (UTF-16 with the byte length before the pointer)', () => {
    const mem = new WebAssembly.Memory({ initial: 1 });
    const u32 = new Uint32Array(mem.buffer);
    u32[1] = 4; // 2 UTF-16 code units
    new Uint16Array(mem.buffer, 8, 2).set([104, 105]);
    expect(readAsString(mem, 8)).toBe('hi');
    expect(readAsString(mem, 0)).toBe('');
  });
});
