/**
 * The `.hush` backend of `hushpack enhance` (src/evaluate/backend.ts; tools/commands/enhance.ts owns the WAV pipeline:
 * downmix → resample to 16 kHz → unit RMS → backend → back to the input rate and length).
 * The backend runs the compressed model on the WASM runtime over the whole 16 kHz signal with
 * Enhancer.processBuffer: hop by hop from a fresh stream, the 160-sample stream delay removed, so
 * the output has the input's length and is aligned with it sample for sample.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../../src/errors.js';
import type { PlanChoice } from '../core/plan.js';
import { Enhancer } from './enhancer.js';
import type { WasmFlavor } from './wasmFile.js';

/** Wrapped by src/evaluate/backend.ts as an EnhanceBackend. */
export interface HushEnhanceBackend {
  readonly kind: 'wasm';
  /** e.g. "gcrn (wasm simd, plan auto)". */
  readonly model: string;
  readonly enhancer: Enhancer;
  /** 16 kHz mono in → enhanced, same length, aligned (latency compensated). */
  process(x: Float32Array): Float32Array;
  close(): void;
}

/** Options of the backend (defaults: SIMD when available, plan 'auto'). */
export interface HushEnhanceOptions {
  flavor?: WasmFlavor;
  plan?: PlanChoice;
}

/** Opens a `.hush` model as an enhance backend (synchronous: Node compiles WASM synchronously). */
export function hushEnhanceBackend(modelPath: string, options: HushEnhanceOptions = {}): HushEnhanceBackend {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(modelPath);
  } catch (err) {
    throw new UserError(`${modelPath}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const enhancer = Enhancer.loadSync(bytes, { flavor: options.flavor, plan: options.plan, fileName: modelPath });
  return {
    kind: 'wasm',
    model: `${enhancer.config.arch} (wasm ${enhancer.flavor}, plan ${enhancer.plan.choice})`,
    enhancer,
    process: (x) => enhancer.processBuffer(x),
    close: () => {},
  };
}
