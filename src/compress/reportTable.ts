/** HTML table helpers of `hushpack report` (reportHtml.ts, reportScores.ts). */

/** HTML-escapes text. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A number with `digits` decimals, '–' when absent or not finite. */
export function num(v: number | null | undefined, digits: number): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);
}

/** A table with a caption, one header row, row headers in the first column and an optional note ('' when no rows). */
export function table(caption: string, head: string[], rows: string[][], note?: string): string {
  if (rows.length === 0) return '';
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('\n');
  return `<table><caption>${esc(caption)}</caption><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>${note ? `<p class="note">${esc(note)}</p>` : ''}`;
}
