/**
 * Dispatch from an ArchConfig to its architecture's layout (tensors + MAC cost model), and the
 * parameter specs every other module builds on.
 */
import type { ArchConfig, ArchName, HParam } from './config.js';
import { fdnnLayout } from './fdnnLayout.js';
import { GCRN_OPTIONAL_HPARAMS, gcrnLayout } from './gcrnLayout.js';
import { lstmLayout } from './lstmLayout.js';
import type { ArchLayout, ParamSpec } from './paramSpec.js';
import { tcnnLayout } from './tcnnLayout.js';
import { UserError } from '../errors.js';

/** Tensors and MAC terms of `config`'s network. Throws UserError for invalid hyper-parameters. */
export function archLayout(config: ArchConfig): ArchLayout {
  switch (config.arch) {
    case 'fdnn':
      return fdnnLayout(config);
    case 'lstm':
      return lstmLayout(config);
    case 'tcnn':
      return tcnnLayout(config);
    case 'gcrn':
      return gcrnLayout(config);
    default:
      throw new UserError(`unknown architecture ${JSON.stringify((config as { arch: unknown }).arch)}`);
  }
}

/**
 * Every tensor of `config`'s network in PyTorch state-dict naming and order: trainable
 * parameters, plus BatchNorm running statistics marked `buffer: true`.
 */
export function paramSpecs(config: ArchConfig): ParamSpec[] {
  return archLayout(config).params;
}

/**
 * Hyper-parameters `arch` may leave out, with the value their absence means (options added after
 * files were written; the presets leave them out). `--set` accepts them (./overrides.ts).
 */
export function archOptionalHParams(arch: ArchName): Readonly<Record<string, HParam>> {
  return arch === 'gcrn' ? GCRN_OPTIONAL_HPARAMS : {};
}
