/**
 * Edge separation benchmark models (tools/bench/separation.ts, issue 16): causal Conv-TasNet and
 * uPIT-LSTM at their `edge` presets (src/models/separation/presets.ts) with untrained weights
 * (PyTorch-default initialisation, src/models/paramInit.ts, seed 1 — per-hop time depends on shapes,
 * encodings and sparsity, not on the values), no libtorch needed:
 *
 *   dense  every tensor f32 (src/compress/separationExport.ts separationHushModel)
 *   c1     C1-like, synthetic: the smallest-magnitude (1 − f) of every weight tensor (1×1 and
 *          depthwise convs, encoder / decoder bases, Linear and LSTM matrices: src/compress/groups.ts
 *          isPrunable) zeroed, then k-means with K = 16 on the kept weights (./paperModels.ts
 *          magnitudeMask, src/compress/kmeans.ts), stored with positions; biases, cLN gains / shifts
 *          and PReLU slopes stay dense f32, as C1 leaves them.
 *
 * f is Table VI's C1 rate of the paper's net (Tan & Wang TASLP 2021: TasNet 29×, uPIT-LSTM 100×)
 * turned into weights kept: with K = 16 a kept weight costs log2 16 = 4 bits, so rate ≈ 32 / (4·f),
 * f ≈ 8 / rate — 0.28 for Conv-TasNet, 0.08 for uPIT-LSTM. The file's own eq.-11 rate, reported
 * next to the timing, is lower where the net is small: the edge Conv-TasNet has 51 weight tensors,
 * each with its 16 × 32-bit codebook, beside dense biases, cLN gains and PReLU slopes (≈ 12×); the
 * edge uPIT-LSTM, six large matrices, lands near 100×. The real C1 of the edge nets prunes per tensor by sensitivity
 * (src/compress/separation/pipeline.ts); this is a stand-in of the same sparsity and encoding until
 * trained and compressed edge models exist.
 */
import { writeHush } from '../../src/format/writer.js';
import type { HushTensor } from '../../src/format/tensor.js';
import { eq11ModelRate } from '../../src/format/rate.js';
import { kmeansQuantize } from '../../src/compress/kmeans.js';
import { isPrunable } from '../../src/compress/groups.js';
import { separationHushModel } from '../../src/compress/separationExport.js';
import { paramInitValues } from '../../src/models/paramInit.js';
import { separationLayout, type SeparationConfig } from '../../src/models/separation/net.js';
import { separationPresetConfig } from '../../src/models/separation/presets.js';
import { magnitudeMask } from './paperModels.js';

/** The separation architectures benchmarked. */
export const SEPARATION_BENCH_ARCHS = ['conv-tasnet', 'upit-lstm'] as const;
export type SeparationBenchArch = (typeof SEPARATION_BENCH_ARCHS)[number];

/** Dense, or C1-like sparse + k-means (see the file comment). */
export const SEPARATION_BENCH_VARIANTS = ['dense', 'c1'] as const;
export type SeparationBenchVariant = (typeof SEPARATION_BENCH_VARIANTS)[number];

/** Table VI's C1 rates (eq. 11) of the paper-size nets. */
export const TABLE_VI_C1_RATE: Record<SeparationBenchArch, number> = { 'conv-tasnet': 29, 'upit-lstm': 100 };

/** k-means clusters of the c1 variant. */
export const SEPARATION_BENCH_K = 16;

/** Fraction of each weight tensor kept by the c1 variant: 8 / Table VI's C1 rate (see the file comment). */
export function separationBenchKeep(arch: SeparationBenchArch): number {
  return Math.round((8 / TABLE_VI_C1_RATE[arch]) * 100) / 100;
}

/** Lloyd iterations: enough for a realistic codebook; the timing does not depend on the centroids. */
const KMEANS_ITERATIONS = 20;

/** One benchmark file. */
export interface SeparationBenchModel {
  arch: SeparationBenchArch;
  variant: SeparationBenchVariant;
  config: SeparationConfig;
  /** Fraction of each weight tensor kept (1 for dense). */
  keep: number;
  /** k-means clusters (null for dense). */
  k: number | null;
  /** Eq. 11 rate of the file's tensors against the dense net's float32 (src/format/rate.ts). */
  eq11Rate: number;
  hush: Uint8Array;
}

/** The edge `arch` as a `.hush` file in `variant` (see the file comment). */
export function separationBenchModel(arch: SeparationBenchArch, variant: SeparationBenchVariant): SeparationBenchModel {
  const config = separationPresetConfig(arch, 'edge');
  const specs = separationLayout(config).params;
  const init = paramInitValues(specs, 1);
  const weights = new Map(specs.map((s) => [s.name, { shape: [...s.shape], data: init.get(s.name)! }]));
  const note = `edge ${arch} ${variant}, untrained weights (tools/bench/separationModels.ts)`;
  const model = separationHushModel(config, weights, { kind: 'f32' }, { preset: 'edge', bench: note });
  const tensors = model.tensors as Map<string, HushTensor>; // separationHushModel builds a Map
  const keep = variant === 'dense' ? 1 : separationBenchKeep(arch);
  const k = variant === 'dense' ? null : SEPARATION_BENCH_K;
  if (variant === 'c1') {
    for (const s of specs) {
      if (!isPrunable(s)) continue;
      const w = weights.get(s.name)!;
      const q = kmeansQuantize(w.data, Math.min(k!, w.data.length), magnitudeMask(w.data, keep), { maxIterations: KMEANS_ITERATIONS });
      const all = q.positions.length === w.data.length;
      const t: HushTensor = { encoding: 'kmeans', shape: [...s.shape], codebook: q.codebook, codebookDtype: 'f32', positions: all ? null : q.positions, indices: q.indices };
      tensors.set(s.name, t);
    }
  }
  let params = 0;
  for (const s of specs) params += init.get(s.name)!.length;
  return { arch, variant, config, keep, k, eq11Rate: eq11ModelRate(params, tensors.values()), hush: writeHush(model) };
}
