/**
 * Input level normalisation of the streaming runtime (src/dsp/level.ts, Enhancer `level`):
 * the tracker itself (first hop sets the level, silence / NaN / Inf hold it, floor and ceiling,
 * bounded reaction to a loud burst, reset), the gain bookkeeping (with a pure-delay "net" the chain
 * is the identity to f32 rounding while the gain moves, for several delays), and on tiny models:
 * a constant gain is exactly linear in the input level, 'track' gives the same output (up to the
 * level ratio) at −45 and 0 dBFS, silence stays silence, NaN/Inf bursts recover, reset restores it.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { ARCH_NAMES, presetConfig } from '../../src/models/index.js';
import type { Enhancer } from '../../runtime/core/enhancer.js';
import { LEVEL_CEILING_DBFS, LEVEL_FLOOR_DBFS, LevelNormaliser, levelModeCheck, type LevelMode } from '../../src/dsp/level.js';
import { encodeModel, testSignal } from './models.js';
import { maxAbsDiff, streamHops } from './harness.js';
import { runtimeWasm } from './wasm.js';
import { concatF32 } from '../helpers/signals.js';
import { Enhancer as CoreEnhancer } from '../../runtime/core/enhancer.js';

const HOP = 160;
const db = (g: number) => 20 * Math.log10(g);
const rms = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
const scaled = (x: Float32Array, g: number) => x.map((v) => v * g);
/** testSignal (harmonic glide + noise) scaled to `dbfs` RMS. */
const signalAt = (n: number, dbfs: number, seed = 3) => {
  const x = testSignal(n, seed);
  return scaled(x, 10 ** (dbfs / 20) / rms(x));
};

/** Runs `x` (a multiple of 160 long) through a normaliser around a pure d-sample delay; returns output and per-hop gains. */
function delayChain(level: LevelNormaliser, x: Float32Array): { y: Float32Array; gains: number[] } {
  const d = level.delaySamples;
  const line = new Float32Array(d + x.length);
  const y = new Float32Array(x.length);
  const scaledHop = new Float32Array(HOP);
  const gains: number[] = [];
  for (let h = 0; h < x.length / HOP; h++) {
    level.scaleInput(x.subarray(h * HOP, h * HOP + HOP), scaledHop);
    gains.push(level.gain);
    line.set(scaledHop, d + h * HOP); // line[n + d] = scaled input n; the "net" outputs line[n]
    level.unscaleOutput(line.subarray(h * HOP, h * HOP + HOP), y.subarray(h * HOP, h * HOP + HOP));
  }
  return { y, gains };
}

