/**
 * The runtime's STFT of any size (assembly/dsp/stft-sized.ts, the uPIT-LSTM's 8-kHz framing) against
 * its float64 definition (src/models/separation/upitStft.ts): hop t analysed in WASM = frame t of
 * upitStftAnalyze, and the streamed synthesis of those frames = upitStftSynthesize delayed by one
 * hop; both builds, the edge (160 / 80) and paper (256 / 128) sizes, a length that is no whole
 * number of hops.
 */
import { describe, expect, it } from 'vitest';
import { upitStftAnalyze, upitStftSynthesize } from '../../src/models/separation/upitStft.js';
import { UPIT_LSTM_PRESETS } from '../../src/models/separation/presets.js';
import type { HushWasmExports } from '../../runtime/core/wasm.js';
import { runtimeWasm, FLAVORS } from '../runtime/wasm.js';
import { randomF64 } from '../helpers/signals.js';

type Fn = (...args: number[]) => number;

/** Noise + two partials at 8 kHz, f32-representable. */
function signal8k(length: number): Float32Array {
  const n = randomF64(length, 11);
  return Float32Array.from({ length }, (_, i) => 0.3 * n[i] + 0.4 * Math.sin((2 * Math.PI * 140 * i) / 8000) + 0.2 * Math.sin((2 * Math.PI * 2345 * i) / 8000));
}

describe.each(FLAVORS)('WASM STFT of any size (%s build)', (flavor) => {
  for (const preset of ['edge', 'paper'] as const) {
    const h = UPIT_LSTM_PRESETS[preset];
    const W = 2 * (h.bins - 1);
    const hop = W / 2;
    it(`${preset}: ${W}-sample window, hop ${hop}: analysis = upitStftAnalyze (≤ 1e-5 of the peak bin), synthesis = upitStftSynthesize (≤ 1e-5 of the peak)`, async () => {
      const wasm: HushWasmExports = await runtimeWasm(flavor);
      const fn = (name: string): Fn => wasm[name] as Fn;
      const f32 = (ptr: number, n: number): Float32Array => new Float32Array(wasm.memory.buffer, ptr, n);
      const st = fn('stftSizedCreate')(W);
      const syn = fn('stftSizedCreate')(W);
      expect([fn('stftSizedWindow')(st), fn('stftSizedHop')(st), fn('stftSizedBins')(st)]).toEqual([W, hop, h.bins]);
      expect(fn('stftSizedCreate')(W + 1)).toBe(0); // odd windows have no hop W/2
      const x = signal8k(37 * hop + 13);
      const ref = upitStftAnalyze(h, x);
      const inPtr = wasm.memAlloc(hop * 4), re = wasm.memAlloc(h.bins * 4), im = wasm.memAlloc(h.bins * 4), out = wasm.memAlloc(hop * 4);
      const streamed = new Float32Array(ref.frames * hop);
      let err = 0, peak = 0;
      for (let t = 0; t < ref.frames; t++) {
        const chunk = new Float32Array(hop);
        chunk.set(x.subarray(Math.min(t * hop, x.length), Math.min(t * hop + hop, x.length)));
        f32(inPtr, hop).set(chunk);
        fn('stftSizedAnalyzeHop')(st, inPtr, re, im);
        const R = f32(re, h.bins), I = f32(im, h.bins);
        for (let k = 0; k < h.bins; k++) {
          err = Math.max(err, Math.hypot(R[k] - ref.re[t * h.bins + k], I[k] - ref.im[t * h.bins + k]));
          peak = Math.max(peak, Math.hypot(ref.re[t * h.bins + k], ref.im[t * h.bins + k]));
        }
        // resynthesise the float64 frame (not the f32 one): the check is the synthesis alone
        f32(re, h.bins).set(ref.re.subarray(t * h.bins, (t + 1) * h.bins));
        f32(im, h.bins).set(ref.im.subarray(t * h.bins, (t + 1) * h.bins));
        fn('stftSizedSynthesizeHop')(syn, re, im, out);
        streamed.set(f32(out, hop), t * hop);
      }
      expect(peak).toBeGreaterThan(1);
      expect(err).toBeLessThanOrEqual(1e-5 * peak);
      const y = upitStftSynthesize(h, ref, (ref.frames - 1) * hop);
      let sErr = 0, sPeak = 0;
      for (let n = 0; n < x.length; n++) {
        sErr = Math.max(sErr, Math.abs(streamed[n + hop] - y[n])); // out[n] = in[n − hop]
        sPeak = Math.max(sPeak, Math.abs(y[n]));
      }
      expect(sPeak).toBeGreaterThan(0.3);
      expect(sErr).toBeLessThanOrEqual(1e-5 * sPeak);
      // and WOLA inverts the analysis: y = x
      for (let n = 0; n < x.length; n++) expect(Math.abs(y[n] - x[n])).toBeLessThan(1e-9);
    });
  }
});
