/**
 * Iterative pruning (Tan & Wang §II-B, Fig. 3): sensitivity analysis (Algorithm 1 or 2) → prune each
 * tensor by its β_l → fine-tune with the masks held (and the sparse regulariser, λ decaying 10 % per
 * iteration) → validate STOI/PESQ → repeat, until an iteration newly prunes a trivial fraction of
 * the weights or STOI/PESQ fall beyond the bounds (that iteration is undone), or the iteration
 * budget is spent. Also the common-threshold baseline of Fig. 7 (`pruneGlobal`).
 *
 * With a regulariser, the network is first fine-tuned with it at the initial λ before the first
 * analysis ("we propose to use sparse regularization during training and fine-tuning": our
 * checkpoints are trained without it, so this phase stands in for regularised training).
 */
import type { ParamSpec } from '../models/paramSpec.js';
import { sensitivityAnalyze, sensitivitySummary, type AnalysisResult, type SensitivityJobSpec, type SensitivitySummary } from './analysis.js';
import { LAMBDA_DECAY_PER_ITERATION } from './defaults.js';
import { finetune, type FinetuneResult } from './finetune.js';
import { blockLayout, blockShapeName, maskBlocks } from './blocks.js';
import { groupLayout } from './groups.js';
import { maskKept, maskStructured, maskUnstructured, type Mask } from './masks.js';
import type { HushBlockShape } from '../format/tensor.js';
import { Regularizer, type RegularizerKind } from './regularizers.js';
import type { PruneSensitivity, SensitivityStep } from './sensitivity.js';
import {
  sessionApplyMasks, sessionCount, valText, sessionRestore, sessionSnapshot, sessionValidate, type CompressSession, type NetCount,
  type TensorCount, type ValRecord,
} from './session.js';

/** Settings of the iterative loop. */
export interface PruneSettings {
  structured: boolean;
  /**
   * Unstructured pipelines only: prune the matrices (Linear, LSTM, 1×1 Conv1d) and conv kernels (Conv2d,
   * ConvTranspose2d) in br × bc blocks of their matrix view by ℓ2 norm
   * (blocks.ts) instead of single weights; null = Algorithm 1 as in the paper.
   */
  block?: HushBlockShape | null;
  regularizer: RegularizerKind;
  /** Initial λ1, λ2 (iteration 1 uses λ·0.9, iteration i λ·0.9^i; the pre-phase λ). */
  lambda1: number;
  lambda2: number;
  alpha1: number;
  maxIterations: number;
  /** Stop when an iteration newly prunes less than this fraction of the original weights. */
  minNewlyPrunedFraction: number;
  /** Stop (and undo the iteration) when STOI / NB PESQ fall more than this below the uncompressed net's. */
  maxStoiDrop: number;
  maxPesqDrop: number;
  /** Fine-tuning per iteration. */
  finetuneSteps: number;
  finetuneMinutes?: number;
  /** Regularised fine-tuning before the first analysis (0 = none; default: finetuneSteps when a regulariser is on). */
  preSteps: number;
  lr: number;
}

/** Per-tensor outcome of one analysis (the bulky step lists are kept for the report's figures). */
export interface TensorSensitivityRecord {
  tensor: string;
  beta: number;
  clamped: boolean;
  evaluations: number;
  seconds: number;
  steps: SensitivityStep[];
}

/** One row of Fig. 4/5/6: the network after an iteration. */
export interface IterationRecord {
  iteration: number;
  /** baseline = the input model; regularized = after the regularised pre-phase; pruned = an iteration. */
  phase: 'baseline' | 'regularized' | 'pruned';
  lambda1: number;
  lambda2: number;
  sensitivity: SensitivitySummary | null;
  perTensorSensitivity: TensorSensitivityRecord[];
  /** Weights newly pruned in this iteration, and as a fraction of all weights of the original net. */
  newlyPruned: number;
  newlyPrunedFraction: number;
  params: number;
  paramsKept: number;
  paramsPercent: number;
  macs: number;
  macsPercent: number;
  perTensor: TensorCount[];
  finetune: FinetuneResult | null;
  val: ValRecord;
  /** False for an iteration that was undone (quality bound) or not applied (trivial). */
  accepted: boolean;
  note?: string;
}

/** How the loop ended. */
export type PruneStop = 'trivial' | 'quality' | 'iterations' | 'never-started';

/** Result of the iterative loop. */
export interface PruneOutcome {
  iterations: IterationRecord[];
  stop: PruneStop;
  /** Accepted pruning iterations. */
  accepted: number;
  baseline: ValRecord;
}

