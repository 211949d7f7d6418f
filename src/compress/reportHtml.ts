/**
 * `hushpack report`'s page: one self-contained HTML file (inline CSS, inline SVG figures, no
 * scripts, no external requests) with tables after Tan & Wang's Tables I, III, IV and V and the
 * figures of reportCharts.ts, built from the compress reports and checkpoints of a results folder.
 *
 * The STOI/PESQ of Tables I, IV and V are the VALIDATION numbers the pipelines record (the
 * mixtures of the validation split the trainer validates on). The paper's test conditions (−5/0/5
 * dB, babble and cafeteria) come from the score files of `hushpack evalset --split test`
 * (`*.score.json`), rendered as the test-set tables of reportScores.ts.
 */
import type { TopLevelSpec } from 'vega-lite';
import {
  bitsSpec, chartSvg, fig4Spec, fig5Spec, fig6Spec, fig7Spec, sensitivitySpec,
} from './reportCharts.js';
import { modelLabel, pruningIterations, type ReportInputs } from './reportData.js';
import { esc, num, table } from './reportTable.js';
import { tablesTest } from './reportScores.js';
import { reportTraining, type TrainSection } from './reportTraining.js';
import type { CompressReport } from './pipelines.js';

export { esc };

type Report = CompressReport & { file: string };

/** Table I: uncompressed (one row per input model) and compressed models. */
function tableI(reports: readonly Report[]): string {
  const rows: string[][] = [];
  const seen = new Set<string>();
  const sorted = [...reports].sort((a, b) => a.arch.localeCompare(b.arch) || a.pipeline.localeCompare(b.pipeline));
  for (const r of sorted) {
    if (!seen.has(r.input)) {
      seen.add(r.input);
      rows.push([`${r.arch.toUpperCase()}_U (${r.preset || 'custom'})`, num(r.mixture.stoi, 4), num(r.mixture.pesq_nb, 3), num(r.baseline.stoi, 4), num(r.baseline.pesq_nb, 3), `${num(r.result.float32MiB, 3)} MiB`, '1×', '–', '–']);
    }
    rows.push([
      modelLabel(r), num(r.mixture.stoi, 4), num(r.mixture.pesq_nb, 3), num(r.result.val.stoi, 4), num(r.result.val.pesq_nb, 3),
      `${num(r.result.eq11MiB, 3)} MiB`, `${num(r.result.eq11Rate, 1)}×`, `${num(r.result.actualRate, 1)}× (${r.result.fileBytes} B)`,
      r.pruning ? String(pruningIterations(r)) : '–',
    ]);
  }
  return table(
    'Table I — uncompressed and compressed models (validation set)',
    ['model', 'mixture STOI', 'mixture PESQ', 'STOI', 'PESQ', 'model size (eq. 11)', 'compression rate (eq. 11)', 'actual rate (file)', '# pruning iterations'],
    rows,
    'Model size and rate count bits as eq. 11 does (indices and codebooks; no sparsity patterns, no file overhead); the actual rate divides the float32 size by the .hush file size.',
  );
}

/** Table III: MACs per 4-s mixture. */
function tableIII(reports: readonly Report[]): string {
  const rows: string[][] = [];
  const seen = new Set<string>();
  for (const r of reports) {
    if (!seen.has(r.input)) {
      seen.add(r.input);
      rows.push([`${r.arch.toUpperCase()}_U`, `${num(r.result.denseMacs / 1e9, 3)} G`, '100.00 %']);
    }
    rows.push([modelLabel(r), `${num(r.result.macs / 1e9, 3)} G`, `${num(r.result.macsPercent, 2)} %`]);
  }
  return table('Table III — multiply-accumulates to process a 4-s mixture', ['model', '# MACs', 'percent'], rows,
    'Counted as Table III does (thop convention, src/models/size.ts): each weight tensor costs its nonzero weights times its uses per frame.');
}