describe('LevelNormaliser', () => {
  it('track: the first hop of audio sets the level; silence, subnormals, NaN and Inf hold it', () => {
    const l = new LevelNormaliser('track', 160);
    expect(db(l.gain)).toBeCloseTo(-LEVEL_FLOOR_DBFS, 9); // starts at the floor: +70 dB
    const quiet = signalAt(HOP, -42);
    const out = new Float32Array(HOP);
    for (const hold of [new Float32Array(HOP), new Float32Array(HOP).fill(1e-40), signalAt(HOP, LEVEL_FLOOR_DBFS - 3)]) {
      l.scaleInput(hold, out);
      expect(db(l.gain)).toBeCloseTo(-LEVEL_FLOOR_DBFS, 9);
    }
    l.scaleInput(quiet, out);
    expect(l.gain).toBeCloseTo(1 / rms(quiet), 6);
    // the first hop is scaled by its own gain throughout (no ramp down from +70 dB)
    expect(rms(out)).toBeCloseTo(1, 5);
    const g = l.gain;
    for (const bad of [new Float32Array(HOP).fill(NaN), quiet.map((v, i) => (i === 5 ? Infinity : v)), new Float32Array(HOP)]) {
      l.scaleInput(bad, out);
      expect(l.gain).toBe(g);
    }
  });

  it('track: gain stays within [−20, +70] dB for digital silence and absurd input', () => {
    const l = new LevelNormaliser('track', 160);
    const out = new Float32Array(HOP);
    for (let h = 0; h < 500; h++) l.scaleInput(new Float32Array(HOP), out);
    expect(db(l.gain)).toBeCloseTo(-LEVEL_FLOOR_DBFS, 9);
    for (let h = 0; h < 500; h++) l.scaleInput(new Float32Array(HOP).fill(1e30), out);
    expect(db(l.gain)).toBeCloseTo(-LEVEL_CEILING_DBFS, 9);
    expect(out.every(Number.isFinite)).toBe(true);
  });

  it('track: converges to a new level with τ = 3 s and shrugs off a short loud burst', () => {
    const l = new LevelNormaliser('track', 160);
    const out = new Float32Array(HOP);
    const feed = (x: Float32Array) => {
      const g: number[] = [];
      for (let h = 0; h < x.length / HOP; h++) {
        l.scaleInput(x.subarray(h * HOP, h * HOP + HOP), out);
        g.push(db(l.gain));
      }
      return g;
    };
    const settle = feed(signalAt(10 * 16000, -45, 1));
    expect(settle.at(-1)!).toBeCloseTo(45, 0);
    // 0.5 s at full scale (a clipped burst): the per-hop limit keeps the estimate within 7 dB …
    const burst = feed(new Float32Array(50 * HOP).map((_, i) => (Math.floor(i / 40) % 2 ? 1 : -1)));
    expect(Math.min(...burst)).toBeGreaterThan(45 - 7);
    // … and it decays back to within 1 dB in under 10 s (τ · ln of the excess)
    const after = feed(signalAt(12 * 16000, -45, 2));
    const back = after.findIndex((g) => Math.abs(g - 45) < 1);
    expect(back).toBeGreaterThan(0);
    expect(back).toBeLessThan(1000);
    // a real level change (+20 dB) is followed: within 1 dB after 12 s, about 1 dB/s or faster
    const louder = feed(signalAt(12 * 16000, -25, 3));
    expect(louder.at(-1)!).toBeCloseTo(25, 0);
    expect(louder[300]).toBeLessThan(45 - 5);
  });

  it.each([0, 100, 160, 333])('gain bookkeeping: around a pure %i-sample delay the chain is the identity while the gain moves', (d) => {
    // 1 s at −50 dBFS, 1 s of silence, 1 s at −20 dBFS: the gain ramps from hop to hop throughout
    const x = new Float32Array(300 * HOP);
    x.set(signalAt(100 * HOP, -50, 4));
    x.set(signalAt(100 * HOP, -20, 5), 200 * HOP);
    const { y, gains } = delayChain(new LevelNormaliser('track', d), x);
    expect(new Set(gains).size).toBeGreaterThan(150);
    let err = 0;
    for (let n = d; n < x.length; n++) err = Math.max(err, Math.abs(y[n] - x[n - d]) / Math.max(Math.abs(x[n - d]), 1e-30));
    expect(err).toBeLessThan(1e-6); // relative, per sample: f32 rounding of the scaled value
    expect(y.subarray(0, d).every((v) => v === 0)).toBe(true);
  });

  it('constant gain: scaled exactly, and reset restores the initial state', () => {
    const l = new LevelNormaliser({ gain: 3 }, 160);
    const x = signalAt(HOP, -30);
    const out = new Float32Array(HOP);
    l.scaleInput(x, out);
    expect(out).toEqual(x.map((v) => v * 3));
    const t = new LevelNormaliser('track', 160);
    const fresh = delayChain(t, signalAt(50 * HOP, -33, 7));
    delayChain(t, signalAt(77 * HOP, -12, 8));
    t.reset();
    expect(db(t.gain)).toBeCloseTo(-LEVEL_FLOOR_DBFS, 9);
    expect(delayChain(t, signalAt(50 * HOP, -33, 7))).toEqual(fresh);
  });

  it('options: track, none or a finite positive gain', () => {
    expect(levelModeCheck('track')).toBe('track');
    expect(levelModeCheck({ gain: 2 })).toEqual({ gain: 2 });
    for (const bad of ['auto', { gain: 0 }, { gain: -1 }, { gain: NaN }, { gain: Infinity }, null, 3]) {
      expect(() => levelModeCheck(bad)).toThrow(UserError);
    }
  });
});

