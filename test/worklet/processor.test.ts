import { beforeAll, describe, expect, it } from 'vitest';
import { createHopProcessor } from '../../runtime/core/hopProcessorFactory.js';
import { IdentityHopProcessor } from '../../runtime/core/identityProcessor.js';
import type { HushWasmExports } from '../../runtime/core/wasm.js';
import { instantiateHush } from '../../runtime/core/wasm.js';
import { wasmPath } from '../../runtime/node/wasmFile.js';
import { HopBridge } from '../../runtime/worklet/processor.js';
import { readFileSync } from 'node:fs';
import { HushFormatError } from '../../src/format/index.js';
import {
  DelayHopProcessor,
  FakeClock,
  SlowHopProcessor,
  bandLimitedSignal,
  delayed,
  maxAbsDiff,
  runBridge,
  sampleSignal,
} from './helpers.js';
import { randomF32 } from '../helpers/signals.js';

const RATES = [8000, 16000, 22050, 32000, 44100, 48000, 96000];

let wasmModule: WebAssembly.Module;
/** A fresh WASM instance per processor (the allocator is a bump allocator). */
const freshWasm = (): Promise<HushWasmExports> => instantiateHush(wasmModule);

beforeAll(async () => {
  wasmModule = await WebAssembly.compile(readFileSync(wasmPath('simd')));
});

describe('IdentityHopProcessor / createHopProcessor', () => {
  it('delays the hop stream by latencySamples − 160 = 160 (float32 rounding)', async () => {
    const p = IdentityHopProcessor.create(await freshWasm());
    expect(p.latencySamples).toBe(320);
    const x = randomF32(160 * 50, 1);
    const y = new Float32Array(x.length);
    for (let h = 0; h < 50; h++) p.process(x.subarray(160 * h, 160 * h + 160), y.subarray(160 * h, 160 * h + 160));
    expect(maxAbsDiff(y, delayed(x, 160))).toBeLessThan(1e-5);
    p.reset();
    const z = new Float32Array(160);
    p.process(new Float32Array(160), z);
    expect(maxAbsDiff(z, new Float32Array(160))).toBe(0);
  });

  it('the factory gives the identity without a model and rejects bytes that are no .hush file', async () => {
    expect(createHopProcessor(await freshWasm(), null)).toBeInstanceOf(IdentityHopProcessor);
    expect(createHopProcessor(await freshWasm(), new Uint8Array(0))).toBeInstanceOf(IdentityHopProcessor);
    // Eight bytes are no .hush file: the model branch (the WASM Enhancer) rejects them with a format error.
    const wasm = await freshWasm();
    expect(() => createHopProcessor(wasm, new Uint8Array(8))).toThrow(HushFormatError);
  });
});

