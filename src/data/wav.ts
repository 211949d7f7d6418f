/**
 * WAV file I/O. Parsing and encoding are done by `wavefile` (rochars/wavefile: RIFF/RIFX/RF64,
 * PCM 8–32 bit, IEEE float, a maintained, dependency-free library); this module adds what it
 * does not do: checks that turn every malformed file into an error naming the file and the
 * problem, conversion to float channels, an explicit downmix policy, and WAV writing in the
 * three formats hushpack produces.
 *
 * Sample convention: floats in [-1, 1): PCM value / 2^(bits-1) (so 16-bit reads as int16 / 32768,
 * exactly what the metric reference implementations use); IEEE float files are passed through.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import wavefile from 'wavefile';
import { UserError } from '../errors.js';

/** Decoded audio: one Float32Array per channel, all the same length. */
export interface Audio {
  sampleRate: number;
  channels: Float32Array[];
}

/** Sample encodings hushpack writes. */
export type WavFormat = 'pcm16' | 'pcm24' | 'f32';

/** How to turn several channels into one: average them, take the first, or refuse. */
export type DownmixMode = 'mean' | 'left' | 'error';

/** Readable PCM/float bit-depth codes of wavefile and the value that maps to full scale. */
const PCM_FULL_SCALE: Record<string, number> = { '8': 128, '16': 32768, '24': 8388608, '32': 2147483648 };

function fail(name: string, problem: string): never {
  throw new UserError(`${name}: ${problem}`);
}

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

/**
 * Walks the RIFF chunk list before handing the bytes to wavefile, so that truncated or
 * non-RIFF input gets a precise message instead of a parser exception.
 */
function checkRiff(bytes: Uint8Array, name: string): void {
  if (bytes.length === 0) fail(name, 'empty file (0 bytes), not a WAV file');
  if (bytes.length < 12) fail(name, `only ${bytes.length} bytes, too short for a RIFF/WAVE header (12 bytes)`);
  const id = fourcc(bytes, 0);
  if (id !== 'RIFF' && id !== 'RIFX' && id !== 'RF64') {
    fail(name, `not a WAV file: starts with ${JSON.stringify(id)} instead of "RIFF"`);
  }
  if (fourcc(bytes, 8) !== 'WAVE') fail(name, `RIFF file of type ${JSON.stringify(fourcc(bytes, 8))}, not "WAVE"`);
  if (id !== 'RIFF') return; // RIFX/RF64 sizes are checked by wavefile
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 12;
  let sawFmt = false;
  while (pos + 8 <= bytes.length) {
    const chunk = fourcc(bytes, pos);
    const size = view.getUint32(pos + 4, true);
    const end = pos + 8 + size;
    if (chunk === 'fmt ') sawFmt = true;
    if (chunk === 'data') {
      if (!sawFmt) fail(name, 'the "data" chunk comes before any "fmt " chunk');
      if (end > bytes.length) {
        fail(name, `truncated: the "data" chunk declares ${size} bytes but only ${bytes.length - pos - 8} follow`);
      }
      return;
    }
    if (end > bytes.length) fail(name, `truncated inside the "${chunk}" chunk (needs ${end} bytes, file has ${bytes.length})`);
    pos = end + (size & 1); // chunks are word-aligned
  }
  fail(name, sawFmt ? 'no "data" chunk (file truncated?)' : 'no "fmt " chunk (file truncated?)');
}

/** Decodes WAV bytes; `name` (usually the path) is used in error messages. */
export function decodeWav(bytes: Uint8Array, name: string): Audio {
  checkRiff(bytes, name);
  const wav = new wavefile.WaveFile();
  try {
    wav.fromBuffer(bytes);
  } catch (err) {
    fail(name, `unreadable WAV: ${(err as Error).message}`);
  }
  const fmt = wav.fmt as { audioFormat: number; numChannels: number; sampleRate: number; bitsPerSample: number };
  const code = wav.bitDepth;
  const isFloat = code === '32f' || code === '64';
  if (!isFloat && !(code in PCM_FULL_SCALE)) {
    fail(name, `unsupported codec (format tag ${fmt.audioFormat}, ${fmt.bitsPerSample} bits); use 8/16/24/32-bit PCM or 32/64-bit float`);
  }
  if (fmt.numChannels < 1) fail(name, 'header declares 0 channels');
  if (!(fmt.sampleRate > 0)) fail(name, `header declares sample rate ${fmt.sampleRate} Hz`);
  let raw: Float64Array[];
  try {
    const s = wav.getSamples(false, Float64Array) as unknown;
    raw = fmt.numChannels === 1 ? [s as Float64Array] : (s as Float64Array[]);
  } catch (err) {
    fail(name, `cannot decode samples: ${(err as Error).message}`);
  }
  const scale = isFloat ? 1 : 1 / PCM_FULL_SCALE[code];
  // 8-bit WAV is unsigned with its zero at 128.
  const offset = code === '8' ? -128 : 0;
  const channels = raw.map((ch) => {
    const out = new Float32Array(ch.length);
    for (let i = 0; i < ch.length; i++) out[i] = (ch[i] + offset) * scale;
    return out;
  });
  return { sampleRate: fmt.sampleRate, channels };
}

