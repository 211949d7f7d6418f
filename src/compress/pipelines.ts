/**
 * The compression pipelines of `hushpack compress` (Tan & Wang Fig. 3 and the baselines of §IV):
 *
 *   c1       ℓ1 regularisation (eq. 7) + iterative unstructured pruning (Alg. 1) + k-means (Alg. 3)
 *   c2       sparse group lasso (eq. 9) + iterative structured pruning (Alg. 2) + k-means (Alg. 3)
 *   quant    k-means only, on the unpruned net (Table V)
 *   prune-u  iterative unstructured pruning, no regulariser unless asked (Fig. 4a/5a), no quantisation
 *   prune-s  iterative structured pruning, no regulariser unless asked (Fig. 6), no quantisation
 *   global   one iteration, one common |w| threshold for all tensors matched to Algorithm 1's
 *            count (or to a target rate), vs the per-tensor result (Fig. 7)
 *   mpo      every Linear/LSTM matrix replaced by an MPO chain (Sun et al.) with the bond dimension
 *            for a target rate, and the network trained from scratch on the dense model's budget
 *            (`mpoInit` 'svd': the chains start as the TT-SVD of the trained matrices and are
 *            fine-tuned instead, mpoSvd.ts)
 *   channel  whole hidden units / conv channels removed and the layers physically narrowed (Wu et
 *            al.; all four nets, channel.ts), fine-tuned, then k-means with centroid fine-tuning
 *
 * A run reads a checkpoint (`hushpack train` output), prunes/quantises a libtorch copy of the
 * network, writes the `.hush` file (read back and verified) and a JSON report (`CompressReport`)
 * holding every number of the run: settings, per-iteration parameter %, per-tensor pruning
 * ratios and sensitivity curves, STOI/PESQ, K per tensor, eq. 11 rates, MACs, timings, command line.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { openCorpus } from '../data/corpus.js';
import { eq11ModelRate, actualRate } from '../format/rate.js';
import type { HushTensor } from '../format/tensor.js';
import type { ArchConfig } from '../models/config.js';
import { createNet } from '../models/net.js';
import { countMacs, countParams, float32MiB } from '../models/size.js';
import type { Net } from '../models/net.js';
import * as torch from '../torch/torch.js';
import { corpusHash, hushpackVersion, netFromCheckpoint } from '../train/checkpoint.js';
import { TRAIN_DEFAULTS, validationSetBuild, type TrainHyperParams, type ValidationSet } from '../train/trainer.js';
import { learningRateAt } from '../train/schedule.js';
import type { BatchSpec } from '../train/batches.js';
import type { TrainLoss } from '../train/loss.js';
import { mixAugmentComplete, type MixAugment } from '../data/augment/settings.js';
import {
  CENTROID_FINETUNE_LR, COMPRESS_ANALYSIS_THREADS_DEFAULT, COMPRESS_THREADS_DEFAULT, COMPRESS_WORKERS_DEFAULT, FINETUNE_STEPS_FALLBACK, MPO_DEFAULTS, PAPER_SETTINGS, SENSITIVITY_DATA_DEFAULTS, STOP_DEFAULTS, VALIDATION_DEFAULTS,
} from './defaults.js';
import { channelScan, channelShrink, type ChannelLayerResult } from './channel.js';
import { hushModelOf, hushWriteVerified } from './export.js';
import type { FinetuneResult } from './finetune.js';
import { mpoParams } from './mpo.js';
import { MPO_INITS, mpoHushTensors, mpoRelError, mpoLayersCreate, mpoLayersDispose, mpoTrain, type MpoInit, type MpoLayer } from './mpoTrain.js';
import { pruneGlobal, pruneIterative, sessionFinetune, type GlobalOutcome, type PruneOutcome, type PruneSettings } from './prune.js';
import { quantizeSession, type QuantOutcome, type QuantSettings } from './quantize.js';
import type { RegularizerKind } from './regularizers.js';
import {
  masksFull, sensitivityBatches, sessionCount, sessionPrunable, sessionValidate, type CompressSession, type ValRecord,
} from './session.js';
import { blockShapeName, blockShapeParse } from './blocks.js';
import type { HushBlockShape } from '../format/tensor.js';

/** Pipeline names (CLI `--pipeline`). */
export const PIPELINE_NAMES = ['c1', 'c2', 'quant', 'prune-u', 'prune-s', 'global', 'channel', 'mpo'] as const;
export type PipelineName = (typeof PIPELINE_NAMES)[number];

/** `format` of a compress report (what `hushpack report` looks for). */
export const COMPRESS_REPORT_FORMAT = 'hushpack-compress-report';

