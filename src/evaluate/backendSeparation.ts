/**
 * Separation backends by model file type — what `hushpack evalset` runs for a separation model
 * (issue 16). The sibling of ./backend.ts's EnhanceBackend for nets with C outputs: an 8-kHz mono
 * mixture in (at the level the two-talker sets are written at, src/data/separation/twoTalker.ts:
 * largest |sample| 0.9, the training level too), C waveforms of the same length out, aligned
 * sample for sample, in the net's output order (no permutation: the caller chooses one).
 *   .safetensors  whole-utterance libtorch forward (./backendSeparationTorch.ts; the nets are
 *                 causal, so this equals a frame-by-frame run): the reference path, and the path
 *                 compressed checkpoints (quantised weights stored as float32) are scored on
 *   .hush         the WASM Separator (runtime/node/separateFile.ts): 80-sample hops at 8 kHz from a
 *                 fresh stream per mixture, the stream delay removed — what a live host runs
 * The libtorch backend is imported only for a `.safetensors` file, so scoring a `.hush` model loads no
 * training code (as ./backend.ts).
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { UserError } from '../errors.js';
import { readHush } from '../format/reader.js';
import { hushSeparateBackend } from '../../runtime/node/separateFile.js';

/** A separation engine (see the file comment). */
export interface SeparateBackend {
  /** 'libtorch' or 'wasm'. */
  readonly kind: string;
  /** Short description (arch, preset). */
  readonly model: string;
  /** 'conv-tasnet' or 'upit-lstm'. */
  readonly arch: string;
  /** Preset from the file's metadata ('' when it does not say). */
  readonly preset: string;
  /** Outputs C. */
  readonly speakers: number;
  /** Rate of input and outputs (Hz). */
  readonly sampleRateHz: number;
  process(mixture: Float32Array): Float32Array[] | Promise<Float32Array[]>;
  close(): void;
}

/** The WASM backend of a `.hush` separation model. */
function wasmSeparateBackend(path: string): SeparateBackend {
  const b = hushSeparateBackend(path);
  const s = b.separator;
  // The runtime does not keep the metadata; the header says which preset was exported.
  const preset = readHush(readFileSync(path), path).metadata.preset ?? '';
  return {
    kind: b.kind, model: b.model, arch: s.config.arch, preset, speakers: s.outputCount, sampleRateHz: s.sampleRate,
    process: (x) => b.process(x), close: () => b.close(),
  };
}

/** Opens the backend of a separation model file by its extension. */
export async function separateBackendOpen(modelPath: string): Promise<SeparateBackend> {
  const ext = extname(modelPath).toLowerCase();
  if (ext === '.safetensors') return (await import('./backendSeparationTorch.js')).separateTorchBackend(modelPath);
  if (ext === '.hush') return wasmSeparateBackend(modelPath);
  throw new UserError(`${modelPath}: unknown model type '${ext || '(no extension)'}' (expected .safetensors or .hush)`);
}
