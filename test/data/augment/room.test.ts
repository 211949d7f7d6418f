import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/data/prng.js';
import {
  ROOM_EARLY_SECONDS, ROOM_WALL_MARGIN_M, roomBeta, roomDraw, roomImpulseResponse, rt60Schroeder,
} from '../../../src/data/augment/room.js';
import { reverbApply, reverbApplySpectrum, reverbLeadSamples } from '../../../src/data/augment/reverb.js';
import { SPEED_MARGIN_SAMPLES, speedPerturb, speedPlan, speedSpectrum } from '../../../src/data/augment/speed.js';
import { randomF64 } from '../../helpers/signals.js';

describe('room impulse responses', () => {
  it('have the requested RT60 (Schroeder T20 and T30 within ±10 %) over 30 rooms of 0.2–1.5 s (the settings allow no other)', () => {
    const errors: number[] = [];
    for (let k = 0; k < 30; k++) {
      const rng = Prng.fromKey(['rt60-test', k]);
      const rt60 = k < 24 ? 0.2 + (0.6 * k) / 23 : 0.8 + (0.7 * (k - 23)) / 6; // v2's 0.2–0.8 s densely, then up to 1.5 s
      const room = roomDraw(rng, rt60);
      const r = roomImpulseResponse(room, rng);
      for (const [from, to] of [[-5, -25], [-5, -35]]) {
        const measured = rt60Schroeder(r.ir, 16000, from, to);
        errors.push(Math.abs(measured / rt60 - 1));
      }
    }
    expect(Math.max(...errors)).toBeLessThan(0.1);
  });

  it('put the direct path at lag 0 with amplitude 1; the early part is the first 50 ms; rooms respect the wall margin', () => {
    for (let k = 0; k < 8; k++) {
      const rng = Prng.fromKey(['room-shape', k]);
      const room = roomDraw(rng, 0.5);
      for (const p of [room.source, room.mic]) p.forEach((v, i) => expect(v >= ROOM_WALL_MARGIN_M && v <= room.size[i] - ROOM_WALL_MARGIN_M).toBe(true));
      const r = roomImpulseResponse(room, rng);
      expect(r.ir[0]).toBeGreaterThan(0.95); // 1 plus the high-passed reflections' tiny share at lag 0
      expect(r.ir[0]).toBeLessThan(1.05);
      expect(r.early.length).toBe(ROOM_EARLY_SECONDS * 16000);
      expect([...r.early]).toEqual([...r.ir.subarray(0, r.early.length)]);
      expect(r.ir.length).toBe(Math.ceil(0.5 * 16000));
      expect(r.images).toBeGreaterThan(20);
    }
    // Eyring: a larger room reverberates longer with the same walls, so the same RT60 needs more absorption.
    expect(roomBeta([10, 8, 4], 0.5)).toBeLessThan(roomBeta([3, 3, 2.5], 0.5));
  });

  it('reverberation keeps the dry speech aligned: the early target correlates best with the dry at lag 0', () => {
    const rng = Prng.fromKey(['align']);
    const r = roomImpulseResponse(roomDraw(rng, 0.6), rng);
    const lead = reverbLeadSamples(r);
    const dry = randomF64(lead + 8000, 4);
    const { reverberant, early } = reverbApply(dry, r);
    expect(reverberant.length).toBe(8000);
    expect(early.length).toBe(8000);
    const dryPart = dry.subarray(lead);
    const corr = (y: Float64Array, lag: number) => {
      let c = 0;
      for (let i = 200; i < 7800; i++) c += y[i] * dryPart[i - lag];
      return c;
    };
    for (const y of [early, reverberant]) {
      const c0 = corr(y, 0);
      for (const lag of [-3, -2, -1, 1, 2, 3, 10, 50]) expect(Math.abs(corr(y, lag))).toBeLessThan(Math.abs(c0));
    }
    // The mixture speech carries more energy than the target (the late tail), with the same start.
    let eRev = 0;
    let eEarly = 0;
    for (let i = 0; i < 8000; i++) {
      eRev += reverberant[i] ** 2;
      eEarly += early[i] ** 2;
    }
    expect(eRev).toBeGreaterThan(eEarly);
  });

  it('speed + reverberation through the shared spectrum equals speed, then reverberation', () => {
    const rng = Prng.fromKey(['shared-spectrum']);
    const r = roomImpulseResponse(roomDraw(rng, 0.4), rng);
    const lead = reverbLeadSamples(r);
    const length = 8000;
    const plan = speedPlan(1.07, lead + length);
    const x = randomF64(plan.inLength, 9);
    const a = reverbApply(speedPerturb(x, plan, lead + length), r);
    const b = reverbApplySpectrum(speedSpectrum(x, plan), SPEED_MARGIN_SAMPLES + lead, length, r);
    let err = 0;
    for (let i = 0; i < length; i++) err = Math.max(err, Math.abs(a.reverberant[i] - b.reverberant[i]), Math.abs(a.early[i] - b.early[i]));
    expect(err).toBeLessThan(1e-10);
    expect(() => reverbApplySpectrum(speedSpectrum(x, plan), lead - 1, length, r)).toThrow(RangeError);
  });
});
