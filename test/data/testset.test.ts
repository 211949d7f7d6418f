import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCorpus } from '../../src/data/corpus.js';
import { testsetRead, testsetWrite } from '../../src/data/testset.js';
import { readMono } from '../../src/data/wav.js';

const tmp = mkdtempSync(join(tmpdir(), 'hushpack-testset-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('testsetWrite', () => {
  it('writes {babble, cafeteria} × {-5, 0, 5} dB pairs of test speakers with a manifest', () => {
    const corpus = openCorpus('test/fixtures/corpus');
    const out = join(tmp, 'a');
    const rows = testsetWrite(corpus, out, { perCondition: 2, seconds: 1.5 });
    expect(rows).toHaveLength(12);
    expect(testsetRead(out)).toEqual(rows);
    expect(rows.map((r) => r.mix).slice(0, 3)).toEqual(['babble_-5/0000_mix.wav', 'babble_-5/0001_mix.wav', 'babble_0/0000_mix.wav']);
    const testSpeakers = new Set(corpus.clips.filter((c) => c.split === 'test' && c.role === 'speech').map((c) => c.group));
    for (const r of rows) {
      expect(testSpeakers.has(r.speaker)).toBe(true);
      const mix = readMono(join(out, r.mix));
      const clean = readMono(join(out, r.clean));
      expect(mix.sampleRate).toBe(16000);
      expect(mix.samples.length).toBe(24000);
      // File × unit_rms_scale is the mixer's unit-RMS mixture (up to 16-bit rounding).
      let e = 0;
      for (const v of mix.samples) e += (v * r.unitRmsScale) ** 2;
      expect(Math.abs(Math.sqrt(e / mix.samples.length) - 1)).toBeLessThan(1e-3);
      // The realised SNR on disk is the condition's SNR (16-bit rounding costs far less than 0.05 dB).
      let es = 0;
      let en = 0;
      for (let i = 0; i < mix.samples.length; i++) {
        es += clean.samples[i] ** 2;
        en += (mix.samples[i] - clean.samples[i]) ** 2;
      }
      expect(Math.abs(10 * Math.log10(es / en) - r.snrDb)).toBeLessThan(0.05);
    }
    // Id i has the same clean utterance in every condition.
    const byId = rows.filter((r) => r.id === '0001');
    expect(new Set(byId.map((r) => r.utterances)).size).toBe(1);
  });

  it('is reproducible byte for byte', () => {
    const corpus = openCorpus('test/fixtures/corpus');
    testsetWrite(corpus, join(tmp, 'b'), { perCondition: 1, seconds: 1 });
    testsetWrite(corpus, join(tmp, 'c'), { perCondition: 1, seconds: 1 });
    for (const f of ['manifest.csv', 'cafeteria_5/0000_mix.wav', 'babble_-5/0000_clean.wav']) {
      expect(readFileSync(join(tmp, 'b', f)).equals(readFileSync(join(tmp, 'c', f)))).toBe(true);
    }
  });
});
