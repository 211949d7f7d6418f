/**
 * Node conveniences around the browser-safe Separator (runtime/core/separator.ts), as
 * ./enhancer.ts around the Enhancer: the WASM build shipped in build/ (SIMD when the host has it).
 *
 *   const s = Separator.loadSync(readFileSync('sep.hush'));
 *   const [s1, s2] = s.processBuffer(signal8k);   // one signal per speaker, same length, aligned
 */
import { Separator as CoreSeparator, type SeparatorOptions } from '../core/separator.js';
import { instantiateHush } from '../core/wasm.js';
import { flavorChoose, hushWasmInstanceSync, hushWasmModule } from './enhancer.js';
import type { WasmFlavor } from './wasmFile.js';

/** Options of Separator.load: the core options plus which WASM build to run. */
export interface NodeSeparatorOptions extends SeparatorOptions {
  flavor?: WasmFlavor;
}

/** The Separator of the Node API: the core class plus `load` / `loadSync`. */
export class Separator extends CoreSeparator {
  static async load(bytes: Uint8Array, options: NodeSeparatorOptions = {}): Promise<Separator> {
    return new Separator(await instantiateHush(hushWasmModule(flavorChoose(options.flavor))), bytes, options);
  }

  static loadSync(bytes: Uint8Array, options: NodeSeparatorOptions = {}): Separator {
    return new Separator(hushWasmInstanceSync(flavorChoose(options.flavor)), bytes, options);
  }
}
