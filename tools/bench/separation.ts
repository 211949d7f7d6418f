/**
 * Per-10-ms latency of the edge separation nets on the WASM runtime (issue 16's runtime target: edge
 * Conv-TasNet ≤ 1 ms p50 per 10 ms, SIMD, one core, idle). For edge Conv-TasNet and edge uPIT-LSTM,
 * dense and C1-like (tools/bench/separationModels.ts: untrained weights, synthetic sparsity + k-means
 * at Table VI's C1 rate), each through tools/bench/runtimeSeparation.ts — the method of `hushpack
 * bench` on a separation `.hush`: a fresh Separator per build × plan, `warmup` hops, then `frames`
 * 80-sample hops at 8 kHz timed one by one (every speaker's output copy included).
 *
 * Usage: node dist/tools/bench/separation.js [--frames 3000] [--warmup 300] [--archs conv-tasnet,upit-lstm]
 *          [--variants dense,c1] [--plans fast,compact,auto] [--no-scalar] [--out DIR] [--save-models DIR] [--allow-load]
 * (npm run bench:separation). Writes DIR/<cpu kind>/separation.json and separation.md (DIR defaults to
 * docs/results/bench; the kind from tools/bench/host.ts: 'amd-epyc', 'intel-xeon', …); progress on
 * stderr. --save-models DIR also writes the benchmarked `.hush` files (for `hushpack bench --model`).
 *
 * Load: a per-hop figure is only worth keeping from an idle machine. The 1-minute load average is
 * printed at the start; above LOAD_LIMIT the script warns and stops before measuring, unless
 * --allow-load, and then the result files are marked as measured under load (`loaded: true`, a
 * warning line at the top of the .md). The run itself keeps one core busy, so at the end a 1-minute
 * load up to LOAD_LIMIT + 1 is the run's own; above it the result is marked too.
 */
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { simdSupported } from '../../runtime/node/enhancer.js';
import { PLAN_CHOICES, type PlanChoice } from '../../runtime/core/plan.js';
import type { WasmFlavor } from '../../runtime/node/wasmFile.js';
import { benchHost, benchHostLine, benchResultsDir, type BenchHost } from './host.js';
import { benchSeparationModel, type SeparationBenchReport } from './runtimeSeparation.js';
import {
  SEPARATION_BENCH_ARCHS, SEPARATION_BENCH_VARIANTS, separationBenchModel, TABLE_VI_C1_RATE,
  type SeparationBenchArch, type SeparationBenchVariant,
} from './separationModels.js';
import { wasmStaleWarning } from './wasmStale.js';

/** Issue 16's goal for the edge Conv-TasNet, µs p50 per 10-ms hop (SIMD, one core, idle). */
const GOAL_P50_US = 1000;
/** 1-minute load average above which the machine is not idle. */
const LOAD_LIMIT = 1;

/**
 * What the load averages say (1-minute values; see the file comment): `idle` at the start (else the
 * script stops unless --allow-load), and `loaded` — the result is not a figure to quote — when the
 * start was above LOAD_LIMIT or the end above LOAD_LIMIT + 1 (the run's own busy core).
 */
export function benchLoadState(start1: number, end1: number | null): { idle: boolean; loaded: boolean } {
  const idle = start1 <= LOAD_LIMIT;
  return { idle, loaded: !idle || (end1 !== null && end1 > LOAD_LIMIT + 1) };
}

/** One benchmarked file. */
interface SeparationBenchEntry {
  arch: SeparationBenchArch;
  variant: SeparationBenchVariant;
  keep: number;
  k: number | null;
  eq11Rate: number;
  fileBytes: number;
  report: SeparationBenchReport;
}

/** The result file. */
interface SeparationBenchFile {
  format: 'hushpack-separation-bench';
  version: 1;
  command: string;
  date: string;
  seconds: number;
  host: BenchHost;
  /** 1/5/15-min load averages before and after the measurements. */
  loadStart: number[];
  loadEnd: number[];
  /** Measured on a machine that was not idle (see the file comment): not a figure to quote. */
  loaded: boolean;
  frames: number;
  warmup: number;
  goal: { arch: 'conv-tasnet'; preset: 'edge'; flavor: 'simd'; p50Us: number };
  entries: SeparationBenchEntry[];
  /** Issue 16's goal on the edge Conv-TasNet: best SIMD p50 over plans, per variant. */
  verdicts: { variant: SeparationBenchVariant; plan: PlanChoice; usP50: number; met: boolean }[];
}

