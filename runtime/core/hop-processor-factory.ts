/**
 * The seam between the real-time hosts and the models: every host (the AudioWorklet processor,
 * the Node live path) turns "a WASM instance + model bytes" into a HopProcessor here and nowhere
 * else. Browser-safe.
 *
 * Today: no model → IdentityHopProcessor. The `.hush` loader (the Enhancer) replaces the body of
 * the `model` branch; the hosts do not change.
 */
import type { HopProcessor } from './hop-processor.js';
import { IdentityHopProcessor } from './identity-processor.js';
import type { HushWasmExports } from './wasm.js';

/**
 * Creates the hop processor for `modelBytes` (a `.hush` file) in `wasm`, or the identity processor
 * when `modelBytes` is null or empty. `wasm` should be a fresh instance owned by the returned
 * processor (the WASM allocator is a bump allocator: a new model gets a new instance, and the old
 * one is freed with its processor). Throws on a model this build cannot run.
 */
export function createHopProcessor(wasm: HushWasmExports, modelBytes: Uint8Array | null): HopProcessor {
  if (modelBytes === null || modelBytes.byteLength === 0) return IdentityHopProcessor.create(wasm);
  throw new Error(`hushpack: running .hush models (${modelBytes.byteLength} bytes given) is not implemented in this build yet; omit the model for the identity processor`);
}
