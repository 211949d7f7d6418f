/**
 * Training of the separation nets (issue 16; Tan & Wang TASLP 2021 §IV-D): utterance-level PIT on
 * on-the-fly two-talker mixtures of the corpus's train split (./batches.ts), AMSGrad, gradient
 * clipping, and after each epoch a validation pass on a fixed set of the validation split
 * (./validation.ts: loss, SI-SNR improvement, ESTOI).
 *
 * The same run machinery as the enhancement trainer (../trainer.ts), and the same files next to
 * `out` (M.safetensors):
 *   M.safetensors             the best net so far by validation loss (./checkpoint.ts metadata)
 *   M.safetensors.state       last weights + AMSGrad moments + loop position (resumable, ../checkpoint.ts)
 *   M.safetensors.log.jsonl   one JSON line per validation (SeparationEpochRecord; epoch 0 = the initial net)
 * the same budgets (`epochs` total, `minutes` / `maxSteps` per invocation; a budget stop saves the
 * state and validates the partial epoch) and the same schedules (../trainer.ts plateauStep,
 * learningRateAt). Exact resume: minibatch k is a function of (seed, k), the nets use no random
 * numbers, and everything saved is the float32 it was.
 *
 * Defaults are Luo & Mesgarani's (Conv-TasNet 2019 §IV-B) for both nets: lr 1e-3 halved when the
 * validation loss has not improved for 3 epochs (the plateau schedule), gradients clipped to an L2
 * norm of 5, 4-s segments; the batch is this machine's (docs/results/separation/training.md).
 */
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { openCorpus, type Corpus } from '../../data/corpus.js';
import { twoTalkerPairCount } from '../../data/separation/twoTalker.js';
import { createSeparationNet, type SeparationConfig, type SeparationNet } from '../../models/separation/net.js';
import * as torch from '../../torch/torch.js';
import { Adam, tidy } from '../../torch/torch.js';
import {
  corpusHash, hushpackVersion, trainStateApply, trainStateRead, trainStateWrite, type TrainStateFile,
} from '../checkpoint.js';
import { trainPaths } from '../trainer.js';
import {
  loopCountersFresh, loopRun, loopRunReport, type LoopCounters, type LoopDriver, type LoopRecord, type LoopReporter, type LoopRunOptions,
  type LoopRunReport, type LoopState, type StopReason,
} from '../loop.js';
import { LR_SCHEDULES, plateauFresh, resumeExtend, type PlateauState, type ScheduleParams } from '../schedule.js';
import { separationBatchAt, type SeparationBatch, type SeparationBatchSpec } from './batches.js';
import { separationCheckpointWrite, separationConfigFromMetadata } from './checkpoint.js';
import { SEPARATION_LOSS, separationLoss } from './objective.js';
import { separationValidate, separationValidationSetBuild, type SeparationValidationSet } from './validation.js';

/** Training settings of a separation run (metadata `training`). */
/** Training settings; the schedule (../schedule.ts) is 'plateau' by default (Conv-TasNet's). */
export interface SeparationTrainHyperParams extends ScheduleParams {
  /** Mixtures per minibatch. */
  batch: number;
  /** Longest training excerpt (s). */
  segmentSeconds: number;
  /** Joint L2 norm the gradients are clipped to (0: off). */
  gradClip: number;
  seed: number;
  stepsPerEpoch: number;
  /** Validation mixtures (validation split, indices 0 … valItems − 1) and their longest excerpt (s). */
  valItems: number;
  valSeconds: number;
  /** The family's loss (./objective.ts SEPARATION_LOSS), recorded. */
  loss: (typeof SEPARATION_LOSS)[keyof typeof SEPARATION_LOSS];
  optimizer: 'amsgrad';
}

/**
 * Minibatch, measured on the 2-core machine (docs/results/separation/training.md): the edge
 * Conv-TasNet at 1 libtorch thread costs the same CPU per mixture at 4 and 8 (≈ 0.65–0.7 CPU-s for
 * ~2.1 s of audio), but 8 holds ~5.5 GB resident against 2.8 GB at 4 (16: ≥ 5.6 GB, more with
 * longer minibatches), next to the enhancement runs that have priority. So 4 (the throughput is
 * CPU-bound, not batch-bound, on the shared cores).
 */
