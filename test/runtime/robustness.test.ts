/**
 * What garbage input does to a stream (policy: assembly/nets/guard.ts). For every architecture
 * (tiny preset, both plans): NaN, ±Inf, subnormal, silent, clipped (±1 square), DC, and absurdly
 * large finite input give finite output, and the stream recovers.
 *
 * Recovery, defined: after the bad stretch ends, the output of the run that saw it equals (to
 * 1e-4 × peak) the output of a fresh Enhancer fed only the audio after the stretch, from `N` hops
 * on. Non-finite hops reset the stream, so N = 0 and the outputs are bit-identical. Finite bad input
 * is processed as audio: N is bounded by the net's memory — FDNN: the STFT's one hop of overlap;
 * TCNN: its receptive field (encoder/decoder time kernels + the TCM's dilated convs, 19 hops for the
 * tiny preset); LSTM and GCRN: the decay of the recurrent state (measured ≤ RECURRENT_HOPS).
 * Also: a model whose weights overflow f32 never emits a non-finite sample.
 *
 * With the input level tracked (level 'track', src/dsp/level.ts) the output stays finite for
 * every kind; NaN/Inf, subnormal and silent stretches hold the level estimate (the gain after equals
 * the gain before), so the stream recovers within the same bounds, measured against the same audio
 * with digital silence in place of the bad stretch. Loud finite stretches (clipped, DC, huge) are
 * level information: the gain drops with them (never below −20 dB) and recovers with the tracker's
 * 3-s time constant (test/runtime/level.test.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ARCH_NAMES, presetConfig, type ArchName } from '../../src/models/index.js';
import { writeHush, type HushTensor } from '../../src/format/index.js';
import { encodeModel, testSignal, testWeights } from './models.js';
import { enhancerFor, maxAbsDiff } from './harness.js';
import { Enhancer as CoreEnhancer, type Enhancer } from '../../runtime/core/enhancer.js';
import { runtimeWasm } from './wasm.js';
import { concatF32 } from '../helpers/signals.js';

const HOP = 160;
/** Recovery bound for finite bad input, in hops, per architecture (see the file comment). */
const RECOVERY_HOPS: Record<ArchName, number> = { fdnn: 2, lstm: 60, tcnn: 20, gcrn: 60 };

/** Bad stretches: 50 hops (0.5 s) each. */
const BAD_KINDS: Record<string, (n: number) => Float32Array> = {
  nan: (n) => new Float32Array(n).fill(NaN),
  'one NaN per hop': (n) => testSignal(n, 9).map((v, i) => (i % HOP === 77 ? NaN : v)),
  '+inf': (n) => new Float32Array(n).fill(Infinity),
  '-inf': (n) => testSignal(n, 9).map((v, i) => (i % 997 === 0 ? -Infinity : v)),
  subnormal: (n) => new Float32Array(n).map((_, i) => (i % 2 ? 1e-40 : -3e-42)),
  silent: (n) => new Float32Array(n),
  clipped: (n) => new Float32Array(n).map((_, i) => (Math.floor(i / 40) % 2 ? 1 : -1)),
  dc: (n) => new Float32Array(n).fill(0.5),
  'huge finite': (n) => testSignal(n, 9).map((v) => v * 1e30),
};
const NON_FINITE = new Set(['nan', 'one NaN per hop', '+inf', '-inf']);
/** Kinds that carry no level information (the tracker holds). '-inf' leaves most hops finite audio. */
const LEVEL_HELD = new Set(['nan', 'one NaN per hop', '+inf', 'subnormal', 'silent']);

/** Feeds x hop by hop (length a multiple of 160); returns the concatenated output. */
function run(e: Enhancer, x: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let h = 0; h < x.length / HOP; h++) out.set(e.process(x.subarray(h * HOP, h * HOP + HOP)), h * HOP);
  return out;
}

/** Hops until |a − b| stays ≤ tol for the rest (a, b aligned hop streams). */
function recoveryHops(a: Float32Array, b: Float32Array, tol: number): number {
  let last = -1;
  for (let h = 0; h < b.length / HOP; h++) {
    for (let k = h * HOP; k < h * HOP + HOP; k++) {
      if (!(Math.abs(a[k] - b[k]) <= tol)) {
        last = h;
        break;
      }
    }
  }
  return last + 1;
}

const summary: string[] = [];
afterAll(() => {
  if (summary.length > 0) console.log(`recovery after bad input (hops until output = fresh-state run):\n${summary.join('\n')}`);
});

