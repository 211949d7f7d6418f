/**
 * Per-hop latency of the four PAPER-SIZE networks (Tan & Wang 2021 §III-B), uncompressed and
 * compressed at the paper's rates, on the WASM runtime against libtorch's own batch-1 streaming on
 * the same machine (issue #7's benchmark):
 *
 *   WASM     dense f32 (fast plan; dense f32 has one form, so auto = fast), and the synthetic C1 / C2
 *            models of tools/bench/paperModels.ts (Table III's fraction of MACs kept, k-means K = 32 / 16),
 *            fast and auto plans; SIMD build (scalar too with --scalar). tools/bench/runtime.ts benchRun:
 *            a fresh instance, `warmup` hops, then `frames` hops timed one by one through
 *            Enhancer.process (JS↔WASM copies and the STFT included).
 *   libtorch the dense net hop by hop, batch 1, through src/stream/ TorchStreamEnhancer
 *            (float64 STFT in TypeScript + one libtorch step per hop, state kept between hops), at
 *            1 and 2 intra-op threads (--threads). Timed the same way.
 * Then per compressed model and plan: the MAC ratio compressed / dense (countMacsPerFrame with the
 * file's nonzeros, 'executed' convention = what the runtime multiplies) against the wall-time ratio
 * p50 compressed / p50 dense, and whether the wall-time ratio is within 1.5× of the MAC ratio
 * (wall ≤ 1.5 · MAC; faster than the MAC ratio counts as within). And the goal of issue #7:
 * compressed paper-size GCRN (C1) ≤ 1.0 ms p50 and ≤ 2 ms p99 per 10-ms hop on one core.
 * Issue #18 adds: c1-block (tools/bench/paperModels.ts: the matrices and conv kernels block-sparse, --block 4x1 by
 * default, at C1's MAC count), its speed-up over C1 at equal MACs per build and plan, issue #18's
 * goals (GCRN C1 p50 ≤ 0.8 ms / p99 ≤ 1.5 ms; every C1/C2 wall/MAC ≤ 1.5; block ≥ 1.5× faster than
 * C1), and what the measuring 'auto' planner (runtime/core/planMeasure.ts) timed and chose per matrix.
 *
 * Usage: node dist/tools/bench/paper.js [--frames 2000] [--warmup 200] [--torch-frames 500]
 *          [--archs fdnn,lstm,tcnn,gcrn] [--threads 1,2] [--no-c2] [--block 4x1|8x1|1x4] [--no-block] [--scalar] [--out DIR]
 * (npm run bench:paper). DIR defaults to docs/results/bench/<cpu kind> (tools/bench/host.ts: 'amd-epyc',
 * 'intel-xeon', …), so runs on different cores never overwrite each other. Writes OUT/paper.json and OUT/paper.md; progress on stderr. Run it on an
 * idle machine: the load average at start and end is recorded next to the numbers. Time: `--frames 200
 * --torch-frames 100` took 2 min 11 s on the 2-core dev machine at load ≈ 12 (85 s of it building the
 * twelve files: pruning and k-means of up to 30 M weights per net); the defaults add ≈ 2 min of timed
 * hops at that load, so ≈ 4–5 min loaded, less idle.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { simdSupported } from '../../runtime/node/enhancer.js';
import type { PlanChoice } from '../../runtime/core/plan.js';
import type { WasmFlavor } from '../../runtime/node/wasmFile.js';
import { inspectHush } from '../../src/models/inspect.js';
import { ARCH_NAMES, countMacsPerFrame, countParams, isArchName, presetConfig, type ArchConfig, type ArchName } from '../../src/models/index.js';
import { createNet } from '../../src/models/nets.js';
import { TorchStreamEnhancer } from '../../src/stream/index.js';
import * as torch from '../../src/torch/torch.js';
import { benchRun, timeHops, type BenchRun } from './runtime.js';
import { PAPER_RATE, paperModel, paperWeights, type PaperVariant } from './paperModels.js';
import { wasmStaleWarning } from './wasmStale.js';
import { benchHost, benchHostLine, benchResultsDir, type BenchHost } from './host.js';
import { blockShapeName, blockShapeParse } from '../../src/compress/blocks.js';
import type { HushBlockShape } from '../../src/format/tensor.js';

/** Wall-time ratio allowed above the MAC ratio (issue #7). */
const RATIO_SLACK = 1.5;
/** Issue #7's goal for the compressed paper-size GCRN, µs per hop on one core. */
const GOAL_P50_US = 1000;
const GOAL_P99_US = 2000;
/** Issue #18's goals: C1 GCRN per hop on every CPU kind, and block-sparse over unstructured at equal MACs. */
const GOAL18_P50_US = 800;
const GOAL18_P99_US = 1500;
const GOAL18_BLOCK_SPEEDUP = 1.5;

