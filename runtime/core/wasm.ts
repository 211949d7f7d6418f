/**
 * Instantiates the hushpack WASM module (built from assembly/ with the stub runtime and raw
 * bindings). Browser-safe: no Node APIs here. The caller supplies the compiled module or its bytes.
 */

/** The raw exports every build has; feature modules extend this with their own functions. */
export interface HushWasmExports {
  memory: WebAssembly.Memory;
  memAlloc(bytes: number): number;
  memReset(): void;
  memUsed(): number;
  simdEnabled(): number;
  [name: string]: unknown;
}

/** Decodes an AssemblyScript string (UTF-16, byte length stored at ptr - 4) from linear memory. */
export function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return '';
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0];
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
}

/** Instantiates a module; AssemblyScript aborts become JS errors naming the AS source location. */
export async function instantiateHush(module: WebAssembly.Module | BufferSource): Promise<HushWasmExports> {
  let memory: WebAssembly.Memory | undefined;
  const imports = {
    env: {
      abort(msg: number, file: number, line: number, col: number): never {
        const text = memory ? `${readAsString(memory, msg)} (${readAsString(memory, file)}:${line}:${col})` : 'abort';
        throw new Error(`hushpack wasm: ${text}`);
      },
    },
  };
  const mod = module instanceof WebAssembly.Module ? module : await WebAssembly.compile(module);
  const instance = await WebAssembly.instantiate(mod, imports);
  const exports = instance.exports as unknown as HushWasmExports;
  memory = exports.memory;
  return exports;
}

/** True when this host validates a tiny module that uses a v128 instruction. */
export function hostHasSimd(): boolean {
  // (module (func (result v128) i32.const 0 i8x16.splat))
  const probe = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 15, 11,
  ]);
  return WebAssembly.validate(probe);
}
