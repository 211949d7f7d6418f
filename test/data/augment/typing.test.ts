import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { Prng } from '../../../src/data/prng.js';
import { corpusSplit, openCorpus } from '../../../src/data/corpus.js';
import { TYPING_PAUSE_SECONDS, typingClips, typingNoise, typingSchedule } from '../../../src/data/augment/typing.js';
import { UserError } from '../../../src/errors.js';
import { keysCorpusCreate } from './keysCorpus.js';

const dir = keysCorpusCreate();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('typing noise', () => {
  it('types like people: in-burst rate as drawn, irregular intervals, bursts of words and pauses', () => {
    for (const rate of [3, 5, 8]) {
      const bursts = typingSchedule(600, rate, Prng.fromKey(['typing', rate]));
      const onsets = bursts.flat();
      const inBurst = bursts.flatMap((b) => b.slice(1).map((t, i) => t - b[i]));
      const mean = inBurst.reduce((a, g) => a + g, 0) / inBurst.length;
      expect(Math.abs(1 / mean / rate - 1)).toBeLessThan(0.05); // ~3000 intervals
      // Intervals vary (log-normal σ 0.4: coefficient of variation ≈ 0.42).
      const sd = Math.sqrt(inBurst.reduce((a, g) => a + (g - mean) ** 2, 0) / inBurst.length);
      expect(Math.abs(sd / mean - 0.42)).toBeLessThan(0.05);
      // Bursts of 2–10 keys (words); about a third of the gaps between bursts are pauses ≥ 0.3 s longer.
      for (const b of bursts.slice(0, -1)) expect(b.length >= 2 && b.length <= 10).toBe(true);
      const between = bursts.slice(1).map((b, i) => b[0] - bursts[i][bursts[i].length - 1]);
      const pauses = between.filter((g) => g > TYPING_PAUSE_SECONDS[0] + 0.001 && g > 3 * mean).length / between.length;
      expect(pauses).toBeGreaterThan(0.2);
      expect(pauses).toBeLessThan(0.5);
      // Overall rate: below the in-burst rate, of its order.
      expect(onsets.length / 600).toBeLessThan(rate);
      expect(onsets.length / 600).toBeGreaterThan(rate / 3);
      for (let i = 1; i < onsets.length; i++) expect(onsets[i]).toBeGreaterThan(onsets[i - 1]);
    }
  });

  it('places a keystroke of the split at every onset, nothing in between', () => {
    const corpus = openCorpus(dir);
    const index = corpusSplit(corpus, 'train');
    expect(typingClips(index).length).toBe(4);
    const t = typingNoise(corpus, index, 64000, [3, 8], Prng.fromKey(['typing-noise']));
    expect(t.keysPerSecond >= 3 && t.keysPerSecond < 8).toBe(true);
    expect(t.onsets.length).toBeGreaterThan(4);
    for (const f of t.files) expect(f.startsWith('keys/train-')).toBe(true);
    const starts = t.onsets.map((s) => Math.floor(s * 16000));
    for (const s of starts) expect(Math.abs(t.samples[s]) + Math.abs(t.samples[s + 1]) + Math.abs(t.samples[s + 2])).toBeGreaterThan(0);
    // Silence more than one keystroke (960 samples) after any onset.
    for (let i = 0; i < 64000; i += 97) {
      const near = starts.some((s) => i >= s && i < s + 960);
      if (!near) expect(t.samples[i]).toBe(0);
    }
  });

  it('a split without keystrokes is a clear error', () => {
    const corpus = openCorpus('test/fixtures/corpus');
    expect(() => typingNoise(corpus, corpusSplit(corpus, 'train'), 16000, [3, 8], Prng.fromKey(['x']))).toThrow(UserError);
    expect(() => typingNoise(corpus, corpusSplit(corpus, 'train'), 16000, [3, 8], Prng.fromKey(['x']))).toThrow(/noiseTyping=0/);
  });
});
