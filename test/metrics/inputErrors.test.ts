/**
 * Clear errors, never a wrong number: every metric refuses input it cannot score with a UserError
 * that names the signal and the problem (different lengths, unsupported rates, no speech in the
 * reference, NaN/Inf samples, empty or too-short signals), and evaluate notes what it changed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMono, writeWav } from '../../src/data/wav.js';
import { UserError } from '../../src/errors.js';
import { bssEvalSdr } from '../../src/metrics/bssEval.js';
import { evaluateFiles, evaluateSignals, metricJson, metricResultJson } from '../../src/metrics/evaluate.js';
import { pesq } from '../../src/metrics/pesq/pesq.js';
import { resampleOct } from '../../src/metrics/resampleOct.js';
import { sdr, siSnr } from '../../src/metrics/sdr.js';
import { stoi } from '../../src/metrics/stoi.js';
import { FIXTURE_DIR } from './fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'hushpack-metrics-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const clean = readMono(FIXTURE_DIR + 'allison_clean.wav');
const noisy = readMono(FIXTURE_DIR + 'allison_white_15.wav');

/** Runs f and returns the UserError it throws (fails the test otherwise). */
function userError(f: () => unknown): UserError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected a UserError');
}

describe('metric input errors', () => {
  it('different lengths: error naming both signals, unless trimmed', () => {
    const short = noisy.samples.subarray(0, noisy.samples.length - 100);
    const e = userError(() => evaluateSignals(clean.samples, short, 16000, { refName: 'a.wav', degName: 'b.wav' }));
    expect(e.message).toMatch(/a\.wav has 90470 samples but b\.wav has 90370/);
    for (const f of [stoi, siSnr, sdr, bssEvalSdr]) {
      expect(() => (f as (a: Float32Array, b: Float32Array, fs: number) => number)(clean.samples, short, 16000)).toThrow(UserError);
    }
    const notes: string[] = [];
    const r = evaluateSignals(clean.samples, short, 16000, { trim: true, onNote: (m) => notes.push(m) });
    expect(notes.join('\n')).toMatch(/trimmed to 90370 samples/);
    expect(Number.isFinite(r.pesq_nb)).toBe(true);
  });

  it('sample rates: PESQ refuses other than 8/16 kHz; evaluate resamples with a note or refuses below 8 kHz', () => {
    expect(userError(() => pesq(clean.samples, noisy.samples, 44100)).message).toMatch(/8000 Hz and 16000 Hz/);
    expect(userError(() => pesq(clean.samples, noisy.samples, 8000, 'wb')).message).toMatch(/16000 Hz/);
    const r24 = resampleOct(clean.samples, 16000, 24000);
    const n24 = resampleOct(noisy.samples, 16000, 24000);
    const notes: string[] = [];
    const r = evaluateSignals(r24, n24, 24000, { onNote: (m) => notes.push(m) });
    expect(notes.join('\n')).toMatch(/resampled 24000 Hz to 16000 Hz for PESQ/);
    expect(r.pesq_nb).toBeGreaterThan(1);
    expect(r.pesq_wb).not.toBeNull();
    const r4 = resampleOct(clean.samples, 16000, 4000);
    expect(userError(() => evaluateSignals(r4, r4, 4000)).message).toMatch(/below 8000 Hz/);
  });

  it('8 kHz input: narrow-band PESQ only, wide band null with a note', () => {
    const c8 = resampleOct(clean.samples, 16000, 8000);
    const n8 = resampleOct(noisy.samples, 16000, 8000);
    const notes: string[] = [];
    const r = evaluateSignals(c8, n8, 8000, { onNote: (m) => notes.push(m) });
    expect(r.pesq_wb).toBeNull();
    expect(notes.join('\n')).toMatch(/pesq_wb is null/);
    expect(r.pesq_nb).toBeGreaterThan(1);
    expect(r.pesq_nb).toBeLessThan(4.6);
    expect(metricResultJson(r).pesq_wb).toBeNull();
  });

  it('a reference without speech: P.862 "no utterances", silent reference', () => {
    const fs = 16000;
    const burst = new Float32Array(3 * fs);
    for (let i = 24000; i < 25600; i++) burst[i] = 0.5 * Math.sin(0.4 * i);
    expect(userError(() => pesq(burst, burst, fs)).message).toMatch(/no utterances detected/);
    const silence = new Float32Array(3 * fs);
    expect(userError(() => pesq(silence, burst, fs)).message).toMatch(/digital silence/);
    expect(userError(() => sdr(silence, burst)).message).toMatch(/silence/);
    expect(userError(() => siSnr(silence, burst)).message).toMatch(/constant/);
    expect(userError(() => bssEvalSdr(silence, burst)).message).toMatch(/silence/);
    expect(userError(() => pesq(clean.samples, new Float32Array(clean.samples.length), fs)).message).toMatch(/no signal power/);
  });

  it('NaN and Inf samples, empty and too-short signals', () => {
    const bad = noisy.samples.slice();
    bad[1234] = NaN;
    expect(userError(() => evaluateSignals(clean.samples, bad, 16000, { degName: 'x.wav' })).message).toMatch(/x\.wav: sample 1234 .* is NaN/);
    bad[1234] = Infinity;
    expect(userError(() => stoi(clean.samples, bad, 16000)).message).toMatch(/Infinity/);
    expect(userError(() => sdr(new Float32Array(0), new Float32Array(0))).message).toMatch(/empty/);
    const quarter = clean.samples.subarray(0, 3000);
    expect(userError(() => pesq(quarter, quarter, 16000)).message).toMatch(/at least 1\/4 s/);
    const short = clean.samples.subarray(0, 6000);
    expect(userError(() => stoi(short, short, 16000)).message).toMatch(/too little speech/);
  });

  it('an empty WAV file is refused with its name', () => {
    const path = join(tmp, 'empty.wav');
    writeWav(path, { sampleRate: 16000, channels: [new Float32Array(0)] });
    expect(userError(() => evaluateFiles(FIXTURE_DIR + 'allison_clean.wav', path)).message).toMatch(/empty\.wav.*empty/);
  });

  it('JSON: infinities as strings', () => {
    expect(metricJson(Infinity)).toBe('inf');
    expect(metricJson(-Infinity)).toBe('-inf');
    expect(metricJson(1.5)).toBe(1.5);
    expect(metricJson(null)).toBeNull();
  });
});
