/**
 * Enhancement backends by model file type — what `hushpack enhance` and `hushpack evalset` run.
 * A backend takes a 16 kHz mono signal at unit RMS (the training level, Tan & Wang §III-A) and
 * returns the enhanced signal, same length, aligned sample for sample:
 *   .safetensors  the offline reference path: whole-utterance libtorch forward (src/train/features.ts
 *                 enhanceWaveform), the target of the WASM parity tests
 *   .hush         the compressed model on the WASM runtime (runtime/node/enhance-file.ts)
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { UserError } from '../errors.js';
import { readHush } from '../format/reader.js';
import { isTorchAvailable, ADDON_MISSING_MESSAGE } from '../train/torch.js';
import { netFromCheckpoint } from '../train/checkpoint.js';
import { enhanceWaveform } from '../train/features.js';
import { hushEnhanceBackend } from '../../runtime/node/enhance-file.js';

/**
 * An enhancement engine: 16 kHz mono in (at unit RMS for our models), the enhanced signal (same
 * length, aligned) out.
 */
export interface EnhanceBackend {
  /** 'libtorch', 'wasm' or 'peer' (src/peers/backend.ts). */
  readonly kind: string;
  /** Short description of the model (arch, preset; for wasm the build and plan). */
  readonly model: string;
  /** Architecture name ('fdnn', 'lstm', 'tcnn', 'gcrn'). */
  readonly arch: string;
  /** Preset from the file's metadata ('' when the file does not say). */
  readonly preset: string;
  /**
   * The level the engine is fed: 'unit-rms' (our models: the training level, Tan & Wang §III-A) or
   * 'as-written' (peers: the file's own level, as a microphone would give it).
   */
  readonly inputLevel: 'unit-rms' | 'as-written';
  process(x: Float32Array): Float32Array;
  close(): void;
}

/**
 * What `hushpack evalset` scores: a model's EnhanceBackend, or a peer's (src/peers/backend.ts),
 * whose process is asynchronous (each file gets a fresh worklet processor that loads its wasm).
 */
export interface ScoredBackend extends Omit<EnhanceBackend, 'process'> {
  process(x: Float32Array): Float32Array | Promise<Float32Array>;
}

/** The libtorch backend of a `.safetensors` checkpoint. */
function torchBackend(path: string): EnhanceBackend {
  if (!isTorchAvailable()) throw new UserError(`${path}: enhancing with a .safetensors checkpoint needs libtorch; ${ADDON_MISSING_MESSAGE}`);
  const { net, checkpoint } = netFromCheckpoint(path);
  return {
    kind: 'libtorch',
    model: `${checkpoint.config.arch}${checkpoint.preset ? ` ${checkpoint.preset}` : ''}`,
    arch: checkpoint.config.arch,
    preset: checkpoint.preset,
    inputLevel: 'unit-rms',
    process: (x) => enhanceWaveform(net, x),
    close: () => net.dispose(),
  };
}

/** The WASM backend of a `.hush` model. */
function wasmBackend(path: string): EnhanceBackend {
  const b = hushEnhanceBackend(path);
  // The runtime does not keep the metadata; the header says which preset was compressed.
  const preset = readHush(readFileSync(path), path).metadata.preset ?? '';
  return { kind: b.kind, model: b.model, arch: b.enhancer.config.arch, preset, inputLevel: 'unit-rms', process: (x) => b.process(x), close: () => b.close() };
}

/** Opens the backend for a model file by its extension (UserError for other extensions). */
export function enhanceBackendOpen(modelPath: string): EnhanceBackend {
  const ext = extname(modelPath).toLowerCase();
  if (ext === '.safetensors') return torchBackend(modelPath);
  if (ext === '.hush') return wasmBackend(modelPath);
  throw new UserError(`${modelPath}: unknown model type '${ext || '(no extension)'}' (expected .safetensors or .hush)`);
}
