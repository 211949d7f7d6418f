/**
 * The libtorch per-frame enhancer: a Net streamed hop by hop (batch 1) with the WASM runtime's
 * framing — the reference for per-hop speed ("libtorch's own batch-1 streaming") and a readable
 * model of what runtime/core/enhancer.ts computes. Same timing contract as the WASM Enhancer:
 * 160 samples at 16 kHz in → 160 out, output sample n is the enhanced input sample n − 160,
 * latencySamples = 320.
 *
 * One hop reads top to bottom (as rnnoise's frame function):
 *   spectral nets  stftStreamAnalyzeHop → features → net step → outputSpectrum → stftStreamSynthesizeHop
 *   tcnn           framingStreamFrame → net step → framingStreamOverlapAdd
 * DSP in float64 (src/dsp/stftStream.ts, framingStream.ts), the network in libtorch float32.
 * processBuffer(x) equals src/train/features.ts enhanceWaveform(net, x) (test/models/stream.test.ts).
 */
import { HOP_SAMPLES, NUM_BINS, STFT_DELAY_SAMPLES, STFT_LATENCY_SAMPLES } from '../dsp/constants.js';
import { framingStreamCreate, framingStreamFrame, framingStreamOverlapAdd, framingStreamReset } from '../dsp/framingStream.js';
import { stftStreamAnalyzeHop, stftStreamCreate, stftStreamReset, stftStreamSynthesizeHop } from '../dsp/stftStream.js';
import { outputSpectrum } from '../train/features.js';
import type { Net } from '../models/net.js';
import { netStreamCreate, type NetStream } from './net.js';

/** A Net enhancing a 16 kHz stream hop by hop (see the file comment). */
export class TorchStreamEnhancer {
  readonly hopSamples = HOP_SAMPLES;
  /** One hop of buffering + the STFT/framing delay: 320 samples (20 ms), as the WASM runtime. */
  readonly latencySamples = STFT_LATENCY_SAMPLES;
  /** Output sample n of the hop stream is the enhanced input sample n − delaySamples. */
  readonly delaySamples = STFT_DELAY_SAMPLES;
  readonly stream: NetStream;

  readonly #arch: Net['config']['arch'];
  readonly #stft = stftStreamCreate();
  readonly #framing = framingStreamCreate();
  /** Frame t's noisy spectrum [161] + [161]. */
  readonly #re = new Float64Array(NUM_BINS);
  readonly #im = new Float64Array(NUM_BINS);
  /** The network's input frame. */
  readonly #input: Float32Array;
  readonly #out = new Float32Array(HOP_SAMPLES);

  /** Streams `net` (which stays owned by the caller; dispose() frees only the stream). */
  constructor(net: Net) {
    this.stream = netStreamCreate(net);
    this.#arch = net.config.arch;
    this.#input = new Float32Array(this.stream.frameValues);
  }

  /** One hop: 160 input samples → the 160 output samples (into `out` when given, else a reused buffer). */
  process(hop: Float32Array, out: Float32Array = this.#out): Float32Array {
    if (hop.length !== HOP_SAMPLES) throw new RangeError(`process: a hop has ${HOP_SAMPLES} samples, got ${hop.length}`);
    const arch = this.#arch;
    const x = this.#input;
    if (arch === 'tcnn') {
      framingStreamFrame(this.#framing, hop, x); //                 frame t = [hop t − 1, hop t]
      const y = this.stream.stepFrame(x); //                         enhanced frame [320]
      framingStreamOverlapAdd(this.#framing, y, out); //             ½ (frame t − 1 tail + frame t head)
      return out;
    }
    const re = this.#re;
    const im = this.#im;
    stftStreamAnalyzeHop(this.#stft, hop, re, im); //               Y_t
    if (arch === 'gcrn') {
      x.set(re);
      x.set(im, NUM_BINS);
    } else for (let k = 0; k < NUM_BINS; k++) x[k] = Math.hypot(re[k], im[k]); // |Y_t|
    const y = this.stream.stepFrame(x); //                           mask / magnitude / (Re, Im) Ŝ_t
    const s = outputSpectrum(arch, y, { frames: 1, re, im }); //     Ŝ_t as features.ts
    stftStreamSynthesizeHop(this.#stft, s.re, s.im, out); //         WOLA
    return out;
  }

  /** A whole signal, latency-compensated: same length as x (zero-padded at the end to flush the delay). */
  processBuffer(x: Float32Array): Float32Array {
    const hops = Math.ceil((x.length + this.delaySamples) / HOP_SAMPLES);
    const stream = new Float32Array(hops * HOP_SAMPLES);
    const hop = new Float32Array(HOP_SAMPLES);
    for (let h = 0; h < hops; h++) {
      hop.fill(0);
      hop.set(x.subarray(Math.min(h * HOP_SAMPLES, x.length), Math.min(h * HOP_SAMPLES + HOP_SAMPLES, x.length)));
      this.process(hop, stream.subarray(h * HOP_SAMPLES, (h + 1) * HOP_SAMPLES));
    }
    return stream.slice(this.delaySamples, this.delaySamples + x.length);
  }

  /** Back to the start of a stream. */
  reset(): void {
    this.stream.reset();
    stftStreamReset(this.#stft);
    framingStreamReset(this.#framing);
  }

  /** Frees the stream state (the Net stays). */
  dispose(): void {
    this.stream.dispose();
  }
}

