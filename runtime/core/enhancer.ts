/**
 * The streaming speech enhancer: one `.hush` model running frame by frame in one WASM instance.
 * Browser-safe (runtime/node/enhancer.ts adds file loading; the AudioWorklet gets one through
 * createHopProcessor).
 *
 *   const e = Enhancer.create(wasm, modelBytes, { plan: 'auto' });   // wasm: a fresh instance
 *   const out = e.process(hop);            // 160 samples at 16 kHz in → the 160 enhanced samples
 *                                          // from latencySamples − 160 = 160 samples earlier
 *   const y = e.processBuffer(x);          // a whole signal, latency-compensated, same length
 *
 * Level: the nets were trained on unit-RMS mixtures. By default (`level: 'none'`) the input goes to
 * the net as given, which is right for callers that normalise the whole signal themselves (the file
 * paths: `hushpack enhance`, evalset, the file demo). For a live stream (a microphone at −50…−25
 * dBFS) pass `level: 'track'`: a causal level tracker scales each hop to the training level and the
 * output back (src/dsp/level.ts); `{ gain }` applies a fixed gain instead.
 *
 * Timing: process() is the HopProcessor contract (runtime/core/hop-processor.ts): output sample n
 * of the concatenated hop stream is the enhanced input sample n − 160; latencySamples = 320 (one hop
 * of buffering + the STFT/framing delay). Nothing is allocated per hop, in JS or in WASM memory.
 *
 * Memory: the instance's linear memory holds the file (kept: compact-mode weights point into it),
 * the decoded/repacked weights, the stream state and the per-hop scratch; `memory` itemises it
 * (measured with memUsed()), `tensors` per tensor.
 */
import { UserError } from '../../src/errors.js';
import { hushWasmOpen, type HushFormatExports } from '../../src/format/wasm-reader.js';
import { HOP_SAMPLES, SAMPLE_RATE_HZ, WINDOW_SAMPLES, FFT_SIZE } from '../../src/dsp/constants.js';
import { HUSH_WINDOW_HAMMING_PERIODIC, HUSH_WINDOW_RECTANGULAR } from '../../src/format/spec.js';
import type { ArchConfig } from '../../src/models/config.js';
import { archLayout } from '../../src/models/layout.js';
import { HOP_PROCESSOR_HOP_SAMPLES, HOP_PROCESSOR_SAMPLE_RATE_HZ, type HopProcessor } from './hop-processor.js';
import { hushModelInfo, type HushModelInfo } from './hush-info.js';
import { LevelNormaliser, levelModeCheck, type LevelMode } from '../../src/dsp/level.js';
import { assertNetsExports, NET_EXPORT_PREFIX, netBuild, NetLoader, type NetsExports } from './nets.js';
import { modelPlan, PLAN_CHOICES, type MatForm, type ModelPlan, type PlanChoice } from './plan.js';
import { instantiateHush, type HushWasmExports } from './wasm.js';

/** Options of Enhancer.create. */
export interface EnhancerOptions {
  /** Execution plan (runtime/core/plan.ts): 'auto' (default), 'fast' or 'compact'. */
  plan?: PlanChoice;
  /** Name used in error messages (default 'model.hush'). */
  fileName?: string;
  /**
   * Cache budget of the 'auto' plan, bytes (default 8 MiB): above it the dense weights are assumed
   * to stream from DRAM every hop (runtime/core/plan.ts). A Raspberry Pi 4 (1 MiB L2) wants ~1 MiB.
   */
  cacheBytes?: number;
  /**
   * Input level handling (src/dsp/level.ts): 'none' (default: the net sees the input as given;
   * normalise the whole signal to unit RMS yourself, as the file paths do), 'track' (live input: a
   * causal tracker scales each hop to the training level, unit RMS, and the output back) or
   * `{ gain }` (a fixed gain in, its inverse out).
   */
  level?: LevelMode;
}

