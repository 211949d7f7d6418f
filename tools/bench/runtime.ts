/**
 * Per-hop benchmark of the WASM runtime (used by `hushpack bench` and tools/bench/runtimePresets.ts).
 *
 * For each WASM build (SIMD when the host has it, and scalar) × execution plan (fast, compact, auto),
 * a fresh instance loads the model, runs `warmup` hops, then times `frames` consecutive hops one by
 * one through Enhancer.process (the JS↔WASM copy of 160 samples in and out included — what a host
 * pays) with process.hrtime.bigint(). Input: a fixed pseudo-speech signal (harmonic glide + noise,
 * −12 dBFS peak), so no hop takes a special path. Reported per run: µs per hop at p50 / p99 / max /
 * mean, real-time factor (mean hop time / 10 ms), multiplications per hop as loaded, their rate,
 * the WASM memory by purpose, and the matrix forms the plan chose (plus the conv kernels it runs sparse).
 */
import { Enhancer, simdSupported } from '../../runtime/node/enhancer.js';
import type { EnhancerMemory } from '../../runtime/core/enhancer.js';
import type { PlanChoice } from '../../runtime/core/plan.js';
import type { WasmFlavor } from '../../runtime/node/wasmFile.js';
import { countParams } from '../../src/models/size.js';
import type { ArchConfig } from '../../src/models/config.js';
import { isEnhanceConfig } from '../../src/format/arch.js';
import { UserError } from '../../src/errors.js';
import { benchHost, type BenchHost } from './host.js';
import { PLAN_MEASURE_BUDGET_MS, planMeasureLines, type PlanMeasureReport } from '../../runtime/core/planMeasure.js';
import { hushModelInfo } from '../../runtime/core/hushInfo.js';

/** One build × plan. */
export interface BenchRun {
  flavor: WasmFlavor;
  plan: PlanChoice;
  /** How many matrices got each form (dense, sparse, columns, codebook, codebook-sparse, mpo). */
  forms: Record<string, number>;
  /** µs per hop. */
  usP50: number;
  usP99: number;
  usMax: number;
  usMean: number;
  /** Mean hop time / hop duration (10 ms): < 1 is real time. */
  rtf: number;
  macsPerHop: number;
  /** macsPerHop / p50 hop time (JS glue and STFT included). */
  gmacsPerSecond: number;
  memory: EnhancerMemory;
  /** Model load time (validation, decoding, repacking; for 'auto' the measuring planner too), ms. */
  loadMs: number;
  /** 'auto': what the measuring planner timed and chose per matrix (runtime/core/planMeasure.ts), else null. */
  measured: PlanMeasureReport | null;
  /** The same as text lines (tensor names resolved), for benchTable. */
  measuredLines: string[];
}

/** The whole benchmark of one model. */
export interface BenchReport {
  model: string;
  config: ArchConfig;
  parameters: number;
  fileBytes: number;
  hopSamples: number;
  sampleRateHz: number;
  latencySamples: number;
  latencyMs: number;
  frames: number;
  warmup: number;
  hostSimd: boolean;
  runs: BenchRun[];
  /** p50 scalar / p50 SIMD per plan (when both ran). */
  simdSpeedup: Partial<Record<PlanChoice, number>>;
  /** p50 compact / p50 fast and memory compact / fast per build. */
  compactVsFast: Partial<Record<WasmFlavor, { time: number; memory: number }>>;
  /** The machine (CPU model, kind and SIMD flags, load average at the end): tools/bench/host.ts. */
  host: BenchHost;
}

/** Options of benchModel. */
export interface BenchOptions {
  /** Timed hops per run (default 3000 = 30 s of audio). */
  frames?: number;
  /** Untimed hops first (default 300). */
  warmup?: number;
  flavors?: WasmFlavor[];
  plans?: PlanChoice[];
  /** Progress lines go here (e.g. stderr). */
  log?: (line: string) => void;
}

