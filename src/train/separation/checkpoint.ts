/**
 * Checkpoints of the separation nets: the same safetensors files as the enhancement nets'
 * (../checkpoint.ts: PyTorch state-dict names, float32, atomic writes, the trainer's `.state`
 * beside them), with metadata
 *   format   'hushpack-checkpoint'
 *   task     'separation'
 *   arch     'conv-tasnet' | 'upit-lstm'
 *   config   JSON of the SeparationConfig ({arch, hp}, src/models/separation/net.ts)
 *   speakers number of outputs (C)
 * plus the run's provenance (preset, training, corpus_hash, command, epoch, step, val, …). The
 * enhancement readers (configFromMetadata) reject these files: their `config` has no `hparams`
 * and their arch is not an enhancement net.
 */
import { UserError } from '../../errors.js';
import { readSafetensors } from '../../format/safetensors.js';
import { readFileSync } from 'node:fs';
import { createSeparationNet, isSeparationArchName, type SeparationConfig, type SeparationNet } from '../../models/separation/net.js';
import { checkpointWrite } from '../checkpoint.js';

/** `task` metadata value of a separation checkpoint or state file. */
export const SEPARATION_TASK = 'separation';

/** Metadata entries that say what the net is. */
export function separationConfigMetadata(config: SeparationConfig): Record<string, string> {
  return { task: SEPARATION_TASK, arch: config.arch, config: JSON.stringify(config), speakers: String(config.hp.speakers) };
}

/** The SeparationConfig of a checkpoint's or state file's metadata (UserError when it has none). */
export function separationConfigFromMetadata(meta: Record<string, string>, name: string): SeparationConfig {
  if (meta.task !== SEPARATION_TASK) throw new UserError(`${name}: not a separation model (metadata task is '${meta.task ?? ''}')`);
  let c: SeparationConfig;
  try {
    c = JSON.parse(meta.config ?? 'null') as SeparationConfig;
  } catch (err) {
    throw new UserError(`${name}: cannot parse the separation config in the metadata (${(err as Error).message})`);
  }
  if (!c || typeof c.arch !== 'string' || !isSeparationArchName(c.arch) || !c.hp || typeof c.hp !== 'object') {
    throw new UserError(`${name}: metadata config is not a separation net ({arch: conv-tasnet | upit-lstm, hp})`);
  }
  return c;
}

/** True when the safetensors metadata says the file holds a separation net. */
export function isSeparationMetadata(meta: Record<string, string>): boolean {
  return meta.task === SEPARATION_TASK;
}

/** The metadata of a safetensors file (header only is parsed by readSafetensors; the file is read whole). */
export function safetensorsMetadataRead(path: string): Record<string, string> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new UserError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return readSafetensors(bytes, path).metadata;
}

/** A separation checkpoint read from disk, with its net built over libtorch (dispose the net). */
export interface SeparationCheckpoint {
  config: SeparationConfig;
  preset: string;
  metadata: Record<string, string>;
  net: SeparationNet;
}

/** Reads a separation checkpoint and builds its net with the stored weights. */
export function separationNetFromCheckpoint(path: string): SeparationCheckpoint {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new UserError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const f = readSafetensors(bytes, path);
  const config = separationConfigFromMetadata(f.metadata, path);
  let net: SeparationNet;
  try {
    net = createSeparationNet(config, { weights: f.tensors });
  } catch (err) {
    throw err instanceof UserError ? new UserError(`${path}: ${err.message}`) : err;
  }
  return { config, preset: f.metadata.preset ?? '', metadata: f.metadata, net };
}

/** Writes a separation net's weights with its config and `metadata`, atomically. */
export function separationCheckpointWrite(path: string, net: SeparationNet, metadata: Record<string, string>): void {
  checkpointWrite(path, net, { ...metadata, ...separationConfigMetadata(net.config) });
}