/** Options of compressRun (CLI flags map one to one; unset = the default stated in the report). */
export interface CompressOptions {
  pipeline: PipelineName;
  /** Checkpoint (.safetensors written by `hushpack train`). */
  input: string;
  corpusDir: string;
  /** Output `.hush` path. */
  out: string;
  /** JSON report path (default: `out` with `.hush` replaced by `.report.json`). */
  reportPath?: string;
  alpha1?: number;
  alpha2?: number;
  lambda1?: number;
  lambda2?: number;
  regularizer?: RegularizerKind;
  maxIterations?: number;
  minNewlyPrunedFraction?: number;
  maxStoiDrop?: number;
  maxPesqDrop?: number;
  finetuneSteps?: number;
  finetuneMinutes?: number;
  preSteps?: number;
  lr?: number;
  batch?: number;
  segmentSeconds?: number;
  sensItems?: number;
  sensSeconds?: number;
  valItems?: number;
  valSeconds?: number;
  /** STOI/PESQ in validation (default true; without them the quality stop rule is inactive). */
  valMetrics?: boolean;
  centroidSteps?: number;
  centroidLr?: number;
  maxK?: number;
  /** global: keep this percent of the weights instead of matching Algorithm 1. */
  targetPercent?: number;
  /** mpo: compression rate of each replaced matrix (default 10), cores per chain (default 3). */
  mpoRate?: number;
  mpoCores?: number;
  /** mpo: training steps (default: the checkpoint's epochs × steps per epoch; with mpoInit 'svd': finetuneSteps). */
  trainSteps?: number;
  /** mpo: 'random' (default: trained from scratch, Sun et al.) or 'svd' (TT-SVD of the trained matrices, fine-tuned). */
  mpoInit?: MpoInit;
  /** c1 / prune-u: prune the matrices and conv kernels in blocks ('4x1', '8x1', '1x4'; blocks.ts) instead of single weights. */
  block?: string;
  /** Sensitivity worker threads (default 1 = inline in this thread). */
  workers?: number;
  /** libtorch threads of an inline sensitivity analysis (default 1: measured fastest on the shared machine). */
  analysisThreads?: number;
  /** libtorch threads of this process (default 2). */
  threads?: number;
  workerPath?: string;
  prefetch?: boolean;
  commandLine?: string;
  log?(message: string): void;
  /** Progress of long phases (sensitivity analyses, fine-tuning, training): done of total. */
  onProgress?(phase: string, done: number, total: number): void;
}

/** Every setting a run used (defaults resolved). */
export interface CompressSettings {
  alpha1: number;
  alpha2: number;
  lambda1: number;
  lambda2: number;
  regularizer: RegularizerKind;
  structured: boolean;
  /** Block-sparse pruning of the matrices (c1 / prune-u with --block), else null. */
  block: HushBlockShape | null;
  quantize: boolean;
  maxIterations: number;
  minNewlyPrunedFraction: number;
  maxStoiDrop: number;
  maxPesqDrop: number;
  finetuneSteps: number;
  finetuneMinutes: number | null;
  preSteps: number;
  lr: number;
  batch: number;
  segmentSeconds: number;
  snrRangeDb: [number, number];
  /** The checkpoint's training talker-noise probability (src/train/trainer.ts), for every mixture here. */
  talkerNoise: number;
  /** The checkpoint's mixer augmentations (src/data/augment/settings.ts; all off for checkpoints from before them). */
  augment: MixAugment;
  /** The checkpoint's training loss (src/train/loss.ts): fine-tuning, sensitivity and validation use it too. */
  loss: TrainLoss;
  seed: number;
  dataStartStep: number;
  sensItems: number;
  sensSeconds: number;
  valItems: number;
  valSeconds: number;
  valMetrics: boolean;
  centroidSteps: number;
  centroidLr: number;
  maxK: number | null;
  targetPercent: number | null;
  mpoRate: number;
  mpoCores: number;
  mpoInit: MpoInit;
  trainSteps: number;
  stepsPerEpoch: number;
  workers: number;
  analysisThreads: number;
  threads: number;
}

/** The final model's numbers (Table I / III / V columns). */
export interface CompressResult {
  params: number;
  paramsKept: number;
  paramsPercent: number;
  macs: number;
  denseMacs: number;
  macsPercent: number;
  /** Uncompressed float32 size, MiB (Table I "Model Size" of the U row). */
  float32MiB: number;
  /** Eq. 11 accounting: Σ bits, the model size it implies (MiB) and the rate 32·P / Σ bits. */
  eq11Bits: number;
  eq11MiB: number;
  eq11Rate: number;
  fileBytes: number;
  actualRate: number;
  val: ValRecord;
}

