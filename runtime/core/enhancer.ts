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
 * Timing: process() is the HopProcessor contract (runtime/core/hopProcessor.ts): output sample n
 * of the concatenated hop stream is the enhanced input sample n − 160; latencySamples = 320 (one hop
 * of buffering + the STFT/framing delay). Nothing is allocated per hop, in JS or in WASM memory.
 *
 * Model boundary: the bytes are copied into WASM memory and one typed call, modelCreate
 * (assembly/nets/model.ts), validates them, binds every tensor by name and plans its form; JS only
 * reads back what loading measured (MACs, parameters, memory, one line per tensor) and steps hops.
 *
 * Memory: the instance's linear memory holds the file (kept: compact-mode weights point into it),
 * the decoded/repacked weights, the stream state and the per-hop scratch; `memory` itemises it
 * (measured with memUsed()), `tensors` per tensor.
 */
import { UserError } from '../../src/errors.js';
import type { HushArchConfig } from '../../src/format/arch.js';
import type { HopProcessor } from './hopProcessor.js';
import { hushModelInfo } from './hushInfo.js';
import { modelOpen } from './modelOpen.js';
import { HOP_SAMPLES, SAMPLE_RATE_HZ } from '../../src/dsp/constants.js';
import { LevelNormaliser, levelModeCheck, type LevelMode } from '../../src/dsp/level.js';
import { CONV_FORM_IDS, MAT_FORM_IDS, PLAN_CHOICES, PLAN_IDS, type ConvForm, type MatForm, type PlanChoice } from './plan.js';
import {
  planMeasure, planTimerDefault, type PlanMeasureExports, type PlanMeasureReport, type PlanTimer,
} from './planMeasure.js';
import { assertModelExports, instantiateHush, type HushModelExports, type HushWasmExports } from './wasm.js';


/** Report kinds of assembly/nets/binder.ts (REPORT_*). */
const REPORT_MATRIX = 1;
const REPORT_CONV = 2;
const REPORT_BATCHNORM = 4;

/** Options of Enhancer.create. */
export interface EnhancerOptions {
  /** Execution plan (chosen inside WASM: assembly/nets/plan.ts): 'auto' (default), 'fast' or 'compact'. */
  plan?: PlanChoice;
  /** Name used in error messages (default 'model.hush'). */
  fileName?: string;
  /**
   * Cache budget of the 'auto' plan, bytes (default 8 MiB): above it the dense weights are assumed
   * to stream from DRAM every hop (assembly/nets/plan.ts). A Raspberry Pi 4 (1 MiB L2) wants ~1 MiB.
   */
  cacheBytes?: number;
  /**
   * 'auto' plan: total time (ms) for timing the candidate forms of each matrix on this machine at
   * load (runtime/core/planMeasure.ts), e.g. PLAN_MEASURE_BUDGET_MS (30). Default 0 = the cost
   * model's plan alone, which is deterministic: forms differ in summation order, so a plan chosen by
   * timing makes the output differ in the last bits between machines (and between loads), and the
   * same file must give the same output on x86-64, arm64 and armv7 (tools/ci/arm.sh digests). Also
   * what happens without a clock, e.g. in an AudioWorkletGlobalScope. `hushpack bench` measures.
   */
  planBudgetMs?: number;
  /** Replaces the clock of the measuring planner (tests: fixed costs per form); null = no clock. */
  planTimer?: PlanTimer | null;
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

/** The execution plan the WASM binder chose (assembly/nets/plan.ts). */
export interface EnhancerPlan {
  choice: PlanChoice;
  flavor: 'simd' | 'scalar';
  /** Bytes of the matrices as dense f32 (the fast-mode working set) and the cache budget it was held against. */
  denseMatrixBytes: number;
  cacheBytes: number;
  /** denseMatrixBytes > cacheBytes: costs included DRAM traffic. */
  memoryBound: boolean;
  /** Bytes of load scratch the loaders needed (reused for the per-hop scratch: assembly/nets/arena.ts). */
  loadScratchBytes: number;
  /** The form of every matrix-shaped weight, by name. */
  mats: Map<string, { form: MatForm }>;
  /** 'auto' only: what the measuring planner timed and chose (null for 'fast' / 'compact'). */
  measured: PlanMeasureReport | null;
}

/** One tensor's line in Enhancer.tensors. */
export interface EnhancerTensor {
  name: string;
  /**
   * Matrix form for planned matrices; 'conv-sparse' / 'conv-codebook-sparse' for a 2-D conv kernel in
   * a sparse form (assembly/nn/conv-sparse.ts; a GCRN gated pair is one line 'a+b'), 'conv-block' in the
   * block form (assembly/nn/conv-block.ts); 'dense' for everything else.
   */
  form: MatForm | 'dense' | 'conv-sparse' | 'conv-codebook-sparse' | 'conv-block';
  /** Bytes it added to WASM memory (0 for compact forms read from the file in place). */
  bytes: number;
}

/** A `.hush` model running hop by hop in one WASM instance (see the file comment). */
export class Enhancer implements HopProcessor {
  readonly hopSamples = HOP_SAMPLES;
  readonly sampleRate = SAMPLE_RATE_HZ;
  /** Real-time latency, 16 kHz samples: 320 for every architecture (one hop + 160 stream delay). */
  readonly latencySamples: number;
  /** Offset of the hop stream: output sample n is the enhanced input sample n − delaySamples. */
  readonly delaySamples: number;
  /** The model's architecture and hyper-parameters. */
  readonly config: HushArchConfig;
  /** The execution plan used. */
  readonly plan: EnhancerPlan;
  /** 'simd' or 'scalar': which WASM build runs. */
  readonly flavor: 'simd' | 'scalar';
  /** Multiplications per hop as loaded (pruned weights in sparse forms count their nonzeros only). */
  readonly macsPerHop: number;
  /** Parameters of the model (elements of its tensors; BatchNorm statistics excluded). */
  readonly params: number;
  readonly memory: EnhancerMemory;
  /** Per tensor: form and bytes. */
  readonly tensors: EnhancerTensor[];
  /** Input level handling (EnhancerOptions.level). */
  readonly level: LevelMode;

