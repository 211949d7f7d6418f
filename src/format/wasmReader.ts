/**
 * JS side of the WASM `.hush` reader (assembly/format/entry.ts): copies a file into linear memory,
 * opens it, and turns the reader's error code + numbers into the same message the TS reader gives
 * (message.ts). Browser-safe (no Node APIs). The runtime calls hushWasmOpen once per model load.
 */
import { HushFormatError, hushErrorMessage } from './message.js';
import type { HushErrorRecord } from './validate.js';
import { HUSH_OK } from './spec.js';

/** The reader's exports (a subset of the hushpack module's). */
export interface HushFormatExports {
  memory: WebAssembly.Memory;
  memAlloc(bytes: number): number;
  hushStateBytes(): number;
  hushOpen(state: number, filePtr: number, fileLen: number): number;
  hushErrorWhere(state: number): number;
  hushErrorIndex(state: number): number;
  hushErrorA(state: number): number;
  hushErrorB(state: number): number;
  hushTensorCount(state: number): number;
  hushTensorFind(state: number, namePtr: number, nameLen: number): number;
  hushTensorElements(state: number, i: number): number;
  hushTensorDecodeScratchBytes(state: number, i: number): number;
  hushTensorDecode(state: number, i: number, out: number, outElements: number, scratch: number, scratchBytes: number): number;
}

/** An open file in linear memory: the state block and the file's bytes (both owned by the module's allocator). */
export interface HushWasmFile {
  state: number;
  filePtr: number;
  fileBytes: number;
}

/** The error record of the last failed call on `state` with code `code`. */
export function hushWasmErrorRecord(wasm: HushFormatExports, state: number, code: number): HushErrorRecord {
  return { code, where: wasm.hushErrorWhere(state), index: wasm.hushErrorIndex(state), a: wasm.hushErrorA(state), b: wasm.hushErrorB(state) };
}

/**
 * Copies `bytes` into linear memory and validates it with the WASM reader. Throws HushFormatError
 * (message naming `fileName`, the place and the problem) when the file is invalid.
 */
export function hushWasmOpen(wasm: HushFormatExports, bytes: Uint8Array, fileName: string): HushWasmFile {
  const state = wasm.memAlloc(wasm.hushStateBytes());
  const filePtr = wasm.memAlloc(bytes.length);
  if (state === 0 || filePtr === 0) throw new Error(`${fileName}: out of WASM memory for a ${bytes.length}-byte model`);
  new Uint8Array(wasm.memory.buffer, filePtr, bytes.length).set(bytes);
  const code = wasm.hushOpen(state, filePtr, bytes.length);
  if (code !== HUSH_OK) {
    const r = hushWasmErrorRecord(wasm, state, code);
    throw new HushFormatError(hushErrorMessage(bytes, r, fileName), r);
  }
  return { state, filePtr, fileBytes: bytes.length };
}

/** Decodes table entry `index` of an open file to a new dense Float32Array (allocates in linear memory). */
export function hushWasmDecode(wasm: HushFormatExports, file: HushWasmFile, index: number, fileName = 'model.hush'): Float32Array {
  const n = wasm.hushTensorElements(file.state, index);
  const out = wasm.memAlloc(4 * n);
  const scratchBytes = wasm.hushTensorDecodeScratchBytes(file.state, index);
  const scratch = scratchBytes > 0 ? wasm.memAlloc(scratchBytes) : 0;
  const code = wasm.hushTensorDecode(file.state, index, out, n, scratch, scratchBytes);
  if (code !== HUSH_OK) {
    const r = hushWasmErrorRecord(wasm, file.state, code);
    const bytes = new Uint8Array(wasm.memory.buffer, file.filePtr, file.fileBytes);
    throw new HushFormatError(hushErrorMessage(bytes, { ...r, where: 4, index }, fileName), r);
  }
  return new Float32Array(wasm.memory.buffer.slice(out, out + 4 * n));
}
