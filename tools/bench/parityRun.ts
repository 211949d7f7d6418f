/**
 * Runners of the parity checks (test/runtime/ and tools/bench/parityEdge.ts): the offline libtorch
 * reference (whole utterance → output transform → iSTFT / overlap-add: src/train/features.ts
 * enhanceWaveform) and a WASM run, hop by hop through Enhancer.process, aligned by the declared delay.
 */
import type { Enhancer } from '../../runtime/core/enhancer.js';
import { createNet } from '../../src/models/nets.js';
import { enhanceWaveform } from '../../src/train/features.js';
import type { EncodedModel } from './parityModels.js';

/** The libtorch reference output for `x` (same length). */
export function referenceEnhance(m: Pick<EncodedModel, 'config' | 'reference'>, x: Float32Array): Float32Array {
  const net = createNet(m.config, { weights: m.reference });
  try {
    return enhanceWaveform(net, x);
  } finally {
    net.dispose();
  }
}

/**
 * Streams x through `e` hop by hop (zero-padded, plus enough zero hops to flush the delay) and
 * returns the raw hop-stream output (length hops·160) and the part aligned with x.
 */
export function streamHops(e: Pick<Enhancer, 'delaySamples' | 'process'>, x: Float32Array): { stream: Float32Array; aligned: Float32Array } {
  const hops = Math.ceil((x.length + e.delaySamples) / 160);
  const stream = new Float32Array(hops * 160);
  const hop = new Float32Array(160);
  for (let h = 0; h < hops; h++) {
    hop.fill(0);
    const part = x.subarray(Math.min(h * 160, x.length), Math.min(h * 160 + 160, x.length));
    hop.set(part);
    stream.set(e.process(hop), h * 160);
  }
  return { stream, aligned: stream.slice(e.delaySamples, e.delaySamples + x.length) };
}

/** max |a − b| and the peak |b|. */
export function maxAbsDiff(a: Float32Array, b: Float32Array): { diff: number; peak: number } {
  let diff = 0;
  let peak = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= diff)) diff = d; // NaN propagates
    peak = Math.max(peak, Math.abs(b[i]));
  }
  return { diff, peak };
}
