/**
 * The state a compression pipeline works on: the network (libtorch), its pruning masks, the data
 * (fixed sensitivity subset, validation set with STOI/PESQ, fine-tuning stream) and bookkeeping
 * helpers (parameter counts per tensor, snapshots to undo an iteration). One per `compress` run.
 */
import type { Corpus } from '../data/corpus.js';
import { mixtureAt } from '../data/mixer.js';
import type { MixAugment } from '../data/augment/settings.js';
import type { ArchConfig } from '../models/config.js';
import type { Net } from '../models/net.js';
import { shapeSize, type ParamSpec } from '../models/paramSpec.js';
import { countMacs } from '../models/size.js';
import { featuresBatch, type FeatureBatch } from '../train/features.js';
import { TRAIN_LOSS_PAPER, type TrainLoss } from '../train/loss.js';
import { validate, type ValidationSet } from '../train/trainer.js';
import type { AnalysisOptions } from './analysis.js';
import type { FinetuneData } from './finetune.js';
import { groupLayout, prunableSpecs } from './groups.js';
import { groupsAlive, maskFull, maskKept, type Mask } from './masks.js';

/** Validation of one network state. */
export interface ValRecord {
  loss: number;
  stoi: number | null;
  pesq_nb: number | null;
  seconds: number;
}

/** Pruning state of one weight tensor. */
export interface TensorCount {
  tensor: string;
  layer: string;
  kind: string;
  total: number;
  kept: number;
  /** Fraction pruned, 0 … 1. */
  prunedRatio: number;
  groups: number;
  groupsKept: number;
}

/** Parameter counts of the whole network. */
export interface NetCount {
  /** Trainable parameters of the uncompressed net (Table I/IV). */
  params: number;
  /** Remaining: kept weights + every non-prunable parameter. */
  paramsKept: number;
  /** 100 · paramsKept / params (Fig. 4's y axis). */
  paramsPercent: number;
  prunableTotal: number;
  prunableKept: number;
  /** MACs per 4-s mixture with the kept weights (Table III convention) and of the dense net. */
  macs: number;
  denseMacs: number;
  perTensor: TensorCount[];
}

/** Everything a pipeline step needs. */
export interface CompressSession {
  net: Net;
  config: ArchConfig;
  /** The weight tensors (pruned and quantised). */
  prunable: ParamSpec[];
  /** Current masks of the weight tensors (all kept at the start). */
  masks: Map<string, Mask>;
  corpus: Corpus;
  /** Fixed validation subset of the sensitivity analyses. */
  sensBatches: FeatureBatch[];
  /** Validation set of each iteration (loss, STOI, PESQ). */
  valSet: ValidationSet;
  valMetrics: boolean;
  /** Fine-tuning data stream; `startStep` advances as batches are used. */
  data: FinetuneData;
  analysis: AnalysisOptions;
  log(message: string): void;
  /** Progress of long phases ('sensitivity', 'fine-tuning', …): done of total. */
  progress?(phase: string, done: number, total: number): void;
  /** Replaces the validation (tests of the stop rules); default: loss/STOI/PESQ on `valSet`. */
  validateOverride?(s: CompressSession): ValRecord;
}

/** Builds the fixed sensitivity subset: validation mixtures 0 … items − 1 of `seconds`, one batch. */
export function sensitivityBatches(
  corpus: Corpus, arch: ArchConfig['arch'], items: number, seconds: number, seed: number, snrRangeDb: [number, number], talkerNoise = 0,
  loss: TrainLoss = TRAIN_LOSS_PAPER, augment?: MixAugment,
): FeatureBatch[] {
  const pairs = [];
  for (let i = 0; i < items; i++) {
    const m = mixtureAt(corpus, { split: 'validation', index: i, seed, seconds, snrRangeDb, talkerNoise, augment });
    pairs.push({ mixture: m.mixture, clean: m.clean });
  }
  return [featuresBatch(arch, pairs, loss)];
}