/** Reads and decodes a WAV file. */
export function readWav(path: string): Audio {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    fail(path, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return decodeWav(bytes, path);
}

/**
 * Mixes channels down to one. 'mean' averages (the usual choice for a stereo recording of one
 * talker), 'left' keeps channel 0, 'error' refuses anything but mono.
 */
export function downmix(audio: Audio, mode: DownmixMode, name = 'input'): Float32Array {
  const n = audio.channels.length;
  if (n === 1) return audio.channels[0];
  if (mode === 'error') fail(name, `has ${n} channels; expected mono (choose a downmix: mean or left)`);
  if (mode === 'left') return audio.channels[0];
  const len = audio.channels[0].length;
  const out = new Float32Array(len);
  for (let i = 0; i < len; i++) {
    let s = 0;
    for (let c = 0; c < n; c++) s += audio.channels[c][i];
    out[i] = s / n;
  }
  return out;
}

/** Reads a WAV file as one channel (default downmix: mean of channels). */
export function readMono(path: string, opts: { downmix?: DownmixMode } = {}): { sampleRate: number; samples: Float32Array } {
  const audio = readWav(path);
  return { sampleRate: audio.sampleRate, samples: downmix(audio, opts.downmix ?? 'mean', path) };
}

/**
 * Encodes audio as WAV. PCM formats round to nearest and saturate at full scale (a float of
 * exactly 1.0 becomes 32767 in 16-bit); non-finite samples are refused rather than written.
 */
export function encodeWav(audio: Audio, format: WavFormat = 'pcm16'): Uint8Array {
  const n = audio.channels.length;
  if (n < 1) throw new UserError('cannot write WAV with 0 channels');
  const len = audio.channels[0].length;
  for (const ch of audio.channels) {
    if (ch.length !== len) throw new UserError('cannot write WAV: channels differ in length');
  }
  if (!Number.isInteger(audio.sampleRate) || audio.sampleRate <= 0) {
    throw new UserError(`cannot write WAV at sample rate ${audio.sampleRate} Hz`);
  }
  const bits = format === 'pcm16' ? 16 : format === 'pcm24' ? 24 : 32;
  const bytesPer = bits / 8;
  const dataBytes = len * n * bytesPer;
  const out = new Uint8Array(44 + dataBytes);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, format === 'f32' ? 3 : 1, true);
  v.setUint16(22, n, true);
  v.setUint32(24, audio.sampleRate, true);
  v.setUint32(28, audio.sampleRate * n * bytesPer, true);
  v.setUint16(32, n * bytesPer, true);
  v.setUint16(34, bits, true);
  ascii(36, 'data');
  v.setUint32(40, dataBytes, true);
  const full = bits === 16 ? 32768 : 8388608;
  let p = 44;
  for (let i = 0; i < len; i++) {
    for (let c = 0; c < n; c++) {
      const x = audio.channels[c][i];
      if (!Number.isFinite(x)) throw new UserError(`cannot write WAV: sample ${i} of channel ${c} is ${x}`);
      if (format === 'f32') {
        v.setFloat32(p, x, true);
      } else {
        const q = Math.max(-full, Math.min(full - 1, Math.round(x * full)));
        if (bits === 16) v.setInt16(p, q, true);
        else {
          out[p] = q & 0xff;
          out[p + 1] = (q >> 8) & 0xff;
          out[p + 2] = (q >> 16) & 0xff;
        }
      }
      p += bytesPer;
    }
  }
  return out;
}

/** Writes audio to `path` (creating parent folders); 16-bit PCM unless told otherwise. */
export function writeWav(path: string, audio: Audio, format: WavFormat = 'pcm16'): void {
  const bytes = encodeWav(audio, format);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}
