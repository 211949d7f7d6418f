/**
 * The bundled demo clips (demos/clips/): what the brief promises — 16 kHz mixtures of 4–6 s of the
 * TEST speakers (June fr-CA, Tux Paint fr and el) in babble and cafeteria noise at 0 and 5 dB, with
 * clean references, < 2 MB in all, every package named in ATTRIBUTION.md with its copyright file —
 * and, when a built corpus is at HUSHPACK_CORPUS (default /work/corpus), that
 * `hushpack demo clips` remakes them byte for byte.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_CLIP_PICKS, demoClipsLoad, demoClipsMake, demoClipsRead, speechActivity } from '../../src/demo/clips.js';
import { demoClipsDir } from '../../src/demo/paths.js';

const dir = demoClipsDir();
const CORPUS = process.env.HUSHPACK_CORPUS ?? '/work/corpus';

function folderBytes(d: string): number {
  return readdirSync(d).reduce((s, f) => {
    const p = join(d, f);
    return s + (statSync(p).isDirectory() ? folderBytes(p) : statSync(p).size);
  }, 0);
}

describe('bundled demo clips', () => {
  it('are test-speaker mixtures at 0 and 5 dB in babble and cafeteria, 4–6 s at 16 kHz, < 2 MB with licences', () => {
    const clips = demoClipsLoad(dir);
    expect(clips.length).toBe(DEMO_CLIP_PICKS.length);
    expect(new Set(clips.map((c) => c.clip.speaker))).toEqual(new Set(['asterisk-june', 'tuxpaint-fr', 'tuxpaint-el']));
    expect(new Set(clips.map((c) => c.clip.noise))).toEqual(new Set(['babble', 'cafeteria']));
    expect(new Set(clips.map((c) => c.clip.snrDb))).toEqual(new Set([0, 5]));
    expect(new Set(clips.map((c) => c.clip.testsetId)).size).toBe(clips.length); // six different utterances
    for (const { clip, mix, clean } of clips) {
      expect(mix.length / 16000).toBeGreaterThanOrEqual(4);
      expect(mix.length / 16000).toBeLessThanOrEqual(6);
      expect(clean.length).toBe(mix.length);
      expect(clip.lang).toMatch(/^(fr-CA|fr|el)$/);
      expect(speechActivity(clean)).toBeGreaterThan(0.3);
    }
    expect(folderBytes(dir)).toBeLessThan(2 * 1024 * 1024);
  });

  it('ATTRIBUTION.md names every package and licence; each package has its copyright file', () => {
    const text = readFileSync(join(dir, 'ATTRIBUTION.md'), 'utf8');
    const packages = new Set(demoClipsRead(dir).flatMap((c) => c.packages.split(';')));
    for (const p of packages) {
      expect(text).toContain(`| ${p} |`);
      expect(existsSync(join(dir, 'licences', `${p}.copyright`)), p).toBe(true);
    }
    for (const c of demoClipsRead(dir)) for (const l of c.licences.split(';')) expect(text).toContain(l);
    expect(text).toMatch(/hushpack demo clips --corpus/);
  });

  it('speechActivity: silence 0, a steady tone 1, half tone half silence ½', () => {
    const n = 16000;
    expect(speechActivity(new Float32Array(n))).toBe(0);
    const tone = Float32Array.from({ length: n }, (_, i) => Math.sin(i / 5));
    expect(speechActivity(tone)).toBe(1);
    expect(speechActivity(Float32Array.from(tone, (v, i) => (i < n / 2 ? v : 0)))).toBeCloseTo(0.5, 2);
  });

  it.skipIf(!existsSync(join(CORPUS, 'testset', 'manifest.csv')))('`demo clips` remakes them byte for byte from the corpus', () => {
    const out = mkdtempSync(join(tmpdir(), 'hushpack-clips-'));
    try {
      const r = demoClipsMake(CORPUS, out);
      expect(r.clips.map((c) => c.mix)).toEqual(demoClipsRead(dir).map((c) => c.mix));
      for (const f of [...r.clips.flatMap((c) => [c.mix, c.clean]), 'clips.csv', 'ATTRIBUTION.md']) {
        expect(Buffer.compare(readFileSync(join(out, f)), readFileSync(join(dir, f))), f).toBe(0);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
