/**
 * Ten minutes of audio per architecture through one Enhancer (tools/bench/runtimeLong.ts longStream;
 * the same script runs the 1-hour soak): WASM memory constant (memUsed and memory.buffer.byteLength
 * unchanged), the hop-by-hop output bit-identical to processBuffer() of the whole signal in one
 * call, faster than real time. Tiny presets, pruned + k-means weights, compact plan for the recurrent
 * nets and fast for the others (so both kinds of kernels are soaked).
 */
import { describe, expect, it } from 'vitest';
import { ARCH_NAMES, presetConfig } from '../../src/models/index.js';
import { longSignal, longStream } from '../../tools/bench/runtimeLong.js';
import { encodeModel } from './models.js';
import { enhancerFor } from './harness.js';

const MINUTES = 10;
const signal = longSignal(MINUTES * 60 * 16000);

describe(`${MINUTES}-minute stream`, () => {
  for (const arch of ARCH_NAMES) {
    it(`${arch}: constant memory, stream == batch, faster than real time`, async () => {
      const m = encodeModel(presetConfig(arch, 'tiny'), 'kmeans-pruned');
      const e = await enhancerFor(m.hush, 'simd', arch === 'lstm' || arch === 'gcrn' ? 'compact' : 'fast');
      const r = longStream(e, signal);
      console.log(`${arch}: ${r.hops} hops in ${r.streamSeconds.toFixed(2)} s (RTF ${r.rtf.toFixed(4)}), memUsed ${r.memUsedAfter} B, memory ${r.wasmBytesAfter} B`);
      expect(r.hops).toBeGreaterThanOrEqual(60_000);
      expect(r.memUsedAfter).toBe(r.memUsedBefore);
      expect(r.wasmBytesAfter).toBe(r.wasmBytesBefore);
      expect(r.firstDifference).toBe(-1);
      expect(r.identical).toBe(true);
      expect(r.rtf).toBeLessThan(1);
    });
  }
});
