/**
 * Drives the WASM `.hush` reader from tests: the file is copied so that it ends exactly at the end of
 * linear memory (any read past it traps), with a guard pattern just below it that must survive.
 */
import type { HushErrorRecord } from '../../src/format/validate.js';

export interface FormatWasm {
  exports: Record<string, any>;
  memory: WebAssembly.Memory;
  state: number;
  /** scratch for decoded tensors */
  out: number;
  outBytes: number;
}

const GUARD_BYTES = 64;
const GUARD = 0xa5;

export function formatWasmSetup(inst: WebAssembly.Instance, maxFileBytes: number, maxOutBytes: number): FormatWasm {
  const ex = inst.exports as Record<string, any>;
  const state = ex.memAlloc(ex.hushStateBytes());
  const out = ex.memAlloc(maxOutBytes);
  // room for the guard and the largest file after everything allocated so far
  ex.memAlloc(maxFileBytes + GUARD_BYTES + 65536);
  return { exports: ex, memory: ex.memory as WebAssembly.Memory, state, out, outBytes: maxOutBytes };
}

/** Copies `bytes` to the end of memory and opens it; returns the code, the record, the file pointer. */
export function formatWasmOpen(w: FormatWasm, bytes: Uint8Array): { code: number; record: HushErrorRecord | null; filePtr: number } {
  const end = w.memory.buffer.byteLength;
  const filePtr = end - bytes.length;
  const mem = new Uint8Array(w.memory.buffer);
  mem.fill(GUARD, filePtr - GUARD_BYTES, filePtr);
  mem.set(bytes, filePtr);
  const code = w.exports.hushOpen(w.state, filePtr, bytes.length) as number;
  for (let p = filePtr - GUARD_BYTES; p < filePtr; p++) if (mem[p] !== GUARD) throw new Error(`guard below the file overwritten at ${p - filePtr}`);
  if (code === 0) return { code, record: null, filePtr };
  const ex = w.exports;
  return { code, filePtr, record: { code, where: ex.hushErrorWhere(w.state), index: ex.hushErrorIndex(w.state), a: ex.hushErrorA(w.state), b: ex.hushErrorB(w.state) } };
}

/**
 * Decodes table entry i of the open file to a fresh Float32Array (scratch for MPO placed after the
 * output); null when it does not fit the test's output buffer (a mutated file may validly declare a
 * huge sparse tensor).
 */
export function formatWasmDecode(w: FormatWasm, i: number): { code: number; data: Float32Array } | null {
  const ex = w.exports;
  const n = ex.hushTensorElements(w.state, i) as number;
  const scratchBytes = ex.hushTensorDecodeScratchBytes(w.state, i) as number;
  const scratch = w.out + ((4 * n + 15) & ~15);
  if (4 * n + 16 + scratchBytes > w.outBytes) return null;
  const code = ex.hushTensorDecode(w.state, i, w.out, n, scratch, scratchBytes) as number;
  return { code, data: new Float32Array(w.memory.buffer.slice(w.out, w.out + 4 * n)) };
}
