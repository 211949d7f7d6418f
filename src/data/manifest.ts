/**
 * The corpus manifest: one CSV row per 16 kHz mono 16-bit WAV clip of a corpus folder
 * (`DIR/manifest.csv`, written by `hushpack corpus build`, read by `openCorpus`).
 *
 * Columns, in this order (shared/corpus/SOURCES.md):
 *   path         clip path relative to the corpus folder, '/'-separated
 *   role         'speech' or 'noise'
 *   group        speaker (speech) or noise source/type (noise); speakers never span two splits
 *   lang         BCP-47-ish language tag of speech ('en-US', 'cs'); 'mul' for babble; '' for noise
 *   package      Debian package(s) the audio comes from ('a+b' when built from several)
 *   licence      licence of that audio (SPDX-like, as in SOURCES.md)
 *   source_rate  sample rate of the original recording in Hz (before resampling to 16 kHz)
 *   seconds      clip length in seconds (samples / 16000, exact)
 *   split        'train' | 'validation' | 'test' for material the mixer uses; 'babble' for the
 *                klettres/ktuberling voices that only feed the built babble (never clean targets)
 *   category     optional 10th column (corpus v2): the noise category ('typing', 'traffic', …);
 *                read when present, '' otherwise
 *
 * CSV dialect: RFC 4180 (comma separator, '"' quoting when a field holds a comma, quote or
 * newline, '\n' line ends, header line first).
 */
import { UserError } from '../errors.js';

/** Manifest column names in file order. */
export const MANIFEST_COLUMNS = ['path', 'role', 'group', 'lang', 'package', 'licence', 'source_rate', 'seconds', 'split'] as const;

/** The optional column after MANIFEST_COLUMNS (corpus v2). */
export const MANIFEST_CATEGORY_COLUMN = 'category';

/** Role of a clip. */
export type ClipRole = 'speech' | 'noise';

/** Splits the mixer draws from (speaker- and language-disjoint). */
export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
/** One of SPLIT_NAMES. */
export type SplitName = (typeof SPLIT_NAMES)[number];

/** Split value of a manifest row: a mixer split, or 'babble' (babble source material only). */
export type ManifestSplit = SplitName | 'babble';

/** One manifest row (column `source_rate` is `sourceRateHz` here). */
export interface ManifestRow {
  path: string;
  role: ClipRole;
  group: string;
  lang: string;
  package: string;
  licence: string;
  sourceRateHz: number;
  seconds: number;
  split: ManifestSplit;
  /** Noise category (optional column `category`; absent in corpus v1 manifests). */
  category?: string;
}

/** Is `s` one of the mixer splits? */
export function isSplitName(s: string): s is SplitName {
  return (SPLIT_NAMES as readonly string[]).includes(s);
}

/** One CSV field, quoted (RFC 4180: doubled quotes) when it holds a comma, quote or line break. */
export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Serialises rows (in the given order) to manifest CSV text, header included. */
export function manifestFormat(rows: readonly ManifestRow[]): string {
  const lines = [MANIFEST_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [r.path, r.role, r.group, r.lang, r.package, r.licence, String(r.sourceRateHz), String(r.seconds), r.split]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** Splits RFC 4180 CSV text into records of fields. `name` is used in error messages. */
export function csvParse(text: string, name: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  let line = 1;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      line++;
    } else field += c;
    i++;
  }
  if (quoted) throw new UserError(`${name}: unterminated quoted field at line ${line}`);
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/**
 * Parses manifest CSV text. Checks the header, the column count, roles, splits and numbers of
 * every row; errors name the file, the line and the value at fault.
 */
export function manifestParse(text: string, name: string): ManifestRow[] {
  const records = csvParse(text, name).filter((r) => !(r.length === 1 && r[0] === ''));
  if (records.length === 0) throw new UserError(`${name}: empty manifest (expected header ${MANIFEST_COLUMNS.join(',')})`);
  const header = records[0].join(',');
  const withCategory = header === [...MANIFEST_COLUMNS, MANIFEST_CATEGORY_COLUMN].join(',');
  if (header !== MANIFEST_COLUMNS.join(',') && !withCategory) {
    throw new UserError(`${name}: header is "${header}", expected "${MANIFEST_COLUMNS.join(',')}" (optionally followed by ",${MANIFEST_CATEGORY_COLUMN}")`);
  }
  const columns = MANIFEST_COLUMNS.length + (withCategory ? 1 : 0);
  const rows: ManifestRow[] = [];
  for (let k = 1; k < records.length; k++) {
    const f = records[k];
    const where = `${name} line ${k + 1}`;
    if (f.length !== columns) throw new UserError(`${where}: ${f.length} fields, expected ${columns}`);
    const [path, role, group, lang, pkg, licence, rate, seconds, split] = f;
    if (role !== 'speech' && role !== 'noise') throw new UserError(`${where}: role "${role}" is not speech or noise`);
    if (!isSplitName(split) && split !== 'babble') throw new UserError(`${where}: split "${split}" is not train, validation, test or babble`);
    const sourceRateHz = Number(rate);
    const secs = Number(seconds);
    if (!Number.isInteger(sourceRateHz) || sourceRateHz <= 0) throw new UserError(`${where}: source_rate "${rate}" is not a positive integer`);
    if (!Number.isFinite(secs) || secs <= 0) throw new UserError(`${where}: seconds "${seconds}" is not a positive number`);
    if (path === '' || path.startsWith('/') || path.split('/').includes('..')) throw new UserError(`${where}: path "${path}" must be relative and inside the corpus`);
    if (group === '') throw new UserError(`${where}: empty group`);
    const row: ManifestRow = { path, role, group, lang, package: pkg, licence, sourceRateHz, seconds: secs, split };
    if (withCategory) row.category = f[MANIFEST_COLUMNS.length];
    rows.push(row);
  }
  return rows;
}

/** Total minutes of speech per split value (babble material included under 'babble'). */
export function manifestSpeechMinutes(rows: readonly ManifestRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) if (r.role === 'speech') out[r.split] = (out[r.split] ?? 0) + r.seconds / 60;
  return out;
}
