/**
 * Per-hop benchmark of a speaker-separation model on the WASM runtime (issue 16; used by `hushpack
 * bench` for a `.hush` of task 'separate' and by tools/bench/separation.ts). The method of
 * ./runtime.ts, on the Separator (runtime/core/separator.ts) instead of the Enhancer:
 *
 * for each WASM build (SIMD when the host has it, and scalar) × execution plan (fast, compact, auto),
 * a fresh instance loads the model, runs `warmup` hops, then times `frames` consecutive 10-ms hops
 * (80 samples at 8 kHz) one by one through Separator.process — the JS↔WASM copies of the input hop
 * and of every speaker's output hop included, what a host pays — with process.hrtime.bigint().
 * Input: ./runtime.ts benchSignal at the model's rate (harmonic glide + noise; no hop takes a special
 * path such as the silence guard). Reported per run: µs per hop at p50 / p99 / max / mean, real-time
 * factor (mean hop time / 10 ms), multiplications per hop as loaded, their rate, the WASM memory by
 * purpose and the forms the plan chose. The 'auto' plan is the cost model's (the Separator has no
 * measuring planner). Issue 16's target: edge Conv-TasNet ≤ 1 ms p50 per 10 ms (SIMD, one core, idle).
 */
import { Separator } from '../../runtime/node/separator.js';
import { simdSupported } from '../../runtime/node/enhancer.js';
import type { ModelMemory } from '../../runtime/core/modelReport.js';
import type { PlanChoice } from '../../runtime/core/plan.js';
import type { WasmFlavor } from '../../runtime/node/wasmFile.js';
import type { HushArchConfig } from '../../src/format/arch.js';
import { benchHost, type BenchHost } from './host.js';
import { benchGrid, timeHops, type BenchOptions } from './runtime.js';

/** One build × plan. */
export interface SeparationBenchRun {
  flavor: WasmFlavor;
  plan: PlanChoice;
  /** How many matrices got each form (dense, sparse, columns, codebook, codebook-sparse, mpo). */
  forms: Record<string, number>;
  /** µs per 10-ms hop (all speakers). */
  usP50: number;
  usP99: number;
  usMax: number;
  usMean: number;
  /** Mean hop time / hop duration: < 1 is real time. */
  rtf: number;
  macsPerHop: number;
  /** macsPerHop / p50 hop time. */
  gmacsPerSecond: number;
  memory: ModelMemory;
  /** Model load time (validation, decoding, repacking), ms. */
  loadMs: number;
}

/** The benchmark of one separation model. */
export interface SeparationBenchReport {
  task: 'separate';
  model: string;
  config: HushArchConfig;
  parameters: number;
  fileBytes: number;
  /** Speakers (outputs per hop). */
  outputs: number;
  hopSamples: number;
  sampleRateHz: number;
  hopMs: number;
  latencySamples: number;
  latencyMs: number;
  frames: number;
  warmup: number;
  hostSimd: boolean;
  runs: SeparationBenchRun[];
  /** p50 scalar / p50 SIMD per plan (when both ran). */
  simdSpeedup: Partial<Record<PlanChoice, number>>;
  /** The machine (CPU model, kind and SIMD flags, load average at the end): ./host.ts. */
  host: BenchHost;
}

/** Options of benchSeparationModel: those of the enhancement bench. */
export type SeparationBenchOptions = BenchOptions;

/** Times one build × plan (see the file comment). */
export function benchSeparationRun(bytes: Uint8Array, flavor: WasmFlavor, plan: PlanChoice, frames: number, warmup: number, name = 'model.hush'): SeparationBenchRun {
  const t0 = performance.now();
  const s = Separator.loadSync(bytes, { flavor, plan, fileName: name });
  const loadMs = performance.now() - t0;
  const outs = Array.from({ length: s.outputCount }, () => new Float32Array(s.hopSamples));
  const t = timeHops((hop) => s.process(hop, outs), frames, warmup, s.hopSamples, s.sampleRate);
  const forms: Record<string, number> = {};
  for (const x of s.tensors) if (s.mats.has(x.name) || x.form.startsWith('conv-')) forms[x.form] = (forms[x.form] ?? 0) + 1;
  const hopUs = (1e6 * s.hopSamples) / s.sampleRate;
  return {
    flavor, plan, forms, ...t,
    rtf: t.usMean / hopUs,
    macsPerHop: s.macsPerHop,
    gmacsPerSecond: s.macsPerHop / t.usP50 / 1000,
    memory: s.memory,
    loadMs,
  };
}

