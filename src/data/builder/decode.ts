/**
 * Deterministic decoding of source audio to 16 kHz mono 16-bit PCM with Debian's ffmpeg and sox.
 * Every option that could vary between runs is explicit, so the same input gives the same bytes
 * on every run on the same tool versions (the versions are recorded in DIR/corpus.json):
 *
 *   g722:   ffmpeg -f g722 -i X -ac 1 -ar 16000 -c:a pcm_s16le -f s16le -      (raw G.722, 16 kHz)
 *   ffmpeg: ffmpeg -i X -ac 1 -ar 16000 …                                       (Opus; libswresample)
 *   sox:    sox -D X -t raw -e signed-integer -b 16 -c 1 -r 16000 -L - channels 1 rate -v 16000
 *           (Vorbis/WAV; -D: no dither — sox's dither is random noise; `rate -v`: very-high-quality
 *           linear-phase resampler, a no-op at 16 kHz; `channels 1` averages stereo)
 *
 * All run single-threaded (the caller runs one per core) and write raw PCM to stdout (G.722 files
 * are decoded in batches, one ffmpeg process writing one raw file per input). The source
 * sample rate is read from the tool's own report on stderr (sox -V3 header dump, ffmpeg stream line).
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { SAMPLE_RATE_HZ } from '../../dsp/constants.js';
import { processRun, stderrTail } from './run.js';

/** Which decoder a source file needs. */
export type DecoderKind = 'g722' | 'ffmpeg' | 'sox';

/** The exact command line for decoding `input` with `kind` to raw s16le on stdout. */
export function decoderCommand(kind: DecoderKind, input: string): { cmd: string; args: string[] } {
  const rate = String(SAMPLE_RATE_HZ);
  if (kind === 'sox') {
    return {
      cmd: 'sox',
      args: ['--single-threaded', '--no-glob', '-D', '-V3', input, '-t', 'raw', '-e', 'signed-integer', '-b', '16', '-c', '1', '-r', rate, '-L', '-', 'channels', '1', 'rate', '-v', rate],
    };
  }
  const inputFormat = kind === 'g722' ? ['-f', 'g722'] : [];
  return {
    cmd: 'ffmpeg',
    args: ['-nostdin', '-hide_banner', '-nostats', '-loglevel', 'info', '-threads', '1', ...inputFormat, '-i', input, '-map', '0:a:0', '-map_metadata', '-1', '-ac', '1', '-ar', rate, '-c:a', 'pcm_s16le', '-f', 's16le', '-'],
  };
}

/** Decoded PCM and the rate the source was recorded at. */
export interface DecodedAudio {
  /** Little-endian int16 samples at 16 kHz. */
  pcm: Buffer;
  sourceRateHz: number;
}

/** Decodes one file; errors name the file and quote the tool. */
export async function audioDecode(kind: DecoderKind, input: string): Promise<DecodedAudio> {
  const { cmd, args } = decoderCommand(kind, input);
  const r = await processRun(cmd, args);
  if (r.code !== 0) throw new UserError(`${input}: ${cmd} could not decode it: ${stderrTail(r.stderr, 2) || `status ${r.code}`}`);
  const m = kind === 'sox' ? /Sample Rate\s*:\s*(\d+)/.exec(r.stderr) : /Audio: [^,\n]+, (\d+) Hz/.exec(r.stderr);
  if (!m) throw new UserError(`${input}: ${cmd} did not report the source sample rate`);
  if (r.stdout.length % 2 !== 0) throw new UserError(`${input}: ${cmd} produced an odd number of bytes of 16-bit PCM`);
  return { pcm: r.stdout, sourceRateHz: Number(m[1]) };
}

/** G.722 files decoded per ffmpeg process: its start-up (loading ~150 shared libraries) costs more than decoding a prompt. */
export const G722_BATCH_FILES = 32;

/** Batches started by this process (names their temporary files). */
let g722Batches = 0;

/**
 * Decodes several raw G.722 files with one ffmpeg process: input k is mapped to output k (a raw
 * s16le file in `tmpDir`), with the same per-stream options as `decoderCommand('g722', …)`, so the
 * bytes equal those of one process per file (test/data/decode.test.ts checks this).
 */
export async function g722DecodeBatch(inputs: readonly string[], tmpDir: string): Promise<DecodedAudio[]> {
  const rate = String(SAMPLE_RATE_HZ);
  // Batches run in parallel in one process: each gets its own file names.
  const batch = ++g722Batches;
  const outs = inputs.map((_, k) => join(tmpDir, `g722-${process.pid}-${batch}-${k}.raw`));
  const args = ['-nostdin', '-hide_banner', '-nostats', '-loglevel', 'info', '-threads', '1', '-y'];
  for (const input of inputs) args.push('-f', 'g722', '-i', input);
  inputs.forEach((_, k) => args.push('-map', `${k}:a:0`, '-map_metadata', '-1', '-ac', '1', '-ar', rate, '-c:a', 'pcm_s16le', '-f', 's16le', outs[k]));
  mkdirSync(tmpDir, { recursive: true });
  try {
    const r = await processRun('ffmpeg', args);
    if (r.code !== 0) throw new UserError(`${inputs.join(', ')}: ffmpeg could not decode them: ${stderrTail(r.stderr, 2) || `status ${r.code}`}`);
    // One "Input #k" block per input, each with its stream line "Audio: adpcm_g722, 16000 Hz".
    const rates = [...r.stderr.matchAll(/Stream #(\d+):\d+[^\n]*?: Audio: [^,\n]+, (\d+) Hz/g)].slice(0, inputs.length);
    return inputs.map((input, k) => {
      const hit = rates.find((m) => Number(m[1]) === k);
      if (!hit) throw new UserError(`${input}: ffmpeg did not report the source sample rate`);
      const pcm = readFileSync(outs[k]);
      if (pcm.length % 2 !== 0) throw new UserError(`${input}: ffmpeg produced an odd number of bytes of 16-bit PCM`);
      return { pcm, sourceRateHz: Number(hit[2]) };
    });
  } finally {
    for (const o of outs) rmSync(o, { force: true });
  }
}

/** Versions of the decoding tools (first line of each banner), for the build record. */
export async function decoderVersions(): Promise<Record<string, string>> {
  const ff = await processRun('ffmpeg', ['-version']);
  const sx = await processRun('sox', ['--version']);
  return {
    ffmpeg: ff.stdout.toString('utf8').split('\n')[0].trim(),
    sox: (sx.stdout.toString('utf8') + sx.stderr).split('\n')[0].replace(/^sox:\s*/, '').trim(),
  };
}
