/**
 * `hushpack live`: live audio through the model in real time, in Node — the default capture
 * device (or a WAV file, or a synthetic tone) → HushNode (the AudioWorklet path a browser runs) →
 * the default output device (or none), through node-web-audio-api's AudioContext. Prints once a
 * second the per-hop compute time (p50/p99/max), deadline misses, render load and underruns, the
 * audio clock against the wall clock, and the input/output levels (tools/live/liveReport.ts), and
 * says plainly when the real-time path cannot keep up.
 *
 * node-web-audio-api is an optional peer dependency (prebuilt binaries for linux x64, arm64 and
 * armhf; it needs libasound2): `npm install hushpack node-web-audio-api`. Its quirks that matter
 * (demos/node/README.md): HushNode extends the global AudioWorkletNode when runtime/web loads, so the
 * global is set before the dynamic import; the worklet bundle and the WASM module are passed
 * explicitly; `{ sinkId: { type: 'none' } }` runs the context without a sound card.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { UserError } from '../../src/errors.js';
import { downmix, readWav } from '../../src/data/wav.js';
import { demoDefaultModelPath, distWebDir } from '../../src/demo/paths.js';
import type { LevelMode } from '../../src/dsp/level.js';
import { hostHasSimd } from '../../runtime/core/wasm.js';
import { wasmPath, type WasmFlavor } from '../../runtime/node/wasmFile.js';
import { dbfs, liveLine, liveProblems, liveWarning, type LiveWindow } from '../live/liveReport.js';

interface LiveOptions {
  model?: string;
  input: string;
  output: string;
  seconds?: string;
  flavor?: WasmFlavor;
  level: string;
  latency: string;
  bypass?: boolean;
  loop?: boolean;
  json?: boolean;
}

/** The end-of-session summary (`--json` prints it as the one JSON object on stdout). */
export interface LiveSummary {
  model: string;
  input: string;
  output: string;
  wasm: WasmFlavor;
  sampleRate: number;
  latencyMs: number;
  wallSeconds: number;
  audioSeconds: number;
  hops: number;
  misses: number;
  overloads: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  /** Worst per-second render load and underrun ratio seen (null without AudioRenderCapacity). */
  renderLoadPeak: number | null;
  underrunRatioMax: number | null;
  /** Seconds with any of liveProblems (the first second, start-up, is not judged). */
  secondsNotKeepingUp: number;
  keptUp: boolean;
}

/** Minimal typing of the node-web-audio-api members used here. */
interface NwaCapacityEvent {
  averageLoad: number;
  peakLoad: number;
  underrunRatio: number;
}
type NwaContext = AudioContext & {
  renderCapacity?: { start(o: { updateInterval: number }): void; stop(): void; addEventListener(t: 'update', f: (e: NwaCapacityEvent) => void): void };
};
interface NwaModule {
  AudioContext: new (o?: object) => NwaContext;
  AudioWorkletNode: typeof AudioWorkletNode;
  mediaDevices: { getUserMedia(c: { audio: boolean }): Promise<MediaStream> };
}

async function nwaLoad(): Promise<NwaModule> {
  try {
    return (await import('node-web-audio-api' as string)) as NwaModule;
  } catch (err) {
    throw new UserError(
      `'hushpack live' needs node-web-audio-api (an optional peer dependency, prebuilt for linux x64/arm64/armhf; needs libasound2): ` +
        `npm install node-web-audio-api@^1.0.9 next to hushpack (${(err as Error).message})`,
    );
  }
}

/** A 4-s harmonic glide plus noise (a stand-in for speech in noise), peak ≈ 0.2. */
function toneSamples(fs: number): Float32Array {
  const n = 4 * fs;
  const x = new Float32Array(n);
  let phase = 0;
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    phase += (2 * Math.PI * (140 + 60 * Math.sin((2 * Math.PI * i) / n))) / fs;
    seed = (seed * 1103515245 + 12345) >>> 0; // LCG: the same noise every run
    x[i] = 0.1 * (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase)) + 0.03 * (seed / 2 ** 31 - 1);
  }
  return x;
}

