/**
 * The `.hush` backend of a speaker-separation model for `hushpack evalset` (src/evaluate/
 * backendSeparation.ts), the sibling of ./enhanceFile.ts: the model on the WASM Separator
 * (runtime/core/separator.ts), each mixture separated as one utterance by Separator.processBuffer —
 * a fresh stream, 80-sample hops at 8 kHz as a live host feeds them, zeros after the end to flush the
 * stream delay, which is removed — so each output has the mixture's length and is aligned with it
 * sample for sample. Runs in the calling thread, as the enhancement `.hush` backend does (the metrics
 * run on their workers while the next mixture is separated).
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../../src/errors.js';
import type { PlanChoice } from '../core/plan.js';
import { Separator } from './separator.js';
import type { WasmFlavor } from './wasmFile.js';

/** Wrapped by src/evaluate/backendSeparation.ts as a SeparateBackend. */
export interface HushSeparateBackend {
  readonly kind: 'wasm';
  /** e.g. "conv-tasnet (wasm simd, plan auto)". */
  readonly model: string;
  readonly separator: Separator;
  /** Mixture at separator.sampleRate → one signal per speaker, same length, aligned (latency compensated). */
  process(x: Float32Array): Float32Array[];
  close(): void;
}

/** Options of the backend (defaults as the enhancement backend's: SIMD when available, plan 'auto'). */
export interface HushSeparateOptions {
  flavor?: WasmFlavor;
  plan?: PlanChoice;
}

/**
 * Opens a `.hush` separation model as a separate backend (synchronous: Node compiles WASM
 * synchronously). An unreadable file, a file the reader rejects and an enhancement model each throw
 * a UserError naming the file.
 */
export function hushSeparateBackend(modelPath: string, options: HushSeparateOptions = {}): HushSeparateBackend {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(modelPath);
  } catch (err) {
    throw new UserError(`${modelPath}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const separator = Separator.loadSync(bytes, { flavor: options.flavor, plan: options.plan, fileName: modelPath });
  return {
    kind: 'wasm',
    model: `${separator.config.arch} (wasm ${separator.flavor}, plan ${options.plan ?? 'auto'})`,
    separator,
    process: (x) => separator.processBuffer(x),
    close: () => {},
  };
}