describe('HopBridge latency: output = input delayed by latencySamples', () => {
  it('is bit-exact at 16 kHz over every quantum/hop phase (exact delay processor, 3 s of noise)', () => {
    const bridge = new HopBridge({ sampleRate: 16000, processor: new DelayHopProcessor(160) });
    expect(bridge.latency).toMatchObject({ samples: 288, exactSamples: 288, bufferingSamples: 128, processorSamples: 160 });
    const x = randomF32(48000, 2);
    const y = runBridge(bridge, x);
    expect(maxAbsDiff(y, delayed(x, 288))).toBe(0);
  });

  it('finds clicks at every one of the 640 quantum/hop phases exactly latencySamples later (16 kHz, WASM identity)', async () => {
    const bridge = new HopBridge({ sampleRate: 16000, processor: IdentityHopProcessor.create(await freshWasm()) });
    const L = bridge.latencySamples;
    expect(L).toBe(288);
    // Clicks at 1000·c + (37·c mod 640): phases relative to both the quantum (128) and hop (160) grids.
    const clicks = Array.from({ length: 40 }, (_, c) => 1000 * c + ((37 * c) % 640) + 500);
    const x = new Float32Array(42000);
    for (const c of clicks) x[c] = 1;
    const y = runBridge(bridge, x);
    expect(maxAbsDiff(y, delayed(x, L))).toBeLessThan(1e-5);
    for (const c of clicks) {
      let arg = c;
      for (let i = c - 50; i < c + L + 50; i++) if (Math.abs(y[i]) > Math.abs(y[arg])) arg = i;
      expect(arg - c).toBe(L);
    }
  });

  it.each(RATES)('at %i Hz: WASM identity matches the band-limited input delayed by the exact latency', async (fs) => {
    const bridge = new HopBridge({ sampleRate: fs, processor: IdentityHopProcessor.create(await freshWasm()) });
    const lat = bridge.latency;
    expect(Math.abs(lat.samples - lat.exactSamples)).toBeLessThanOrEqual(0.5);
    expect(lat.processorSamples).toBeCloseTo((160 * fs) / 16000, 9);
    // Tones below 85 % of the lower Nyquist (resampler passband ends at 90 %).
    const maxHz = 0.85 * (Math.min(fs, 16000) / 2);
    const xf = bandLimitedSignal(maxHz, fs);
    const seconds = 3; // > 2 periods of the 44.1k/22.05k quantum pattern: a lost sample would misalign the tail
    const x = sampleSignal(xf, fs, seconds * fs);
    const y = runBridge(bridge, x);
    let err = 0;
    for (let n = 0; n < y.length; n++) err = Math.max(err, Math.abs(y[n] - xf((n - lat.exactSamples) / fs)));
    expect(err).toBeLessThan(1e-4);
    // Tail alone: still aligned after ~3 s (no sample lost or duplicated).
    let tail = 0;
    for (let n = y.length - fs / 10; n < y.length; n++) tail = Math.max(tail, Math.abs(y[n] - xf((n - lat.exactSamples) / fs)));
    expect(tail).toBeLessThan(1e-4);
  });

  it.each(RATES.filter((r) => r !== 16000))('at %i Hz: a click comes out at latencySamples ± 1', async (fs) => {
    const bridge = new HopBridge({ sampleRate: fs, processor: IdentityHopProcessor.create(await freshWasm()) });
    const L = bridge.latencySamples;
    const clicks = [fs / 5 + 3, (2 * fs) / 5 + 77, (3 * fs) / 5 + 101].map(Math.round);
    const x = new Float32Array(Math.round(0.9 * fs));
    for (const c of clicks) x[c] = 1;
    const y = runBridge(bridge, x);
    for (const c of clicks) {
      let arg = c;
      for (let i = c; i < c + 2 * L; i++) if (Math.abs(y[i]) > Math.abs(y[arg])) arg = i;
      expect(Math.abs(arg - c - L)).toBeLessThanOrEqual(1);
    }
  });

  it('holds alignment over a long run at 44.1 kHz (15 s ≈ 12 periods of the quantum pattern, exact delay processor: nothing lost or duplicated)', () => {
    const fs = 44100;
    const bridge = new HopBridge({ sampleRate: fs, processor: new DelayHopProcessor(160) });
    const xf = bandLimitedSignal(6000, 3);
    const q = 128;
    const inBlock = new Float32Array(q);
    const outBlock = new Float32Array(q);
    const quanta = Math.ceil((15 * fs) / q);
    let err = 0;
    for (let k = 0; k < quanta; k++) {
      for (let i = 0; i < q; i++) inBlock[i] = xf((k * q + i) / fs);
      bridge.process(inBlock, outBlock);
      if (k % 97 === 0) for (let i = 0; i < q; i++) err = Math.max(err, Math.abs(outBlock[i] - xf((k * q + i - bridge.latency.exactSamples) / fs)));
    }
    expect(err).toBeLessThan(1e-4);
  });
});

