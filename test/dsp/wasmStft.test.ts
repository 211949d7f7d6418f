import { beforeAll, describe, expect, it } from 'vitest';
import * as C from '../../src/dsp/constants.js';
import { frameSignal, overlapAdd } from '../../src/dsp/framing.js';
import { stftAnalyze, stftSynthesize } from '../../src/dsp/stft.js';
import { WasmFraming } from '../../runtime/core/framingWasm.js';
import { WasmStft } from '../../runtime/core/stftWasm.js';
import type { HushWasmExports } from '../../runtime/core/wasm.js';
import { loadHushWasm, type WasmFlavor } from '../../runtime/node/wasmFile.js';
import { naiveDft } from './reference.js';
import { randomF64 } from '../helpers/signals.js';

type Fn = (...args: number[]) => number;

/** A speech-like test signal: noise + harmonics with a slow envelope, f32-representable, 2 s. */
function testSignal(length: number, seed: number): Float32Array {
  const n = randomF64(length, seed);
  const x = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const env = 0.6 + 0.4 * Math.sin((2 * Math.PI * i) / 7000);
    x[i] = env * (0.3 * n[i] + 0.4 * Math.sin((2 * Math.PI * 140 * i) / 16000) + 0.2 * Math.sin((2 * Math.PI * 2345 * i) / 16000));
  }
  return x;
}

