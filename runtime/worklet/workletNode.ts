/**
 * HushNode: the AudioWorkletNode a web page puts between its microphone and its output.
 *
 *   const node = await HushNode.create(ctx, { model: '/models/gcrn-c2.hush' });
 *   mic.connect(node).connect(ctx.destination);
 *   node.latency;            // { samples, ms, … } at ctx.sampleRate — what it adds, honestly
 *   node.bypass = true;      // crossfades to the dry signal, delayed by the same latency
 *   node.onstats = (s) => …  // per-hop compute µs (mean, p50, p99), misses, overload fallbacks,
 *                            // the input level gain (levelGainDb)
 *
 * Level: the models were trained at unit RMS; a microphone is 25–50 dB quieter. By default
 * (`level: 'track'`) each model's input is scaled to the training level by a causal level tracker
 * and its output scaled back (src/dsp/level.ts), so the node's output keeps the input's level.
 * `level: 'none'` feeds the net the raw signal (for a source already normalised to unit RMS);
 * `{ gain: g }` a fixed gain.
 *
 * Runs in browsers and under node-web-audio-api (set globalThis.AudioWorkletNode to its class
 * before importing, and pass `wasm` as a compiled Module and `workletUrl` as a file path/URL).
 * Main thread only; the audio work happens in workletProcessor.ts.
 */
import type { HopBridgeLatency, HopBridgeStats } from './processor.js';
import { levelModeCheck, type LevelMode } from '../../src/dsp/level.js';
import { addHushWorklet, hushModelBytes, loadHushWasmModule } from './load.js';
import { HUSH_PROCESSOR_NAME, type HushNodeMessage, type HushProcessorMessage, type HushProcessorOptions } from './messages.js';
import { hushOutputChannels } from './separationModel.js';

/** Options of HushNode.create. */
export interface HushNodeOptions {
  /** `.hush` model: bytes or URL. Omitted/null = identity (STFT analysis → synthesis, no network). */
  model?: ArrayBuffer | Uint8Array | string | URL | null;
  /** Compiled WASM module or its URL (default: hush-simd.wasm / hush-scalar.wasm next to the bundle). */
  wasm?: WebAssembly.Module | string | URL;
  /** Worklet bundle URL (default: hush-worklet.js next to the bundle). */
  workletUrl?: string | URL;
  /** Start bypassed (default false). */
  bypass?: boolean;
  /** Wet fraction in [0, 1] (default 1). */
  wet?: number;
  /** Most attenuation (dB ≥ 0) the model may apply relative to the dry signal (default Infinity: none). */
  attenuationFloorDb?: number;
  /** Seconds of audio between `stats` events (default 1; 0 = only on requestStats()). */
  statsIntervalSeconds?: number;
  /**
   * Input level handling of the model (src/dsp/level.ts): 'track' (default: scale the input to
   * the training level, unit RMS, with a causal tracker, and the output back), 'none' (raw input) or
   * `{ gain }` (fixed). Applies to every model set on this node; the identity ignores it.
   */
  level?: LevelMode;
  /**
   * Crossfade to the dry signal while the model cannot keep up with real time, and retry later
   * (default: on for real-time contexts, off for an OfflineAudioContext, which renders as fast as it
   * can and has no deadline to miss).
   */
  overloadFallback?: boolean;
}

/** True for an OfflineAudioContext (the browser's or node-web-audio-api's): it has startRendering. */
function isOfflineContext(ctx: BaseAudioContext): boolean {
  return typeof (ctx as { startRendering?: unknown }).startRendering === 'function';
}

/** Latency the node adds, at the context rate. */
export interface HushNodeLatency {
  /** Whole samples: output[n] corresponds to input[n − samples] (exact for the dry path). */
  samples: number;
  /** Milliseconds (from the exact, possibly fractional, latency). */
  ms: number;
  /** Exact latency of the enhanced path in samples (fractional only at rates like 22.05 kHz). */
  exactSamples: number;
}

