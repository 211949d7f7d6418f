/**
 * The one interface every streaming enhancer implements for the real-time hosts (the AudioWorklet
 * bridge in runtime/worklet/processor.ts, the Node live path): 160 samples at 16 kHz in, 160 out,
 * synchronously, once per 10 ms hop. Browser-safe: types and a validator only.
 *
 * Who implements it: the WASM nets (`.hush` models, created by createHopProcessor() in
 * hopProcessorFactory.ts) and, for tests and as the "no model" default, IdentityHopProcessor
 * (identityProcessor.ts: WASM STFT analysis → synthesis, no network).
 */
import { HOP_SAMPLES, SAMPLE_RATE_HZ } from '../../src/dsp/constants.js';

/**
 * A streaming 16 kHz speech enhancer driven hop by hop.
 *
 * Timing contract: `latencySamples` is the real-time algorithmic latency in 16 kHz samples, counted
 * the way the STFT counts it (runtime/core/stftWasm.ts, STFT_LATENCY_SAMPLES): one hop of
 * accumulation plus the delay of the hop stream. So when hops are pushed back to back, output
 * sample n of the concatenated output stream estimates input sample n − (latencySamples − 160):
 *   STFT nets and TCNN framing: latencySamples = 320 (one 20 ms window) → hop-stream delay 160.
 * The host adds its own buffering on top (see HopBridge.latency).
 *
 * Ownership: `process` reads `input` and writes all 160 samples of `output`; it must not keep
 * either array, must not allocate, and must not throw in steady state. Weights are read-only and
 * may be shared; stream state belongs to this instance. `reset` clears the stream state (as if the
 * input had been silent forever) without reallocating.
 */
export interface HopProcessor {
  /** Always HOP_SAMPLES (160: 10 ms). */
  readonly hopSamples: typeof HOP_SAMPLES;
  /** Always SAMPLE_RATE_HZ (16000). */
  readonly sampleRate: typeof SAMPLE_RATE_HZ;
  /** Real-time latency in 16 kHz samples including one hop of accumulation (≥ 160; 320 for STFT nets). */
  readonly latencySamples: number;
  /** Consumes one input hop (160 samples) and writes the next output hop (160 samples). */
  process(input: Float32Array, output: Float32Array): void;
  /** Clears all stream state (recurrent state, overlap-add memories, ring buffers). */
  reset(): void;
  /** Gain (linear) its input level normaliser applied to the last input sample, if it has one (src/dsp/level.ts). */
  readonly levelGain?: number;
}

/**
 * Delay of the hop stream in 16 kHz samples: out[n] = in[n − delay] (latencySamples − hopSamples).
 * Throws when `p` breaks the contract's static part (hop size, rate, latency range).
 */
export function hopProcessorDelaySamples(p: HopProcessor): number {
  if (p.hopSamples !== HOP_SAMPLES) throw new RangeError(`HopProcessor: hopSamples must be ${HOP_SAMPLES}, got ${p.hopSamples}`);
  if (p.sampleRate !== SAMPLE_RATE_HZ) throw new RangeError(`HopProcessor: sampleRate must be ${SAMPLE_RATE_HZ}, got ${p.sampleRate}`);
  const lat = p.latencySamples;
  const maxLatency = 16 * SAMPLE_RATE_HZ; // 16 s
  if (!Number.isInteger(lat) || lat < HOP_SAMPLES || lat > maxLatency) {
    throw new RangeError(`HopProcessor: latencySamples must be an integer in [${HOP_SAMPLES}, ${maxLatency}], got ${lat}`);
  }
  return lat - HOP_SAMPLES;
}
