/**
 * The training loop of Tan & Wang TASLP 2021 §III-A/§III-B for any of the four networks:
 * on-the-fly mixtures of the corpus's train split (4-s segments, SNR uniform in [−5, 0] dB,
 * unit-RMS mixtures), minibatches of 16, AMSGrad with lr 1e-3 decayed ×0.98 every two epochs,
 * MSE loss (./features.ts), and after each epoch a validation pass on a fixed subset of the
 * validation split: loss, STOI and narrow-band PESQ of the enhanced mixtures.
 *
 * Files, next to `out` (M.safetensors):
 *   M.safetensors             the best model so far by validation loss (./checkpoint.ts metadata)
 *   M.safetensors.state       last weights + AMSGrad moments + loop position (resumable)
 *   M.safetensors.log.jsonl   one JSON line per validation (epoch 0 = the initial network)
 * The state file is rewritten at least every `checkpointMinutes` (mid-epoch too), at every epoch
 * end and when the run stops; all writes are atomic.
 *
 * Exactness of resume: the data stream is indexed by the global step (./batches.ts), the
 * networks use no random numbers while training (no dropout), the learning rate is a function of
 * the epoch, and weights, BatchNorm buffers and optimiser moments are saved as the float32 values
 * they are. A resumed run therefore computes the same steps as an uninterrupted one.
 *
 * Warm start (`init`): a new run whose network starts from the weights and BatchNorm buffers of a
 * checkpoint of the same config, with a fresh optimiser (no moments), the schedule restarted at
 * epoch 0 (lr = hyper.lr, 1e-3 unless overridden) and the data stream at step 0. The initial
 * validation (epoch 0) then measures the loaded network, and it counts as a candidate for the best
 * model, so M.safetensors is never worse than what the run started from. The checkpoint's path and
 * SHA-256 are recorded in every checkpoint and state file of the run (metadata `init`,
 * `init_sha256`). This continues a run whose `.state` was lost (the exact continuation needs the
 * state: moments, lr and data position).
 *
 * Budgets: `epochs` is the total number of epochs of the run (a resumed run stops at the same
 * total); `minutes` and `maxSteps` bound this invocation. A budget stop mid-epoch saves the state
 * and validates the partial epoch (validation has no side effects, so this does not disturb
 * resuming); the partial epoch's network becomes the best model if its loss is lower.
 */
