/**
 * Pipelines C1 and C2 of Tan & Wang (TASLP 2021, Fig. 3; §IV-D applies them to speaker separation,
 * Table VI), and the k-means-only and pruning-only baselines (SEPARATION_PIPELINE_STEPS), on a
 * separation checkpoint, from the generic pieces of src/compress/ — Algorithms 1–3
 * (../sensitivity.ts, against a loss oracle), masks (../masks.ts), weight groups (../groups.ts),
 * the ℓ1 / sparse-group-lasso regularisers (../regularizers.ts) and k-means (../kmeans.ts) — with
 * the separation task's data, loss and metric in place of enhancement's:
 *
 *   oracle L(V, Θ)   −SI-SNR (dB) of the net's separation of a fixed validation subset, permutation
 *                    by SI-SNR per mixture (the separation validation metric); α1 and α2 are in dB
 *   fine-tuning      the training uPIT loss (src/train/separation/objective.ts: −SI-SNR for
 *                    Conv-TasNet, PSA for uPIT-LSTM) + the regulariser, masks held exactly (pruned
 *                    weights and their gradients multiplied by 0), AMSGrad, gradient clip 5, on the
 *                    training minibatches of src/train/separation/batches.ts (their own index range)
 *   iteration        λ·0.9^i → per-tensor analysis → prune to β_l → fine-tune → validate SI-SNR
 *                    and ESTOI (src/train/separation/validation.ts); stop when an iteration prunes
 *                    < 1 % of the weights (not applied) or SI-SNR/ESTOI fall beyond the bounds (undone)
 *   quantisation     Algorithm 3 per tensor (K doubling until the increase < α2), k-means on the
 *                    kept weights; no centroid fine-tuning (the paper has none)
 *   size             eq. 11 (src/format/rate.ts): k-means tensors N·log2 K + 32·K bits, every other
 *                    parameter 32 bits; MB = MiB as in the paper's tables
 *
 * Output (by the extension of `out`), and a JSON report (SeparationCompressReport) beside it:
 *   M.hush          the compressed net as a `.hush` 1.1 file (task separate, one output per speaker),
 *                   exported by the enhancement nets' rules (../export.ts hushTensorsOf): a quantised
 *                   tensor as k-means (f32 codebook, bit-packed indices of its kept weights), a pruned
 *                   one as sparse f32 values, each with the sparsity pattern of its pruning mask
 *                   (none / bitmap / delta / groups, the smallest); everything else dense f32. The file
 *                   is read back and every tensor checked to decode to exactly the net's values.
 *   M.safetensors   the compressed net as a separation checkpoint (quantised values stored as float32,
 *                   pruned ones as 0), e.g. to fine-tune or score it on libtorch.
 * Both hold the same values: the WASM Separator on the `.hush` equals libtorch on the checkpoint
 * within the separation parity tolerance (test/compress/separationHush.test.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { openCorpus } from '../../data/corpus.js';
import { SEPARATION_SAMPLE_RATE_HZ } from '../../dsp/constants.js';
import { readHush } from '../../format/reader.js';
import { actualRate, eq11ModelRate } from '../../format/rate.js';
import type { HushEncodingName, HushSparsityKind } from '../../format/tensor.js';
import { permutationBySiSnr } from '../../metrics/permutation.js';
import { shapeSize, type ParamSpec } from '../../models/paramSpec.js';
import { separationHushConfig, separationSignal } from '../../models/separation/hushConfig.js';
import { float32MiBOf } from '../../models/separation/sizes.js';
import * as torch from '../../torch/torch.js';
import { Adam, tidy, type Tensor } from '../../torch/torch.js';
import { corpusHash, hushpackVersion } from '../../train/checkpoint.js';
import { separationBatchAt, separationItemAt, type SeparationItem } from '../../train/separation/batches.js';
import { separationCheckpointWrite, separationNetFromCheckpoint } from '../../train/separation/checkpoint.js';
import { separationLoss, separationSeparate } from '../../train/separation/objective.js';
import { SEPARATION_BATCH_DEFAULT } from '../../train/separation/trainer.js';
import { separationValidate, separationValidationSetBuild, type SeparationValidation } from '../../train/separation/validation.js';
import type { SeparationNet } from '../../models/separation/net.js';
import { LAMBDA_DECAY_PER_ITERATION } from '../defaults.js';
import { hushTensorsOf, hushWriteVerified } from '../export.js';
import type { TiedTensor } from '../finetune.js';
import { groupLayout, prunableSpecs } from '../groups.js';
import { kmeansQuantize } from '../kmeans.js';
import { maskFull, maskKept, maskStructured, maskUnstructured, type Mask } from '../masks.js';
import { Regularizer, type RegularizerKind } from '../regularizers.js';
import { sensitivityKmeans, sensitivityStructured, sensitivityUnstructured, type SensitivityStep, type TensorLoss } from '../sensitivity.js';
import { separationDenseAtLoad } from '../separationExport.js';

/** `format` of a separation compress report. */
export const SEPARATION_COMPRESS_REPORT_FORMAT = 'hushpack-separation-compress-report';

