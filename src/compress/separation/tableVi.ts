/**
 * Tan & Wang TASLP 2021 Table VI for this project's separation models, beside the paper's values:
 * per net, rows mixture / U / C1 / C2 with ESTOI (%), PESQ, SI-SNR (dB), SDR (dB), model size
 * (MiB, the paper's "MB"), compression rate and pruning iterations.
 *
 * Read from a results folder (any depth):
 *   separation score files   (hushpack evalset --model M.safetensors|M.hush on the two-talker test set,
 *                            src/evaluate/separationScore.ts) — the metric columns; the mixture row
 *                            is the mixture's own scores on the same set
 *   separation compress reports (hushpack compress on a separation checkpoint, --out M.hush or
 *                            M.safetensors, ./pipeline.ts) — size, rate and iterations of C1/C2; a
 *                            score file whose model is a report's output is that pipeline's row
 * An uncompressed model's size is its float32 size (parameters of its layout × 4 B, in MiB), rate 1×.
 * SDR is BSS-eval v3 (the paper's [44]); PESQ is narrow-band P.862.1 MOS-LQO at 8 kHz.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { SEPARATION_SCORE_FORMAT, type SeparationScoreFile } from '../../evaluate/separationScore.js';
import { scoreValue } from '../../evaluate/scoreFile.js';
import { layoutParamCount, separationLayout, type SeparationArchName } from '../../models/separation/net.js';
import { float32MiBOf } from '../../models/separation/sizes.js';
import { separationConfigFromMetadata, safetensorsMetadataRead } from '../../train/separation/checkpoint.js';
import { SEPARATION_COMPRESS_REPORT_FORMAT, type SeparationCompressReport } from './pipeline.js';

/** One row's values (null: not available). */
export interface TableViValues {
  estoi: number | null;
  pesq: number | null;
  sisnr: number | null;
  sdr: number | null;
  sizeMiB: number | null;
  rate: number | null;
  iterations: number | null;
}

/** Table VI as printed in the paper (ESTOI in %, sizes in the paper's MB = MiB). */
export const TABLE_VI_PAPER: { mixture: TableViValues } & Record<SeparationArchName, Record<'U' | 'C1' | 'C2', TableViValues>> = {
  mixture: { estoi: 56.22, pesq: 2.02, sisnr: 0.0, sdr: 0.15, sizeMiB: null, rate: null, iterations: null },
  'upit-lstm': {
    U: { estoi: 71.21, pesq: 2.41, sisnr: 7.22, sdr: 7.84, sizeMiB: 250.46, rate: 1, iterations: null },
    C1: { estoi: 72.19, pesq: 2.45, sisnr: 7.34, sdr: 7.96, sizeMiB: 2.5, rate: 100, iterations: 3 },
    C2: { estoi: 72.37, pesq: 2.45, sisnr: 7.36, sdr: 7.98, sizeMiB: 16.43, rate: 15, iterations: 5 },
  },
  'conv-tasnet': {
    U: { estoi: 81.61, pesq: 2.71, sisnr: 10.08, sdr: 10.57, sizeMiB: 19.27, rate: 1, iterations: null },
    C1: { estoi: 79.83, pesq: 2.68, sisnr: 9.89, sdr: 10.1, sizeMiB: 0.66, rate: 29, iterations: 2 },
    C2: { estoi: 79.52, pesq: 2.68, sisnr: 9.78, sdr: 10.0, sizeMiB: 0.77, rate: 25, iterations: 1 },
  },
};

/** A row of our table. */
export interface TableViRow {
  arch: SeparationArchName | null;
  model: 'mixture' | 'U' | 'C1' | 'C2';
  /** Preset of our model ('' for the mixture or when unknown). */
  preset: string;
  /** Where the numbers came from (results-relative paths). */
  score: string | null;
  report: string | null;
  ours: TableViValues;
  paper: TableViValues;
}

/** The separation files of a folder. */
export interface TableViInputs {
  scores: (SeparationScoreFile & { file: string })[];
  reports: (SeparationCompressReport & { file: string })[];
}

function* walk(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else yield p;
  }
}

/** Finds separation score files and compress reports under `dir`. */
export function tableViInputsRead(dir: string): TableViInputs {
  const out: TableViInputs = { scores: [], reports: [] };
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return out;
  for (const file of walk(dir)) {
    if (!file.endsWith('.json')) continue;
    let j: { format?: unknown; version?: unknown };
    try {
      j = JSON.parse(readFileSync(file, 'utf8')) as { format?: unknown };
    } catch {
      continue;
    }
    if (j?.format === SEPARATION_SCORE_FORMAT && j.version === 1) out.scores.push({ ...(j as SeparationScoreFile), file: relative(dir, file) });
    if (j?.format === SEPARATION_COMPRESS_REPORT_FORMAT && j.version === 1) out.reports.push({ ...(j as SeparationCompressReport), file: relative(dir, file) });
  }
  return out;
}

