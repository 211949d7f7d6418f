/**
 * A trained separation checkpoint (safetensors with the PyTorch state-dict names of
 * src/models/separation/convTasNetLayout.ts or upitLstmLayout.ts) as a `.hush` model (format 1.1) through the same
 * writer as the enhancement nets: every tensor dense f32, or the weight tensors (convs, the encoder
 * and decoder bases, Linear and LSTM matrices) k-means quantised to K clusters with biases, cLN
 * gains/shifts and PReLU slopes kept dense f32 — the enhancement exporter's rule (src/compress/
 * export.ts; here because it quantises, and compress stands on models, not the reverse). The checkpoint's tensors must be exactly the layout's, with the layout's shapes.
 *
 * The checkpoint's architecture comes from its metadata `config`: JSON of a SeparationConfig
 * ({arch, hp}, what the separation trainer writes) or of the file form ({arch, hparams}).
 */
import { UserError } from '../errors.js';
import { SEPARATION_ARCH_NAMES, type SeparationArchConfig } from '../format/arch.js';
import { readSafetensors } from '../format/safetensors.js';
import type { HushTensor } from '../format/tensor.js';
import { writeHush, type HushModel } from '../format/writer.js';
import { kmeansQuantize } from './kmeans.js';
import type { ParamKind } from '../models/paramSpec.js';
import { separationConfigFromHush, separationHushConfig, separationSignal } from '../models/separation/hushConfig.js';
import { separationLayout, type SeparationConfig } from '../models/separation/net.js';
import { CONV_TASNET_NAMES } from '../models/separation/convTasNetLayout.js';

/** How the weight tensors are stored: dense f32, or k-means with K clusters. */
export type SeparationEncoding = { kind: 'f32' } | { kind: 'kmeans'; k: number };

/** Tensor kinds k-means quantises (weights); biases, norms and PReLU slopes stay dense f32. */
const QUANTISED_KINDS: ReadonlySet<ParamKind> = new Set<ParamKind>(['conv', 'deconv', 'linear', 'lstm_ih', 'lstm_hh']);

/** The separation config of checkpoint metadata (see the file comment). */
export function separationConfigFromMetadata(meta: Record<string, string>, name: string): SeparationConfig {
  let c: { arch?: unknown; hp?: unknown; hparams?: unknown } | null = null;
  try {
    c = meta.config ? JSON.parse(meta.config) : null;
  } catch (err) {
    throw new UserError(`${name}: cannot parse the metadata config (${(err as Error).message})`);
  }
  if (!c || !(SEPARATION_ARCH_NAMES as readonly unknown[]).includes(c.arch)) {
    throw new UserError(`${name}: no separation architecture (${SEPARATION_ARCH_NAMES.join(' or ')}) in the metadata config`);
  }
  if (c.hp && typeof c.hp === 'object') return { arch: c.arch, hp: c.hp } as SeparationConfig;
  if (c.hparams && typeof c.hparams === 'object') return separationConfigFromHush(c as SeparationArchConfig);
  throw new UserError(`${name}: the metadata config of ${String(c.arch)} has no hyper-parameters (hp or hparams)`);
}

/**
 * Weight tensors that the WASM binder takes as plain vectors (assembly/nets/conv-tasnet.ts
 * binderVec) rather than as planned matrices: Conv-TasNet's depthwise kernels
 * (`masker.TCN.<i>.shared_block.3.0.weight`, [H, 1, P]) and its decoder basis
 * (`decoder.filterbank._filters`, run once per speaker). Any encoding of them loads — a pruned one is
 * decoded to dense f32 at load — so they are stored sparse like every pruned tensor (smaller file),
 * but they run dense. Every other weight (the encoder basis, the 1×1 convs, uPIT-LSTM's LSTM and
 * Linear matrices) is a matrix whose pruned form runs sparse (assembly/nets/plan.ts).
 * test/compress/separationHush.test.ts checks this list against the Separator's load report.
 */
export function separationDenseAtLoad(config: SeparationConfig, name: string): boolean {
  if (config.arch !== 'conv-tasnet') return false;
  if (name === CONV_TASNET_NAMES.decoderFilters) return true;
  const blocks = config.hp.X * config.hp.R;
  for (let i = 0; i < blocks; i++) if (name === `${CONV_TASNET_NAMES.blockDepthwise(i)}.weight`) return true;
  return false;
}

/** The `.hush` model of a separation net's weights (state-dict name → values). */
export function separationHushModel(
  config: SeparationConfig, weights: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>, encoding: SeparationEncoding,
  metadata: Record<string, string> = {},
): HushModel {
  const specs = separationLayout(config).params;
  const known = new Set(specs.map((s) => s.name));
  const extra = [...weights.keys()].filter((n) => !known.has(n));
  if (extra.length > 0) throw new UserError(`${config.arch}: ${extra.length} tensor(s) not in the layout, e.g. ${extra.slice(0, 3).join(', ')}`);
  if (encoding.kind === 'kmeans' && !(Number.isInteger(encoding.k) && encoding.k >= 1)) throw new UserError(`k-means K must be a positive integer, got ${encoding.k}`);
  const tensors = new Map<string, HushTensor>();
  for (const s of specs) {
    const w = weights.get(s.name);
    if (!w) throw new UserError(`${config.arch}: tensor ${s.name} missing from the checkpoint`);
    if (w.shape.length !== s.shape.length || w.shape.some((d, i) => d !== s.shape[i])) {
      throw new UserError(`${config.arch}: tensor ${s.name} has shape [${w.shape.join(', ')}], the layout says [${s.shape.join(', ')}]`);
    }
    const shape = [...s.shape];
    if (encoding.kind === 'kmeans' && QUANTISED_KINDS.has(s.kind)) {
      const q = kmeansQuantize(w.data, Math.min(encoding.k, w.data.length));
      tensors.set(s.name, { encoding: 'kmeans', shape, codebook: Float32Array.from(q.codebook), positions: null, indices: Uint32Array.from(q.indices) });
    } else {
      tensors.set(s.name, { encoding: 'f32', shape, data: Float32Array.from(w.data) });
    }
  }
  return { config: separationHushConfig(config), signal: separationSignal(config), metadata, tensors };
}

/** A safetensors checkpoint of a separation net → `.hush` bytes (see the file comment). */
export function separationCheckpointToHush(checkpoint: Uint8Array, name: string, encoding: SeparationEncoding, metadata: Record<string, string> = {}): Uint8Array {
  const f = readSafetensors(checkpoint, name);
  const config = separationConfigFromMetadata(f.metadata, name);
  return writeHush(separationHushModel(config, f.tensors, encoding, { preset: f.metadata.preset ?? '', ...metadata }));
}
