/**
 * Paper-size benchmark models (tools/bench/paper.ts): the four paper presets with untrained weights
 * (PyTorch-default initialisation, src/models/paramInit.ts, seed 1 — per-hop time depends on shapes,
 * encodings and sparsity, not on the values), dense or compressed synthetically at the rates of
 * Tan & Wang TASLP 2021 (../shared/seeds/002_*: Tables I and III).
 *
 * What the paper gives: Table I the compressed model sizes and rates, Table III the MACs kept:
 *
 *   net    Table I size U → C1 (rate) / C2 (rate)      Table III MACs kept C1 / C2
 *   FDNN   34.54 MB → 0.10 MB (343×) / 0.55 MB (63×)   1.28 % / 9.65 %
 *   LSTM   115.27 MB → 2.49 MB (46×) / 9.97 MB (12×)   9.91 % / 39.50 %
 *   TCNN   19.28 MB → 0.94 MB (21×) / 0.91 MB (21×)    36.57 % / 53.43 %
 *   GCRN   37.27 MB → 1.11 MB (34×) / 4.11 MB (9×)     24.58 % / 54.57 %
 *
 * The paper prints no per-network fraction of weights kept, only the MACs kept (Table III). Pruning
 * every weight tensor to the same fraction f keeps f of its MACs, so f = Table III's percentage is
 * the uniform per-tensor pruning that reproduces the paper's compute. Table I's sizes then imply
 * about 32·size / (f · parameters) bits per kept weight, index and position overhead included:
 * FDNN 7.2, LSTM 7.0, TCNN 4.3, GCRN 3.9 — hence K = 32 (5-bit indices) for FDNN and LSTM and
 * K = 16 (4 bits) for TCNN and GCRN.
 *
 *   c1  unstructured: the smallest-magnitude (1 − f_C1) of every weight tensor zeroed, then k-means
 *       (src/compress/kmeans.ts) with K clusters on the nonzeros; sparsity stored as the writer finds smallest
 *   c1-block  block-sparse at C1's MAC count (beyond the paper; issue #18): every weight that
 *       src/compress/blocks.ts prunes in blocks of the shape (default 4x1) and whose matrix view the
 *       shape tiles — Linear / LSTM matrices, TCNN's 1×1 TCM convs, the Conv2d and ConvTranspose2d
 *       kernels of TCNN and GCRN — keeps the ⌈f_C1 · blocks⌉ blocks of largest ℓ2 norm, so it keeps
 *       f_C1 of its weights and MACs like C1; every other weight tensor (the depthwise TCM convs, the
 *       161-wide GCRN output layer, a 1-channel conv) exactly as C1; then the same k-means, stored with
 *       sparsity 'blocks' (block order)
 *   c2  structured: whole groups (columns of Linear/LSTM matrices, whole conv kernels — src/compress/groups.ts)
 *       with the smallest L2 norms zeroed until f_C2 of each tensor's groups remain, then the same k-means
 * Biases, norms and PReLU slopes stay dense f32 (the paper never prunes them).
 */
import { writeHush, type HushTensor } from '../../src/format/index.js';
import { kmeansQuantize } from '../../src/compress/kmeans.js';
import { groupForEach, groupLayout, isPrunable } from '../../src/compress/groups.js';
import { blockForEach, blockLayout } from '../../src/compress/blocks.js';
import type { HushBlockShape } from '../../src/format/tensor.js';
import { paramInitValues, paramSpecs, type ArchConfig, type ArchName, type ParamSpec } from '../../src/models/index.js';

/** Dense, or compressed like the paper's pipelines (see the file comment). */
export type PaperVariant = 'dense' | 'c1' | 'c1-block' | 'c2';

/** Fraction of MACs (= of each tensor's weights, or groups for C2) kept: Table III of Tan & Wang 2021. */
export const PAPER_KEEP: Record<ArchName, { c1: number; c2: number }> = {
  fdnn: { c1: 0.0128, c2: 0.0965 },
  lstm: { c1: 0.0991, c2: 0.395 },
  tcnn: { c1: 0.3657, c2: 0.5343 },
  gcrn: { c1: 0.2458, c2: 0.5457 },
};

/** Table I's compression rates (eq. 11), for comparison with the synthetic files. */
export const PAPER_RATE: Record<ArchName, { c1: number; c2: number }> = {
  fdnn: { c1: 343, c2: 63 },
  lstm: { c1: 46, c2: 12 },
  tcnn: { c1: 21, c2: 21 },
  gcrn: { c1: 34, c2: 9 },
};

/** k-means clusters per network (see the file comment for the derivation from Table I). */
export const PAPER_K: Record<ArchName, number> = { fdnn: 32, lstm: 32, tcnn: 16, gcrn: 16 };

/** Lloyd iterations: enough for a realistic codebook; the timing does not depend on the centroids. */
const KMEANS_ITERATIONS = 20;

