#!/usr/bin/env node
// Markdown summary of a results folder: one row per model, from the `hushpack compress` reports
// (X.report.json) and the `hushpack evalset --split test` score files (X.score.json) found there.
// The uncompressed checkpoint of arch A is the score file A-edge.score.json (no report).
//
//   node tools/experiments/summary.mjs docs/results/compress > docs/results/compress/summary.md
//
// Columns: parameters kept (%), eq. 11 rate, file bytes, executed MACs (%), validation STOI/PESQ
// of the report (the pipeline's own check), and the test-set means (600 pairs) mixture → model of
// STOI, PESQ-NB and SI-SNR, then test STOI per condition.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node tools/experiments/summary.mjs DIR');
  process.exit(2);
}
const files = readdirSync(dir);
const read = (f) => JSON.parse(readFileSync(join(dir, f), 'utf8'));
const stems = [...new Set(files.filter((f) => f.endsWith('.score.json') || f.endsWith('.report.json')).map((f) => f.replace(/\.(score|report)\.json$/, '')))].sort();

const pct = (x) => (x == null ? '–' : `${(100 * x).toFixed(2)}`);
const f2 = (x, d = 2) => (x == null ? '–' : x.toFixed(d));
const rows = [];
let conds = null;
for (const stem of stems) {
  const report = files.includes(`${stem}.report.json`) ? read(`${stem}.report.json`) : null;
  const score = files.includes(`${stem}.score.json`) ? read(`${stem}.score.json`) : null;
  if (score && !conds) conds = score.conditions.map((c) => `${c.noise} ${c.snrDb} dB`);
  const res = report?.result;
  const o = score?.overall;
  rows.push([
    stem,
    report ? report.pipeline : 'none',
    res ? f2(res.paramsPercent, 1) : '100',
    res ? `${f2(res.eq11Rate, 1)}×` : '1×',
    res ? String(res.fileBytes) : '–',
    res ? f2(res.macsPercent, 1) : '100',
    res ? `${f2(report.baseline.stoi * 100)} → ${f2(res.val.stoi * 100)}` : '–',
    res ? `${f2(report.baseline.pesq_nb, 3)} → ${f2(res.val.pesq_nb, 3)}` : '–',
    o ? `${pct(o.mixture.stoi)} → ${pct(o.enhanced.stoi)}` : '–',
    o ? `${f2(o.mixture.pesq_nb, 3)} → ${f2(o.enhanced.pesq_nb, 3)}` : '–',
    o ? `${f2(o.mixture.sisnr)} → ${f2(o.enhanced.sisnr)}` : '–',
    ...(score ? score.conditions.map((c) => pct(c.enhanced.stoi)) : []),
  ]);
}
const mixRow = (() => {
  const s = stems.map((st) => (files.includes(`${st}.score.json`) ? read(`${st}.score.json`) : null)).find(Boolean);
  return s ? ['unprocessed mixture', '', '', '', '', '', '', '', '', '', '', ...s.conditions.map((c) => pct(c.mixture.stoi))] : null;
})();
const head = ['model', 'pipeline', 'params %', 'eq. 11 rate', 'file bytes', 'MACs %', 'val STOI % (in → out)', 'val PESQ-NB (in → out)',
  'test STOI % (mix → model)', 'test PESQ-NB', 'test SI-SNR dB', ...(conds ?? []).map((c) => `STOI % ${c}`)];
const line = (cols) => `| ${cols.join(' | ')} |`;
console.log(line(head));
console.log(line(head.map(() => '---')));
if (mixRow) console.log(line(mixRow));
for (const r of rows) console.log(line(r));
