import { describe, expect, it } from 'vitest';
import { StreamingResampler, resample, resamplerPlanCreate, resampledLength } from '../../src/dsp/resample.js';
import { UserError } from '../../src/errors.js';
import { rmsRelError } from './reference.js';
import { randomF64 } from '../helpers/signals.js';

/** Sum of `count` unit-amplitude tones with seeded frequencies in [50, maxHz) and phases; 20 ms fades. */
function bandLimited(rateHz: number, seconds: number, maxHz: number, seed: number, count = 40): Float64Array {
  const n = Math.round(rateHz * seconds);
  const r = randomF64(2 * count, seed);
  const x = new Float64Array(n);
  for (let c = 0; c < count; c++) {
    const f = 50 + ((r[c] + 1) / 2) * (maxHz - 50);
    const ph = Math.PI * r[count + c];
    for (let i = 0; i < n; i++) x[i] += Math.sin((2 * Math.PI * f * i) / rateHz + ph) / count;
  }
  const fade = Math.round(0.02 * rateHz);
  for (let i = 0; i < fade; i++) {
    const g = 0.5 - 0.5 * Math.cos((Math.PI * i) / fade);
    x[i] *= g;
    x[n - 1 - i] *= g;
  }
  return x;
}

/** Least-squares fit of a·cos + b·sin at f over x[lo, hi); returns the fitted amplitude and residual RMS. */
function toneFit(x: Float64Array, rateHz: number, f: number, lo: number, hi: number): { amplitude: number; residualRms: number; phase: number } {
  let cc = 0, ss = 0, cs = 0, xc = 0, xs = 0;
  for (let i = lo; i < hi; i++) {
    const c = Math.cos((2 * Math.PI * f * i) / rateHz), s = Math.sin((2 * Math.PI * f * i) / rateHz);
    cc += c * c; ss += s * s; cs += c * s; xc += x[i] * c; xs += x[i] * s;
  }
  const det = cc * ss - cs * cs;
  const a = (xc * ss - xs * cs) / det;
  const b = (xs * cc - xc * cs) / det;
  let res = 0;
  for (let i = lo; i < hi; i++) {
    const fit = a * Math.cos((2 * Math.PI * f * i) / rateHz) + b * Math.sin((2 * Math.PI * f * i) / rateHz);
    res += (x[i] - fit) ** 2;
  }
  return { amplitude: Math.hypot(a, b), residualRms: Math.sqrt(res / (hi - lo)), phase: Math.atan2(-a, b) };
}

function tone(rateHz: number, f: number, seconds: number): Float64Array {
  return Float64Array.from({ length: Math.round(rateHz * seconds) }, (_, i) => Math.sin((2 * Math.PI * f * i) / rateHz));
}

const db = (v: number): number => 20 * Math.log10(v);