/** Mask keeping the ⌈f·n⌉ largest magnitudes (ties by position), at least one. */
export function magnitudeMask(data: Float32Array, keep: number): Uint8Array {
  const n = data.length;
  const count = Math.max(1, Math.ceil(keep * n));
  const sorted = Float32Array.from(data, Math.abs).sort(); // ascending
  const threshold = sorted[n - count];
  const mask = new Uint8Array(n);
  let kept = 0;
  for (let i = 0; i < n && kept < count; i++) if (Math.abs(data[i]) > threshold) (mask[i] = 1), kept++;
  for (let i = 0; i < n && kept < count; i++) if (!mask[i] && Math.abs(data[i]) === threshold) (mask[i] = 1), kept++;
  return mask;
}

/** Mask keeping the ⌈f·G⌉ groups with the largest L2 norms (src/compress/groups.ts geometry), at least one. */
function groupMask(spec: ParamSpec, data: Float32Array, keep: number): Uint8Array {
  const layout = groupLayout(spec);
  const norms = new Float64Array(layout.groups);
  for (let g = 0; g < layout.groups; g++) groupForEach(layout, g, (p) => (norms[g] += data[p] * data[p]));
  const order = Array.from(norms.keys()).sort((a, b) => norms[b] - norms[a] || a - b);
  const mask = new Uint8Array(data.length);
  const count = Math.max(1, Math.ceil(keep * layout.groups));
  for (let i = 0; i < count; i++) groupForEach(layout, order[i], (p) => (mask[p] = 1));
  return mask;
}

/** Mask keeping the ⌈f·B⌉ br × bc blocks with the largest ℓ2 norms (ties by id), at least one; null when the block does not apply. */
function blockMask(spec: ParamSpec, data: Float32Array, keep: number, block: HushBlockShape): Uint8Array | null {
  const l = blockLayout(spec, block);
  if (!l) return null;
  const norms = new Float64Array(l.blocks);
  for (let b = 0; b < l.blocks; b++) blockForEach(l, b, (p) => (norms[b] += data[p] * data[p]));
  const order = Array.from(norms.keys()).sort((a, b) => norms[b] - norms[a] || a - b);
  const mask = new Uint8Array(data.length);
  const count = Math.max(1, Math.ceil(keep * l.blocks));
  for (let i = 0; i < count; i++) blockForEach(l, order[i], (p) => (mask[p] = 1));
  return mask;
}

/** A paper-size model as a `.hush` file, and the dense weights libtorch runs for the same net. */
export interface PaperModel {
  config: ArchConfig;
  variant: PaperVariant;
  /** Fraction kept (1 for dense). */
  keep: number;
  /** k-means clusters (null for dense). */
  k: number | null;
  hush: Uint8Array;
}

/** The dense untrained weights of `config` (seed 1), by state-dict name (num_batches_tracked left out). */
export function paperWeights(config: ArchConfig): Map<string, { shape: number[]; data: Float32Array }> {
  const specs = paramSpecs(config);
  const init = paramInitValues(specs, 1);
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const s of specs) if (!s.name.endsWith('.num_batches_tracked')) out.set(s.name, { shape: s.shape.slice(), data: init.get(s.name)! });
  return out;
}

/** `config` (a paper preset) as a `.hush` file in `variant` (see the file comment); `block`: c1-block's shape. */
export function paperModel(config: ArchConfig, variant: PaperVariant, block: HushBlockShape = [4, 1]): PaperModel {
  const weights = paperWeights(config);
  const keep = variant === 'dense' ? 1 : PAPER_KEEP[config.arch][variant === 'c1-block' ? 'c1' : variant];
  const k = variant === 'dense' ? null : PAPER_K[config.arch];
  const tensors = new Map<string, HushTensor>();
  for (const s of paramSpecs(config)) {
    const w = weights.get(s.name);
    if (!w) continue;
    if (variant === 'dense' || !isPrunable(s)) {
      tensors.set(s.name, { encoding: 'f32', shape: w.shape, data: w.data });
      continue;
    }
    const blocks = variant === 'c1-block' ? blockMask(s, w.data, keep, block) : null;
    const mask = blocks ?? (variant === 'c2' ? groupMask(s, w.data, keep) : magnitudeMask(w.data, keep));
    const q = kmeansQuantize(w.data, k!, mask, { maxIterations: KMEANS_ITERATIONS });
    const all = q.positions.length === w.data.length;
    const sparsity = blocks && !all ? { sparsity: 'blocks' as const, block } : {};
    tensors.set(s.name, { encoding: 'kmeans', shape: w.shape, codebook: q.codebook, codebookDtype: 'f32', positions: all ? null : q.positions, indices: q.indices, ...sparsity });
  }
  const hush = writeHush({ config, tensors, metadata: { bench: `paper-size ${config.arch} ${variant}, untrained weights (tools/bench/paperModels.ts)` } });
  return { config, variant, keep, k, hush };
}