describe('HopBridge bypass, wet/dry and attenuation floor', () => {
  it('bypass toggles never jump in time (16 kHz, exact delay processor: output is the delayed input throughout)', () => {
    const proc = new DelayHopProcessor(160);
    const bridge = new HopBridge({ sampleRate: 16000, processor: proc });
    const x = randomF32(16000 * 2, 5);
    const y = runBridge(bridge, x, (k) => {
      if (k === 30) bridge.bypass = true;
      if (k === 90) bridge.bypass = false;
      if (k === 93) bridge.bypass = true; // toggled back mid-warm-up
      if (k === 95) bridge.bypass = false;
      if (k === 200) bridge.bypass = true;
      if (k === 201) bridge.bypass = false; // toggled back mid-release
    });
    expect(maxAbsDiff(y, delayed(x, 288))).toBe(0);
  });

  it('stops calling the processor once faded to dry, resets it and fades back in on un-bypass', () => {
    const proc = new DelayHopProcessor(160);
    const bridge = new HopBridge({ sampleRate: 48000, processor: proc });
    const q = new Float32Array(128);
    const o = new Float32Array(128);
    for (let k = 0; k < 100; k++) bridge.process(q, o);
    bridge.bypass = true;
    for (let k = 0; k < 20; k++) bridge.process(q, o); // 20 ms fade = 7.5 quanta
    expect(bridge.state).toBe('idle');
    expect(bridge.stats().bypassed).toBe(true);
    const calls = proc.calls;
    for (let k = 0; k < 100; k++) bridge.process(q, o);
    expect(proc.calls).toBe(calls);
    bridge.bypass = false;
    bridge.process(q, o);
    expect(bridge.state).toBe('warming');
    expect(proc.resets).toBe(1);
    for (let k = 0; k < 60; k++) bridge.process(q, o);
    expect(bridge.state).toBe('active');
    expect(proc.calls).toBeGreaterThan(calls);
  });

  it('bypassed output at 48 kHz is the full-band input delayed by latencySamples, bit-exact', () => {
    const bridge = new HopBridge({ sampleRate: 48000, processor: new DelayHopProcessor(160), bypass: true });
    const x = randomF32(48000, 6);
    const y = runBridge(bridge, x);
    expect(bridge.latencySamples).toBe(1294);
    expect(maxAbsDiff(y, delayed(x, bridge.latencySamples))).toBe(0);
  });

  it('bypass crossfades at 48 kHz stay on the delayed band-limited input', () => {
    const fs = 48000;
    const bridge = new HopBridge({ sampleRate: fs, processor: new DelayHopProcessor(160) });
    const xf = bandLimitedSignal(7000, 9);
    const x = sampleSignal(xf, fs, fs * 2);
    const y = runBridge(bridge, x, (k) => {
      if (k === 200) bridge.bypass = true;
      if (k === 400) bridge.bypass = false;
    });
    let err = 0;
    for (let n = 0; n < y.length; n++) err = Math.max(err, Math.abs(y[n] - xf((n - bridge.latency.exactSamples) / fs)));
    expect(err).toBeLessThan(1e-4);
  });

  it.each([
    // [wet, floor dB, expected output/dry for a processor that outputs silence]
    [1, Infinity, 0],
    [0.25, Infinity, 0.75],
    [1, 20, 0.1],
    [0.5, 20, 0.55],
    [0, 20, 1],
  ])('wet %f, floor %f dB: a muting processor leaves %f of the dry signal', (wet, floorDb, expected) => {
    const bridge = new HopBridge({ sampleRate: 16000, processor: new DelayHopProcessor(160, 0), wet, attenuationFloorDb: floorDb });
    const x = randomF32(16000, 11);
    const y = runBridge(bridge, x);
    const d = delayed(x, bridge.latencySamples);
    let err = 0;
    for (let n = 1000; n < y.length; n++) err = Math.max(err, Math.abs(y[n] - expected * d[n]));
    expect(err).toBeLessThan(1e-6);
  });

  it('ramps the mix over 20 ms when wet changes (no step larger than 1/320 of the dry-wet difference)', () => {
    // Processor outputs −x: output = (1 − 2a)·dry, so a is readable per sample.
    const bridge = new HopBridge({ sampleRate: 16000, processor: new DelayHopProcessor(160, -1) });
    const ones = new Float32Array(16000 * 1).fill(0.5);
    const y = runBridge(bridge, ones, (k) => {
      if (k === 50) bridge.wet = 0;
    });
    // Steady: a = 1 → −0.5; after the change a ramps to 0 → +0.5 over 320 samples.
    expect(y[50 * 128 - 1]).toBeCloseTo(-0.5, 6);
    const a = Array.from(y.subarray(50 * 128, 50 * 128 + 400), (v) => (1 - v / 0.5) / 2);
    for (let i = 1; i < a.length; i++) expect(a[i - 1] - a[i]).toBeLessThanOrEqual(1 / 320 + 1e-6);
    expect(a[319]).toBeCloseTo(0, 5);
    expect(a[0]).toBeGreaterThan(0.99);
    expect(() => (bridge.wet = 1.5)).toThrow(RangeError);
    expect(() => (bridge.attenuationFloorDb = -3)).toThrow(RangeError);
  });
});

