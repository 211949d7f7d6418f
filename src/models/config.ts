/**
 * What identifies a network: its architecture and every hyper-parameter needed to rebuild it.
 * The `.hush` file stores exactly this (arch id + hparams), so width/depth variants need no code
 * change in the runtime. Presets (paper / edge / tiny) are named ArchConfigs defined in
 * src/models/presets.ts.
 */
import { UserError } from '../errors.js';
import { ARCH_NAMES, type ArchConfig, type ArchName } from '../format/arch.js';

export { ARCH_NAMES, type ArchConfig, type ArchName, type HParam } from '../format/arch.js';

/** Named size presets (src/models/presets.ts). */
export const PRESET_NAMES = ['paper', 'edge', 'tiny'] as const;
/** One of PRESET_NAMES. */
export type PresetName = (typeof PRESET_NAMES)[number];

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
 * Reads an optional on/off hyper-parameter `name` of `config`: 0 when absent (files written before
 * the option existed read as before), else 0 or 1. Throws UserError for any other value.
 */
export function hparamFlag(config: ArchConfig, name: string): boolean {
  const v = config.hparams[name];
  if (v === undefined) return false;
  if (v !== 0 && v !== 1) throw new UserError(`${config.arch}: hyper-parameter '${name}' must be 0 or 1, got ${JSON.stringify(v)}`);
  return v === 1;
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
