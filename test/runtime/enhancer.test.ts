/**
 * The Enhancer API (runtime/core/enhancer.ts, runtime/node/enhancer.ts) and the HopProcessor seam
 * (runtime/core/hopProcessorFactory.ts): hop I/O, reset, processBuffer alignment and lengths,
 * Node loading of the shipped builds.
 */
import { describe, expect, it } from 'vitest';
import { presetConfig } from '../../src/models/index.js';
import { Enhancer as CoreEnhancer } from '../../runtime/core/enhancer.js';
import { createHopProcessor } from '../../runtime/core/hopProcessorFactory.js';
import { hopProcessorDelaySamples } from '../../runtime/core/hopProcessor.js';
import { Enhancer } from '../../runtime/node/enhancer.js';
import { encodeModel, identityModel, testSignal } from './models.js';
import { enhancerFor, maxAbsDiff, streamHops } from './harness.js';
import { runtimeWasm } from './wasm.js';

describe('Enhancer', () => {
  it('process: 160 in, 160 out, into a reused buffer or the caller\'s', async () => {
    const e = await enhancerFor(encodeModel(presetConfig('gcrn', 'tiny'), 'f32').hush, 'simd');
    const hop = testSignal(160);
    const a = e.process(hop);
    const b = e.process(hop);
    expect(a).toBe(b); // the Enhancer's buffer
    const mine = new Float32Array(160);
    expect(e.process(hop, mine)).toBe(mine);
    expect(() => e.process(new Float32Array(128))).toThrow(RangeError);
    expect(e.hopSamples).toBe(160);
    expect(e.sampleRate).toBe(16000);
  });

  it('reset gives the output of a fresh stream', async () => {
    const hush = encodeModel(presetConfig('lstm', 'tiny'), 'kmeans').hush;
    const x = testSignal(8000);
    const fresh = streamHops(await enhancerFor(hush, 'simd'), x).stream;
    const e = await enhancerFor(hush, 'simd');
    streamHops(e, testSignal(5000, 11));
    e.reset();
    expect(streamHops(e, x).stream).toEqual(fresh);
  });

  it('processBuffer is latency compensated: an identity-mask model returns its input', async () => {
    const e = await enhancerFor(identityModel(), 'simd');
    for (const n of [0, 1, 159, 160, 161, 16_000, 16_001]) {
      const x = testSignal(n, n + 1);
      const y = e.processBuffer(x);
      expect(y.length).toBe(n);
      if (n > 0) expect(maxAbsDiff(y, x).diff).toBeLessThan(1e-6);
    }
  });

  it('createHopProcessor runs a .hush model (320 samples latency, 160 delay) and the identity without one', async () => {
    const hush = encodeModel(presetConfig('tcnn', 'tiny'), 'f32').hush;
    const p = createHopProcessor(await runtimeWasm('simd'), hush);
    expect(p).toBeInstanceOf(CoreEnhancer);
    expect(p.latencySamples).toBe(320);
    expect(hopProcessorDelaySamples(p)).toBe(160);
    const out = new Float32Array(160);
    p.process(testSignal(160), out);
    expect(out.every(Number.isFinite)).toBe(true);
    expect(createHopProcessor(await runtimeWasm('simd'), null)).not.toBeInstanceOf(CoreEnhancer);
  });

  it('Node: Enhancer.load / loadSync run the shipped builds, SIMD and scalar alike', async () => {
    const hush = encodeModel(presetConfig('gcrn', 'tiny'), 'kmeans').hush;
    const x = testSignal(4000);
    const simd = await Enhancer.load(hush, { flavor: 'simd', plan: 'compact' });
    const scalar = Enhancer.loadSync(hush, { flavor: 'scalar', plan: 'compact' });
    expect(simd.flavor).toBe('simd');
    expect(scalar.flavor).toBe('scalar');
    expect(simd.macsPerHop).toBe(scalar.macsPerHop);
    const a = simd.processBuffer(x);
    const b = scalar.processBuffer(x);
    const { diff, peak } = maxAbsDiff(a, b);
    expect(diff).toBeLessThan(1e-5 * peak);
    expect(() => Enhancer.loadSync(hush, { flavor: 'avx' as never })).toThrow(/unknown WASM flavour/);
  });
});
