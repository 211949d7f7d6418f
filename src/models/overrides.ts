/**
 * Width/depth variants of a preset: `key=value` overrides of its hyper-parameters
 * (`hushpack train --set hidden_units=200,200,200`), e.g. the paper's small-from-scratch baselines
 * of Table IV (Tan & Wang TASLP 2021 §III-D: FDNN_S 3 × 200, LSTM_S 320 units, TCNN_S 256 TCM
 * channels and 2 stacks, GCRN_S encoder …,64,128 and first decoder blocks 64).
 *
 * Keys are the hyper-parameter names of the architecture (src/models/<arch>Layout.ts, the names
 * the presets, checkpoints and `.hush` headers use); a key must exist in the base config or be one
 * of the architecture's optional ones (layout.ts archOptionalHParams, e.g. GCRN's complex_mask),
 * and the value has the base (or optional default) value's type: one integer for a scalar, a comma-separated list of integers for
 * a list (a list may change length: `hidden_units=256` is a one-layer FDNN). The result is validated
 * by building its layout, so mismatched list lengths or impossible conv geometry are reported here,
 * before any training starts. Every key is expressible end to end: trainer, checkpoint, `.hush`
 * header and WASM runtime all rebuild the network from these hyper-parameters.
 */
import { UserError } from '../errors.js';
import type { ArchConfig, HParam } from './config.js';
import { archLayout, archOptionalHParams } from './layout.js';

/** One parsed `key=value` override. */
export interface HParamOverride {
  key: string;
  value: HParam;
}

/** Formats a hyper-parameter value as `--set` takes it: `256` or `4,8,16`. */
export function hparamText(v: HParam): string {
  return Array.isArray(v) ? v.join(',') : String(v);
}

/** Parses one integer of a `--set` value, naming the assignment in the error. */
function overrideInt(text: string, assignment: string): number {
  const s = text.trim();
  const n = /^[+-]?\d+$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(n)) throw new UserError(`--set ${assignment}: '${s}' is not an integer`);
  return n;
}

/**
 * Applies `assignments` (each `key=value`) to a copy of `base` and validates the result (UserError
 * naming the offending assignment: unknown key, repeated key, wrong type, or a network that cannot
 * be built). Returns the new config and the parsed overrides in the given order.
 */
export function configWithOverrides(base: ArchConfig, assignments: readonly string[]): { config: ArchConfig; overrides: HParamOverride[] } {
  const hparams = structuredClone(base.hparams);
  const overrides: HParamOverride[] = [];
  const optional = archOptionalHParams(base.arch);
  const known = { ...base.hparams, ...Object.fromEntries(Object.entries(optional).filter(([k]) => !Object.hasOwn(base.hparams, k))) };
  const keys = Object.keys(known);
  for (const a of assignments) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new UserError(`--set expects key=value (e.g. ${keys[0]}=${hparamText(known[keys[0]])}), got '${a}'`);
    const key = a.slice(0, eq).trim();
    const text = a.slice(eq + 1);
    if (!Object.hasOwn(known, key)) {
      throw new UserError(`--set ${a}: ${base.arch} has no hyper-parameter '${key}' (it has ${keys.join(', ')})`);
    }
    if (overrides.some((o) => o.key === key)) throw new UserError(`--set ${key} is given twice`);
    if (text.trim() === '') throw new UserError(`--set ${a}: empty value`);
    const isList = Array.isArray(known[key]);
    if (!isList && text.includes(',')) throw new UserError(`--set ${a}: '${key}' takes one integer, not a list`);
    const value: HParam = isList ? text.split(',').map((t) => overrideInt(t, a)) : overrideInt(text, a);
    // An optional key set to the value its absence means is left out: the network is the base one.
    if (!Object.hasOwn(base.hparams, key) && hparamText(value) === hparamText(optional[key])) delete hparams[key];
    else hparams[key] = value;
    overrides.push({ key, value });
  }
  const config: ArchConfig = { arch: base.arch, hparams };
  try {
    archLayout(config);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    const given = overrides.map((o) => `${o.key}=${hparamText(o.value)}`).join(' ');
    throw new UserError(`--set ${given}: not a valid ${base.arch} network: ${err.message}`);
  }
  return { config, overrides };
}

/** Canonical JSON of a config (hyper-parameters sorted by name), for equality tests. */
function configCanonical(c: ArchConfig): string {
  const keys = Object.keys(c.hparams).sort();
  return JSON.stringify([c.arch, keys.map((k) => [k, c.hparams[k]])]);
}

/** True when two configs describe the same network (hyper-parameter order ignored). */
export function configEqual(a: ArchConfig, b: ArchConfig): boolean {
  return configCanonical(a) === configCanonical(b);
}

/**
 * The differences between two configs in words, e.g. `arch gcrn vs fdnn` or
 * `enc_channels 4,8 vs 2,2; lstm_layers (missing) vs 2`; '' when equal.
 */
export function configDiffText(a: ArchConfig, b: ArchConfig): string {
  if (a.arch !== b.arch) return `arch ${a.arch} vs ${b.arch}`;
  const keys = [...new Set([...Object.keys(a.hparams), ...Object.keys(b.hparams)])].sort();
  const show = (v: HParam | undefined) => (v === undefined ? '(missing)' : hparamText(v));
  return keys
    .filter((k) => JSON.stringify(a.hparams[k]) !== JSON.stringify(b.hparams[k]))
    .map((k) => `${k} ${show(a.hparams[k])} vs ${show(b.hparams[k])}`)
    .join('; ');
}
