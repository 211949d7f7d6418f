import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWav, downmix, encodeWav, readMono, readWav, writeWav, type Audio, type WavFormat } from '../../src/data/wav.js';

/** Deterministic test signal: a 440 Hz tone plus a slow ramp, within (-0.9, 0.9). */
function signal(len: number, phase = 0): Float32Array {
  const x = new Float32Array(len);
  for (let i = 0; i < len; i++) x[i] = 0.6 * Math.sin((2 * Math.PI * 440 * i) / 16000 + phase) + 0.3 * (i / len - 0.5);
  return x;
}

const FULL_SCALE: Record<Exclude<WavFormat, 'f32'>, number> = { pcm16: 32768, pcm24: 8388608 };

describe('WAV round trips', () => {
  for (const format of ['pcm16', 'pcm24', 'f32'] as WavFormat[]) {
    for (const nch of [1, 2, 3]) {
      it(`${format}, ${nch} channel(s), 44.1 kHz`, () => {
        const audio: Audio = { sampleRate: 44100, channels: Array.from({ length: nch }, (_, c) => signal(1001, c)) };
        const bytes = encodeWav(audio, format);
        const bytesPer = format === 'pcm16' ? 2 : format === 'pcm24' ? 3 : 4;
        expect(bytes.length).toBe(44 + 1001 * nch * bytesPer);
        const back = decodeWav(bytes, 'mem.wav');
        expect(back.sampleRate).toBe(44100);
        expect(back.channels.length).toBe(nch);
        for (let c = 0; c < nch; c++) {
          const a = audio.channels[c];
          const b = back.channels[c];
          expect(b.length).toBe(a.length);
          if (format === 'f32') {
            expect(Array.from(b)).toEqual(Array.from(a)); // bit-exact
          } else {
            // Quantisation: round to nearest, so at most half a step.
            const step = 1 / FULL_SCALE[format];
            let maxErr = 0;
            for (let i = 0; i < a.length; i++) maxErr = Math.max(maxErr, Math.abs(a[i] - b[i]));
            expect(maxErr).toBeLessThanOrEqual(step / 2 + 1e-12);
            // Re-encoding the decoded samples reproduces the same bytes.
            expect(Buffer.from(encodeWav(back, format)).equals(Buffer.from(bytes))).toBe(true);
          }
        }
      });
    }
  }

  it('16-bit samples read as int16 / 32768 and saturate on write', () => {
    const audio: Audio = { sampleRate: 16000, channels: [Float32Array.from([0, 1, -1, 0.5, -32768 / 32768, 2, -2])] };
    const back = decodeWav(encodeWav(audio, 'pcm16'), 'x');
    expect(Array.from(back.channels[0])).toEqual([0, 32767 / 32768, -1, 0.5, -1, 32767 / 32768, -1]);
  });

  it('writes and reads files, and downmixes explicitly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hush-wav-'));
    const path = join(dir, 'sub', 'st.wav');
    const l = Float32Array.from([0.5, 0.25, -0.5]);
    const r = Float32Array.from([0.25, 0.25, 0.5]);
    writeWav(path, { sampleRate: 48000, channels: [l, r] }, 'f32');
    expect(readWav(path).channels.length).toBe(2);
    expect(Array.from(readMono(path).samples)).toEqual([0.375, 0.25, 0]);
    expect(Array.from(readMono(path, { downmix: 'left' }).samples)).toEqual([0.5, 0.25, -0.5]);
    expect(() => readMono(path, { downmix: 'error' })).toThrow(/st\.wav: has 2 channels; expected mono/);
    expect(Array.from(downmix({ sampleRate: 1, channels: [l] }, 'error'))).toEqual(Array.from(l));
  });
});

describe('WAV errors name the file and the problem', () => {
  const good = encodeWav({ sampleRate: 16000, channels: [signal(100)] }, 'pcm16');
  it('zero length', () => {
    expect(() => decodeWav(new Uint8Array(0), 'empty.wav')).toThrow(/empty\.wav: empty file/);
  });
  it('not RIFF', () => {
    const b = Uint8Array.from(good);
    b.set([0x4f, 0x67, 0x67, 0x53], 0); // "OggS"
    expect(() => decodeWav(b, 'x.ogg')).toThrow(/x\.ogg: not a WAV file: starts with "OggS"/);
  });
  it('truncated data chunk', () => {
    expect(() => decodeWav(good.subarray(0, 100), 'cut.wav')).toThrow(/cut\.wav: truncated: the "data" chunk declares 200 bytes but only 56 follow/);
  });
  it('truncated header', () => {
    expect(() => decodeWav(good.subarray(0, 30), 'h.wav')).toThrow(/h\.wav: truncated inside the "fmt " chunk/);
    expect(() => decodeWav(good.subarray(0, 8), 'h.wav')).toThrow(/h\.wav: only 8 bytes/);
  });
  it('unsupported codec (A-law)', () => {
    const b = Uint8Array.from(good);
    new DataView(b.buffer).setUint16(20, 6, true); // WAVE_FORMAT_ALAW
    new DataView(b.buffer).setUint16(34, 8, true);
    expect(() => decodeWav(b, 'alaw.wav')).toThrow(/alaw\.wav: unsupported codec \(format tag 6/);
  });
  it('missing file', () => {
    expect(() => readWav('/nonexistent/a.wav')).toThrow(/\/nonexistent\/a\.wav: cannot read: ENOENT/);
  });
  it('refuses to write NaN', () => {
    expect(() => encodeWav({ sampleRate: 16000, channels: [Float32Array.from([0, NaN])] })).toThrow(/sample 1 of channel 0 is NaN/);
  });
  it('reads a file written by sox when available', async () => {
    const { spawnSync } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'hush-sox-'));
    const p = join(dir, 's.wav');
    const r = spawnSync('sox', ['-n', '-r', '22050', '-b', '24', '-c', '2', p, 'synth', '0.1', 'sine', '1000', 'gain', '-6']);
    if (r.status !== 0) throw new Error('sox is required by the test suite (tools/run.sh installs it)');
    const a = readWav(p);
    expect(a.sampleRate).toBe(22050);
    expect(a.channels.length).toBe(2);
    expect(a.channels[0].length).toBe(2205);
    let peak = 0;
    for (const x of a.channels[0]) peak = Math.max(peak, Math.abs(x));
    expect(peak).toBeGreaterThan(0.45);
    expect(peak).toBeLessThan(0.55);
  });
});
