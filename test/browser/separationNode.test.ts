/**
 * HushNode with a speaker-separation model under node-web-audio-api (OfflineAudioContext at the
 * model's 8 kHz, the worklet bundle by file path): two output channels, channel k = the
 * Separator's speaker k on the same WASM build, delayed by node.latency (the SeparationBridge's
 * priming + the net's delay), bit for bit; bypass is refused with a message.
 */
import * as nwa from 'node-web-audio-api';
import { describe, expect, it } from 'vitest';
import { writeHush } from '../../src/format/writer.js';
import { separationHushModel } from '../../src/compress/separationExport.js';
import { separationLayout, type SeparationConfig } from '../../src/models/separation/net.js';
import { CONV_TASNET_TINY } from '../../src/models/separation/presets.js';
import { shapeSize } from '../../src/models/paramSpec.js';
import { Separator } from '../../runtime/core/separator.js';
import { instantiateHush } from '../../runtime/core/wasm.js';
import { quantumPlanCreate } from '../../runtime/worklet/quantumPlan.js';
import { randn, rng } from '../format/fixture.js';
import { nwaHushNodeEnv } from './nwaHushNode.js';

describe('HushNode with a separation model (node-web-audio-api, 8 kHz)', () => {
  const env = nwaHushNodeEnv();

  it('conv-tasnet: two channels, each the Separator stream delayed by node.latency', async () => {
    const config: SeparationConfig = { arch: 'conv-tasnet', hp: { ...CONV_TASNET_TINY } };
    const r = rng(5);
    const weights = new Map(separationLayout(config).params.map((p) => [p.name, { shape: [...p.shape], data: randn(shapeSize(p.shape), r, 0.3) }]));
    const model = writeHush(separationHushModel(config, weights, { kind: 'f32' }));
    const fs = 8000;
    const n = 4000;
    const ctx = new nwa.OfflineAudioContext(2, n, fs);
    const buffer = ctx.createBuffer(1, n, fs);
    const x = Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin(0.07 * i) + 0.2 * Math.sin(0.31 * i + 1));
    buffer.copyToChannel(x, 0);
    const src = ctx.createBufferSource();
    src.buffer = buffer;
    const wasm = await env.simdWasm();
    const node = await env.HushNode.create(ctx as unknown as BaseAudioContext, { wasm, model: model.slice(), workletUrl: env.workletUrl });
    expect(node.outputChannels).toBe(2);
    const L = node.latency.samples;
    expect(node.latency.exactSamples).toBe(L);
    const P = quantumPlanCreate(fs, 128, fs, 80).primingSamples;
    expect(L).toBe(P + CONV_TASNET_TINY.L / 2); // priming + the net's delay
    await expect(node.setModel(null)).rejects.toThrow(/setModel does not apply to a speaker-separation model/);
    src.connect(node as unknown as nwa.AudioNode);
    (node as unknown as nwa.AudioNode).connect(ctx.destination);
    src.start();
    const out = await ctx.startRendering();
    const want = Separator.create(await instantiateHush(wasm), model).processBuffer(x);
    for (let c = 0; c < 2; c++) {
      const y = out.getChannelData(c);
      expect(y.subarray(0, P).every((v) => v === 0)).toBe(true);
      let err = 0, peak = 0;
      for (let q = L; q < n; q++) {
        err = Math.max(err, Math.abs(y[q] - want[c][q - L]));
        peak = Math.max(peak, Math.abs(want[c][q - L]));
      }
      expect(peak).toBeGreaterThan(1e-3);
      expect(err).toBeLessThanOrEqual(1e-6 * peak);
    }
  });
});
