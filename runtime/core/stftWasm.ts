/**
 * JS driver of the WASM streaming STFT (assembly/dsp/stft.ts). Browser-safe: no Node APIs.
 *
 * One instance = one stream. Per hop: analyzeHop(160 input samples) → 161 complex bins (split re/im,
 * bin k = k·50 Hz), and synthesizeHop(161 bins) → 160 output samples. Alignment (src/dsp/framing.ts):
 * analysing input hop t gives frame t of stftAnalyze() (src/dsp/stft.ts) within float32 rounding;
 * synthesising frame t gives output samples [160(t−1), 160t), so output lags input by
 * `delaySamples` = 160, and the real-time latency (hop buffering + delay) is `latencySamples` = 320.
 *
 * The I/O buffers live in WASM memory (allocated once at create, 16-byte aligned); their pointers
 * are public so other WASM kernels (the nets) can read the bins in place without copies.
 */
import type { HushWasmExports } from './wasm.js';

/** The WASM exports this driver needs (assembly/dsp/{constants,stft}.ts). */
export interface StftWasmExports extends HushWasmExports {
  stftCreate(): number;
  stftReset(st: number): void;
  stftAnalyzeHop(st: number, inPtr: number, outRe: number, outIm: number): void;
  stftSynthesizeHop(st: number, inRe: number, inIm: number, outPtr: number): void;
  stftDelaySamples(): number;
  stftLatencySamples(): number;
  dspHopSamples(): number;
  dspNumBins(): number;
}

/** Throws unless `wasm` has the STFT exports (a build older than the DSP layer). */
export function assertStftExports(wasm: HushWasmExports): asserts wasm is StftWasmExports {
  for (const name of ['stftCreate', 'stftReset', 'stftAnalyzeHop', 'stftSynthesizeHop', 'stftDelaySamples', 'stftLatencySamples', 'dspHopSamples', 'dspNumBins']) {
    if (typeof wasm[name] !== 'function') throw new Error(`hushpack wasm: missing export ${name}; rebuild with \`npm run build:wasm\``);
  }
}

/** A streaming STFT analyser + WOLA synthesiser running in WASM (float32). */
export class WasmStft {
  /** Samples per hop in and out (160). */
  readonly hopSamples: number;
  /** Bins per frame (161). */
  readonly numBins: number;
  /** Output lags input by this many samples when driven hop by hop (160). */
  readonly delaySamples: number;
  /** Real-time latency of analysis + synthesis, before device buffering (320 = one window). */
  readonly latencySamples: number;
  /** Pointer of the STFT object (tables, stream state, scratch). */
  readonly statePtr: number;
  /** Pointers of the I/O buffers: input hop [160], bins re [161], im [161], output hop [160] (f32). */
  readonly inPtr: number;
  readonly rePtr: number;
  readonly imPtr: number;
  readonly outPtr: number;
  private buffer: ArrayBuffer | undefined;
  private inView = new Float32Array(0);
  private reView = new Float32Array(0);
  private imView = new Float32Array(0);
  private outView = new Float32Array(0);

  private constructor(private readonly wasm: StftWasmExports) {
    this.hopSamples = wasm.dspHopSamples();
    this.numBins = wasm.dspNumBins();
    this.delaySamples = wasm.stftDelaySamples();
    this.latencySamples = wasm.stftLatencySamples();
    this.statePtr = wasm.stftCreate();
    this.inPtr = wasm.memAlloc(4 * this.hopSamples);
    this.rePtr = wasm.memAlloc(4 * this.numBins);
    this.imPtr = wasm.memAlloc(4 * this.numBins);
    this.outPtr = wasm.memAlloc(4 * this.hopSamples);
    if (!this.statePtr || !this.inPtr || !this.rePtr || !this.imPtr || !this.outPtr) {
      throw new Error('hushpack wasm: out of memory creating the STFT');
    }
  }

  /** Allocates an STFT stream in `wasm` (once; nothing is allocated per hop). */
  static create(wasm: HushWasmExports): WasmStft {
    assertStftExports(wasm);
    return new WasmStft(wasm);
  }

  /** Float32 views of the I/O buffers, re-made when memory has grown (growth detaches views). */
  private views(): void {
    const buf = this.wasm.memory.buffer;
    if (buf === this.buffer) return;
    this.buffer = buf;
    this.inView = new Float32Array(buf, this.inPtr, this.hopSamples);
    this.reView = new Float32Array(buf, this.rePtr, this.numBins);
    this.imView = new Float32Array(buf, this.imPtr, this.numBins);
    this.outView = new Float32Array(buf, this.outPtr, this.hopSamples);
  }

  /** Clears the stream state (input history and overlap). */
  reset(): void {
    this.wasm.stftReset(this.statePtr);
  }

  /** One input hop (160 samples) → re/im (161 each) of the next STFT frame. */
  analyzeHop(hop: ArrayLike<number>, re: Float32Array, im: Float32Array): void {
    this.views();
    this.inView.set(checkLength(hop, this.hopSamples, 'hop'));
    this.wasm.stftAnalyzeHop(this.statePtr, this.inPtr, this.rePtr, this.imPtr);
    re.set(this.reView);
    im.set(this.imView);
  }

  /** One frame's re/im (161 each) → the next 160 output samples into `out`. */
  synthesizeHop(re: ArrayLike<number>, im: ArrayLike<number>, out: Float32Array): void {
    this.views();
    this.reView.set(checkLength(re, this.numBins, 're'));
    this.imView.set(checkLength(im, this.numBins, 'im'));
    this.wasm.stftSynthesizeHop(this.statePtr, this.rePtr, this.imPtr, this.outPtr);
    out.set(this.outView);
  }
}

function checkLength(a: ArrayLike<number>, n: number, what: string): ArrayLike<number> {
  if (a.length !== n) throw new RangeError(`WasmStft: ${what} must have ${n} samples, got ${a.length}`);
  return a;
}
