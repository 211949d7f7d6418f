/**
 * HushNode under node-web-audio-api (1.x: the newest line that supports Node 20; 2.x needs Node 22):
 * OfflineAudioContext at 16 kHz, identity model, worklet bundle added by file path. Its worklet
 * renders slowly (a few quanta per ms at best), so the signal is short.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as nwa from 'node-web-audio-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HopBridgeStats } from '../../runtime/worklet/processor.js';
import type { HushNode as HushNodeClass } from '../../runtime/worklet/workletNode.js';
import { bundlesBuild, bundlesRemove } from './bundles.js';

describe('HushNode under node-web-audio-api (OfflineAudioContext, 16 kHz)', () => {
  let dir: string;
  let HushNode: typeof HushNodeClass;

  beforeAll(async () => {
    dir = bundlesBuild();
    // HushNode extends whatever AudioWorkletNode is global when runtime/web loads.
    (globalThis as { AudioWorkletNode?: unknown }).AudioWorkletNode = nwa.AudioWorkletNode;
    ({ HushNode } = await import('../../runtime/web/index.js'));
  });

  afterAll(() => {
    delete (globalThis as { AudioWorkletNode?: unknown }).AudioWorkletNode;
    if (dir) bundlesRemove(dir);
  });

  it('identity: output = input delayed by node.latency, float32 rounding only', async () => {
    const fs = 16000;
    const n = 4096;
    const ctx = new nwa.OfflineAudioContext(1, n, fs);
    const buffer = ctx.createBuffer(1, n, fs);
    const x = buffer.getChannelData(0);
    for (let i = 0; i < n; i++) x[i] = 0.5 * Math.sin(0.05 * i) + (i % 701 === 100 ? 0.4 : 0);
    const src = ctx.createBufferSource();
    src.buffer = buffer;
    const wasm = await WebAssembly.compile(readFileSync(join(dir, 'hush-simd.wasm')));
    const node = await HushNode.create(ctx as unknown as BaseAudioContext, {
      wasm,
      workletUrl: pathToFileURL(join(dir, 'hush-worklet.js')),
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
  });
});
