/**
 * The text the demo prints: the model (size, compression rates, cost, latency), one row per clip
 * with STOI and PESQ before → after (and the mean), and the per-hop compute time measured on the
 * WASM Enhancer. Plain text, fixed-width columns (the HTML report shows the same numbers).
 */
import { relative } from 'node:path';
import type { DemoReport, DemoScores } from './run.js';

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Bytes as "812.4 KiB" / "4.71 MiB". */
export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

/** A count as "1.23 M" / "45.6 k". */
export function fmtCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(Math.round(n));
}

/** µs with thousands separators ("1,340 µs"), one decimal below 100 µs. */
export function fmtUs(us: number): string {
  return us < 100 ? `${us.toFixed(1)} µs` : `${fmtInt(us)} µs`;
}

/** "before → after (+delta)" with `digits` decimals; '-' when missing. */
export function fmtChange(before: number | null, after: number | null, digits: number, scale = 1): string {
  if (before === null || after === null || !Number.isFinite(before) || !Number.isFinite(after)) return '-';
  const d = (after - before) * scale;
  return `${(before * scale).toFixed(digits)} → ${(after * scale).toFixed(digits)} (${d >= 0 ? '+' : ''}${d.toFixed(digits)})`;
}

/** The metric columns of the table: header, value of a score pair. */
export const DEMO_COLUMNS: readonly { head: string; cell: (b: DemoScores, a: DemoScores) => string }[] = [
  { head: 'STOI (%)', cell: (b, a) => fmtChange(b.stoi, a.stoi, 1, 100) },
  { head: 'PESQ-NB (P.862.1)', cell: (b, a) => fmtChange(b.pesq_nb, a.pesq_nb, 2) },
  { head: 'PESQ-WB (P.862.2)', cell: (b, a) => fmtChange(b.pesq_wb, a.pesq_wb, 2) },
  { head: 'SI-SNR (dB)', cell: (b, a) => fmtChange(b.sisnr, a.sisnr, 1) },
];

/** Model lines (shared by the text and the HTML report). */
export function demoModelLines(r: DemoReport): string[] {
  const m = r.model;
  return [
    `model ${m.name}: ${m.description}`,
    `size ${fmtBytes(m.fileBytes)} (${fmtInt(m.fileBytes)} bytes); ${fmtInt(m.parameters)} parameters = ${fmtBytes(m.float32Bytes)} as float32, ${fmtInt(m.nonzeros)} nonzero after compression`,
    `compression rate ${m.paperRate.toFixed(2)}× (paper eq. 11), ${m.actualRate.toFixed(2)}× (actual: float32 bytes / file bytes)`,
    `WASM ${m.flavor}, plan ${m.plan}: ${fmtCount(m.macsPerHop)} MACs per 10-ms hop, ${fmtBytes(m.memoryBytes)} WASM memory; ` +
      `algorithmic latency ${m.latencyMs.toFixed(1)} ms (${m.latencySamples} samples at 16 kHz)`,
  ];
}

/** The per-hop compute-time line. */
export function demoLatencyLine(r: DemoReport): string {
  const l = r.latency;
  return (
    `per-hop compute (WASM ${r.model.flavor}, ${fmtInt(l.hops)} hops over ${r.clips.length} clips): p50 ${fmtUs(l.usP50)}, p99 ${fmtUs(l.usP99)}, ` +
    `max ${fmtUs(l.usMax)}, mean ${fmtUs(l.usMean)} of a ${fmtUs(l.budgetUs)} budget (real-time factor ${l.rtf.toFixed(3)}, ${l.misses} hops over budget)`
  );
}

/** One line per peer: its cost, size and delay (shared by the text and the HTML report). */
export function demoPeerLine(p: DemoReport['peers'][number]): string {
  return `${p.description}: ${fmtBytes(p.bytes)} (wasm + worklet script), ${fmtUs(p.usP50)} p50 / ${fmtUs(p.usP99)} p99 per 10 ms of audio (one core), ` +
    `delay ${p.delayMs.toFixed(1)} ms removed; ${p.licence}`;
}

/** The whole printed report. */
export function demoTable(r: DemoReport): string {
  const nameW = Math.max(4, ...r.clips.map((c) => c.name.length)) + 2;
  const rows: string[][] = r.clips.map((c) => [c.name, ...DEMO_COLUMNS.map((col) => col.cell(c.before, c.after))]);
  rows.push(['mean', ...DEMO_COLUMNS.map((col) => col.cell(r.mean.before, r.mean.after))]);
  // The peers' means over the same clips (per clip: report.html and demo.json).
  const peerRows: string[][] = r.peers.map((p) => [`${p.label} (peer)`, ...DEMO_COLUMNS.map((col) => col.cell(r.mean.before, p.mean))]);
  const head = ['clip', ...DEMO_COLUMNS.map((c) => `${c.head} before → after`)];
  const widths = head.map((h, k) => Math.max(h.length, ...[...rows, ...peerRows].map((row) => row[k].length)) + 2);
  widths[0] = Math.max(widths[0], nameW);
  const line = (cells: string[]) => cells.map((c, k) => c.padEnd(widths[k])).join('').trimEnd();
  // Relative to the working directory when inside it, else absolute.
  const rel = (p: string) => {
    const r = relative(process.cwd(), p);
    return r === '' ? '.' : r.startsWith('..') ? p : r;
  };
  const out = rel(r.outDir);
  return [
    'hushpack demo',
    ...demoModelLines(r).map((l) => `  ${l}`),
    '',
    line(head),
    ...rows.slice(0, -1).map(line),
    line(rows[rows.length - 1]),
    ...(peerRows.length ? ['', 'peers on the same clips, mean (per clip in report.html):', ...peerRows.map(line), ...r.peers.map((p) => `  ${demoPeerLine(p)}`)] : []),
    ...(r.peersNote ? [`(${r.peersNote})`] : []),
    '',
    demoLatencyLine(r),
    `wrote ${out}/${r.files.report}, ${out}/enhanced/*.wav (${r.files.enhanced.length} files), ${out}/${r.files.json}  (${r.seconds.toFixed(1)} s)`,
  ].join('\n');
}