function listOf<T extends string>(flag: string, raw: string | undefined, allowed: readonly T[], fallback: readonly T[]): T[] {
  if (raw === undefined) return [...fallback];
  const items = raw.split(',').map((s) => s.trim());
  for (const i of items) if (!allowed.includes(i as T)) throw new Error(`${flag}: unknown '${i}' (expected ${allowed.join(', ')})`);
  return items as T[];
}

function positiveInt(flag: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer ≥ ${min}, got '${raw}'`);
  return n;
}

/** The Markdown page. */
function markdown(r: SeparationBenchFile): string {
  const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
  const lines = [
    '# Edge separation nets: WASM per-hop latency (issue 16)',
    '',
  ];
  if (r.loaded) {
    lines.push(
      `> **Measured under load** (1-min load average ${r.loadStart[0]} at the start, ${r.loadEnd[0]} at the end; limit ${LOAD_LIMIT}, ` +
        `+1 at the end for the run itself): not a figure to quote. Re-run on an idle machine.`,
      '',
    );
  }
  lines.push(
    `Command: \`${r.command}\` (tools/bench/separation.ts, ${r.seconds.toFixed(0)} s). ${r.date}.`,
    '',
    `Host: ${benchHostLine(r.host)}. Load average at the start ${r.loadStart.join(' / ')}, at the end ${r.loadEnd.join(' / ')}.`,
    '',
    `Method (tools/bench/runtimeSeparation.ts, the same as \`hushpack bench --model SEP.hush\`): per WASM build × plan a fresh ` +
      `Separator, ${r.warmup} untimed hops, then ${r.frames} hops of 80 samples at 8 kHz (10 ms) timed one by one through ` +
      `Separator.process, the copies of the input hop and of both speakers' output hops included. One core (the runtime is single-threaded). ` +
      `Untrained weights (PyTorch-default initialisation, seed 1); c1 = synthetic C1 (tools/bench/separationModels.ts: the smallest ` +
      `weights of every weight tensor zeroed to keep f, k-means K = 16 on the rest; f ≈ 8 / Table VI's C1 rate: ` +
      `${Object.entries(TABLE_VI_C1_RATE).map(([a, v]) => `${a} ${v}×`).join(', ')}).`,
    '',
    '| net | variant | kept | eq. 11 rate | file | build | plan | p50 µs | p99 µs | max µs | RTF | MACs / hop | memory | forms |',
    '|---|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---|',
  );
  for (const e of r.entries) {
    for (const x of e.report.runs) {
      lines.push(
        `| ${e.arch} edge | ${e.variant} | ${(100 * e.keep).toFixed(0)} % | ${e.eq11Rate.toFixed(1)}× | ${kib(e.fileBytes)} | ${x.flavor} | ${x.plan} | ` +
          `${x.usP50.toFixed(1)} | ${x.usP99.toFixed(1)} | ${x.usMax.toFixed(0)} | ${x.rtf.toFixed(4)} | ${x.macsPerHop.toLocaleString('en')} | ` +
          `${kib(x.memory.totalBytes)} | ${Object.entries(x.forms).map(([k, v]) => `${k} ${v}`).join(', ')} |`,
      );
    }
  }
  lines.push('', `Issue 16's goal, edge Conv-TasNet ≤ ${r.goal.p50Us} µs p50 per 10 ms (WASM SIMD, one core, idle), best plan:`, '');
  for (const v of r.verdicts) lines.push(`- ${v.variant}: ${v.usP50.toFixed(1)} µs p50 (${v.plan}): ${v.met ? 'met' : 'missed'}${r.loaded ? ' (under load)' : ''}`);
  if (r.verdicts.length === 0) lines.push('- not measured (no SIMD run of the edge Conv-TasNet)');
  lines.push('', 'SIMD speed-up (p50 scalar / p50 SIMD) per file and plan:', '');
  for (const e of r.entries) {
    const s = Object.entries(e.report.simdSpeedup).map(([p, v]) => `${p} ${v!.toFixed(2)}×`).join(', ');
    if (s) lines.push(`- ${e.arch} ${e.variant}: ${s}`);
  }
  return `${lines.join('\n')}\n`;
}