/** The JSON report of one run. */
export interface CompressReport {
  format: typeof COMPRESS_REPORT_FORMAT;
  version: 1;
  pipeline: PipelineName;
  command: string;
  input: string;
  output: string;
  /** Path of this report. */
  report: string;
  corpus: string;
  corpusHash: string;
  arch: ArchConfig['arch'];
  preset: string;
  config: ArchConfig;
  hushpackVersion: string;
  started: string;
  seconds: number;
  settings: CompressSettings;
  environment: { cpus: number; node: string; libtorch: string };
  /** The input model and the unprocessed mixtures on the validation set. */
  baseline: ValRecord;
  mixture: { stoi: number | null; pesq_nb: number | null };
  pruning: PruneOutcome | null;
  global: GlobalOutcome | null;
  mpo: MpoOutcome | null;
  channel: ChannelOutcome | null;
  quantization: Omit<QuantOutcome, 'tied'> | null;
  result: CompressResult;
  timings: { total: number; setup: number; sensitivity: number; finetune: number; validation: number; export: number };
  notes: string[];
}

/** What the channel pipeline did. */
export interface ChannelOutcome {
  layers: ChannelLayerResult[];
  configBefore: ArchConfig;
  configAfter: ArchConfig;
  scanSeconds: number;
  finetune: FinetuneResult;
  val: ValRecord;
}

/** What the MPO pipeline did. */
export interface MpoOutcome {
  rate: number;
  cores: number;
  init: MpoInit;
  /** initError: ‖W − initial chain‖_F / ‖W‖_F against the input model's matrix. */
  layers: { tensor: string; shape: number[]; rowFactors: number[]; colFactors: number[]; bonds: number[]; params: number; denseParams: number; initError: number }[];
  train: FinetuneResult;
  val: ValRecord;
}

/** Default report path next to the `.hush` file. */
export function reportPathFor(out: string): string {
  return out.endsWith('.hush') ? `${out.slice(0, -5)}.report.json` : `${out}.report.json`;
}

function positive(name: string, v: number | undefined, integer = false): void {
  if (v === undefined) return;
  if (!(Number.isFinite(v) && v >= 0) || (integer && !Number.isInteger(v))) {
    const flag = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new UserError(`${flag} must be a non-negative ${integer ? 'integer' : 'number'}, got ${v}`);
  }
}

