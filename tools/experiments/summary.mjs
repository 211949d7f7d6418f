#!/usr/bin/env node
// Markdown summary of results folders: one row per model, from the `hushpack compress` reports
// (X.report.json) and the `hushpack evalset --split test` score files (X.score.json) found there,
// and one row per peer (score files of `hushpack evalset --peer`, which carry a `peer` block).
// The uncompressed checkpoint of arch A is the score file A-edge.score.json (no report).
//
//   node tools/experiments/summary.mjs docs/results/compress > docs/results/compress/summary.md
//   node tools/experiments/summary.mjs docs/results/compress docs/results/peers   (models and peers)
//
// Columns: parameters kept (%), eq. 11 rate, file bytes (a peer's: wasm + worklet script), executed
// MACs (%), validation STOI/PESQ of the report (the pipeline's own check), and the test-set means
// (600 pairs) mixture → model of STOI, PESQ-NB, PESQ-WB and SI-SNR, then test STOI per condition.
// Score files of different test sets (manifest hash) do not mix: a second set is an error.
// When peers are among them, a second table follows: rate, delay removed, the lag check after
// compensation, bytes, and µs per 10 ms of audio (p50/p99, one core) with the load average then.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: node tools/experiments/summary.mjs DIR [DIR…]');
  process.exit(2);
}
const entries = []; // { stem, dir, files }
for (const dir of dirs) {
  const files = readdirSync(dir);
  const stems = [...new Set(files.filter((f) => f.endsWith('.score.json') || f.endsWith('.report.json')).map((f) => f.replace(/\.(score|report)\.json$/, '')))].sort();
  for (const stem of stems) entries.push({ stem, dir, files });
}
const read = (dir, f) => JSON.parse(readFileSync(join(dir, f), 'utf8'));

const pct = (x) => (x == null ? '–' : `${(100 * x).toFixed(2)}`);
const f2 = (x, d = 2) => (x == null ? '–' : x.toFixed(d));
const rows = [];
const peerRows = [];
let conds = null;
let manifest = null;
let mixScore = null;
for (const { stem, dir, files } of entries) {
  const report = files.includes(`${stem}.report.json`) ? read(dir, `${stem}.report.json`) : null;
  const score = files.includes(`${stem}.score.json`) ? read(dir, `${stem}.score.json`) : null;
  if (score) {
    manifest ??= score.testset.manifestSha256;
    if (score.testset.manifestSha256 !== manifest) {
      console.error(`${join(dir, `${stem}.score.json`)}: another test set (manifest ${score.testset.manifestSha256.slice(0, 12)}… vs ${manifest.slice(0, 12)}…)`);
      process.exit(1);
    }
    conds ??= score.conditions.map((c) => `${c.noise} ${c.snrDb} dB`);
    mixScore ??= score;
  }
  const res = report?.result;
  const o = score?.overall;
  const peer = score?.peer;
  if (peer) {
    peerRows.push([
      `${peer.label} (${stem})`, `${peer.package} ${peer.packageVersion}`, `${peer.sampleRateHz / 1000} kHz, frame ${peer.frameSamples}`,
      `${peer.delay.samples} (${f2(peer.delay.ms)} ms)`, Object.entries(peer.lagAfterCompensation).map(([l, n]) => `${l}: ${n}`).join(', '),
      `${peer.bytes.total} (${peer.bytes.wasm} + ${peer.bytes.script})`, f2(peer.cost.usP50, 1), f2(peer.cost.usP99, 1), peer.cost.loadAverage.join(' '),
    ]);
  }
  rows.push([
    peer ? `${stem} (${peer.label}, peer)` : stem,
    peer ? 'peer' : report ? report.pipeline : 'none',
    peer ? '–' : res ? f2(res.paramsPercent, 1) : '100',
    peer ? '–' : res ? `${f2(res.eq11Rate, 1)}×` : '1×',
    peer ? String(peer.bytes.total) : res ? String(res.fileBytes) : '–',
    peer ? '–' : res ? f2(res.macsPercent, 1) : '100',
    res ? `${f2(report.baseline.stoi * 100)} → ${f2(res.val.stoi * 100)}` : '–',
    res ? `${f2(report.baseline.pesq_nb, 3)} → ${f2(res.val.pesq_nb, 3)}` : '–',
    o ? `${pct(o.mixture.stoi)} → ${pct(o.enhanced.stoi)}` : '–',
    o ? `${f2(o.mixture.pesq_nb, 3)} → ${f2(o.enhanced.pesq_nb, 3)}` : '–',
    o ? `${f2(o.mixture.pesq_wb, 3)} → ${f2(o.enhanced.pesq_wb, 3)}` : '–',
    o ? `${f2(o.mixture.sisnr)} → ${f2(o.enhanced.sisnr)}` : '–',
    ...(score ? score.conditions.map((c) => pct(c.enhanced.stoi)) : []),
  ]);
}
const fixed = 12;
const mixRow = mixScore ? ['unprocessed mixture', ...Array(fixed - 1).fill(''), ...mixScore.conditions.map((c) => pct(c.mixture.stoi))] : null;
const head = ['model', 'pipeline', 'params %', 'eq. 11 rate', 'file bytes', 'MACs %', 'val STOI % (in → out)', 'val PESQ-NB (in → out)',
  'test STOI % (mix → model)', 'test PESQ-NB', 'test PESQ-WB', 'test SI-SNR dB', ...(conds ?? []).map((c) => `STOI % ${c}`)];
const line = (cols) => `| ${cols.join(' | ')} |`;
console.log(line(head));
console.log(line(head.map(() => '---')));
if (mixRow) console.log(line(mixRow));
for (const r of rows) console.log(line(r));
if (peerRows.length) {
  const ph = ['peer', 'package', 'rate', 'delay removed (samples)', 'lag after compensation (16 kHz samples: files)', 'bytes (wasm + worklet script)', 'µs / 10 ms p50', 'µs / 10 ms p99', 'load average'];
  console.log('');
  console.log(line(ph));
  console.log(line(ph.map(() => '---')));
  for (const r of peerRows) console.log(line(r));
}