export const SEPARATION_BATCH_DEFAULT = 4;

/** Defaults (see the file comment); `loss` and `stepsPerEpoch` are filled per run. */
export const SEPARATION_TRAIN_DEFAULTS: Omit<SeparationTrainHyperParams, 'stepsPerEpoch' | 'loss'> = {
  lr: 1e-3,
  lrSchedule: 'plateau',
  lrDecay: 0.5,
  lrDecayEpochs: 2,
  lrPatience: 3,
  stopPatience: 6,
  batch: SEPARATION_BATCH_DEFAULT,
  segmentSeconds: 4,
  gradClip: 5,
  seed: 0,
  valItems: 32,
  valSeconds: 4,
  optimizer: 'amsgrad',
};

/** One line of M.safetensors.log.jsonl. */
export interface SeparationEpochRecord extends LoopRecord {
  /** Mean SI-SNR of the estimates (dB), its improvement over the mixture, mean ESTOI (null: not computed). */
  val_sisnr: number;
  val_sisnri: number;
  val_estoi: number | null;
  mix_sisnr: number;
  mix_estoi: number | null;
}

/** Loop position saved in the state file (metadata `state`). */
interface SeparationLoopState extends LoopState {
  version: 1;
  preset: string;
  hyper: SeparationTrainHyperParams;
  corpusHash: string;
  plateau: PlateauState;
}

/** Progress callbacks (all optional). */
export interface SeparationTrainReporter extends LoopReporter {
  validationStart?(items: number): void;
  epochEnd?(record: SeparationEpochRecord): void;
}

/** Options of `separationTrainRun` (the common ones: ../loop.ts LoopRunOptions; threads default 1: the separation runs share the machine with enhancement training). */
export interface SeparationTrainOptions extends LoopRunOptions {
  /** The net (required for a new run; on resume it must equal the state file's, when given). */
  config?: SeparationConfig;
  preset?: string;
  hyper?: Partial<SeparationTrainHyperParams>;
  reporter?: SeparationTrainReporter;
}

/** What `separationTrainRun` returns. */
export interface SeparationTrainReport extends LoopRunReport {
  config: SeparationConfig;
  hyper: SeparationTrainHyperParams;
  records: SeparationEpochRecord[];
}

/** Default libtorch threads of a separation run. */
export const SEPARATION_TRAIN_THREADS_DEFAULT = 1;

/** Default steps per epoch: ⌈eligible train utterances / batch⌉ (each utterance leads one mixture per epoch on average). */
export function separationStepsPerEpoch(corpus: Corpus, batch: number): number {
  return Math.max(1, Math.ceil(twoTalkerPairCount(corpus, 'train').utterances / batch));
}

function hyperCheck(h: SeparationTrainHyperParams): void {
  for (const k of ['batch', 'stepsPerEpoch', 'valItems', 'lrDecayEpochs', 'lrPatience', 'stopPatience'] as const) {
    if (!Number.isInteger(h[k]) || h[k] < 1) throw new UserError(`training: ${k} must be a positive integer, got ${h[k]}`);
  }
  if (!(h.lr > 0)) throw new UserError(`training: lr must be positive, got ${h.lr}`);
  if (!(LR_SCHEDULES as readonly string[]).includes(h.lrSchedule)) throw new UserError(`training: lr schedule must be ${LR_SCHEDULES.join(' or ')}, got ${h.lrSchedule}`);
  if (!(h.lrDecay > 0 && h.lrDecay <= 1)) throw new UserError(`training: lrDecay must be in (0, 1], got ${h.lrDecay}`);
  if (!(h.segmentSeconds >= 0.05) || !(h.valSeconds >= 0.05)) throw new UserError('training: segment and validation lengths must be ≥ 0.05 s');
  if (!(h.gradClip >= 0 && Number.isFinite(h.gradClip))) throw new UserError(`training: --grad-clip must be ≥ 0 (0: off), got ${h.gradClip}`);
  if (!Number.isSafeInteger(h.seed)) throw new UserError(`training: seed must be an integer, got ${h.seed}`);
}

