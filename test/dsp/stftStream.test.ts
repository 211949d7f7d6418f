/**
 * The float64 streaming STFT and TCNN framing (src/dsp/stftStream.ts, framingStream.ts) against the
 * batch definitions: hop t analysed = frame t of stftAnalyze / frameSignal, and analysis → synthesis
 * hop by hop = the input delayed by STFT_DELAY_SAMPLES (i.e. stftSynthesize / overlapAdd, streamed).
 */
import { describe, expect, it } from 'vitest';
import { HOP_SAMPLES, NUM_BINS, STFT_DELAY_SAMPLES, WINDOW_SAMPLES } from '../../src/dsp/constants.js';
import { frameSignal } from '../../src/dsp/framing.js';
import { framingStreamCreate, framingStreamFrame, framingStreamOverlapAdd, framingStreamReset } from '../../src/dsp/framingStream.js';
import { stftAnalyze } from '../../src/dsp/stft.js';
import { stftStreamAnalyzeHop, stftStreamCreate, stftStreamReset, stftStreamSynthesizeHop } from '../../src/dsp/stftStream.js';
import { randomF64 } from '../helpers/signals.js';

const HOPS = 40;
const x = randomF64(HOPS * HOP_SAMPLES, 7);

describe('streaming STFT (float64)', () => {
  it('hop t analysed equals frame t of stftAnalyze, and analysis → synthesis delays by 160 samples', () => {
    const ref = stftAnalyze(x);
    const st = stftStreamCreate();
    const re = new Float64Array(NUM_BINS);
    const im = new Float64Array(NUM_BINS);
    const out = new Float64Array(HOPS * HOP_SAMPLES);
    for (let pass = 0; pass < 2; pass++) {
      stftStreamReset(st); // the second pass checks that reset restores the start of a stream
      for (let t = 0; t < HOPS; t++) {
        stftStreamAnalyzeHop(st, x.subarray(t * HOP_SAMPLES, (t + 1) * HOP_SAMPLES), re, im);
        for (let k = 0; k < NUM_BINS; k++) {
          expect(Math.abs(re[k] - ref.re[t * NUM_BINS + k])).toBeLessThan(1e-12);
          expect(Math.abs(im[k] - ref.im[t * NUM_BINS + k])).toBeLessThan(1e-12);
        }
        stftStreamSynthesizeHop(st, re, im, out.subarray(t * HOP_SAMPLES, (t + 1) * HOP_SAMPLES));
      }
      let err = 0;
      for (let n = STFT_DELAY_SAMPLES; n < out.length; n++) err = Math.max(err, Math.abs(out[n] - x[n - STFT_DELAY_SAMPLES]));
      expect(err).toBeLessThan(1e-12);
      expect(Array.from(out.subarray(0, STFT_DELAY_SAMPLES)).every((v) => Math.abs(v) < 1e-15)).toBe(true); // zero history
    }
  });
});

describe('streaming TCNN framing', () => {
  it('hop t gives frame t of frameSignal, and overlap-add of unchanged frames delays by 160 samples', () => {
    const ref = frameSignal(x);
    const st = framingStreamCreate();
    const frame = new Float64Array(WINDOW_SAMPLES);
    const out = new Float64Array(HOPS * HOP_SAMPLES);
    framingStreamReset(st);
    for (let t = 0; t < HOPS; t++) {
      framingStreamFrame(st, x.subarray(t * HOP_SAMPLES, (t + 1) * HOP_SAMPLES), frame);
      expect(frame).toEqual(ref.data.subarray(t * WINDOW_SAMPLES, (t + 1) * WINDOW_SAMPLES));
      framingStreamOverlapAdd(st, frame, out.subarray(t * HOP_SAMPLES, (t + 1) * HOP_SAMPLES));
    }
    expect(out.subarray(STFT_DELAY_SAMPLES)).toEqual(x.subarray(0, x.length - STFT_DELAY_SAMPLES));
  });
});