describe.each<WasmFlavor>(['simd', 'scalar'])('WASM DSP (%s build)', (flavor) => {
  let wasm: HushWasmExports;
  const fn = (name: string): Fn => wasm[name] as Fn;
  const f32 = (ptr: number, n: number): Float32Array => new Float32Array(wasm.memory.buffer, ptr, n);

  beforeAll(async () => {
    wasm = await loadHushWasm(flavor);
    expect(wasm.simdEnabled()).toBe(flavor === 'simd' ? 1 : 0);
  });

  it('mirrors src/dsp/constants.ts', () => {
    expect(fn('dspSampleRateHz')()).toBe(C.SAMPLE_RATE_HZ);
    expect(fn('dspWindowSamples')()).toBe(C.WINDOW_SAMPLES);
    expect(fn('dspHopSamples')()).toBe(C.HOP_SAMPLES);
    expect(fn('dspFftSize')()).toBe(C.FFT_SIZE);
    expect(fn('dspNumBins')()).toBe(C.NUM_BINS);
    expect(fn('dspFramePadSamples')()).toBe(C.FRAME_PAD_SAMPLES);
    expect(fn('stftDelaySamples')()).toBe(C.STFT_DELAY_SAMPLES);
    expect(fn('stftLatencySamples')()).toBe(C.STFT_LATENCY_SAMPLES);
  });

  it('f32 real FFT matches a naive float64 DFT (≤ 1e-6 of the peak bin) and inverts (≤ 1e-6)', () => {
    const plan = fn('rfftCreate')();
    const inPtr = wasm.memAlloc(320 * 4), rePtr = wasm.memAlloc(161 * 4), imPtr = wasm.memAlloc(161 * 4), outPtr = wasm.memAlloc(320 * 4);
    let fwd = 0, inv = 0;
    for (let trial = 0; trial < 8; trial++) {
      const x = Float32Array.from(randomF64(320, 500 + trial));
      f32(inPtr, 320).set(x);
      fn('rfftForward')(plan, inPtr, rePtr, imPtr);
      const ref = naiveDft(x, new Float64Array(320));
      const re = f32(rePtr, 161), im = f32(imPtr, 161);
      let err = 0, peak = 0;
      for (let k = 0; k < 161; k++) {
        err = Math.max(err, Math.hypot(re[k] - ref.re[k], im[k] - ref.im[k]));
        peak = Math.max(peak, Math.hypot(ref.re[k], ref.im[k]));
      }
      fwd = Math.max(fwd, err / peak);
      expect(im[0]).toBe(0);
      expect(im[160]).toBe(0);
      fn('rfftInverse')(plan, rePtr, imPtr, outPtr);
      const y = f32(outPtr, 320);
      let e2 = 0, p2 = 0;
      for (let i = 0; i < 320; i++) { e2 = Math.max(e2, Math.abs(y[i] - x[i])); p2 = Math.max(p2, Math.abs(x[i])); }
      inv = Math.max(inv, e2 / p2);
    }
    console.log(`${flavor} rfft: forward max err ${fwd.toExponential(2)} of peak bin, round trip ${inv.toExponential(2)} of peak`);
    expect(fwd).toBeLessThanOrEqual(1e-6);
    expect(inv).toBeLessThanOrEqual(1e-6);
  });

  it('streaming analysis: hop t == stftAnalyze frame t (≤ 1e-5 of the frame peak), no allocation per hop', () => {
    const x = testSignal(32000, 1);
    const ref = stftAnalyze(x);
    const stft = WasmStft.create(wasm);
    const re = new Float32Array(161), im = new Float32Array(161);
    const hops = Math.ceil(x.length / 160) + 1; // one extra zero hop flushes the last frame
    expect(hops).toBe(ref.frames);
    const used = wasm.memUsed();
    let worst = 0;
    for (let t = 0; t < hops; t++) {
      const hop = new Float32Array(160);
      hop.set(x.subarray(t * 160, Math.min(x.length, t * 160 + 160)));
      stft.analyzeHop(hop, re, im);
      let err = 0, peak = 1e-30;
      for (let k = 0; k < 161; k++) {
        const rr = ref.re[t * 161 + k], ri = ref.im[t * 161 + k];
        err = Math.max(err, Math.hypot(re[k] - rr, im[k] - ri));
        peak = Math.max(peak, Math.hypot(rr, ri));
      }
      worst = Math.max(worst, err / peak);
    }
    expect(wasm.memUsed()).toBe(used);
    console.log(`${flavor} streaming STFT vs float64 batch: worst frame ${worst.toExponential(2)} of frame peak`);
    expect(worst).toBeLessThanOrEqual(1e-5);
  });

  it('streaming analyze → synthesize reconstructs x delayed by stftDelaySamples (≤ 1e-5 of peak)', () => {
    const x = testSignal(24000, 2);
    const stft = WasmStft.create(wasm);
    const re = new Float32Array(161), im = new Float32Array(161), out = new Float32Array(160);
    const hops = Math.ceil(x.length / 160) + 1;
    const y = new Float32Array(hops * 160);
    for (let t = 0; t < hops; t++) {
      const hop = new Float32Array(160);
      hop.set(x.subarray(t * 160, Math.min(x.length, t * 160 + 160)));
      stft.analyzeHop(hop, re, im);
      stft.synthesizeHop(re, im, out);
      y.set(out, t * 160);
    }
    const d = stft.delaySamples;
    expect(d).toBe(160);
    let err = 0, peak = 0;
    for (let n = 0; n < x.length; n++) {
      err = Math.max(err, Math.abs(y[n + d] - x[n]));
      peak = Math.max(peak, Math.abs(x[n]));
    }
    for (let n = 0; n < d; n++) expect(Math.abs(y[n])).toBeLessThan(1e-5 * peak); // the zero history comes out first
    console.log(`${flavor} streaming reconstruction: max err ${(err / peak).toExponential(2)} of peak`);
    expect(err / peak).toBeLessThanOrEqual(1e-5);
  });

  it('streaming synthesis of a modified spectrum == stftSynthesize (≤ 1e-5 of peak)', () => {
    const x = testSignal(16000, 3);
    const spec = stftAnalyze(x);
    // A random real gain per T-F unit plus a phase-rotating complex gain: an inconsistent spectrum,
    // like a network's output.
    const g = randomF64(spec.re.length, 4);
    for (let i = 0; i < spec.re.length; i++) {
      const a = 0.5 + 0.5 * g[i], c = Math.cos(g[i]), s = Math.sin(g[i]);
      [spec.re[i], spec.im[i]] = [a * (spec.re[i] * c - spec.im[i] * s), a * (spec.re[i] * s + spec.im[i] * c)];
      spec.re[i] = Math.fround(spec.re[i]);
      spec.im[i] = Math.fround(spec.im[i]);
    }
    const ref = stftSynthesize(spec.re, spec.im, spec.frames);
    const stft = WasmStft.create(wasm);
    const out = new Float32Array(160);
    let err = 0, peak = 0;
    for (let t = 0; t < spec.frames; t++) {
      stft.synthesizeHop(spec.re.subarray(t * 161, (t + 1) * 161), spec.im.subarray(t * 161, (t + 1) * 161), out);
      if (t === 0) continue; // output samples [−160, 0): before the signal
      for (let k = 0; k < 160; k++) {
        err = Math.max(err, Math.abs(out[k] - ref[(t - 1) * 160 + k]));
        peak = Math.max(peak, Math.abs(ref[(t - 1) * 160 + k]));
      }
    }
    expect(err / peak).toBeLessThanOrEqual(1e-5);
  });

  it('WasmStft keeps working after linear memory grows (views are re-made)', () => {
    const stft = WasmStft.create(wasm);
    const re1 = new Float32Array(161), im1 = new Float32Array(161), re2 = new Float32Array(161), im2 = new Float32Array(161);
    const hop = testSignal(160, 7);
    stft.analyzeHop(hop, re1, im1);
    stft.reset();
    expect(wasm.memAlloc(8 << 20)).not.toBe(0); // grows memory: the old ArrayBuffer is detached
    stft.analyzeHop(hop, re2, im2);
    expect(re2).toEqual(re1);
    expect(im2).toEqual(im1);
  });

  it('TCNN framing: frames equal frameSignal exactly; overlap-add == overlapAdd (≤ 1e-6)', () => {
    const x = testSignal(8000, 5);
    const ref = frameSignal(x);
    const fr = WasmFraming.create(wasm);
    expect(fr.delaySamples).toBe(160);
    const frame = new Float32Array(320), out = new Float32Array(160);
    const modified = new Float32Array(ref.data.length);
    const g = randomF64(ref.data.length, 6);
    const y = new Float32Array(ref.frames * 160);
    for (let t = 0; t < ref.frames; t++) {
      const hop = new Float32Array(160);
      hop.set(x.subarray(t * 160, Math.min(x.length, t * 160 + 160)));
      fr.analyzeHop(hop, frame);
      expect(Float64Array.from(frame)).toEqual(ref.data.subarray(t * 320, (t + 1) * 320));
      for (let i = 0; i < 320; i++) modified[t * 320 + i] = frame[i] * (1 + 0.3 * g[t * 320 + i]);
      fr.synthesizeHop(modified.subarray(t * 320, (t + 1) * 320), out);
      y.set(out, t * 160);
    }
    const ola = overlapAdd(modified, ref.frames);
    let err = 0;
    for (let n = 0; n < ola.length; n++) err = Math.max(err, Math.abs(y[n + 160] - ola[n]));
    expect(err).toBeLessThanOrEqual(1e-6);
  });
});
