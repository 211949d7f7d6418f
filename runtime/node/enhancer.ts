/**
 * Node conveniences around the browser-safe Enhancer (runtime/core/enhancer.ts): loading the WASM
 * build shipped in build/ (SIMD when the host has it, or as asked), asynchronously or synchronously.
 *
 *   import { Enhancer } from 'hushpack';
 *   const e = await Enhancer.load(readFileSync('m.hush'), { flavor: 'simd', plan: 'auto' });
 *   const out = e.process(hop160);           // Float32Array(160), reused by the next call
 *   const y = e.processBuffer(signal16k);     // whole signal, latency-compensated, same length
 *   e.reset(); e.latencySamples; e.memoryBytes; e.macsPerHop;
 *
 * Every Enhancer gets its own WASM instance (the allocator never frees, so one model per instance);
 * compiled modules are cached per flavour.
 */
import { readFileSync } from 'node:fs';
import { Enhancer as CoreEnhancer, type EnhancerOptions } from '../core/enhancer.js';
import { hostHasSimd, instantiateHush, readAsString, type HushWasmExports } from '../core/wasm.js';
import { wasmPath, type WasmFlavor } from './wasmFile.js';

/** Options of Enhancer.load: the core options plus which WASM build to run. */
export interface NodeEnhancerOptions extends EnhancerOptions {
  /** 'simd' (default when the host validates SIMD) or 'scalar'. */
  flavor?: WasmFlavor;
}

const modules = new Map<WasmFlavor, WebAssembly.Module>();

/** True when this host can run the SIMD build (a one-instruction v128 probe, runtime/core/wasm.ts). */
export function simdSupported(): boolean {
  return hostHasSimd();
}

/** The flavour to run: the requested one, else SIMD when the host supports it. */
export function flavorChoose(flavor?: WasmFlavor): WasmFlavor {
  if (flavor !== undefined && flavor !== 'simd' && flavor !== 'scalar') throw new RangeError(`unknown WASM flavour '${String(flavor)}' (expected simd or scalar)`);
  return flavor ?? (simdSupported() ? 'simd' : 'scalar');
}

/** The compiled build/hush-<flavor>.wasm (compiled once per process). */
export function hushWasmModule(flavor: WasmFlavor): WebAssembly.Module {
  let m = modules.get(flavor);
  if (!m) {
    m = new WebAssembly.Module(readFileSync(wasmPath(flavor)));
    modules.set(flavor, m);
  }
  return m;
}

/**
 * A fresh instance, synchronously (Node allows synchronous compilation of any size; the CLI's
 * backends are synchronous). Aborts become JS errors naming the AssemblyScript source location,
 * as in runtime/core/wasm.ts instantiateHush.
 */
export function hushWasmInstanceSync(flavor: WasmFlavor): HushWasmExports {
  let memory: WebAssembly.Memory | undefined;
  const instance = new WebAssembly.Instance(hushWasmModule(flavor), {
    env: {
      abort(msg: number, file: number, line: number, col: number): never {
        const text = memory ? `${readAsString(memory, msg)} (${readAsString(memory, file)}:${line}:${col})` : 'abort';
        throw new Error(`hushpack wasm: ${text}`);
      },
    },
  });
  const exports = instance.exports as unknown as HushWasmExports;
  memory = exports.memory;
  return exports;
}

/** The Enhancer of the Node API: the core class plus `load` / `loadSync`. */
export class Enhancer extends CoreEnhancer {
  /** Loads a `.hush` model into a fresh instance of the shipped WASM build. */
  static async load(bytes: Uint8Array, options: NodeEnhancerOptions = {}): Promise<Enhancer> {
    const wasm = await instantiateHush(hushWasmModule(flavorChoose(options.flavor)));
    return new Enhancer(wasm, bytes, options);
  }

  /** Enhancer.load without a Promise (Node compiles WASM synchronously). */
  static loadSync(bytes: Uint8Array, options: NodeEnhancerOptions = {}): Enhancer {
    return new Enhancer(hushWasmInstanceSync(flavorChoose(options.flavor)), bytes, options);
  }
}