function record(
  s: CompressSession, base: Partial<IterationRecord> & Pick<IterationRecord, 'iteration' | 'phase' | 'val'>, count: NetCount,
): IterationRecord {
  return {
    lambda1: 0, lambda2: 0, sensitivity: null, perTensorSensitivity: [], newlyPruned: 0, newlyPrunedFraction: 0,
    finetune: null, accepted: true, ...base,
    params: count.params, paramsKept: count.paramsKept, paramsPercent: count.paramsPercent,
    macs: count.macs, macsPercent: (100 * count.macs) / count.denseMacs, perTensor: count.perTensor,
  };
}

/** Runs Algorithm 1 or 2 on every weight tensor with the session's current masks. */
export async function pruneSensitivity(
  s: CompressSession, structured: boolean, alpha1: number, block: HushBlockShape | null = null,
): Promise<AnalysisResult<PruneSensitivity>> {
  const jobs: SensitivityJobSpec[] = s.prunable.map((spec) => {
    const blocks = !structured && block ? blockLayout(spec, block) ?? undefined : undefined;
    return {
      algorithm: structured ? 'structured' : blocks ? 'blocks' : 'unstructured', tensor: spec.name, mask: s.masks.get(spec.name) as Mask,
      groups: structured ? groupLayout(spec) : undefined, blocks, alpha: alpha1,
    };
  });
  return sensitivityAnalyze<PruneSensitivity>(s.net, s.sensBatches, jobs, s.analysis);
}

/** New masks for the sensitivity results (β_l per tensor). */
export function masksFromSensitivity(s: CompressSession, results: readonly PruneSensitivity[], structured: boolean, block: HushBlockShape | null = null): Map<string, Mask> {
  const out = new Map<string, Mask>();
  results.forEach((r) => {
    const spec = s.prunable.find((p) => p.name === r.tensor) as ParamSpec;
    const values = s.net.tensors.get(r.tensor)!.toFloat32Array();
    const mask = s.masks.get(r.tensor) as Mask;
    const blocks = r.algorithm === 'blocks' && block ? blockLayout(spec, block) : null;
    out.set(r.tensor, structured ? maskStructured(values, mask, groupLayout(spec), r.beta) : blocks ? maskBlocks(values, mask, blocks, r.beta) : maskUnstructured(values, mask, r.beta));
  });
  return out;
}

function keptTotal(masks: ReadonlyMap<string, Mask>): number {
  let n = 0;
  for (const m of masks.values()) n += maskKept(m);
  return n;
}

/** The regulariser over the session's weight tensors and masks (null for kind none). */
function regularizerFor(s: CompressSession, kind: RegularizerKind, lambda1: number, lambda2: number): Regularizer | null {
  if (kind === 'none') return null;
  return new Regularizer(
    s.prunable.map((spec) => ({ spec, tensor: s.net.tensors.get(spec.name)!, mask: s.masks.get(spec.name) as Mask })),
    { kind, lambda1, lambda2 },
  );
}

/** Fine-tunes the session's net with its masks and an optional regulariser; advances the data stream. */
export async function sessionFinetune(
  s: CompressSession, steps: number, lr: number, minutes: number | undefined, reg: Regularizer | null, label: string,
): Promise<FinetuneResult> {
  s.log(`${label}: fine-tuning ${steps} steps (lr ${lr}${reg ? `, ${reg.settings.kind} λ1 ${reg.settings.lambda1.toPrecision(3)} λ2 ${reg.settings.lambda2.toPrecision(3)}` : ''})`);
  const r = await finetune(s.net, s.data, {
    steps, lr, minutes, masks: s.masks, regularizer: reg, onStep: (i) => s.progress?.(`${label}: fine-tuning`, i.step, i.steps),
  });
  s.data.startStep = r.nextStep;
  return r;
}

