import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { audioDecode, g722DecodeBatch } from '../../src/data/builder/decode.js';
import { encodeWav } from '../../src/data/wav.js';
import { UserError } from '../../src/errors.js';

let tmp: string;
const g722: string[] = [];

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'hushpack-decode-'));
  // Raw G.722 made with ffmpeg's encoder from two different tones (16 kHz in, 64 kbit/s out).
  for (const [k, f] of [440, 1000].entries()) {
    const x = new Float32Array(8000).map((_, i) => 0.4 * Math.sin((2 * Math.PI * f * i) / 16000));
    const wav = join(tmp, `t${k}.wav`);
    writeFileSync(wav, encodeWav({ sampleRate: 16000, channels: [x] }));
    const out = join(tmp, `t${k}.g722`);
    execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-i', wav, '-c:a', 'g722', '-f', 'g722', out]);
    g722.push(out);
  }
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('decoders', () => {
  it('batched G.722 decoding gives the same bytes as one ffmpeg per file', async () => {
    const batch = await g722DecodeBatch(g722, join(tmp, 'batch'));
    for (const [k, input] of g722.entries()) {
      const single = await audioDecode('g722', input);
      expect(single.sourceRateHz).toBe(16000);
      expect(batch[k].sourceRateHz).toBe(16000);
      expect(batch[k].pcm.equals(single.pcm)).toBe(true);
      expect(single.pcm.length).toBeGreaterThan(15000); // ≈ 0.5 s of 16-bit samples
    }
    expect(batch[0].pcm.equals(batch[1].pcm)).toBe(false);
  });

  it('batches running at the same time in one folder do not clobber each other', async () => {
    const dir = join(tmp, 'shared');
    const [a, b] = await Promise.all([g722DecodeBatch([g722[0]], dir), g722DecodeBatch([g722[1]], dir)]);
    expect(a[0].pcm.equals((await audioDecode('g722', g722[0])).pcm)).toBe(true);
    expect(b[0].pcm.equals((await audioDecode('g722', g722[1])).pcm)).toBe(true);
  });

  it('sox resamples 44.1 kHz stereo to 16 kHz mono deterministically and reports the source rate', async () => {
    const n = 44100;
    const l = new Float32Array(n).map((_, i) => 0.3 * Math.sin((2 * Math.PI * 300 * i) / 44100));
    const wav = join(tmp, 'st.wav');
    writeFileSync(wav, encodeWav({ sampleRate: 44100, channels: [l, l] }));
    const a = await audioDecode('sox', wav);
    const b = await audioDecode('sox', wav);
    expect(a.sourceRateHz).toBe(44100);
    expect(a.pcm.length).toBe(2 * 16000);
    expect(a.pcm.equals(b.pcm)).toBe(true);
  });

  it('names the file that cannot be decoded', async () => {
    const bad = join(tmp, 'bad.ogg');
    writeFileSync(bad, 'not audio');
    await expect(audioDecode('sox', bad)).rejects.toThrow(UserError);
    await expect(audioDecode('sox', bad)).rejects.toThrow(/bad.ogg: sox could not decode it/);
  });
});
