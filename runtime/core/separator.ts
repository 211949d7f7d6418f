/**
 * The streaming speaker separator: one `.hush` separation model (format 1.1, task separate: causal
 * Conv-TasNet or uPIT-LSTM) running hop by hop in one WASM instance, one output signal per speaker.
 * The sibling of the Enhancer (./enhancer.ts) for models whose outputs are not one 16-kHz signal: its
 * hops are at the model's own rate (Conv-TasNet: 10 ms = 80 samples at 8 kHz; uPIT-LSTM: one STFT
 * hop, 80 samples at edge) and it gives `outputCount` hops per step, so it does not implement the
 * 16-kHz HopProcessor contract. Browser-safe.
 *
 *   const s = Separator.create(wasm, modelBytes);        // wasm: a fresh instance
 *   const [s1, s2] = s.process(hop);                     // hopSamples in → one hop per speaker, each
 *                                                        // the speaker's input sample n − delaySamples
 *   const [y1, y2] = s.processBuffer(x);                 // a whole signal at s.sampleRate, aligned
 *
 * Which output is which speaker is arbitrary (the nets are trained permutation-invariantly) but
 * stays fixed for a stream. Level: as the Enhancer's 'none': normalise the whole signal yourself.
 */
import { UserError } from '../../src/errors.js';
import type { HushArchConfig } from '../../src/format/arch.js';
import { hushModelInfo } from './hushInfo.js';
import { modelOpen } from './modelOpen.js';
import { modelMemory, modelTensors, type ModelMemory, type ModelTensor } from './modelReport.js';
import { PLAN_CHOICES, type MatForm, type PlanChoice } from './plan.js';
import { assertModelExports, instantiateHush, type HushModelExports, type HushWasmExports } from './wasm.js';

/** Options of Separator.create (as the Enhancer's, without level handling). */
export interface SeparatorOptions {
  plan?: PlanChoice;
  fileName?: string;
  /** Cache budget of the 'auto' plan, bytes (default 8 MiB). */
  cacheBytes?: number;
}

/** A separation model running hop by hop (see the file comment). */
export class Separator {
  /** The model's sample rate (Hz); inputs and outputs are at this rate. */
  readonly sampleRate: number;
  /** Samples per step: 10 ms at sampleRate. */
  readonly hopSamples: number;
  /** Output signals (speakers). */
  readonly outputCount: number;
  /** Real-time latency in samples at sampleRate: one hop of buffering + delaySamples. */
  readonly latencySamples: number;
  /** Output sample n of each stream estimates its speaker in input sample n − delaySamples. */
  readonly delaySamples: number;
  readonly config: HushArchConfig;
  readonly flavor: 'simd' | 'scalar';
  /** Multiplications per hop as loaded. */
  readonly macsPerHop: number;
  readonly params: number;
  /** WASM memory by purpose, as the Enhancer's (./modelReport.ts). */
  readonly memory: ModelMemory;
  /** Per tensor: the form it runs in and the bytes it added. */
  readonly tensors: ModelTensor[];
  /** The form of every planned matrix (1×1 convs, encoder/decoder bases, LSTM and Linear matrices), by name. */
  readonly mats: ReadonlyMap<string, { form: MatForm }>;

  private readonly wasm: HushModelExports;
  private readonly handle: number;
  private readonly inPtr: number;
  private readonly outPtr: number;
  private buffer: ArrayBuffer | undefined;
  private inView = new Float32Array(0);
  private outViews: Float32Array[] = [];
  private readonly outs: Float32Array[];

