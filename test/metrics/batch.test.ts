/**
 * evaluatePairs and the pair list: results in input order, equal to evaluateFiles, on one thread
 * and (when dist/ is built) on worker threads; a failing pair is named; TSV parsing errors.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { batchWorkerPath, evaluatePairs, metricMeans } from '../../src/metrics/batch.js';
import { evaluateFiles } from '../../src/metrics/evaluate.js';
import { pairListParse } from '../../src/metrics/pairList.js';
import { FIXTURE_DIR } from './fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'hushpack-batch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const pairs = [
  { ref: FIXTURE_DIR + 'allison_clean.wav', deg: FIXTURE_DIR + 'allison_white_5.wav' },
  { ref: FIXTURE_DIR + 'allison_clean.wav', deg: FIXTURE_DIR + 'allison_babble_10.wav' },
];

describe('evaluatePairs', () => {
  const expected = pairs.map((p) => evaluateFiles(p.ref, p.deg));

  it('one thread: same results as evaluateFiles, in order, with progress', async () => {
    const seen: number[] = [];
    const r = await evaluatePairs(pairs, { threads: 1, onProgress: (d) => seen.push(d) });
    expect(r).toEqual(expected);
    expect(seen).toEqual([1, 2]);
    const m = metricMeans(r);
    expect(m.stoi).toBeCloseTo((expected[0].stoi + expected[1].stoi) / 2, 12);
  });

  it('worker threads: same results (needs dist/, built by npm run build:ts)', async () => {
    let worker: string | null = null;
    try {
      worker = batchWorkerPath();
    } catch (err) {
      expect((err as Error).message).toMatch(/npm run build:ts/);
    }
    if (!worker) {
      await expect(evaluatePairs(pairs, { threads: 2 })).rejects.toThrow(/npm run build:ts/);
      return;
    }
    expect(existsSync(worker)).toBe(true);
    const r = await evaluatePairs(pairs, { threads: 2 });
    expect(r).toEqual(expected);
  });

  it('a failing pair is named', async () => {
    const bad = [...pairs, { ref: FIXTURE_DIR + 'espeak_clean.wav', deg: FIXTURE_DIR + 'allison_clean.wav' }];
    await expect(evaluatePairs(bad, { threads: 1 })).rejects.toThrow(/pair .*espeak_clean\.wav \/ .*allison_clean\.wav: .*same length/);
    await expect(evaluatePairs(bad, { threads: 1 })).rejects.toBeInstanceOf(UserError);
  });
});

describe('pair lists', () => {
  it('reads ref/deg columns by header, relative to the list', () => {
    const list = join(tmp, 'pairs.tsv');
    writeFileSync(list, '# comment\nid\tdeg\tref\n1\tb.wav\ta.wav\n\n2\tsub/d.wav\t/abs/c.wav\n');
    expect(pairListParse('id\tdeg\tref\n1\tb.wav\ta.wav\n2\tsub/d.wav\t/abs/c.wav\n', list)).toEqual([
      { ref: join(tmp, 'a.wav'), deg: join(tmp, 'b.wav') },
      { ref: '/abs/c.wav', deg: join(tmp, 'sub/d.wav') },
    ]);
  });

  it('refuses a list without ref/deg header or without rows', () => {
    expect(() => pairListParse('a\tb\nx\ty\n', 'l.tsv')).toThrow(/header must name a "ref" and a "deg" column/);
    expect(() => pairListParse('ref\tdeg\n', 'l.tsv')).toThrow(/no pairs/);
    expect(() => pairListParse('ref\tdeg\nx.wav\n', 'l.tsv')).toThrow(/l\.tsv:2: row has no deg/);
  });
});
