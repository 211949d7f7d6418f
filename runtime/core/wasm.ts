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

/**
 * The model boundary of the hushpack module (assembly/nets/model.ts), typed: one create call from
 * `.hush` bytes to a handle, one step per hop, and getters for what loading measured. The WASM side
 * binds every tensor by name; JS never wires a weight. test/core/wasmLoader.test.ts checks every
 * function here against both builds' exports (name and parameter count).
 */
export interface HushModelExports extends HushWasmExports {
  /** Loads the file at [filePtr, filePtr + fileLen) (the block memAlloc returned just before); plan PLAN_IDS; cacheBytes ≤ 0: default. 0 on failure. */
  modelCreate(filePtr: number, fileLen: number, plan: number, cacheBytes: number): number;
  modelStep(handle: number): void;
  modelReset(handle: number): void;
  modelInputPtr(handle: number): number;
  /** f32[modelOutputCount][modelHopSamples]: output k's hop at k·hop floats. */
  modelOutputPtr(handle: number): number;
  /** Samples per step at the model's rate (10 ms: 160 at 16 kHz, 80 at 8 kHz). */
  modelHopSamples(handle: number): number;
  /** Output signals per step: 1 (enhancement) or the speakers (separation). */
  modelOutputCount(handle: number): number;
  /** HUSH_ARCH_* (1 fdnn … 4 gcrn, 5 conv-tasnet, 6 upit-lstm). */
  modelArch(handle: number): number;
  modelLatencySamples(handle: number): number;
  modelMacsPerHop(handle: number): number;
  modelParams(handle: number): number;
  modelFileBytes(handle: number): number;
  modelWeightsBytes(handle: number): number;
  modelStateBytes(handle: number): number;
  modelScratchBytes(handle: number): number;
  modelMemoryBound(handle: number): number;
  modelDenseMatrixBytes(handle: number): number;
  modelLoadScratchBytes(handle: number): number;
  modelReportCount(handle: number): number;
  modelReportTensor(handle: number, line: number): number;
  modelReportSecond(handle: number, line: number): number;
  modelReportKind(handle: number, line: number): number;
  modelReportForm(handle: number, line: number): number;
  modelReportBytes(handle: number, line: number): number;
  /** After a failed modelCreate on an invalid file: its reader state (for hushError*), else 0. */
  modelFormatState(): number;
  /** After a failed modelCreate on an invalid file: its HUSH_E_* code, else 0. */
  modelFormatCode(): number;
  modelErrorPtr(): number;
  modelErrorBytes(): number;
  hushErrorWhere(state: number): number;
  hushErrorIndex(state: number): number;
  hushErrorA(state: number): number;
  hushErrorB(state: number): number;
}

/** The functions of HushModelExports with their parameter counts (what the loader test checks). */
export const HUSH_MODEL_FUNCTIONS: Readonly<Record<string, number>> = {
  modelCreate: 4, modelStep: 1, modelReset: 1, modelInputPtr: 1, modelOutputPtr: 1, modelHopSamples: 1, modelOutputCount: 1, modelArch: 1, modelLatencySamples: 1,
  modelMacsPerHop: 1, modelParams: 1, modelFileBytes: 1, modelWeightsBytes: 1, modelStateBytes: 1, modelScratchBytes: 1,
  modelMemoryBound: 1, modelDenseMatrixBytes: 1, modelLoadScratchBytes: 1, modelReportCount: 1, modelReportTensor: 2,
  modelReportSecond: 2, modelReportKind: 2, modelReportForm: 2, modelReportBytes: 2, modelFormatState: 0, modelFormatCode: 0, modelErrorPtr: 0,
  modelErrorBytes: 0, hushErrorWhere: 1, hushErrorIndex: 1, hushErrorA: 1, hushErrorB: 1,
};

/** Throws unless `wasm` exports the model boundary (a build older than the runtime). */
export function assertModelExports(wasm: HushWasmExports): asserts wasm is HushModelExports {
  for (const name of Object.keys(HUSH_MODEL_FUNCTIONS)) {
    if (typeof wasm[name] !== 'function') throw new Error(`hushpack wasm: missing export ${name}; rebuild with \`npm run build:wasm\``);
  }
}