/** The iterative prune → fine-tune loop (see the file comment). */
export async function pruneIterative(s: CompressSession, set: PruneSettings): Promise<PruneOutcome> {
  const iterations: IterationRecord[] = [];
  s.log('validating the input model');
  const baseline = sessionValidate(s);
  const original = sessionCount(s);
  iterations.push(record(s, { iteration: 0, phase: 'baseline', val: baseline }, original));
  const block = set.structured ? null : set.block ?? null;
  const algorithm = set.structured ? 'structured' : block ? `unstructured, matrices and conv kernels in ${blockShapeName(block)} blocks` : 'unstructured';

  if (set.regularizer !== 'none' && set.preSteps > 0) {
    const reg = regularizerFor(s, set.regularizer, set.lambda1, set.lambda2);
    try {
      const ft = await sessionFinetune(s, set.preSteps, set.lr, set.finetuneMinutes, reg, 'regularised training');
      const val = sessionValidate(s);
      iterations.push(record(s, { iteration: 0, phase: 'regularized', lambda1: set.lambda1, lambda2: set.lambda2, finetune: ft, val }, sessionCount(s)));
    } finally {
      reg?.dispose();
    }
  }

  let stop: PruneStop = 'iterations';
  let accepted = 0;
  for (let it = 1; it <= set.maxIterations; it++) {
    const lambda1 = set.lambda1 * LAMBDA_DECAY_PER_ITERATION ** it;
    const lambda2 = set.lambda2 * LAMBDA_DECAY_PER_ITERATION ** it;
    s.log(`iteration ${it}: ${algorithm} sensitivity analysis (α1 ${set.alpha1}) over ${s.prunable.length} tensors`);
    const a = await pruneSensitivity(s, set.structured, set.alpha1, block);
    s.log(`iteration ${it}: analysis took ${a.seconds.toFixed(1)} s, ${a.evaluations} evaluations (${a.mode}, ${a.workers} worker(s))`);
    const before = keptTotal(s.masks);
    const masks = masksFromSensitivity(s, a.results, set.structured, block);
    const newlyPruned = before - keptTotal(masks);
    const newlyPrunedFraction = newlyPruned / original.prunableTotal;
    const sensRecords = a.results.map((r) => ({ tensor: r.tensor, beta: r.beta, clamped: r.clamped, evaluations: r.evaluations, seconds: r.seconds, steps: r.steps }));
    const common = { iteration: it, phase: 'pruned' as const, lambda1, lambda2, sensitivity: sensitivitySummary(a, set.alpha1, algorithm), perTensorSensitivity: sensRecords, newlyPruned, newlyPrunedFraction };
    if (newlyPrunedFraction < set.minNewlyPrunedFraction) {
      s.log(`iteration ${it}: only ${(100 * newlyPrunedFraction).toFixed(2)} % newly pruned (< ${100 * set.minNewlyPrunedFraction} %): stop`);
      const last = iterations[iterations.length - 1];
      iterations.push(record(s, { ...common, val: last.val, accepted: false, note: 'trivial: not applied' }, sessionCount({ ...s, masks })));
      stop = 'trivial';
      break;
    }
    const snap = sessionSnapshot(s);
    s.masks = masks;
    sessionApplyMasks(s);
    const reg = regularizerFor(s, set.regularizer, lambda1, lambda2);
    let ft: FinetuneResult;
    try {
      ft = await sessionFinetune(s, set.finetuneSteps, set.lr, set.finetuneMinutes, reg, `iteration ${it}`);
    } finally {
      reg?.dispose();
    }
    const val = sessionValidate(s);
    const count = sessionCount(s);
    const stoiDrop = baseline.stoi !== null && val.stoi !== null ? baseline.stoi - val.stoi : 0;
    const pesqDrop = baseline.pesq_nb !== null && val.pesq_nb !== null ? baseline.pesq_nb - val.pesq_nb : 0;
    s.log(`iteration ${it}: ${count.paramsPercent.toFixed(2)} % of the parameters left; ${valText(val)}`);
    if (stoiDrop > set.maxStoiDrop || pesqDrop > set.maxPesqDrop) {
      iterations.push(record(s, { ...common, finetune: ft, val, accepted: false, note: `quality: STOI −${stoiDrop.toFixed(4)}, PESQ −${pesqDrop.toFixed(3)} beyond the bounds; undone` }, count));
      sessionRestore(s, snap);
      s.log(`iteration ${it}: STOI/PESQ dropped beyond the bounds; undone, stop`);
      stop = 'quality';
      break;
    }
    iterations.push(record(s, { ...common, finetune: ft, val }, count));
    accepted++;
  }
  return { iterations, stop, accepted, baseline };
}

/** Result of the Fig. 7 comparison. */
export interface GlobalOutcome {
  /** Weights pruned (the same number for both). */
  pruned: number;
  /** The common |w| threshold: weights with |w| ≤ threshold are pruned (ties broken by tensor order, position). */
  threshold: number;
  perTensorRecord: IterationRecord | null;
  globalRecord: IterationRecord;
  baseline: ValRecord;
}

/**
 * Masks that prune the `count` weights of smallest |w| over ALL weight tensors together (one
 * common threshold; ties by tensor order then position): the common-threshold baseline of Fig. 7.
 */