  /** The model handle (assembly/nets/model.ts). */
  private readonly handle: number;
  private readonly inPtr: number;
  private readonly outPtr: number;
  private buffer: ArrayBuffer | undefined;
  private inView = new Float32Array(0);
  private outView = new Float32Array(0);
  private readonly out = new Float32Array(HOP_SAMPLES);
  /** null for level 'none' (the hop goes to the net untouched). */
  private readonly levelNormaliser: LevelNormaliser | null;

  private readonly wasm: HushModelExports;

  /** See Enhancer.create (subclasses: runtime/node/enhancer.ts). */
  protected constructor(wasm: HushWasmExports, bytes: Uint8Array, options: EnhancerOptions) {
    assertModelExports(wasm);
    this.wasm = wasm;
    const choice = options.plan ?? 'auto';
    if (!PLAN_CHOICES.includes(choice)) throw new UserError(`unknown plan '${String(choice)}' (expected auto, fast or compact)`);
    const name = options.fileName ?? 'model.hush';
    this.level = levelModeCheck(options.level ?? 'none', `${name}: level`);
    const cacheBytes = options.cacheBytes ?? 8 * 2 ** 20;
    if (!(cacheBytes > 0)) throw new UserError(`${name}: cacheBytes must be a positive number of bytes, got ${String(options.cacheBytes)}`);
    const ex = this.wasm;
    const measured = choice === 'auto' ? this.planMeasured(bytes, cacheBytes, options) : null;
    // The model boundary: bytes in, a handle out; the WASM side validates and binds every tensor.
    let h: number;
    try {
      h = modelOpen(ex, bytes, name, choice, cacheBytes);
    } finally {
      if (measured) (ex as PlanMeasureExports).planOverrideClear(); // the pinned forms were for this load only
    }
    if (ex.modelOutputCount(h) !== 1) {
      throw new UserError(`${name}: a speaker-separation model (${ex.modelOutputCount(h)} outputs at ${hushModelInfo(bytes).signal.sampleRateHz} Hz); run it with Separator (runtime/core/separator.ts)`);
    }
    this.handle = h;
    // Names of the report lines and the config: the table and header (no tensor data is read).
    const info = hushModelInfo(bytes);
    this.config = info.config;
    const names: string[] = [];
    for (const t of info.tensors.values()) names[t.index] = t.name;
    this.flavor = ex.simdEnabled() ? 'simd' : 'scalar';
    this.inPtr = ex.modelInputPtr(h);
    this.outPtr = ex.modelOutputPtr(h);
    this.latencySamples = ex.modelLatencySamples(h);
    this.delaySamples = this.latencySamples - HOP_SAMPLES;
    this.levelNormaliser = this.level === 'none' ? null : new LevelNormaliser(this.level, this.delaySamples);
    this.macsPerHop = ex.modelMacsPerHop(h);
    this.params = ex.modelParams(h);
    const fileBytes = ex.modelFileBytes(h), weightsBytes = ex.modelWeightsBytes(h);
    const stateBytes = ex.modelStateBytes(h), scratchBytes = ex.modelScratchBytes(h);
    this.memory = {
      fileBytes, weightsBytes, stateBytes, scratchBytes,
      totalBytes: fileBytes + weightsBytes + stateBytes + scratchBytes,
      wasmBytes: ex.memory.buffer.byteLength,
    };
    const matForms = Object.keys(MAT_FORM_IDS) as MatForm[];
    const convForms = Object.keys(CONV_FORM_IDS) as ConvForm[];
    const mats = new Map<string, { form: MatForm }>();
    this.tensors = [];
    for (let i = 0; i < ex.modelReportCount(h); i++) {
      const kind = ex.modelReportKind(h, i);
      const second = ex.modelReportSecond(h, i);
      let tensor = names[ex.modelReportTensor(h, i)];
      if (kind === REPORT_BATCHNORM) tensor = tensor.replace(/\.weight$/, '');
      const label = second >= 0 ? `${tensor}+${names[second]}` : tensor;
      const id = ex.modelReportForm(h, i);
      let form: EnhancerTensor['form'] = 'dense';
      if (kind === REPORT_MATRIX) {
        form = matForms.find((f) => MAT_FORM_IDS[f] === id) ?? 'dense';
        mats.set(tensor, { form });
      } else if (kind === REPORT_CONV) {
        const c = convForms.find((f) => CONV_FORM_IDS[f] === id) ?? 'dense';
        form = c === 'dense' ? 'dense' : `conv-${c}`;
      }
      this.tensors.push({ name: label, form, bytes: ex.modelReportBytes(h, i) });
    }
    this.plan = {
      choice, flavor: this.flavor, cacheBytes, memoryBound: ex.modelMemoryBound(h) !== 0,
      denseMatrixBytes: ex.modelDenseMatrixBytes(h), loadScratchBytes: ex.modelLoadScratchBytes(h), mats, measured,
    };
  }