describe('HopBridge overload fallback', () => {
  it('falls back to dry when hops take 90 % of their budget, backs off, retries, doubles the back-off', () => {
    const clock = new FakeClock();
    const inner = new DelayHopProcessor(160);
    const slow = new SlowHopProcessor(inner, clock, () => 9); // 9 ms per 10 ms hop > 0.7 budget
    const bridge = new HopBridge({ sampleRate: 16000, processor: slow, now: clock.now });
    const x = randomF32(16000 * 9, 12);
    const states: string[] = [];
    const y = runBridge(bridge, x, () => states.push(bridge.state));
    // Identity-like processor: whatever the state, the output is the delayed input, i.e. no crackle.
    expect(maxAbsDiff(y, delayed(x, 288))).toBe(0);
    const s = bridge.stats();
    // Trip after 50 hops (0.5 s); back-off 2 s; retry trips after 50 more; back-off 4 s; third run at ≈ 7.2 s.
    expect(s.overloads).toBe(3);
    expect(s.meanUs).toBe(9000);
    expect(s.p99Us).toBe(9000);
    expect(s.misses).toBe(0);
    const firstIdle = states.indexOf('idle');
    expect(firstIdle * 128).toBeGreaterThan(50 * 160);
    expect(firstIdle * 128).toBeLessThan(50 * 160 + 16000 * 0.05);
    // Processor calls ≈ 3 × (50 hops + the 20 ms release + the warm-up), far below the 900 hops of 9 s.
    expect(inner.calls).toBeLessThan(3 * 120);
    expect(inner.resets).toBe(2);
  });

  it('crossfades to dry and back over 20 ms: no step anywhere (muting processor, constant input)', () => {
    const clock = new FakeClock();
    const slow = new SlowHopProcessor(new DelayHopProcessor(160, 0), clock, () => 9);
    const bridge = new HopBridge({ sampleRate: 16000, processor: slow, now: clock.now, overload: { backoffSeconds: 0.5 } });
    const y = runBridge(bridge, new Float32Array(16000 * 2).fill(0.5));
    // Output = (1 − a)·0.5 with a ramping by 1/320 per sample: steps ≤ 0.5/320; 0 while active, 0.5 while idle.
    let step = 0;
    for (let n = 1; n < y.length; n++) step = Math.max(step, Math.abs(y[n] - y[n - 1]));
    expect(step).toBeLessThanOrEqual((0.5 / 320) * (1 + 1e-5));
    const idleAt = y.findIndex((v) => v === 0.5);
    expect(idleAt).toBeGreaterThan(50 * 160); // fell back after the 50-hop window
    const backAt = y.findIndex((v, n) => n > idleAt && v === 0);
    expect(backAt - idleAt).toBeGreaterThan(0.5 * 16000); // retried after the back-off (+ warm-up)
    expect(bridge.stats().overloads).toBeGreaterThanOrEqual(2);
  });

  it('trips on deadline misses before the window fills, and stays engaged once the processor is fast again', () => {
    const clock = new FakeClock();
    const inner = new DelayHopProcessor(160);
    let cost = 12; // ms: every hop misses its 10 ms deadline
    const slow = new SlowHopProcessor(inner, clock, () => cost);
    const bridge = new HopBridge({ sampleRate: 48000, processor: slow, now: clock.now, overload: { backoffSeconds: 0.5 } });
    const q = new Float32Array(128);
    const o = new Float32Array(128);
    let k = 0;
    while (bridge.state === 'active' && k < 1000) bridge.process(q, o), k++;
    expect(bridge.state).toBe('releasing');
    expect(inner.calls).toBe(3);
    expect(bridge.stats()).toMatchObject({ overloads: 1, misses: 3, overloaded: true, bypassed: true });
    cost = 1;
    for (let i = 0; i < 48000 / 128; i++) bridge.process(q, o); // 1 s > 0.5 s back-off + warm-up
    expect(bridge.state).toBe('active');
    expect(bridge.stats().overloaded).toBe(false);
    expect(bridge.stats().overloads).toBe(1);
    expect(bridge.stats().lateQuanta).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(bridge.stats()))).toEqual(bridge.stats());
  });

  it('never falls back when the overload policy is disabled (offline rendering), but still counts the misses', () => {
    const clock = new FakeClock();
    const inner = new DelayHopProcessor(160);
    const slow = new SlowHopProcessor(inner, clock, () => 12);
    const bridge = new HopBridge({ sampleRate: 48000, processor: slow, now: clock.now, overload: { enabled: false } });
    const q = new Float32Array(128);
    const o = new Float32Array(128);
    for (let k = 0; k < 48000 / 128; k++) bridge.process(q, o);
    expect(bridge.state).toBe('active');
    expect(inner.calls).toBeGreaterThan(90);
    expect(bridge.stats()).toMatchObject({ overloads: 0, overloaded: false, bypassed: false });
    expect(bridge.stats().misses).toBeGreaterThan(90);
  });
});

