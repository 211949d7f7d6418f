/**
 * What a `.hush` file says a network is: its architecture (hush_model.arch, HUSH_ARCH_* − 1 indexes
 * HUSH_ARCH_NAMES), its task and hyper-parameters. Defined here, in the format layer, so that the
 * readers (and the runtime, which stands on the format and DSP layers only) need nothing from
 * src/models; src/models/config.ts re-exports these and adds the presets and the hyper-parameter checks.
 */

/** The four enhancement networks of Tan & Wang TASLP 2021 §III-B, in the paper's order (ids 1–4). */
export const ARCH_NAMES = ['fdnn', 'lstm', 'tcnn', 'gcrn'] as const;
/** One of ARCH_NAMES. */
export type ArchName = (typeof ARCH_NAMES)[number];

/**
 * The two speaker-separation networks of Table VI (§IV-D), ids 5–6 (format 1.1), named as in
 * src/models/separation/net.ts SeparationConfig: causal Conv-TasNet and causal uPIT-LSTM.
 */
export const SEPARATION_ARCH_NAMES = ['conv-tasnet', 'upit-lstm'] as const;
/** One of SEPARATION_ARCH_NAMES. */
export type SeparationArchName = (typeof SEPARATION_ARCH_NAMES)[number];

/** Every architecture a file can name, by id − 1: the enhancement nets, then the separation nets appended. */
export const HUSH_ARCH_NAMES = [...ARCH_NAMES, ...SEPARATION_ARCH_NAMES] as const;
/** One of HUSH_ARCH_NAMES. */
export type HushArchName = (typeof HUSH_ARCH_NAMES)[number];

/** What a net's outputs are (hush_model.task): one enhanced signal, or one signal per speaker. */
export type HushTask = 'enhance' | 'separate';

/** A hyper-parameter value: an integer/float or a list of integers (e.g. channels per layer). */
export type HParam = number | number[];

/** An enhancement network: its architecture and hyper-parameters (all a `.hush` file needs to rebuild it). */
export interface ArchConfig {
  arch: ArchName;
  /** Hyper-parameters by name (names documented per architecture in src/models/<arch>Layout.ts). */
  hparams: Record<string, HParam>;
}

/**
 * A separation network as a file stores it: numeric hyper-parameters only (src/models/separation/
 * hushConfig.ts converts to and from its SeparationConfig); `speakers` is the number of outputs.
 */
export interface SeparationArchConfig {
  arch: SeparationArchName;
  hparams: Record<string, HParam>;
}

/** Any network a `.hush` file holds. */
export type HushArchConfig = ArchConfig | SeparationArchConfig;

/** True for the separation architectures. */
export function isSeparationArch(arch: HushArchName): arch is SeparationArchName {
  return (SEPARATION_ARCH_NAMES as readonly string[]).includes(arch);
}

/** The task of an architecture: separation nets separate, the others enhance. */
export function hushArchTask(arch: HushArchName): HushTask {
  return isSeparationArch(arch) ? 'separate' : 'enhance';
}

/** True for an enhancement net's config (the four nets of ARCH_NAMES). */
export function isEnhanceConfig(c: HushArchConfig): c is ArchConfig {
  return !isSeparationArch(c.arch);
}
