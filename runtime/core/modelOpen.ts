/**
 * The model boundary's one call from the host (assembly/nets/model.ts modelCreate), shared by the
 * Enhancer and the Separator: the `.hush` bytes are copied into WASM memory, validated and bound
 * inside WASM; an invalid file becomes a HushFormatError with the TS reader's message, any other
 * load problem (an architecture or signal path this runtime cannot run, memory) a UserError.
 * Browser-safe.
 */
import { UserError } from '../../src/errors.js';
import { HushFormatError, hushErrorMessage } from '../../src/format/message.js';
import { utf8Decode } from './hushInfo.js';
import { PLAN_IDS, type PlanChoice } from './plan.js';
import type { HushModelExports } from './wasm.js';

/** Loads `bytes` into `ex` (a fresh instance) with plan `choice`; returns the model handle or throws. */
export function modelOpen(ex: HushModelExports, bytes: Uint8Array, name: string, choice: PlanChoice, cacheBytes: number): number {
  const filePtr = ex.memAlloc(bytes.length);
  if (filePtr === 0) throw new UserError(`${name}: out of WASM memory for a ${bytes.length}-byte model`);
  new Uint8Array(ex.memory.buffer, filePtr, bytes.length).set(bytes);
  const h = ex.modelCreate(filePtr, bytes.length, PLAN_IDS[choice], cacheBytes);
  if (h !== 0) return h;
  const state = ex.modelFormatState();
  if (state !== 0) {
    const r = { code: ex.modelFormatCode(), where: ex.hushErrorWhere(state), index: ex.hushErrorIndex(state), a: ex.hushErrorA(state), b: ex.hushErrorB(state) };
    throw new HushFormatError(hushErrorMessage(bytes, r, name), r);
  }
  const msg = new Uint8Array(ex.memory.buffer, ex.modelErrorPtr(), ex.modelErrorBytes());
  throw new UserError(`${name}: ${utf8Decode(msg, 0, msg.length)}`);
}
