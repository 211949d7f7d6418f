/**
 * Shared runners of the runtime tests: the libtorch reference, the hop-by-hop WASM run and the error
 * measure (tools/bench/parityRun.ts, shared with tools/bench/parityEdge.ts), and a fresh
 * Enhancer on the test build of the WASM module.
 */
import { Enhancer } from '../../runtime/core/enhancer.js';
import type { PlanChoice } from '../../runtime/core/plan.js';
import { runtimeWasm, type Flavor } from './wasm.js';

export { maxAbsDiff, referenceEnhance, streamHops } from '../../tools/bench/parityRun.js';

/** A fresh instance + Enhancer for a model. */
export async function enhancerFor(hush: Uint8Array, flavor: Flavor, plan: PlanChoice = 'auto'): Promise<Enhancer> {
  return Enhancer.create(await runtimeWasm(flavor), hush, { plan });
}