/** One timed libtorch configuration. */
export interface TorchRun {
  threads: number;
  usP50: number;
  usP99: number;
  usMax: number;
  usMean: number;
  rtf: number;
}

/** One model file and its WASM runs. */
export interface VariantReport {
  variant: PaperVariant;
  /** Fraction of each weight tensor (C1) or of its groups (C2) kept; 1 for dense. */
  keep: number;
  k: number | null;
  fileBytes: number;
  /** eq. 11 rate of the file (src/models/inspect.ts) and Table I's rate for the same pipeline. */
  eq11Rate: number;
  paperRate: number | null;
  nonzeros: number;
  /** countMacsPerFrame(config, nonzeros, 'executed'). */
  macsPerHop: number;
  /** Build time of the file (pruning, k-means, writing), s. */
  buildSeconds: number;
  runs: BenchRun[];
}

/** Compressed vs dense for one variant × plan × build. */
export interface RatioReport {
  variant: PaperVariant;
  flavor: WasmFlavor;
  plan: PlanChoice;
  /** countMacsPerFrame with the file's nonzeros, compressed / dense (issue #7's measure). */
  macRatio: number;
  /**
   * Multiplications the runtime performs, compressed / dense (Enhancer.macsPerHop): each matrix and
   * 2-D conv kernel in the form its plan chose (assembly/nets/plan.ts); a pruned conv kernel the plan
   * keeps dense (e.g. C2's kernels at 55 % kept) counts all its weights, so this can be above macRatio.
   */
  runtimeMacRatio: number;
  wallRatio: number;
  /** wallRatio / macRatio. */
  factor: number;
  /** factor ≤ RATIO_SLACK. */
  within: boolean;
  /**
   * The wall ratio net of the per-hop floor (STFT, JS glue: PaperBenchReport.floor), (p50 − floor) /
   * (p50 dense − floor). The floor measured ≈ 4 µs (SIMD), so this only matters for FDNN C1 (≈ 35 µs).
   */
  netWallRatio: number | null;
  netFactor: number | null;
}

/** Everything measured for one network. */
export interface NetReport {
  arch: ArchName;
  config: ArchConfig;
  parameters: number;
  variants: VariantReport[];
  torch: TorchRun[];
  ratios: RatioReport[];
  /** p50 libtorch (1 thread, else the first thread count run) / p50 WASM dense (first build). */
  torchOverWasmDense: number | null;
}

/** The whole report (paper.json). */
export interface PaperBenchReport {
  command: string;
  date: string;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; libtorch: string; hostSimd: boolean; loadStart: number[]; loadEnd: number[] };
  /** The host at the start (CPU model, kind, SIMD flags: tools/bench/host.ts); absent in reports made before issue #18. */
  host?: BenchHost;
  frames: number;
  warmup: number;
  torchFrames: number;
  /**
   * Per-hop floor per build: p50 of a network that costs next to nothing (the `tiny` FDNN, ~5 k MACs),
   * i.e. the STFT, the output transform and the JS↔WASM glue every model pays.
   */
  floor: { flavor: WasmFlavor; usP50: number }[];
  nets: NetReport[];
  goal: { run: string; usP50: number; usP99: number; pass: boolean }[];
  /** c1-block's block shape ('4x1'), or null when c1-block was not run. */
  block?: string | null;
  /** Issue #18: p50 c1 / p50 c1-block per net, build and plan (equal MACs); goal ≥ 1.5. */
  blockSpeedup?: { arch: ArchName; flavor: WasmFlavor; plan: PlanChoice; speedup: number; pass: boolean }[];
  /** Issue #18's GCRN C1 goal (p50 ≤ 0.8 ms, p99 ≤ 1.5 ms). */
  goal18?: { run: string; usP50: number; usP99: number; pass: boolean }[];
  /** Warnings (e.g. a WASM build older than its sources). */
  warnings: string[];
  seconds: number;
}