/** Bytes of WASM memory by purpose (all measured with memUsed() deltas). */
export interface EnhancerMemory {
  /** The .hush file copy (compact-mode weights are read from it in place). */
  fileBytes: number;
  /** Decoded / repacked weights and their records. */
  weightsBytes: number;
  /** Stream state (STFT/framing memories, recurrent state, ring buffers) incl. the STFT tables. */
  stateBytes: number;
  /** Load scratch + per-hop scratch (the latter carved from the former where it fits) + I/O hops. */
  scratchBytes: number;
  /** memUsed(): everything allocated in this instance. */
  totalBytes: number;
  /** memory.buffer.byteLength: what the instance reserved (whole 64-KiB pages, incl. static data). */
  wasmBytes: number;
}

/** One tensor's line in Enhancer.tensors. */
export interface EnhancerTensor {
  name: string;
  /**
   * Matrix form for planned matrices; 'conv-sparse' / 'conv-codebook-sparse' for a 2-D conv kernel in
   * a sparse form (assembly/nn/conv-sparse.ts; a GCRN gated pair is one line 'a+b'); 'dense' for everything else.
   */
  form: MatForm | 'dense' | 'conv-sparse' | 'conv-codebook-sparse';
  /** Bytes it added to WASM memory (0 for compact forms read from the file in place). */
  bytes: number;
}

/** A `.hush` model running hop by hop in one WASM instance (see the file comment). */
export class Enhancer implements HopProcessor {
  readonly hopSamples = HOP_PROCESSOR_HOP_SAMPLES as 160;
  readonly sampleRate = HOP_PROCESSOR_SAMPLE_RATE_HZ as 16000;
  /** Real-time latency, 16 kHz samples: 320 for every architecture (one hop + 160 stream delay). */
  readonly latencySamples: number;
  /** Offset of the hop stream: output sample n is the enhanced input sample n − delaySamples. */
  readonly delaySamples: number;
  /** The model's architecture and hyper-parameters. */
  readonly config: ArchConfig;
  /** The execution plan used. */
  readonly plan: ModelPlan;
  /** 'simd' or 'scalar': which WASM build runs. */
  readonly flavor: 'simd' | 'scalar';
  /** Multiplications per hop as loaded (pruned weights in sparse forms count their nonzeros only). */
  readonly macsPerHop: number;
  readonly memory: EnhancerMemory;
  /** Per tensor: form and bytes. */
  readonly tensors: EnhancerTensor[];
  /** Input level handling (EnhancerOptions.level). */
  readonly level: LevelMode;

  private readonly step: (w: number, st: number, sc: number, i: number, o: number) => void;
  private readonly resetFn: (w: number, st: number) => void;
  private readonly weights: number;
  private readonly state: number;
  private readonly scratch: number;
  private readonly inPtr: number;
  private readonly outPtr: number;
  private buffer: ArrayBuffer | undefined;
  private inView = new Float32Array(0);
  private outView = new Float32Array(0);
  private readonly out = new Float32Array(HOP_SAMPLES);
  /** null for level 'none' (the hop goes to the net untouched). */
  private readonly levelNormaliser: LevelNormaliser | null;

  private readonly wasm: NetsExports;

