/** Network input layouts shared by the model and compression tests. */
import type { ArchName } from '../../src/models/index.js';

/** Input shape per architecture for a batch of B sequences of T frames (src/models/net.ts). */
export function inputShape(arch: ArchName, b: number, t: number): number[] {
  if (arch === 'tcnn') return [b, t, 320];
  if (arch === 'gcrn') return [b, 2, t, 161];
  return [b, t, 161];
}
