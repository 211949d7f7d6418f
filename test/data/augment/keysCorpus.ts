/**
 * A temporary corpus for the typing tests: the fixture corpus (linked, not copied) plus a
 * `category` column and a few synthetic keystroke clips (category 'typing') in train and
 * validation. The keystrokes are generated (a decaying noise burst for the press, a smaller one for
 * the release ~25 ms later), not recorded audio: the fixture corpus has no bucklespring keys yet.
 */
import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Prng } from '../../../src/data/prng.js';
import { encodeWav } from '../../../src/data/wav.js';

const FIXTURE = resolve('test/fixtures/corpus');

/** Samples of one synthetic keystroke (press + release), 60 ms at 16 kHz. */
export function keystroke(rng: Prng): Float32Array {
  const x = new Float32Array(960);
  const release = 320 + rng.int(160);
  for (let i = 0; i < x.length; i++) {
    const press = 0.5 * Math.exp(-i / 60);
    const rel = i >= release ? 0.2 * Math.exp(-(i - release) / 40) : 0;
    x[i] = (press + rel) * (2 * rng.float() - 1);
  }
  return x;
}

/** Builds the corpus folder; returns its path. */
export function keysCorpusCreate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hushpack-keys-'));
  symlinkSync(join(FIXTURE, 'noise'), join(dir, 'noise'));
  symlinkSync(join(FIXTURE, 'speech'), join(dir, 'speech'));
  mkdirSync(join(dir, 'keys'));
  const lines = readFileSync(join(FIXTURE, 'manifest.csv'), 'utf8').trim().split('\n');
  const out = [`${lines[0]},category`, ...lines.slice(1).map((l) => `${l},${l.includes(',noise,') ? 'other' : ''}`)];
  for (const split of ['train', 'validation']) {
    for (let k = 0; k < 4; k++) {
      const path = `keys/${split}-${k}.wav`;
      writeFileSync(join(dir, path), encodeWav({ sampleRate: 16000, channels: [keystroke(Prng.fromKey(['key', split, k]))] }));
      out.push(`${path},noise,bucklespring-keys,,bucklespring-data,GPL-2+,16000,0.06,${split},typing`);
    }
  }
  writeFileSync(join(dir, 'manifest.csv'), out.join('\n') + '\n');
  return dir;
}
