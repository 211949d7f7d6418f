/**
 * `hushpack compress --pipeline c1|c2|quant|prune-u|prune-s|global|mpo|channel --in M.safetensors --corpus DIR
 *  --out M.hush [--report R.json] [tolerances, regularisers, stop rules, budgets] [--json]`
 *
 * Compresses a trained checkpoint with one of the pipelines of src/compress/pipelines.ts (Tan & Wang
 * TASLP 2021 §II, Fig. 3, and the baselines of §IV). Writes the `.hush` file (read back and
 * verified) and a JSON report with every number of the run (default: M.report.json next to
 * M.hush). Defaults: the paper's α1, α2, λ1, λ2 for the architecture (§III-C); the stop rules and
 * budgets of src/compress/defaults.ts; every resolved value is in the report's `settings`.
 * Progress on stderr; with --json, stdout gets one JSON object summarising the result.
 *
 * A separation checkpoint as --in runs src/compress/separation/pipeline.ts instead (c1, c2, quant,
 * prune-u, prune-s; its own α/λ defaults in dB of SI-SNR, stated in the report): --out M.hush writes
 * the `.hush` model (format 1.1, pruned tensors stored sparse) as for the enhancement nets,
 * --out M.safetensors the compressed checkpoint. Flags of the enhancement pipelines only are refused.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { isSeparationMetadata, safetensorsMetadataRead } from '../../src/train/separation/checkpoint.js';
import cliProgress from 'cli-progress';
import { UserError } from '../../src/errors.js';
import { isTorchAvailable, ADDON_MISSING_MESSAGE } from '../../src/torch/torch.js';
import { compressRun, PIPELINE_NAMES, type CompressOptions, type CompressReport, type PipelineName } from '../../src/compress/pipelines.js';
import type { RegularizerKind } from '../../src/compress/regularizers.js';
import type { MpoInit } from '../../src/compress/mpoTrain.js';
import {
  CENTROID_FINETUNE_LR, COMPRESS_ANALYSIS_THREADS_DEFAULT, COMPRESS_THREADS_DEFAULT, COMPRESS_WORKERS_DEFAULT, MPO_DEFAULTS, SENSITIVITY_DATA_DEFAULTS, STOP_DEFAULTS,
} from '../../src/compress/defaults.js';

/**
 * CLI option name → CompressOptions key, whether it is an integer (placeholder `<n>`, else `<x>`),
 * help, and the default when it is one fixed value (shown by --help; the defaults that depend on
 * the architecture, the checkpoint or the pipeline are said in the help text instead). A default
 * only documents: compressSettings resolves the same value from src/compress/defaults.ts when the
 * flag is not given, and the report's `settings` holds every resolved value.
 */
