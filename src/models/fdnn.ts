/**
 * FDNN forward pass, written once as stages over LayerOps (architecture and tensor names:
 * fdnnLayout.ts). Frame-wise, hence trivially causal.
 *   noisy magnitude [B, T, 161] → IRM [B, T, 161] in (0, 1)
 */
import type { FdnnHParams } from './fdnnLayout.js';
import { FDNN_NAMES } from './fdnnLayout.js';
import { linearLayer } from './layers.js';
import type { Stage } from './stages.js';

/** One stage per Linear: hidden layers with ReLU, the output layer with sigmoid. */
export function fdnnStages(hp: FdnnHParams): Stage[] {
  const stages: Stage[] = hp.hiddenUnits.map((_, j) => {
    const name = FDNN_NAMES.hidden(j + 1);
    return { name, run: (ops, s) => ({ x: linearLayer(ops.w, name, s.x).relu() }) }; // [B, T, units_j]
  });
  stages.push({ name: FDNN_NAMES.out, run: (ops, s) => ({ x: linearLayer(ops.w, FDNN_NAMES.out, s.x).sigmoid() }) }); // [B, T, 161]
  return stages;
}
