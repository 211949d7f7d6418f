/**
 * Shared helpers of the metric tests: the project's metric fixtures (../shared/fixtures/metrics,
 * see its README.md) and their expected values.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Folder of the metric fixtures, resolved from this file (test/metrics/ → ../shared/fixtures/metrics). */
export const FIXTURE_DIR = fileURLToPath(new URL('../../../shared/fixtures/metrics/', import.meta.url));

/** One row of expected.tsv: file names and expected values (Infinity where "inf"). */
export interface ExpectedRow {
  ref: string;
  deg: string;
  pesq_nb: number;
  pesq_nb_raw: number;
  pesq_wb: number;
  stoi: number;
  estoi: number;
  sisnr_db: number;
  sdr_db: number;
  sdr_bss_db: number;
}

/** Parses expected.tsv by its header. */
export function expectedRows(): ExpectedRow[] {
  const lines = readFileSync(FIXTURE_DIR + 'expected.tsv', 'utf8').trim().split('\n');
  const head = lines[0].split('\t');
  return lines.slice(1).map((line) => {
    const cols = line.split('\t');
    const row: Record<string, string | number> = {};
    head.forEach((h, i) => {
      const v = cols[i];
      row[h] = h === 'ref' || h === 'deg' ? v : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v);
    });
    return row as unknown as ExpectedRow;
  });
}
