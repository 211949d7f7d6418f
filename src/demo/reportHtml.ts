/**
 * The demo's HTML report (OUT/report.html): one self-contained page — no scripts, no network —
 * with the model summary, the before → after table, the per-hop compute-time histogram (inline
 * SVG) and, per clip, the spectrograms of noisy / enhanced / clean (inline PNG data: URIs, one
 * shared dB scale per clip) with audio players linking the WAVs next to the report
 * (relative links: keep the folder together).
 */
import { fmtUs, DEMO_COLUMNS, demoLatencyLine, demoModelLines, demoPeerLine } from './table.js';
import { hushpackVersion } from './paths.js';
import { SPECTROGRAM_RANGE_DB, pngDataUri } from './spectrogram.js';
import type { DemoLatency, DemoRendered } from './run.js';

/** Escapes text for HTML content and attribute values. */
export function htmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A relative file path as an href (each segment URI-encoded). */
function href(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/**
 * Histogram of per-hop compute time as an SVG bar chart: x logarithmic in µs (the bins of
 * DemoLatency.histogram are log-spaced), y hops; p50, p99 and the 10-ms budget marked when in range.
 */
export function latencyHistogramSvg(l: DemoLatency, width = 640, height = 190): string {
  const { edgesUs, counts } = l.histogram;
  const pad = { l: 48, r: 28, t: 10, b: 34 };
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const maxC = Math.max(1, ...counts);
  const x0 = Math.log10(edgesUs[0]);
  const x1 = Math.log10(edgesUs[edgesUs.length - 1]);
  const sx = (us: number) => pad.l + ((Math.log10(us) - x0) / (x1 - x0)) * w;
  const sy = (c: number) => pad.t + h - (c / maxC) * h;
  const parts: string[] = [];
  counts.forEach((c, k) => {
    if (c === 0) return;
    const a = sx(edgesUs[k]);
    const b = sx(edgesUs[k + 1]);
    const top = Math.min(sy(c), pad.t + h - 1.5); // a bar of a few hops stays visible
    parts.push(`<rect x="${a.toFixed(1)}" y="${top.toFixed(1)}" width="${Math.max(0.5, b - a - 1).toFixed(1)}" height="${(pad.t + h - top).toFixed(1)}" fill="#4a6fa5"><title>${Math.round(edgesUs[k])}–${Math.round(edgesUs[k + 1])} µs: ${c} hops</title></rect>`);
  });
  // decade ticks (and 2×, 5× when there are few decades)
  const decades = x1 - x0;
  for (let d = Math.floor(x0); d <= Math.ceil(x1); d++) {
    for (const m of decades <= 2.5 ? [1, 2, 5] : [1]) {
      const us = m * 10 ** d;
      const lg = Math.log10(us);
      if (lg < x0 - 1e-9 || lg > x1 + 1e-9) continue;
      const x = sx(us).toFixed(1);
      parts.push(`<line x1="${x}" x2="${x}" y1="${pad.t + h}" y2="${pad.t + h + 4}" stroke="#333"/><text x="${x}" y="${height - 18}" font-size="11" text-anchor="middle">${us >= 1000 ? `${us / 1000} ms` : `${us} µs`}</text>`);
    }
  }
  parts.push(`<text x="${pad.l + w / 2}" y="${height - 3}" font-size="11" text-anchor="middle">compute time per 10-ms hop (log scale)</text>`);
  parts.push(`<text x="12" y="${pad.t + h / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${pad.t + h / 2})">hops</text>`);
  parts.push(`<text x="${pad.l - 4}" y="${pad.t + 9}" font-size="10" text-anchor="end">${maxC}</text>`);
  const marks: [number, string, string, number][] = [[l.usP50, `p50 ${fmtUs(l.usP50)}`, '#2a9d4b', 22], [l.usP99, `p99 ${fmtUs(l.usP99)}`, '#d9822b', 36]];
  if (l.budgetUs <= edgesUs[edgesUs.length - 1]) marks.push([l.budgetUs, 'budget 10 ms', '#c0392b', 50]);
  for (const [us, label, colour, dy] of marks) {
    const x = sx(us);
    const right = x > pad.l + w - 90;
    parts.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${pad.t}" y2="${pad.t + h}" stroke="${colour}" stroke-dasharray="4 3"/><text x="${x.toFixed(1)}" y="${pad.t + dy}" font-size="10" fill="${colour}" dx="${right ? -3 : 3}" text-anchor="${right ? 'end' : 'start'}">${label}</text>`);
  }
  parts.push(`<line x1="${pad.l}" x2="${pad.l + w}" y1="${pad.t + h}" y2="${pad.t + h}" stroke="#333"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="histogram of per-hop compute time">${parts.join('')}</svg>`;
}

/** Options of demoReportHtml. */
export interface DemoHtmlOptions {
  /** Relative link to the clips' ATTRIBUTION.md, when copied next to the report. */
  clipsAttribution?: string | null;
}

/** The report page (see the file comment). */
export function demoReportHtml(rendered: DemoRendered, opts: DemoHtmlOptions = {}): string {
  const r = rendered.report;
  const e = htmlEscape;
  const head = ['clip', ...DEMO_COLUMNS.map((c) => `${c.head}<br><small>before → after</small>`)];
  const row = (cells: string[], cls = '') => `<tr${cls ? ` class="${cls}"` : ''}>${cells.map((c, k) => (k === 0 ? `<th scope="row">${c}</th>` : `<td>${c}</td>`)).join('')}</tr>`;
  const table = [
    '<table class="scores"><thead><tr>',
    ...head.map((h) => `<th scope="col">${h}</th>`),
    '</tr></thead><tbody>',
    ...r.clips.map((c, k) => row([`<a href="#clip-${k + 1}">${e(c.name)}</a>`, ...DEMO_COLUMNS.map((col) => e(col.cell(c.before, c.after)))])),
    row(['mean', ...DEMO_COLUMNS.map((col) => e(col.cell(r.mean.before, r.mean.after)))], 'mean'),
    '</tbody></table>',
  ].join('');
  // The peers on the same clips: one table, a group of rows per peer (each clip, then the mean).
  const peerTable = r.peers.length === 0 ? (r.peersNote ? `<p class="note">${e(r.peersNote)}</p>` : '') : [
    '<h2>Peers on the same clips</h2><table class="scores"><thead><tr>',
    ...['peer', 'clip', ...DEMO_COLUMNS.map((c) => `${c.head}<br><small>before → after</small>`)].map((h) => `<th scope="col">${h}</th>`),
    '</tr></thead><tbody>',
    ...r.peers.flatMap((p) => [
      ...r.clips.map((c, k) => `<tr><th scope="row">${e(p.label)}</th><td>${e(c.name)} <a href="${href(p.enhanced[k])}">wav</a></td>${DEMO_COLUMNS.map((col) => `<td>${e(col.cell(c.before, p.after[k]))}</td>`).join('')}</tr>`),
      `<tr class="mean"><th scope="row">${e(p.label)}</th><td>mean</td>${DEMO_COLUMNS.map((col) => `<td>${e(col.cell(r.mean.before, p.mean))}</td>`).join('')}</tr>`,
    ]),
    '</tbody></table>',
    `<ul class="note">${r.peers.map((p) => `<li>${e(demoPeerLine(p))}</li>`).join('')}</ul>`,
    '<p class="note">Peers: @sapphi-red/web-noise-suppressor\'s AudioWorklet processors run in Node by hushpack\'s worklet host (src/peers/), at their own rate, fed the clips as written, their fixed delay (cross-correlation on the clean clips) removed. Cost: process() time per 10 ms of audio.</p>',
  ].join('');
  const clips = r.clips
    .map((c, k) => {
      const s = rendered.spectrograms[k];
      const panel = (label: string, png: Uint8Array, wav: string) =>
        `<figure><figcaption>${label}</figcaption><img class="spec" alt="${e(`${label} spectrogram of ${c.name}`)}" src="${pngDataUri(png)}"><audio controls preload="none" src="${href(wav)}"></audio><a class="dl" href="${href(wav)}">${e(wav)}</a></figure>`;
      return [
        `<section class="clip" id="clip-${k + 1}"><h3>${e(c.name)}</h3>`,
        `<p class="scores-line">STOI ${e(DEMO_COLUMNS[0].cell(c.before, c.after))} %; PESQ-NB ${e(DEMO_COLUMNS[1].cell(c.before, c.after))}; PESQ-WB ${e(DEMO_COLUMNS[2].cell(c.before, c.after))}</p>`,
        '<div class="panels">',
        panel('noisy (input)', s.noisy, c.noisy),
        panel('enhanced', s.enhanced, c.enhanced),
        panel('clean (reference)', s.clean, c.clean),
        '</div></section>',
      ].join('');
    })
    .join('\n');
  const meta = Object.entries(r.model.metadata)
    .map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${e(v.length > 300 ? `${v.slice(0, 300)}…` : v)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hushpack demo — ${e(r.model.name)}</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5rem auto; max-width: 72rem; padding: 0 1rem; color: #1d1d1f; }
  h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; } h3 { font-size: 1.05rem; margin-bottom: .2rem; }
  ul.model { padding-left: 1.2rem; } code { background: #f2f2f4; padding: 0 .25rem; }
  table { border-collapse: collapse; } th, td { padding: .25rem .6rem; text-align: left; border-bottom: 1px solid #ddd; white-space: nowrap; }
  table.scores td { font-variant-numeric: tabular-nums; } tr.mean th, tr.mean td { font-weight: 600; border-top: 2px solid #999; }
  .panels { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: .8rem; }
  figure { margin: 0; } figcaption { font-size: .9rem; color: #555; }
  img.spec { width: 100%; height: 161px; image-rendering: pixelated; display: block; background: #000; }
  audio { width: 100%; margin-top: .3rem; } a.dl { font-size: .75rem; color: #666; word-break: break-all; }
  .scores-line { margin: 0 0 .4rem; font-size: .9rem; } .note { color: #555; font-size: .9rem; }
  details table { font-size: .85rem; }
</style>
</head>
<body>
<h1>hushpack demo</h1>
<p class="note">Causal speech enhancement (Tan &amp; Wang, TASLP 2021) compressed into a <code>.hush</code> file and run frame by frame (16 kHz, 10-ms hop) on the WebAssembly runtime.</p>
<h2>Model</h2>
<ul class="model">${demoModelLines(r).map((l) => `<li>${e(l)}</li>`).join('')}</ul>
${meta ? `<details><summary>file metadata</summary><table>${meta}</table></details>` : ''}
<h2>Quality: noisy → enhanced, against the clean reference</h2>
${table}
${peerTable}
<p class="note">Test-split speakers (never seen in training), babble and cafeteria noise. STOI in %, PESQ as MOS-LQO (narrow band P.862.1, wide band P.862.2), SI-SNR in dB; computed on the WAV files linked below.</p>
<h2>Latency</h2>
<p>${e(demoLatencyLine(r))}</p>
${latencyHistogramSvg(r.latency)}
<p class="note">Measured in Node on this machine: each <code>Enhancer.process</code> call (160 samples in, 160 out, JS↔WASM copies included) over every clip. In a browser, HushNode adds one 128-sample render quantum of buffering on top of the ${r.model.latencyMs.toFixed(1)} ms algorithmic latency (and resampling at 44.1/48 kHz).</p>
<h2>Clips</h2>
<p class="note">Spectrograms: 20-ms Hamming window, 10-ms hop, 0–8 kHz bottom to top; ${SPECTROGRAM_RANGE_DB} dB range per clip, same scale for the three panels.${opts.clipsAttribution ? ` Sources and licences of the audio: <a href="${href(opts.clipsAttribution)}">ATTRIBUTION.md</a>.` : ''}</p>
${clips}
<p class="note">hushpack ${e(hushpackVersion())} · <code>hushpack demo</code> · ${e(new Date().toISOString().replace(/\.\d+Z$/, 'Z'))} · ${r.seconds.toFixed(1)} s</p>
</body>
</html>
`;
}
