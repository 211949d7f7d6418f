import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { corpusSplit, openCorpus } from '../../src/data/corpus.js';
import { mixtureAt, type Mixture, type MixtureRequest } from '../../src/data/mixer.js';
import { MIX_AUGMENT_NONE } from '../../src/data/augment/settings.js';
import { SPLIT_NAMES } from '../../src/data/manifest.js';
import { UserError } from '../../src/errors.js';

const corpus = openCorpus('test/fixtures/corpus');

function energy(x: Float32Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return s;
}
function bytesOf(m: Mixture): Buffer {
  return Buffer.concat([m.mixture, m.clean, m.noise].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
}

describe('mixtureAt', () => {
  it('makes the same bytes as before the augmentations existed, with augment absent, empty or all off', () => {
    // sha256 (first 16 hex digits) of mixture ‖ clean ‖ noise as float32, computed at commit 913368b
    // (before src/data/augment/) with this same loop.
    const golden: [MixtureRequest, string][] = [
      [{ split: 'train', index: 0 }, 'e0fdbfbae6d5ddc2'],
      [{ split: 'train', index: 13, seed: 5 }, '110a319012c8acab'],
      [{ split: 'validation', index: 3 }, 'c5fdbd1b93570559'],
      [{ split: 'test', index: 4 }, 'a6cd9c5c647dbdad'],
      [{ split: 'test', index: 2, noise: 'cafeteria', snrDb: 5 }, 'cfb8bbb33337ae45'],
      [{ split: 'train', index: 9, seed: 2, talkerNoise: 0.5 }, 'b8205afc79ce46d4'],
      [{ split: 'validation', index: 6, seed: 1, talkerNoise: 1, seconds: 2.5 }, 'bbc217d45331da86'],
    ];
    for (const [req, hash] of golden) {
      for (const augment of [undefined, {}, { ...MIX_AUGMENT_NONE }]) {
        const m = mixtureAt(corpus, { ...req, augment });
        expect(createHash('sha256').update(bytesOf(m)).digest('hex').slice(0, 16)).toBe(hash);
      }
    }
  });

  it('is a pure function of (seed, split, index): same arguments, identical bytes', () => {
    for (const split of SPLIT_NAMES) {
      const a = mixtureAt(corpus, { split, index: 7, seed: 3 });
      const b = mixtureAt(openCorpus('test/fixtures/corpus'), { split, index: 7, seed: 3 });
      expect(bytesOf(a).equals(bytesOf(b))).toBe(true);
      expect([a.snrDb, a.speaker, a.noiseFile]).toEqual([b.snrDb, b.speaker, b.noiseFile]);
    }
  });

  it('differs between indexes and between seeds', () => {
    const a = mixtureAt(corpus, { split: 'train', index: 0 });
    const b = mixtureAt(corpus, { split: 'train', index: 1 });
    const c = mixtureAt(corpus, { split: 'train', index: 0, seed: 1 });
    expect(bytesOf(a).equals(bytesOf(b))).toBe(false);
    expect(bytesOf(a).equals(bytesOf(c))).toBe(false);
  });

  it('hits the drawn SNR within 0.01 dB, uniform in [-5, 0] dB by default, and a fixed SNR exactly', () => {
    const snrs: number[] = [];
    for (const split of SPLIT_NAMES) {
      for (let index = 0; index < 20; index++) {
        const m = mixtureAt(corpus, { split, index });
        const realised = 10 * Math.log10(energy(m.clean) / energy(m.noise));
        expect(Math.abs(realised - m.snrDb)).toBeLessThan(0.01);
        snrs.push(m.snrDb);
      }
    }
    expect(Math.min(...snrs)).toBeGreaterThanOrEqual(-5);
    expect(Math.max(...snrs)).toBeLessThan(0);
    expect(Math.max(...snrs) - Math.min(...snrs)).toBeGreaterThan(3);
    for (const snrDb of [-5, 0, 5, 20]) {
      const m = mixtureAt(corpus, { split: 'test', index: 2, snrDb, noise: 'cafeteria' });
      expect(m.snrDb).toBe(snrDb);
      expect(Math.abs(10 * Math.log10(energy(m.clean) / energy(m.noise)) - snrDb)).toBeLessThan(0.01);
    }
    const r = mixtureAt(corpus, { split: 'train', index: 4, snrRangeDb: [10, 12] });
    expect(r.snrDb >= 10 && r.snrDb < 12).toBe(true);
  });

  it('rescales the mixture to unit RMS with the same factor on the clean target', () => {
    for (let index = 0; index < 10; index++) {
      const m = mixtureAt(corpus, { split: 'validation', index, seconds: 2.5 });
      expect(m.mixture.length).toBe(40000);
      expect(Math.abs(Math.sqrt(energy(m.mixture) / m.mixture.length) - 1)).toBeLessThan(1e-5);
      let maxErr = 0;
      for (let i = 0; i < m.mixture.length; i++) maxErr = Math.max(maxErr, Math.abs(m.mixture[i] - m.clean[i] - m.noise[i]));
      expect(maxErr).toBeLessThan(1e-5);
    }
  });

  it('keeps splits apart: speakers and noise files come from the requested split only', () => {
    const splitOf = new Map(corpus.clips.map((c) => [c.path, c.split]));
    for (const split of SPLIT_NAMES) {
      const speakers = new Set(corpusSplit(corpus, split).speakers.keys());
      for (let index = 0; index < 30; index++) {
        const m = mixtureAt(corpus, { split, index });
        expect(speakers.has(m.speaker)).toBe(true);
        for (const u of m.utterances) expect(splitOf.get(u)).toBe(split);
        for (const f of m.noiseFile.split('+')) expect(splitOf.get(f)).toBe(split);
        if (split === 'test') expect(['babble', 'cafeteria']).toContain(m.noiseKind);
        else expect(m.noiseKind).toBe('source');
      }
    }
  });

  it('uses the same clean speech for an index whatever the noise type or SNR', () => {
    const a = mixtureAt(corpus, { split: 'test', index: 5, noise: 'babble', snrDb: -5 });
    const b = mixtureAt(corpus, { split: 'test', index: 5, noise: 'cafeteria', snrDb: 5 });
    expect(a.utterances).toEqual(b.utterances);
    const ratio = a.clean[4000] / b.clean[4000];
    for (let i = 4000; i < 4100; i++) if (b.clean[i] !== 0) expect(a.clean[i] / b.clean[i]).toBeCloseTo(ratio, 4);
    expect(b.noiseFile.split('+').length).toBeGreaterThanOrEqual(2); // babble + crowd (+ clatter)
  });

  it('talker noise: off by default and at 0 (mixtures unchanged), else babble of other speakers of the split', () => {
    const splitOf = new Map(corpus.clips.map((c) => [c.path, c.split]));
    const speakerOf = new Map(corpus.clips.map((c) => [c.path, c.group]));
    for (const split of ['train', 'validation'] as const) {
      let talkers = 0;
      for (let index = 0; index < 24; index++) {
        const plain = mixtureAt(corpus, { split, index, seed: 2 });
        expect(bytesOf(mixtureAt(corpus, { split, index, seed: 2, talkerNoise: 0 })).equals(bytesOf(plain))).toBe(true);
        const m = mixtureAt(corpus, { split, index, seed: 2, talkerNoise: 0.5 });
        expect(m.utterances).toEqual(plain.utterances); // the clean target never depends on the noise
        if (m.noiseKind === 'source') {
          expect(bytesOf(m).equals(bytesOf(plain))).toBe(true); // same excerpt as without the option
          continue;
        }
        talkers++;
        expect(m.noiseKind).toBe('talkers');
        const files = m.noiseFile.split('+');
        for (const f of files) {
          expect(splitOf.get(f)).toBe(split);
          expect(speakerOf.get(f)).not.toBe(m.speaker); // every split here has a second speaker
        }
        expect(energy(m.noise)).toBeGreaterThan(0);
        const all = mixtureAt(corpus, { split, index, seed: 2, talkerNoise: 1 });
        expect(bytesOf(all).equals(bytesOf(m))).toBe(true); // the kind draw is separate from the noise draws
      }
      expect(talkers).toBeGreaterThan(4); // ≈ half of 24
      expect(talkers).toBeLessThan(20);
    }
    // test mixtures ignore the option
    expect(bytesOf(mixtureAt(corpus, { split: 'test', index: 3, talkerNoise: 1 })).equals(bytesOf(mixtureAt(corpus, { split: 'test', index: 3 })))).toBe(true);
    expect(() => mixtureAt(corpus, { split: 'train', index: 0, talkerNoise: 1.5 })).toThrow(UserError);
  });

  it('rejects bad requests with a UserError', () => {
    expect(() => mixtureAt(corpus, { split: 'holdout' as 'train', index: 0 })).toThrow(UserError);
    expect(() => mixtureAt(corpus, { split: 'train', index: -1 })).toThrow(/index -1/);
    expect(() => mixtureAt(corpus, { split: 'train', index: 0, snrRangeDb: [3, 1] })).toThrow(/empty/);
  });
});