/** One optimiser step on a minibatch; returns the loss. */
export function separationTrainStep(net: SeparationNet, opt: Adam, batch: SeparationBatch, gradClip: number): number {
  return tidy(() => {
    opt.zeroGrad();
    const l = separationLoss(net, batch, true).loss;
    l.backward();
    if (gradClip > 0) torch.clipGradNorm(net.parameters(), gradClip);
    opt.step();
    return l.item();
  });
}

/** Everything the loop works on. */
interface Session {
  opts: SeparationTrainOptions;
  paths: ReturnType<typeof trainPaths>;
  config: SeparationConfig;
  hyper: SeparationTrainHyperParams;
  corpus: Corpus;
  hash: string;
  net: SeparationNet;
  opt: Adam;
  valSet: SeparationValidationSet;
  loop: SeparationLoopState;
  rep: SeparationTrainReporter;
  counters: LoopCounters & { records: SeparationEpochRecord[] };
}

function metadata(t: Session): Record<string, string> {
  return {
    preset: t.loop.preset,
    training: JSON.stringify(t.hyper),
    corpus_hash: t.hash,
    corpus: resolve(t.opts.corpusDir),
    command: t.opts.commandLine ?? '',
    hushpack_version: hushpackVersion(),
  };
}

function stateSave(t: Session): void {
  trainStateWrite(t.paths.statePath, t.net, t.opt, t.loop, {
    ...metadata(t), task: 'separation', arch: t.config.arch, config: JSON.stringify(t.config), epoch: String(t.loop.epoch), step: String(t.loop.globalStep),
  });
}

function validateAndRecord(t: Session, partial: boolean, stepSeconds: number | null): SeparationEpochRecord {
  const { loop, hyper } = t;
  t.rep.validationStart?.(hyper.valItems);
  const v = separationValidate(t.net, t.valSet);
  const candidate = loop.epoch > 0 || partial; // the random initial net is never "best"
  const improved = candidate && (loop.bestValLoss === null || v.loss < loop.bestValLoss);
  const rec: SeparationEpochRecord = {
    epoch: loop.epoch, step: loop.globalStep, partial,
    train_loss: loop.epochLossCount > 0 ? loop.epochLossSum / loop.epochLossCount : null,
    val_loss: v.loss, val_sisnr: v.siSnr, val_sisnri: v.siSnrI, val_estoi: v.estoi,
    mix_sisnr: t.valSet.mixSiSnr, mix_estoi: t.valSet.mixEstoi,
    lr: loop.lr, step_seconds: stepSeconds, mixtures_per_second: stepSeconds ? hyper.batch / stepSeconds : null,
    val_seconds: v.seconds, best: improved, time: new Date().toISOString(),
  };
  if (improved) {
    loop.bestValLoss = v.loss;
    loop.bestEpoch = loop.epoch;
    separationCheckpointWrite(t.paths.out, t.net, {
      ...metadata(t), epoch: String(loop.epoch), step: String(loop.globalStep), partial_epoch: String(partial),
      val: JSON.stringify({ loss: v.loss, sisnr: v.siSnr, sisnri: v.siSnrI, estoi: v.estoi, items: hyper.valItems, seconds: hyper.valSeconds }),
    });
  }
  appendFileSync(t.paths.logPath, `${JSON.stringify(rec)}\n`);
  t.counters.records.push(rec);
  t.rep.epochEnd?.(rec);
  return rec;
}

/** The epoch loop's view of this trainer (../loop.ts): a step mixes the minibatch of its global step. */
function separationDriver(t: Session): LoopDriver {
  const { hyper } = t;
  const spec: SeparationBatchSpec = { split: 'train', seed: hyper.seed, batch: hyper.batch, segmentSeconds: hyper.segmentSeconds };
  return {
    step: (globalStep) => separationTrainStep(t.net, t.opt, separationBatchAt(t.corpus, spec, globalStep), hyper.gradClip),
    validate: (partial, stepSeconds) => validateAndRecord(t, partial, stepSeconds),
    save: () => stateSave(t),
    setLr: (lr) => t.opt.setLr(lr),
  };
}

