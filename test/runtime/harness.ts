/**
 * Shared runners of the runtime tests: the libtorch reference, the hop-by-hop WASM run and the error
 * measure (tools/bench/parityRun.ts, shared with tools/bench/parityEdge.ts), and a fresh
 * Enhancer on the test build of the WASM module.
 */
import { Enhancer, type EnhancerOptions } from '../../runtime/core/enhancer.js';
import type { PlanChoice } from '../../runtime/core/plan.js';
import { runtimeWasm, type Flavor } from './wasm.js';

export { maxAbsDiff, referenceEnhance, streamHops } from '../../tools/bench/parityRun.js';

/** A fresh instance + Enhancer for a model ('auto' measures its plan unless options say otherwise). */
export async function enhancerFor(hush: Uint8Array, flavor: Flavor, plan: PlanChoice = 'auto', options: EnhancerOptions = {}): Promise<Enhancer> {
  return Enhancer.create(await runtimeWasm(flavor), hush, { ...options, plan });
}