import { existsSync, appendFileSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { openCorpus, corpusSplit, type Corpus } from '../data/corpus.js';
import { mixtureAt, MIXTURE_SECONDS_DEFAULT, MIXTURE_SNR_RANGE_DB_DEFAULT } from '../data/mixer.js';
import { MIX_AUGMENT_NONE, mixAugmentCheck, mixAugmentComplete, mixAugmentNoiseMixed, type MixAugment } from '../data/augment/settings.js';
import type { ArchConfig } from '../models/config.js';
import { configDiffText, configEqual } from '../models/overrides.js';
import { createNet, type Net } from '../models/net.js';
import { pesq } from '../metrics/pesq/pesq.js';
import { stoi } from '../metrics/stoi.js';
import { SAMPLE_RATE_HZ } from '../dsp/constants.js';
import * as torch from '../torch/torch.js';
import { Adam, tidy } from '../torch/torch.js';
import { featuresBatch, lossCompute, outputWaveforms, type FeatureBatch, type TrainPair } from './features.js';
import { TRAIN_LOSS_PAPER, trainLossCheck, type TrainLoss } from './loss.js';
import { pairAtLevel, signalUnlevel, TRAIN_LEVELS, type TrainLevel } from './level.js';
import { inlineBatchSource, workerBatchSource, type BatchSource, type BatchSpec } from './batches.js';
import {
  loopCountersFresh, loopRun, loopRunReport, type LoopCounters, type LoopDriver, type LoopRecord, type LoopReporter, type LoopRunOptions,
  type LoopRunReport, type LoopState, type StopReason,
} from './loop.js';
import { LR_SCHEDULES, plateauFresh, RESUME_EXTENDABLE, resumeExtend, type ScheduleParams } from './schedule.js';
import {
  checkpointRead, checkpointWrite, corpusHash, fileSha256, hushpackVersion, netLoadStateDict, trainStateApply, trainStateRead,
  trainStateWrite, TRAIN_LOG_SUFFIX, TRAIN_STATE_SUFFIX, type Checkpoint,
} from './checkpoint.js';

/** Training hyper-parameters (stored in checkpoints as metadata `training`). */
export interface TrainHyperParams extends ScheduleParams {
  /** Mixtures per minibatch (paper: 16). */
  batch: number;
  /** Training segment length (paper: 4 s). */
  segmentSeconds: number;
  /** Training SNR range in dB, uniform (paper: [−5, 0]). */
  snrRangeDb: [number, number];
  /**
   * Probability that a training or validation mixture's noise is babble of the split's own talkers
   * instead of a recorded noise (src/data/noise.ts talkersNoise; default 0 — the recorded noises
   * have no speech-like noise, the test set's babble and cafeteria are mostly that).
   */
  talkerNoise: number;
  /**
   * Mixer augmentations of the training and validation mixtures (src/data/augment/settings.ts;
   * default all off; a run or checkpoint from before this setting gets that default, so it stays exact).
   */
  augment: MixAugment;
  /**
   * The validation mixtures' noise settings; null: the training ones (as before these settings).
   * Fixing them (with valSnrRangeDb) keeps the validation set identical across runs whose training
   * data differ, so their validation numbers compare (the ablations do this).
   */
  valTalkerNoise: number | null;
  valAugment: MixAugment | null;
  /** Training loss (./loss.ts; the paper's: 'mse'). Validation loss uses the same. */
  loss: TrainLoss;
  /** The level the net sees (./level.ts): 'global' (the paper's unit-RMS mixtures) or 'track' (the runtime's causal tracker). */
  level: TrainLevel;
  /** Gradient-norm clipping: the joint L2 norm of all gradients is scaled down to at most this (0: off, the paper's). */
  gradClip: number;
  /** Seed of the parameter initialisation and of the training mixtures. */
  seed: number;
  /** Optimiser steps per epoch. */
  stepsPerEpoch: number;
  /** Validation mixtures (fixed: validation split, indices 0 … valItems − 1, seed `seed`). */
  valItems: number;
  /**
   * SNR range of the validation mixtures; null: the training range (as before this setting).
   * Fixing it keeps the validation set identical across runs that train on different SNR ranges.
   */
  valSnrRangeDb: [number, number] | null;
  /** Length of each validation mixture. */
  valSeconds: number;
  /** Always 'amsgrad' (Adam with the AMSGrad max of second moments). */
  optimizer: 'amsgrad';
}

/** Defaults of the paper, except epoch length and validation size (set for this machine). */
export const TRAIN_DEFAULTS: Omit<TrainHyperParams, 'stepsPerEpoch'> = {
  lr: 1e-3,
  lrSchedule: 'step',
  lrDecay: 0.98,
  lrDecayEpochs: 2,
  lrPatience: 2,
  stopPatience: 3,
  batch: 16,
  segmentSeconds: MIXTURE_SECONDS_DEFAULT,
  snrRangeDb: [MIXTURE_SNR_RANGE_DB_DEFAULT[0], MIXTURE_SNR_RANGE_DB_DEFAULT[1]],
  talkerNoise: 0,
  augment: { ...MIX_AUGMENT_NONE },
  valTalkerNoise: null,
  valAugment: null,
  loss: TRAIN_LOSS_PAPER,
  level: 'global',
  gradClip: 0,
  seed: 0,
  valItems: 16,
  valSnrRangeDb: null,
  valSeconds: MIXTURE_SECONDS_DEFAULT,
  optimizer: 'amsgrad',
};


/** Default libtorch intra-op threads of a training run (the machine's 2 cores). */
export const TRAIN_THREADS_DEFAULT = 2;

/** Validation results of one network state. */
export interface ValidationResult {
  /** Mean MSE over the validation mixtures (same definition as the training loss). */
  loss: number;
  /** Mean STOI / narrow-band PESQ (P.862.1 MOS-LQO) / wide-band PESQ (P.862.2) of the enhanced mixtures; null when not computed. */
  stoi: number | null;
  pesq_nb: number | null;
  pesq_wb: number | null;
  seconds: number;
}

/** One line of M.safetensors.log.jsonl. */
export interface EpochRecord extends LoopRecord {
  val_stoi: number | null;
  val_pesq_nb: number | null;
  val_pesq_wb: number | null;
  /** The unprocessed mixtures' STOI / PESQ on the same validation set (reference point). */
  mix_stoi: number | null;
  mix_pesq_nb: number | null;
  mix_pesq_wb: number | null;
}

/** Progress callbacks (the CLI draws a bar from these; all optional). */
export interface TrainReporter extends LoopReporter {
  epochEnd?(record: EpochRecord): void;
  validationStart?(items: number): void;
}

/**
 * Options of `trainRun` (budgets, paths, threads, resume: ./loop.ts LoopRunOptions; `epochs` is the
 * run's total, `minutes` and `maxSteps` bound this invocation, aborting `signal` stops after the
 * current step with the state saved and the partial epoch validated).
 */
export interface TrainOptions extends LoopRunOptions {
  /**
   * The network (a preset's config or any valid ArchConfig). Required for a fresh run; on resume
   * it is taken from the state file and, when given, must equal it.
   */
  config?: ArchConfig;
  /**
   * Preset name recorded in the metadata ('custom' when not a preset). With `init` and no
   * `config`, both come from the init checkpoint.
   */
  preset?: string;
  /**
   * Warm start: a checkpoint (M.safetensors of any hushpack run) whose weights and BatchNorm
   * buffers the new run starts from; its config must equal `config` (when given). Not with `resume`.
   */
  init?: string;
  /**
   * Extra provenance copied into the metadata of every checkpoint and state file of the run (e.g.
   * base_preset, hparam_overrides); kept across resumes.
   */
  metadata?: Record<string, string>;
  /** Overrides of the training hyper-parameters (stepsPerEpoch defaults to one pass over the train speech). */
  hyper?: Partial<TrainHyperParams>;
  /** libtorch intra-op threads (default TRAIN_THREADS_DEFAULT = 2). */
  threads?: number;
  /** Validate the initial network as epoch 0 (default true; skipped on resume). */
  validateInitial?: boolean;
  /**
   * Prepare the next batch on a worker thread while libtorch computes (needs the compiled dist/).
   * Default: only when libtorch's threads leave a core free (threads < available cores). Measured
   * on the 2-core machine with 2 libtorch threads, the worker did not raise throughput (the CPU
   * is zero-sum there; see docs/results/train/README.md), while with a GPU or spare cores it hides
   * the ≈ 0.3–0.6 s of JavaScript mixing + STFT per 16 × 4-s batch.
   */
  prefetch?: boolean;
  reporter?: TrainReporter;
}

/** What `trainRun` returns. */
export interface TrainReport extends LoopRunReport {
  config: ArchConfig;
  hyper: TrainHyperParams;
  /** Absolute path of the warm start's checkpoint (TrainOptions.init), null otherwise. */
  init: string | null;
  /** Validation records written by this invocation (epoch 0 first on a fresh run). */
  records: EpochRecord[];
  batchSource: 'worker' | 'inline';
}

/** The loop position saved in the state file (metadata `state`). */
export interface TrainLoopState extends LoopState {
  version: 1;
  preset: string;
  hyper: TrainHyperParams;
  corpusHash: string;
  /** Extra checkpoint metadata of the run (TrainOptions.metadata, plus init / init_sha256 of a warm start). */
  metadata?: Record<string, string>;
}

/** Paths of the files next to the checkpoint. */
export function trainPaths(out: string): { out: string; statePath: string; logPath: string } {
  const o = resolve(out);
  return { out: o, statePath: o + TRAIN_STATE_SUFFIX, logPath: o + TRAIN_LOG_SUFFIX };
}

/** Default steps per epoch: one pass over the train split's speech, ⌈seconds / (segment · batch)⌉. */
export function defaultStepsPerEpoch(corpus: Corpus, segmentSeconds: number, batch: number): number {
  const idx = corpusSplit(corpus, 'train');
  const seconds = idx.speechCumSeconds.length > 0 ? idx.speechCumSeconds[idx.speechCumSeconds.length - 1] : 0;
  return Math.max(1, Math.ceil(seconds / (segmentSeconds * batch)));
}

function checkHyper(h: TrainHyperParams, arch: ArchConfig['arch']): void {
  const posInt = (k: keyof TrainHyperParams) => {
    const v = h[k] as number;
    if (!Number.isInteger(v) || v < 1) throw new UserError(`training: ${k} must be a positive integer, got ${v}`);
  };
  posInt('batch');
  posInt('stepsPerEpoch');
  posInt('valItems');
  posInt('lrDecayEpochs');
  if (!(h.lr > 0)) throw new UserError(`training: lr must be positive, got ${h.lr}`);
  if (!(LR_SCHEDULES as readonly string[]).includes(h.lrSchedule)) throw new UserError(`training: lr schedule must be ${LR_SCHEDULES.join(' or ')}, got ${h.lrSchedule}`);
  posInt('lrPatience');
  posInt('stopPatience');
  if (!(h.lrDecay > 0 && h.lrDecay <= 1)) throw new UserError(`training: lrDecay must be in (0, 1], got ${h.lrDecay}`);
  if (!(h.segmentSeconds >= 0.05) || !(h.valSeconds >= 0.05)) throw new UserError('training: segment and validation lengths must be ≥ 0.05 s');
  if (!(h.snrRangeDb[0] <= h.snrRangeDb[1])) throw new UserError(`training: SNR range [${h.snrRangeDb}] is empty`);
  if (h.valSnrRangeDb !== null && !(h.valSnrRangeDb[0] <= h.valSnrRangeDb[1])) throw new UserError(`training: validation SNR range [${h.valSnrRangeDb}] is empty`);
  if (!(h.talkerNoise >= 0 && h.talkerNoise <= 1)) throw new UserError(`training: --talker-noise ${h.talkerNoise} is not a probability in [0, 1]`);
  const augment = mixAugmentComplete(h.augment);
  mixAugmentCheck(augment, 'training: --augment');
  if (h.valAugment !== null) {
    mixAugmentCheck(mixAugmentComplete(h.valAugment), 'training: --val-augment');
    if ((h.valTalkerNoise ?? h.talkerNoise) > 0 && mixAugmentNoiseMixed(mixAugmentComplete(h.valAugment))) {
      throw new UserError('training: the validation talker noise and --val-augment\'s noise mix both set the noise kinds');
    }
  }
  if (h.valTalkerNoise !== null && !(h.valTalkerNoise >= 0 && h.valTalkerNoise <= 1)) throw new UserError(`training: --val-talker-noise ${h.valTalkerNoise} is not a probability in [0, 1]`);
  if (h.talkerNoise > 0 && mixAugmentNoiseMixed(augment)) {
    throw new UserError('training: --talker-noise and an --augment noise mix both set the noise kinds; use noiseTalkers in --augment-set instead');
  }
  trainLossCheck(arch, h.loss);
  if (!(TRAIN_LEVELS as readonly string[]).includes(h.level)) throw new UserError(`training: level must be ${TRAIN_LEVELS.join(' or ')}, got ${h.level}`);
  if (!(h.gradClip >= 0 && Number.isFinite(h.gradClip))) throw new UserError(`training: --grad-clip must be ≥ 0 (0: off), got ${h.gradClip}`);
  if (!Number.isSafeInteger(h.seed)) throw new UserError(`training: seed must be an integer, got ${h.seed}`);
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/** The fixed validation subset: mixtures, feature batches and the unprocessed baseline. */
export interface ValidationSet {
  /** The mixer's pairs (unit RMS): the metrics' references. */
  pairs: TrainPair[];
  /** Per pair, the gains of the run's level path (null: 'global'), and the mixture the net sees (pair × gains). */
  gains: (Float64Array | null)[];
  netMixtures: Float32Array[];
  batches: FeatureBatch[];
  mixStoi: number | null;
  mixPesqNb: number | null;
  mixPesqWb: number | null;
  /** The loss the batches' targets are built for. */
  loss: TrainLoss;
}

/** Mean of the finite values, or null when there are none. */
function meanFinite(xs: readonly (number | null)[]): number | null {
  const ok = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return ok.length === 0 ? null : ok.reduce((a, b) => a + b, 0) / ok.length;
}

/** STOI, NB and WB PESQ of `deg` against `ref` (16 kHz); null for a metric that cannot be computed (e.g. silence). */
function speechMetrics(ref: Float32Array, deg: Float32Array): { stoi: number | null; pesq: number | null; pesqWb: number | null } {
  const attempt = (f: () => number): number | null => {
    try {
      return f();
    } catch {
      return null;
    }
  };
  return {
    stoi: attempt(() => stoi(ref, deg, SAMPLE_RATE_HZ)),
    pesq: attempt(() => pesq(ref, deg, SAMPLE_RATE_HZ, 'nb').mos),
    pesqWb: attempt(() => pesq(ref, deg, SAMPLE_RATE_HZ, 'wb').mos),
  };
}

/** Builds the validation subset (validation split, indices 0 … items − 1, `seed`). */
export function validationSetBuild(corpus: Corpus, arch: ArchConfig['arch'], h: TrainHyperParams, metrics: boolean): ValidationSet {
  const pairs: TrainPair[] = [];
  for (let i = 0; i < h.valItems; i++) {
    const m = mixtureAt(corpus, {
      split: 'validation', index: i, seed: h.seed, seconds: h.valSeconds, snrRangeDb: h.valSnrRangeDb ?? h.snrRangeDb,
      talkerNoise: h.valTalkerNoise ?? h.talkerNoise, augment: h.valAugment ?? h.augment,
    });
    pairs.push({ mixture: m.mixture, clean: m.clean });
  }
  const batches: FeatureBatch[] = [];
  const levelled = pairs.map((p) => pairAtLevel(p, h.level));
  for (let i = 0; i < pairs.length; i += h.batch) batches.push(featuresBatch(arch, levelled.slice(i, i + h.batch).map((l) => l.pair), h.loss));
  let mixStoi: number | null = null;
  let mixPesqNb: number | null = null;
  let mixPesqWb: number | null = null;
  if (metrics) {
    const m = pairs.map((p) => speechMetrics(p.clean, p.mixture));
    mixStoi = meanFinite(m.map((x) => x.stoi));
    mixPesqNb = meanFinite(m.map((x) => x.pesq));
    mixPesqWb = meanFinite(m.map((x) => x.pesqWb));
  }
  return { pairs, gains: levelled.map((l) => l.gains), netMixtures: levelled.map((l) => l.pair.mixture), batches, mixStoi, mixPesqNb, mixPesqWb, loss: h.loss };
}

/**
 * Validates `net` in inference mode (BatchNorm running statistics, no autograd, causal): mean
 * loss over the set and, with `metrics`, mean STOI and NB PESQ of the enhanced mixtures.
 */
export function validate(net: Net, set: ValidationSet, metrics: boolean): ValidationResult {
  const t0 = performance.now();
  const arch = net.config.arch;
  let lossSum = 0;
  let items = 0;
  const stois: (number | null)[] = [];
  const pesqs: (number | null)[] = [];
  const pesqWbs: (number | null)[] = [];
  let offset = 0;
  for (const b of set.batches) {
    const { loss, out } = torch.noGrad(() =>
      tidy(() => {
        const x = torch.tensor(b.input, b.inputShape);
        const y = torch.tensor(b.target, b.targetShape);
        const o = net.forward(x, { training: false });
        return { loss: lossCompute(arch, o, y, set.loss).item(), out: metrics ? o.contiguous().toFloat32Array() : null };
      }),
    );
    lossSum += loss * b.batch;
    items += b.batch;
    if (out !== null) {
      const pairs = set.pairs.slice(offset, offset + b.batch);
      const gains = set.gains.slice(offset, offset + b.batch);
      // The net's input gives the output transform its noisy spectrum; unscale after.
      const enhanced = outputWaveforms(arch, out, set.netMixtures.slice(offset, offset + b.batch), b.length).map((e, i) => signalUnlevel(e, gains[i]));
      enhanced.forEach((e, i) => {
        const m = speechMetrics(pairs[i].clean, e);
        stois.push(m.stoi);
        pesqs.push(m.pesq);
        pesqWbs.push(m.pesqWb);
      });
    }
    offset += b.batch;
  }
  return {
    loss: lossSum / items,
    stoi: metrics ? meanFinite(stois) : null,
    pesq_nb: metrics ? meanFinite(pesqs) : null,
    pesq_wb: metrics ? meanFinite(pesqWbs) : null,
    seconds: (performance.now() - t0) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------
// The loop
// ---------------------------------------------------------------------------------------------

/**
 * One optimiser step on a prepared batch (targets built for `loss`); with `gradClip` > 0 the
 * gradients' joint L2 norm is first scaled down to at most gradClip. Returns the loss.
 */
export function trainStep(net: Net, opt: Adam, batch: FeatureBatch, loss: TrainLoss = TRAIN_LOSS_PAPER, gradClip = 0): number {
  return tidy(() => {
    opt.zeroGrad();
    const x = torch.tensor(batch.input, batch.inputShape);
    const y = torch.tensor(batch.target, batch.targetShape);
    const l = lossCompute(net.config.arch, net.forward(x, { training: true }), y, loss);
    l.backward();
    if (gradClip > 0) torch.clipGradNorm(net.parameters(), gradClip);
    opt.step();
    return l.item();
  });
}

// ---------------------------------------------------------------------------------------------
// The run, in stages: check the options → resolve the run (fresh, warm start or resume) → create
// the network, optimiser, batch source and validation set (TrainSession) → the loop (epochs of
// steps, a validation after each) → the report. The run's settings (TrainSetup) are fixed once
// resolved; the state the loop changes is `loop` (what the state file saves) and `counters`
// (this invocation's own figures).
// ---------------------------------------------------------------------------------------------

/** What a run is, resolved from the options, a warm start's checkpoint or the state file. */
interface TrainSetup {
  config: ArchConfig;
  preset: string;
  hyper: TrainHyperParams;
  /** The state file being resumed (null: a new run). */
  stateFile: ReturnType<typeof trainStateRead> | null;
  /** The warm start's checkpoint (null: none). */
  init: Checkpoint | null;
}

/** This invocation's counters (not saved: a resumed run starts them afresh). */
interface TrainCounters extends LoopCounters {
  /** Validation records written by this invocation. */
  records: EpochRecord[];
}

/** Everything the loop works on: settings, the libtorch objects and data, and the state it advances. */
interface TrainSession {
  opts: TrainOptions;
  paths: ReturnType<typeof trainPaths>;
  setup: TrainSetup;
  corpusHash: string;
  metrics: boolean;
  rep: TrainReporter;
  log(message: string): void;
  net: Net;
  opt: Adam;
  source: BatchSource;
  valSet: ValidationSet;
  /** The loop position (saved in the state file). */
  loop: TrainLoopState;
  counters: TrainCounters;
}

/** Rejects a run without a budget and out-of-range budgets or threads (before any work). */
function trainOptionsCheck(opts: TrainOptions): void {
  if (opts.epochs === undefined && opts.minutes === undefined && opts.maxSteps === undefined && !opts.signal) {
    throw new UserError('train: give a budget (--epochs and/or --minutes)');
  }
  if (opts.epochs !== undefined && !(Number.isInteger(opts.epochs) && opts.epochs >= 0)) throw new UserError(`--epochs must be a non-negative integer, got ${opts.epochs}`);
  if (opts.minutes !== undefined && !(opts.minutes > 0)) throw new UserError(`--minutes must be positive, got ${opts.minutes}`);
}

/** A resumed run: the config, preset, settings and loop position come from the state file. */
function trainSetupResumed(
  opts: TrainOptions, stateFile: NonNullable<TrainSetup['stateFile']>, statePath: string, hash: string, log: (m: string) => void,
): { setup: TrainSetup; loop: TrainLoopState } {
  const s = stateFile.state as TrainLoopState;
  if (!s || s.version !== 1) throw new UserError(`${statePath}: unsupported state version`);
  if (opts.config && !configEqual(stateFile.config, opts.config)) {
    throw new UserError(`${statePath}: the run being resumed is ${stateFile.config.arch} ${s.preset}, not the requested ${opts.config.arch} ${opts.preset ?? ''}`.trimEnd());
  }
  if (s.corpusHash !== hash) throw new UserError(`${statePath}: the run was trained on another corpus (manifest.csv changed: ${s.corpusHash.slice(0, 12)}… vs ${hash.slice(0, 12)}…)`);
  const config = stateFile.config;
  const preset = s.preset;
  const hyper: TrainHyperParams = { ...TRAIN_DEFAULTS, ...s.hyper }; // settings added since the run started take their defaults
  const loop: TrainLoopState = { ...s, hyper, plateau: s.plateau ?? plateauFresh() };
  const extended = resumeExtend(loop, opts.hyper ?? {});
  if (extended) log(extended);
  const ignored = Object.entries(opts.hyper ?? {})
    .filter(([k]) => !(RESUME_EXTENDABLE as readonly string[]).includes(k))
    .filter(([k, v]) => JSON.stringify(v) !== JSON.stringify((hyper as unknown as Record<string, unknown>)[k]));
  if (ignored.length > 0) log(`resume keeps the run's training settings; ignoring ${ignored.map(([k]) => k).join(', ')}`);
  log(`resuming ${config.arch} ${preset} at epoch ${loop.epoch}, step ${loop.globalStep} (${loop.stepInEpoch} into the epoch), lr ${loop.lr}`);
  return { setup: { config, preset, hyper, stateFile, init: null }, loop };
}

/** A new run (optionally a warm start from `opts.init`): the settings from the options, the loop at step 0. */
function trainSetupFresh(
  opts: TrainOptions, paths: ReturnType<typeof trainPaths>, corpus: Corpus, hash: string,
): { setup: TrainSetup; loop: TrainLoopState } {
  const extra: Record<string, string> = { ...opts.metadata };
  let init: Checkpoint | null = null;
  if (opts.init !== undefined) {
    init = checkpointRead(opts.init);
    if (opts.config && !configEqual(init.config, opts.config)) {
      throw new UserError(
        `--init ${opts.init}: its network is not the requested one (${configDiffText(init.config, opts.config)}); ` +
          'a warm start needs the same architecture and hyper-parameters',
      );
    }
    if (!opts.config) {
      for (const k of ['base_preset', 'hparam_overrides']) if (init.metadata[k] !== undefined && extra[k] === undefined) extra[k] = init.metadata[k];
    }
    extra.init = resolve(opts.init);
    extra.init_sha256 = fileSha256(opts.init);
  }
  if (!opts.config && !init) throw new UserError('train: an architecture and preset are needed for a new run');
  const config = opts.config ?? init!.config;
  const preset = opts.preset ?? (opts.config ? 'custom' : init!.preset || 'custom');
  if (existsSync(paths.statePath)) {
    throw new UserError(`${paths.statePath} exists: pass --resume to continue that run, or delete it (and ${paths.out}) to start over`);
  }
  const hyper: TrainHyperParams = {
    ...TRAIN_DEFAULTS,
    stepsPerEpoch: 0,
    ...opts.hyper,
  };
  if (!hyper.stepsPerEpoch) hyper.stepsPerEpoch = defaultStepsPerEpoch(corpus, hyper.segmentSeconds, hyper.batch);
  checkHyper(hyper, config.arch);
  const loop: TrainLoopState = {
    version: 1, preset, hyper, corpusHash: hash, epoch: 0, stepInEpoch: 0, globalStep: 0, lr: hyper.lr,
    bestValLoss: null, bestEpoch: null, epochLossSum: 0, epochLossCount: 0, trainSeconds: 0,
    metadata: extra, plateau: plateauFresh(),
  };
  return { setup: { config, preset, hyper, stateFile: null, init }, loop };
}

/** The network and its optimiser: seeded initialisation, then the state file's or the warm start's weights. */
function trainNetCreate(opts: TrainOptions, setup: TrainSetup, loop: TrainLoopState, log: (m: string) => void): { net: Net; opt: Adam } {
  const { config, hyper, stateFile, init } = setup;
  const net = createNet(config, { seed: hyper.seed });
  const opt = new Adam(net.parameters(), { lr: hyper.lr, amsgrad: true });
  if (stateFile) trainStateApply(stateFile, net, opt);
  if (init) {
    netLoadStateDict(net, init.tensors, opts.init!);
    const m = init.metadata;
    log(`warm start from ${opts.init} (${config.arch} ${init.preset || 'custom'}, epoch ${m.epoch ?? '?'}, step ${m.step ?? '?'}); fresh optimiser, lr ${hyper.lr}`);
  }
  opt.setLr(loop.lr);
  return { net, opt };
}

/** Metadata of every checkpoint and state file of the run. */
function trainMetadata(t: TrainSession): Record<string, string> {
  const { config, preset, hyper } = t.setup;
  return {
    ...t.loop.metadata,
    arch: config.arch,
    preset,
    hparams: JSON.stringify(config.hparams),
    config: JSON.stringify(config),
    training: JSON.stringify(hyper),
    corpus_hash: t.corpusHash,
    corpus: resolve(t.opts.corpusDir),
    command: t.opts.commandLine ?? '',
    hushpack_version: hushpackVersion(),
  };
}

/** Writes the state file (weights, moments, loop position). */
function trainStateSave(t: TrainSession): void {
  trainStateWrite(t.paths.statePath, t.net, t.opt, t.loop, { ...trainMetadata(t), epoch: String(t.loop.epoch), step: String(t.loop.globalStep) });
}

/** Validates, writes the best checkpoint if improved, appends the log line. */
function trainValidateAndRecord(t: TrainSession, partial: boolean, stepSeconds: number | null): EpochRecord {
  const { loop, valSet } = t;
  const { hyper } = t.setup;
  t.rep.validationStart?.(hyper.valItems);
  const v = validate(t.net, valSet, t.metrics);
  // A fresh run's initial (random) network is never "best"; a warm start's initial network is.
  const candidate = loop.epoch > 0 || partial || loop.metadata?.init !== undefined;
  const improved = candidate ? loop.bestValLoss === null || v.loss < loop.bestValLoss : false;
  const rec: EpochRecord = {
    epoch: loop.epoch,
    step: loop.globalStep,
    partial,
    train_loss: loop.epochLossCount > 0 ? loop.epochLossSum / loop.epochLossCount : null,
    val_loss: v.loss,
    val_stoi: v.stoi,
    val_pesq_nb: v.pesq_nb,
    val_pesq_wb: v.pesq_wb,
    mix_stoi: valSet.mixStoi,
    mix_pesq_nb: valSet.mixPesqNb,
    mix_pesq_wb: valSet.mixPesqWb,
    lr: loop.lr,
    step_seconds: stepSeconds,
    mixtures_per_second: stepSeconds ? hyper.batch / stepSeconds : null,
    val_seconds: v.seconds,
    best: improved,
    time: new Date().toISOString(),
  };
  if (improved) {
    loop.bestValLoss = v.loss;
    loop.bestEpoch = loop.epoch;
    checkpointWrite(t.paths.out, t.net, {
      ...trainMetadata(t),
      epoch: String(loop.epoch),
      step: String(loop.globalStep),
      partial_epoch: String(partial),
      val: JSON.stringify({ loss: v.loss, stoi: v.stoi, pesq_nb: v.pesq_nb, pesq_wb: v.pesq_wb, items: hyper.valItems, seconds: hyper.valSeconds }),
    });
  }
  appendFileSync(t.paths.logPath, `${JSON.stringify(rec)}\n`);
  t.counters.records.push(rec);
  t.rep.epochEnd?.(rec);
  return rec;
}

/** The epoch loop's view of this trainer (./loop.ts): a step draws the batch of its global step. */
function trainDriver(t: TrainSession): LoopDriver {
  const { hyper } = t.setup;
  return {
    step: async (globalStep) => trainStep(t.net, t.opt, await t.source.get(globalStep), hyper.loss, hyper.gradClip),
    validate: (partial, stepSeconds) => trainValidateAndRecord(t, partial, stepSeconds),
    save: () => trainStateSave(t),
    setLr: (lr) => t.opt.setLr(lr),
  };
}

/** Runs (or resumes) a training run; see the file comment. */
export async function trainRun(opts: TrainOptions): Promise<TrainReport> {
  const t0 = performance.now();
  const paths = trainPaths(opts.out);
  const rep = opts.reporter ?? {};
  const log = (m: string) => rep.log?.(m);
  trainOptionsCheck(opts);
  mkdirSync(dirname(paths.out), { recursive: true });
  const corpus = openCorpus(opts.corpusDir);
  const hash = corpusHash(opts.corpusDir);
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1)) throw new UserError(`--threads must be a positive integer, got ${opts.threads}`);
  torch.setNumThreads(opts.threads ?? TRAIN_THREADS_DEFAULT);
  const metrics = opts.valMetrics ?? true;

  if (opts.init !== undefined && opts.resume) throw new UserError('--init starts a new run; it cannot be combined with --resume');
  const stateFile = opts.resume ? trainStateRead(paths.statePath) : null;
  const { setup, loop } = stateFile ? trainSetupResumed(opts, stateFile, paths.statePath, hash, log) : trainSetupFresh(opts, paths, corpus, hash);
  const { net, opt } = trainNetCreate(opts, setup, loop, log);
  const counters: TrainCounters = { ...loopCountersFresh(), records: [] };

  const spec: BatchSpec = {
    arch: setup.config.arch, corpusDir: opts.corpusDir, split: 'train', seed: setup.hyper.seed, batch: setup.hyper.batch,
    segmentSeconds: setup.hyper.segmentSeconds, snrRangeDb: setup.hyper.snrRangeDb, talkerNoise: setup.hyper.talkerNoise, augment: setup.hyper.augment,
    loss: setup.hyper.loss, level: setup.hyper.level,
  };
  const threads = opts.threads ?? TRAIN_THREADS_DEFAULT;
  const prefetch = opts.prefetch ?? threads < availableParallelism();
  const source: BatchSource = prefetch ? workerBatchSource(spec) : inlineBatchSource(spec, corpus);

  log(`preparing ${setup.hyper.valItems} validation mixtures`);
  const valSet = validationSetBuild(corpus, setup.config.arch, setup.hyper, metrics);
  const t: TrainSession = { opts, paths, setup, corpusHash: hash, metrics, rep, log, net, opt, source, valSet, loop, counters };

  let stopReason: StopReason;
  try {
    // A new run validates its initial network (epoch 0); a warm start's counts as a best-model candidate.
    const validateInitial = !setup.stateFile && (opts.validateInitial ?? true);
    stopReason = await loopRun(loop, trainDriver(t), opts, counters, rep, validateInitial);
  } finally {
    await source.close();
    net.dispose();
    opt.dispose();
  }
  return {
    ...loopRunReport(paths, loop, counters, stopReason, t0),
    config: setup.config, hyper: setup.hyper, records: counters.records, init: loop.metadata?.init ?? null, batchSource: source.kind,
  };
}
