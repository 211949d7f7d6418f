/**
 * The test-set tables of `hushpack report`, after Tan & Wang's Table I: from the score files of
 * `hushpack evalset --split test` (`*.score.json`), per model the test STOI and PESQ in each noise ×
 * SNR condition and their mean, under a row for the unprocessed mixture, with the model's size and
 * eq. 11 compression rate where the results folder says them:
 *   <stem>.score.json ↔ <stem>.report.json (a compressed model: eq. 11 size and rate)
 *                     ↔ <stem>.safetensors  (an uncompressed checkpoint: float32 size, 1×)
 * (or the report whose .hush output, or the checkpoint whose path, is the scored model's path; a
 * model that is a report's input counts as uncompressed). Peers (`hushpack evalset --peer`, score
 * files with a `peer` block) get rows beside the models, sized by their wasm + worklet script, and a
 * table of their own: rate, delay, bytes, µs per 10 ms.
 * Score files of different test sets (manifest hash) or --limit get separate tables.
 */
import { basename } from 'node:path';
import { scoreValue, type ScoreFile, type ScoreGroup } from '../evaluate/scoreFile.js';
import { scoreAxes, scoreMeanOver } from '../evaluate/scoreText.js';
import { modelLabel, type ReportInputs } from './reportData.js';
import { num, table } from './reportTable.js';

type Score = ScoreFile & { file: string };

/** Metrics of the tables: key, caption label, display scale, decimals. */
const TEST_METRICS = [
  { key: 'stoi', label: 'STOI (%)', scale: 100, digits: 2 },
  { key: 'pesq_nb', label: 'PESQ (narrow band, P.862.1)', scale: 1, digits: 3 },
  { key: 'pesq_wb', label: 'PESQ (wide band, P.862.2)', scale: 1, digits: 3 },
] as const;

function stem(file: string, suffix: string): string {
  const b = basename(file);
  return b.endsWith(suffix) ? b.slice(0, -suffix.length) : b;
}

/** Label, size and rate of a scored model, from its report or checkpoint when there is one. */
function scoredModel(s: Score, inputs: ReportInputs): { label: string; size: string; rate: string } {
  const st = stem(s.file, '.score.json');
  if (s.peer) return { label: `${s.peer.label} (peer, ${st})`, size: `${num(s.peer.bytes.total / 2 ** 20, 3)} MiB (wasm + JS)`, rate: '–' };
  const report = inputs.reports.find((r) => stem(r.file, '.report.json') === st || r.output === s.model.path);
  if (report) return { label: `${modelLabel(report)} (${st})`, size: `${num(report.result.eq11MiB, 3)} MiB`, rate: `${num(report.result.eq11Rate, 1)}×` };
  const ckpt = inputs.models.find((m) => stem(m.file, '.safetensors') === st || s.model.path.endsWith(`/${m.file}`));
  if (ckpt) return { label: `${ckpt.arch.toUpperCase()}_U (${st})`, size: `${num(ckpt.float32MiB, 3)} MiB`, rate: '1×' };
  const input = inputs.reports.find((r) => r.input === s.model.path);
  if (input) return { label: `${input.arch.toUpperCase()}_U (${st})`, size: `${num(input.result.float32MiB, 3)} MiB`, rate: '1×' };
  return { label: `${s.model.arch.toUpperCase()} (${st})`, size: `${num(s.model.bytes / 2 ** 20, 3)} MiB (file)`, rate: '–' };
}

/** Cells of one row: each condition, then the mean over all pairs. */
function cells(s: Score, g: (c: ScoreGroup) => ScoreGroup['mixture'], conds: { noise: string; snr: number }[], key: string, scale: number, digits: number): string[] {
  const out = conds.map(({ noise, snr }) => {
    const c = s.conditions.find((x) => x.noise === noise && x.snrDb === snr);
    const v = c ? scoreValue(g(c), key) : null;
    return num(v === null ? null : v * scale, digits);
  });
  const mean = scoreMeanOver(s.conditions.map((c) => ({ count: c.count, m: g(c) })), key);
  out.push(num(mean === null ? null : mean * scale, digits));
  return out;
}

