/**
 * Two-talker mixtures (src/data/separation/) on the fixture corpus: determinism, different
 * speakers of one split, the level difference, 'min' lengths at 8 kHz, finite audio, and the fixed
 * test set written by `hushpack corpus separation` (a second run writes nothing).
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCorpus } from '../../../src/data/corpus.js';
import { readMono } from '../../../src/data/wav.js';
import { SAMPLE_RATE_HZ, SEPARATION_SAMPLE_RATE_HZ } from '../../../src/dsp/constants.js';
import { resample } from '../../../src/dsp/resample.js';
import { clipSamples } from '../../../src/data/corpus.js';
import {
  speakerSplitConflicts, TWO_TALKER_LEVEL_RANGE_DB, TWO_TALKER_MIN_CLIP_SECONDS, TWO_TALKER_PEAK, twoTalkerAt, twoTalkerPairCount,
  twoTalkerPlan,
} from '../../../src/data/separation/twoTalker.js';
import { separationListRead, separationTestsetPlans, separationTestsetWrite } from '../../../src/data/separation/testset.js';
import { encodeWav } from '../../../src/data/wav.js';
import { sha256Hex } from '../../../src/data/builder/stamps.js';
import { main } from '../../../tools/cli.js';
import { capture } from '../../helpers/cli.js';
import { UserError } from '../../../src/errors.js';

const FIXTURE = 'test/fixtures/corpus';
const tmp = mkdtempSync(join(tmpdir(), 'hushpack-sep-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const rmsDb = (x: Float32Array) => 10 * Math.log10(x.reduce((s, v) => s + v * v, 0) / x.length);

describe('two-talker mixtures', () => {
  const corpus = openCorpus(FIXTURE);

  it('the fixture splits are speaker-disjoint', () => {
    expect(speakerSplitConflicts(corpus)).toEqual([]);
  });

  it('same seed and index → the same bytes; another index or seed → another mixture', () => {
    const a = twoTalkerAt(corpus, { split: 'train', index: 3, seed: 7 });
    const b = twoTalkerAt(openCorpus(FIXTURE), { split: 'train', index: 3, seed: 7 });
    const bytes = (m: typeof a) => [m.mix, m.s1, m.s2].map((x) => sha256Hex(encodeWav({ sampleRate: m.sampleRate, channels: [x] }, 'f32')));
    expect(bytes(a)).toEqual(bytes(b));
    const others = [twoTalkerPlan(corpus, { split: 'train', index: 4, seed: 7 }), twoTalkerPlan(corpus, { split: 'train', index: 3, seed: 8 })];
    for (const o of others) expect(o.levelDb).not.toBe(a.plan.levelDb);
  });

  it('two different speakers of the split, level difference in [0, 5) dB, min length at 8 kHz, mix = s1 + s2, finite', () => {
    for (const split of ['train', 'validation', 'test'] as const) {
      const speakers = new Set(corpus.clips.filter((c) => c.role === 'speech' && c.split === split).map((c) => c.group));
      for (let index = 0; index < 3; index++) {
        const m = twoTalkerAt(corpus, { split, index, seed: 1 });
        const { clip1, clip2, levelDb, samples } = m.plan;
        expect(m.sampleRate).toBe(SEPARATION_SAMPLE_RATE_HZ);
        expect(clip1.group).not.toBe(clip2.group);
        expect(speakers.has(clip1.group) && speakers.has(clip2.group)).toBe(true);
        expect(Math.min(clip1.seconds, clip2.seconds)).toBeGreaterThanOrEqual(TWO_TALKER_MIN_CLIP_SECONDS);
        expect(levelDb).toBeGreaterThanOrEqual(TWO_TALKER_LEVEL_RANGE_DB[0]);
        expect(levelDb).toBeLessThan(TWO_TALKER_LEVEL_RANGE_DB[1]);
        // 'min' mode: the shorter utterance at 8 kHz, i.e. ⌈samples at 16 kHz / 2⌉.
        const n16 = Math.min(clip1.seconds, clip2.seconds) * SAMPLE_RATE_HZ;
        expect(samples).toBe(Math.ceil(Math.round(n16) / 2));
        for (const x of [m.mix, m.s1, m.s2]) {
          expect(x.length).toBe(samples);
          expect(x.every(Number.isFinite)).toBe(true);
        }
        // The stated level difference holds in the mixture (to float32 rounding).
        expect(rmsDb(m.s1) - rmsDb(m.s2)).toBeCloseTo(levelDb, 4);
        let peak = 0;
        let err = 0;
        for (let i = 0; i < samples; i++) {
          err = Math.max(err, Math.abs(m.mix[i] - m.s1[i] - m.s2[i]));
          peak = Math.max(peak, Math.abs(m.mix[i]), Math.abs(m.s1[i]), Math.abs(m.s2[i]));
        }
        expect(err).toBeLessThan(1e-6);
        expect(peak).toBeCloseTo(TWO_TALKER_PEAK, 6);
      }
    }
  });

  it('sources are the utterances resampled to 8 kHz with the project resampler (up to one gain)', () => {
    const m = twoTalkerAt(corpus, { split: 'test', index: 0 });
    const u1 = resample(clipSamples(corpus, m.plan.clip1), SAMPLE_RATE_HZ, SEPARATION_SAMPLE_RATE_HZ);
    let k = 0;
    while (Math.abs(u1[k]) < 1e-3) k++;
    const g = m.s1[k] / u1[k];
    let err = 0;
    for (let i = 0; i < m.s1.length; i++) err = Math.max(err, Math.abs(m.s1[i] - g * u1[i]));
    expect(err).toBeLessThan(1e-5);
  });

  it('counts distinct mixtures and refuses more than the test split allows', () => {
    const c = twoTalkerPairCount(corpus, 'test');
    const n = c.speakers.map((s) => s.utterances);
    expect(c.pairs).toBe(n.reduce((acc, a, i) => acc + a * n.slice(i + 1).reduce((s, b) => s + b, 0), 0));
    const plans = separationTestsetPlans(corpus, c.pairs, 0);
    expect(new Set(plans.map((p) => [p.clip1.id, p.clip2.id].sort().join(':'))).size).toBe(c.pairs);
    expect(() => separationTestsetPlans(corpus, c.pairs + 1, 0)).toThrow(UserError);
  });

  it('`hushpack corpus separation` writes the set (list + 8 kHz WAVs); a second run writes nothing', async () => {
    const out = join(tmp, 'sep');
    const count = Math.min(3, twoTalkerPairCount(corpus, 'test').pairs);
    const io = capture();
    expect(await main(['node', 'hushpack', 'corpus', 'separation', '--corpus', FIXTURE, '--out', out, '--count', String(count), '--json'])).toBe(0);
    const r1 = JSON.parse(io.out());
    expect(r1).toMatchObject({ mixtures: count, written: count });
    const rows = separationListRead(out);
    expect(rows.map((r) => r.id)).toEqual(['0000', '0001', '0002'].slice(0, count));
    for (const r of rows) {
      expect(r.s1Speaker).not.toBe(r.s2Speaker);
      const [mix, s1, s2] = [r.mix, r.s1, r.s2].map((p) => readMono(join(out, p)));
      for (const w of [mix, s1, s2]) {
        expect(w.sampleRate).toBe(SEPARATION_SAMPLE_RATE_HZ);
        expect(w.samples.length).toBe(r.samples);
      }
      expect(rmsDb(s1.samples) - rmsDb(s2.samples)).toBeCloseTo(r.levelDb, 1);
    }
    const mtimes = () => readdirSync(join(out, 'mix')).map((f) => statSync(join(out, 'mix', f)).mtimeMs);
    const before = { list: readFileSync(join(out, 'list.csv'), 'utf8'), mtimes: mtimes() };
    vi.restoreAllMocks();
    const io2 = capture();
    expect(await main(['node', 'hushpack', 'corpus', 'separation', '--corpus', FIXTURE, '--out', out, '--count', String(count), '--json'])).toBe(0);
    expect(JSON.parse(io2.out())).toMatchObject({ mixtures: count, written: 0 });
    expect(readFileSync(join(out, 'list.csv'), 'utf8')).toBe(before.list);
    expect(mtimes()).toEqual(before.mtimes);
  });

  it('resumes: a missing file is rendered again, identical; other params rewrite the set', () => {
    const out = join(tmp, 'resume');
    const first = separationTestsetWrite(corpus, out, { count: 2, seed: 5 });
    expect(first.written).toBe(2);
    const s1 = readFileSync(join(out, 's1/0001.wav'));
    rmSync(join(out, 's1/0001.wav'));
    expect(separationTestsetWrite(corpus, out, { count: 2, seed: 5 }).written).toBe(1);
    expect(readFileSync(join(out, 's1/0001.wav'))).toEqual(s1);
    expect(separationTestsetWrite(corpus, out, { count: 2, seed: 6 }).written).toBe(2);
  });
});
