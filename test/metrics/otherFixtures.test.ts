/**
 * STOI, ESTOI, SI-SNR, plain SDR and BSS-eval SDR on every row of
 * ../shared/fixtures/metrics/expected.tsv, with the tolerances: STOI/ESTOI 1e-6,
 * SI-SNR/SDR 1e-6 dB (inf where inf), BSS-eval SDR 0.01 dB (above 200 dB counts as perfect).
 */
import { describe, expect, it } from 'vitest';
import { readMono } from '../../src/data/wav.js';
import { bssEvalSdr } from '../../src/metrics/bssEval.js';
import { sdr, siSnr } from '../../src/metrics/sdr.js';
import { stoiBoth } from '../../src/metrics/stoi.js';
import { expectedRows, FIXTURE_DIR } from './fixtures.js';

/** |Δ| with equal infinities counting as 0. */
function delta(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b);
}

describe('STOI, ESTOI, SI-SNR, SDR, BSS-eval SDR on the fixture pairs', () => {
  for (const row of expectedRows()) {
    it(`${row.deg}`, () => {
      const ref = readMono(FIXTURE_DIR + row.ref);
      const deg = readMono(FIXTURE_DIR + row.deg);
      const s = stoiBoth(ref.samples, deg.samples, ref.sampleRate);
      expect(delta(s.stoi, row.stoi)).toBeLessThanOrEqual(1e-6);
      expect(delta(s.estoi, row.estoi)).toBeLessThanOrEqual(1e-6);
      expect(delta(siSnr(ref.samples, deg.samples), row.sisnr_db)).toBeLessThanOrEqual(1e-6);
      expect(delta(sdr(ref.samples, deg.samples), row.sdr_db)).toBeLessThanOrEqual(1e-6);
      const bss = bssEvalSdr(ref.samples, deg.samples);
      if (row.sdr_bss_db > 200) expect(bss).toBeGreaterThan(200);
      else expect(delta(bss, row.sdr_bss_db)).toBeLessThanOrEqual(0.01);
    });
  }
});