  protected constructor(wasm: HushWasmExports, bytes: Uint8Array, options: SeparatorOptions) {
    assertModelExports(wasm);
    this.wasm = wasm;
    const choice = options.plan ?? 'auto';
    if (!PLAN_CHOICES.includes(choice)) throw new UserError(`unknown plan '${String(choice)}' (expected auto, fast or compact)`);
    const name = options.fileName ?? 'model.hush';
    const cacheBytes = options.cacheBytes ?? 8 * 2 ** 20;
    if (!(cacheBytes > 0)) throw new UserError(`${name}: cacheBytes must be a positive number of bytes, got ${String(options.cacheBytes)}`);
    const h = modelOpen(wasm, bytes, name, choice, cacheBytes);
    const info = hushModelInfo(bytes);
    if (info.task !== 'separate') throw new UserError(`${name}: a ${info.config.arch} enhancement model; run it with the Enhancer`);
    this.handle = h;
    this.config = info.config;
    this.sampleRate = info.signal.sampleRateHz;
    this.hopSamples = wasm.modelHopSamples(h);
    this.outputCount = wasm.modelOutputCount(h);
    this.latencySamples = wasm.modelLatencySamples(h);
    this.delaySamples = this.latencySamples - this.hopSamples;
    this.flavor = wasm.simdEnabled() ? 'simd' : 'scalar';
    this.macsPerHop = wasm.modelMacsPerHop(h);
    this.params = wasm.modelParams(h);
    this.memory = modelMemory(wasm, h);
    const report = modelTensors(wasm, h, bytes);
    this.tensors = report.tensors;
    this.mats = report.mats;
    this.inPtr = wasm.modelInputPtr(h);
    this.outPtr = wasm.modelOutputPtr(h);
    this.outs = Array.from({ length: this.outputCount }, () => new Float32Array(this.hopSamples));
  }

  /** Loads `bytes` into `wasm`, a fresh instance of the hushpack module that the Separator then owns. */
  static create(wasm: HushWasmExports, bytes: Uint8Array, options: SeparatorOptions = {}): Separator {
    return new Separator(wasm, bytes, options);
  }

  /** Instantiates the hushpack module (compiled, or its bytes) and loads the model into it. */
  static async fromModule(module: WebAssembly.Module | BufferSource, bytes: Uint8Array, options: SeparatorOptions = {}): Promise<Separator> {
    return new Separator(await instantiateHush(module), bytes, options);
  }

  /** Float32 views of the I/O hops, re-made when memory has grown. */
  private views(): void {
    const buf = this.wasm.memory.buffer;
    if (buf === this.buffer) return;
    this.buffer = buf;
    this.inView = new Float32Array(buf, this.inPtr, this.hopSamples);
    this.outViews = this.outs.map((_, k) => new Float32Array(buf, this.outPtr + 4 * k * this.hopSamples, this.hopSamples));
  }

  /**
   * One hop: hopSamples input samples → one hop per speaker, written to `outs` when given, else to
   * buffers owned by the Separator that the next call overwrites. Returns the outputs.
   */
  process(hop: Float32Array, outs?: Float32Array[]): Float32Array[] {
    if (hop.length !== this.hopSamples) throw new RangeError(`Separator.process: a hop is ${this.hopSamples} samples, got ${hop.length}`);
    this.views();
    this.inView.set(hop);
    this.wasm.modelStep(this.handle);
    const dst = outs ?? this.outs;
    for (let k = 0; k < this.outputCount; k++) dst[k].set(this.outViews[k]);
    return dst;
  }

  /**
   * Separates a whole signal at sampleRate as one utterance: a fresh stream, x hop by hop plus
   * trailing zeros to flush the delay; returns one signal per speaker aligned with x, same length.
   * (Conv-TasNet: equal to the offline forward of x followed by L/2 zeros — the stream's last
   * encoder frame overlaps the end of x, one an offline forward of x alone does not compute.)
   */
  processBuffer(x: Float32Array): Float32Array[] {
    const n = x.length;
    const H = this.hopSamples;
    const d = this.delaySamples;
    const ys = Array.from({ length: this.outputCount }, () => new Float32Array(n));
    const hop = new Float32Array(H);
    this.reset();
    const hops = Math.ceil((n + d) / H);
    for (let h = 0; h < hops; h++) {
      const start = h * H;
      hop.fill(0);
      if (start < n) hop.set(x.subarray(start, Math.min(n, start + H)));
      const outs = this.process(hop);
      // outs[s][k] is speaker s of x[start + k − d]
      const first = start - d;
      const k0 = Math.max(0, -first);
      const k1 = Math.min(H, n - first);
      if (k1 > k0) for (let s = 0; s < this.outputCount; s++) ys[s].set(outs[s].subarray(k0, k1), first + k0);
    }
    this.reset();
    return ys;
  }

  /** Clears the stream state, keeping the weights. */
  reset(): void {
    this.wasm.modelReset(this.handle);
  }
}