describe('Enhancer level', () => {
  const tiny = new Map(ARCH_NAMES.map((a) => [a, encodeModel(presetConfig(a, 'tiny'), a === 'lstm' || a === 'gcrn' ? 'kmeans' : 'f32').hush]));
  const enhancer = async (arch: (typeof ARCH_NAMES)[number], level: LevelMode): Promise<Enhancer> =>
    CoreEnhancer.create(await runtimeWasm('simd'), tiny.get(arch)!, { level });

  it.each(ARCH_NAMES)('%s: a constant gain is exactly linear in the input level (x·c with gain G/c → output·c)', async (arch) => {
    const x = signalAt(2 * 16000, -30, 11);
    const G = 30;
    const base = streamHops(await enhancer(arch, { gain: G }), x).stream;
    // … which is the net on G·x, divided by G
    const raw = streamHops(await enhancer(arch, 'none'), scaled(x, G)).stream;
    expect(maxAbsDiff(base, raw.map((v) => v / G)).diff).toBeLessThanOrEqual(1e-6 * maxAbsDiff(base, base).peak);
    // c a power of two: G/c and x·c are exact, so the net sees the same samples: bit-exact
    const c2 = 2 ** -7;
    const y2 = streamHops(await enhancer(arch, { gain: G / c2 }), scaled(x, c2)).stream;
    expect(y2).toEqual(base.map((v) => v * c2));
    // c = −45 dB: the net inputs differ by the f32 rounding of x·c and of (x·c)·(G/c) (≤ 1.2e-7
    // relative), which the nets amplify: measured 3e-7 (TCNN) … 3.1e-6 (the LSTM's recurrence)
    const c = 10 ** (-45 / 20);
    const y = streamHops(await enhancer(arch, { gain: G / c }), scaled(x, c)).stream;
    const { diff, peak } = maxAbsDiff(y, base.map((v) => v * c));
    expect(diff).toBeLessThanOrEqual(1e-5 * peak);
  });

  it.each(ARCH_NAMES)("%s: 'track' gives the same output at −45 and 0 dBFS, up to the level ratio", async (arch) => {
    const x0 = signalAt(3 * 16000, 0, 12);
    const c = 10 ** (-45 / 20);
    const e0 = await enhancer(arch, 'track');
    const e45 = await enhancer(arch, 'track');
    const y0 = streamHops(e0, x0).stream;
    const y45 = streamHops(e45, scaled(x0, c)).stream;
    expect(db(e45.levelGain) - db(e0.levelGain)).toBeCloseTo(45, 4);
    const after = 16000; // from the second second on
    const { diff, peak } = maxAbsDiff(y45.subarray(after).map((v) => v / c), y0.subarray(after));
    expect(peak).toBeGreaterThan(1e-3);
    expect(diff).toBeLessThanOrEqual(1e-5 * peak); // measured 2.8e-7 (TCNN) … 9.2e-7 (LSTM)
  });

  it("'track': silence stays silence, NaN/Inf bursts hold the level and the stream recovers; reset restores it", async () => {
    const e = await enhancer('gcrn', 'track');
    // Digital zero: the net sees zeros either way; what it makes of them (its biases: −35 dBFS for
    // these random weights) leaves 70 dB quieter under 'track' — never louder.
    const zeros = streamHops(e, new Float32Array(2 * 16000)).stream;
    const raw = streamHops(await enhancer('gcrn', 'none'), new Float32Array(2 * 16000)).stream;
    expect(db(e.levelGain)).toBeCloseTo(-LEVEL_FLOOR_DBFS, 9);
    expect(zeros.every(Number.isFinite)).toBe(true);
    expect(maxAbsDiff(zeros, raw.map((v) => v / e.levelGain)).diff).toBeLessThanOrEqual(1e-6 * maxAbsDiff(zeros, zeros).peak);
    expect(maxAbsDiff(zeros, zeros).peak).toBeLessThan(1e-4);
    e.reset();

    const pre = signalAt(100 * HOP, -40, 13);
    const post = signalAt(150 * HOP, -40, 14);
    const withBurst = (burst: Float32Array) => concatF32(pre, burst, post);
    const run = (x: Float32Array, en = e) => {
      en.reset();
      const y = new Float32Array(x.length);
      const g: number[] = [];
      for (let h = 0; h < x.length / HOP; h++) {
        y.set(en.process(x.subarray(h * HOP, h * HOP + HOP)), h * HOP);
        g.push(en.levelGain);
      }
      return { y, g };
    };
    // reference: the same stretch of digital silence (which holds the level as well)
    const ref = run(withBurst(new Float32Array(50 * HOP)));
    // bursts as in robustness.test.ts: all NaN, +Inf, and audio with one NaN / −Inf in every hop
    const bursts = [
      new Float32Array(50 * HOP).fill(NaN),
      new Float32Array(50 * HOP).fill(Infinity),
      signalAt(50 * HOP, -40, 15).map((v, i) => (i % HOP === 77 ? NaN : v)),
      signalAt(50 * HOP, -40, 15).map((v, i) => (i % HOP === 3 ? -Infinity : v)),
    ];
    for (const burst of bursts) {
      const r = run(withBurst(burst));
      expect(r.y.every(Number.isFinite)).toBe(true);
      expect(r.g).toEqual(ref.g); // the level is held through the burst
      // the net recovers as from any bad stretch (test/runtime/robustness.test.ts: ≤ 60 hops for GCRN)
      const from = (100 + 50 + 60) * HOP;
      const { diff, peak } = maxAbsDiff(r.y.subarray(from), ref.y.subarray(from));
      expect(diff).toBeLessThanOrEqual(1e-4 * peak);
    }
    // reset (run() resets first) gave what a new Enhancer gives
    const fresh = run(withBurst(new Float32Array(50 * HOP)), await enhancer('gcrn', 'track'));
    expect(ref).toEqual(fresh);
  });

  it("options: default 'none' leaves the input alone; bad values are UserErrors", async () => {
    const x = signalAt(16000, -30, 16);
    const a = await enhancer('fdnn', undefined as unknown as LevelMode);
    expect(a.level).toBe('none');
    expect(a.levelGain).toBe(1);
    expect(streamHops(a, x).stream).toEqual(streamHops(await enhancer('fdnn', 'none'), x).stream);
    await expect(enhancer('fdnn', 'loud' as LevelMode)).rejects.toThrow(/level: expected 'track', 'none' or \{ gain: number \}/);
    await expect(enhancer('fdnn', { gain: 0 })).rejects.toThrow(UserError);
  });
});
