/**
 * What identifies a network: its architecture and every hyper-parameter needed to rebuild it.
 * The `.hush` file stores exactly this (arch id + hparams), so width/depth variants need no code
 * change in the runtime. Presets (paper / edge / tiny) are named ArchConfigs defined in
 * src/models/presets.ts.
 */
export const ARCH_NAMES = ['fdnn', 'lstm', 'tcnn', 'gcrn'] as const;
export type ArchName = (typeof ARCH_NAMES)[number];

export const PRESET_NAMES = ['paper', 'edge', 'tiny'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** A hyper-parameter value: an integer/float or a list of integers (e.g. channels per layer). */
export type HParam = number | number[];

export interface ArchConfig {
  arch: ArchName;
  /** Hyper-parameters by name (names documented per architecture in src/models/<arch>.ts). */
  hparams: Record<string, HParam>;
}

export function isArchName(s: string): s is ArchName {
  return (ARCH_NAMES as readonly string[]).includes(s);
}