describe('HopBridge processor swap and reset', () => {
  it('swaps in a processor with a different latency and ends up aligned to the new latency', () => {
    const bridge = new HopBridge({ sampleRate: 16000, processor: new DelayHopProcessor(160) });
    const x = randomF32(16000 * 2, 13);
    let swapped = -1;
    const y = runBridge(bridge, x, (k) => {
      if (k === 40) bridge.setProcessor(new DelayHopProcessor(480));
      if (swapped < 0 && k > 40 && !bridge.swapPending) swapped = k;
    });
    expect(swapped).toBeGreaterThan(40);
    expect(bridge.latencySamples).toBe(128 + 480);
    // Before the swap: old latency; long after: new latency; in between bounded (crossfades only).
    expect(maxAbsDiff(y, delayed(x, 288), 0, 40 * 128)).toBe(0);
    expect(maxAbsDiff(y, delayed(x, 608), 16000, y.length)).toBe(0);
    expect(maxAbsDiff(y, new Float32Array(y.length))).toBeLessThanOrEqual(1);
  });

  it('reset() restarts the stream as if new', () => {
    const a = new HopBridge({ sampleRate: 44100, processor: new DelayHopProcessor(160) });
    const b = new HopBridge({ sampleRate: 44100, processor: new DelayHopProcessor(160) });
    runBridge(a, randomF32(44100 / 2, 14));
    a.reset();
    const x = randomF32(44100 / 2, 15);
    expect(maxAbsDiff(runBridge(a, x), runBridge(b, x))).toBe(0);
  });

  it('validates its inputs', () => {
    const p = new DelayHopProcessor(160);
    expect(() => new HopBridge({ sampleRate: 44100.5, processor: p })).toThrow(RangeError);
    expect(() => new HopBridge({ sampleRate: 16000, processor: p, wet: -1 })).toThrow(RangeError);
    expect(() => new HopBridge({ sampleRate: 16000, processor: { ...p, hopSamples: 128 } as never })).toThrow(/hopSamples/);
    const bridge = new HopBridge({ sampleRate: 16000, processor: p });
    expect(() => bridge.process(new Float32Array(128), new Float32Array(64))).toThrow(/128/);
    bridge.process(null, new Float32Array(128)); // no input connected = silence
  });
});