/** Mean square of the analyser's latest fftSize samples, accumulated over the window. */
class LevelMeter {
  private readonly buf: Float32Array<ArrayBuffer>;
  private sum = 0;
  private count = 0;
  constructor(private readonly analyser: AnalyserNode) {
    this.buf = new Float32Array(analyser.fftSize);
  }
  sample(): void {
    this.analyser.getFloatTimeDomainData(this.buf);
    for (let i = 0; i < this.buf.length; i++) this.sum += this.buf[i] * this.buf[i];
    this.count += this.buf.length;
  }
  /** dBFS of the window so far; starts a new window. */
  take(): number {
    const db = dbfs(this.count > 0 ? this.sum / this.count : 0);
    this.sum = 0;
    this.count = 0;
    return db;
  }
}

/** Runs the live session until --seconds, the end of a (non-looped) file, or Ctrl-C. */
export async function liveRun(opts: LiveOptions): Promise<LiveSummary> {
  const seconds = opts.seconds === undefined ? Infinity : Number(opts.seconds);
  if (!(seconds > 0)) throw new UserError(`--seconds must be a positive number, got '${opts.seconds}'`);
  if (opts.output !== 'default' && opts.output !== 'none') throw new UserError(`--output must be 'default' or 'none', got '${opts.output}'`);
  if (opts.level !== 'track' && opts.level !== 'none') throw new UserError(`--level must be 'track' or 'none', got '${opts.level}'`);
  if (opts.latency !== 'interactive' && opts.latency !== 'playback') throw new UserError(`--latency must be 'interactive' or 'playback', got '${opts.latency}'`);
  const flavor: WasmFlavor = opts.flavor ?? (hostHasSimd() ? 'simd' : 'scalar');
  const modelPath = opts.model ?? demoDefaultModelPath();
  let modelBytes: Uint8Array;
  try {
    modelBytes = new Uint8Array(readFileSync(modelPath));
  } catch (err) {
    throw new UserError(`${modelPath}: cannot read the model (${(err as Error).message})`);
  }
  // A file input is read before any audio starts, so that a bad file fails cleanly.
  const file = opts.input !== 'default' && opts.input !== 'tone' ? readWav(opts.input) : null;

  const nwa = await nwaLoad();
  (globalThis as { AudioWorkletNode?: unknown }).AudioWorkletNode = nwa.AudioWorkletNode;
  const { HushNode } = await import('../../runtime/web/index.js');

  let ctx: NwaContext;
  try {
    ctx = new nwa.AudioContext({ latencyHint: opts.latency, ...(opts.output === 'none' ? { sinkId: { type: 'none' } } : {}) });
  } catch (err) {
    throw new UserError(`cannot open the default output device (${(err as Error).message}); '--output none' runs without one`);
  }
  const closeCtx = async () => {
    try {
      await ctx.close();
    } catch {
      // already closed
    }
  };
  try {
    const node = await HushNode.create(ctx, {
      wasm: await WebAssembly.compile(readFileSync(wasmPath(flavor))),
      model: modelBytes,
      workletUrl: pathToFileURL(join(distWebDir(), 'hush-worklet.js')).href,
      bypass: opts.bypass === true,
      statsIntervalSeconds: 1,
      level: opts.level as LevelMode,
    });
    let hushError: Error | null = null;
    node.onhusherror = (e) => {
      hushError = e;
    };

    let source: AudioNode;
    let ended = false;
    if (opts.input === 'default') {
      try {
        source = ctx.createMediaStreamSource(await nwa.mediaDevices.getUserMedia({ audio: true }));
      } catch (err) {
        throw new UserError(`cannot open the default capture device (${(err as Error).message}); '--input tone' or '--input FILE.wav' run without one`);
      }
    } else {
      const x = file ? downmix(file, 'mean', opts.input) : toneSamples(ctx.sampleRate);
      const rate = file ? file.sampleRate : ctx.sampleRate;
      const buffer = ctx.createBuffer(1, x.length, rate);
      buffer.copyToChannel(Float32Array.from(x), 0);
      const player = ctx.createBufferSource();
      player.buffer = buffer;
      player.loop = file === null || opts.loop === true;
      player.onended = () => {
        ended = true;
      };
      player.start();
      source = player;
    }
    const inMeter = ctx.createAnalyser();
    const outMeter = ctx.createAnalyser();
    inMeter.fftSize = outMeter.fftSize = 2048;
    source.connect(inMeter);
    source.connect(node);
    node.connect(outMeter);
    node.connect(ctx.destination);
    const meters = [new LevelMeter(inMeter), new LevelMeter(outMeter)];

    let capacity: NwaCapacityEvent | null = null;
    if (ctx.renderCapacity) {
      ctx.renderCapacity.addEventListener('update', (e) => {
        capacity = { averageLoad: e.averageLoad, peakLoad: e.peakLoad, underrunRatio: e.underrunRatio };
      });
      ctx.renderCapacity.start({ updateInterval: 1 });
    }
    let stats: Parameters<NonNullable<typeof node.onstats>>[0] | null = null;
    node.onstats = (s) => {
      stats = s;
    };

    const say = (line: string) => process[opts.json ? 'stderr' : 'stdout'].write(`${line}\n`);
    const latencyMs = node.latency.ms;
    say(
      `hushpack live: ${modelPath} on WASM ${flavor}, input ${opts.input}, output ${opts.output}, ${ctx.sampleRate} Hz; ` +
        `HushNode adds ${latencyMs.toFixed(1)} ms; figures once a second (Ctrl-C stops)`,
    );

    const wall0 = performance.now();
    const summary: LiveSummary = {
      model: modelPath, input: opts.input, output: opts.output, wasm: flavor, sampleRate: ctx.sampleRate, latencyMs,
      wallSeconds: 0, audioSeconds: 0, hops: 0, misses: 0, overloads: 0, p50Us: 0, p99Us: 0, maxUs: 0,
      renderLoadPeak: null, underrunRatioMax: null, secondsNotKeepingUp: 0, keptUp: true,
    };
    let before = { wall: 0, audio: ctx.currentTime, hops: 0, misses: 0, overloads: 0 };
    let lastWarning = -Infinity;
    let stop = false;
    const onSigint = () => {
      stop = true;
    };
    process.once('SIGINT', onSigint);
    const meterTimer = setInterval(() => meters.forEach((m) => m.sample()), 40); // 2048 samples ≥ 42 ms at 48 kHz
    try {
      // Window k ends at wall time min(k, seconds) s: a line per whole second, the last one shorter.
      for (let k = 1; !stop && !ended && hushError === null && k - 1 < seconds; k++) {
        const endMs = wall0 + Math.min(k, seconds) * 1000;
        await new Promise((r) => setTimeout(r, Math.max(0, endMs - performance.now())));
        // Before the processor's first report (its stats interval runs on the audio clock) the
        // window still says how far the audio clock has fallen behind.
        const s = (stats as Parameters<NonNullable<typeof node.onstats>>[0] | null) ?? {
          p50Us: 0, p99Us: 0, maxUs: 0, budgetUs: 0, hops: 0, misses: 0, overloads: 0, overloaded: false, levelGainDb: 0,
        };
        const c = capacity as NwaCapacityEvent | null;
        const w: LiveWindow = {
          wallSeconds: (performance.now() - wall0) / 1000, audioSeconds: ctx.currentTime,
          wallSecondsBefore: before.wall, audioSecondsBefore: before.audio,
          p50Us: s.p50Us, p99Us: s.p99Us, maxUs: s.maxUs, budgetUs: s.budgetUs,
          hops: s.hops, hopsBefore: before.hops, misses: s.misses, missesBefore: before.misses,
          overloads: s.overloads, overloadsBefore: before.overloads, overloaded: s.overloaded,
          renderLoadAverage: c?.averageLoad ?? null, renderLoadPeak: c?.peakLoad ?? null, underrunRatio: c?.underrunRatio ?? null,
          inputDb: meters[0].take(), outputDb: meters[1].take(), levelGainDb: s.levelGainDb,
        };
        // The first second holds the start-up (the worklet compiles the WASM and loads the model
        // on its first messages): shown, but not judged.
        say(`${liveLine(w)}${k === 1 ? '  (start-up: not judged)' : ''}`);
        const problems = k === 1 ? [] : liveProblems(w);
        if (problems.length > 0) {
          summary.secondsNotKeepingUp++;
          // The full advice at most every 10 s; the per-second line already shows the figures.
          if (w.wallSeconds - lastWarning >= 10) {
            say(liveWarning(problems, w));
            lastWarning = w.wallSeconds;
          }
        }
        Object.assign(summary, { wallSeconds: w.wallSeconds, audioSeconds: w.audioSeconds, hops: s.hops, misses: s.misses, overloads: s.overloads, p50Us: s.p50Us, p99Us: s.p99Us, maxUs: s.maxUs });
        if (c) {
          summary.renderLoadPeak = Math.max(summary.renderLoadPeak ?? 0, c.peakLoad);
          summary.underrunRatioMax = Math.max(summary.underrunRatioMax ?? 0, c.underrunRatio);
        }
        before = { wall: w.wallSeconds, audio: w.audioSeconds, hops: s.hops, misses: s.misses, overloads: s.overloads };
      }
    } finally {
      clearInterval(meterTimer);
      process.removeListener('SIGINT', onSigint);
      ctx.renderCapacity?.stop();
    }
    if (hushError !== null) throw new UserError(`the worklet failed: ${(hushError as Error).message}`);
    summary.keptUp = summary.secondsNotKeepingUp === 0;
    return summary;
  } finally {
    await closeCtx();
  }
}

