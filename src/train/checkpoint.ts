/**
 * Trained-model checkpoints (`M.safetensors`) and the trainer's resumable state (`M.safetensors.state`).
 *
 * A checkpoint is a plain safetensors file (huggingface format, readable by PyTorch users) holding
 * every tensor of the network's state dict under its PyTorch name (parameters and BatchNorm
 * buffers; num_batches_tracked stored as F32, like every tensor this writer emits) and a
 * `__metadata__` string map:
 *   format            'hushpack-checkpoint'
 *   arch, preset      e.g. 'gcrn', 'edge' (preset 'custom' when the config is not a preset's)
 *   hparams           JSON of ArchConfig.hparams (with `arch`, what `hushpack inspect` reads)
 *   config            JSON of the whole ArchConfig
 *   training          JSON of TrainHyperParams (lr, decay, batch, segment, SNR range, seed, …)
 *   corpus_hash       SHA-256 of the corpus's manifest.csv (hex)
 *   command           the command line that trained it
 *   epoch, step       completed epochs and optimiser steps when it was saved
 *   val               JSON of the validation metrics of that epoch ({loss, stoi, pesq_nb, …})
 *   base_preset, hparam_overrides   (runs with `train --set`) the preset the config was derived
 *                     from and the overrides as JSON {key: value}
 *   init, init_sha256 (warm starts, `train --init`) the checkpoint the run started from: absolute
 *                     path and SHA-256 of its bytes
 *   hushpack_version  package.json version
 *
 * The state file is also safetensors: the LAST weights as `model.<name>`, the AMSGrad moments as
 * `optim.<name>.exp_avg|exp_avg_sq|max_exp_avg_sq`, and the loop position in metadata `state`
 * (JSON TrainLoopState). Everything is float32 in memory and on disk, so a resumed run continues
 * bit for bit. Both files are written atomically (temporary file, fsync, rename), so a crash or
 * Ctrl-C never leaves a truncated checkpoint.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import { readSafetensors, writeSafetensors, type SafetensorsTensor } from '../format/safetensors.js';
import { isArchName, type ArchConfig } from '../models/config.js';
import { createNet, type Net } from '../models/net.js';
import { paramSpecs } from '../models/layout.js';
import { Adam, tidy, type AdamParamState } from '../torch/torch.js';
import * as torch from '../torch/torch.js';

/** `format` metadata value of hushpack checkpoints. */
export const CHECKPOINT_FORMAT = 'hushpack-checkpoint';
/** `format` metadata value of trainer state files. */
export const TRAIN_STATE_FORMAT = 'hushpack-train-state';
/** Suffix of the state file next to a checkpoint. */
export const TRAIN_STATE_SUFFIX = '.state';
/** Suffix of the per-epoch JSON log next to a checkpoint. */
export const TRAIN_LOG_SUFFIX = '.log.jsonl';

let versionCache: string | undefined;

/** hushpack's version from the package.json above this module (works from src/ and dist/src/). */
export function hushpackVersion(): string {
  if (versionCache !== undefined) return versionCache;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hushpack' && typeof pkg.version === 'string') return (versionCache = pkg.version);
    }
    dir = dirname(dir);
  }
  return (versionCache = 'unknown');
}

/** SHA-256 (hex) of `dir`/manifest.csv: identifies the corpus a model was trained on. */
export function corpusHash(dir: string): string {
  const path = join(dir, 'manifest.csv');
  if (!existsSync(path)) throw new UserError(`${dir}: not a corpus folder (no manifest.csv)`);
  return fileSha256(path);
}

/** SHA-256 (hex) of a file's bytes (e.g. the checkpoint a warm start began from). */
export function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Writes `data` to `path` atomically: temporary file in the same folder, fsync, rename. */
export function fileWriteAtomic(path: string, data: Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw err;
  }
}

/**
 * What the state-dict helpers below need of a network: its specs and tensors by name. A Net is
 * one; so is a separation net (src/models/separation/net.ts), whose trainer shares these files.
 */
export type StateDictNet = Pick<Net, 'specs' | 'tensors'>;

