import { describe, expect, it } from 'vitest';
import { csvParse, manifestFormat, manifestParse, manifestSpeechMinutes, type ManifestRow } from '../../src/data/manifest.js';
import { UserError } from '../../src/errors.js';

const rows: ManifestRow[] = [
  { path: 'speech/a/1.wav', role: 'speech', group: 'spk-a', lang: 'en-US', package: 'pkg-a', licence: 'CC-BY-SA-3.0', sourceRateHz: 16000, seconds: 1.5, split: 'train', category: '' },
  { path: 'noise/b, "odd".wav', role: 'noise', group: 'moh', lang: '', package: 'pkg-b', licence: 'GPL-2+ / CC0', sourceRateHz: 44100, seconds: 0.1000625, split: 'validation', category: 'music' },
  { path: 'speech/v/x.wav', role: 'speech', group: 'voice', lang: 'mul', package: 'a+b', licence: 'GPL-2+', sourceRateHz: 22050, seconds: 30, split: 'babble', category: '' },
];

describe('manifest.csv', () => {
  it('round-trips rows, quoting fields with commas and quotes', () => {
    const text = manifestFormat(rows);
    expect(text.split('\n')[0]).toBe('path,role,group,lang,package,licence,source_rate,seconds,split,category');
    expect(text).toContain('"noise/b, ""odd"".wav"');
    expect(manifestParse(text, 'm.csv')).toEqual(rows);
  });

  it('sums speech minutes per split', () => {
    expect(manifestSpeechMinutes(rows)).toEqual({ train: 1.5 / 60, babble: 0.5 });
  });

  it('names the file, line and value of a bad row', () => {
    const bad = manifestFormat(rows).replace(',train', ',holdout');
    expect(() => manifestParse(bad, 'x/manifest.csv')).toThrow(UserError);
    expect(() => manifestParse(bad, 'x/manifest.csv')).toThrow(/x\/manifest.csv line 2: split "holdout"/);
    expect(() => manifestParse('a,b\n', 'h.csv')).toThrow(/h.csv: header is "a,b"/);
    expect(() => manifestParse(manifestFormat(rows).replace('speech/a/1.wav', '../etc/passwd'), 'p.csv')).toThrow(/must be relative/);
  });

  it('reads a corpus v1 manifest (no category column) with every category empty', () => {
    const v1 = manifestFormat(rows)
      .split('\n')
      .map((l) => l.replace(/,(music|category)?$/, ''))
      .join('\n');
    expect(v1.split('\n')[0]).toBe('path,role,group,lang,package,licence,source_rate,seconds,split');
    expect(manifestParse(v1, 'v1.csv')).toEqual(rows.map((r) => ({ ...r, category: '' })));
  });

  it('rejects a category on speech and a malformed category', () => {
    expect(() => manifestParse(manifestFormat([{ ...rows[0], category: 'hum' }]), 'c.csv')).toThrow(/c.csv line 2: speech clip with noise category "hum"/);
    expect(() => manifestParse(manifestFormat([{ ...rows[1], category: 'Hum Noise' }]), 'c.csv')).toThrow(/category "Hum Noise" is not a lower-case word/);
  });

  it('parses CRLF line ends and a missing final newline', () => {
    expect(csvParse('a,b\r\n1,"2\n3"', 't')).toEqual([['a', 'b'], ['1', '2\n3']]);
  });
});