/** The pipelines this module runs: C1, C2, and the baselines of §IV that apply unchanged. */
export const SEPARATION_PIPELINES = ['c1', 'c2', 'quant', 'prune-u', 'prune-s'] as const;
export type SeparationPipeline = (typeof SEPARATION_PIPELINES)[number];

/**
 * What each pipeline does (../pipelines.ts has the same names for the enhancement nets): C1 and C2
 * of Fig. 3, k-means only (Table V), and iterative pruning without regulariser or quantisation
 * (Figs. 4a/5a, 6). The global-threshold, MPO and channel baselines are enhancement-only for now.
 */
export const SEPARATION_PIPELINE_STEPS: Readonly<Record<SeparationPipeline, { prune: 'unstructured' | 'structured' | null; regularizer: RegularizerKind; quantize: boolean }>> = {
  c1: { prune: 'unstructured', regularizer: 'l1', quantize: true },
  c2: { prune: 'structured', regularizer: 'sgl', quantize: true },
  quant: { prune: null, regularizer: 'none', quantize: true },
  'prune-u': { prune: 'unstructured', regularizer: 'none', quantize: false },
  'prune-s': { prune: 'structured', regularizer: 'none', quantize: false },
};

/**
 * Settings. The paper gives no α or λ for the separation nets (§IV-D: "other configurations are
 * the same as Section III-C", whose values are per enhancement net and in loss units that differ
 * from SI-SNR's). Ours, in dB of SI-SNR: α1 = 0.1 dB per tensor, α2 = 0.02 dB; λ1 = 1, λ2 = 0.05
 * (GCRN's, the other net with LSTMs and convolutions); stop bounds 0.5 dB SI-SNR (the C1
 * target) and 0.02 ESTOI.
 */
export interface SeparationCompressSettings {
  pipeline: SeparationPipeline;
  alpha1: number;
  alpha2: number;
  lambda1: number;
  lambda2: number;
  maxIterations: number;
  minNewlyPrunedFraction: number;
  maxSiSnrDrop: number;
  maxEstoiDrop: number;
  /** Fine-tuning steps per iteration and before the first (regularised pre-phase). */
  finetuneSteps: number;
  preSteps: number;
  lr: number;
  batch: number;
  segmentSeconds: number;
  /** Sensitivity subset and validation set: validation mixtures from index 0, at most `seconds` long. */
  sensItems: number;
  sensSeconds: number;
  valItems: number;
  valSeconds: number;
  seed: number;
}

/** Defaults (see SeparationCompressSettings). */
export const SEPARATION_COMPRESS_DEFAULTS: Omit<SeparationCompressSettings, 'pipeline'> = {
  alpha1: 0.1, alpha2: 0.02, lambda1: 1, lambda2: 0.05, maxIterations: 5, minNewlyPrunedFraction: 0.01, maxSiSnrDrop: 0.5,
  maxEstoiDrop: 0.02, finetuneSteps: 200, preSteps: 200, lr: 1e-4, batch: SEPARATION_BATCH_DEFAULT, segmentSeconds: 4, sensItems: 8, sensSeconds: 2,
  valItems: 32, valSeconds: 4, seed: 0,
};