/**
 * The benchmark input: `n` samples of a harmonic glide (120–300 Hz over 3 s) plus noise at
 * `sampleRateHz` (default 16 kHz), peak ≈ 0.25.
 */
export function benchSignal(n: number, sampleRateHz = 16000): Float32Array {
  const x = new Float32Array(n);
  let phase = 0;
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    const f = 120 + 180 * (0.5 + 0.5 * Math.sin((2 * Math.PI * i) / (3 * sampleRateHz)));
    phase += (2 * Math.PI * f) / sampleRateHz;
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    x[i] = 0.08 * (Math.sin(phase) + 0.6 * Math.sin(2 * phase) + 0.3 * Math.sin(5 * phase)) + 0.05 * (seed / 2 ** 31 - 1);
  }
  return x;
}

/** q-quantile of sorted values (nearest rank). */
function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Per-hop wall time of a streaming processor, µs: p50, p99, max and mean over `frames` hops. */
export interface HopTimes {
  usP50: number;
  usP99: number;
  usMax: number;
  usMean: number;
}

/**
 * Feeds `warmup` untimed then `frames` timed hops of `hopSamples` samples of benchSignal at
 * `sampleRateHz` (default 160 at 16 kHz) to `process` (one hop in, one hop out) and times each call
 * with the monotonic high-resolution clock.
 */
export function timeHops(
  process: (hop: Float32Array, out: Float32Array) => void, frames: number, warmup: number, hopSamples = 160, sampleRateHz = 16000,
): HopTimes {
  const H = hopSamples;
  const x = benchSignal((warmup + frames) * H, sampleRateHz);
  const out = new Float32Array(H);
  for (let h = 0; h < warmup; h++) process(x.subarray(h * H, h * H + H), out);
  const us = new Float64Array(frames);
  for (let h = 0; h < frames; h++) {
    const hop = x.subarray((warmup + h) * H, (warmup + h) * H + H);
    const a = globalThis.process.hrtime.bigint();
    process(hop, out);
    us[h] = Number(globalThis.process.hrtime.bigint() - a) / 1000;
  }
  const usMean = us.reduce((s, v) => s + v, 0) / frames;
  us.sort();
  return { usP50: quantile(us, 0.5), usP99: quantile(us, 0.99), usMax: us[frames - 1], usMean };
}

/** Times one build × plan (see the file comment). */
export function benchRun(bytes: Uint8Array, flavor: WasmFlavor, plan: PlanChoice, frames: number, warmup: number, name = 'model.hush'): BenchRun {
  const t0 = performance.now();
  const e = Enhancer.loadSync(bytes, { flavor, plan, fileName: name, planBudgetMs: PLAN_MEASURE_BUDGET_MS }); // the bench shows what timing would choose
  const loadMs = performance.now() - t0;
  const t = timeHops((hop, out) => e.process(hop, out), frames, warmup);
  const forms: Record<string, number> = {};
  for (const t of e.tensors) if (e.plan.mats.has(t.name) || t.form.startsWith('conv-')) forms[t.form] = (forms[t.form] ?? 0) + 1;
  const names: string[] = [];
  for (const t of hushModelInfo(bytes).tensors.values()) names[t.index] = t.name;
  const measured = e.plan.measured;
  return {
    flavor, plan, forms, measured, measuredLines: measured ? planMeasureLines(measured, names) : [],
    ...t,
    rtf: t.usMean / 10_000,
    macsPerHop: e.macsPerHop,
    gmacsPerSecond: e.macsPerHop / t.usP50 / 1000,
    memory: e.memory,
    loadMs,
  };
}

/**
 * Runs `run` on every build × plan of `opts` in one process (defaults: SIMD when the host has it,
 * and scalar; fast, compact, auto) and gives the runs with p50 scalar / p50 SIMD per plan.
 * Shared by the enhancement and the separation bench (./runtimeSeparation.ts).
 */
