import { describe, expect, it } from 'vitest';
import { opensfxParse, titleSlug } from '../../src/data/builder/opensfx.js';
import { encodeWav } from '../../src/data/wav.js';
import { UserError } from '../../src/errors.js';

/** Builds a .cat archive: header of (offset | 0x80000000, size) pairs, then name-prefixed RIFF records. */
function catArchive(sounds: { name: string; wav: Uint8Array }[]): Uint8Array {
  const header = sounds.length * 8;
  const records = sounds.map((s) => {
    const name = new TextEncoder().encode(s.name + '\0');
    const r = new Uint8Array(1 + name.length + s.wav.length);
    r[0] = name.length;
    r.set(name, 1);
    r.set(s.wav, 1 + name.length);
    return r;
  });
  const total = header + records.reduce((n, r) => n + r.length, 0);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  let at = header;
  records.forEach((r, i) => {
    v.setUint32(i * 8, (at | 0x80000000) >>> 0, true);
    v.setUint32(i * 8 + 4, sounds[i].wav.length, true);
    out.set(r, at);
    at += r.length;
  });
  return out;
}

describe('opensfx.cat parser', () => {
  const wavA = encodeWav({ sampleRate: 44100, channels: [new Float32Array([0.1, -0.2, 0.3])] });
  const wavB = encodeWav({ sampleRate: 22050, channels: [new Float32Array(100)] });

  it('returns each record title and its exact RIFF bytes', () => {
    const cat = catArchive([
      { name: '"Cash till". By Janis Lukss. License: CC-BY 3.0.', wav: wavA },
      { name: '"Lumber mill: Chainsaw". Original by someone.', wav: wavB },
    ]);
    const sounds = opensfxParse(cat, 'opensfx.cat');
    expect(sounds.map((s) => s.title)).toEqual(['Cash till', 'Lumber mill: Chainsaw']);
    expect(Array.from(sounds[0].wav)).toEqual(Array.from(wavA));
    expect(Array.from(sounds[1].wav)).toEqual(Array.from(wavB));
    expect(titleSlug(sounds[1].title)).toBe('lumber_mill_chainsaw');
  });

  it('rejects truncated archives and bad offsets with the file name', () => {
    const cat = catArchive([{ name: '"x"', wav: wavA }]);
    expect(() => opensfxParse(cat.subarray(0, cat.length - 10), 'cut.cat')).toThrow(UserError);
    expect(() => opensfxParse(cat.subarray(0, cat.length - 10), 'cut.cat')).toThrow(/cut.cat: .*RIFF of \d+ bytes exceeds/);
    const bad = cat.slice();
    new DataView(bad.buffer).setUint32(0, 0x80000007, true);
    expect(() => opensfxParse(bad, 'bad.cat')).toThrow(/bad.cat: .*header length 7/);
  });
});