/** What `out` names: a `.hush` model or a `.safetensors` checkpoint (null: neither). */
export function separationOutputKind(out: string): 'hush' | 'safetensors' | null {
  const lower = out.toLowerCase();
  return lower.endsWith('.hush') ? 'hush' : lower.endsWith('.safetensors') ? 'safetensors' : null;
}

/** The report path beside `out` (M.hush / M.safetensors → M.report.json). */
export function separationReportPathFor(out: string): string {
  return out.replace(/(\.hush|\.safetensors)?$/i, '.report.json');
}

/** Per-tensor state after the run. */
export interface SeparationTensorRecord {
  tensor: string;
  kind: string;
  total: number;
  kept: number;
  prunedRatio: number;
  /** β_l of each accepted iteration (percent of the weights alive before it). */
  betas: number[];
  /** K_l of Algorithm 3 (0: no weight left; null: not quantised), and its increases per K tried (dB of −SI-SNR). */
  k: number | null;
  kSteps: SensitivityStep[];
  /** Eq.-11 bits of the tensor (src/format/rate.ts eq11Bits: k-means N·log2 K + 32·K; not quantised: 32 per kept weight). */
  bits: number;
  /**
   * `.hush` output only (null for a checkpoint): the tensor's encoding and sparsity pattern in the
   * file, and whether the WASM runtime runs it dense although it is stored pruned (../separationExport.ts
   * separationDenseAtLoad: Conv-TasNet's depthwise kernels and decoder basis are decoded at load).
   */
  stored: { encoding: HushEncodingName; sparsity: HushSparsityKind | null; bytes: number; denseAtLoad: boolean } | null;
}

/** One iteration (0: the input net; 'regularized': after the pre-phase). */
export interface SeparationIterationRecord {
  iteration: number;
  phase: 'baseline' | 'regularized' | 'pruned';
  lambda1: number;
  lambda2: number;
  newlyPrunedFraction: number;
  paramsKept: number;
  paramsPercent: number;
  val: SeparationValidation;
  /** Per tensor, Algorithm 1/2's β_l and its loss increases per grid point (dB of −SI-SNR); [] outside pruning. */
  sensitivity: { tensor: string; beta: number; steps: SensitivityStep[] }[];
  accepted: boolean;
  note?: string;
}

/** The report. */
export interface SeparationCompressReport {
  format: typeof SEPARATION_COMPRESS_REPORT_FORMAT;
  version: 1;
  command: string;
  hushpackVersion: string;
  input: { path: string; arch: string; preset: string };
  output: string;
  corpus: { path: string; corpusHash: string };
  settings: SeparationCompressSettings;
  params: number;
  /** Float32 size of the input net and the eq.-11 size of the output (MiB, the paper's MB), and their ratio. */
  sizeMiB: number;
  compressedMiB: number;
  rate: number;
  /** Pruning iterations accepted (Table VI's last column). */
  pruningIterations: number;
  iterations: SeparationIterationRecord[];
  /** Validation of the output net (after quantisation, or after the last accepted pruning iteration). */
  final: SeparationValidation;
  perTensor: SeparationTensorRecord[];
  /** `.hush` output only (null for a checkpoint): file bytes and the actual rate 4·P / bytes (docs/format.md "Size accounting"). */
  hush: { bytes: number; actualRate: number } | null;
  /** What a reader should know about the output (e.g. pruned tensors that run dense). */
  notes: string[];
  seconds: number;
}

/** Options of separationCompressRun. */
export interface SeparationCompressOptions extends Partial<Omit<SeparationCompressSettings, 'pipeline'>> {
  pipeline: SeparationPipeline;
  input: string;
  corpusDir: string;
  /** Output: M.hush (the `.hush` model) or M.safetensors (a checkpoint); the report goes to `reportPath` (default: M.report.json). */
  out: string;
  reportPath?: string;
  threads?: number;
  /** ESTOI in validation (default true). */
  valMetrics?: boolean;
  commandLine?: string;
  log?(message: string): void;
  /** API only: also write the compressed net as a checkpoint here (e.g. beside a `.hush` out, to run both backends on one run's weights). */
  checkpoint?: string;
}

