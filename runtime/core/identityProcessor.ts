/**
 * The "no model" hop processor: WASM STFT analysis → synthesis with nothing in between, so the
 * output is the input delayed by 160 samples (to float32 rounding, ≤ ~1e-6 of full scale). It runs
 * the same DSP as the nets (same cost of the STFT part, same latency), which makes it the test
 * signal path for every host and the default of HushNode until a `.hush` model is set.
 * Browser-safe.
 */
import { HOP_SAMPLES, SAMPLE_RATE_HZ } from '../../src/dsp/constants.js';
import type { HopProcessor } from './hopProcessor.js';
import { WasmStft } from './stftWasm.js';
import type { HushWasmExports } from './wasm.js';

/** Identity through the WASM STFT: latencySamples = 320 (hop-stream delay 160). */
export class IdentityHopProcessor implements HopProcessor {
  readonly hopSamples = HOP_SAMPLES;
  readonly sampleRate = SAMPLE_RATE_HZ;
  readonly latencySamples: number;
  /** Bins of the current frame, 161 each (JS-side copies; the nets read them in WASM memory instead). */
  private readonly re: Float32Array;
  private readonly im: Float32Array;

  private constructor(private readonly stft: WasmStft) {
    this.latencySamples = stft.latencySamples;
    this.re = new Float32Array(stft.numBins);
    this.im = new Float32Array(stft.numBins);
  }

  /** Allocates one STFT stream in `wasm` (once; nothing is allocated per hop). */
  static create(wasm: HushWasmExports): IdentityHopProcessor {
    return new IdentityHopProcessor(WasmStft.create(wasm));
  }

  /** stftAnalyze → (nothing) → stftSynthesize: 160 in, the 160 samples from one hop earlier out. */
  process(input: Float32Array, output: Float32Array): void {
    this.stft.analyzeHop(input, this.re, this.im);
    this.stft.synthesizeHop(this.re, this.im, output);
  }

  reset(): void {
    this.stft.reset();
  }
}
