import { describe, expect, it } from 'vitest';
import { clipPcm, clipSamples, corpusSplit, openCorpus } from '../../src/data/corpus.js';
import { SPLIT_NAMES } from '../../src/data/manifest.js';
import { UserError } from '../../src/errors.js';

const FIXTURE = 'test/fixtures/corpus';

describe('openCorpus on the committed fixture', () => {
  const corpus = openCorpus(FIXTURE);

  it('offers speech and noise in every split, with speakers disjoint between splits', () => {
    const speakersOf = SPLIT_NAMES.map((s) => new Set(corpusSplit(corpus, s).speakers.keys()));
    for (const [i, s] of SPLIT_NAMES.entries()) {
      const idx = corpusSplit(corpus, s);
      expect(idx.speech.length).toBeGreaterThan(0);
      expect(idx.noiseGroups.size).toBeGreaterThan(0);
      expect(speakersOf[i].size).toBeGreaterThanOrEqual(2);
    }
    for (let a = 0; a < 3; a++) for (let b = a + 1; b < 3; b++) for (const spk of speakersOf[a]) expect(speakersOf[b].has(spk)).toBe(false);
    // The paper set's babble/crowd/clatter, and corpus v2 test noise of the environmental set's four categories.
    expect([...corpusSplit(corpus, 'test').noiseGroups.keys()].sort()).toEqual(['0ad', 'babble', 'clatter', 'crowd', 'redeclipse', 'torcs', 'widelands']);
    const categories = new Set(corpus.clips.filter((c) => c.split === 'test' && c.role === 'noise').map((c) => c.category));
    for (const c of ['weather', 'nature', 'traffic', 'machinery', 'crowd', 'impulsive']) expect(categories.has(c), c).toBe(true);
  });

  it('loads clips lazily as 16 kHz samples of the manifest length, and caches them', () => {
    const clip = corpus.clips[0];
    expect(corpus.cache.size).toBe(0);
    const x = clipSamples(corpus, clip);
    expect(x.length).toBe(Math.round(clip.seconds * 16000));
    expect(clipPcm(corpus, clip)).toBe(clipPcm(corpus, clip));
    expect(corpus.cache.size).toBe(1);
    let peak = 0;
    for (const v of x) peak = Math.max(peak, Math.abs(v));
    expect(peak).toBeGreaterThan(0.01);
    expect(peak).toBeLessThanOrEqual(1);
  });

  it('evicts least recently used clips beyond the cache bound', () => {
    const small = openCorpus(FIXTURE, { maxCacheBytes: 1 });
    clipPcm(small, small.clips[0]);
    clipPcm(small, small.clips[1]);
    expect([...small.cache.keys()]).toEqual([small.clips[1].id]);
  });

  it('names the folder when there is no manifest', () => {
    expect(() => openCorpus('test/fixtures/no-such-corpus')).toThrow(UserError);
    expect(() => openCorpus('test/fixtures/no-such-corpus')).toThrow(/no-such-corpus: not a corpus folder/);
  });
});