/** Host copies of every tensor of `net` (state-dict order), as float32. */
export function netStateDict(net: StateDictNet): Map<string, SafetensorsTensor> {
  const out = new Map<string, SafetensorsTensor>();
  for (const s of net.specs) {
    const t = net.tensors.get(s.name)!;
    out.set(s.name, { shape: [...s.shape], data: t.toFloat32Array() });
  }
  return out;
}

/** Copies host values into `net`'s tensors in place (no autograd), by name; all must be present. */
export function netLoadStateDict(net: StateDictNet, tensors: ReadonlyMap<string, SafetensorsTensor>, name: string): void {
  for (const s of net.specs) {
    const src = tensors.get(s.name);
    if (src === undefined) throw new UserError(`${name}: tensor ${s.name} is missing`);
    if (src.data.length !== net.tensors.get(s.name)!.numel) {
      throw new UserError(`${name}: tensor ${s.name} has shape [${src.shape}], expected [${s.shape}]`);
    }
    net.tensors.get(s.name)!.copyFrom(src.data);
  }
}

/** A checkpoint read from disk. */
export interface Checkpoint {
  config: ArchConfig;
  /** Preset name from the metadata ('custom' or '' when unknown). */
  preset: string;
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

/** The ArchConfig stored in checkpoint metadata (`config`, or `arch` + `hparams`). */
export function configFromMetadata(meta: Record<string, string>, name: string): ArchConfig {
  try {
    if (meta.config) {
      const c = JSON.parse(meta.config) as ArchConfig;
      if (c && typeof c.arch === 'string' && isArchName(c.arch) && c.hparams && typeof c.hparams === 'object') return c;
    }
    if (meta.arch && isArchName(meta.arch) && meta.hparams) {
      return { arch: meta.arch, hparams: JSON.parse(meta.hparams) as ArchConfig['hparams'] };
    }
  } catch (err) {
    throw new UserError(`${name}: cannot parse the architecture in the metadata (${(err as Error).message})`);
  }
  throw new UserError(`${name}: no architecture in the safetensors metadata (expected keys 'arch' and 'hparams'); was it written by hushpack train?`);
}

/**
 * A file's bytes as a plain Uint8Array. (Not a Node Buffer: Buffer#slice shares memory instead of
 * copying, which readSafetensors's `raw.slice().buffer` relies on; a plain array is always safe.)
 */
function fileBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/** Reads a checkpoint file (any safetensors with hushpack's arch metadata). */
export function checkpointRead(path: string): Checkpoint {
  let bytes: Uint8Array;
  try {
    bytes = fileBytes(path);
  } catch (err) {
    throw new UserError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const f = readSafetensors(bytes, path);
  return { config: configFromMetadata(f.metadata, path), preset: f.metadata.preset ?? '', tensors: f.tensors, metadata: f.metadata };
}

/** Builds the network of a checkpoint over libtorch with its weights. Dispose it when done. */
export function netFromCheckpoint(path: string): { net: Net; checkpoint: Checkpoint } {
  const checkpoint = checkpointRead(path);
  const specs = paramSpecs(checkpoint.config);
  const missing = specs.filter((s) => !checkpoint.tensors.has(s.name)).map((s) => s.name);
  if (missing.length > 0) {
    throw new UserError(`${path}: ${missing.length} tensor(s) of ${checkpoint.config.arch} missing, e.g. ${missing.slice(0, 3).join(', ')}`);
  }
  return { net: createNet(checkpoint.config, { weights: checkpoint.tensors }), checkpoint };
}

/** Writes `net`'s weights and `metadata` (string values) as a checkpoint, atomically. */
export function checkpointWrite(path: string, net: StateDictNet, metadata: Record<string, string>): void {
  fileWriteAtomic(path, writeSafetensors(netStateDict(net), { format: CHECKPOINT_FORMAT, ...metadata }));
}

// ---------------------------------------------------------------------------------------------
// Trainer state
// ---------------------------------------------------------------------------------------------

/** Name prefixes of the state file's tensors. */
const MODEL_PREFIX = 'model.';
const OPTIM_PREFIX = 'optim.';
const MOMENT_NAMES = ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'] as const;

/** Writes the state file: last weights, optimiser moments, and `state` (any JSON-able object). */
export function trainStateWrite(path: string, net: StateDictNet, opt: Adam, state: unknown, metadata: Record<string, string>): void {
  const tensors = new Map<string, SafetensorsTensor>();
  for (const [k, v] of netStateDict(net)) tensors.set(MODEL_PREFIX + k, v);
  const paramNames = net.specs.filter((s) => !s.buffer).map((s) => s.name);
  const steps: (number | null)[] = [];
  tidy(() => {
    opt.getState().forEach((s, i) => {
      steps.push(s === null ? null : s.step);
      if (s === null) return;
      const moments = [s.expAvg, s.expAvgSq, s.maxExpAvgSq];
      MOMENT_NAMES.forEach((m, j) => {
        const t = moments[j];
        tensors.set(`${OPTIM_PREFIX}${paramNames[i]}.${m}`, { shape: t.shape, data: t.toFloat32Array() });
      });
    });
  });
  fileWriteAtomic(
    path,
    writeSafetensors(tensors, {
      ...metadata,
      format: TRAIN_STATE_FORMAT,
      state: JSON.stringify(state),
      optim_steps: JSON.stringify(steps),
    }),
  );
}

/** A state file read from disk (apply with `trainStateApply`); C: the network's config type. */
export interface TrainStateFile<C = ArchConfig> {
  path: string;
  config: C;
  metadata: Record<string, string>;
  /** The `state` metadata, parsed. */
  state: unknown;
  tensors: Map<string, SafetensorsTensor>;
  optimSteps: (number | null)[];
}

/**
 * Reads a state file written by trainStateWrite; `configOf` parses the network's config from the
 * metadata (default: an enhancement net's, configFromMetadata).
 */
export function trainStateRead<C>(path: string, configOf: (meta: Record<string, string>, name: string) => C): TrainStateFile<C>;
export function trainStateRead(path: string): TrainStateFile; // last: ReturnType<typeof trainStateRead> is the enhancement one
export function trainStateRead<C>(
  path: string, configOf: (meta: Record<string, string>, name: string) => C | ArchConfig = configFromMetadata,
): TrainStateFile<C | ArchConfig> {
  if (!existsSync(path)) throw new UserError(`${path}: no trainer state to resume from (run without --resume first)`);
  const f = readSafetensors(fileBytes(path), path);
  if (f.metadata.format !== TRAIN_STATE_FORMAT) throw new UserError(`${path}: not a hushpack trainer state file`);
  let state: unknown;
  let optimSteps: (number | null)[];
  try {
    state = JSON.parse(f.metadata.state ?? 'null');
    optimSteps = JSON.parse(f.metadata.optim_steps ?? '[]') as (number | null)[];
  } catch (err) {
    throw new UserError(`${path}: corrupt state metadata (${(err as Error).message})`);
  }
  return { path, config: configOf(f.metadata, path), metadata: f.metadata, state, tensors: f.tensors, optimSteps };
}

/** Loads a state file's weights into `net` and its moments into `opt` (same config and parameter order). */
export function trainStateApply(file: TrainStateFile<unknown>, net: StateDictNet, opt: Adam): void {
  const model = new Map<string, SafetensorsTensor>();
  for (const [k, v] of file.tensors) if (k.startsWith(MODEL_PREFIX)) model.set(k.slice(MODEL_PREFIX.length), v);
  netLoadStateDict(net, model, file.path);
  const paramNames = net.specs.filter((s) => !s.buffer).map((s) => s.name);
  if (file.optimSteps.length !== paramNames.length) {
    throw new UserError(`${file.path}: optimiser state for ${file.optimSteps.length} parameters, the network has ${paramNames.length}`);
  }
  tidy(() => {
    const states: (AdamParamState | null)[] = paramNames.map((name, i) => {
      const step = file.optimSteps[i];
      if (step === null || step === undefined) return null;
      const [m, v, vmax] = MOMENT_NAMES.map((mn) => {
        const t = file.tensors.get(`${OPTIM_PREFIX}${name}.${mn}`);
        if (t === undefined) throw new UserError(`${file.path}: optimiser moment ${name}.${mn} is missing`);
        return torch.tensor(t.data, t.shape);
      });
      return { step, expAvg: m, expAvgSq: v, maxExpAvgSq: vmax };
    });
    opt.setState(states);
  });
}
