/**
 * A speech clip that starts with seconds of digital silence (corpus v2 has such game
 * announcements) must not stop training: the mixer redraws a silent segment with a derived key
 * (src/data/mixer.ts SPEECH_SILENT_REDRAWS), and only a split with nothing but silence is an error.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/errors.js';
import { openCorpus } from '../../src/data/corpus.js';
import { mixtureAt } from '../../src/data/mixer.js';
import { MANIFEST_COLUMNS } from '../../src/data/manifest.js';
import { encodeWav } from '../../src/data/wav.js';

/** A corpus of one train speaker whose clips are `speech` (arrays at 16 kHz) and one noise file. */
function corpusWith(speech: Float32Array[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'hushpack-silent-'));
  mkdirSync(join(dir, 'speech'));
  mkdirSync(join(dir, 'noise'));
  const rows = [MANIFEST_COLUMNS.join(',')];
  speech.forEach((x, i) => {
    writeFileSync(join(dir, `speech/s${i}.wav`), encodeWav({ sampleRate: 16000, channels: [x] }));
    rows.push(`speech/s${i}.wav,speech,talker,en,test,CC0,16000,${x.length / 16000},train,`);
  });
  const noise = Float32Array.from({ length: 32000 }, (_, i) => 0.1 * Math.sin(i * 0.37) * Math.sin(i * 0.011));
  writeFileSync(join(dir, 'noise/n.wav'), encodeWav({ sampleRate: 16000, channels: [noise] }));
  rows.push(`noise/n.wav,noise,hum,,test,CC0,16000,2,train,hum`);
  writeFileSync(join(dir, 'manifest.csv'), rows.join('\n') + '\n');
  return dir;
}

const tone = (n: number) => Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin(i * 0.2));

describe('silent speech segments', () => {
  it('are redrawn: every mixture has speech even when one clip opens with 5 s of silence', () => {
    const leadingSilence = new Float32Array(16000 * 6);
    leadingSilence.set(tone(16000), 16000 * 5);
    const corpus = openCorpus(corpusWith([leadingSilence, ...Array.from({ length: 5 }, () => tone(32000))]));
    for (let index = 0; index < 40; index++) {
      const m = mixtureAt(corpus, { split: 'train', index, seconds: 2 });
      expect(m.clean.some((v) => v !== 0)).toBe(true);
    }
  });

  it('a split with only silent speech is still a clear error', () => {
    const corpus = openCorpus(corpusWith([new Float32Array(16000)]));
    expect(() => mixtureAt(corpus, { split: 'train', index: 0, seconds: 1 })).toThrow(UserError);
    expect(() => mixtureAt(corpus, { split: 'train', index: 0, seconds: 1 })).toThrow(/digital silence/);
  });
});
