/**
 * The AudioWorklet processor (audio thread), bundled to dist/web/hush-worklet.js. Glue only:
 * instantiate the WASM module from processorOptions, build the HopProcessor through the one
 * factory (createHopProcessor) and the HopBridge (processor.ts) around it, pass render quanta
 * through, and translate port messages. Mono in, mono out (the node asks for channelCount 1,
 * 'explicit', so the browser downmixes; extra output channels get copies).
 * A speaker-separation model (format 1.1) runs on a Separator in a SeparationBridge instead: output
 * channel k is speaker k (the node asks for one output channel per speaker); it has no dry signal,
 * so bypass, wet, floor and model swaps are refused with an error message.
 */
import { createHopProcessor } from '../core/hopProcessorFactory.js';
import type { LevelMode } from '../../src/dsp/level.js';
import { instantiateHush, type HushWasmExports } from '../core/wasm.js';
import { HUSH_PROCESSOR_NAME, type HushNodeMessage, type HushProcessorMessage, type HushProcessorOptions } from './messages.js';
import { HopBridge } from './processor.js';
import { Separator } from '../core/separator.js';
import { SeparationBridge } from './separationBridge.js';
import { hushIsSeparation } from './separationModel.js';

// AudioWorkletGlobalScope (not in TypeScript's DOM lib).
declare const sampleRate: number;
declare function registerProcessor(name: string, ctor: new (options: AudioWorkletNodeOptions) => AudioWorkletProcessorBase): void;
declare class AudioWorkletProcessorBase {
  readonly port: MessagePort;
  constructor(options?: AudioWorkletNodeOptions);
}
const AudioWorkletProcessorBaseCtor = (globalThis as unknown as { AudioWorkletProcessor: typeof AudioWorkletProcessorBase }).AudioWorkletProcessor;

class HushWorkletProcessor extends AudioWorkletProcessorBaseCtor {
  private bridge: HopBridge | null = null;
  /** Set instead of `bridge` for a separation model. */
  private separation: SeparationBridge | null = null;
  private module: Promise<WebAssembly.Module>;
  private ready: Promise<void>;
  /** setModel requests swapped in by the bridge but not yet acknowledged, oldest first. */
  private modelWaiting: number[] = [];
  private readonly statsIntervalFrames: number;
  /** Input level handling of every model this node runs (a live source: 'track' unless told). */
  private readonly level: LevelMode;
  private framesSinceStats = 0;
  private failed = false;

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    const o = options.processorOptions as HushProcessorOptions;
    this.statsIntervalFrames = Math.round((o.statsIntervalSeconds ?? 1) * sampleRate);
    this.level = o.level ?? 'track';
    this.module = o.wasm instanceof WebAssembly.Module ? Promise.resolve(o.wasm) : WebAssembly.compile(o.wasm as BufferSource);
    this.port.onmessage = (e: MessageEvent<HushNodeMessage>) => this.onMessage(e.data);
    this.ready = this.build(o).catch((err) => this.fail(err));
  }

  private async instance(): Promise<HushWasmExports> {
    return instantiateHush(await this.module);
  }

  private async build(o: HushProcessorOptions): Promise<void> {
    if (o.model && hushIsSeparation(o.model)) {
      this.separation = new SeparationBridge({ sampleRate, separator: Separator.create(await this.instance(), o.model) });
      this.post({ type: 'ready', latency: this.separation.latency });
      return;
    }
    const processor = createHopProcessor(await this.instance(), o.model, { level: this.level });
    this.bridge = new HopBridge({
      sampleRate,
      processor,
      bypass: o.bypass,
      wet: o.wet,
      attenuationFloorDb: o.attenuationFloorDb,
      overload: { enabled: o.overloadFallback ?? true },
    });
    this.post({ type: 'ready', latency: this.bridge.latency });
  }

  private post(m: HushProcessorMessage): void {
    this.port.postMessage(m);
  }

  private fail(err: unknown, id?: number): void {
    this.post({ type: 'error', id, message: err instanceof Error ? err.message : String(err) });
  }

  private onMessage(m: HushNodeMessage): void {
    void this.ready.then(async () => {
      if (this.separation) {
        if (m.type === 'reset') this.separation.reset();
        else this.fail(new Error(`${m.type} does not apply to a speaker-separation model`), m.type === 'setModel' ? m.id : undefined);
        return;
      }
      const bridge = this.bridge;
      if (!bridge) return;
      try {
        switch (m.type) {
          case 'setModel': {
            const processor = createHopProcessor(await this.instance(), m.model, { level: this.level });
            bridge.setProcessor(processor);
            this.modelWaiting.push(m.id);
            break;
          }
          case 'bypass':
            bridge.bypass = m.value;
            break;
          case 'wet':
            bridge.wet = m.value;
            break;
          case 'floor':
            bridge.attenuationFloorDb = m.value;
            break;
          case 'stats':
            this.post({ type: 'stats', stats: bridge.stats() });
            break;
          case 'reset':
            bridge.reset();
            break;
        }
      } catch (err) {
        this.fail(err, m.type === 'setModel' ? m.id : undefined);
      }
    });
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0];
    if (this.separation && out && out.length > 0 && !this.failed) {
      try {
        this.separation.process(inputs[0]?.[0], out); // channel k = speaker k
      } catch (err) {
        this.failed = true;
        this.fail(err);
      }
      return true;
    }
    const bridge = this.bridge;
    if (!out || out.length === 0 || !bridge || this.failed) return true; // outputs are zeros
    try {
      bridge.process(inputs[0]?.[0], out[0]);
    } catch (err) {
      // A bug, not a condition: report once and go silent rather than throw every quantum.
      this.failed = true;
      this.fail(err);
      return true;
    }
    for (let c = 1; c < out.length; c++) out[c].set(out[0]);
    if (this.modelWaiting.length > 0 && !bridge.swapPending) {
      // Requests queued before the swap all took effect with it (the last one queued won).
      for (const id of this.modelWaiting) this.post({ type: 'model', id, latency: bridge.latency });
      this.modelWaiting = [];
    }
    if (this.statsIntervalFrames > 0) {
      this.framesSinceStats += out[0].length;
      if (this.framesSinceStats >= this.statsIntervalFrames) {
        this.framesSinceStats = 0;
        this.post({ type: 'stats', stats: bridge.stats() });
      }
    }
    return true;
  }
}

registerProcessor(HUSH_PROCESSOR_NAME, HushWorkletProcessor);