/** Resolves the settings of a run from the options, the paper's table and the checkpoint. */
export function compressSettings(opts: CompressOptions, arch: ArchConfig['arch'], training: Partial<TrainHyperParams> | null, epoch: number | null, step: number | null): CompressSettings {
  for (const k of ['alpha1', 'alpha2', 'lambda1', 'lambda2', 'minNewlyPrunedFraction', 'maxStoiDrop', 'maxPesqDrop', 'lr', 'segmentSeconds', 'sensSeconds', 'valSeconds', 'centroidLr', 'finetuneMinutes'] as const) {
    positive(k, opts[k]);
  }
  if (opts.mpoRate !== undefined && !(opts.mpoRate >= 1)) throw new UserError(`--mpo-rate must be ≥ 1, got ${opts.mpoRate}`);
  if (opts.mpoCores !== undefined && !(Number.isInteger(opts.mpoCores) && opts.mpoCores >= 2)) throw new UserError(`--mpo-cores must be an integer ≥ 2, got ${opts.mpoCores}`);
  if (opts.mpoInit !== undefined && !MPO_INITS.includes(opts.mpoInit)) throw new UserError(`--mpo-init must be ${MPO_INITS.join(' or ')}, got '${opts.mpoInit}'`);
  for (const k of ['trainSteps', 'maxIterations', 'finetuneSteps', 'preSteps', 'batch', 'sensItems', 'valItems', 'centroidSteps', 'maxK', 'workers', 'analysisThreads', 'threads'] as const) {
    positive(k, opts[k], true);
  }
  const paper = PAPER_SETTINGS[arch];
  const p = opts.pipeline;
  if (opts.block !== undefined && p !== 'c1' && p !== 'prune-u') throw new UserError(`--block applies to the unstructured pipelines c1 and prune-u, not ${p}`);
  const regularizer: RegularizerKind = opts.regularizer ?? (p === 'c1' ? 'l1' : p === 'c2' ? 'sgl' : 'none');
  const hyper: TrainHyperParams = { ...TRAIN_DEFAULTS, stepsPerEpoch: FINETUNE_STEPS_FALLBACK, ...(training ?? {}) };
  const finetuneSteps = opts.finetuneSteps ?? (training?.stepsPerEpoch ?? FINETUNE_STEPS_FALLBACK);
  return {
    alpha1: opts.alpha1 ?? paper.alpha1,
    alpha2: opts.alpha2 ?? paper.alpha2,
    lambda1: opts.lambda1 ?? paper.lambda1,
    lambda2: opts.lambda2 ?? paper.lambda2,
    regularizer,
    structured: p === 'c2' || p === 'prune-s',
    block: opts.block === undefined ? null : blockShapeParse(opts.block),
    quantize: p === 'c1' || p === 'c2' || p === 'quant' || p === 'channel',
    maxIterations: opts.maxIterations ?? STOP_DEFAULTS.maxIterations,
    minNewlyPrunedFraction: opts.minNewlyPrunedFraction ?? STOP_DEFAULTS.minNewlyPrunedFraction,
    maxStoiDrop: opts.maxStoiDrop ?? STOP_DEFAULTS.maxStoiDrop,
    maxPesqDrop: opts.maxPesqDrop ?? STOP_DEFAULTS.maxPesqDrop,
    finetuneSteps,
    finetuneMinutes: opts.finetuneMinutes ?? null,
    preSteps: opts.preSteps ?? (regularizer === 'none' ? 0 : finetuneSteps),
    lr: opts.lr ?? (training && epoch !== null ? learningRateAt(hyper, epoch) : hyper.lr),
    batch: opts.batch ?? hyper.batch,
    segmentSeconds: opts.segmentSeconds ?? hyper.segmentSeconds,
    snrRangeDb: [hyper.snrRangeDb[0], hyper.snrRangeDb[1]],
    talkerNoise: hyper.talkerNoise,
    augment: mixAugmentComplete(hyper.augment),
    loss: hyper.loss,
    seed: hyper.seed,
    dataStartStep: step ?? 0,
    sensItems: opts.sensItems ?? SENSITIVITY_DATA_DEFAULTS.items,
    sensSeconds: opts.sensSeconds ?? SENSITIVITY_DATA_DEFAULTS.seconds,
    valItems: opts.valItems ?? (training?.valItems ?? VALIDATION_DEFAULTS.items),
    valSeconds: opts.valSeconds ?? (training?.valSeconds ?? VALIDATION_DEFAULTS.seconds),
    valMetrics: opts.valMetrics ?? true,
    centroidSteps: opts.centroidSteps ?? (p === 'channel' ? finetuneSteps : 0),
    centroidLr: opts.centroidLr ?? CENTROID_FINETUNE_LR,
    maxK: opts.maxK ?? null,
    targetPercent: opts.targetPercent ?? null,
    mpoRate: opts.mpoRate ?? MPO_DEFAULTS.rate,
    mpoCores: opts.mpoCores ?? MPO_DEFAULTS.cores,
    mpoInit: opts.mpoInit ?? 'random',
    trainSteps: opts.trainSteps ?? (opts.mpoInit !== 'svd' && training?.stepsPerEpoch && epoch !== null && epoch > 0 ? epoch * training.stepsPerEpoch : finetuneSteps),
    stepsPerEpoch: training?.stepsPerEpoch ?? finetuneSteps,
    workers: opts.workers ?? COMPRESS_WORKERS_DEFAULT,
    analysisThreads: opts.analysisThreads ?? COMPRESS_ANALYSIS_THREADS_DEFAULT,
    threads: opts.threads ?? COMPRESS_THREADS_DEFAULT,
  };
}

function parseJson<T>(text: string | undefined): T | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// The run, in stages: open the input → resolve the settings → build the session → the pipeline's
// own stage (prune / global / channel / mpo) → quantise → export the .hush → build the report.
// Settings (CompressSettings) are resolved once and read-only after; the state a stage changes is
// the session (CompressSession) and what the run owns and must free (CompressOwned).
// ---------------------------------------------------------------------------------------------

/** What a run reads: the corpus, its manifest hash, and the checkpoint with its network. */
interface CompressInput {
  corpus: ReturnType<typeof openCorpus>;
  corpusHash: string;
  checkpoint: ReturnType<typeof netFromCheckpoint>['checkpoint'];
  /** The input network (freed by the run). */
  net: Net;
}

/** libtorch objects a stage creates and the run frees at the end, whatever happens. */
interface CompressOwned {
  /** The channel pipeline's narrowed network. */
  narrowNet: Net | null;
  /** The MPO pipeline's chains. */
  mpoLayers: MpoLayer[];
}

/** The session and the data around it, built once before the pipeline's stages. */
interface CompressSetup {
  s: CompressSession;
  valSet: ValidationSet;
  /** The checkpoint's training hyper-parameters with this run's validation and batch sizes. */
  hyper: TrainHyperParams;
  /** The fine-tuning data stream (the train split, from the checkpoint's step on). */
  spec: BatchSpec;
  setupSeconds: number;
}

/** What the pipeline's own stage and the quantisation produced (null: not run by this pipeline). */
interface CompressOutcome {
  /** The input model's validation. */
  baseline: ValRecord;
  pruning: PruneOutcome | null;
  global: GlobalOutcome | null;
  channel: ChannelOutcome | null;
  mpo: MpoOutcome | null;
  quantization: QuantOutcome | null;
}