  /**
   * The measuring planner's steps 1–3 (runtime/core/planMeasure.ts): an unpinned load, timing of each
   * matrix's forms, then memReset and the choices pinned for the real load. A build without the
   * planner's exports, or a file the first load refuses, leaves the plan to the cost model (the real
   * load then reports any error).
   */
  private planMeasured(bytes: Uint8Array, cacheBytes: number, options: EnhancerOptions): PlanMeasureReport {
    const ex = this.wasm as PlanMeasureExports;
    const budgetMs = options.planBudgetMs ?? 0;
    const timer = options.planTimer !== undefined ? options.planTimer : planTimerDefault();
    const none = (fallback: PlanMeasureReport['fallback']): PlanMeasureReport => ({ budgetMs, spentMs: 0, buildMs: 0, fallback, tensors: [] });
    if (!(budgetMs >= 0)) throw new UserError(`planBudgetMs must be a number ≥ 0, got ${String(options.planBudgetMs)}`);
    if (budgetMs === 0) return none('disabled');
    if (!timer) return none('no-clock');
    if (typeof ex.planMatOptions !== 'function' || typeof ex.memMark !== 'function') return none('disabled');
    ex.planOverrideClear();
    const filePtr = ex.memAlloc(bytes.length);
    if (filePtr === 0) return none('disabled');
    new Uint8Array(ex.memory.buffer, filePtr, bytes.length).set(bytes);
    const h = ex.modelCreate(filePtr, bytes.length, PLAN_IDS.auto, cacheBytes);
    if (h === 0) {
      ex.memReset();
      return none('disabled');
    }
    const matForms = Object.keys(MAT_FORM_IDS) as MatForm[];
    const matrices: { index: number; form: MatForm }[] = [];
    for (let i = 0; i < ex.modelReportCount(h); i++) {
      if (ex.modelReportKind(h, i) !== REPORT_MATRIX) continue;
      const id = ex.modelReportForm(h, i);
      matrices.push({ index: ex.modelReportTensor(h, i), form: matForms.find((f) => MAT_FORM_IDS[f] === id) ?? 'dense' });
    }
    const report = planMeasure(ex, filePtr, bytes.length, matrices, ex.modelMemoryBound(h) !== 0, ex.modelLoadScratchBytes(h), budgetMs, timer);
    ex.memReset(); // the probe load and the candidates: the real load starts from an empty heap
    for (const t of report.tensors) if (t.chosen !== t.heuristic) ex.planOverrideSet(t.index, MAT_FORM_IDS[t.chosen]);
    return report;
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
      this.wasm.modelStep(this.handle);
      dst.set(this.outView);
    } else {
      level.scaleInput(hop, this.inView);
      this.wasm.modelStep(this.handle);
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
    this.wasm.modelReset(this.handle);
    this.levelNormaliser?.reset();
  }
}
