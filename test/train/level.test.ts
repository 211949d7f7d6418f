/**
 * The causal level path seen offline (src/dsp/level.ts levelTrackGains, src/train/level.ts,
 * src/evaluate/backend.ts level 'track'): the offline gains are the runtime tracker's per-sample
 * gains; a levelled pair keeps mixture = clean + noise and unlevels exactly; and scoring a .hush
 * with level 'track' gives the runtime Enhancer's own 'track' output.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { LevelNormaliser, levelTrackGains } from '../../src/dsp/level.js';
import { pairAtLevel, signalUnlevel } from '../../src/train/level.js';
import { enhanceBackendOpen } from '../../src/evaluate/backend.js';
import { Enhancer } from '../../runtime/node/enhancer.js';
import { testSignal } from '../runtime/models.js';
import { readFileSync } from 'node:fs';

const HOP = 160;
const DEFAULT_MODEL = fileURLToPath(new URL('../../demos/models/default.hush', import.meta.url));

/** testSignal at −35 dBFS for 1 s, then −15 dBFS: the tracker must move. */
function steppedSignal(n: number): Float32Array {
  const x = testSignal(n, 5);
  return x.map((v, i) => v * (i < n / 2 ? 0.02 : 0.2));
}

describe('levelTrackGains', () => {
  it('equals the per-sample gains of a streaming LevelNormaliser (delay 0), a partial last hop included', () => {
    const x = steppedSignal(16000 * 2 + 77);
    const g = levelTrackGains(x);
    const level = new LevelNormaliser('track', 0);
    const out = new Float32Array(HOP);
    const hop = new Float32Array(HOP);
    for (let at = 0; at < x.length; at += HOP) {
      hop.fill(0);
      hop.set(x.subarray(at, Math.min(at + HOP, x.length)));
      level.scaleInput(hop, out);
      for (let k = 0; k < HOP && at + k < x.length; k++) if (hop[k] !== 0) expect(Math.abs(out[k] / hop[k] - g[at + k]) / g[at + k]).toBeLessThan(1e-6);
    }
    // The gain moved with the level: −35 → −15 dBFS is 20 dB less gain once settled.
    const early = g[16000 - 1];
    const late = g[g.length - 200];
    expect(20 * Math.log10(early / late)).toBeGreaterThan(10);
  });
});

describe('pairAtLevel / signalUnlevel', () => {
  it("'track' scales mixture and clean by the same gains, 'global' is the identity, unlevel inverts", () => {
    const clean = testSignal(8000, 1).map((v) => v * 0.3);
    const noise = testSignal(8000, 2).map((v) => v * 0.2);
    const mixture = clean.map((v, i) => v + noise[i]);
    expect(pairAtLevel({ mixture, clean }, 'global').gains).toBeNull();
    const { pair, gains } = pairAtLevel({ mixture, clean }, 'track');
    expect(gains).not.toBeNull();
    for (const i of [0, 100, 4000, 7999]) {
      expect(pair.mixture[i]).toBeCloseTo(mixture[i] * gains![i], 4);
      expect(pair.clean[i]).toBeCloseTo(clean[i] * gains![i], 4);
    }
    const back = signalUnlevel(Float32Array.from(pair.clean), gains);
    for (let i = 0; i < clean.length; i++) expect(Math.abs(back[i] - clean[i])).toBeLessThan(1e-6);
  });
});

describe("backend level 'track'", () => {
  it('gives the runtime Enhancer\'s own level-tracked output on a .hush model', async () => {
    const x = steppedSignal(16000 * 2);
    const b = await enhanceBackendOpen(DEFAULT_MODEL, { level: 'track' });
    const y = b.process(x);
    b.close();
    const e = Enhancer.loadSync(readFileSync(DEFAULT_MODEL), { level: 'track' });
    const want = e.processBuffer(x);
    let peak = 0;
    let err = 0;
    for (let i = 0; i < want.length; i++) {
      peak = Math.max(peak, Math.abs(want[i]));
      err = Math.max(err, Math.abs(want[i] - y[i]));
    }
    expect(y.length).toBe(x.length);
    expect(err / peak).toBeLessThan(1e-4);
  });
});