  /** See Enhancer.create (subclasses: runtime/node/enhancer.ts). */
  protected constructor(wasm: HushWasmExports, bytes: Uint8Array, options: EnhancerOptions) {
    this.wasm = wasm as NetsExports;
    const choice = options.plan ?? 'auto';
    if (!PLAN_CHOICES.includes(choice)) throw new UserError(`unknown plan '${String(choice)}' (expected auto, fast or compact)`);
    const name = options.fileName ?? 'model.hush';
    this.level = levelModeCheck(options.level ?? 'none', `${name}: level`);
    const ex = this.wasm;
    const used0 = ex.memUsed();
    const file = hushWasmOpen(ex as unknown as HushFormatExports, bytes, name);
    const used1 = ex.memUsed();
    const info = hushModelInfo(bytes);
    signalCheck(info, name);
    assertNetsExports(ex, info.config.arch);
    this.config = info.config;
    this.flavor = ex.simdEnabled() ? 'simd' : 'scalar';
    this.plan = modelPlan(info, choice, this.flavor, options.cacheBytes);

    const loadScratch = this.plan.loadScratchBytes > 0 ? ex.memAlloc(this.plan.loadScratchBytes) : 0;
    if (this.plan.loadScratchBytes > 0 && loadScratch === 0) throw new UserError(`${name}: out of WASM memory`);
    const used2 = ex.memUsed();
    const loader = new NetLoader(ex, file, info, this.plan, loadScratch, this.plan.loadScratchBytes);
    const built = netBuild(ex, loader);
    this.weights = built.weights;
    const used3 = ex.memUsed();
    const p = NET_EXPORT_PREFIX[info.config.arch];
    const fn = (suffix: string) => ex[`${p}${suffix}`] as (...a: number[]) => number;
    this.state = fn('StateCreate')(this.weights);
    const used4 = ex.memUsed();
    ex.arenaBegin(loadScratch, this.plan.loadScratchBytes);
    try {
      this.scratch = fn('ScratchCreate')(this.weights);
    } finally {
      ex.arenaEnd();
    }
    this.inPtr = ex.memAlloc(4 * HOP_SAMPLES);
    this.outPtr = ex.memAlloc(4 * HOP_SAMPLES);
    if (!this.state || !this.scratch || !this.inPtr || !this.outPtr) throw new UserError(`${name}: out of WASM memory`);
    const used5 = ex.memUsed();
    this.step = fn('Step') as unknown as typeof this.step;
    this.resetFn = fn('Reset') as unknown as typeof this.resetFn;
    this.latencySamples = fn('LatencySamples')();
    this.delaySamples = this.latencySamples - HOP_SAMPLES;
    this.levelNormaliser = this.level === 'none' ? null : new LevelNormaliser(this.level, this.delaySamples);
    // Matrices and sparse conv kernels as loaded (sparse forms count their nonzeros) + the dense
    // convolutions + LSTM cell products.
    const layout = archLayout(info.config);
    const convMacs = layout.macTerms
      .filter((m) => !this.plan.mats.has(m.tensor) && (loader.convForms.get(m.tensor) ?? 'dense') === 'dense')
      .reduce((s, m) => s + m.executedUsesPerFrame * (info.tensors.get(m.tensor)?.count ?? 0), 0);
    this.macsPerHop = loader.matMacs + loader.sparseConvMacs + convMacs + layout.fixedMacsPerFrame;
    this.memory = {
      fileBytes: used1 - used0,
      weightsBytes: used3 - used2,
      stateBytes: used4 - used3,
      scratchBytes: used2 - used1 + used5 - used4,
      totalBytes: used5,
      wasmBytes: ex.memory.buffer.byteLength,
    };
    const formOf = (n: string): EnhancerTensor['form'] => {
      const conv = loader.convForms.get(n.split('+')[0]) ?? 'dense';
      return loader.forms.get(n) ?? (conv === 'dense' ? 'dense' : conv === 'sparse' ? 'conv-sparse' : 'conv-codebook-sparse');
    };
    this.tensors = [...loader.tensorBytes.entries()].map(([n, b]) => ({ name: n, form: formOf(n), bytes: b }));
  }

  /**
   * Loads `bytes` (a `.hush` file) into `wasm`, which should be a fresh instance of the hushpack
   * module that this Enhancer then owns (its allocator never frees: one model per instance).
   * Throws HushFormatError for an invalid file, UserError for a model this runtime cannot run.
   */
  static create(wasm: HushWasmExports, bytes: Uint8Array, options: EnhancerOptions = {}): Enhancer {
    return new Enhancer(wasm, bytes, options);
  }

  /**
   * Instantiates the hushpack module (compiled, or its bytes: hush-simd.wasm / hush-scalar.wasm)
   * and loads the model into it (browser entry point; Node has Enhancer.load in runtime/node).
   */
  static async fromModule(module: WebAssembly.Module | BufferSource, bytes: Uint8Array, options: EnhancerOptions = {}): Promise<Enhancer> {
    return new Enhancer(await instantiateHush(module), bytes, options);
  }

  /** The gain (linear) applied to the last input sample: 1 for level 'none'. */
  get levelGain(): number {
    return this.levelNormaliser?.gain ?? 1;
  }

  /** Bytes of WASM memory in use (memory.totalBytes). */
  get memoryBytes(): number {
    return this.memory.totalBytes;
  }

