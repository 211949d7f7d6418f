/**
 * `hushpack report --results DIR [--peers DIR2] --out report.html [--title T] [--json]`
 *
 * Renders every compress report (`*.report.json`), checkpoint (`*.safetensors`) and test-set score
 * file (`*.score.json`, hushpack evalset --split test) under DIR into one self-contained HTML page:
 * test-set tables and tables after Tan & Wang's Tables I, III, IV and V, figures after
 * Figs. 4–7 (SVG made with Vega-Lite, no scripts) and per-run sensitivity curves and K per tensor
 * (src/compress/reportHtml.ts). --peers adds the score files of another folder (e.g.
 * docs/results/peers: hushpack evalset --peer) to the test-set tables, beside the models.
 * --train-logs (training logs M.safetensors.log.jsonl, legs.jsonl, or folders of them) adds a
 * Training section: validation curves and "has it flattened?" per run (src/compress/reportTraining.ts).
 * Separation results under DIR (hushpack evalset score files and hushpack compress reports of
 * conv-tasnet / upit-lstm checkpoints) are printed as Table VI, ours beside the paper's
 * (src/compress/separation/tableVi.ts; --json: `tableVi`, the rows).
 * With --json, stdout gets {out, reports, checkpoints, scores, figures, skipped} (+ training: the
 * flattening numbers per run, with --train-logs).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { tableViInputsRead, tableViMarkdown, tableViRows } from '../../src/compress/separation/tableVi.js';
import { UserError } from '../../src/errors.js';
import { reportInputsRead } from '../../src/compress/reportData.js';
import { reportHtml } from '../../src/compress/reportHtml.js';
import { trainRunsRead } from '../../src/train/trainLog.js';
import { flatnessLine } from '../../src/train/curves.js';

/** Registers `report` on `program`. */
export function register(program: Command): void {
  program
    .command('report')
    .description('render compress reports and checkpoints of a results folder as an HTML page with paper-style tables and figures')
    .requiredOption('--results <dir>', 'folder with *.report.json (hushpack compress), *.safetensors (hushpack train) and *.score.json (hushpack evalset)')
    .requiredOption('--out <file>', 'HTML file to write')
    .option('--peers <dir>', 'also show the score files of this folder (hushpack evalset --peer) beside the models')
    .option('--title <text>', 'page title', 'hushpack compression report')
    .option('--train-logs <path...>', 'training logs (*.log.jsonl), legs.jsonl or folders of them: adds validation curves (repeatable)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (o: { results: string; peers?: string; out: string; title: string; trainLogs?: string[]; json?: boolean }) => {
      const inputs = reportInputsRead(o.results);
      const separation = tableViInputsRead(o.results);
      const tableVi = separation.scores.length + separation.reports.length > 0 ? tableViRows(separation) : null;
      if (o.trainLogs) inputs.training = trainRunsRead(o.trainLogs);
      if (o.peers !== undefined) {
        const more = reportInputsRead(o.peers);
        if (more.scores.length === 0) throw new UserError(`${o.peers}: no score files (*.score.json) found`);
        const tag = basename(o.peers.replace(/\/+$/, ''));
        inputs.scores.push(...more.scores.map((s) => ({ ...s, file: join(tag, s.file) })));
        inputs.skipped.push(...more.skipped.map((s) => ({ ...s, file: join(tag, s.file) })));
      }
      if (inputs.reports.length === 0 && inputs.models.length === 0 && inputs.scores.length === 0 && !inputs.training && tableVi === null) {
        throw new UserError(`${o.results}: no compress reports (*.report.json), checkpoints (*.safetensors) or score files (*.score.json) found`);
      }
      const { html, figures, training } = await reportHtml(inputs, o.title);
      mkdirSync(dirname(o.out), { recursive: true });
      writeFileSync(o.out, html);
      const summary = {
        out: o.out, reports: inputs.reports.length, checkpoints: inputs.models.length, scores: inputs.scores.length, figures, skipped: inputs.skipped,
        ...(training ? { training: training.map((t) => ({ run: t.run, file: t.file, ...t.flatness })) } : {}),
        ...(tableVi ? { tableVi } : {}),
      };
      if (o.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else {
        process.stdout.write(`${o.out}: ${summary.reports} report(s), ${summary.checkpoints} checkpoint(s), ${summary.scores} score file(s), ${figures} figure(s)\n`);
        for (const t of training ?? []) process.stdout.write(`${t.run}: ${flatnessLine(t.flatness)}\n`);
        if (tableVi) process.stdout.write(`\n${tableViMarkdown(tableVi)}\n`);
      }
    });
}
