/**
 * A network ready to train or run over libtorch: its config, its tensors (built from paramSpecs,
 * same names and shapes, so checkpoints map one to one) and its forward pass (the arch's stages,
 * stages.ts, run over the whole utterance).
 *
 *   const net = createNet(presetConfig('gcrn', 'edge'), { seed: 1 });
 *   const opt = new Adam(net.parameters());
 *   tidy(() => { const y = net.forward(x, { training: true }); ... });
 *
 * Input and output of `forward`, batched:
 *   fdnn  noisy magnitude [B, T, 161] → IRM [B, T, 161]
 *   lstm  noisy magnitude [B, T, 161] → clean magnitude [B, T, 161]
 *   tcnn  noisy frames    [B, T, 320] → clean frames [B, T, 320] (rectangular, 50 % overlap-add)
 *   gcrn  noisy STFT      [B, 2, T, 161] (re, im) → clean STFT [B, 2, T, 161]
 * All four are causal in inference mode (`training: false`): output frame t depends on input
 * frames ≤ t only. In training mode BatchNorm uses batch statistics pooled over time.
 */
import * as torch from '../torch/torch.js';
import type { Tensor } from '../torch/torch.js';
import { UserError } from '../errors.js';
import type { ArchConfig } from './config.js';
import type { Weights } from './layers.js';
import { paramSpecs } from './layout.js';
import { paramInitValues } from './paramInit.js';
import { shapeSize, type ParamSpec } from './paramSpec.js';
import { stagedNet, stagesRun } from './stages.js';
import { NUM_BINS, WINDOW_SAMPLES } from '../dsp/constants.js';

/** Options of `forward`. */
export interface ForwardOptions {
  /** BatchNorm with batch statistics (and running-statistics updates) when true. */
  training: boolean;
}

/** A network over libtorch. Owns its tensors: call `dispose()` when done. */
export interface Net {
  readonly config: ArchConfig;
  /** The specs the tensors were built from (paramSpecs(config)). */
  readonly specs: readonly ParamSpec[];
  /**
   * Every tensor by state-dict name, in spec order: parameters (requiresGrad) and buffers
   * (BatchNorm running statistics; num_batches_tracked is int64). All are `keep()`-ed.
   */
  readonly tensors: ReadonlyMap<string, Tensor>;
  /** Trainable parameters in spec order (what the optimiser updates). */
  parameters(): Tensor[];
  /** Runs the network on a batch (see the file comment for shapes). Intermediates are freed. */
  forward(input: Tensor, opts: ForwardOptions): Tensor;
  /** Frees every tensor. */
  dispose(): void;
}

/** Initial values of a tensor: host data with its shape (e.g. a safetensors entry). */
export interface HostTensor {
  shape: number[];
  data: Float32Array;
}

/** Options of `createNet`. */
export interface NetOptions {
  /** Seed of the PyTorch-default initialisation (paramInit.ts); default 0. */
  seed?: number;
  /**
   * Values to load instead of initialising, by state-dict name. Every parameter must be present
   * with its spec's shape; missing buffers keep their initial values (fresh running statistics).
   */
  weights?: ReadonlyMap<string, HostTensor>;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Builds `config`'s network over libtorch: tensors from paramSpecs, initialised or loaded. */
export function createNet(config: ArchConfig, opts: NetOptions = {}): Net {
  const specs = paramSpecs(config);
  const init = opts.weights === undefined ? paramInitValues(specs, opts.seed ?? 0) : undefined;
  const host = (s: ParamSpec): HostTensor => {
    const given = opts.weights?.get(s.name);
    if (given !== undefined) {
      if (!sameShape(given.shape, s.shape) || given.data.length !== shapeSize(s.shape)) {
        throw new UserError(`${config.arch}: tensor ${s.name} has shape [${given.shape}], expected [${s.shape}]`);
      }
      return given;
    }
    if (opts.weights !== undefined && !s.buffer) throw new UserError(`${config.arch}: tensor ${s.name} is missing`);
    const data = init?.get(s.name) ?? paramInitValues([s], 0).get(s.name);
    return { shape: s.shape, data: data as Float32Array };
  };
  const tensors = new Map<string, Tensor>();
  try {
    for (const s of specs) {
      const h = host(s);
      const t = torch.tensor(h.data, s.shape, { dtype: s.dtype ?? 'float32' }).keep();
      if (!s.buffer) t.setRequiresGrad(true);
      tensors.set(s.name, t);
    }
  } catch (err) {
    for (const t of tensors.values()) t.dispose();
    throw err;
  }
  const w: Weights = (name) => {
    const t = tensors.get(name);
    if (t === undefined) throw new Error(`${config.arch}: no tensor named ${name}`);
    return t;
  };
  const run = netForwardFunction(config, w);
  return {
    config,
    specs,
    tensors,
    parameters: () => specs.filter((s) => !s.buffer).map((s) => tensors.get(s.name) as Tensor),
    forward: (input, fo) => torch.tidy(() => run(input, fo.training)),
    dispose: () => {
      for (const t of tensors.values()) t.dispose();
    },
  };
}

/**
 * Shape of `forward`'s input for `batch` utterances of `frames` frames (the layouts in the file
 * comment). The one definition: the trainer's features (src/train/features.ts featureInputShape)
 * and the input check below both derive from it.
 */
export function netInputShape(arch: ArchConfig['arch'], batch: number, frames: number): number[] {
  switch (arch) {
    case 'fdnn':
    case 'lstm':
      return [batch, frames, NUM_BINS];
    case 'tcnn':
      return [batch, frames, WINDOW_SAMPLES];
    case 'gcrn':
      return [batch, 2, frames, NUM_BINS];
  }
}

/** netInputShape's trailing dims after [B, …] (null: the frame axis T) and its text, e.g. '[B, 2, T, 161]'. */
function netInputLayout(arch: ArchConfig['arch']): { dims: (number | null)[]; text: string } {
  const B = -1;
  const T = -2; // markers: no real dimension is negative
  const shape = netInputShape(arch, B, T);
  return {
    dims: shape.slice(1).map((d) => (d === T ? null : d)),
    text: `[${shape.map((d) => (d === B ? 'B' : d === T ? 'T' : String(d))).join(', ')}]`,
  };
}

/** The arch's staged forward (stages.ts) bound to its weights, behind an input-shape check. */
function netForwardFunction(config: ArchConfig, w: Weights): (input: Tensor, training: boolean) => Tensor {
  const staged = stagedNet(config); // validates the hyper-parameters
  const layout = netInputLayout(config.arch);
  return (x, training) => {
    const s = x.shape;
    if (s.length !== layout.dims.length + 1 || layout.dims.some((d, i) => d !== null && s[i + 1] !== d)) {
      throw new Error(`${config.arch}.forward: expected input ${layout.text}, got [${s.join(', ')}]`);
    }
    return stagesRun(staged, w, { x }, training);
  };
}
