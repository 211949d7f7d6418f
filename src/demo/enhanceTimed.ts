/**
 * Enhancing a whole 16 kHz signal hop by hop through the WASM Enhancer while timing every hop —
 * the demo's latency figures come from here. Same alignment as Enhancer.processBuffer (start from a
 * fresh stream, feed x plus enough zero hops to flush the delay, drop the first delaySamples of the
 * hop stream), but each Enhancer.process call (the JS↔WASM copy of 160 samples in and out included,
 * which is what a host pays) is timed with process.hrtime.bigint().
 */
import { HOP_SAMPLES } from '../dsp/constants.js';

/** What the demo needs of an Enhancer (runtime/core/enhancer.ts). */
export interface HopEnhancer {
  /** Output sample n of the hop stream is the enhanced input sample n − delaySamples. */
  readonly delaySamples: number;
  process(hop: Float32Array, out?: Float32Array): Float32Array;
  reset(): void;
}

/** The enhanced signal (aligned with the input, same length) and the compute time of each hop (µs). */
export interface TimedEnhancement {
  enhanced: Float32Array;
  hopUs: Float64Array;
}

/** Runs x through `e` (see the file comment); the stream is reset before and after. */
export function enhanceTimed(e: HopEnhancer, x: Float32Array): TimedEnhancement {
  const n = x.length;
  const d = e.delaySamples;
  const hops = Math.ceil((n + d) / HOP_SAMPLES);
  const y = new Float32Array(n);
  const hopUs = new Float64Array(hops);
  const hop = new Float32Array(HOP_SAMPLES);
  const out = new Float32Array(HOP_SAMPLES);
  e.reset();
  for (let h = 0; h < hops; h++) {
    const start = h * HOP_SAMPLES;
    hop.fill(0);
    if (start < n) hop.set(x.subarray(start, Math.min(n, start + HOP_SAMPLES)));
    const t0 = process.hrtime.bigint();
    e.process(hop, out);
    hopUs[h] = Number(process.hrtime.bigint() - t0) / 1000;
    // out[k] is the enhanced x[start + k − d]
    const first = start - d;
    const k0 = Math.max(0, -first);
    const k1 = Math.min(HOP_SAMPLES, n - first);
    if (k1 > k0) y.set(out.subarray(k0, k1), first + k0);
  }
  e.reset();
  return { enhanced: y, hopUs };
}

/** Nearest-rank percentile (p in (0, 1]) of unsorted values (0 when empty). */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}