export function benchGrid<R extends { flavor: WasmFlavor; plan: PlanChoice; usP50: number }>(
  opts: Pick<BenchOptions, 'flavors' | 'plans'>, run: (flavor: WasmFlavor, plan: PlanChoice) => R,
): { flavors: WasmFlavor[]; plans: PlanChoice[]; runs: R[]; simdSpeedup: Partial<Record<PlanChoice, number>> } {
  const flavors = opts.flavors ?? (simdSupported() ? ['simd', 'scalar'] : ['scalar']);
  const plans = opts.plans ?? ['fast', 'compact', 'auto'];
  const runs: R[] = [];
  for (const flavor of flavors) for (const plan of plans) runs.push(run(flavor, plan));
  const simdSpeedup: Partial<Record<PlanChoice, number>> = {};
  for (const p of plans) {
    const a = runs.find((r) => r.flavor === 'scalar' && r.plan === p);
    const b = runs.find((r) => r.flavor === 'simd' && r.plan === p);
    if (a && b) simdSpeedup[p] = a.usP50 / b.usP50;
  }
  return { flavors, plans, runs, simdSpeedup };
}

/** Benchmarks a `.hush` model on every build × plan in one process. */
export function benchModel(bytes: Uint8Array, name: string, opts: BenchOptions = {}): BenchReport {
  const frames = opts.frames ?? 3000;
  const warmup = opts.warmup ?? 300;
  const probe = Enhancer.loadSync(bytes, { flavor: opts.flavors?.[0] ?? (simdSupported() ? 'simd' : 'scalar'), fileName: name });
  const config = probe.config;
  if (!isEnhanceConfig(config)) throw new UserError(`${name}: the runtime bench measures enhancement models; ${config.arch} separates speakers`);
  const { flavors, runs, simdSpeedup } = benchGrid(opts, (flavor, plan) => {
    opts.log?.(`bench: ${name} ${flavor} ${plan} (${warmup} + ${frames} hops)`);
    return benchRun(bytes, flavor, plan, frames, warmup, name);
  });
  const find = (f: WasmFlavor, p: PlanChoice) => runs.find((r) => r.flavor === f && r.plan === p);
  const compactVsFast: BenchReport['compactVsFast'] = {};
  for (const f of flavors) {
    const fast = find(f, 'fast');
    const compact = find(f, 'compact');
    if (fast && compact) compactVsFast[f] = { time: compact.usP50 / fast.usP50, memory: compact.memory.totalBytes / fast.memory.totalBytes };
  }
  return {
    model: name,
    config,
    parameters: countParams(config),
    fileBytes: bytes.length,
    hopSamples: probe.hopSamples,
    sampleRateHz: probe.sampleRate,
    latencySamples: probe.latencySamples,
    latencyMs: (1000 * probe.latencySamples) / probe.sampleRate,
    frames,
    warmup,
    hostSimd: simdSupported(),
    runs,
    simdSpeedup,
    compactVsFast,
    host: benchHost(),
  };
}

/** The report as a text table. */
export function benchTable(r: BenchReport): string {
  const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
  const lines = [
    `${r.model}: ${r.config.arch}, ${r.parameters.toLocaleString('en')} parameters, file ${kib(r.fileBytes)}, ` +
      `latency ${r.latencySamples} samples (${r.latencyMs.toFixed(1)} ms) + host buffering; ${r.frames} hops timed after ${r.warmup}`,
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
  for (const x of r.runs) {
    // why 'auto' chose what it chose: the measured µs per product of every candidate form
    if (x.measuredLines.length > 0) lines.push(`${x.flavor} auto, ${x.measuredLines[0]}`, ...x.measuredLines.slice(1));
  }
  const s = Object.entries(r.simdSpeedup).map(([p, v]) => `${p} ${v!.toFixed(2)}×`).join(', ');
  if (s) lines.push(`SIMD speed-up (p50 scalar / p50 SIMD): ${s}`);
  const c = Object.entries(r.compactVsFast).map(([f, v]) => `${f}: time ${v!.time.toFixed(2)}×, memory ${v!.memory.toFixed(2)}×`).join('; ');
  if (c) lines.push(`compact vs fast: ${c}`);
  return lines.join('\n');
}
