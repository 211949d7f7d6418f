import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { openCorpus } from '../../../src/data/corpus.js';
import { mixtureAt, type Mixture } from '../../../src/data/mixer.js';
import { MIX_AUGMENT_NONE, MIX_AUGMENT_V2, type MixAugment } from '../../../src/data/augment/settings.js';
import { UserError } from '../../../src/errors.js';
import { rfftForward } from '../../../src/dsp/fft.js';
import { rfftPlanCached } from '../../../src/dsp/convolve.js';
import { keysCorpusCreate } from './keysCorpus.js';

const dir = keysCorpusCreate();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const corpus = openCorpus(dir);
const fixture = openCorpus('test/fixtures/corpus');

/** Every augmentation on in every mixture (the noise mix as in v2). */
const ALL_ON: MixAugment = { ...MIX_AUGMENT_V2, secondNoise: 1, speed: 1, reverb: 1, eq: 1, telephone: 1, level: 1, clip: 1 };

function bytesOf(m: Mixture): Buffer {
  return Buffer.concat([m.mixture, m.clean, m.noise].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
}
/** Share of the energy of x (an FFT size long) between lo and hi Hz. */
function bandShare(x: Float32Array, lo: number, hi: number): number {
  const plan = rfftPlanCached(x.length);
  const re = new Float64Array(x.length / 2 + 1);
  const im = new Float64Array(x.length / 2 + 1);
  rfftForward(plan, Float64Array.from(x), re, im);
  let band = 0;
  let all = 0;
  for (let k = 0; k < re.length; k++) {
    const p = re[k] * re[k] + im[k] * im[k];
    all += p;
    const hz = (k * 16000) / x.length;
    if (hz >= lo && hz <= hi) band += p;
  }
  return band / all;
}
function energy(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}

describe('mixtureAt with augmentations', () => {
  it('is deterministic: same request, same bytes, from a freshly opened corpus too', () => {
    for (const split of ['train', 'validation'] as const) {
      for (const index of [0, 5]) {
        const a = mixtureAt(corpus, { split, index, seed: 3, augment: ALL_ON });
        const b = mixtureAt(openCorpus(dir), { split, index, seed: 3, augment: ALL_ON });
        expect(bytesOf(a).equals(bytesOf(b))).toBe(true);
        expect(a.augment).toEqual(b.augment);
      }
    }
  });

  it('keeps every draw of the others when one augmentation is switched on or off', () => {
    const switches: (keyof MixAugment)[] = ['speed', 'reverb', 'eq', 'telephone', 'level', 'clip', 'secondNoise'];
    for (let index = 0; index < 4; index++) {
      const all = mixtureAt(corpus, { split: 'train', index, augment: ALL_ON });
      for (const off of switches) {
        const m = mixtureAt(corpus, { split: 'train', index, augment: { ...ALL_ON, [off]: 0 } });
        const a = all.augment!;
        const b = m.augment!;
        expect(m.noiseKind).toBe(all.noiseKind);
        expect(m.snrDb).toBe(all.snrDb);
        expect(m.utterances[0]).toBe(all.utterances[0]);
        // The drawn factor is the same; the realised one is snapped to a ratio of FFT sizes that
        // depends on the segment length (longer with a room's lead-in): within 1 % of the drawn.
        if (off !== 'speed') {
          expect(b.speedFactorDrawn).toBe(a.speedFactorDrawn);
          expect(Math.abs(b.speedFactor! / b.speedFactorDrawn! - 1)).toBeLessThan(0.01);
        }
        if (off !== 'reverb') expect(b.room).toEqual(a.room);
        if (off !== 'eq' && off !== 'telephone') expect(b.eqGainsDb).toEqual(a.eqGainsDb);
        if (off !== 'secondNoise') expect([b.noise2Kind, b.noise2Db]).toEqual([a.noise2Kind, a.noise2Db]);
        if (off !== 'clip' && off !== 'level') expect(b.clippedSamples > 0).toBe(a.clippedSamples > 0);
      }
    }
  });

  it('draws noise kinds with the given weights; synthetic kinds use no file, typing uses the split’s keys', () => {
    const augment = { ...MIX_AUGMENT_NONE, noiseSource: 1, noiseTalkers: 1, noiseColoured: 1, noiseModulated: 1, noiseTyping: 1 };
    const counts = new Map<string, number>();
    for (let index = 0; index < 100; index++) {
      const m = mixtureAt(corpus, { split: 'validation', index, seconds: 0.5, augment });
      counts.set(m.noiseKind, (counts.get(m.noiseKind) ?? 0) + 1);
      if (m.noiseKind === 'coloured' || m.noiseKind === 'modulated') expect(m.noiseFile).toBe('');
      if (m.noiseKind === 'typing') for (const f of m.noiseFile.split('+')) expect(f.startsWith('keys/validation-')).toBe(true);
      if (m.noiseKind === 'source') expect(m.noiseFile.startsWith('keys/')).toBe(false); // keystrokes only as typing
      expect(energy(m.noise)).toBeGreaterThan(0);
    }
    for (const kind of ['source', 'talkers', 'coloured', 'modulated', 'typing']) {
      expect(counts.get(kind)).toBeGreaterThan(8); // 20 expected of each
      expect(counts.get(kind)).toBeLessThan(34);
    }
    // Test mixtures keep their babble/cafeteria noise: the mix is for training and validation.
    const t = mixtureAt(corpus, { split: 'test', index: 1, augment });
    expect(['babble', 'cafeteria']).toContain(t.noiseKind);
  });

  it('composes with the SNR range: without reverb or clipping, clean vs noise is the drawn SNR within 0.01 dB', () => {
    const augment = { ...MIX_AUGMENT_V2, noiseTyping: 0, reverb: 0, clip: 0, speed: 1, eq: 1, level: 1, secondNoise: 1 };
    const snrs: number[] = [];
    for (let index = 0; index < 12; index++) {
      const m = mixtureAt(fixture, { split: 'train', index, snrRangeDb: [-10, 20], augment });
      expect(Math.abs(10 * Math.log10(energy(m.clean) / energy(m.noise)) - m.snrDb)).toBeLessThan(0.01);
      let maxErr = 0;
      for (let i = 0; i < m.mixture.length; i++) maxErr = Math.max(maxErr, Math.abs(m.mixture[i] - m.clean[i] - m.noise[i]));
      expect(maxErr).toBeLessThan(1e-5);
      snrs.push(m.snrDb);
      // Level: the speech (here = clean target) before normalisation is at the drawn level, inside the range.
      const levelDbfs = 20 * Math.log10(Math.sqrt(energy(m.clean) / m.clean.length) / m.scale);
      expect(levelDbfs).toBeCloseTo(m.augment!.levelDbfs, 4);
      expect(levelDbfs >= -45 && levelDbfs <= -10).toBe(true);
    }
    expect(Math.min(...snrs)).toBeGreaterThanOrEqual(-10);
    expect(Math.max(...snrs) - Math.min(...snrs)).toBeGreaterThan(10);
  });

  it('reverberation: the mixture holds the reverberant speech, the target only the early part; noise = mixture − clean', () => {
    const augment = { ...MIX_AUGMENT_NONE, reverb: 1 };
    for (let index = 0; index < 4; index++) {
      const dry = mixtureAt(fixture, { split: 'train', index });
      const m = mixtureAt(fixture, { split: 'train', index, augment });
      const rt60 = m.augment!.rt60S!;
      expect(rt60 >= 0.2 && rt60 <= 0.8).toBe(true);
      expect(m.utterances[0]).toBe(dry.utterances[0]);
      let maxErr = 0;
      for (let i = 0; i < m.mixture.length; i++) maxErr = Math.max(maxErr, Math.abs(m.mixture[i] - m.clean[i] - m.noise[i]));
      expect(maxErr).toBeLessThan(1e-5);
      // The late reverberation counts as noise: clean-to-noise falls below the drawn SNR (against added noise only).
      expect(10 * Math.log10(energy(m.clean) / energy(m.noise))).toBeLessThan(m.snrDb);
    }
  });

  it('clipping: the mixture is clipped at full scale, the target is not', () => {
    const augment = { ...MIX_AUGMENT_NONE, clip: 1, clipOverDb: [6, 6] as [number, number] };
    const m = mixtureAt(fixture, { split: 'validation', index: 2, augment });
    expect(m.augment!.clippedSamples).toBeGreaterThan(0);
    let peakMix = 0;
    let peakClean = 0;
    for (let i = 0; i < m.mixture.length; i++) {
      peakMix = Math.max(peakMix, Math.abs(m.mixture[i] / m.scale));
      peakClean = Math.max(peakClean, Math.abs(m.clean[i] / m.scale));
    }
    expect(peakMix).toBeCloseTo(1, 5);
    // At 6 dB over full scale the target (unclipped speech) still exceeds it where the mixture was cut.
    expect(peakClean).toBeGreaterThan(1);
  });

  it('telephone band: speech, target and noise are all band-limited alike, also when sped up and reverberated', () => {
    const plain = mixtureAt(fixture, { split: 'train', index: 3 });
    expect(bandShare(plain.mixture, 0, 100) + bandShare(plain.mixture, 5000, 8000)).toBeGreaterThan(1e-2);
    for (const extra of [{}, { speed: 1 }, { speed: 1, reverb: 1 }, { reverb: 1 }]) {
      const augment = { ...MIX_AUGMENT_NONE, telephone: 1, ...extra };
      const m = mixtureAt(fixture, { split: 'train', index: 3, augment });
      expect(m.augment!.telephone).toBe(true);
      // Below 100 Hz and above 5 kHz: ≥ 35 dB down by design; without the band, ~6 % of the energy.
      for (const x of [m.mixture, m.clean, m.noise]) expect(bandShare(x, 0, 100) + bandShare(x, 5000, 8000), JSON.stringify(extra)).toBeLessThan(1e-4);
    }
  });

  it('rejects talker noise set twice and bad settings, with UserErrors', () => {
    expect(() => mixtureAt(fixture, { split: 'train', index: 0, talkerNoise: 0.5, augment: { noiseTalkers: 0.3 } })).toThrow(/noiseTalkers instead of talkerNoise/);
    expect(() => mixtureAt(fixture, { split: 'train', index: 0, augment: { reverb: 3 } })).toThrow(UserError);
    expect(() => mixtureAt(fixture, { split: 'train', index: 0, augment: { ...MIX_AUGMENT_NONE, noiseTyping: 1, noiseSource: 0 } })).toThrow(/keystroke/);
  });
});