/** Times libtorch's batch-1 stream of the dense net at `threads` intra-op threads. */
function torchRun(e: TorchStreamEnhancer, threads: number, frames: number, warmup: number): TorchRun {
  torch.setNumThreads(threads);
  e.reset();
  const t = timeHops((hop, out) => e.process(hop, out), frames, warmup);
  return { threads, ...t, rtf: t.usMean / 10_000 };
}

/** Nonzeros per tensor of a `.hush` file and its eq. 11 rate. */
function fileCounts(hush: Uint8Array, name: string): { nonzeros: Map<string, number>; total: number; eq11Rate: number } {
  const r = inspectHush(hush, name);
  return { nonzeros: new Map(r.tensors.map((t) => [t.name, t.nonzeros])), total: r.totals.nonzeros, eq11Rate: r.totals.paperRate };
}

interface Options {
  frames: number;
  warmup: number;
  torchFrames: number;
  archs: ArchName[];
  threads: number[];
  variants: PaperVariant[];
  /** c1-block's block shape. */
  block: HushBlockShape;
  flavors: WasmFlavor[];
  /** Per-hop floor p50 per build (see PaperBenchReport.floor). */
  floorUs: Partial<Record<WasmFlavor, number>>;
  log: (line: string) => void;
}

/** Benchmarks one paper-size network (see the file comment). */
export function benchPaperNet(arch: ArchName, o: Options): NetReport {
  const config = presetConfig(arch, 'paper');
  const variants: VariantReport[] = [];
  for (const variant of o.variants) {
    const t0 = performance.now();
    const m = paperModel(config, variant, o.block);
    const name = `${arch}-paper-${variant}.hush`;
    const counts = fileCounts(m.hush, name);
    const buildSeconds = (performance.now() - t0) / 1000;
    o.log(`paper: ${name}: ${(m.hush.length / 2 ** 20).toFixed(2)} MiB, built in ${buildSeconds.toFixed(1)} s`);
    const plans: PlanChoice[] = variant === 'dense' ? ['fast'] : ['fast', 'auto'];
    const runs: BenchRun[] = [];
    for (const flavor of o.flavors) {
      for (const plan of plans) {
        o.log(`paper: ${name} ${flavor} ${plan} (${o.warmup} + ${o.frames} hops)`);
        const r = benchRun(m.hush, flavor, plan, o.frames, o.warmup, name);
        o.log(`  p50 ${r.usP50.toFixed(0)} µs, p99 ${r.usP99.toFixed(0)} µs`);
        runs.push(r);
      }
    }
    variants.push({
      variant, keep: m.keep, k: m.k, fileBytes: m.hush.length, eq11Rate: counts.eq11Rate,
      paperRate: variant === 'dense' || variant === 'c1-block' ? null : PAPER_RATE[arch][variant], nonzeros: counts.total,
      macsPerHop: countMacsPerFrame(config, counts.nonzeros, 'executed'), buildSeconds, runs,
    });
  }

  const torchRuns: TorchRun[] = [];
  if (o.threads.length > 0) {
    const net = createNet(config, { weights: paperWeights(config) });
    const e = new TorchStreamEnhancer(net);
    try {
      for (const threads of o.threads) {
        o.log(`paper: ${arch} libtorch batch-1 stream, ${threads} thread(s) (${Math.min(o.warmup, 50)} + ${o.torchFrames} hops)`);
        const r = torchRun(e, threads, o.torchFrames, Math.min(o.warmup, 50));
        o.log(`  p50 ${r.usP50.toFixed(0)} µs, p99 ${r.usP99.toFixed(0)} µs`);
        torchRuns.push(r);
      }
    } finally {
      e.dispose();
      net.dispose();
    }
  }

  const dense = variants.find((v) => v.variant === 'dense');
  const ratios: RatioReport[] = [];
  for (const v of variants) {
    if (!dense || v === dense) continue;
    for (const r of v.runs) {
      const base = dense.runs.find((d) => d.flavor === r.flavor);
      if (!base) continue;
      const macRatio = v.macsPerHop / dense.macsPerHop;
      const runtimeMacRatio = r.macsPerHop / base.macsPerHop;
      const wallRatio = r.usP50 / base.usP50;
      const factor = wallRatio / macRatio;
      const floor = o.floorUs[r.flavor];
      const netWallRatio = floor === undefined ? null : Math.max(0, r.usP50 - floor) / (base.usP50 - floor);
      ratios.push({
        variant: v.variant, flavor: r.flavor, plan: r.plan, macRatio, runtimeMacRatio, wallRatio, factor, within: factor <= RATIO_SLACK,
        netWallRatio, netFactor: netWallRatio === null ? null : netWallRatio / macRatio,
      });
    }
  }
  const denseSimd = dense?.runs[0];
  const torch1 = torchRuns.find((t) => t.threads === 1) ?? torchRuns[0];
  return {
    arch, config, parameters: countParams(config), variants, torch: torchRuns, ratios,
    torchOverWasmDense: denseSimd && torch1 ? torch1.usP50 / denseSimd.usP50 : null,
  };
}