/** Table IV: pruned vs comparably sized models trained from scratch. */
function tableIV(inputs: ReportInputs): string {
  const rows: string[][] = [];
  for (const r of inputs.reports) {
    if (!r.pruning || r.settings.structured) continue;
    const kept = r.result.paramsKept;
    rows.push([`${modelLabel(r)} (${r.file})`, num(r.result.val.stoi, 4), num(r.result.val.pesq_nb, 3), `${(kept / 1e6).toFixed(3)} M`]);
  }
  const pruned = new Set(inputs.reports.map((r) => r.input));
  for (const m of inputs.models) {
    const bigger = inputs.reports.some((r) => r.arch === m.arch && r.result.params > m.params);
    if (!bigger || [...pruned].some((p) => p.endsWith(m.file))) continue;
    rows.push([`${m.arch.toUpperCase()}_S (${m.file}, ${m.preset || 'custom'})`, num(m.val?.stoi, 4), num(m.val?.pesq_nb, 3), `${(m.params / 1e6).toFixed(3)} M`]);
  }
  if (!rows.some((r) => r[0].includes('_S'))) return table('Table IV — pruned models vs small models trained from scratch', ['model', 'STOI', 'PESQ', '# parameters'], rows, 'No small-from-scratch checkpoint in the results folder: train one with `hushpack train` (narrower hyper-parameters) and put its .safetensors next to the reports.');
  return table('Table IV — pruned models vs small models trained from scratch', ['model', 'STOI', 'PESQ', '# parameters'], rows,
    'Small models: checkpoints found in the results folder, with the validation metrics of their saved epoch.');
}

/** Table V: quantisation only. */
function tableV(reports: readonly Report[]): string {
  const rows = reports.filter((r) => r.pipeline === 'quant').map((r) => [
    modelLabel(r), num(r.baseline.stoi, 4), num(r.result.val.stoi, 4), num(r.baseline.pesq_nb, 3), num(r.result.val.pesq_nb, 3),
    `${num(r.result.float32MiB, 3)} → ${num(r.result.eq11MiB, 3)} MiB`, `${num(r.result.eq11Rate, 1)}×`,
  ]);
  return table('Table V — quantisation only (k-means, K per tensor from Algorithm 3)', ['model', 'STOI (U)', 'STOI (Q)', 'PESQ (U)', 'PESQ (Q)', 'model size', 'compression rate'], rows);
}

