/**
 * STFT benchmark: µs per 10 ms hop for streaming analysis + synthesis (one hop in, 161 bins, one
 * hop out), per-hop median / p99 / max over ≥ 20 000 hops after a warm-up, for
 *   - wasm-simd / wasm-scalar: the raw kernels on WASM-memory buffers (the runtime's zero-copy path),
 *   - wasm-simd-wrapper: the same through runtime/core/stftWasm.ts (JS copies in and out),
 *   - ts-f64-hop: the float64 reference primitives (src/dsp/fft.ts) driven hop by hop,
 *   - ts-f64-batch: stftAnalyze + stftSynthesize over the whole signal, total time / hops (best of 3).
 * Timed per hop with process.hrtime.bigint() (≈ 0.05 µs of the figure is the clock itself); the
 * WASM rows include writing the 160 input samples into WASM memory.
 * Usage: node dist/tools/bench/stft.js [--json] [--hops N]   (npm run bench:stft)
 * --json prints one JSON object on stdout and nothing else there.
 */
import { HOP_SAMPLES, NUM_BINS, WINDOW_SAMPLES } from '../../src/dsp/constants.js';
import { rfftForward, rfftInverse, rfftPlanCreate } from '../../src/dsp/fft.js';
import { stftAnalyze, stftSynthesize } from '../../src/dsp/stft.js';
import { hammingWindow } from '../../src/dsp/window.js';
import { WasmStft } from '../../runtime/core/stftWasm.js';
import { loadHushWasm, type WasmFlavor } from '../../runtime/node/wasmFile.js';
import { benchHost } from './host.js';

/** Per-hop timing summary (µs). */
interface HopStats {
  hops: number;
  medianUs: number;
  p99Us: number;
  maxUs: number;
  meanUs: number;
}

const WARMUP_HOPS = 2000;

function summarize(samplesNs: Float64Array): HopStats {
  const sorted = Float64Array.from(samplesNs).sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1000;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { hops: sorted.length, medianUs: at(0.5), p99Us: at(0.99), maxUs: sorted[sorted.length - 1] / 1000, meanUs: sum / sorted.length / 1000 };
}

/** A deterministic speech-like signal of `hops` hops (noise + harmonics), float32. */
function benchSignal(hops: number): Float32Array {
  const x = new Float32Array(hops * HOP_SAMPLES);
  let a = 12345;
  for (let i = 0; i < x.length; i++) {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    x[i] = 0.3 * (a / 2 ** 32 - 0.5) + 0.4 * Math.sin((2 * Math.PI * 140 * i) / 16000);
  }
  return x;
}

/** Times `step(t)` once per hop; returns per-hop stats after WARMUP_HOPS untimed hops. */
function timeHops(hops: number, step: (t: number) => void): HopStats {
  for (let t = 0; t < WARMUP_HOPS; t++) step(t % hops);
  const ns = new Float64Array(hops);
  for (let t = 0; t < hops; t++) {
    const t0 = process.hrtime.bigint();
    step(t);
    ns[t] = Number(process.hrtime.bigint() - t0);
  }
  return summarize(ns);
}

async function benchWasmRaw(flavor: WasmFlavor, x: Float32Array, hops: number): Promise<HopStats> {
  const wasm = await loadHushWasm(flavor);
  const stft = WasmStft.create(wasm);
  const call = wasm as unknown as Record<string, (...a: number[]) => void>;
  const analyze = call.stftAnalyzeHop, synthesize = call.stftSynthesizeHop;
  const { statePtr, inPtr, rePtr, imPtr, outPtr } = stft;
  // Input written outside the timed region; the timed part is exactly the runtime's per-hop work.
  const input = new Float32Array(wasm.memory.buffer, inPtr, HOP_SAMPLES);
  let sink = 0;
  const stats = timeHops(hops, (t) => {
    input.set(x.subarray(t * HOP_SAMPLES, (t + 1) * HOP_SAMPLES));
    analyze(statePtr, inPtr, rePtr, imPtr);
    synthesize(statePtr, rePtr, imPtr, outPtr);
  });
  sink += new Float32Array(wasm.memory.buffer, outPtr, HOP_SAMPLES)[0];
  void sink;
  return stats;
}

async function benchWasmWrapper(x: Float32Array, hops: number): Promise<HopStats> {
  const stft = WasmStft.create(await loadHushWasm('simd'));
  const re = new Float32Array(NUM_BINS), im = new Float32Array(NUM_BINS), out = new Float32Array(HOP_SAMPLES);
  return timeHops(hops, (t) => {
    stft.analyzeHop(x.subarray(t * HOP_SAMPLES, (t + 1) * HOP_SAMPLES), re, im);
    stft.synthesizeHop(re, im, out);
  });
}