const NUMERIC: [flag: string, key: keyof CompressOptions, integer: boolean, help: string, fixedDefault?: number][] = [
  ['alpha1', 'alpha1', false, 'tolerance α1 of Algorithms 1/2 (default: the paper\'s per model)'],
  ['alpha2', 'alpha2', false, 'tolerance α2 of Algorithm 3 (default: the paper\'s per model)'],
  ['lambda1', 'lambda1', false, 'initial λ1 of eq. 7/9 (default: the paper\'s per model)'],
  ['lambda2', 'lambda2', false, 'initial λ2 of eq. 9 (default: the paper\'s per model)'],
  ['max-iterations', 'maxIterations', true, 'pruning iterations at most', STOP_DEFAULTS.maxIterations],
  ['min-pruned', 'minNewlyPrunedFraction', false, 'stop when an iteration prunes less than this fraction of the weights', STOP_DEFAULTS.minNewlyPrunedFraction],
  ['max-stoi-drop', 'maxStoiDrop', false, 'stop (undo) when validation STOI drops more than this', STOP_DEFAULTS.maxStoiDrop],
  ['max-pesq-drop', 'maxPesqDrop', false, 'stop (undo) when validation NB PESQ drops more than this', STOP_DEFAULTS.maxPesqDrop],
  ['finetune-steps', 'finetuneSteps', true, 'fine-tuning steps per iteration (default: one epoch of the checkpoint\'s training)'],
  ['finetune-minutes', 'finetuneMinutes', false, 'cap of each fine-tuning phase, minutes'],
  ['pre-steps', 'preSteps', true, 'regularised fine-tuning before the first pruning (default: --finetune-steps when regularised)'],
  ['lr', 'lr', false, 'fine-tuning learning rate (default: the checkpoint\'s schedule at its epoch)'],
  ['batch', 'batch', true, 'fine-tuning minibatch (default: the checkpoint\'s)'],
  ['segment-seconds', 'segmentSeconds', false, 'fine-tuning segment length (default: the checkpoint\'s)'],
  ['sens-items', 'sensItems', true, 'validation mixtures of the sensitivity analyses', SENSITIVITY_DATA_DEFAULTS.items],
  ['sens-seconds', 'sensSeconds', false, 'their length in seconds', SENSITIVITY_DATA_DEFAULTS.seconds],
  ['val-items', 'valItems', true, 'validation mixtures for loss/STOI/PESQ (default: the checkpoint\'s)'],
  ['val-seconds', 'valSeconds', false, 'their length in seconds (default: the checkpoint\'s)'],
  ['centroid-steps', 'centroidSteps', true, 'centroid fine-tuning steps after k-means (default 0, off: the paper has none; channel: --finetune-steps)'],
  ['centroid-lr', 'centroidLr', false, 'centroid fine-tuning learning rate', CENTROID_FINETUNE_LR],
  ['max-k', 'maxK', true, 'largest K Algorithm 3 may pick'],
  ['target-percent', 'targetPercent', false, 'global: keep this percent of the weights (default: match Algorithm 1)'],
  ['mpo-rate', 'mpoRate', false, 'mpo: compression rate of each replaced matrix', MPO_DEFAULTS.rate],
  ['mpo-cores', 'mpoCores', true, 'mpo: cores per chain', MPO_DEFAULTS.cores],
  ['train-steps', 'trainSteps', true, 'mpo: training steps from scratch (default: the checkpoint\'s epochs × steps per epoch)'],
  ['workers', 'workers', true, 'sensitivity worker threads (1 = inline; more pays off only with idle cores)', COMPRESS_WORKERS_DEFAULT],
  ['analysis-threads', 'analysisThreads', true, 'libtorch threads of an inline sensitivity analysis', COMPRESS_ANALYSIS_THREADS_DEFAULT],
  ['threads', 'threads', true, 'libtorch threads', COMPRESS_THREADS_DEFAULT],
];

