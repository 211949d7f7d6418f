/**
 * Lists of (reference, degraded) file pairs as tab-separated text: a header row naming the
 * columns, which must include `ref` and `deg` (other columns are ignored), then one pair per row.
 * Blank lines and lines starting with `#` are skipped; relative paths are relative to the list.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { EvalPair } from './batch.js';

/** Parses pair-list text; `name` is used in messages and its folder resolves relative paths. */
export function pairListParse(text: string, name: string): EvalPair[] {
  const lines = text.split(/\r?\n/);
  const base = dirname(resolve(name));
  let header: string[] | null = null;
  let refCol = -1;
  let degCol = -1;
  const pairs: EvalPair[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '' || line.startsWith('#')) continue;
    const cols = line.split('\t').map((c) => c.trim());
    if (!header) {
      header = cols;
      refCol = cols.indexOf('ref');
      degCol = cols.indexOf('deg');
      if (refCol < 0 || degCol < 0) {
        throw new UserError(`${name}:${i + 1}: header must name a "ref" and a "deg" column (tab-separated), got ${JSON.stringify(line)}`);
      }
      continue;
    }
    const ref = cols[refCol];
    const deg = cols[degCol];
    if (!ref || !deg) throw new UserError(`${name}:${i + 1}: row has no ${!ref ? 'ref' : 'deg'} entry`);
    pairs.push({ ref: resolve(base, ref), deg: resolve(base, deg) });
  }
  if (!header) throw new UserError(`${name}: empty pair list (expected a header with "ref" and "deg" columns)`);
  if (pairs.length === 0) throw new UserError(`${name}: no pairs listed below the header`);
  return pairs;
}

/** Reads and parses a pair-list file. */
export function pairListRead(path: string): EvalPair[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return pairListParse(text, path);
}