describe('resample (Kaiser windowed-sinc polyphase)', () => {
  it.each([[48000, 3], [44100, 2.75625]])('16k → %i → 16k round trip on a band-limited (< 7 kHz) signal', (mid, ratio) => {
    const x = bandLimited(16000, 1, 7000, 42);
    const up = resample(x, 16000, mid);
    expect(up.length).toBe(Math.ceil(x.length * ratio));
    const back = resample(up, mid, 16000);
    expect(back.length).toBe(x.length);
    const err = rmsRelError(back, x);
    console.log(`round trip 16k→${mid}→16k: ${db(err).toFixed(1)} dB rel RMS error`);
    expect(err).toBeLessThan(1e-4); // −80 dB
  });

  it('keeps time alignment: 44.1k and 48k tones land on the ideal 16 kHz samples (group delay compensated)', () => {
    for (const from of [44100, 48000, 22050, 8000]) {
      const f = 1234.5;
      const y = resample(tone(from, f, 0.5), from, 16000);
      const ideal = tone(16000, f, 0.5);
      // Interior only: the input starts/ends abruptly.
      const lo = 400, hi = 7600;
      const err = rmsRelError(y.subarray(lo, hi), ideal.subarray(lo, hi));
      expect(err, `${from} Hz`).toBeLessThan(1e-4);
    }
  });

  it.each([[48000, 16000], [44100, 16000], [22050, 16000], [16000, 8000], [16000, 11025]])(
    'stop band %i → %i: tones above the lower Nyquist are attenuated ≥ 80 dB',
    (from, to) => {
      const nyquist = Math.min(from, to) / 2;
      let worst = -Infinity;
      for (let f = nyquist; f < from / 2; f += (from / 2 - nyquist) / 37) {
        const y = resample(tone(from, f, 0.25), from, to);
        const lo = Math.round(0.03 * to), hi = y.length - lo; // skip the abrupt edges
        let e = 0;
        for (let i = lo; i < hi; i++) e += y[i] * y[i];
        const rms = Math.sqrt(e / (hi - lo));
        worst = Math.max(worst, db(rms / Math.SQRT1_2));
      }
      console.log(`stop band ${from}→${to}: worst tone ${worst.toFixed(1)} dB`);
      expect(worst).toBeLessThan(-80);
    },
  );

  it('up-sampling images (16k → 48k, 16k → 44.1k) are ≥ 80 dB down; passband gain within 1e-4', () => {
    let ripple = 0, image = -Infinity;
    for (const to of [48000, 44100]) {
      for (let f = 100; f <= 7200; f += 7100 / 23) {
        const y = resample(tone(16000, f, 0.25), 16000, to);
        const lo = Math.round(0.03 * to), hi = y.length - lo;
        const fit = toneFit(y, to, f, lo, hi);
        ripple = Math.max(ripple, Math.abs(fit.amplitude - 1));
        image = Math.max(image, db(fit.residualRms / Math.SQRT1_2));
      }
    }
    console.log(`16k up-sampling: passband |gain − 1| ≤ ${ripple.toExponential(2)}, worst image ${image.toFixed(1)} dB`);
    expect(ripple).toBeLessThan(1e-4);
    expect(image).toBeLessThan(-80);
  });

  it('streaming output (random chunk sizes) equals the batch result bit for bit', () => {
    // Float32-representable input, so pushing it as Float32Array chunks changes nothing.
    const x = Float64Array.from(Float32Array.from(randomF64(9000, 77)));
    const sizes = randomF64(400, 78);
    for (const [from, to] of [[44100, 16000], [16000, 48000], [16000, 44100], [48000, 16000], [8000, 16000], [16000, 16000]]) {
      const batch = resample(x, from, to);
      const s = new StreamingResampler(from, to);
      const out = new Float64Array(batch.length + 10);
      let produced = 0, pos = 0, c = 0;
      while (pos < x.length) {
        const n = Math.min(x.length - pos, 1 + Math.floor(((sizes[c++ % sizes.length] + 1) / 2) * 700));
        s.push(c % 2 === 0 ? x.subarray(pos, pos + n) : Float32Array.from(x.subarray(pos, pos + n)));
        pos += n;
        if (c % 3 === 0) produced += s.pull(out, produced);
      }
      s.end();
      produced += s.pull(out, produced);
      expect(s.available()).toBe(0);
      expect(produced, `${from}→${to}`).toBe(batch.length);
      expect(out.subarray(0, produced), `${from}→${to}`).toEqual(batch);
    }
  });

  it('reset() starts a new stream; lookahead is the filter radius', () => {
    const x = randomF64(3000, 79);
    const s = new StreamingResampler(48000, 16000);
    expect(s.lookaheadInputSamples).toBe(s.plan.radius);
    s.push(randomF64(1234, 80));
    s.pullAll();
    s.reset();
    s.push(x);
    const first = s.pullAll();
    s.end();
    const all = new Float64Array(first.length + s.available());
    all.set(first);
    all.set(s.pullAll(), first.length);
    expect(all).toEqual(resample(x, 48000, 16000));
  });

  it('reports plan sizes, output lengths and rejects bad rates', () => {
    const p = resamplerPlanCreate(44100, 16000);
    expect([p.up, p.down]).toEqual([160, 441]);
    expect(resampledLength(p, 44100)).toBe(16000);
    expect(resampledLength(p, 1)).toBe(1);
    expect(() => resample(new Float64Array(4), 0, 16000)).toThrow(UserError);
    expect(() => resample(new Float64Array(4), 16000.5, 16000)).toThrow(UserError);
    expect(() => resample(new Float64Array(4), 44100, 16001)).toThrow(UserError);
    expect(resample(new Float32Array([1, 2, 3]), 16000, 16000)).toEqual(new Float64Array([1, 2, 3]));
  });
});