function camel(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Options of the enhancement pipelines that the separation pipeline has no use for (its regulariser
 * follows the pipeline, it has no block pruning, MPO, channel or global stage, no centroid
 * fine-tuning, no sensitivity workers, and its stop bounds are in SI-SNR / ESTOI): given for a
 * separation net, they are refused rather than ignored. Commander's option keys.
 */
const ENHANCEMENT_ONLY_OPTIONS = [
  'regularizer', 'block', 'mpoInit', 'maxStoiDrop', 'maxPesqDrop', 'finetuneMinutes', 'centroidSteps', 'centroidLr', 'maxK', 'targetPercent',
  'mpoRate', 'mpoCores', 'trainSteps', 'workers', 'analysisThreads', 'prefetch',
] as const;

/**
 * A separation checkpoint (hushpack train --arch conv-tasnet|upit-lstm) through
 * src/compress/separation/pipeline.ts: --out M.hush writes the `.hush` model, --out M.safetensors the
 * compressed checkpoint; the report goes beside it. `given`: the command line's options (keys).
 */
async function separationCompress(opts: CompressOptions, json: boolean, given: readonly string[]): Promise<void> {
  const { separationCompressRun, separationOutputKind, SEPARATION_PIPELINES } = await import('../../src/compress/separation/pipeline.js');
  for (const key of ENHANCEMENT_ONLY_OPTIONS) {
    if (!given.includes(key)) continue;
    const flag = key === 'prefetch' ? '--no-prefetch' : `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new UserError(`${flag} applies to enhancement nets; ${opts.input} is a separation net (pipelines ${SEPARATION_PIPELINES.join(', ')}, settings in src/compress/separation/pipeline.ts)`);
  }
  if (!(SEPARATION_PIPELINES as readonly string[]).includes(opts.pipeline)) {
    throw new UserError(`${opts.input} is a separation net: --pipeline ${SEPARATION_PIPELINES.join(', ')} (C1/C2: Table VI), got ${opts.pipeline}`);
  }
  if (separationOutputKind(opts.out) === null) throw new UserError(`${opts.input} is a separation net: --out must name a .hush model or a .safetensors checkpoint, got ${opts.out}`);
  const { alpha1, alpha2, lambda1, lambda2, maxIterations, minNewlyPrunedFraction, finetuneSteps, preSteps, lr, batch, segmentSeconds, sensItems, sensSeconds, valItems, valSeconds, threads } = opts;
  const r = await separationCompressRun({
    pipeline: opts.pipeline as (typeof SEPARATION_PIPELINES)[number], input: opts.input, corpusDir: opts.corpusDir, out: opts.out, reportPath: opts.reportPath,
    alpha1, alpha2, lambda1, lambda2, maxIterations, minNewlyPrunedFraction, finetuneSteps, preSteps, lr, batch, segmentSeconds, sensItems, sensSeconds, valItems, valSeconds,
    threads, valMetrics: opts.valMetrics, commandLine: opts.commandLine, log: opts.log,
  });
  const base = r.iterations[0].val;
  const file = r.hush ? `, file ${r.hush.bytes} bytes (${r.hush.actualRate.toFixed(1)}×)` : '';
  const line = `${r.input.arch} ${r.settings.pipeline}: ${r.compressedMiB.toFixed(3)} MiB of ${r.sizeMiB.toFixed(3)} (eq. 11 rate ${r.rate.toFixed(1)}×${file}), ` +
    `${r.pruningIterations} pruning iteration(s); validation SI-SNRi ${base.siSnrI.toFixed(2)} → ${r.final.siSnrI.toFixed(2)} dB → ${r.output}` +
    r.notes.map((n) => `\nnote: ${n}`).join('');
  process.stdout.write(json ? `${JSON.stringify({
    arch: r.input.arch, pipeline: r.settings.pipeline, output: r.output, sizeMiB: r.sizeMiB, compressedMiB: r.compressedMiB, rate: r.rate,
    hush: r.hush, iterations: r.pruningIterations, baseline: base, final: r.final, notes: r.notes, seconds: r.seconds,
  })}\n` : `${line}\n`);
}

/** One human summary line of a finished run. */
export function compressSummary(r: CompressReport): string {
  const v = r.result.val;
  const b = r.baseline;
  const f = (x: number | null, d: number) => (x === null ? '–' : x.toFixed(d));
  return (
    `${r.arch} ${r.pipeline}: ${r.result.paramsPercent.toFixed(2)} % of the parameters, eq. 11 rate ${r.result.eq11Rate.toFixed(1)}× ` +
    `(${r.result.eq11MiB.toFixed(3)} MiB of ${r.result.float32MiB.toFixed(3)}), file ${r.result.fileBytes} bytes (${r.result.actualRate.toFixed(1)}×), ` +
    `MACs ${r.result.macsPercent.toFixed(1)} %; STOI ${f(b.stoi, 4)} → ${f(v.stoi, 4)}, PESQ-NB ${f(b.pesq_nb, 3)} → ${f(v.pesq_nb, 3)}; ` +
    `${r.seconds.toFixed(1)} s (sensitivity ${r.timings.sensitivity.toFixed(1)} s, fine-tuning ${r.timings.finetune.toFixed(1)} s)`
  );
}

/** A progress bar per phase on stderr (cli-progress), interleaved with log lines. */
function stderrProgress(): { log(m: string): void; progress(phase: string, done: number, total: number): void; stop(): void } {
  let bar: cliProgress.SingleBar | null = null;
  let current = '';
  const stop = () => {
    bar?.stop();
    bar = null;
    current = '';
  };
  return {
    log: (m) => {
      stop();
      process.stderr.write(`hushpack compress: ${m}\n`);
    },
    progress: (phase, done, total) => {
      if (phase !== current || bar === null) {
        stop();
        current = phase;
        bar = new cliProgress.SingleBar(
          { stream: process.stderr, format: `${phase} [{bar}] {value}/{total} | {duration_formatted} | eta {eta_formatted}`, noTTYOutput: false, hideCursor: false, etaBuffer: 20 },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0);
      }
      bar.update(done);
      if (done >= total) stop();
    },
    stop,
  };
}

/** Registers `compress` on `program`. */
export function register(program: Command): void {
  const cmd = program
    .command('compress')
    .description('compress a trained checkpoint (Tan & Wang pipelines C1/C2 and baselines) into a .hush file and a JSON report')
    .requiredOption('--pipeline <name>', `one of ${PIPELINE_NAMES.join(', ')}`)
    .requiredOption('--in <file>', 'checkpoint written by hushpack train (.safetensors)')
    .requiredOption('--corpus <dir>', 'corpus folder (manifest.csv): validation and fine-tuning data')
    .requiredOption('--out <file>', 'output .hush file (a separation net: .hush, or .safetensors for the compressed checkpoint)')
    .option('--report <file>', 'JSON report (default: OUT with .hush → .report.json)')
    .option('--regularizer <kind>', 'none, l1 or sgl (default: l1 for c1, sgl for c2, none otherwise)')
    .option('--block <shape>', 'c1 / prune-u: prune Linear / LSTM matrices and conv kernels (Conv2d, ConvTranspose2d, 1×1 Conv1d) in 4x1, 8x1 or 1x4 blocks of their matrix view (ℓ2 norm, Algorithm 1\'s scan over blocks) for the block-sparse kernels; a ConvTranspose2d takes 4x1 / 8x1 only, depthwise convs stay unstructured')
    .option('--mpo-init <kind>', 'mpo: random (default: train the chains from scratch) or svd (TT-SVD of the trained matrices, then --train-steps of fine-tuning, default --finetune-steps)');
  for (const [flag, , integer, help, fixedDefault] of NUMERIC) {
    cmd.option(`--${flag} ${integer ? '<n>' : '<x>'}`, help, fixedDefault === undefined ? undefined : String(fixedDefault));
  }
  cmd
    .option('--no-val-metrics', 'skip STOI/PESQ in validation (loss only; the quality stop rule is then off)')
    .option('--no-prefetch', 'prepare fine-tuning batches in the main thread')
    .option('--json', 'print one JSON object on stdout')
    .action(async (o: Record<string, string | boolean | undefined>, command: Command) => {
      if (!isTorchAvailable()) throw new UserError(ADDON_MISSING_MESSAGE);
      const pipeline = String(o.pipeline);
      if (!(PIPELINE_NAMES as readonly string[]).includes(pipeline)) throw new UserError(`--pipeline must be one of ${PIPELINE_NAMES.join(', ')}, got '${pipeline}'`);
      const reg = o.regularizer as string | undefined;
      if (reg !== undefined && !['none', 'l1', 'sgl'].includes(reg)) throw new UserError(`--regularizer must be none, l1 or sgl, got '${reg}'`);
      const opts: CompressOptions = {
        pipeline: pipeline as PipelineName, input: String(o.in), corpusDir: String(o.corpus), out: String(o.out),
        reportPath: o.report as string | undefined, regularizer: reg as RegularizerKind | undefined,
        mpoInit: o.mpoInit as MpoInit | undefined,
        block: o.block as string | undefined,
        valMetrics: o.valMetrics !== false, prefetch: o.prefetch !== false,
        commandLine: process.argv.slice(1).join(' '),
      };
      const ui = stderrProgress();
      opts.log = ui.log;
      opts.onProgress = ui.progress;
      for (const [flag, key, integer] of NUMERIC) {
        const raw = o[camel(flag)];
        // a default shown by --help is left to compressSettings, which resolves the same value
        if (raw === undefined || command.getOptionValueSource(camel(flag)) === 'default') continue;
        const n = Number(raw);
        if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
          throw new UserError(`--${flag} must be a non-negative ${integer ? 'integer' : 'number'}, got '${String(raw)}'`);
        }
        (opts as unknown as Record<string, number>)[key] = n;
      }
      if (existsSync(opts.input) && isSeparationMetadata(safetensorsMetadataRead(opts.input))) {
        return separationCompress(opts, o.json === true, Object.keys(o).filter((k) => command.getOptionValueSource(k) === 'cli'));
      }
      let report: CompressReport;
      try {
        report = await compressRun(opts);
      } finally {
        ui.stop();
      }
      if (o.json) {
        process.stdout.write(`${JSON.stringify({
          pipeline: report.pipeline, arch: report.arch, output: report.output, report: report.report,
          result: report.result, baseline: report.baseline, iterations: report.pruning?.accepted ?? null,
          stop: report.pruning?.stop ?? null, seconds: report.seconds, timings: report.timings, notes: report.notes,
        })}\n`);
      } else process.stdout.write(`${compressSummary(report)}\n`);
    });
}