describe('bad input: finite output and recovery', () => {
  const pre = testSignal(50 * HOP, 5);
  const post = testSignal(150 * HOP, 6);
  for (const arch of ARCH_NAMES) {
    it(`${arch}`, async () => {
      const m = encodeModel(presetConfig(arch, 'tiny'), arch === 'lstm' || arch === 'gcrn' ? 'kmeans' : 'f32');
      const row: string[] = [];
      for (const plan of ['fast', 'compact'] as const) {
        const fresh = run(await enhancerFor(m.hush, 'simd', plan), post);
        const { peak } = maxAbsDiff(fresh, fresh);
        for (const [kind, make] of Object.entries(BAD_KINDS)) {
          const bad = make(50 * HOP);
          const x = concatF32(pre, bad, post);
          const e = await enhancerFor(m.hush, 'simd', plan);
          const y = run(e, x);
          expect(y.every(Number.isFinite), `${arch} ${kind}: every output sample finite`).toBe(true);
          const after = y.subarray(pre.length + bad.length);
          const n = recoveryHops(after, fresh, 1e-4 * peak);
          if (NON_FINITE.has(kind)) {
            expect(n, `${arch} ${plan} ${kind}`).toBe(0);
            expect(after, `${arch} ${plan} ${kind}: bit-identical to a fresh stream`).toEqual(fresh);
          } else {
            expect(n, `${arch} ${plan} ${kind}: recovered within ${RECOVERY_HOPS[arch]} hops`).toBeLessThanOrEqual(RECOVERY_HOPS[arch]);
          }
          if (plan === 'fast') row.push(`${kind} ${n}`);
          // a processBuffer call over the same audio stays finite as well
          expect(e.processBuffer(x).every(Number.isFinite)).toBe(true);
        }
      }
      summary.push(`  ${arch}: ${row.join(', ')}`);
    });
  }
});

describe("bad input with level 'track': finite output, level held through non-audio, recovery", () => {
  const pre = testSignal(50 * HOP, 5);
  const post = testSignal(150 * HOP, 6);
  const withStretch = (bad: Float32Array) => concatF32(pre, bad, post);
  for (const arch of ARCH_NAMES) {
    it(`${arch}`, async () => {
      const m = encodeModel(presetConfig(arch, 'tiny'), arch === 'lstm' || arch === 'gcrn' ? 'kmeans' : 'f32');
      const e = CoreEnhancer.create(await runtimeWasm('simd'), m.hush, { plan: 'fast', level: 'track' });
      const runFresh = (x: Float32Array) => {
        e.reset();
        const y = run(e, x);
        return { y, gain: e.levelGain };
      };
      const ref = runFresh(withStretch(new Float32Array(50 * HOP)));
      const { peak } = maxAbsDiff(ref.y, ref.y);
      for (const [kind, make] of Object.entries(BAD_KINDS)) {
        const x = withStretch(make(50 * HOP));
        e.reset();
        const y = new Float32Array(x.length);
        let gainBefore = 0;
        for (let h = 0; h < x.length / HOP; h++) {
          if (h === pre.length / HOP) gainBefore = e.levelGain;
          y.set(e.process(x.subarray(h * HOP, h * HOP + HOP)), h * HOP);
          if (h === (pre.length + 50 * HOP) / HOP - 1 && LEVEL_HELD.has(kind)) expect(e.levelGain, `${arch} ${kind}: level held`).toBe(gainBefore);
        }
        expect(y.every(Number.isFinite), `${arch} ${kind}: every output sample finite`).toBe(true);
        expect(e.levelGain).toBeGreaterThanOrEqual(0.1);
        if (LEVEL_HELD.has(kind)) {
          const from = pre.length + 50 * HOP;
          const n = recoveryHops(y.subarray(from), ref.y.subarray(from), 1e-4 * peak);
          expect(n, `${arch} ${kind}: recovered within ${RECOVERY_HOPS[arch]} hops`).toBeLessThanOrEqual(RECOVERY_HOPS[arch]);
        }
      }
    });
  }
});

describe('a model that overflows f32', () => {
  it('outputs zeros instead of Inf/NaN and keeps running', async () => {
    const config = presetConfig('lstm', 'tiny');
    const tensors = new Map<string, HushTensor>();
    for (const [name, t] of testWeights(config, 1)) {
      // |Ŝ| = ReLU(0·h + 3e38) per bin: finite, but the inverse DFT's sum over 161 bins overflows
      const data = name === 'fc.weight' ? t.data.map(() => 0) : name === 'fc.bias' ? t.data.map(() => 3e38) : t.data;
      tensors.set(name, { encoding: 'f32', shape: t.shape, data });
    }
    const e = await enhancerFor(writeHush({ config, tensors }), 'simd');
    const y = run(e, testSignal(100 * HOP, 4));
    expect(y.every(Number.isFinite)).toBe(true);
    expect(y.every((v) => v === 0)).toBe(true);
  });
});
