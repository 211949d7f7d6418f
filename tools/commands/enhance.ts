/**
 * `hushpack enhance --model M.safetensors|M.hush IN.wav OUT.wav [--json]`: enhance a recording.
 *
 * Pipeline (the same for every backend):
 *   read WAV → downmix (mean of channels) → resample to 16 kHz → rescale to unit RMS (the
 *   training level, Tan & Wang §III-A) → BACKEND → undo the rescaling → resample back to the
 *   input rate → trim to the input length → write 16-bit PCM WAV, mono, at the input rate.
 * Backends (src/evaluate/backend.ts) take a 16 kHz unit-RMS mono signal and return the enhanced
 * signal, same length: .safetensors on libtorch (whole-utterance forward), .hush on the WASM runtime.
 *
 * A speaker-separation `.hush` model (format 1.1, task separate: Conv-TasNet, uPIT-LSTM) runs the
 * same pipeline at the model's own rate (8 kHz) on the WASM Separator and writes one file per
 * speaker: OUT = out.wav gives out.s1.wav, out.s2.wav (input rate and length each; which speaker is
 * which is arbitrary, as the nets are trained permutation-invariantly).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { downmix, readWav, writeWav } from '../../src/data/wav.js';
import { resample } from '../../src/dsp/resample.js';
import { SAMPLE_RATE_HZ } from '../../src/dsp/constants.js';
import { enhanceBackendOpen, type EnhanceBackend } from '../../src/evaluate/backend.js';
import { hushValidate } from '../../src/format/validate.js';
import { hushModelInfo } from '../../runtime/core/hushInfo.js';
import { Separator } from '../../runtime/node/separator.js';

export { enhanceBackendOpen, type EnhanceBackend };

/** What `enhanceFile` did. */
export interface EnhanceReport {
  in: string;
  out: string;
  model: string;
  backend: string;
  arch: string;
  sampleRate: number;
  channels: number;
  seconds: number;
  /** Wall time of the backend alone and its real-time factor (processing time / audio time). */
  processSeconds: number;
  rtf: number;
  /** Separation models: one file per speaker (`out` is the first). */
  outs?: string[];
}

/** The files a separation model writes for OUT: out.wav → out.s1.wav, out.s2.wav, … (else OUT.s1.wav …). */
export function separationOutPaths(outPath: string, speakers: number): string[] {
  const base = /\.wav$/i.test(outPath) ? outPath.slice(0, -4) : outPath;
  return Array.from({ length: speakers }, (_, k) => `${base}.s${k + 1}.wav`);
}

/** The bytes of `modelPath` when it is a valid `.hush` separation model, else null (the other paths report any problem). */
function separationModelBytes(modelPath: string): Uint8Array | null {
  if (!/\.hush$/i.test(modelPath)) return null;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(modelPath);
  } catch {
    return null;
  }
  return hushValidate(bytes).ok && hushModelInfo(bytes).task === 'separate' ? bytes : null;
}

/** The pipeline of the file comment for a separation model: one WAV per speaker. */
function separateFile(modelPath: string, bytes: Uint8Array, inPath: string, outPath: string): EnhanceReport {
  const separator = Separator.loadSync(bytes, { fileName: modelPath });
  const audio = readWav(inPath);
  const x = downmix(audio, 'mean', inPath);
  const fs = audio.sampleRate;
  const rate = separator.sampleRate;
  const xr = fs === rate ? x : Float32Array.from(resample(x, fs, rate));
  let sum2 = 0;
  for (let i = 0; i < xr.length; i++) sum2 += xr[i] * xr[i];
  const rms = xr.length > 0 ? Math.sqrt(sum2 / xr.length) : 0;
  const gain = rms > 0 ? 1 / rms : 1; // the training level (unit RMS) and back
  const t0 = performance.now();
  const ys = separator.processBuffer(Float32Array.from(xr, (v) => v * gain));
  const processSeconds = (performance.now() - t0) / 1000;
  const outs = separationOutPaths(outPath, ys.length);
  ys.forEach((yr, k) => {
    for (let i = 0; i < yr.length; i++) yr[i] /= gain;
    const back = fs === rate ? yr : resample(yr, rate, fs);
    const y = new Float32Array(x.length);
    y.set(back.subarray(0, Math.min(back.length, y.length)));
    writeWav(outs[k], { sampleRate: fs, channels: [y] });
  });
  const seconds = x.length / fs;
  return {
    in: inPath,
    out: outs[0],
    outs,
    model: modelPath,
    backend: 'wasm',
    arch: `${separator.config.arch} (wasm ${separator.flavor}, ${separator.outputCount} speakers at ${rate} Hz)`,
    sampleRate: fs,
    channels: audio.channels.length,
    seconds,
    processSeconds,
    rtf: seconds > 0 ? processSeconds / seconds : 0,
  };
}