/** True when this file is the process's main script (the tests import benchLoadState only). */
function isMainScript(): boolean {
  try {
    return process.argv[1] !== undefined && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;
  } catch {
    return false;
  }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      frames: { type: 'string', default: '3000' },
      warmup: { type: 'string', default: '300' },
      archs: { type: 'string' },
      variants: { type: 'string' },
      plans: { type: 'string' },
      'no-scalar': { type: 'boolean', default: false },
      out: { type: 'string', default: 'docs/results/bench' },
      'save-models': { type: 'string' },
      'allow-load': { type: 'boolean', default: false },
    },
  });
  const frames = positiveInt('--frames', values.frames!, 1);
  const warmup = positiveInt('--warmup', values.warmup!, 0);
  const archs = listOf('--archs', values.archs, SEPARATION_BENCH_ARCHS, SEPARATION_BENCH_ARCHS);
  const variants = listOf('--variants', values.variants, SEPARATION_BENCH_VARIANTS, SEPARATION_BENCH_VARIANTS);
  const plans = listOf('--plans', values.plans, PLAN_CHOICES, ['fast', 'compact', 'auto']);
  const simd = simdSupported();
  const flavors: WasmFlavor[] = simd ? (values['no-scalar'] ? ['simd'] : ['simd', 'scalar']) : ['scalar'];
  for (const w of flavors.map(wasmStaleWarning)) if (w) process.stderr.write(`warning: ${w}\n`);

  const loadStart = loadavg().map((v) => Number(v.toFixed(2)));
  process.stderr.write(`load average (1/5/15 min): ${loadStart.join(' / ')}\n`);
  if (!benchLoadState(loadStart[0], null).idle) {
    process.stderr.write(`warning: the 1-minute load average ${loadStart[0]} is above ${LOAD_LIMIT}: this machine is not idle, per-hop figures would not be worth keeping.\n`);
    if (!values['allow-load']) {
      process.stderr.write('Stopped before measuring. Re-run on an idle machine, or pass --allow-load to measure anyway (the result files are then marked as measured under load).\n');
      process.exitCode = 2;
      return;
    }
    process.stderr.write('--allow-load: measuring anyway; the result files are marked `loaded`.\n');
  }

  const t0 = performance.now();
  const entries: SeparationBenchEntry[] = [];
  for (const arch of archs) {
    for (const variant of variants) {
      process.stderr.write(`building edge ${arch} ${variant}\n`);
      const m = separationBenchModel(arch, variant);
      const name = `${arch}-edge-${variant}.hush`;
      if (values['save-models']) {
        mkdirSync(values['save-models'], { recursive: true });
        writeFileSync(join(values['save-models'], name), m.hush);
      }
      const report = benchSeparationModel(m.hush, name, { frames, warmup, flavors, plans, log: (l) => process.stderr.write(`${l}\n`) });
      entries.push({ arch, variant, keep: m.keep, k: m.k, eq11Rate: m.eq11Rate, fileBytes: m.hush.length, report });
    }
  }
  const loadEnd = loadavg().map((v) => Number(v.toFixed(2)));
  const { idle, loaded } = benchLoadState(loadStart[0], loadEnd[0]);
  if (idle && loaded) {
    process.stderr.write(`warning: the 1-minute load average reached ${loadEnd[0]} during the run (above ${LOAD_LIMIT} + 1 for the run itself): the result is marked \`loaded\`.\n`);
  }
  const verdicts: SeparationBenchFile['verdicts'] = [];
  for (const e of entries) {
    if (e.arch !== 'conv-tasnet') continue;
    const best = e.report.runs.filter((x) => x.flavor === 'simd').sort((a, b) => a.usP50 - b.usP50)[0];
    if (best) verdicts.push({ variant: e.variant, plan: best.plan, usP50: best.usP50, met: best.usP50 <= GOAL_P50_US });
  }
  const file: SeparationBenchFile = {
    format: 'hushpack-separation-bench',
    version: 1,
    command: `node dist/tools/bench/separation.js ${process.argv.slice(2).join(' ')}`.trim(),
    date: new Date().toISOString(),
    seconds: (performance.now() - t0) / 1000,
    host: benchHost(),
    loadStart,
    loadEnd,
    loaded,
    frames,
    warmup,
    goal: { arch: 'conv-tasnet', preset: 'edge', flavor: 'simd', p50Us: GOAL_P50_US },
    entries,
    verdicts,
  };
  const dir = benchResultsDir(values.out!, file.host.cpu);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'separation.json'), `${JSON.stringify(file, null, 1)}\n`);
  const md = markdown(file);
  writeFileSync(join(dir, 'separation.md'), md);
  process.stdout.write(md);
  process.stderr.write(`wrote ${join(dir, 'separation.json')} and separation.md${loaded ? ' (marked: measured under load)' : ''}\n`);
}

if (isMainScript()) main();