/** Registers `live` on `program`. */
export function register(program: Command): void {
  program
    .command('live')
    .description('live input (default capture device, a WAV file or a tone) → HushNode → output through node-web-audio-api, with per-second real-time figures')
    .option('--model <file>', 'a .hush model (default: the bundled demos/models/default.hush)')
    .option('--input <src>', "'default' (the default capture device), 'tone' (synthetic), or a WAV file", 'default')
    .option('--output <sink>', "'default' (the default output device) or 'none' (no sound card)", 'default')
    .option('--seconds <x>', 'stop after x seconds (default: Ctrl-C, or the end of a file input)')
    .option('--loop', 'loop a file input')
    .option('--flavor <f>', 'WASM build: simd or scalar (default: simd where this Node supports it)')
    .option('--level <mode>', "'track' (scale the input to the training level; default) or 'none'", 'track')
    .option('--latency <hint>', "'interactive' (128-frame device buffers) or 'playback' (larger, for ALSA set-ups that crackle)", 'interactive')
    .option('--bypass', 'start with the model bypassed (dry signal through the same path)')
    .option('--json', 'per-second lines on stderr; one summary JSON object on stdout at the end')
    .action(async (opts: LiveOptions) => {
      if (opts.flavor !== undefined && opts.flavor !== 'simd' && opts.flavor !== 'scalar') throw new UserError(`--flavor must be simd or scalar, got '${opts.flavor}'`);
      const s = await liveRun(opts);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(s)}\n`);
        return;
      }
      process.stdout.write(
        `hushpack live: ${s.wallSeconds.toFixed(1)} s, ${s.hops} hops, ${s.misses} deadline misses, ${s.overloads} overload fallbacks; ` +
          `${s.keptUp ? 'kept up in real time' : `did NOT keep up in ${s.secondsNotKeepingUp} of the seconds (see the advice above)`}\n`,
      );
    });
}
