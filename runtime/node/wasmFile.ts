/** Node-side loader: reads build/hush-{simd,scalar}.wasm shipped with the package. */
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hostHasSimd, instantiateHush, type HushWasmExports } from '../core/wasm.js';

export type WasmFlavor = 'simd' | 'scalar';

/** Absolute path of a build; works from runtime/node (tests, tsx) and dist/runtime/node (built). */
export function wasmPath(flavor: WasmFlavor): string {
  for (const rel of [`../../build/hush-${flavor}.wasm`, `../../../build/hush-${flavor}.wasm`]) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error(`hushpack: build/hush-${flavor}.wasm not found; run \`npm run build:wasm\``);
}

/** Loads the SIMD build when the host supports SIMD (or when asked), else the scalar build. */
export async function loadHushWasm(flavor?: WasmFlavor): Promise<HushWasmExports> {
  const f: WasmFlavor = flavor ?? (hostHasSimd() ? 'simd' : 'scalar');
  return instantiateHush(readFileSync(wasmPath(f)));
}
