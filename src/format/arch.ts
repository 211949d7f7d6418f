/**
 * What a `.hush` file says a network is: its architecture (hush_model.arch, HUSH_ARCH_* − 1 indexes
 * ARCH_NAMES) and hyper-parameters. Defined here, in the format layer, so that the readers (and the
 * runtime, which stands on the format and DSP layers only) need nothing from src/models; src/models/
 * config.ts re-exports these and adds the presets and the hyper-parameter checks.
 */

/** The four networks of Tan & Wang TASLP 2021 §III-B, in the paper's order. */
export const ARCH_NAMES = ['fdnn', 'lstm', 'tcnn', 'gcrn'] as const;
/** One of ARCH_NAMES. */
export type ArchName = (typeof ARCH_NAMES)[number];

/** A hyper-parameter value: an integer/float or a list of integers (e.g. channels per layer). */
export type HParam = number | number[];

/** A network: its architecture and hyper-parameters (all a `.hush` file needs to rebuild it). */
export interface ArchConfig {
  arch: ArchName;
  /** Hyper-parameters by name (names documented per architecture in src/models/<arch>Layout.ts). */
  hparams: Record<string, HParam>;
}