/** The peers' own table: how each ran, its delay, size and cost (HTML; '' without peers). */
function tablePeers(scores: readonly Score[]): string {
  const peers = scores.filter((s) => s.peer);
  if (peers.length === 0) return '';
  const rows = peers.map((s) => {
    const p = s.peer!;
    return [
      `${p.label} (${s.file})`, `${p.package} ${p.packageVersion}`, `${p.sampleRateHz / 1000} kHz, frame ${p.frameSamples}`,
      `${p.delay.samples} (${num(p.delay.ms, 2)} ms)`, Object.entries(p.lagAfterCompensation).map(([l, n]) => `${l}: ${n}`).join(', '),
      `${p.bytes.total} (${p.bytes.wasm} + ${p.bytes.script})`, num(p.cost.usP50, 1), num(p.cost.usP99, 1), p.cost.loadAverage.join(' '), p.licence,
    ];
  });
  return table(
    'Peers — how they ran, their size and cost',
    ['peer', 'package', 'rate', 'delay removed (samples)', 'lag after (16 kHz: files)', 'bytes (wasm + script)', 'µs / 10 ms p50', 'µs / 10 ms p99', 'load average', 'licences'],
    rows,
    'Run in Node through hushpack\'s AudioWorklet host (src/peers/), 128-sample quanta at each peer\'s own rate, a fresh processor per file, the tail flushed; the fixed delay found by cross-correlation on clean test-set speech and removed. Cost: process() time per 10 ms of audio on one core, from blocks of whole peer frames, each instance\'s first 100 ms left out; our models\' per-hop cost is hushpack bench\'s.',
  );
}

/** The tables (HTML; '' when the folder holds no score file). */
export function tablesTest(inputs: ReportInputs): string {
  if (inputs.scores.length === 0) return '';
  const groups = new Map<string, Score[]>();
  for (const s of inputs.scores) {
    const k = `${s.testset.manifestSha256}/${s.testset.limitPerCondition ?? 'all'}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(s);
  }
  const parts: string[] = [];
  for (const scores of groups.values()) {
    scores.sort((a, b) => a.file.localeCompare(b.file));
    const first = scores[0];
    const { noises, snrs } = scoreAxes(first.conditions);
    const conds = noises.flatMap((noise) => snrs.map((snr) => ({ noise, snr })));
    const head = ['model', 'backend', ...conds.map((c) => `${c.noise} ${c.snr} dB`), 'mean', 'size (eq. 11)', 'rate (eq. 11)'];
    const counts = first.conditions.map((c) => c.count);
    const per = Math.min(...counts) === Math.max(...counts) ? `${counts[0]}` : `${Math.min(...counts)}–${Math.max(...counts)}`;
    for (const m of TEST_METRICS) {
      const rows: string[][] = [['unprocessed mixture', '–', ...cells(first, (c) => c.mixture, conds, m.key, m.scale, m.digits), '–', '–']];
      for (const s of scores) {
        const sm = scoredModel(s, inputs);
        rows.push([sm.label, s.model.backend, ...cells(s, (c) => c.enhanced, conds, m.key, m.scale, m.digits), sm.size, sm.rate]);
      }
      parts.push(table(
        `Test set — ${m.label}: ${first.overall.count} pairs (${per} per condition)`,
        head,
        rows,
        m.key === 'stoi'
          ? `From ${scores.map((s) => s.file).join(', ')} (hushpack evalset --split test; test set ${first.testset.manifestSha256.slice(0, 12)}…). Every other metric (ESTOI, SI-SNR, SDR) is in the score files.`
          : undefined,
      ));
    }
  }
  parts.push(tablePeers(inputs.scores));
  return parts.join('\n');
}