/**
 * SI-SNR the oracle gives a mixture whose separation has an all-zero output (dB): SI-SNR is undefined
 * there (0/0), and a net that went silent is the worst outcome, so it counts as this floor — a
 * sensitivity scan that prunes a tensor to silence (e.g. all of Conv-TasNet's decoder basis) then
 * stops below that point instead of failing.
 */
export const SILENT_OUTPUT_SI_SNR_DB = -100;

/** The oracle: −mean SI-SNR (dB, permutation by SI-SNR) of the net on `items`, with one tensor replaced. */
function siSnrOracle(net: SeparationNet, items: readonly SeparationItem[]): TensorLoss {
  const score = () => {
    let sum = 0;
    let n = 0;
    for (const it of items) {
      const estimates = separationSeparate(net, it.mix);
      const siSnrs = estimates.some((e) => e.every((v) => v === 0))
        ? it.refs.map(() => SILENT_OUTPUT_SI_SNR_DB)
        : permutationBySiSnr(it.refs, estimates).siSnrs;
      for (const s of siSnrs) {
        sum += s;
        n++;
      }
    }
    return -sum / n;
  };
  return (name, values) => {
    if (values === null) return score();
    const t = net.tensors.get(name)!;
    const saved = t.toFloat32Array();
    t.copyFrom(values);
    try {
      return score();
    } finally {
      t.copyFrom(saved);
    }
  };
}

/**
 * One turn of the event loop (a macrotask): the analyses are synchronous libtorch calls behind
 * promises that resolve at once, so without it a run would hold the loop for minutes — no signal
 * handler, timer or IPC message (a parent process, a test runner's worker RPC) would be served.
 */
function eventLoopTurn(): Promise<void> {
  return new Promise((done) => setImmediate(done));
}

/** Sets each weight tensor's pruned elements to exactly 0. */
function masksApply(net: SeparationNet, masks: ReadonlyMap<string, Mask>): void {
  for (const [name, m] of masks) {
    const t = net.tensors.get(name)!;
    const v = t.toFloat32Array();
    for (let i = 0; i < v.length; i++) if (!m[i]) v[i] = 0;
    t.copyFrom(v);
  }
}

/**
 * Writes the `.hush` model of the compressed net (read back and verified: ../export.ts
 * hushWriteVerified) and fills the report's `hush`, per-tensor `stored` and `notes`. The eq.-11 rate
 * of the written tensors must be the report's (the pipeline counts the same bits).
 */
function separationHushWrite(
  out: string, s: { net: SeparationNet; masks: ReadonlyMap<string, Mask> }, tied: ReadonlyMap<string, TiedTensor>, report: SeparationCompressReport,
  metadata: Record<string, string>,
): void {
  const config = s.net.config;
  const tensors = hushTensorsOf(s, tied);
  const bytes = hushWriteVerified(s, { config: separationHushConfig(config), signal: separationSignal(config), metadata, tensors });
  const fileRate = eq11ModelRate(report.params, tensors.values());
  if (Math.abs(fileRate - report.rate) > 1e-9 * report.rate) throw new Error(`export: the file's eq. 11 rate ${fileRate} is not the run's ${report.rate}`);
  writeFileSync(out, bytes);
  const entries = new Map(readHush(bytes, out).entries.map((e) => [e.name, e] as const));
  const runDense: string[] = [];
  for (const t of report.perTensor) {
    const e = entries.get(t.tensor)!;
    const denseAtLoad = separationDenseAtLoad(config, t.tensor);
    t.stored = { encoding: e.encoding, sparsity: e.sparsity, bytes: e.payloadBytes, denseAtLoad };
    if (denseAtLoad && t.kept < t.total) runDense.push(t.tensor);
  }
  report.hush = { bytes: bytes.length, actualRate: actualRate(report.params, bytes.length) };
  if (runDense.length > 0) {
    report.notes.push(
      `${runDense.length} pruned tensor(s) are stored sparse but run dense in WASM (decoded to f32 at load: the runtime takes Conv-TasNet's depthwise kernels and decoder basis as vectors): ${runDense.join(', ')}`,
    );
  }
}

