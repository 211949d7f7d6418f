/**
 * HushNode under node-web-audio-api (1.x: the newest line that supports Node 20; 2.x needs Node 22):
 * OfflineAudioContext at 16 kHz, worklet bundle added by file path: the identity model, and a tiny
 * GCRN whose output must equal the Enhancer's on the same WASM build, with the input level tracked
 * (HushNode's default, level 'track') and raw ('none'). Its worklet renders slowly (a few quanta
 * per ms at best), so the signals are short.
 */
import * as nwa from 'node-web-audio-api';
import { describe, expect, it } from 'vitest';
import { presetConfig } from '../../src/models/index.js';
import { Enhancer } from '../../runtime/core/enhancer.js';
import type { LevelMode } from '../../src/dsp/level.js';
import type { HopBridgeStats } from '../../runtime/worklet/processor.js';
import { nwaHushNodeEnv } from './nwaHushNode.js';
import { encodeModel, testSignal } from '../runtime/models.js';
import { streamHops } from '../runtime/harness.js';

describe('HushNode under node-web-audio-api (OfflineAudioContext, 16 kHz)', () => {
  const env = nwaHushNodeEnv();

  it('identity: output = input delayed by node.latency, float32 rounding only', async () => {
    const fs = 16000;
    const n = 4096;
    const ctx = new nwa.OfflineAudioContext(1, n, fs);
    const buffer = ctx.createBuffer(1, n, fs);
    const x = buffer.getChannelData(0);
    for (let i = 0; i < n; i++) x[i] = 0.5 * Math.sin(0.05 * i) + (i % 701 === 100 ? 0.4 : 0);
    const src = ctx.createBufferSource();
    src.buffer = buffer;
    const wasm = await env.simdWasm();
    const node = await env.HushNode.create(ctx as unknown as BaseAudioContext, {
      wasm,
      workletUrl: env.workletUrl,
      statsIntervalSeconds: 0.05,
    });
    let stats: HopBridgeStats | null = null;
    node.onstats = (s) => (stats = s);
    expect(node.latency).toEqual({ samples: 288, ms: 18, exactSamples: 288 });
    src.connect(node as unknown as nwa.AudioNode);
    (node as unknown as nwa.AudioNode).connect(ctx.destination);
    src.start();
    const y = (await ctx.startRendering()).getChannelData(0);
    let err = 0;
    for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(y[i] - (i >= 288 ? x[i - 288] : 0)));
    expect(err).toBeLessThan(1e-5);
    // Periodic stats arrive during rendering (the worklet thread ends with an offline render, so
    // requestStats() afterwards would go unanswered); the last may trail the render by a moment.
    await new Promise((r) => setTimeout(r, 200));
    const s = stats as HopBridgeStats | null;
    expect(s?.quanta).toBeGreaterThanOrEqual(n / 128 - 7);
    expect(s?.hops).toBeGreaterThan(0);
    expect(s?.state).toBe('active');
    expect(s?.clock).toBe('performance');
    expect(s?.levelGainDb).toBe(0); // the identity has no level normaliser
  });

  it.each([
    { name: 'default (track)', level: undefined },
    { name: 'none', level: 'none' as LevelMode },
  ])('tiny GCRN, level $name: output = the Enhancer.process stream on the same build, delayed by the 128-sample buffering', async ({ level }) => {
    const fs = 16000;
    const n = 12_000;
    const ctx = new nwa.OfflineAudioContext(1, n, fs);
    const buffer = ctx.createBuffer(1, n, fs);
    // a quiet source (−40 dBFS RMS), as from a microphone
    const x = new Float32Array(testSignal(n, 21));
    const scale = 0.01 / Math.sqrt(x.reduce((a, v) => a + v * v, 0) / n);
    for (let i = 0; i < n; i++) x[i] *= scale;
    buffer.copyToChannel(x, 0);
    const src = ctx.createBufferSource();
    src.buffer = buffer;
    const model = encodeModel(presetConfig('gcrn', 'tiny'), 'kmeans').hush;
    const wasm = await env.simdWasm();
    const node = await env.HushNode.create(ctx as unknown as BaseAudioContext, {
      wasm,
      model: model.slice(),
      workletUrl: env.workletUrl,
      statsIntervalSeconds: 0.05,
      ...(level ? { level } : {}),
    });
    let stats: HopBridgeStats | null = null;
    node.onstats = (s) => (stats = s);
    expect(node.latency.samples).toBe(288);
    src.connect(node as unknown as nwa.AudioNode);
    (node as unknown as nwa.AudioNode).connect(ctx.destination);
    src.start();
    const y = (await ctx.startRendering()).getChannelData(0);
    const e = await Enhancer.fromModule(wasm, model, { level: level ?? 'track' });
    const ref = streamHops(e, x).stream; // ref[m] = enhanced x[m − 160]
    const P = 128; // FIFO priming at 16 kHz: y[q] = ref[q − 128]
    let err = 0;
    let peak = 0;
    for (let q = P; q < n; q++) {
      err = Math.max(err, Math.abs(y[q] - ref[q - P]));
      peak = Math.max(peak, Math.abs(ref[q - P]));
    }
    expect(y.subarray(0, P).every((v) => v === 0)).toBe(true);
    expect(peak).toBeGreaterThan(1e-4); // the input peaks at ~0.03
    expect(err).toBeLessThanOrEqual(1e-6 * peak);
    await new Promise((r) => setTimeout(r, 200));
    const s = stats as HopBridgeStats | null;
    // the last report may trail the render: the tracked gain is near +40 dB by then
    if (level === 'none') expect(s?.levelGainDb).toBe(0);
    else expect(Math.abs(s!.levelGainDb - 20 * Math.log10(e.levelGain))).toBeLessThan(1);
  });
});