/** What the export wrote. */
interface CompressExport {
  reportPath: string;
  tensors: HushTensor[];
  bytes: Uint8Array;
  exportSeconds: number;
}

/** Rejects an unknown pipeline or an output that is not a `.hush` path (before any work). */
function compressOptionsCheck(opts: CompressOptions): void {
  if (!(PIPELINE_NAMES as readonly string[]).includes(opts.pipeline)) {
    throw new UserError(`unknown pipeline '${opts.pipeline}' (expected ${PIPELINE_NAMES.join(', ')})`);
  }
  if (!opts.out.endsWith('.hush')) throw new UserError(`--out must name a .hush file, got ${opts.out}`);
}

/** Opens the corpus and the checkpoint (the caller frees `net`). */
function compressInputOpen(opts: CompressOptions): CompressInput {
  const corpus = openCorpus(opts.corpusDir);
  const hash = corpusHash(opts.corpusDir);
  const { net, checkpoint } = netFromCheckpoint(opts.input);
  return { corpus, corpusHash: hash, checkpoint, net };
}

/** The run's settings from the options and the checkpoint's metadata; what is missing or differs goes to `notes`. */
function compressSettingsOfInput(opts: CompressOptions, input: CompressInput, notes: string[]): { set: CompressSettings; training: Partial<TrainHyperParams> | null } {
  const meta = input.checkpoint.metadata;
  const training = parseJson<Partial<TrainHyperParams>>(meta.training);
  if (training === null) notes.push('checkpoint has no training metadata: data settings and lr from the trainer defaults');
  if (meta.corpus_hash && meta.corpus_hash !== input.corpusHash) notes.push(`checkpoint was trained on another corpus (manifest hash ${meta.corpus_hash.slice(0, 12)}…)`);
  const epoch = meta.epoch !== undefined ? Number(meta.epoch) : null;
  const step = meta.step !== undefined ? Number(meta.step) : null;
  const set = compressSettings(opts, input.net.config.arch, training, Number.isFinite(epoch) ? epoch : null, Number.isFinite(step) ? step : null);
  return { set, training };
}

/** Builds the validation and sensitivity sets, the fine-tuning stream and the session on the input network. */
function compressSetupBuild(
  opts: CompressOptions, input: CompressInput, set: CompressSettings, training: Partial<TrainHyperParams> | null, notes: string[], log: (m: string) => void,
): CompressSetup {
  const { net, corpus } = input;
  const hyper: TrainHyperParams = {
    ...TRAIN_DEFAULTS, ...(training ?? {}), stepsPerEpoch: 1, valItems: set.valItems, valSeconds: set.valSeconds, batch: set.batch,
  };
  log(`building the validation (${set.valItems} × ${set.valSeconds} s) and sensitivity (${set.sensItems} × ${set.sensSeconds} s) sets`);
  const tSetup = performance.now();
  const valSet = validationSetBuild(corpus, net.config.arch, hyper, set.valMetrics);
  const spec: BatchSpec = {
    arch: net.config.arch, corpusDir: opts.corpusDir, split: 'train', seed: set.seed, batch: set.batch,
    segmentSeconds: set.segmentSeconds, snrRangeDb: set.snrRangeDb, talkerNoise: set.talkerNoise, augment: set.augment, loss: set.loss,
  };
  const prunable = sessionPrunable(net);
  const s: CompressSession = {
    net, config: net.config, prunable, masks: masksFull(prunable), corpus,
    sensBatches: sensitivityBatches(corpus, net.config.arch, set.sensItems, set.sensSeconds, set.seed, set.snrRangeDb, set.talkerNoise, set.loss, set.augment),
    valSet, valMetrics: set.valMetrics,
    data: { spec, startStep: set.dataStartStep, prefetch: opts.prefetch },
    analysis: {
      workers: set.workers, inlineThreads: set.analysisThreads, workerPath: opts.workerPath, onNote: (m) => notes.push(m),
      onProgress: (done, total) => opts.onProgress?.('sensitivity analysis', done, total),
    },
    log,
    progress: opts.onProgress,
  };
  return { s, valSet, hyper, spec, setupSeconds: (performance.now() - tSetup) / 1000 };
}

/** The pruning settings of the c1/c2/prune-u/prune-s/global stages. */
function pruneSettingsOf(set: CompressSettings): PruneSettings {
  return {
    structured: set.structured, block: set.block, regularizer: set.regularizer, lambda1: set.lambda1, lambda2: set.lambda2, alpha1: set.alpha1,
    maxIterations: set.maxIterations, minNewlyPrunedFraction: set.minNewlyPrunedFraction, maxStoiDrop: set.maxStoiDrop,
    maxPesqDrop: set.maxPesqDrop, finetuneSteps: set.finetuneSteps, finetuneMinutes: set.finetuneMinutes ?? undefined,
    preSteps: set.preSteps, lr: set.lr,
  };
}