/** Runs the pipeline of the file comment on one file. */
export async function enhanceFile(modelPath: string, inPath: string, outPath: string): Promise<EnhanceReport> {
  const separation = separationModelBytes(modelPath);
  if (separation) return separateFile(modelPath, separation, inPath, outPath);
  const backend = await enhanceBackendOpen(modelPath);
  try {
    return enhanceWith(backend, modelPath, inPath, outPath);
  } finally {
    backend.close();
  }
}

function enhanceWith(backend: EnhanceBackend, modelPath: string, inPath: string, outPath: string): EnhanceReport {
  const audio = readWav(inPath);
  const x = downmix(audio, 'mean', inPath);
  const fs = audio.sampleRate;
  const x16 = fs === SAMPLE_RATE_HZ ? x : Float32Array.from(resample(x, fs, SAMPLE_RATE_HZ));
  let sum2 = 0;
  for (let i = 0; i < x16.length; i++) sum2 += x16[i] * x16[i];
  const rms = x16.length > 0 ? Math.sqrt(sum2 / x16.length) : 0;
  // Digital silence stays silence; anything else is brought to the training level and back.
  const gain = rms > 0 ? 1 / rms : 1;
  const scaled = new Float32Array(x16.length);
  for (let i = 0; i < x16.length; i++) scaled[i] = x16[i] * gain;
  const t0 = performance.now();
  const y16 = backend.process(scaled);
  const processSeconds = (performance.now() - t0) / 1000;
  for (let i = 0; i < y16.length; i++) y16[i] /= gain;
  const back = fs === SAMPLE_RATE_HZ ? y16 : resample(y16, SAMPLE_RATE_HZ, fs);
  const y = new Float32Array(x.length);
  y.set(back.subarray(0, Math.min(back.length, y.length)));
  writeWav(outPath, { sampleRate: fs, channels: [y] });
  const seconds = x.length / fs;
  return {
    in: inPath,
    out: outPath,
    model: modelPath,
    backend: backend.kind,
    arch: backend.model,
    sampleRate: fs,
    channels: audio.channels.length,
    seconds,
    processSeconds,
    rtf: seconds > 0 ? processSeconds / seconds : 0,
  };
}

/** Registers `enhance` on `program`. */
export function register(program: Command): void {
  program
    .command('enhance')
    .description('enhance a WAV file with a trained (.safetensors, libtorch) or compressed (.hush, WASM) model')
    .requiredOption('--model <file>', 'M.safetensors (hushpack train) or M.hush (hushpack compress)')
    .argument('<in>', 'noisy WAV (any rate; channels are averaged)')
    .argument('<out>', 'enhanced WAV (mono, 16-bit, at the input rate); a separation model writes <out>.s1.wav, <out>.s2.wav (out.wav → out.s1.wav …)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (inPath: string, outPath: string, opts: { model: string; json?: boolean }) => {
      const r = await enhanceFile(opts.model, inPath, outPath);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(r)}\n`);
        return;
      }
      process.stdout.write(
        `${(r.outs ?? [r.out]).join(', ')}: ${r.seconds.toFixed(2)} s at ${r.sampleRate} Hz (${r.channels} channel${r.channels === 1 ? '' : 's'} in) ` +
          `${r.outs ? 'separated' : 'enhanced'} by ${r.arch} on ${r.backend} in ${r.processSeconds.toFixed(2)} s (RTF ${r.rtf.toFixed(3)})\n`,
      );
    });
}
