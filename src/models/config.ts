/**
 * What identifies a network: its architecture and every hyper-parameter needed to rebuild it.
 * The `.hush` file stores exactly this (arch id + hparams), so width/depth variants need no code
 * change in the runtime. Presets (paper / edge / tiny) are named ArchConfigs defined in
 * src/models/presets.ts.
 */
import { UserError } from '../errors.js';

/** The four networks of Tan & Wang TASLP 2021 §III-B, in the paper's order. */
export const ARCH_NAMES = ['fdnn', 'lstm', 'tcnn', 'gcrn'] as const;
/** One of ARCH_NAMES. */
export type ArchName = (typeof ARCH_NAMES)[number];

/** Named size presets (src/models/presets.ts). */
export const PRESET_NAMES = ['paper', 'edge', 'tiny'] as const;
/** One of PRESET_NAMES. */
export type PresetName = (typeof PRESET_NAMES)[number];

/** A hyper-parameter value: an integer/float or a list of integers (e.g. channels per layer). */
export type HParam = number | number[];

/** A network: its architecture and hyper-parameters (all a `.hush` file needs to rebuild it). */
export interface ArchConfig {
  arch: ArchName;
  /** Hyper-parameters by name (names documented per architecture in src/models/<arch>Layout.ts). */
  hparams: Record<string, HParam>;
}

/** Type guard: is `s` an architecture name? */
export function isArchName(s: string): s is ArchName {
  return (ARCH_NAMES as readonly string[]).includes(s);
}

/** Type guard: is `s` a preset name? */
export function isPresetName(s: string): s is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(s);
}

/**
 * Reads hyper-parameter `name` of `config` as a positive integer (≥ `min`, default 1). Throws
 * UserError naming the architecture and the hyper-parameter when it is missing or not an integer,
 * because configs also come from user files (.hush headers, checkpoints).
 */
export function hparamInt(config: ArchConfig, name: string, min = 1): number {
  const v = config.hparams[name];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new UserError(`${config.arch}: hyper-parameter '${name}' must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/**
 * Reads hyper-parameter `name` of `config` as a non-empty list of integers, each ≥ `min`
 * (default 1). Throws UserError otherwise.
 */
export function hparamInts(config: ArchConfig, name: string, min = 1): number[] {
  const v = config.hparams[name];
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => Number.isInteger(x) && x >= min)) {
    throw new UserError(
      `${config.arch}: hyper-parameter '${name}' must be a non-empty list of integers ≥ ${min}, got ${JSON.stringify(v)}`,
    );
  }
  return v.slice();
}