/**
 * Channel stage: validates the input, scans the channels (α1), narrows the network (owned by the
 * run from here) and fine-tunes it; the session continues on the narrowed network.
 */
async function channelStage(s: CompressSession, set: CompressSettings, owned: CompressOwned): Promise<{ baseline: ValRecord; channel: ChannelOutcome }> {
  const net = s.net;
  s.log('validating the input model');
  const baseline = sessionValidate(s);
  s.log(`channel scan (α1 ${set.alpha1})`);
  const tScan = performance.now();
  const layers = channelScan(net, s.sensBatches, set.alpha1);
  const scanSeconds = (performance.now() - tScan) / 1000;
  const shrunk = channelShrink(net, layers.map((l) => l.kept));
  owned.narrowNet = shrunk.net;
  s.net = shrunk.net;
  s.config = shrunk.config;
  s.prunable = sessionPrunable(shrunk.net);
  s.masks = masksFull(s.prunable);
  layers.forEach((l, i) => (l.kept = shrunk.kept[i].length)); // after ties (LSTM layers, GCRN decoder pairs)
  s.log(`channels kept: ${layers.map((l) => `${l.layer} ${l.kept}/${l.units}`).join(', ')}`);
  const ft = await sessionFinetune(s, set.finetuneSteps, set.lr, set.finetuneMinutes ?? undefined, null, 'narrowed network');
  return { baseline, channel: { layers, configBefore: net.config, configAfter: shrunk.config, scanSeconds, finetune: ft, val: sessionValidate(s) } };
}

/**
 * MPO stage: validates the (dense) input, replaces every Linear/LSTM matrix that gains by an MPO
 * chain (owned by the run from here; 'random': after a fresh initialisation of the whole network)
 * and trains ('random', on the checkpoint's schedule from step 0) or fine-tunes ('svd') the chains.
 */
async function mpoStage(
  opts: CompressOptions, setup: CompressSetup, set: CompressSettings, owned: CompressOwned,
): Promise<{ baseline: ValRecord; mpo: MpoOutcome }> {
  const { s, hyper, spec } = setup;
  const net = s.net;
  s.log('validating the input (dense) model');
  const baseline = sessionValidate(s);
  const trained = new Map([...net.tensors].map(([name, t]) => [name, t.toFloat32Array()]));
  if (set.mpoInit === 'random') {
    // "replaced by the MPO format before training": fresh initialisation of every tensor
    const fresh = createNet(net.config, { seed: set.seed });
    for (const [name, t] of fresh.tensors) net.tensors.get(name)!.copyFrom(t.toFloat32Array());
    fresh.dispose();
  }
  const mpoLayers = owned.mpoLayers = mpoLayersCreate(net, set.mpoCores, set.mpoRate, set.seed, set.mpoInit);
  if (mpoLayers.length === 0) throw new UserError(`${net.config.arch}: no Linear/LSTM matrix gains from an MPO chain at rate ${set.mpoRate}`);
  // the initial chains against the input model's matrices (for random init: how far from scratch)
  const initErrors = mpoLayers.map((l) => mpoRelError(trained.get(l.name)!, l.shape, l.cores.map((c) => c.toFloat32Array()), l.plan));
  const mpoHyper: TrainHyperParams = { ...hyper, stepsPerEpoch: set.stepsPerEpoch };
  let train: FinetuneResult;
  if (set.mpoInit === 'svd') {
    s.log(`mpo: ${mpoLayers.length} matrices as ${set.mpoCores}-core chains from TT-SVD (relative error ${initErrors.map((e) => e.toFixed(3)).join(', ')}); fine-tuning ${set.trainSteps} steps`);
    train = await mpoTrain(net, mpoLayers, { spec, startStep: set.dataStartStep, prefetch: opts.prefetch }, {
      steps: set.trainSteps, lr: set.lr, minutes: set.finetuneMinutes ?? undefined,
      onStep: (i) => opts.onProgress?.('mpo fine-tuning', i.step, i.steps),
    });
  } else {
    s.log(`mpo: ${mpoLayers.length} matrices as ${set.mpoCores}-core chains; training ${set.trainSteps} steps from scratch`);
    train = await mpoTrain(net, mpoLayers, { spec, startStep: 0, prefetch: opts.prefetch }, {
      steps: set.trainSteps, lr: learningRateAt(mpoHyper, 0), minutes: set.finetuneMinutes ?? undefined,
      lrAt: (k) => learningRateAt(mpoHyper, Math.floor(k / set.stepsPerEpoch)),
      onStep: (i) => opts.onProgress?.('mpo training', i.step, i.steps),
    });
  }
  const val = sessionValidate(s);
  const mpo: MpoOutcome = {
    rate: set.mpoRate, cores: set.mpoCores, init: set.mpoInit, train, val,
    layers: mpoLayers.map((l, i) => ({
      tensor: l.name, shape: l.shape, rowFactors: l.plan.rowFactors, colFactors: l.plan.colFactors, bonds: l.plan.bonds,
      params: mpoParams(l.plan), denseParams: l.shape[0] * l.shape[1], initError: initErrors[i],
    })),
  };
  return { baseline, mpo };
}

