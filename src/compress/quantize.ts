/**
 * Clustering-based quantisation of a (pruned) network (Tan & Wang §II-D): Algorithm 3 picks K_l per
 * weight tensor, k-means (kmeans.ts, linear initialisation over [w_min, w_max] of the nonzero
 * weights) replaces every kept weight by its centroid, and the quantised network is validated.
 * Optionally (beyond the paper) the centroids are then fine-tuned (finetune.ts centroidFinetune).
 *
 * Bookkeeping per tensor: K asked (Algorithm 3), codebook entries used (≤ K: empty clusters are
 * dropped), N = nonzero weights, and eq. 11's r = 32·N / (N·log2 K + 32·K) with the K stored.
 */
import { eq11TensorRate } from '../format/rate.js';
import { sensitivityAnalyze, sensitivitySummary, type SensitivityJobSpec, type SensitivitySummary } from './analysis.js';
import { centroidFinetune, type FinetuneResult, type TiedTensor } from './finetune.js';
import { kmeansQuantize } from './kmeans.js';
import type { Mask } from './masks.js';
import type { QuantSensitivity, SensitivityStep } from './sensitivity.js';
import { sessionValidate, valText, type CompressSession, type ValRecord } from './session.js';

/** Settings of the quantisation stage. */
export interface QuantSettings {
  alpha2: number;
  /** Largest K Algorithm 3 may choose (default: none besides 2K > n). */
  maxK?: number;
  /** Centroid fine-tuning steps (0 = off, the paper's pipeline). */
  centroidSteps: number;
  centroidLr: number;
  finetuneMinutes?: number;
}

/** Quantisation of one tensor. */
export interface QuantTensorRecord {
  tensor: string;
  layer: string;
  /** K_l from Algorithm 3 (0: no nonzero weight, stored as an empty sparse tensor). */
  k: number;
  /** Codebook entries actually used (≤ k). */
  codebook: number;
  /** n(W_l). */
  nonzeros: number;
  /** ⌈log2 codebook⌉ bits per stored index. */
  bits: number;
  /** eq. 11 with the stored codebook size (null when nothing is stored). */
  eq11Rate: number | null;
  kmeansIterations: number;
  inertia: number;
  evaluations: number;
  seconds: number;
  steps: SensitivityStep[];
}

/** What the stage did. */
export interface QuantOutcome {
  sensitivity: SensitivitySummary;
  perTensor: QuantTensorRecord[];
  /** Validation right after k-means, and after centroid fine-tuning (if any). */
  val: ValRecord;
  centroidFinetune: FinetuneResult | null;
  valAfterCentroids: ValRecord | null;
  /** The codebooks and assignments the exporter stores (after centroid fine-tuning when run). */
  tied: Map<string, TiedTensor>;
}

/** Runs Algorithm 3, quantises every weight tensor in the session's net, validates. */
export async function quantizeSession(s: CompressSession, set: QuantSettings): Promise<QuantOutcome> {
  s.log(`quantisation: Algorithm 3 (α2 ${set.alpha2}) over ${s.prunable.length} tensors`);
  const jobs: SensitivityJobSpec[] = s.prunable.map((spec) => ({
    algorithm: 'kmeans', tensor: spec.name, mask: s.masks.get(spec.name) as Mask, alpha: set.alpha2,
    options: set.maxK !== undefined ? { maxK: set.maxK } : undefined,
  }));
  const a = await sensitivityAnalyze<QuantSensitivity>(s.net, s.sensBatches, jobs, s.analysis);
  s.log(`quantisation: analysis took ${a.seconds.toFixed(1)} s, ${a.evaluations} evaluations`);
  const tied = new Map<string, TiedTensor>();
  const perTensor: QuantTensorRecord[] = a.results.map((r) => {
    const spec = s.prunable.find((p) => p.name === r.tensor)!;
    const t = s.net.tensors.get(r.tensor)!;
    const mask = s.masks.get(r.tensor) as Mask;
    if (r.k === 0) {
      return {
        tensor: r.tensor, layer: spec.layer, k: 0, codebook: 0, nonzeros: 0, bits: 0, eq11Rate: null,
        kmeansIterations: 0, inertia: 0, evaluations: r.evaluations, seconds: r.seconds, steps: r.steps,
      };
    }
    const q = kmeansQuantize(t.toFloat32Array(), r.k, mask);
    t.copyFrom(q.values);
    tied.set(r.tensor, { codebook: q.codebook, positions: q.positions, indices: q.indices });
    return {
      tensor: r.tensor, layer: spec.layer, k: r.k, codebook: q.codebook.length, nonzeros: r.nonzeros,
      bits: Math.ceil(Math.log2(q.codebook.length)), eq11Rate: eq11TensorRate(r.nonzeros, q.codebook.length),
      kmeansIterations: q.iterations, inertia: q.inertia, evaluations: r.evaluations, seconds: r.seconds, steps: r.steps,
    };
  });
  const val = sessionValidate(s);
  s.log(`quantisation: ${valText(val)}`);
  let ft: FinetuneResult | null = null;
  let valAfter: ValRecord | null = null;
  if (set.centroidSteps > 0) {
    s.log(`centroid fine-tuning: ${set.centroidSteps} steps (lr ${set.centroidLr})`);
    ft = await centroidFinetune(s.net, s.data, tied, {
      steps: set.centroidSteps, lr: set.centroidLr, minutes: set.finetuneMinutes, masks: s.masks,
      onStep: (i) => s.progress?.('centroid fine-tuning', i.step, i.steps),
    });
    s.data.startStep = ft.nextStep;
    valAfter = sessionValidate(s);
    s.log(`centroid fine-tuning: ${valText(valAfter)}`);
  }
  return {
    sensitivity: sensitivitySummary(a, set.alpha2, 'kmeans'),
    perTensor, val, centroidFinetune: ft, valAfterCentroids: valAfter, tied,
  };
}