/** The metric columns of a score group (ESTOI in %). */
function metricValues(g: SeparationScoreFile['overall']['separated']): Pick<TableViValues, 'estoi' | 'pesq' | 'sisnr' | 'sdr'> {
  const estoi = scoreValue(g, 'estoi');
  return { estoi: estoi === null ? null : 100 * estoi, pesq: scoreValue(g, 'pesq_nb'), sisnr: scoreValue(g, 'sisnr'), sdr: scoreValue(g, 'sdr_bss') };
}

/** Float32 MiB of an uncompressed checkpoint (null when the file is gone or not a separation net). */
function checkpointMiB(path: string): number | null {
  try {
    return float32MiBOf(layoutParamCount(separationLayout(separationConfigFromMetadata(safetensorsMetadataRead(path), path))));
  } catch {
    return null;
  }
}

/** Rows mixture, then per net U, C1, C2 (nets without any file are left out). */
export function tableViRows(inputs: TableViInputs): TableViRow[] {
  const reportOf = new Map(inputs.reports.map((r) => [resolve(r.output), r]));
  const rows: TableViRow[] = [];
  const uncompressed = inputs.scores.filter((s) => !reportOf.has(resolve(s.model.path)));
  const mixtureFrom = uncompressed[0] ?? inputs.scores[0];
  rows.push({
    arch: null, model: 'mixture', preset: '', score: mixtureFrom?.file ?? null, report: null, paper: TABLE_VI_PAPER.mixture,
    ours: { ...(mixtureFrom ? metricValues(mixtureFrom.overall.mixture) : { estoi: null, pesq: null, sisnr: null, sdr: null }), sizeMiB: null, rate: null, iterations: null },
  });
  for (const arch of ['upit-lstm', 'conv-tasnet'] as const) {
    const u = uncompressed.find((s) => s.model.arch === arch);
    const archRows: TableViRow[] = [];
    if (u) {
      archRows.push({
        arch, model: 'U', preset: u.model.preset, score: u.file, report: null, paper: TABLE_VI_PAPER[arch].U,
        ours: { ...metricValues(u.overall.separated), sizeMiB: checkpointMiB(u.model.path), rate: 1, iterations: null },
      });
    }
    for (const pipeline of ['c1', 'c2'] as const) {
      const model = pipeline === 'c1' ? 'C1' : 'C2';
      const report = inputs.reports.find((r) => r.input.arch === arch && r.settings.pipeline === pipeline);
      if (!report) continue;
      const score = inputs.scores.find((s) => resolve(s.model.path) === resolve(report.output));
      archRows.push({
        arch, model, preset: report.input.preset, score: score?.file ?? null, report: report.file, paper: TABLE_VI_PAPER[arch][model],
        ours: {
          ...(score ? metricValues(score.overall.separated) : { estoi: null, pesq: null, sisnr: null, sdr: null }),
          sizeMiB: report.compressedMiB, rate: report.rate, iterations: report.pruningIterations,
        },
      });
    }
    rows.push(...archRows);
  }
  return rows;
}

const NAMES: Record<SeparationArchName, string> = { 'upit-lstm': 'uPIT-LSTM', 'conv-tasnet': 'TasNet' };

/** "ours (paper)" cells. */
function cell(ours: number | null, paper: number | null, digits: number, unit = ''): string {
  const o = ours === null ? '–' : `${ours.toFixed(digits)}${unit}`;
  const p = paper === null ? '–' : `${paper.toFixed(digits)}${unit}`;
  return o === '–' && p === '–' ? '–' : `${o} (${p})`;
}

/** The table as Markdown: each cell "ours (paper)". */
export function tableViMarkdown(rows: readonly TableViRow[]): string {
  const head = '| model | ESTOI (%) | PESQ | SI-SNR (dB) | SDR (dB) | size (MiB) | rate | pruning iterations |';
  const body = rows.map((r) => {
    const name = r.arch === null ? 'Mixture' : `${NAMES[r.arch]}_${r.model}${r.preset ? ` (${r.preset})` : ''}`;
    const { ours: o, paper: p } = r;
    return `| ${name} | ${cell(o.estoi, p.estoi, 2)} | ${cell(o.pesq, p.pesq, 2)} | ${cell(o.sisnr, p.sisnr, 2)} | ${cell(o.sdr, p.sdr, 2)} | ` +
      `${cell(o.sizeMiB, p.sizeMiB, 3)} | ${cell(o.rate, p.rate, 0, '×')} | ${cell(o.iterations, p.iterations, 0)} |`;
  });
  return [
    'Table VI (Tan & Wang TASLP 2021) — ours (paper). Ours: the models found under the results folder (preset in brackets) on the open two-talker test set; the paper: its paper-size nets on WSJ0-2mix.',
    '',
    head,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...body,
  ].join('\n');
}