/** Masks of a fresh session: every weight kept. */
export function masksFull(prunable: readonly ParamSpec[]): Map<string, Mask> {
  return new Map(prunable.map((s) => [s.name, maskFull(shapeSize(s.shape))]));
}

/** The weight tensors of a net. */
export function sessionPrunable(net: Net): ParamSpec[] {
  return prunableSpecs(net.specs);
}

/** "STOI 0.8123 PESQ 2.345 loss 1.2e-2" (– for metrics not computed). */
export function valText(v: ValRecord): string {
  const f = (x: number | null, d: number) => (x === null ? '–' : x.toFixed(d));
  return `STOI ${f(v.stoi, 4)} PESQ ${f(v.pesq_nb, 3)} loss ${v.loss.toExponential(3)}`;
}

/** Validates the current network (inference mode). */
export function sessionValidate(s: CompressSession): ValRecord {
  if (s.validateOverride) return s.validateOverride(s);
  const v = validate(s.net, s.valSet, s.valMetrics);
  return { loss: v.loss, stoi: v.stoi, pesq_nb: v.pesq_nb, seconds: v.seconds };
}

/** Counts of the current masks. */
export function sessionCount(s: Pick<CompressSession, 'net' | 'config' | 'prunable' | 'masks'>): NetCount {
  let params = 0;
  for (const spec of s.net.specs) if (!spec.buffer) params += shapeSize(spec.shape);
  const perTensor: TensorCount[] = [];
  let prunableTotal = 0;
  let prunableKept = 0;
  const nonzeros = new Map<string, number>();
  for (const spec of s.prunable) {
    const mask = s.masks.get(spec.name) as Mask;
    const total = mask.length;
    const kept = maskKept(mask);
    const layout = groupLayout(spec);
    perTensor.push({
      tensor: spec.name, layer: spec.layer, kind: spec.kind, total, kept, prunedRatio: 1 - kept / total,
      groups: layout.groups, groupsKept: groupsAlive(mask, layout),
    });
    prunableTotal += total;
    prunableKept += kept;
    nonzeros.set(spec.name, kept);
  }
  const paramsKept = params - prunableTotal + prunableKept;
  return {
    params, paramsKept, paramsPercent: (100 * paramsKept) / params, prunableTotal, prunableKept,
    macs: countMacs(s.config, nonzeros), denseMacs: countMacs(s.config), perTensor,
  };
}

/** A copy of the trainable state (weights, buffers, masks) to undo an iteration. */
export interface SessionSnapshot {
  tensors: Map<string, Float32Array>;
  masks: Map<string, Mask>;
  dataStep: number;
}

/** Snapshots the network and masks. */
export function sessionSnapshot(s: CompressSession): SessionSnapshot {
  const tensors = new Map<string, Float32Array>();
  for (const [name, t] of s.net.tensors) tensors.set(name, t.toFloat32Array());
  return { tensors, masks: new Map([...s.masks].map(([n, m]) => [n, Uint8Array.from(m)])), dataStep: s.data.startStep };
}

/** Restores a snapshot (the data stream keeps advancing: fine-tuning after an undo sees new batches). */
export function sessionRestore(s: CompressSession, snap: SessionSnapshot): void {
  for (const [name, t] of s.net.tensors) t.copyFrom(snap.tensors.get(name) as Float32Array);
  s.masks = new Map([...snap.masks].map(([n, m]) => [n, Uint8Array.from(m)]));
}

/** Writes masked values of each weight tensor into the net (pruned elements set to exactly 0). */
export function sessionApplyMasks(s: CompressSession): void {
  for (const spec of s.prunable) {
    const t = s.net.tensors.get(spec.name)!;
    const mask = s.masks.get(spec.name) as Mask;
    const v = t.toFloat32Array();
    let changed = false;
    for (let i = 0; i < v.length; i++) {
      if (!mask[i] && v[i] !== 0) {
        v[i] = 0;
        changed = true;
      }
    }
    if (changed) t.copyFrom(v);
  }
}