export function masksGlobalThreshold(s: CompressSession, count: number): { masks: Map<string, Mask>; threshold: number } {
  const masks = new Map([...s.masks].map(([n, m]) => [n, Uint8Array.from(m)]));
  const values = new Map(s.prunable.map((spec) => [spec.name, s.net.tensors.get(spec.name)!.toFloat32Array()]));
  const alive = keptTotal(masks);
  const n = Math.min(count, alive);
  if (n <= 0) return { masks, threshold: 0 };
  // the n-th smallest kept |w| (float32 magnitudes: exact, like the stored weights)
  const mags = new Float32Array(alive);
  let k = 0;
  for (const [name, m] of masks) {
    const v = values.get(name) as Float32Array;
    for (let i = 0; i < m.length; i++) if (m[i]) mags[k++] = Math.abs(v[i]);
  }
  mags.sort();
  const threshold = mags[n - 1];
  let below = 0;
  for (let i = 0; i < n; i++) if (mags[i] < threshold) below++;
  let atThreshold = n - below; // how many weights equal to the threshold are pruned (tensor order, then position)
  for (const [name, m] of masks) {
    const v = values.get(name) as Float32Array;
    for (let i = 0; i < m.length; i++) {
      if (!m[i]) continue;
      const a = Math.abs(v[i]);
      if (a < threshold) m[i] = 0;
      else if (a === threshold && atThreshold > 0) {
        m[i] = 0;
        atThreshold--;
      }
    }
  }
  return { masks, threshold };
}

/**
 * Fig. 7: one iteration of per-tensor pruning (Algorithm 1 at α1) then fine-tuning (P1), and, from
 * the same starting network, pruning the same number of weights with one common threshold then the
 * same fine-tuning (P2). With `targetPercent` (parameters to keep, percent of the prunable weights)
 * P1 is skipped and P2 prunes to that rate. The session ends holding P2.
 */
export async function pruneGlobal(
  s: CompressSession, set: Pick<PruneSettings, 'alpha1' | 'finetuneSteps' | 'finetuneMinutes' | 'lr'> & { targetPercent?: number },
): Promise<GlobalOutcome> {
  s.log('validating the input model');
  const baseline = sessionValidate(s);
  const original = sessionCount(s);
  const start = sessionSnapshot(s);
  let pruned: number;
  let perTensorRecord: IterationRecord | null = null;
  if (set.targetPercent === undefined) {
    s.log(`per-tensor pruning (Algorithm 1, α1 ${set.alpha1})`);
    const a = await pruneSensitivity(s, false, set.alpha1);
    const masks = masksFromSensitivity(s, a.results, false);
    pruned = original.prunableKept - keptTotal(masks);
    s.masks = masks;
    sessionApplyMasks(s);
    const ft = await sessionFinetune(s, set.finetuneSteps, set.lr, set.finetuneMinutes, null, 'per-tensor');
    const val = sessionValidate(s);
    perTensorRecord = record(s, {
      iteration: 1, phase: 'pruned', sensitivity: sensitivitySummary(a, set.alpha1, 'unstructured'),
      perTensorSensitivity: a.results.map((r) => ({ tensor: r.tensor, beta: r.beta, clamped: r.clamped, evaluations: r.evaluations, seconds: r.seconds, steps: r.steps })),
      newlyPruned: pruned, newlyPrunedFraction: pruned / original.prunableTotal, finetune: ft, val, note: 'per-tensor thresholds (Algorithm 1)',
    }, sessionCount(s));
    sessionRestore(s, start);
  } else {
    if (!(set.targetPercent >= 0 && set.targetPercent <= 100)) throw new RangeError(`target ${set.targetPercent} % is outside 0…100`);
    pruned = Math.round(original.prunableKept * (1 - set.targetPercent / 100));
  }
  s.log(`common threshold: pruning the ${pruned} smallest |w| over all weight tensors`);
  const g = masksGlobalThreshold(s, pruned);
  s.masks = g.masks;
  sessionApplyMasks(s);
  const ft = await sessionFinetune(s, set.finetuneSteps, set.lr, set.finetuneMinutes, null, 'common threshold');
  const val = sessionValidate(s);
  const globalRecord = record(s, {
    iteration: 1, phase: 'pruned', newlyPruned: pruned, newlyPrunedFraction: pruned / original.prunableTotal, finetune: ft, val,
    note: `one threshold |w| ≤ ${g.threshold.toExponential(4)} for all tensors`,
  }, sessionCount(s));
  return { pruned, threshold: g.threshold, perTensorRecord, globalRecord, baseline };
}
