/**
 * The browser-free core of the AudioWorklet for a speaker-separation model (format 1.1): render
 * quanta (Q samples at the context rate fs) in, one output channel per speaker out. The sibling of
 * HopBridge (./processor.ts) for a Separator (runtime/core/separator.ts), whose hops are at the
 * model's own rate (8 kHz, 80 samples) and which gives one hop per speaker:
 *
 *   input ─► [fs → model rate] ─► hop ring (hop) ─► Separator ─┬─► [model rate → fs] ─► FIFO 1 ─► channel 1
 *                                                              └─► [model rate → fs] ─► FIFO 2 ─► channel 2
 *   (the resamplers are skipped when fs is the model's rate)
 *
 * Buffering is HopBridge's: the FIFOs are primed with P = quantumPlanCreate(fs, Q, model rate,
 * hop).primingSamples zeros (hop accumulation and both resamplers' lookaheads), so they never run
 * dry, and the latency is P + D·fs/rate with D the Separator's hop-stream delay (its samples).
 * What HopBridge adds beyond that — dry/wet mix, attenuation floor, bypass crossfades, overload
 * fallback, model swaps — is not here: a separated speaker has no dry signal to mix with. A
 * non-finite input hop resets the net inside WASM (silence for that hop), as for every net.
 * Allocation-free per quantum once constructed (the resamplers' buffers settle after the first
 * quanta).
 */
import { StreamingResampler } from '../../src/dsp/resample.js';
import type { Separator } from '../core/separator.js';
import { quantumPlanCreate, type QuantumPlan } from './quantumPlan.js';
import { SampleFifo } from './sampleRing.js';

/** Latency of the bridge in context-rate samples. */
export interface SeparationBridgeLatency {
  /** Whole samples (rounded exactSamples). */
  samples: number;
  /** P + D·fs/rate (fractional when D·fs/rate is). */
  exactSamples: number;
  ms: number;
  /** P: the FIFOs' priming. */
  bufferingSamples: number;
  /** D·fs/rate: the Separator's hop-stream delay at the context rate. */
  processorSamples: number;
}

/** Construction options. */
export interface SeparationBridgeOptions {
  /** Context sample rate (Hz). */
  sampleRate: number;
  separator: Separator;
  /** Render quantum length (default 128). */
  quantumSamples?: number;
}

export class SeparationBridge {
  readonly sampleRate: number;
  readonly quantumSamples: number;
  /** Output channels: the speakers. */
  readonly outputCount: number;
  readonly plan: QuantumPlan;
  readonly separator: Separator;

  private readonly inResampler: StreamingResampler | null;
  private readonly outResamplers: (StreamingResampler | null)[];
  private readonly fifos: SampleFifo[];
  /** Model-rate samples waiting for a whole hop, and how many. */
  private readonly hop: Float32Array;
  private hopFill = 0;
  /** Scratch: resampled input (model rate) and resampled output (context rate) of one step. */
  private readonly modelScratch: Float32Array;
  private readonly contextScratch: Float32Array;
  private readonly outs: Float32Array[];
  /** A quantum of zeros (for a disconnected input). */
  private readonly silence: Float32Array;

  constructor(o: SeparationBridgeOptions) {
    const s = o.separator;
    this.sampleRate = o.sampleRate;
    this.quantumSamples = o.quantumSamples ?? 128;
    this.separator = s;
    this.outputCount = s.outputCount;
    this.plan = quantumPlanCreate(o.sampleRate, this.quantumSamples, s.sampleRate, s.hopSamples);
    const resampled = o.sampleRate !== s.sampleRate;
    this.inResampler = resampled ? new StreamingResampler(o.sampleRate, s.sampleRate) : null;
    this.outResamplers = Array.from({ length: s.outputCount }, () => (resampled ? new StreamingResampler(s.sampleRate, o.sampleRate) : null));
    // Room for the worst fill plus a quantum and a resampled hop of slack.
    const capacity = this.plan.fifoCapacitySamples + this.quantumSamples + Math.ceil((s.hopSamples * o.sampleRate) / s.sampleRate) + 64;
    this.fifos = Array.from({ length: s.outputCount }, () => new SampleFifo(capacity));
    this.hop = new Float32Array(s.hopSamples);
    this.modelScratch = new Float32Array(Math.ceil((this.quantumSamples * s.sampleRate) / o.sampleRate) + 64);
    this.contextScratch = new Float32Array(Math.ceil((s.hopSamples * o.sampleRate) / s.sampleRate) + 64);
    this.outs = Array.from({ length: s.outputCount }, () => new Float32Array(s.hopSamples));
    this.silence = new Float32Array(this.quantumSamples);
    this.reset();
  }

  /** The latency every output channel has relative to the input. */
  get latency(): SeparationBridgeLatency {
    const processorSamples = (this.separator.delaySamples * this.sampleRate) / this.separator.sampleRate;
    const exact = this.plan.primingSamples + processorSamples;
    return { samples: Math.round(exact), exactSamples: exact, ms: (exact / this.sampleRate) * 1000, bufferingSamples: this.plan.primingSamples, processorSamples };
  }

  /** Forgets the stream: the net's state, resamplers, hop ring; the FIFOs primed again. */
  reset(): void {
    this.separator.reset();
    this.inResampler?.reset();
    for (const r of this.outResamplers) r?.reset();
    this.hopFill = 0;
    for (const f of this.fifos) {
      f.clear();
      f.writeZeros(this.plan.primingSamples);
    }
  }

  /** Model-rate samples into the hop ring; runs the Separator on every whole hop. */
  private hopPush(src: Float32Array, n: number): void {
    const H = this.hop.length;
    let i = 0;
    while (i < n) {
      const take = Math.min(H - this.hopFill, n - i);
      this.hop.set(src.subarray(i, i + take), this.hopFill);
      this.hopFill += take;
      i += take;
      if (this.hopFill < H) break;
      this.hopFill = 0;
      this.separator.process(this.hop, this.outs);
      for (let k = 0; k < this.outputCount; k++) {
        const r = this.outResamplers[k];
        if (r === null) {
          this.fifos[k].write(this.outs[k], H);
          continue;
        }
        r.push(this.outs[k]);
        const got = r.pull(this.contextScratch);
        this.fifos[k].write(this.contextScratch, got);
      }
    }
  }

  /**
   * One render quantum: `input` (Q samples; undefined = silence) → outputs[k] (Q samples) for speaker
   * k; outputs beyond the speakers are zeroed, missing ones skipped.
   */
  process(input: Float32Array | undefined, outputs: Float32Array[]): void {
    const q = this.quantumSamples;
    const x = input ?? this.silence;
    if (this.inResampler === null) this.hopPush(x, q);
    else {
      this.inResampler.push(x);
      const got = this.inResampler.pull(this.modelScratch);
      this.hopPush(this.modelScratch, got);
    }
    for (let k = 0; k < outputs.length; k++) {
      if (k < this.outputCount) this.fifos[k].read(outputs[k], q);
      else outputs[k].fill(0);
    }
  }
}
