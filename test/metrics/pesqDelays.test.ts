/**
 * PESQ's variable-delay machinery (utterance splitting, bad-interval re-alignment, skipped frames
 * after a negative delay jump) on pairs built from the fixtures, at 16 and 8 kHz: scores stay in
 * range and a constant delay does not cost anything. (Bit-exact agreement with the ITU code on
 * such pairs is checked with tools/metricsOracle.ts against a locally built reference binary.)
 */
import { describe, expect, it } from 'vitest';
import { readMono } from '../../src/data/wav.js';
import { pesq, pesqBoth } from '../../src/metrics/pesq/pesq.js';
import { resampleOct } from '../../src/metrics/resampleOct.js';
import { FIXTURE_DIR } from './fixtures.js';

const clean = readMono(FIXTURE_DIR + 'espeak_clean.wav').samples;

/** The clean signal with `cutMs` removed at 35 % and `insertMs` of silence inserted at 65 %, same length. */
function variableDelay(x: Float32Array, fs: number, cutMs: number, insertMs: number): Float32Array {
  const out = new Float32Array(x.length);
  const c = Math.floor(0.35 * x.length);
  const d = Math.floor((cutMs * fs) / 1000);
  const e = Math.floor(0.65 * x.length);
  const s = Math.floor((insertMs * fs) / 1000);
  let j = 0;
  for (let i = 0; i < x.length && j < out.length; i++) {
    if (i >= c && i < c + d) continue;
    if (i === e) j += s;
    if (j < out.length) out[j++] = x[i];
  }
  return out;
}

describe('PESQ with delay changes', () => {
  it('16 kHz: a delay jump lowers the score but keeps it in range; a constant delay is free', () => {
    const deg = variableDelay(clean, 16000, 80, 120);
    const r = pesqBoth(clean, deg, 16000);
    for (const v of [r.nb.mos, r.wb!.mos]) {
      expect(v).toBeGreaterThan(1);
      expect(v).toBeLessThan(4.5);
    }
    expect(r.nb.raw).toBeGreaterThanOrEqual(-0.5);
    const shifted = new Float32Array(clean.length);
    shifted.set(clean.subarray(0, clean.length - 800), 800);
    expect(pesq(clean, shifted, 16000).raw).toBeCloseTo(4.5, 5);
  });

  it('8 kHz: the same machinery at the narrow-band rate', () => {
    const c8 = Float32Array.from(resampleOct(clean, 16000, 8000));
    const deg = variableDelay(c8, 8000, 300, 200);
    const r = pesq(c8, deg, 8000);
    expect(r.mos).toBeGreaterThan(1);
    expect(r.mos).toBeLessThan(4.5);
  });
});
