/**
 * SeparationBridge (runtime/worklet/separationBridge.ts): render quanta at the context rate in, one
 * channel per speaker out, each the Separator's stream delayed by exactly `latency` — at the model's
 * rate (8 kHz: bit-identical to Separator.processBuffer) and at 48 kHz (the offline resampling of the
 * Separator's 8-kHz output, to the resampler's f32 rounding) — and the FIFOs never run dry.
 */
import { describe, expect, it } from 'vitest';
import { writeHush } from '../../src/format/writer.js';
import { resample } from '../../src/dsp/resample.js';
import { separationHushModel } from '../../src/compress/separationExport.js';
import { separationLayout, type SeparationConfig } from '../../src/models/separation/net.js';
import { CONV_TASNET_TINY, UPIT_LSTM_TINY } from '../../src/models/separation/presets.js';
import { shapeSize } from '../../src/models/paramSpec.js';
import { Separator } from '../../runtime/core/separator.js';
import { SeparationBridge } from '../../runtime/worklet/separationBridge.js';
import { randn, rng } from '../format/fixture.js';
import { runtimeWasm } from '../runtime/wasm.js';
import { bandLimitedSignal, sampleSignal } from './helpers.js';

function modelBytes(config: SeparationConfig): Uint8Array {
  const r = rng(5);
  const weights = new Map(separationLayout(config).params.map((p) => [p.name, { shape: [...p.shape], data: randn(shapeSize(p.shape), r, 0.3) }]));
  return writeHush(separationHushModel(config, weights, { kind: 'f32' }));
}

/** Runs x (a whole number of quanta) through the bridge: one array per output channel. */
function runSeparation(bridge: SeparationBridge, x: Float32Array): Float32Array[] {
  const q = bridge.quantumSamples;
  const ys = Array.from({ length: bridge.outputCount }, () => new Float32Array(x.length));
  const outs = Array.from({ length: bridge.outputCount + 1 }, () => new Float32Array(q)); // one spare channel
  for (let k = 0; k * q < x.length; k++) {
    bridge.process(x.subarray(k * q, (k + 1) * q), outs);
    outs.slice(0, bridge.outputCount).forEach((o, c) => ys[c].set(o, k * q));
    expect(outs[bridge.outputCount].every((v) => v === 0)).toBe(true);
  }
  return ys;
}

const CONFIGS: SeparationConfig[] = [{ arch: 'conv-tasnet', hp: { ...CONV_TASNET_TINY } }, { arch: 'upit-lstm', hp: { ...UPIT_LSTM_TINY } }];

describe('SeparationBridge', () => {
  for (const config of CONFIGS) {
    it(`${config.arch} at 8 kHz: channel k = the Separator's speaker k, delayed by latency.samples, bit for bit`, async () => {
      const bytes = modelBytes(config);
      const bridge = new SeparationBridge({ sampleRate: 8000, separator: Separator.create(await runtimeWasm('simd'), bytes) });
      const lat = bridge.latency;
      expect(lat.exactSamples).toBe(lat.bufferingSamples + bridge.separator.delaySamples);
      const x = sampleSignal(bandLimitedSignal(3500), 8000, 128 * 60);
      const ys = runSeparation(bridge, x);
      const want = Separator.create(await runtimeWasm('simd'), bytes).processBuffer(x);
      for (let c = 0; c < 2; c++) {
        expect(ys[c].subarray(0, lat.bufferingSamples).every((v) => v === 0)).toBe(true); // the priming
        expect(ys[c].subarray(lat.samples)).toEqual(want[c].subarray(0, x.length - lat.samples));
        expect(want[c].some((v) => Math.abs(v) > 1e-3)).toBe(true);
      }
    });
  }

  it('conv-tasnet at 48 kHz: each channel = the 8-kHz stream resampled to 48 kHz, delayed by latency.exactSamples', async () => {
    const config = CONFIGS[0];
    const bytes = modelBytes(config);
    const fs = 48000;
    const bridge = new SeparationBridge({ sampleRate: fs, separator: Separator.create(await runtimeWasm('simd'), bytes) });
    const lat = bridge.latency;
    expect(lat.processorSamples).toBe((bridge.separator.delaySamples * fs) / 8000);
    expect(Number.isInteger(lat.exactSamples)).toBe(true);
    const n = 128 * 375; // 1 s
    const x = sampleSignal(bandLimitedSignal(3500), fs, n);
    const ys = runSeparation(bridge, x);
    const want8 = Separator.create(await runtimeWasm('simd'), bytes).processBuffer(Float32Array.from(resample(x, fs, 8000)));
    for (let c = 0; c < 2; c++) {
      const want = resample(want8[c], 8000, fs);
      let worst = 0, peak = 0;
      // interior: away from the start-up (latency + resampler support) and the end of the offline signal
      for (let i = lat.samples + 2000; i < n - 2000; i++) {
        worst = Math.max(worst, Math.abs(ys[c][i] - want[i - lat.samples]));
        peak = Math.max(peak, Math.abs(want[i - lat.samples]));
      }
      expect(peak).toBeGreaterThan(1e-3);
      expect(worst).toBeLessThan(1e-4 * peak + 1e-6);
    }
  });
});