  /** The instance's memory right now: memUsed() and memory.buffer.byteLength (constant after load). */
  memoryNow(): { usedBytes: number; bufferBytes: number } {
    return { usedBytes: this.wasm.memUsed(), bufferBytes: this.wasm.memory.buffer.byteLength };
  }

  /** Float32 views of the I/O hops, re-made when memory has grown (growth detaches views). */
  private views(): void {
    const buf = this.wasm.memory.buffer;
    if (buf === this.buffer) return;
    this.buffer = buf;
    this.inView = new Float32Array(buf, this.inPtr, HOP_SAMPLES);
    this.outView = new Float32Array(buf, this.outPtr, HOP_SAMPLES);
  }

  /**
   * One hop: 160 input samples (16 kHz) → 160 output samples, written to `out` when given, else
   * to a buffer owned by the Enhancer that the next call overwrites. Returns the output.
   */
  process(hop: Float32Array, out?: Float32Array): Float32Array {
    if (hop.length !== HOP_SAMPLES) throw new RangeError(`Enhancer.process: a hop is ${HOP_SAMPLES} samples, got ${hop.length}`);
    this.views();
    const dst = out ?? this.out;
    const level = this.levelNormaliser;
    if (level === null) {
      this.inView.set(hop);
      this.step(this.weights, this.state, this.scratch, this.inPtr, this.outPtr);
      dst.set(this.outView);
    } else {
      level.scaleInput(hop, this.inView);
      this.step(this.weights, this.state, this.scratch, this.inPtr, this.outPtr);
      level.unscaleOutput(this.outView, dst);
    }
    return dst;
  }

  /**
   * Enhances a whole 16 kHz signal as one utterance: starts from a fresh stream, feeds x hop by hop
   * (plus enough trailing zeros to flush the delay) and returns the output aligned with x (the
   * delay removed), same length. The stream is reset again afterwards. With level 'track' the
   * tracker starts fresh too (its first hop of audio sets the level); a whole signal known in
   * advance is better normalised globally (unit RMS) with level 'none', as `hushpack enhance` does.
   */
  processBuffer(x: Float32Array): Float32Array {
    const n = x.length;
    const y = new Float32Array(n);
    const d = this.delaySamples;
    const hop = new Float32Array(HOP_SAMPLES);
    const out = new Float32Array(HOP_SAMPLES);
    this.reset();
    const hops = Math.ceil((n + d) / HOP_SAMPLES);
    for (let h = 0; h < hops; h++) {
      const start = h * HOP_SAMPLES;
      if (start + HOP_SAMPLES <= n) hop.set(x.subarray(start, start + HOP_SAMPLES));
      else {
        hop.fill(0);
        if (start < n) hop.set(x.subarray(start, n));
      }
      this.process(hop, out);
      // out[k] is the enhanced x[start + k − d]
      const first = start - d;
      const k0 = Math.max(0, -first);
      const k1 = Math.min(HOP_SAMPLES, n - first);
      if (k1 > k0) y.set(out.subarray(k0, k1), first + k0);
    }
    this.reset();
    return y;
  }

  /** Clears the stream state (STFT/framing memories, recurrent state, rings, level tracker), keeping the weights. */
  reset(): void {
    this.resetFn(this.weights, this.state);
    this.levelNormaliser?.reset();
  }
}

/** The signal path this runtime implements (the paper's): refuse anything else up front. */
function signalCheck(info: HushModelInfo, name: string): void {
  const s = info.signal;
  const windowKind = info.config.arch === 'tcnn' ? HUSH_WINDOW_RECTANGULAR : HUSH_WINDOW_HAMMING_PERIODIC;
  if (s.sampleRateHz !== SAMPLE_RATE_HZ || s.windowSamples !== WINDOW_SAMPLES || s.hopSamples !== HOP_SAMPLES || s.fftSize !== FFT_SIZE || s.windowKind !== windowKind) {
    throw new UserError(
      `${name}: the runtime runs ${SAMPLE_RATE_HZ} Hz models with a ${WINDOW_SAMPLES}-sample window, ${HOP_SAMPLES}-sample hop and ${FFT_SIZE}-point DFT ` +
      `(${info.config.arch === 'tcnn' ? 'rectangular frames' : 'periodic Hamming'}); this file has ${JSON.stringify(s)}`,
    );
  }
}