/** The pipeline's own stage, then k-means when the pipeline quantises; the input is validated once in any case. */
async function pipelineStages(opts: CompressOptions, setup: CompressSetup, set: CompressSettings, owned: CompressOwned): Promise<CompressOutcome> {
  const s = setup.s;
  let pruning: PruneOutcome | null = null;
  let global: GlobalOutcome | null = null;
  let channel: ChannelOutcome | null = null;
  let mpo: MpoOutcome | null = null;
  let quantization: QuantOutcome | null = null;
  let baseline: ValRecord | null = null;
  if (['c1', 'c2', 'prune-u', 'prune-s'].includes(opts.pipeline)) {
    pruning = await pruneIterative(s, pruneSettingsOf(set));
    baseline = pruning.baseline;
  } else if (opts.pipeline === 'global') {
    global = await pruneGlobal(s, { ...pruneSettingsOf(set), targetPercent: set.targetPercent ?? undefined });
    baseline = global.baseline;
  } else if (opts.pipeline === 'channel') {
    ({ baseline, channel } = await channelStage(s, set, owned));
  } else if (opts.pipeline === 'mpo') {
    ({ baseline, mpo } = await mpoStage(opts, setup, set, owned));
  }
  if (set.quantize) {
    if (baseline === null) {
      s.log('validating the input model');
      baseline = sessionValidate(s);
    }
    const q: QuantSettings = {
      alpha2: set.alpha2, maxK: set.maxK ?? undefined, centroidSteps: set.centroidSteps, centroidLr: set.centroidLr,
      finetuneMinutes: set.finetuneMinutes ?? undefined,
    };
    quantization = await quantizeSession(s, q);
  }
  if (baseline === null) baseline = sessionValidate(s);
  return { baseline, pruning, global, channel, mpo, quantization };
}

/** Writes the `.hush` file (verified by reading it back) with the run's provenance in its metadata. */
function compressExport(
  opts: CompressOptions, input: CompressInput, s: CompressSession, set: CompressSettings, outcome: CompressOutcome, owned: CompressOwned,
): CompressExport {
  const tExport = performance.now();
  const reportPath = resolve(opts.reportPath ?? reportPathFor(opts.out));
  const metadata: Record<string, string> = {
    pipeline: opts.pipeline, source: resolve(opts.input), preset: input.checkpoint.preset, corpus_hash: input.corpusHash,
    command: opts.commandLine ?? '', hushpack_version: hushpackVersion(), report: reportPath,
    settings: JSON.stringify({
      alpha1: set.alpha1, alpha2: set.alpha2, lambda1: set.lambda1, lambda2: set.lambda2, regularizer: set.regularizer,
      ...(set.block ? { block: blockShapeName(set.block) } : {}),
    }),
  };
  const model = hushModelOf(s, outcome.quantization?.tied ?? null, metadata, set.block);
  for (const [name, t] of mpoHushTensors(owned.mpoLayers)) (model.tensors as Map<string, HushTensor>).set(name, t);
  const bytes = hushWriteVerified(s, model);
  mkdirSync(dirname(resolve(opts.out)), { recursive: true });
  writeFileSync(opts.out, bytes);
  const exportSeconds = (performance.now() - tExport) / 1000;
  return { reportPath, tensors: [...(model.tensors as Map<string, HushTensor>).values()], bytes, exportSeconds };
}

/** The final model's numbers: parameters and MACs kept, eq. 11 and actual rates, the final validation. */
function compressResultOf(s: CompressSession, originalConfig: ArchConfig, outcome: CompressOutcome, exported: CompressExport): CompressResult {
  const { quantization, mpo, pruning, global, baseline } = outcome;
  const originalParams = countParams(originalConfig);
  const originalMacs = countMacs(originalConfig);
  const count = sessionCount(s);
  const mpoSaved = mpo ? mpo.layers.reduce((a, l) => a + l.denseParams - l.params, 0) : 0;
  const rate = eq11ModelRate(originalParams, exported.tensors);
  const bits = (32 * originalParams) / rate;
  const finalVal = quantization ? (quantization.valAfterCentroids ?? quantization.val) : mpo ? mpo.val : lastAcceptedVal(pruning, global) ?? baseline;
  const paramsKept = count.paramsKept - mpoSaved;
  return {
    params: originalParams, paramsKept, paramsPercent: (100 * paramsKept) / originalParams,
    macs: count.macs, denseMacs: originalMacs, macsPercent: (100 * count.macs) / originalMacs,
    float32MiB: float32MiB(originalConfig), eq11Bits: bits, eq11MiB: bits / 8 / 2 ** 20, eq11Rate: rate,
    fileBytes: exported.bytes.length, actualRate: actualRate(originalParams, exported.bytes.length), val: finalVal,
  };
}