/** Runs the pipeline (see the file comment) and writes the `.hush` model or the checkpoint, and the report. */
export async function separationCompressRun(opts: SeparationCompressOptions): Promise<SeparationCompressReport> {
  const t0 = performance.now();
  const log = opts.log ?? (() => undefined);
  if (!(SEPARATION_PIPELINES as readonly string[]).includes(opts.pipeline)) throw new UserError(`separation nets: --pipeline must be one of ${SEPARATION_PIPELINES.join(', ')}, got ${opts.pipeline}`);
  const outKind = separationOutputKind(opts.out);
  if (outKind === null) throw new UserError(`separation nets: --out must name a .hush model or a .safetensors checkpoint, got ${opts.out}`);
  const set: SeparationCompressSettings = { ...SEPARATION_COMPRESS_DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([k, v]) => k in SEPARATION_COMPRESS_DEFAULTS && v !== undefined)), pipeline: opts.pipeline };
  torch.setNumThreads(opts.threads ?? 1);
  const corpus = openCorpus(opts.corpusDir);
  const { net, config, preset } = separationNetFromCheckpoint(opts.input);
  const steps = SEPARATION_PIPELINE_STEPS[set.pipeline];
  const structured = steps.prune === 'structured';
  const prunable: ParamSpec[] = prunableSpecs(net.specs);
  const params = net.specs.reduce((s, p) => s + (p.buffer ? 0 : shapeSize(p.shape)), 0);
  const prunableTotal = prunable.reduce((s, p) => s + shapeSize(p.shape), 0);
  const masks = new Map(prunable.map((p) => [p.name, maskFull(shapeSize(p.shape))] as const));
  const betas = new Map(prunable.map((p) => [p.name, [] as number[]] as const));
  const kept = () => prunable.reduce((s, p) => s + maskKept(masks.get(p.name)!), 0);
  const maxSamples = Math.round(set.sensSeconds * SEPARATION_SAMPLE_RATE_HZ);
  const sensItems = Array.from({ length: set.sensItems }, (_, i) => separationItemAt(corpus, 'validation', i, set.seed, maxSamples, 'start'));
  const oracle = siSnrOracle(net, sensItems);
  const valSet = separationValidationSetBuild(corpus, { items: set.valItems, seed: set.seed, seconds: set.valSeconds, estoi: opts.valMetrics ?? true });
  const reg = new Regularizer(
    prunable.map((spec) => ({ spec, tensor: net.tensors.get(spec.name)!, mask: masks.get(spec.name)! })),
    { kind: steps.regularizer, lambda1: set.lambda1, lambda2: set.lambda2 },
  );
  // Fine-tuning minibatches: indices past any a training run of a few million steps reaches.
  let dataStep = 1_000_000;
  const finetune = (steps: number) => {
    if (steps === 0) return;
    const maskTensors = new Map([...masks].map(([n, m]) => [n, torch.tensor(Float32Array.from(m), net.tensors.get(n)!.shape).keep()] as const));
    const opt = new Adam(net.parameters(), { lr: set.lr, amsgrad: true });
    try {
      for (let k = 0; k < steps; k++) {
        const batch = separationBatchAt(corpus, { split: 'train', seed: set.seed, batch: set.batch, segmentSeconds: set.segmentSeconds }, dataStep++);
        tidy(() => {
          opt.zeroGrad();
          const loss = separationLoss(net, batch, true).loss;
          const r: Tensor | null = reg.term();
          (r ? loss.add(r) : loss).backward();
          torch.clipGradNorm(net.parameters(), 5);
          for (const [n, m] of maskTensors) net.tensors.get(n)!.grad?.mulInPlace(m);
          opt.step();
          for (const [n, m] of maskTensors) net.tensors.get(n)!.mulInPlace(m);
        });
      }
    } finally {
      opt.dispose();
      for (const m of maskTensors.values()) m.dispose();
    }
  };
  const record = (
    iteration: number, phase: SeparationIterationRecord['phase'], newly: number, val: SeparationValidation, accepted: boolean,
    sensitivity: SeparationIterationRecord['sensitivity'] = [], note?: string,
  ): SeparationIterationRecord => {
    const paramsKept = params - prunableTotal + kept();
    const s = reg.settings;
    return {
      iteration, phase, lambda1: s.lambda1, lambda2: s.lambda2, newlyPrunedFraction: newly, paramsKept, paramsPercent: (100 * paramsKept) / params, val,
      sensitivity, accepted, ...(note ? { note } : {}),
    };
  };

  try {
    const iterations: SeparationIterationRecord[] = [];
    const base = separationValidate(net, valSet);
    iterations.push(record(0, 'baseline', 0, base, true));
    log(`${config.arch} ${preset}: ${params} parameters, validation SI-SNRi ${base.siSnrI.toFixed(2)} dB`);
    if (set.preSteps > 0 && steps.regularizer !== 'none') {
      finetune(set.preSteps);
      iterations.push(record(0, 'regularized', 0, separationValidate(net, valSet), true));
    }
    let accepted = 0;
    for (let i = 1; steps.prune !== null && i <= set.maxIterations; i++) {
      reg.setLambdas(set.lambda1 * LAMBDA_DECAY_PER_ITERATION ** i, set.lambda2 * LAMBDA_DECAY_PER_ITERATION ** i);
      const before = kept();
      const snapshot = { tensors: new Map([...net.tensors].map(([n, t]) => [n, t.toFloat32Array()] as const)), masks: new Map([...masks].map(([n, m]) => [n, Uint8Array.from(m)] as const)) };
      const baseLoss = await oracle('', null);
      const chosen = new Map<string, number>();
      const sensitivity: SeparationIterationRecord['sensitivity'] = [];
      for (const spec of prunable) {
        await eventLoopTurn();
        const t = { name: spec.name, values: net.tensors.get(spec.name)!.toFloat32Array(), mask: masks.get(spec.name)!, groups: structured ? groupLayout(spec) : undefined };
        const r = structured ? await sensitivityStructured(t, oracle, set.alpha1, { baseLoss }) : await sensitivityUnstructured(t, oracle, set.alpha1, { baseLoss });
        chosen.set(spec.name, r.beta);
        sensitivity.push({ tensor: spec.name, beta: r.beta, steps: r.steps });
        masks.set(spec.name, structured ? maskStructured(t.values, t.mask, groupLayout(spec), r.beta) : maskUnstructured(t.values, t.mask, r.beta));
      }
      const newly = (before - kept()) / prunableTotal;
      if (newly < set.minNewlyPrunedFraction) {
        for (const [n, m] of snapshot.masks) masks.set(n, m);
        iterations.push(record(i, 'pruned', newly, iterations[iterations.length - 1].val, false, sensitivity, `trivial: ${(100 * newly).toFixed(2)} % newly pruned`));
        break;
      }
      masksApply(net, masks);
      reg.masksChanged();
      finetune(set.finetuneSteps);
      const v = separationValidate(net, valSet);
      const dropped = base.siSnr - v.siSnr > set.maxSiSnrDrop || (base.estoi !== null && v.estoi !== null && base.estoi - v.estoi > set.maxEstoiDrop);
      if (dropped) {
        for (const [n, t] of net.tensors) t.copyFrom(snapshot.tensors.get(n)!);
        for (const [n, m] of snapshot.masks) masks.set(n, m);
        reg.masksChanged();
        iterations.push(record(i, 'pruned', newly, v, false, sensitivity, 'quality bound crossed: undone'));
        break;
      }
      for (const [n, b] of chosen) betas.get(n)!.push(b);
      accepted++;
      iterations.push(record(i, 'pruned', newly, v, true, sensitivity));
      log(`iteration ${i}: ${(100 * (params - prunableTotal + kept()) / params).toFixed(1)} % of the parameters kept, SI-SNRi ${v.siSnrI.toFixed(2)} dB`);
    }

    // Algorithm 3 and k-means, tensor by tensor (each analysed on the net with the earlier ones quantised).
    const perTensor: SeparationTensorRecord[] = [];
    const tied = new Map<string, TiedTensor>();
    const quantBase = steps.quantize ? await oracle('', null) : 0;
    let bits = 32 * (params - prunableTotal);
    for (const spec of prunable) {
      await eventLoopTurn();
      const t = net.tensors.get(spec.name)!;
      const values = t.toFloat32Array();
      const mask = masks.get(spec.name)!;
      const n = maskKept(mask);
      let k: number | null = null;
      let kSteps: SensitivityStep[] = [];
      let tensorBits = 32 * n;
      if (steps.quantize) {
        const q = await sensitivityKmeans({ name: spec.name, values, mask }, oracle, set.alpha2, { baseLoss: quantBase });
        k = q.k;
        kSteps = q.steps;
        tensorBits = 0;
        if (q.k > 0) {
          const km = kmeansQuantize(values, q.k, mask);
          t.copyFrom(km.values);
          tied.set(spec.name, { codebook: km.codebook, positions: km.positions, indices: km.indices });
          tensorBits = n * Math.log2(q.k) + 32 * q.k; // eq. 11's denominator
        }
      }
      bits += tensorBits;
      const total = shapeSize(spec.shape);
      perTensor.push({ tensor: spec.name, kind: spec.kind, total, kept: n, prunedRatio: 1 - n / total, betas: betas.get(spec.name)!, k, kSteps, bits: tensorBits, stored: null });
    }
    const final = separationValidate(net, valSet);
    log(`${steps.quantize ? 'quantised' : 'pruned'}: SI-SNRi ${final.siSnrI.toFixed(2)} dB, rate ${((32 * params) / bits).toFixed(1)}×`);
    const report: SeparationCompressReport = {
      format: SEPARATION_COMPRESS_REPORT_FORMAT,
      version: 1,
      command: opts.commandLine ?? '',
      hushpackVersion: hushpackVersion(),
      input: { path: resolve(opts.input), arch: config.arch, preset },
      output: resolve(opts.out),
      corpus: { path: resolve(opts.corpusDir), corpusHash: corpusHash(opts.corpusDir) },
      settings: set,
      params,
      sizeMiB: float32MiBOf(params),
      compressedMiB: bits / 8 / 1024 ** 2,
      rate: (32 * params) / bits,
      pruningIterations: accepted,
      iterations,
      final,
      perTensor,
      hush: null,
      notes: [],
      seconds: 0,
    };
    const reportPath = resolve(opts.reportPath ?? separationReportPathFor(opts.out));
    mkdirSync(dirname(resolve(opts.out)), { recursive: true });
    if (outKind === 'hush') {
      separationHushWrite(opts.out, { net, masks }, tied, report, {
        pipeline: set.pipeline, source: resolve(opts.input), preset, corpus_hash: report.corpus.corpusHash, command: opts.commandLine ?? '',
        hushpack_version: hushpackVersion(), report: reportPath,
        settings: JSON.stringify({ alpha1: set.alpha1, alpha2: set.alpha2, lambda1: set.lambda1, lambda2: set.lambda2, regularizer: steps.regularizer }),
      });
    }
    for (const path of [outKind === 'safetensors' ? opts.out : null, opts.checkpoint ?? null]) {
      if (path === null) continue;
      mkdirSync(dirname(resolve(path)), { recursive: true });
      separationCheckpointWrite(path, net, {
        preset, compress_pipeline: set.pipeline, compress_report: JSON.stringify({ rate: report.rate, compressedMiB: report.compressedMiB, pruningIterations: accepted }),
        source: resolve(opts.input), command: opts.commandLine ?? '', hushpack_version: hushpackVersion(),
      });
    }
    report.seconds = (performance.now() - t0) / 1000;
    mkdirSync(dirname(reportPath), { recursive: true });
    writeFileSync(reportPath, `${JSON.stringify(report, null, 1)}\n`);
    return report;
  } finally {
    reg.dispose();
    net.dispose();
  }
}