/** The float64 reference primitives driven as a stream (same work per hop as the WASM path). */
function benchTsHop(x: Float32Array, hops: number): HopStats {
  const plan = rfftPlanCreate(WINDOW_SAMPLES);
  const w = hammingWindow();
  const s = Float64Array.from(w, (v, n) => v / (v * v + w[(n + HOP_SAMPLES) % WINDOW_SAMPLES] ** 2));
  const prev = new Float64Array(HOP_SAMPLES), overlap = new Float64Array(HOP_SAMPLES);
  const frame = new Float64Array(WINDOW_SAMPLES), y = new Float64Array(WINDOW_SAMPLES), out = new Float64Array(HOP_SAMPLES);
  const re = new Float64Array(NUM_BINS), im = new Float64Array(NUM_BINS);
  return timeHops(hops, (t) => {
    const hop = x.subarray(t * HOP_SAMPLES, (t + 1) * HOP_SAMPLES);
    for (let i = 0; i < HOP_SAMPLES; i++) {
      frame[i] = prev[i] * w[i];
      frame[HOP_SAMPLES + i] = hop[i] * w[HOP_SAMPLES + i];
      prev[i] = hop[i];
    }
    rfftForward(plan, frame, re, im);
    rfftInverse(plan, re, im, y);
    for (let i = 0; i < HOP_SAMPLES; i++) {
      out[i] = overlap[i] + s[i] * y[i];
      overlap[i] = s[HOP_SAMPLES + i] * y[HOP_SAMPLES + i];
    }
  });
}

/** Whole-signal float64 analysis + synthesis; best of 3 runs (the first also warms up the JIT). */
function benchTsBatch(x: Float32Array, hops: number): { hops: number; meanUs: number } {
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const t0 = process.hrtime.bigint();
    const spec = stftAnalyze(x);
    stftSynthesize(spec.re, spec.im, spec.frames, x.length);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1000 / hops);
  }
  return { hops, meanUs: best };
}

async function main(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const hopsArg = argv.indexOf('--hops');
  const hops = hopsArg >= 0 ? Number(argv[hopsArg + 1]) : 20000;
  if (!Number.isInteger(hops) || hops < 1) throw new Error(`--hops must be a positive integer, got ${argv[hopsArg + 1]}`);
  const x = benchSignal(hops);
  const results = {
    hopSamples: HOP_SAMPLES,
    hopBudgetUs: (HOP_SAMPLES / 16000) * 1e6,
    wasmSimd: await benchWasmRaw('simd', x, hops),
    wasmScalar: await benchWasmRaw('scalar', x, hops),
    wasmSimdWrapper: await benchWasmWrapper(x, hops),
    tsF64Hop: benchTsHop(x, hops),
    tsF64Batch: benchTsBatch(x, hops),
    node: process.version,
    host: benchHost(),
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(results)}\n`);
    return;
  }
  const row = (name: string, s: HopStats): string =>
    `${name.padEnd(20)} ${s.medianUs.toFixed(2).padStart(8)} ${s.p99Us.toFixed(2).padStart(8)} ${s.maxUs.toFixed(1).padStart(9)} ${s.meanUs.toFixed(2).padStart(8)}`;
  process.stdout.write(`STFT analysis + synthesis per ${HOP_SAMPLES}-sample hop, ${hops} hops (budget ${results.hopBudgetUs} µs), ${process.version}\n`);
  process.stdout.write(`${'path'.padEnd(20)} ${'p50 µs'.padStart(8)} ${'p99 µs'.padStart(8)} ${'max µs'.padStart(9)} ${'mean µs'.padStart(8)}\n`);
  process.stdout.write(`${row('wasm-simd', results.wasmSimd)}\n${row('wasm-scalar', results.wasmScalar)}\n`);
  process.stdout.write(`${row('wasm-simd-wrapper', results.wasmSimdWrapper)}\n${row('ts-f64-hop', results.tsF64Hop)}\n`);
  process.stdout.write(`${'ts-f64-batch'.padEnd(20)} ${'—'.padStart(8)} ${'—'.padStart(8)} ${'—'.padStart(9)} ${results.tsF64Batch.meanUs.toFixed(2).padStart(8)}\n`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`bench:stft: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
