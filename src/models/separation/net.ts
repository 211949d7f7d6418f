/**
 * The two separation nets over libtorch, apart from the enhancement nets' ARCH_NAMES (registering
 * them there, in the .hush format and in WASM is issue 16's next step): a config names the family
 * and its hyper-parameters; `separationLayout` gives its tensors (PyTorch names, shapes, MAC terms),
 * `createSeparationNet` builds them (PyTorch-default initialisation, ../paramInit.ts) and runs the
 * family's stages over the whole utterance (../stages.ts stagesRun, as ../net.ts does).
 *
 *   conv-tasnet  waveform [B, S] (8 kHz)           → waveforms [B, C, S]       (./convTasNet.ts)
 *   upit-lstm    mixture magnitude [B, T, bins]     → masks [B, C, T, bins]     (./upitLstm.ts)
 */
import * as torch from '../../torch/torch.js';
import type { Tensor } from '../../torch/torch.js';
import { UserError } from '../../errors.js';
import type { Weights } from '../layers.js';
import type { HostTensor } from '../net.js';
import { paramInitValues } from '../paramInit.js';
import { shapeSize, type ArchLayout, type ParamSpec } from '../paramSpec.js';
import { stagesRun, type StagedNet } from '../stages.js';
import { convTasNetStages } from './convTasNet.js';
import { convTasNetLayout } from './convTasNetLayout.js';
import type { ConvTasNetHParams, UpitLstmHParams } from './sizes.js';
import { upitLstmStages } from './upitLstm.js';
import { upitLstmLayout } from './upitLstmLayout.js';

/** The separation families, as `hushpack train --arch` and checkpoints name them. */
export const SEPARATION_ARCH_NAMES = ['conv-tasnet', 'upit-lstm'] as const;
/** One of SEPARATION_ARCH_NAMES. */
export type SeparationArchName = (typeof SEPARATION_ARCH_NAMES)[number];

/** True when `s` names a separation family. */
export function isSeparationArchName(s: string): s is SeparationArchName {
  return (SEPARATION_ARCH_NAMES as readonly string[]).includes(s);
}

/** A separation net: its family and hyper-parameters. */
export type SeparationConfig =
  | { arch: 'conv-tasnet'; hp: ConvTasNetHParams }
  | { arch: 'upit-lstm'; hp: UpitLstmHParams };

/** Tensors and MAC terms of `config`'s net (UserError for hyper-parameters without tensors). */
export function separationLayout(config: SeparationConfig): ArchLayout {
  return config.arch === 'conv-tasnet' ? convTasNetLayout(config.hp) : upitLstmLayout(config.hp);
}

/** The staged forward of `config`'s net. */
export function separationStagedNet(config: SeparationConfig): StagedNet {
  return { stages: config.arch === 'conv-tasnet' ? convTasNetStages(config.hp) : upitLstmStages(config.hp) };
}

/** Trainable parameters of a layout (buffers excluded; the separation nets have none). */
export function layoutParamCount(layout: ArchLayout): number {
  return layout.params.reduce((n, p) => n + (p.buffer ? 0 : shapeSize(p.shape)), 0);
}

/** MACs per frame of a layout, Table III's (thop) convention (../size.ts countMacsPerFrame). */
export function layoutMacsPerFrame(layout: ArchLayout): number {
  const sizes = new Map(layout.params.map((p) => [p.name, shapeSize(p.shape)]));
  return layout.macTerms.reduce((m, t) => m + (sizes.get(t.tensor) as number) * t.usesPerFrame, layout.fixedMacsPerFrame);
}

/** A separation net over libtorch. Owns its tensors: call `dispose()` when done. */
export interface SeparationNet {
  readonly config: SeparationConfig;
  readonly specs: readonly ParamSpec[];
  /** Every tensor by state-dict name, in spec order, `keep()`-ed, requiresGrad. */
  readonly tensors: ReadonlyMap<string, Tensor>;
  /** Trainable parameters in spec order. */
  parameters(): Tensor[];
  /** Runs the net on a batch (see the file comment). Intermediates are freed. */
  forward(input: Tensor, opts: { training: boolean }): Tensor;
  dispose(): void;
}

/** Options of `createSeparationNet`. */
export interface SeparationNetOptions {
  /** Seed of the PyTorch-default initialisation (../paramInit.ts); default 0. */
  seed?: number;
  /** Values to load instead (e.g. a checkpoint's), by state-dict name: every tensor, with its spec's shape. */
  weights?: ReadonlyMap<string, HostTensor>;
}

/** Builds `config`'s net, initialised from `seed` or loaded from `weights` (UserError for a missing or misshapen tensor). */
export function createSeparationNet(config: SeparationConfig, opts: SeparationNetOptions = {}): SeparationNet {
  const specs = separationLayout(config).params;
  const init = opts.weights === undefined ? paramInitValues(specs, opts.seed ?? 0) : undefined;
  const host = (s: ParamSpec): Float32Array => {
    if (init !== undefined) return init.get(s.name) as Float32Array;
    const given = opts.weights!.get(s.name);
    if (given === undefined) throw new UserError(`${config.arch}: tensor ${s.name} is missing`);
    if (given.data.length !== shapeSize(s.shape)) throw new UserError(`${config.arch}: tensor ${s.name} has shape [${given.shape}], expected [${s.shape}]`);
    return given.data;
  };
  const tensors = new Map<string, Tensor>();
  for (const s of specs) {
    const t = torch.tensor(host(s), s.shape).keep();
    t.setRequiresGrad(true);
    tensors.set(s.name, t);
  }
  const w: Weights = (name) => {
    const t = tensors.get(name);
    if (t === undefined) throw new Error(`${config.arch}: no tensor named ${name}`);
    return t;
  };
  const staged = separationStagedNet(config);
  const expected = config.arch === 'conv-tasnet' ? '[B, S]' : `[B, T, ${config.hp.bins}]`;
  const check = (x: Tensor): void => {
    const ok = config.arch === 'conv-tasnet' ? x.shape.length === 2 : x.shape.length === 3 && x.shape[2] === config.hp.bins;
    if (!ok) throw new Error(`${config.arch}.forward: expected input ${expected}, got [${x.shape.join(', ')}]`);
  };
  return {
    config,
    specs,
    tensors,
    parameters: () => specs.map((s) => tensors.get(s.name) as Tensor),
    forward: (input, fo) => {
      check(input);
      return torch.tidy(() => stagesRun(staged, w, { x: input }, fo.training));
    },
    dispose: () => {
      for (const t of tensors.values()) t.dispose();
    },
  };
}