const us = (v: number) => (v >= 10_000 ? v.toFixed(0) : v >= 100 ? v.toFixed(0) : v.toFixed(1));

/** The report as Markdown (paper.md). */
export function paperMarkdown(r: PaperBenchReport): string {
  const m = r.machine;
  const lines = [
    '# Paper-size networks: per-hop latency, WASM vs libtorch batch-1 streaming',
    '',
    `Command: \`${r.command}\` (tools/bench/paper.ts, ${r.seconds.toFixed(0)} s). ${r.date}.`,
    '',
    `Machine: ${r.host ? benchHostLine(r.host) : m.cpu}, ${m.cores} cores, ${m.memoryGiB.toFixed(0)} GiB, Node ${m.node}, libtorch ${m.libtorch}, ` +
      `WASM SIMD ${m.hostSimd ? 'yes' : 'no'}. Load average (1/5/15 min) at start ${m.loadStart.map((v) => v.toFixed(2)).join(' / ')}, ` +
      `at end ${m.loadEnd.map((v) => v.toFixed(2)).join(' / ')}.`,
    '',
    `Untrained weights (PyTorch-default initialisation, seed 1). WASM: ${r.warmup} hops of warm-up, then ${r.frames} hops timed one by ` +
      `one through Enhancer.process (STFT and JS↔WASM copies included), a fresh instance per run. libtorch: the dense net streamed ` +
      `hop by hop at batch 1 (src/stream/ TorchStreamEnhancer: float64 STFT in TypeScript + one libtorch step per hop with ` +
      `its LSTM/conv state), ${Math.min(r.warmup, 50)} + ${r.torchFrames} hops. C1 = unstructured pruning to Table III's fraction of MACs ` +
      `kept + k-means on the nonzeros; C1-block = the same fraction of the br × bc blocks (largest ℓ2) of every Linear / LSTM ` +
      `matrix, 1×1 conv, Conv2d and ConvTranspose2d kernel the block tiles (conv forms 'conv-block' = nn/conv-block.ts, chosen ` +
      `per kernel by the plan), the rest as C1, + k-means; C2 = whole columns / conv kernels pruned to Table III's C2 fraction + k-means ` +
      `(tools/bench/paperModels.ts explains the numbers). MACs/hop: 'executed' convention with the file's nonzeros.`,
    '',
    ...r.warnings.map((w) => `**Warning**: ${w}.\n`),
    '## Per-hop latency (µs per 10-ms hop)',
    '',
    '| net | model | runtime | plan | p50 | p99 | max | RTF | MACs/hop | file | eq.11 rate (paper) | forms |',
    '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const n of r.nets) {
    for (const v of n.variants) {
      for (const x of v.runs) {
        const kept = v.variant === 'dense' ? 'dense f32' : `${v.variant === 'c1-block' ? `c1-block ${r.block ?? ''}` : v.variant} (${(100 * v.keep).toFixed(2)} % kept, K ${v.k})`;
        const rate = v.variant === 'dense' ? '1×' : `${v.eq11Rate.toFixed(0)}× (${v.paperRate ?? '—'}×)`;
        lines.push(
          `| ${n.arch} | ${kept} | WASM ${x.flavor} | ${x.plan} | ${us(x.usP50)} | ${us(x.usP99)} | ${us(x.usMax)} | ${x.rtf.toFixed(3)} | ` +
            `${v.macsPerHop.toLocaleString('en')} | ${(v.fileBytes / 2 ** 20).toFixed(2)} MiB | ${rate} | ` +
            `${Object.entries(x.forms).map(([k, c]) => `${k} ${c}`).join(', ')} |`,
        );
      }
    }
    const dense = n.variants.find((v) => v.variant === 'dense');
    for (const t of n.torch) {
      lines.push(
        `| ${n.arch} | dense f32 | libtorch batch 1, ${t.threads} thread${t.threads > 1 ? 's' : ''} | — | ${us(t.usP50)} | ${us(t.usP99)} | ` +
          `${us(t.usMax)} | ${t.rtf.toFixed(3)} | ${dense ? dense.macsPerHop.toLocaleString('en') : '—'} | — | — | — |`,
      );
    }
  }
  lines.push('', '## Compressed / dense: wall time vs MACs', '',
    `MAC ratio = countMacsPerFrame(config, nonzeros, 'executed') compressed / dense; runtime MAC ratio = the multiplications the ` +
      `WASM runtime performs (Enhancer.macsPerHop: pruned conv kernels the plan keeps dense count all their weights); wall ratio = p50 compressed / ` +
      `p50 dense (same build); within = wall ratio ≤ ${RATIO_SLACK} × MAC ratio. Net of floor: both p50s minus the per-hop floor ` +
      `(${r.floor.map((f) => `${f.flavor} ${us(f.usP50)} µs`).join(', ')}: p50 of the tiny FDNN, i.e. STFT + output transform + JS↔WASM glue).`, '',
    '| net | model | build | plan | MAC ratio | runtime MAC ratio | wall ratio | wall / MAC | within 1.5× | wall ratio net of floor | net / MAC |',
    '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |');
  for (const n of r.nets) {
    for (const x of n.ratios) {
      lines.push(`| ${n.arch} | ${x.variant} | ${x.flavor} | ${x.plan} | ${x.macRatio.toFixed(4)} | ${x.runtimeMacRatio.toFixed(4)} | ${x.wallRatio.toFixed(4)} | ${x.factor.toFixed(2)} | ${x.within ? 'yes' : '**no**'} | ` +
        `${x.netWallRatio === null ? '—' : x.netWallRatio.toFixed(4)} | ${x.netFactor === null ? '—' : x.netFactor.toFixed(2)} |`);
    }
  }
  lines.push('', '## libtorch batch-1 streaming vs WASM', '', '| net | libtorch 1 thread p50 / WASM dense SIMD p50 |', '| --- | ---: |');
  for (const n of r.nets) lines.push(`| ${n.arch} | ${n.torchOverWasmDense === null ? '—' : `${n.torchOverWasmDense.toFixed(2)}×`} |`);
  lines.push('', `## Goal: compressed paper-size GCRN ≤ ${GOAL_P50_US / 1000} ms p50 and ≤ ${GOAL_P99_US / 1000} ms p99 per hop`, '');
  if (r.goal.length === 0) lines.push('(GCRN not run)');
  for (const g of r.goal) lines.push(`- ${g.run}: p50 ${us(g.usP50)} µs, p99 ${us(g.usP99)} µs — ${g.pass ? 'met' : '**not met**'}`);
  if (r.goal18) {
    lines.push('', `## Issue #18 goals on this CPU (${r.host?.cpu?.kind ?? 'unknown kind'})`, '',
      `GCRN C1 ≤ ${GOAL18_P50_US / 1000} ms p50 and ≤ ${GOAL18_P99_US / 1000} ms p99; every C1/C2 wall/MAC ≤ ${RATIO_SLACK} (table above, "within"); ` +
        `c1-block ≥ ${GOAL18_BLOCK_SPEEDUP}× faster than c1 at equal MACs (p50 c1 / p50 c1-block, same build and plan).`, '');
    for (const g of r.goal18) lines.push(`- ${g.run}: p50 ${us(g.usP50)} µs, p99 ${us(g.usP99)} µs — ${g.pass ? 'met' : '**not met**'}`);
    const ratios = r.nets.flatMap((n) => n.ratios.filter((x) => x.variant === 'c1' || x.variant === 'c2').map((x) => ({ n, x })));
    const worst = ratios.reduce<{ f: number; label: string } | null>((w, { n, x }) => (w && w.f >= x.factor ? w : { f: x.factor, label: `${n.arch} ${x.variant} ${x.flavor} ${x.plan}` }), null);
    if (worst) lines.push(`- worst C1/C2 wall/MAC: ${worst.f.toFixed(2)} (${worst.label}) — ${worst.f <= RATIO_SLACK ? 'met' : '**not met**'}`);
    for (const b of r.blockSpeedup ?? []) lines.push(`- ${b.arch} c1-block ${r.block} vs c1, ${b.flavor} ${b.plan}: ${b.speedup.toFixed(2)}× — ${b.pass ? 'met' : '**not met**'}`);
  }
  const measured = r.nets.flatMap((n) => n.variants.flatMap((v) => v.runs.filter((x) => x.measuredLines.length > 0).map((x) => ({ n, v, x }))));
  if (measured.length > 0) {
    lines.push('', '## What the measuring planner chose (auto plan, per matrix: µs per product of each candidate form on this CPU)', '');
    for (const { n, v, x } of measured) lines.push(`${n.arch} ${v.variant} ${x.flavor}: ${x.measuredLines[0]}`, '', '```', ...x.measuredLines.slice(1), '```', '');
  }
  lines.push('');
  return lines.join('\n');
}

