/**
 * `hushpack enhance --model M.safetensors|M.hush IN.wav OUT.wav [--json]`: enhance a recording.
 *
 * Pipeline (the same for every backend):
 *   read WAV → downmix (mean of channels) → resample to 16 kHz → rescale to unit RMS (the
 *   training level, Tan & Wang §III-A) → BACKEND → undo the rescaling → resample back to the
 *   input rate → trim to the input length → write 16-bit PCM WAV, mono, at the input rate.
 * Backends (src/evaluate/backend.ts) take a 16 kHz unit-RMS mono signal and return the enhanced
 * signal, same length: .safetensors on libtorch (whole-utterance forward), .hush on the WASM runtime.
 */
import type { Command } from 'commander';
import { downmix, readWav, writeWav } from '../../src/data/wav.js';
import { resample } from '../../src/dsp/resample.js';
import { SAMPLE_RATE_HZ } from '../../src/dsp/constants.js';
import { enhanceBackendOpen, type EnhanceBackend } from '../../src/evaluate/backend.js';

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
}

/** Runs the pipeline of the file comment on one file. */
export async function enhanceFile(modelPath: string, inPath: string, outPath: string): Promise<EnhanceReport> {
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
    .argument('<out>', 'enhanced WAV (mono, 16-bit, at the input rate)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (inPath: string, outPath: string, opts: { model: string; json?: boolean }) => {
      const r = await enhanceFile(opts.model, inPath, outPath);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(r)}\n`);
        return;
      }
      process.stdout.write(
        `${r.out}: ${r.seconds.toFixed(2)} s at ${r.sampleRate} Hz (${r.channels} channel${r.channels === 1 ? '' : 's'} in) ` +
          `enhanced by ${r.arch} on ${r.backend} in ${r.processSeconds.toFixed(2)} s (RTF ${r.rtf.toFixed(3)})\n`,
      );
    });
}