/** Benchmarks a separation `.hush` on every build × plan in one process (UserError for an enhancement model). */
export function benchSeparationModel(bytes: Uint8Array, name: string, opts: SeparationBenchOptions = {}): SeparationBenchReport {
  const frames = opts.frames ?? 3000;
  const warmup = opts.warmup ?? 300;
  const probe = Separator.loadSync(bytes, { flavor: opts.flavors?.[0] ?? (simdSupported() ? 'simd' : 'scalar'), fileName: name });
  const { runs, simdSpeedup } = benchGrid(opts, (flavor, plan) => {
    opts.log?.(`bench: ${name} ${flavor} ${plan} (${warmup} + ${frames} hops of ${probe.hopSamples} samples at ${probe.sampleRate} Hz)`);
    return benchSeparationRun(bytes, flavor, plan, frames, warmup, name);
  });
  return {
    task: 'separate',
    model: name,
    config: probe.config,
    parameters: probe.params,
    fileBytes: bytes.length,
    outputs: probe.outputCount,
    hopSamples: probe.hopSamples,
    sampleRateHz: probe.sampleRate,
    hopMs: (1000 * probe.hopSamples) / probe.sampleRate,
    latencySamples: probe.latencySamples,
    latencyMs: (1000 * probe.latencySamples) / probe.sampleRate,
    frames,
    warmup,
    hostSimd: simdSupported(),
    runs,
    simdSpeedup,
    host: benchHost(),
  };
}

/** The report as a text table. */
export function benchSeparationTable(r: SeparationBenchReport): string {
  const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
  const lines = [
    `${r.model}: ${r.config.arch} separation, ${r.outputs} speakers at ${r.sampleRateHz} Hz, ${r.parameters.toLocaleString('en')} parameters, ` +
      `file ${kib(r.fileBytes)}, latency ${r.latencySamples} samples (${r.latencyMs.toFixed(1)} ms) + host buffering; ` +
      `${r.frames} hops of ${r.hopSamples} samples (${r.hopMs} ms) timed after ${r.warmup}`,
    `${'build'.padEnd(7)}${'plan'.padEnd(9)}${'p50 µs'.padStart(9)}${'p99 µs'.padStart(9)}${'max µs'.padStart(9)}${'RTF'.padStart(8)}` +
      `${'MACs/hop'.padStart(11)}${'GMAC/s'.padStart(8)}${'memory'.padStart(11)}${'weights'.padStart(11)}  forms`,
  ];
  for (const x of r.runs) {
    lines.push(
      `${x.flavor.padEnd(7)}${x.plan.padEnd(9)}${x.usP50.toFixed(1).padStart(9)}${x.usP99.toFixed(1).padStart(9)}${x.usMax.toFixed(0).padStart(9)}` +
        `${x.rtf.toFixed(4).padStart(8)}${x.macsPerHop.toLocaleString('en').padStart(11)}${x.gmacsPerSecond.toFixed(2).padStart(8)}` +
        `${kib(x.memory.totalBytes).padStart(11)}${kib(x.memory.weightsBytes).padStart(11)}  ` +
        Object.entries(x.forms).map(([k, v]) => `${k} ${v}`).join(', '),
    );
  }
  const s = Object.entries(r.simdSpeedup).map(([p, v]) => `${p} ${v!.toFixed(2)}×`).join(', ');
  if (s) lines.push(`SIMD speed-up (p50 scalar / p50 SIMD): ${s}`);
  return lines.join('\n');
}