const MissingAudioWorkletNode = class {
  constructor() {
    throw new Error('hushpack: AudioWorkletNode is not defined here; in Node, set globalThis.AudioWorkletNode = (await import("node-web-audio-api")).AudioWorkletNode before importing hushpack/web');
  }
} as unknown as typeof AudioWorkletNode;

/** The base class resolved when this module loads (the browser's, or node-web-audio-api's if installed globally). */
const AudioWorkletNodeBase: typeof AudioWorkletNode = (globalThis as { AudioWorkletNode?: typeof AudioWorkletNode }).AudioWorkletNode ?? MissingAudioWorkletNode;

interface Waiter<T> {
  resolve(v: T): void;
  reject(e: Error): void;
}

/** An AudioWorkletNode running a hushpack model (or the identity) on its mono input. */
export class HushNode extends AudioWorkletNodeBase {
  /** Called with every statistics report (also dispatched as a `stats` CustomEvent with `detail`). */
  onstats: ((stats: HopBridgeStats) => void) | null = null;
  /** Called when the processor reports an error not tied to a setModel call (it then outputs silence). */
  onhusherror: ((error: Error) => void) | null = null;
  private latencyNow: HopBridgeLatency | null = null;
  private bypassNow: boolean;
  private wetNow: number;
  private floorNow: number;
  private readonly wasmModule: WebAssembly.Module;
  private nextModelId = 1;
  private readonly modelWaiters = new Map<number, Waiter<void>>();
  private readonly statsWaiters: Waiter<HopBridgeStats>[] = [];
  private readyWaiter: Waiter<void> | null = null;

  /**
   * Output channels: 1 (enhancement: the enhanced signal) or, for a speaker-separation model (format
   * 1.1), one per speaker (channel k = speaker k; split them with a ChannelSplitterNode).
   */
  readonly outputChannels: number;