/** Timings of the runs. */
function tableTimings(reports: readonly Report[]): string {
  const rows = reports.map((r) => {
    const analyses = [
      ...(r.pruning?.iterations ?? []).map((i) => i.sensitivity),
      r.global?.perTensorRecord?.sensitivity ?? null,
      r.quantization?.sensitivity ?? null,
    ].filter((a): a is NonNullable<typeof a> => a !== null && a !== undefined);
    const evals = analyses.reduce((s, a) => s + a.evaluations, 0);
    const secs = analyses.reduce((s, a) => s + a.seconds, 0);
    const reuse = analyses.reduce((s, a) => s + a.stagesRun, 0) / Math.max(1, analyses.reduce((s, a) => s + a.stagesFull, 0));
    const mode = analyses[0] ? `${analyses[0].mode}, ${analyses[0].workers} worker(s)` : '–';
    return [
      `${modelLabel(r)} (${r.file})`, num(r.seconds, 1), num(r.timings.sensitivity, 1), String(evals), evals ? num((1000 * secs) / evals, 1) : '–',
      num(100 * reuse, 0), mode, num(r.timings.finetune, 1), num(r.timings.validation, 1),
    ];
  });
  return table('Run times (seconds)', ['run', 'total', 'sensitivity analyses', 'evaluations', 'ms / evaluation', 'stages run (% of full)', 'analysis mode', 'fine-tuning', 'validation'], rows);
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:1em 0;font-size:13px}caption{text-align:left;font-weight:600;margin-bottom:.3em}
th,td{border:1px solid #ccc;padding:3px 7px;text-align:right}th[scope=row]{text-align:left;font-weight:normal}
thead th{background:#f3f3f3}.note{color:#555;font-size:12px;max-width:900px}figure{margin:1.5em 0;overflow-x:auto}
code{font-size:12px;background:#f6f6f6;padding:1px 3px}`;

/**
 * Builds the page. With `inputs.training` (report --train-logs) a Training section follows the
 * per-run figures and `training` holds its numbers; without, the page is exactly what it was.
 */
export async function reportHtml(inputs: ReportInputs, title = 'hushpack compression report'): Promise<{ html: string; figures: number; training?: TrainSection[] }> {
  const parts: string[] = [];
  const reports = inputs.reports;
  parts.push(`<h1>${esc(title)}</h1>`);
  parts.push(`<p>${reports.length} compress report(s), ${inputs.models.length} checkpoint(s) and ${inputs.scores.length} test-set score file(s) from <code>${esc(inputs.dir)}</code>. In Tables I, III, IV and V, STOI / PESQ (narrow-band MOS-LQO) are on the validation mixtures each run recorded; the test-set tables hold the paper's test conditions (hushpack evalset).</p>`);
  if (inputs.skipped.length > 0) parts.push(`<p class="note">Skipped: ${inputs.skipped.map((s) => `${esc(s.file)} (${esc(s.reason)})`).join('; ')}</p>`);
  parts.push('<h2>Tables</h2>', tablesTest(inputs), tableI(reports), tableIII(reports), tableIV(inputs), tableV(reports), tableTimings(reports));

  let figures = 0;
  const figure = async (spec: TopLevelSpec | null, caption: string) => {
    if (!spec) return;
    parts.push(`<figure>${await chartSvg(spec)}<figcaption class="note">${esc(caption)}</figcaption></figure>`);
    figures++;
  };
  parts.push('<h2>Figures</h2>');
  await figure(fig4Spec(reports), 'Percent of the original number of trainable parameters after each pruning iteration (iteration 0: the input model), without and with sparse regularisation.');
  await figure(fig5Spec(reports, 'stoi'), 'Validation STOI after each pruning iteration and its fine-tuning.');
  await figure(fig5Spec(reports, 'pesq'), 'Validation PESQ after each pruning iteration and its fine-tuning.');
  await figure(fig6Spec(reports), 'Pruning ratio of each layer after the first pruning iteration.');
  await figure(fig7Spec(reports, 'stoi'), 'One pruning iteration then fine-tuning: per-tensor pruning ratios from Algorithm 1 vs one common magnitude threshold pruning the same number of weights.');
  await figure(fig7Spec(reports, 'pesq'), 'As above, PESQ.');
  parts.push('<h2>Per run</h2>');
  for (const r of reports) {
    parts.push(`<h3>${esc(modelLabel(r))} — <code>${esc(r.file)}</code></h3><p class="note">${esc(r.command || '(no command line recorded)')}<br>α1 ${r.settings.alpha1}, α2 ${r.settings.alpha2}, ${esc(r.settings.regularizer)} λ1 ${r.settings.lambda1} λ2 ${r.settings.lambda2}; fine-tuning ${r.settings.finetuneSteps} steps/iteration at lr ${r.settings.lr.toExponential(2)}; stop: ${esc(r.pruning?.stop ?? '–')}.${r.notes.length ? ` Notes: ${esc(r.notes.join('; '))}` : ''}</p>`);
    await figure(sensitivitySpec(r), 'Loss increase on the sensitivity subset for each weight tensor as β grows; the dashed line is the tolerance α1. Each tensor is pruned at the last β before its curve crosses it.');
    await figure(bitsSpec(r), 'Index width per weight tensor after quantisation.');
  }
  const training = inputs.training?.length ? await reportTraining(inputs.training) : null;
  if (training) {
    parts.push(training.html);
    figures += training.figures;
  }
  const html = `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${CSS}</style></head><body>\n${parts.join('\n')}\n</body></html>\n`;
  return training ? { html, figures, training: training.runs } : { html, figures };
}
