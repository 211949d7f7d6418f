/**
 * One peer (src/peers/catalog.ts) as an offline enhancer of 16 kHz signals, run through our
 * worklet host (src/peers/workletHost.ts) at the peer's own rate:
 *
 *   x (16 kHz) → resample to the peer's rate (src/dsp/resample.ts; zero-phase, so it adds no delay)
 *     → + D zeros (the tail: flushes the last D samples out of the peer's buffers)
 *     → a FRESH processor instance (its own wasm instance and state) fed 128-sample quanta
 *     → drop the first D output samples (the peer's fixed delay, at its rate) → resample to 16 kHz
 *   = y, the same length as x and aligned with it sample for sample.
 *
 * The delay D is measured, not assumed: peerDelayCalibrate feeds clean speech through the peer and
 * takes the cross-correlation peak of output against input at the peer's rate (src/peers/xcorr.ts);
 * the peak of the mean curve over the calibration signals is the delay, and each signal's own peak
 * must lie within one 16 kHz sample of it (a fixed delay) or it is an error. Clean speech,
 * because a suppressor passes it nearly untouched (white noise or tones would be suppressed and
 * correlate poorly). Calibrated once per run, then used for every file.
 * For RNNoise the package's 1920-sample ring buffer predicts 512 samples (processor.ts reads each
 * output quantum 640 samples behind the write position after it, i.e. 512 behind the quantum just
 * written) plus RNNoise's own 480-sample frame delay = 992 at 48 kHz (20.7 ms); calibration finds it.
 *
 * Level: the peer sees the signal as given (test-set files are written with the mixture at −25 dBFS
 * RMS), as a browser microphone would feed it; RNNoise scales by 0x7fff itself.
 *
 * Cost: each process() call is timed (workletHost.ts quantaRun). Calls are summed over blocks of
 * B = lcm(128, frame)/128 consecutive quanta, the shortest run that holds a whole number of the
 * peer's frames (RNNoise: 15 quanta = 40 ms = 4 frames; GTCRN: 2 quanta = 16 ms = 1 frame; Speex:
 * 1 quantum = 8 ms = 1 frame), and scaled to 10 ms of audio: µs per 10 ms = block µs × 10 / block ms.
 * The first PEER_WARMUP_MS of each fresh instance are left out (its wasm is compiled lazily and tiered
 * up: the first blocks run several times slower). Single-threaded (process() runs on the calling
 * thread), resampling excluded.
 */
import { readFileSync } from 'node:fs';
import { SAMPLE_RATE_HZ } from '../dsp/constants.js';
import { resample } from '../dsp/resample.js';
import { UserError } from '../errors.js';
import { PEERS, peerFiles, peerPackageDir, peerPackageVersion, type PeerFiles, type PeerName, type PeerSpec } from './catalog.js';
import { quantaRun, RENDER_QUANTUM_SAMPLES, WorkletScope, type WorkletProcessorInstance } from './workletHost.js';
import { xcorrCurve, xcorrCurvePeak } from './xcorr.js';

/** Largest delay searched for (s): 100 ms, far beyond any real-time suppressor's. */
const DELAY_SEARCH_SECONDS = 0.1;
/** Start of each fresh instance left out of the cost figures (ms): V8 compiles the wasm lazily and tiers it up. */
export const PEER_WARMUP_MS = 100;
/** Normalised cross-correlation peak below which a calibration signal is rejected as not passed through. */
const CALIBRATION_MIN_PEAK = 0.5;

/** The measured delay of a peer. */
export interface PeerDelay {
  /** At the peer's rate (samples) and in ms. */
  samples: number;
  ms: number;
  /** How it was found, for the score file. */
  method: string;
  /** Per calibration signal: lag (peer-rate samples) and normalised peak. */
  signals: { lag: number; peak: number }[];
}

/** What one enhancement returns. */
export interface PeerOutput {
  /** 16 kHz, x.length samples, delay compensated. */
  y: Float32Array;
  /** 128-sample quanta fed (signal + tail) and process() calls made. */
  quanta: number;
  calls: number;
  /** Per-block cost scaled to µs per 10 ms of audio, blocks after the first PEER_WARMUP_MS (see the file comment). */
  usPer10ms: Float64Array;
}