  private constructor(ctx: BaseAudioContext, processorOptions: HushProcessorOptions, module: WebAssembly.Module) {
    const outputChannels = processorOptions.model ? hushOutputChannels(processorOptions.model) : 1;
    super(ctx, HUSH_PROCESSOR_NAME, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [outputChannels],
      channelCount: 1,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
      processorOptions,
    });
    this.wasmModule = module;
    this.outputChannels = outputChannels;
    this.bypassNow = processorOptions.bypass ?? false;
    this.wetNow = processorOptions.wet ?? 1;
    this.floorNow = processorOptions.attenuationFloorDb ?? Infinity;
    this.port.onmessage = (e: MessageEvent<HushProcessorMessage>) => this.onMessage(e.data);
  }

  /**
   * Loads what is needed (WASM module once per page, worklet once per context, model bytes),
   * creates the node and resolves once its processor is running (so `latency` is known).
   */
  static async create(ctx: BaseAudioContext, opts: HushNodeOptions = {}): Promise<HushNode> {
    checkWet(opts.wet ?? 1);
    checkFloor(opts.attenuationFloorDb ?? Infinity);
    const level = levelModeCheck(opts.level ?? 'track', 'HushNode level');
    const [module, model] = await Promise.all([
      opts.wasm instanceof WebAssembly.Module ? opts.wasm : loadHushWasmModule(opts.wasm),
      opts.model == null ? null : hushModelBytes(opts.model),
      addHushWorklet(ctx, opts.workletUrl),
    ]);
    const node = new HushNode(
      ctx,
      {
        wasm: module,
        model,
        bypass: opts.bypass,
        wet: opts.wet,
        attenuationFloorDb: opts.attenuationFloorDb,
        statsIntervalSeconds: opts.statsIntervalSeconds,
        level,
        overloadFallback: opts.overloadFallback ?? !isOfflineContext(ctx),
      },
      module,
    );
    await new Promise<void>((resolve, reject) => (node.readyWaiter = { resolve, reject }));
    return node;
  }

  private send(m: HushNodeMessage, transfer: Transferable[] = []): void {
    this.port.postMessage(m, transfer);
  }

  private onMessage(m: HushProcessorMessage): void {
    switch (m.type) {
      case 'ready':
        this.latencyNow = m.latency;
        this.readyWaiter?.resolve();
        this.readyWaiter = null;
        break;
      case 'model':
        this.latencyNow = m.latency;
        this.modelWaiters.get(m.id)?.resolve();
        this.modelWaiters.delete(m.id);
        break;
      case 'stats':
        for (const w of this.statsWaiters.splice(0)) w.resolve(m.stats);
        this.onstats?.(m.stats);
        if (typeof CustomEvent === 'function' && typeof this.dispatchEvent === 'function') this.dispatchEvent(new CustomEvent('stats', { detail: m.stats }));
        break;
      case 'error': {
        const err = new Error(m.message);
        if (this.readyWaiter) {
          this.readyWaiter.reject(err);
          this.readyWaiter = null;
        } else if (m.id !== undefined && this.modelWaiters.has(m.id)) {
          this.modelWaiters.get(m.id)!.reject(err);
          this.modelWaiters.delete(m.id);
        } else {
          this.onhusherror?.(err);
        }
        break;
      }
    }
  }

  /** The latency the node adds (updated when a model with another latency takes effect). */
  get latency(): HushNodeLatency {
    const l = this.latencyNow!;
    return { samples: l.samples, ms: l.ms, exactSamples: l.exactSamples };
  }

  /** Bypass: crossfade (20 ms) to the dry input, delayed by the same latency. */
  get bypass(): boolean {
    return this.bypassNow;
  }
  set bypass(b: boolean) {
    this.bypassNow = !!b;
    this.send({ type: 'bypass', value: this.bypassNow });
  }

  /** Wet fraction in [0, 1]: output = wet·enhanced + (1 − wet)·dry (ramped over 20 ms). */
  get wet(): number {
    return this.wetNow;
  }
  set wet(v: number) {
    this.wetNow = checkWet(v);
    this.send({ type: 'wet', value: v });
  }

  /** Most attenuation in dB (≥ 0, Infinity = none): enhanced' = (1 − λ)·enhanced + λ·dry, λ = 10^(−dB/20). */
  get attenuationFloorDb(): number {
    return this.floorNow;
  }
  set attenuationFloorDb(db: number) {
    this.floorNow = checkFloor(db);
    this.send({ type: 'floor', value: db });
  }

  /**
   * Replaces the model (bytes or URL; null = identity). Resolves once it is running: the output
   * fades to dry, the new model is swapped in, warmed up and faded in; `latency` is updated.
   */
  async setModel(model: ArrayBuffer | Uint8Array | string | URL | null): Promise<void> {
    const bytes = model == null ? null : await hushModelBytes(model);
    const id = this.nextModelId++;
    const done = new Promise<void>((resolve, reject) => this.modelWaiters.set(id, { resolve, reject }));
    this.send({ type: 'setModel', id, model: bytes }, bytes ? [bytes.buffer] : []);
    return done;
  }

  /** Asks the processor for statistics now (also delivered to onstats). */
  requestStats(): Promise<HopBridgeStats> {
    const p = new Promise<HopBridgeStats>((resolve, reject) => this.statsWaiters.push({ resolve, reject }));
    this.send({ type: 'stats' });
    return p;
  }

  /** The compiled WASM module this node runs (shareable with further nodes: pass it as `wasm`). */
  get module(): WebAssembly.Module {
    return this.wasmModule;
  }
}

function checkWet(v: number): number {
  if (!(v >= 0 && v <= 1)) throw new RangeError(`HushNode: wet must be in [0, 1], got ${v}`);
  return v;
}

function checkFloor(db: number): number {
  if (!(db >= 0)) throw new RangeError(`HushNode: attenuationFloorDb must be ≥ 0 dB (Infinity for none), got ${db}`);
  return db;
}
