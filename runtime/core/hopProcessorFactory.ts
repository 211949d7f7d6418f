/**
 * The seam between the real-time hosts and the models: every host (the AudioWorklet processor,
 * the Node live path) turns "a WASM instance + model bytes" into a HopProcessor here and nowhere
 * else. Browser-safe.
 *
 * No model → IdentityHopProcessor; a `.hush` model → an Enhancer (runtime/core/enhancer.ts) running
 * it with the default ('auto') execution plan and the given input level handling (the identity has
 * no network, so no level to set: it ignores `level`).
 */
import type { HopProcessor } from './hopProcessor.js';
import { Enhancer } from './enhancer.js';
import { IdentityHopProcessor } from './identityProcessor.js';
import type { LevelMode } from '../../src/dsp/level.js';
import type { HushWasmExports } from './wasm.js';

/**
 * Creates the hop processor for `modelBytes` (a `.hush` file) in `wasm`, or the identity processor
 * when `modelBytes` is null or empty. `wasm` should be a fresh instance owned by the returned
 * processor (the WASM allocator is a bump allocator: a new model gets a new instance, and the old
 * one is freed with its processor). Throws HushFormatError for an invalid file and UserError for a
 * model this build cannot run.
 */
export function createHopProcessor(wasm: HushWasmExports, modelBytes: Uint8Array | null, options: { level?: LevelMode } = {}): HopProcessor {
  if (modelBytes === null || modelBytes.byteLength === 0) return IdentityHopProcessor.create(wasm);
  return Enhancer.create(wasm, modelBytes, { plan: 'auto', level: options.level });
}
