/**
 * JS driver of the WASM streaming framer / overlap-adder for TCNN (assembly/dsp/framing.ts).
 * Browser-safe. Same alignment as WasmStft: input hop t → frame t = x[160t − 160, 160t + 160)
 * (rectangular); overlap-adding frame t → output samples [160(t−1), 160t), each the mean of its two
 * frames, so output lags input by `delaySamples` = 160 (src/dsp/framing.ts is the batch definition).
 */
import type { HushWasmExports } from './wasm.js';

/** The WASM exports this driver needs. */
export interface FramingWasmExports extends HushWasmExports {
  framingCreate(): number;
  framingReset(fr: number): void;
  framingAnalyzeHop(fr: number, inPtr: number, framePtr: number): void;
  framingSynthesizeHop(fr: number, framePtr: number, outPtr: number): void;
  stftDelaySamples(): number;
  dspHopSamples(): number;
  dspWindowSamples(): number;
}

/** A streaming framer + 50 % overlap-adder running in WASM (float32). */
export class WasmFraming {
  readonly hopSamples: number;
  readonly frameSamples: number;
  /** Output lags input by this many samples when driven hop by hop (160). */
  readonly delaySamples: number;
  /** Pointer of the framing object (stream state). */
  readonly statePtr: number;
  /** I/O buffers in WASM memory (f32): input hop [160], frame [320], output hop [160]. */
  readonly inPtr: number;
  readonly framePtr: number;
  readonly outPtr: number;

  private constructor(private readonly wasm: FramingWasmExports) {
    this.hopSamples = wasm.dspHopSamples();
    this.frameSamples = wasm.dspWindowSamples();
    this.delaySamples = wasm.stftDelaySamples();
    this.statePtr = wasm.framingCreate();
    this.inPtr = wasm.memAlloc(4 * this.hopSamples);
    this.framePtr = wasm.memAlloc(4 * this.frameSamples);
    this.outPtr = wasm.memAlloc(4 * this.hopSamples);
    if (!this.statePtr || !this.inPtr || !this.framePtr || !this.outPtr) {
      throw new Error('hushpack wasm: out of memory creating the framer');
    }
  }

  /** Allocates a framing stream in `wasm`. */
  static create(wasm: HushWasmExports): WasmFraming {
    for (const name of ['framingCreate', 'framingReset', 'framingAnalyzeHop', 'framingSynthesizeHop', 'stftDelaySamples', 'dspHopSamples', 'dspWindowSamples']) {
      if (typeof wasm[name] !== 'function') throw new Error(`hushpack wasm: missing export ${name}; rebuild with \`npm run build:wasm\``);
    }
    return new WasmFraming(wasm as FramingWasmExports);
  }

  private f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.wasm.memory.buffer, ptr, n);
  }

  /** Clears the stream state. */
  reset(): void {
    this.wasm.framingReset(this.statePtr);
  }

  /** One input hop (160) → the next frame (320) into `frame`. */
  analyzeHop(hop: ArrayLike<number>, frame: Float32Array): void {
    if (hop.length !== this.hopSamples) throw new RangeError(`WasmFraming: hop must have ${this.hopSamples} samples, got ${hop.length}`);
    this.f32(this.inPtr, this.hopSamples).set(hop);
    this.wasm.framingAnalyzeHop(this.statePtr, this.inPtr, this.framePtr);
    frame.set(this.f32(this.framePtr, this.frameSamples));
  }

  /** One frame (320) → the next 160 output samples into `out`. */
  synthesizeHop(frame: ArrayLike<number>, out: Float32Array): void {
    if (frame.length !== this.frameSamples) throw new RangeError(`WasmFraming: frame must have ${this.frameSamples} samples, got ${frame.length}`);
    this.f32(this.framePtr, this.frameSamples).set(frame);
    this.wasm.framingSynthesizeHop(this.statePtr, this.framePtr, this.outPtr);
    out.set(this.f32(this.outPtr, this.hopSamples));
  }
}
