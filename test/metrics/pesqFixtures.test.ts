/**
 * PESQ against the ITU-T P.862 reference on every row of ../shared/fixtures/metrics/expected.tsv
 * (values from the ITU C code in single precision, signals divided by the larger peak of the two;
 * see the fixture README). The tolerance is 0.005; we require 1e-4 (observed: 0).
 */
import { describe, expect, it } from 'vitest';
import { readMono } from '../../src/data/wav.js';
import { pesqBoth } from '../../src/metrics/pesq/pesq.js';
import { expectedRows, FIXTURE_DIR } from './fixtures.js';

const TOL = 1e-4;

describe('PESQ (P.862 NB raw + P.862.1, P.862.2 WB) on the fixture pairs', () => {
  const rows = expectedRows();
  it('has the 20 fixture rows', () => expect(rows.length).toBe(20));
  for (const row of rows) {
    it(`${row.deg}`, () => {
      const ref = readMono(FIXTURE_DIR + row.ref);
      const deg = readMono(FIXTURE_DIR + row.deg);
      const r = pesqBoth(ref.samples, deg.samples, ref.sampleRate);
      expect(Math.abs(r.nb.mos - row.pesq_nb)).toBeLessThanOrEqual(TOL);
      expect(Math.abs(r.nb.raw - row.pesq_nb_raw)).toBeLessThanOrEqual(TOL);
      expect(r.wb).not.toBeNull();
      expect(Math.abs(r.wb!.mos - row.pesq_wb)).toBeLessThanOrEqual(TOL);
    });
  }
});