/** Runs (or resumes) a separation training run; see the file comment. */
export async function separationTrainRun(opts: SeparationTrainOptions): Promise<SeparationTrainReport> {
  const t0 = performance.now();
  if (opts.epochs === undefined && opts.minutes === undefined && opts.maxSteps === undefined && !opts.signal) {
    throw new UserError('train: give a budget (--epochs and/or --minutes)');
  }
  const threads = opts.threads ?? SEPARATION_TRAIN_THREADS_DEFAULT;
  if (!(Number.isInteger(threads) && threads >= 1)) throw new UserError(`--threads must be a positive integer, got ${threads}`);
  const paths = trainPaths(opts.out);
  const rep = opts.reporter ?? {};
  mkdirSync(dirname(paths.out), { recursive: true });
  const corpus = openCorpus(opts.corpusDir);
  const hash = corpusHash(opts.corpusDir);
  torch.setNumThreads(threads);

  let config: SeparationConfig;
  let loop: SeparationLoopState;
  let stateFile: TrainStateFile<SeparationConfig> | null = null;
  if (opts.resume) {
    stateFile = trainStateRead(paths.statePath, separationConfigFromMetadata);
    const s = stateFile.state as SeparationLoopState;
    if (!s || s.version !== 1) throw new UserError(`${paths.statePath}: unsupported state version`);
    if (opts.config && JSON.stringify(opts.config) !== JSON.stringify(stateFile.config)) {
      throw new UserError(`${paths.statePath}: the run being resumed is ${stateFile.config.arch} ${s.preset}, not the requested ${opts.config.arch} ${opts.preset ?? ''}`.trimEnd());
    }
    if (s.corpusHash !== hash) throw new UserError(`${paths.statePath}: the run was trained on another corpus (manifest.csv changed)`);
    config = stateFile.config;
    loop = { ...s, plateau: s.plateau ?? plateauFresh() };
    const extended = resumeExtend(loop, opts.hyper ?? {});
    if (extended) rep.log?.(extended);
    rep.log?.(`resuming ${config.arch} ${s.preset} at epoch ${loop.epoch}, step ${loop.globalStep} (${loop.stepInEpoch} into the epoch), lr ${loop.lr}`);
  } else {
    if (!opts.config) throw new UserError('train: an architecture and preset are needed for a new run');
    if (existsSync(paths.statePath)) throw new UserError(`${paths.statePath} exists: pass --resume to continue that run, or delete it (and ${paths.out}) to start over`);
    config = opts.config;
    const batch = opts.hyper?.batch ?? SEPARATION_TRAIN_DEFAULTS.batch;
    const hyper: SeparationTrainHyperParams = {
      ...SEPARATION_TRAIN_DEFAULTS, stepsPerEpoch: separationStepsPerEpoch(corpus, batch), loss: SEPARATION_LOSS[config.arch], ...opts.hyper,
    };
    hyper.loss = SEPARATION_LOSS[config.arch];
    hyperCheck(hyper);
    loop = {
      version: 1, preset: opts.preset ?? 'custom', hyper, corpusHash: hash, epoch: 0, stepInEpoch: 0, globalStep: 0, lr: hyper.lr,
      bestValLoss: null, bestEpoch: null, epochLossSum: 0, epochLossCount: 0, trainSeconds: 0, plateau: plateauFresh(),
    };
  }
  const hyper = loop.hyper;
  const net = createSeparationNet(config, { seed: hyper.seed });
  const opt = new Adam(net.parameters(), { lr: hyper.lr, amsgrad: true });
  if (stateFile) trainStateApply(stateFile, net, opt);
  opt.setLr(loop.lr);
  rep.log?.(`preparing ${hyper.valItems} validation mixtures`);
  const valSet = separationValidationSetBuild(corpus, { items: hyper.valItems, seed: hyper.seed, seconds: hyper.valSeconds, estoi: opts.valMetrics ?? true });
  const t: Session = {
    opts, paths, config, hyper, corpus, hash, net, opt, valSet, loop, rep,
    counters: { ...loopCountersFresh(), records: [] },
  };
  let stopReason: StopReason;
  try {
    stopReason = await loopRun(loop, separationDriver(t), opts, t.counters, rep, !opts.resume);
  } finally {
    net.dispose();
    opt.dispose();
  }
  return { ...loopRunReport(paths, loop, t.counters, stopReason, t0), config, hyper, records: t.counters.records };
}