/** Seconds per kind of work, summed over the stages' records (total: filled in by the caller). */
function compressTimings(outcome: CompressOutcome, setupSeconds: number, exportSeconds: number): CompressReport['timings'] {
  const { pruning, global, quantization, mpo, channel } = outcome;
  const iterationRecords = [...(pruning?.iterations ?? []), ...(global ? [global.perTensorRecord, global.globalRecord].filter((r) => r !== null) : [])];
  const sum = (xs: (number | null | undefined)[]) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);
  return {
    total: 0, setup: setupSeconds,
    sensitivity: sum(iterationRecords.map((r) => r.sensitivity?.seconds)) + (quantization?.sensitivity.seconds ?? 0) + (channel?.scanSeconds ?? 0),
    finetune: sum(iterationRecords.map((r) => r.finetune?.seconds)) + (quantization?.centroidFinetune?.seconds ?? 0) + (mpo?.train.seconds ?? 0) + (channel?.finetune.seconds ?? 0),
    validation: sum(iterationRecords.map((r) => r.val.seconds)) + (quantization?.val.seconds ?? 0) + (quantization?.valAfterCentroids?.seconds ?? 0),
    export: exportSeconds,
  };
}

/** Runs a pipeline end to end (see the file comment); returns the report (also written to disk). */
export async function compressRun(opts: CompressOptions): Promise<CompressReport> {
  const t0 = performance.now();
  const started = new Date().toISOString();
  const log = opts.log ?? (() => undefined);
  compressOptionsCheck(opts);
  const input = compressInputOpen(opts);
  const notes: string[] = [];
  const owned: CompressOwned = { narrowNet: null, mpoLayers: [] };
  const originalConfig = input.net.config;
  try {
    const { set, training } = compressSettingsOfInput(opts, input, notes);
    torch.setNumThreads(set.threads);
    const setup = compressSetupBuild(opts, input, set, training, notes, log);
    const outcome = await pipelineStages(opts, setup, set, owned);
    const exported = compressExport(opts, input, setup.s, set, outcome, owned);
    if (outcome.mpo) notes.push('MACs of MPO layers are counted as their dense matrices');
    const { quantization } = outcome;
    const report: CompressReport = {
      format: COMPRESS_REPORT_FORMAT, version: 1, pipeline: opts.pipeline, command: opts.commandLine ?? '',
      input: resolve(opts.input), output: resolve(opts.out), report: exported.reportPath, corpus: resolve(opts.corpusDir), corpusHash: input.corpusHash,
      arch: originalConfig.arch, preset: input.checkpoint.preset, config: originalConfig, hushpackVersion: hushpackVersion(),
      started, seconds: (performance.now() - t0) / 1000, settings: set,
      environment: { cpus: availableParallelism(), node: process.version, libtorch: torch.version() },
      baseline: outcome.baseline, mixture: { stoi: setup.valSet.mixStoi, pesq_nb: setup.valSet.mixPesqNb },
      pruning: outcome.pruning, global: outcome.global, mpo: outcome.mpo, channel: outcome.channel,
      quantization: quantization ? { ...quantization, tied: undefined } as Omit<QuantOutcome, 'tied'> : null,
      result: compressResultOf(setup.s, originalConfig, outcome, exported),
      timings: compressTimings(outcome, setup.setupSeconds, exported.exportSeconds),
      notes,
    };
    delete (report.quantization as { tied?: unknown } | null)?.tied;
    report.seconds = report.timings.total = (performance.now() - t0) / 1000;
    mkdirSync(dirname(exported.reportPath), { recursive: true });
    writeFileSync(exported.reportPath, `${JSON.stringify(report, null, 1)}\n`);
    return report;
  } finally {
    mpoLayersDispose(owned.mpoLayers);
    owned.narrowNet?.dispose();
    input.net.dispose();
  }
}

/** Validation of the network the run ends with, when no quantisation follows. */
function lastAcceptedVal(pruning: PruneOutcome | null, global: GlobalOutcome | null): ValRecord | null {
  if (global) return global.globalRecord.val;
  if (!pruning) return null;
  const acc = pruning.iterations.filter((r) => r.accepted);
  return acc.length > 0 ? acc[acc.length - 1].val : null;
}
