/**
 * Enhancement backends by model file type — what `hushpack enhance` and `hushpack evalset` run.
 * A backend takes a 16 kHz mono signal at unit RMS (the training level, Tan & Wang §III-A) and
 * returns the enhanced signal, same length, aligned sample for sample:
 *   .safetensors  the offline reference path: whole-utterance libtorch forward (src/train/features.ts
 *                 enhanceWaveform), the target of the WASM parity tests
 *   .hush         the compressed model on the WASM runtime (runtime/node/enhanceFile.ts)
 * The libtorch backend (./backendTorch.ts) is imported only when a `.safetensors` file is opened:
 * the `.hush` path loads no training code, so it runs on a runtime-only install (docs/usage.md).
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { UserError } from '../errors.js';
import { readHush } from '../format/reader.js';
import { levelTrackGains } from '../dsp/level.js';
import { hushEnhanceBackend } from '../../runtime/node/enhanceFile.js';

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

/** The WASM backend of a `.hush` model. */
function wasmBackend(path: string): EnhanceBackend {
  const b = hushEnhanceBackend(path);
  // The runtime does not keep the metadata; the header says which preset was compressed.
  const preset = readHush(readFileSync(path), path).metadata.preset ?? '';
  return { kind: b.kind, model: b.model, arch: b.enhancer.config.arch, preset, inputLevel: 'unit-rms', process: (x) => b.process(x), close: () => b.close() };
}

/**
 * How the signal's level reaches the net: 'global' (the caller's unit-RMS scaling of the whole
 * signal, non-causal: what the file paths do) or 'track' (the streaming runtime's causal level
 * tracker, src/dsp/level.ts, from a fresh state at the start of the signal: what a live stream gets).
 */
export const BACKEND_LEVELS = ['global', 'track'] as const;
export type BackendLevel = (typeof BACKEND_LEVELS)[number];

/** Options of enhanceBackendOpen. */
export interface EnhanceBackendOptions {
  /** Default 'global'. */
  level?: BackendLevel;
}

/**
 * Wraps `b` with the causal level path: input × g, output ÷ g, g the tracker's per-sample gains.
 * The backends are aligned sample for sample, so output sample n is divided by the gain input sample
 * n got — exactly the runtime's Enhancer with level 'track' (which reads the gain back across its delay).
 */
function trackedBackend(b: EnhanceBackend): EnhanceBackend {
  return {
    ...b,
    model: `${b.model}, level track`,
    process: (x) => {
      const g = levelTrackGains(x);
      const y = b.process(x.map((v, i) => v * g[i]));
      for (let i = 0; i < y.length; i++) y[i] /= g[i];
      return y;
    },
    close: () => b.close(),
  };
}

/** Opens the backend for a model file by its extension (UserError for other extensions). */
export async function enhanceBackendOpen(modelPath: string, options: EnhanceBackendOptions = {}): Promise<EnhanceBackend> {
  const level = options.level ?? 'global';
  if (!(BACKEND_LEVELS as readonly string[]).includes(level)) throw new UserError(`level must be ${BACKEND_LEVELS.join(' or ')}, got '${level}'`);
  const ext = extname(modelPath).toLowerCase();
  let b: EnhanceBackend;
  if (ext === '.safetensors') b = (await import('./backendTorch.js')).torchBackend(modelPath);
  else if (ext === '.hush') b = wasmBackend(modelPath);
  else throw new UserError(`${modelPath}: unknown model type '${ext || '(no extension)'}' (expected .safetensors or .hush)`);
  return level === 'track' ? trackedBackend(b) : b;
}