function toFloat32(x: Float64Array | Float32Array): Float32Array {
  return x instanceof Float32Array ? x : Float32Array.from(x);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** A loaded peer: script evaluated in a worklet scope at its rate, wasm bytes read. */
export class Peer {
  readonly spec: PeerSpec;
  readonly files: PeerFiles;
  readonly packageVersion: string;
  /** Quanta per cost block, and the block's duration (ms). */
  readonly blockQuanta: number;
  readonly blockMs: number;
  private readonly scope: WorkletScope;
  private readonly wasmBytes: Uint8Array;
  private delayMeasured: PeerDelay | null = null;

  private constructor(spec: PeerSpec, files: PeerFiles, version: string) {
    this.spec = spec;
    this.files = files;
    this.packageVersion = version;
    this.scope = new WorkletScope(spec.sampleRateHz);
    this.scope.scriptLoad(files.script);
    if (!this.scope.processorNames().includes(spec.processorName)) {
      throw new UserError(`${files.script}: registers ${this.scope.processorNames().join(', ') || 'nothing'}, not ${spec.processorName}`);
    }
    this.wasmBytes = new Uint8Array(readFileSync(files.wasm));
    const q = RENDER_QUANTUM_SAMPLES;
    this.blockQuanta = spec.frameSamples / gcd(q, spec.frameSamples);
    this.blockMs = (1000 * this.blockQuanta * q) / spec.sampleRateHz;
  }

  /** Loads peer `name` from the installed package (UserError when it is missing). */
  static load(name: PeerName): Peer {
    const dist = peerPackageDir();
    return new Peer(PEERS[name], peerFiles(PEERS[name], dist), peerPackageVersion(dist));
  }

  /** The calibrated delay (throws before peerDelayCalibrate). */
  get delay(): PeerDelay {
    if (!this.delayMeasured) throw new Error(`${this.spec.name}: delay not calibrated yet (call delayCalibrate first)`);
    return this.delayMeasured;
  }

  /** Shipped bytes: the wasm plus the worklet script. */
  get bytes(): number {
    return this.files.wasmBytes + this.files.scriptBytes;
  }

  /** A fresh processor instance (own wasm instance and state), loaded and ready. */
  private async instance(): Promise<WorkletProcessorInstance> {
    // A copy per instance: the package transfers/keeps the buffer it is given.
    const wasmBinary = this.wasmBytes.slice().buffer;
    return this.scope.processorCreate(this.spec.processorName, { maxChannels: 1, wasmBinary });
  }

  /**
   * Runs `xNative` (at the peer's rate) plus `tail` zeros through a fresh instance; returns the raw
   * output (no delay removed) and the timing per call. The instance is destroyed afterwards (the
   * 'destroy' message the package's node sends).
   */
  async runNative(xNative: Float32Array, tail: number): Promise<ReturnType<typeof quantaRun>> {
    const p = await this.instance();
    try {
      const input = new Float32Array(xNative.length + tail);
      input.set(xNative);
      return quantaRun(this.scope, p, input);
    } finally {
      p.port.deliver('destroy');
    }
  }

  /** 16 kHz → the peer's rate (float32). */
  private toNative(x: Float32Array): Float32Array {
    return this.spec.sampleRateHz === SAMPLE_RATE_HZ ? x : toFloat32(resample(x, SAMPLE_RATE_HZ, this.spec.sampleRateHz));
  }

  /**
   * Measures the fixed delay on clean 16 kHz speech signals (see the file comment): every signal
   * must give the same lag, with a clear peak. Sets and returns it.
   */
  async delayCalibrate(clean: readonly Float32Array[]): Promise<PeerDelay> {
    if (clean.length === 0) throw new UserError(`${this.spec.name}: delay calibration needs at least one clean signal`);
    const maxLag = Math.round(DELAY_SEARCH_SECONDS * this.spec.sampleRateHz);
    const signals: PeerDelay['signals'] = [];
    const sum = new Float64Array(2 * maxLag + 1);
    for (const c of clean) {
      const xn = this.toNative(c);
      const { output } = await this.runNative(xn, maxLag);
      const curve = xcorrCurve(xn, output, maxLag);
      for (let i = 0; i < sum.length; i++) sum[i] += curve[i] / clean.length;
      const { lag, peak } = xcorrCurvePeak(curve, maxLag);
      signals.push({ lag, peak });
    }
    const { lag: samples, peak } = xcorrCurvePeak(sum, maxLag);
    // One 16 kHz sample, in the peer's samples: the resolution that matters once back at 16 kHz.
    const tolerance = Math.max(1, Math.round(this.spec.sampleRateHz / SAMPLE_RATE_HZ));
    if (samples < 0 || peak < CALIBRATION_MIN_PEAK || signals.some((s) => Math.abs(s.lag - samples) > tolerance || s.peak < CALIBRATION_MIN_PEAK)) {
      throw new Error(`${this.spec.name}: no fixed delay found on ${clean.length} clean signal(s): mean peak at ${samples} (${peak.toFixed(3)}); per signal ${signals.map((s) => `${s.lag} (${s.peak.toFixed(3)})`).join(', ')}`);
    }
    this.delayMeasured = {
      samples, ms: (1000 * samples) / this.spec.sampleRateHz, signals,
      method: `peak of the mean normalised cross-correlation of output vs input over ${clean.length} clean speech signal(s) at ${this.spec.sampleRateHz} Hz (each signal's own peak within ${tolerance} sample(s) of it); once per run`,
    };
    return this.delayMeasured;
  }

  /** Enhances a 16 kHz signal (see the file comment); needs the delay calibrated. */
  async process(x: Float32Array): Promise<PeerOutput> {
    const d = this.delay.samples;
    const xn = this.toNative(x);
    const run = await this.runNative(xn, d);
    const aligned = run.output.subarray(d, d + xn.length);
    const y16 = this.spec.sampleRateHz === SAMPLE_RATE_HZ ? Float32Array.from(aligned) : toFloat32(resample(aligned, this.spec.sampleRateHz, SAMPLE_RATE_HZ));
    const y = new Float32Array(x.length);
    y.set(y16.subarray(0, x.length));
    const first = Math.ceil(PEER_WARMUP_MS / this.blockMs);
    const blocks = Math.max(0, Math.floor(run.calls / this.blockQuanta) - first);
    const usPer10ms = new Float64Array(blocks);
    for (let b = 0; b < blocks; b++) {
      let ns = 0;
      for (let k = (first + b) * this.blockQuanta; k < (first + b + 1) * this.blockQuanta; k++) ns += run.callNs[k];
      usPer10ms[b] = (ns / 1000) * (10 / this.blockMs);
    }
    return { y, quanta: run.quanta, calls: run.calls, usPer10ms };
  }
}
