/**
 * Enhancement backends by model file type — what `hushpack enhance` and `hushpack evalset` run.
 * A backend takes a 16 kHz mono signal at unit RMS (the training level, Tan & Wang §III-A) and
 * returns the enhanced signal, same length, aligned sample for sample:
 *   .safetensors  the offline reference path: whole-utterance libtorch forward (src/train/features.ts
 *                 enhanceWaveform), the target of the WASM parity tests
 *   .hush         the compressed model on the WASM runtime (runtime/node/enhance-file.ts)
 * The libtorch backend (./backend-torch.ts) is imported only when a `.safetensors` file is opened:
 * the `.hush` path loads no training code, so it runs on a runtime-only install (docs/usage.md).
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { UserError } from '../errors.js';
import { readHush } from '../format/reader.js';
import { hushEnhanceBackend } from '../../runtime/node/enhance-file.js';

/** An enhancement engine: 16 kHz mono at unit RMS in, the enhanced signal (same length) out. */
export interface EnhanceBackend {
  /** 'libtorch' or 'wasm'. */
  readonly kind: string;
  /** Short description of the model (arch, preset; for wasm the build and plan). */
  readonly model: string;
  /** Architecture name ('fdnn', 'lstm', 'tcnn', 'gcrn'). */
  readonly arch: string;
  /** Preset from the file's metadata ('' when the file does not say). */
  readonly preset: string;
  process(x: Float32Array): Float32Array;
  close(): void;
}

/** The WASM backend of a `.hush` model. */
function wasmBackend(path: string): EnhanceBackend {
  const b = hushEnhanceBackend(path);
  // The runtime does not keep the metadata; the header says which preset was compressed.
  const preset = readHush(readFileSync(path), path).metadata.preset ?? '';
  return { kind: b.kind, model: b.model, arch: b.enhancer.config.arch, preset, process: (x) => b.process(x), close: () => b.close() };
}

/** Opens the backend for a model file by its extension (UserError for other extensions). */
export async function enhanceBackendOpen(modelPath: string): Promise<EnhanceBackend> {
  const ext = extname(modelPath).toLowerCase();
  if (ext === '.safetensors') return (await import('./backend-torch.js')).torchBackend(modelPath);
  if (ext === '.hush') return wasmBackend(modelPath);
  throw new UserError(`${modelPath}: unknown model type '${ext || '(no extension)'}' (expected .safetensors or .hush)`);
}