function listOf<T extends string>(flag: string, v: string, ok: (s: string) => boolean): T[] {
  const items = v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const i of items) if (!ok(i)) throw new Error(`--${flag}: unknown '${i}'`);
  return items as T[];
}

function positiveInt(flag: string, v: string, min = 1): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${flag} must be an integer ≥ ${min}, got '${v}'`);
  return n;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      frames: { type: 'string', default: '2000' },
      warmup: { type: 'string', default: '200' },
      'torch-frames': { type: 'string', default: '500' },
      archs: { type: 'string', default: ARCH_NAMES.join(',') },
      threads: { type: 'string', default: '1,2' },
      'no-c2': { type: 'boolean', default: false },
      'no-block': { type: 'boolean', default: false },
      block: { type: 'string', default: '4x1' },
      scalar: { type: 'boolean', default: false },
      out: { type: 'string', default: benchResultsDir('docs/results/bench') },
    },
  });
  const simd = simdSupported();
  const o: Options = {
    frames: positiveInt('frames', values.frames!),
    warmup: positiveInt('warmup', values.warmup!, 0),
    torchFrames: positiveInt('torch-frames', values['torch-frames']!),
    archs: listOf<ArchName>('archs', values.archs!, isArchName),
    threads: values.threads === '' ? [] : values.threads!.split(',').map((s) => positiveInt('threads', s.trim())),
    variants: ['dense', 'c1', ...(values['no-block'] ? [] : ['c1-block' as const]), ...(values['no-c2'] ? [] : ['c2' as const])],
    block: blockShapeParse(values.block!),
    flavors: [...(simd ? ['simd' as const] : []), ...(values.scalar || !simd ? ['scalar' as const] : [])],
    floorUs: {},
    log: (l) => process.stderr.write(`${l}\n`),
  };
  const stale = o.flavors.map(wasmStaleWarning).filter((w): w is string => w !== null);
  for (const w of stale) o.log(`paper: warning: ${w}`);
  const start = performance.now();
  const loadStart = loadavg();
  const host = benchHost();
  o.log(`paper: host ${benchHostLine(host)}`);
  const floorModel = paperModel(presetConfig('fdnn', 'tiny'), 'dense').hush;
  const floor: PaperBenchReport['floor'] = o.flavors.map((flavor) => {
    o.log(`paper: per-hop floor (tiny FDNN) ${flavor} (${o.warmup} + ${o.frames} hops)`);
    const usP50 = benchRun(floorModel, flavor, 'fast', o.frames, o.warmup, 'fdnn-tiny.hush').usP50;
    o.floorUs[flavor] = usP50;
    return { flavor, usP50 };
  });
  const nets: NetReport[] = [];
  for (const arch of o.archs) nets.push(benchPaperNet(arch, o));
  const goal: PaperBenchReport['goal'] = [];
  const goal18: NonNullable<PaperBenchReport['goal18']> = [];
  const blockSpeedup: NonNullable<PaperBenchReport['blockSpeedup']> = [];
  for (const n of nets) {
    const c1 = n.variants.find((v) => v.variant === 'c1');
    const cb = n.variants.find((v) => v.variant === 'c1-block');
    for (const x of cb?.runs ?? []) {
      const u = c1?.runs.find((y) => y.flavor === x.flavor && y.plan === x.plan);
      if (u) blockSpeedup.push({ arch: n.arch, flavor: x.flavor, plan: x.plan, speedup: u.usP50 / x.usP50, pass: u.usP50 / x.usP50 >= GOAL18_BLOCK_SPEEDUP });
    }
  }
  const gcrn = nets.find((n) => n.arch === 'gcrn');
  for (const x of gcrn?.variants.find((v) => v.variant === 'c1')?.runs ?? []) {
    goal.push({ run: `GCRN c1 WASM ${x.flavor} ${x.plan}`, usP50: x.usP50, usP99: x.usP99, pass: x.usP50 <= GOAL_P50_US && x.usP99 <= GOAL_P99_US });
    goal18.push({ run: `GCRN c1 WASM ${x.flavor} ${x.plan}`, usP50: x.usP50, usP99: x.usP99, pass: x.usP50 <= GOAL18_P50_US && x.usP99 <= GOAL18_P99_US });
  }
  const report: PaperBenchReport = {
    command: `node dist/tools/bench/paper.js ${process.argv.slice(2).join(' ')}`.trim(),
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown CPU', cores: cpus().length, memoryGiB: totalmem() / 2 ** 30, node: process.version,
      libtorch: torch.version(), hostSimd: simd, loadStart, loadEnd: loadavg(),
    },
    host, frames: o.frames, warmup: o.warmup, torchFrames: o.torchFrames, floor, nets, goal, warnings: stale,
    block: o.variants.includes('c1-block') ? blockShapeName(o.block) : null, blockSpeedup, goal18,
    seconds: (performance.now() - start) / 1000,
  };
  const out = values.out!;
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'paper.json'), `${JSON.stringify(report, null, 1)}\n`);
  const md = paperMarkdown(report);
  writeFileSync(join(out, 'paper.md'), md);
  process.stderr.write(`${md}\nwrote ${join(out, 'paper.json')} and paper.md\n`);
}

if (process.argv[1] && /paper\.(js|ts)$/.test(process.argv[1])) main();

