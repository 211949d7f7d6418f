/**
 * A score file as plain text, laid out like Tan & Wang's Table I: one row per metric × noise,
 * one column per SNR plus the mean over the SNRs, each cell "mixture → enhanced".
 */
import { scoreValue, type ScoreCondition, type ScoreFile, type MetricsJson } from './scoreFile.js';

/** Metrics in the table: key, label, scale applied for display, decimals. */
export const SCORE_TABLE_METRICS: readonly { key: string; label: string; scale: number; digits: number }[] = [
  { key: 'stoi', label: 'STOI (%)', scale: 100, digits: 2 },
  { key: 'estoi', label: 'ESTOI (%)', scale: 100, digits: 2 },
  { key: 'pesq_nb', label: 'PESQ-NB', scale: 1, digits: 3 },
  { key: 'pesq_wb', label: 'PESQ-WB', scale: 1, digits: 3 },
  { key: 'sisnr', label: 'SI-SNR (dB)', scale: 1, digits: 2 },
  { key: 'sdr', label: 'SDR (dB)', scale: 1, digits: 2 },
];

/** Count-weighted mean of one metric over groups (the mean over their pairs); null if none has it. */
export function scoreMeanOver(groups: readonly { count: number; m: MetricsJson }[], key: string): number | null {
  let s = 0;
  let n = 0;
  for (const g of groups) {
    const v = scoreValue(g.m, key);
    if (v === null) continue;
    s += v * g.count;
    n += g.count;
  }
  return n ? s / n : null;
}

/** Noises and SNRs of the conditions, in order of appearance. */
export function scoreAxes(conditions: readonly ScoreCondition[]): { noises: string[]; snrs: number[] } {
  return { noises: [...new Set(conditions.map((c) => c.noise))], snrs: [...new Set(conditions.map((c) => c.snrDb))] };
}

function cell(a: number | null, b: number | null, scale: number, digits: number): string {
  const f = (v: number | null) => (v === null || !Number.isFinite(v) ? (v === null ? '–' : String(v)) : (v * scale).toFixed(digits));
  return `${f(a)} → ${f(b)}`;
}

/** The table and a summary, as lines of text (tab-free, aligned with spaces). */
export function scoreText(s: ScoreFile): string {
  const { noises, snrs } = scoreAxes(s.conditions);
  const head = ['metric', 'noise', ...snrs.map((d) => `${d} dB`), 'mean'];
  const rows: string[][] = [];
  for (const m of SCORE_TABLE_METRICS) {
    for (const noise of noises) {
      const row = [m.label, noise];
      const conds = s.conditions.filter((c) => c.noise === noise);
      for (const snr of snrs) {
        const c = conds.find((x) => x.snrDb === snr);
        row.push(c ? cell(scoreValue(c.mixture, m.key), scoreValue(c.enhanced, m.key), m.scale, m.digits) : '–');
      }
      row.push(cell(scoreMeanOver(conds.map((c) => ({ count: c.count, m: c.mixture })), m.key), scoreMeanOver(conds.map((c) => ({ count: c.count, m: c.enhanced })), m.key), m.scale, m.digits));
      rows.push(row);
    }
    rows.push([m.label, 'all', ...snrs.map(() => ''), cell(scoreValue(s.overall.mixture, m.key), scoreValue(s.overall.enhanced, m.key), m.scale, m.digits)]);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const counts = s.conditions.map((c) => c.count);
  const per = Math.min(...counts) === Math.max(...counts) ? `${counts[0]} per condition` : `${Math.min(...counts)}–${Math.max(...counts)} per condition`;
  const e = s.enhancement;
  const p = s.peer;
  const peerLines = p
    ? [`peer ${p.label} (${p.package} ${p.packageVersion}) at ${p.sampleRateHz} Hz: delay ${p.delay.samples} samples (${p.delay.ms.toFixed(2)} ms) removed; ` +
        `lag after compensation (16 kHz samples: files) ${Object.entries(p.lagAfterCompensation).map(([l, n]) => `${l}: ${n}`).join(', ')}; ` +
        `${p.bytes.total} bytes (${p.bytes.wasmFile} ${p.bytes.wasm} + ${p.bytes.scriptFile} ${p.bytes.script}); ` +
        `${p.cost.usP50.toFixed(1)} µs p50 / ${p.cost.usP99.toFixed(1)} µs p99 per 10 ms of audio, one core (load average ${p.cost.loadAverage.join(' ')})`]
    : [];
  return [
    `${s.model.path} (${s.model.description}, ${s.model.backend}) on ${s.testset.path}: ${s.overall.count} pairs (${per}); mixture → enhanced`,
    line(head),
    ...rows.map(line),
    `enhancement: ${e.seconds.toFixed(2)} s for ${e.audioSeconds.toFixed(1)} s of audio (RTF ${e.rtf.toFixed(4)}); ` +
      `mixture scores: ${s.mixtureCache.reused} from the cache, ${s.mixtureCache.computed} computed; total ${s.seconds.toFixed(1)} s`,
    ...peerLines,
  ].join('\n');
}
