/**
 * Long-stream soak of the WASM runtime: hours of audio through one Enhancer, checking that
 *  - memory is constant: WASM memUsed() and memory.buffer.byteLength are the same before and after
 *    (nothing is allocated per hop), and the JS heap does not grow with the stream length;
 *  - streaming equals batch: the hop-by-hop output (Enhancer.process, delay skipped) is bit-identical
 *    to processBuffer() of the whole signal in one call;
 *  - it runs faster than real time (the run's real-time factor is reported).
 * test/runtime/longStream.test.ts runs 10 minutes per architecture in CI; this script does the
 * 1-hour run:
 *   node dist/tools/bench/runtimeLong.js [--model M.hush | --arch gcrn --preset edge] [--minutes 60]
 *     [--plan auto] [--flavor simd] [--json]
 * Without --model it builds an untrained model of the preset (tools/bench/runtimePresets.ts, 'c1'
 * encoding: pruned + k-means). Memory: the signal and the batch output, 2 × 4 bytes × 16000/s
 * (≈ 460 MB for an hour).
 */
import { readFileSync } from 'node:fs';
import { Enhancer } from '../../runtime/node/enhancer.js';
import type { PlanChoice } from '../../runtime/core/plan.js';
import type { WasmFlavor } from '../../runtime/node/wasmFile.js';
import type { Enhancer as CoreEnhancer } from '../../runtime/core/enhancer.js';
import { presetConfig, type ArchName, type PresetName } from '../../src/models/index.js';
import { presetModel } from './runtimePresets.js';
import { benchHost } from './host.js';

/**
 * A deterministic speech-like test stream of `samples` samples at 16 kHz: voiced glides with a
 * 3-Hz syllable envelope and noise, a second of digital silence every 7 s, peak ≈ 0.3.
 */
export function longSignal(samples: number, seed = 7): Float32Array {
  const x = new Float32Array(samples);
  let phase = 0;
  let s = seed >>> 0;
  for (let i = 0; i < samples; i++) {
    const t = i / 16000;
    if (t % 7 >= 6) continue; // silence
    const f = 110 + 90 * Math.sin(2 * Math.PI * 0.23 * t) + 40 * Math.sin(2 * Math.PI * 1.7 * t);
    phase += (2 * Math.PI * f) / 16000;
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const env = Math.max(0, Math.sin(2 * Math.PI * 3 * t));
    x[i] = 0.15 * env * (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.2 * Math.sin(4 * phase)) + 0.02 * (s / 2 ** 31 - 1);
  }
  return x;
}

/** What a soak found. */
export interface LongStreamReport {
  seconds: number;
  hops: number;
  /** WASM memory before / after (memUsed, buffer byteLength). */
  memUsedBefore: number;
  memUsedAfter: number;
  wasmBytesBefore: number;
  wasmBytesAfter: number;
  /** JS heap used before / after the streaming pass, bytes (after a GC when --expose-gc). */
  heapBefore: number;
  heapAfter: number;
  /** Hop-by-hop output bit-identical to processBuffer(). */
  identical: boolean;
  /** First differing sample (−1 when identical) and max |Δ|. */
  firstDifference: number;
  maxAbsDifference: number;
  /** Wall time of the streaming pass and of processBuffer, s. */
  streamSeconds: number;
  bufferSeconds: number;
  /** Streaming pass wall time / audio duration. */
  rtf: number;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Runs the soak on `e` over `x`: processBuffer(x) first, then the same audio hop by hop, compared on
 * the fly with the batch output (no copy of the stream is kept).
 */
export function longStream(e: CoreEnhancer, x: Float32Array): LongStreamReport {
  const hopN = e.hopSamples;
  const d = e.delaySamples;
  const m0 = e.memoryNow();
  let t0 = performance.now();
  const batch = e.processBuffer(x);
  const bufferSeconds = (performance.now() - t0) / 1000;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const hop = new Float32Array(hopN);
  const out = new Float32Array(hopN);
  const hops = Math.ceil((x.length + d) / hopN);
  let firstDifference = -1;
  let maxAbsDifference = 0;
  t0 = performance.now();
  for (let h = 0; h < hops; h++) {
    const start = h * hopN;
    if (start + hopN <= x.length) hop.set(x.subarray(start, start + hopN));
    else {
      hop.fill(0);
      if (start < x.length) hop.set(x.subarray(start));
    }
    e.process(hop, out);
    for (let k = 0; k < hopN; k++) {
      const n = start + k - d; // out[k] is the enhanced x[n]
      if (n < 0 || n >= x.length) continue;
      if (!Object.is(out[k], batch[n])) {
        if (firstDifference < 0) firstDifference = n;
        maxAbsDifference = Math.max(maxAbsDifference, Math.abs(out[k] - batch[n]));
      }
    }
  }
  const streamSeconds = (performance.now() - t0) / 1000;
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  const seconds = x.length / e.sampleRate;
  return {
    seconds, hops,
    memUsedBefore: m0.usedBytes, memUsedAfter: e.memoryNow().usedBytes,
    wasmBytesBefore: m0.bufferBytes, wasmBytesAfter: e.memoryNow().bufferBytes,
    heapBefore, heapAfter,
    identical: firstDifference < 0, firstDifference, maxAbsDifference,
    streamSeconds, bufferSeconds, rtf: streamSeconds / seconds,
  };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): void {
  const minutes = Number(arg('minutes') ?? '60');
  const model = arg('model');
  const bytes = model ? readFileSync(model) : presetModel(presetConfig((arg('arch') ?? 'gcrn') as ArchName, (arg('preset') ?? 'edge') as PresetName), 'c1');
  const e = Enhancer.loadSync(bytes, { plan: (arg('plan') ?? 'auto') as PlanChoice, flavor: arg('flavor') as WasmFlavor | undefined, fileName: model });
  process.stderr.write(`runtime-long: ${e.config.arch} ${e.flavor} plan ${e.plan.choice}, ${minutes} min of audio\n`);
  const r = longStream(e, longSignal(Math.round(minutes * 60 * 16000)));
  const ok = r.identical && r.memUsedAfter === r.memUsedBefore && r.wasmBytesAfter === r.wasmBytesBefore;
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ ok, model: model ?? 'synthetic', arch: e.config.arch, host: benchHost(), ...r })}\n`);
  else {
    process.stdout.write(
      `${ok ? 'OK' : 'FAILED'}: ${r.seconds} s (${r.hops} hops) streamed in ${r.streamSeconds.toFixed(1)} s (RTF ${r.rtf.toFixed(4)}), ` +
        `processBuffer ${r.bufferSeconds.toFixed(1)} s; stream ${r.identical ? '==' : '!='} batch` +
        `${r.identical ? '' : ` (first at sample ${r.firstDifference}, max |Δ| ${r.maxAbsDifference})`}; ` +
        `WASM memUsed ${r.memUsedBefore} → ${r.memUsedAfter}, memory ${r.wasmBytesBefore} → ${r.wasmBytesAfter} bytes; ` +
        `JS heap ${(r.heapBefore / 2 ** 20).toFixed(1)} → ${(r.heapAfter / 2 ** 20).toFixed(1)} MiB\n`,
    );
  }
  process.exitCode = ok ? 0 : 1;
}

if (process.argv[1] && /runtimeLong\.(js|ts)$/.test(process.argv[1])) main();
