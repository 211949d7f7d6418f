/**
 * docs/results/bench/<cpu kind>/pi.md: per-hop figures of the runtime measured on this machine, Raspberry Pi 4
 * and Pi 5 estimates derived from them (labelled as estimates, with their source and ratio), and
 * node-web-audio-api's own worklet cost (tools/bench/workletOverhead.ts).
 *
 *   node dist/tools/bench/pi.js [--out DIR, default docs/results/bench/<cpu kind>] [--frames 1000] [--warmup 100] [--no-worklet]
 *   node dist/tools/bench/pi.js --from-json [--out DIR]    (pi.md again from DIR/pi.json, no measuring)
 *
 * The estimate: a published single-thread CPU benchmark that anyone can rerun on a Pi and here,
 * `sysbench cpu --threads=1 run` (sysbench 1.0.20, Debian's package: primes up to 10 000 per
 * event), gives events per second on each CPU; the ratio (this machine / Pi) scales our measured
 * per-hop p50. This machine's rate is taken from the median event time (`--percentile=50`), which a
 * shared CPU barely moves (an event takes ~0.2 ms, far below a scheduler time slice), rather than
 * from events per second, which counts only the share of the CPU the thread got. It is an integer
 * benchmark: floating-point SIMD, caches (the Pi 4 has 1 MB of L2 for 4 cores) and V8's ARM back
 * end can move the real figure either way, so the estimate is given as a range over two published
 * Pi runs. `hushpack bench --json` on a real Pi (docs/usage.md) replaces it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from '../../src/demo/paths.js';
import { benchModel, type BenchReport } from './runtime.js';
import { benchHost, benchHostLine, benchResultsDir, type BenchHost } from './host.js';
import { workletOverheadMarkdown, workletOverheadMeasure, type WorkletOverheadReport } from './workletOverhead.js';

/** Published `sysbench cpu --threads=1` results on Raspberry Pis (events per second, stock clocks, 64-bit OS). */
export const PI_SYSBENCH = [
  {
    source: 'leoncode.co.uk, "Raspberry Pi CPU Benchmarks" (sysbench 1.0.20, `sysbench cpu --threads=1 --time=60 run`)',
    pi4: 1477.83,
    pi5: 2737.49,
  },
  {
    source: 'zbotic.in, "Raspberry Pi 5 Benchmarks: Real Performance Numbers vs Pi 4" (sysbench single thread, 10 s; Pi 4 at 1.8 GHz)',
    pi4: 812,
    pi5: 1847,
  },
] as const;

/** The models of the table: the bundled default and the edge C1 model of each architecture. */
const MODELS = [
  'demos/models/default.hush',
  'docs/results/compress/fdnn-edge-c1.hush',
  'docs/results/compress/lstm-edge-c1.hush',
  'docs/results/compress/tcnn-edge-c1.hush',
  'docs/results/compress/gcrn-edge-c1.hush',
];

interface SysbenchHere {
  /** Median event time (ms) and the events per second it implies; events per second as counted. */
  medianMs: number;
  eventsPerSecondFromMedian: number;
  eventsPerSecondCounted: number;
}

/** `sysbench cpu --threads=1 --time=10 --percentile=50 run` here, or null when sysbench is missing. */
function sysbenchHere(): SysbenchHere | null {
  const r = spawnSync('sysbench', ['cpu', '--threads=1', '--time=10', '--percentile=50', 'run'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const num = (re: RegExp) => Number(re.exec(r.stdout)?.[1]);
  const medianMs = num(/50th percentile:\s+([\d.]+)/);
  const counted = num(/events per second:\s+([\d.]+)/);
  if (!(medianMs > 0) || !(counted > 0)) return null;
  return { medianMs, eventsPerSecondFromMedian: 1000 / medianMs, eventsPerSecondCounted: counted };
}

interface PiReport {
  hostStart: BenchHost;
  hostEnd: BenchHost;
  frames: number;
  warmup: number;
  sysbench: SysbenchHere | null;
  models: Array<{ path: string; arch: string; report: BenchReport }>;
  worklet: WorkletOverheadReport | null;
}

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : process.argv[i + 1];
}

const fmt = (us: number) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(0)} µs`);

function markdown(r: PiReport): string {
  const out: string[] = [];
  out.push('# The runtime on a Raspberry Pi: measured here, estimated there');
  out.push('');
  out.push('Made by `node dist/tools/bench/pi.js` (tools/bench/pi.ts; writes `pi.md` and `pi.json` under `docs/results/bench/<cpu kind>/`).');
  out.push(`Hops timed per run: ${r.frames} after ${r.warmup} untimed, plan \`auto\`, \`Enhancer.process\` (JS↔WASM copies included).`);
  out.push('');
  out.push(`**Measured on a shared CPU.** Host: ${benchHostLine(r.hostStart)} at the start; load average ${r.hostEnd.loadAverage.join(' / ')} at the end.`);
  out.push('A background training job and other work shared these 2 cores: p50 is close to what the model costs');
  out.push('(a hop takes far less than a scheduler time slice), p99 and max include waiting for the CPU.');
  out.push('');
  out.push('## Per-hop compute time (budget: 10 ms per 10-ms hop)');
  out.push('');
  const sb = r.sysbench;
  const ratios = sb ? PI_SYSBENCH.map((p) => ({ pi4: sb.eventsPerSecondFromMedian / p.pi4, pi5: sb.eventsPerSecondFromMedian / p.pi5 })) : [];
  const range = (k: 'pi4' | 'pi5') => [Math.min(...ratios.map((x) => x[k])), Math.max(...ratios.map((x) => x[k]))];
  const head = ['model', 'arch', 'MACs/hop', 'SIMD p50', 'SIMD p99', 'SIMD max', 'scalar p50', 'scalar p99'];
  if (sb) head.push('Pi 4 SIMD p50 (estimate)', 'Pi 5 SIMD p50 (estimate)');
  out.push(`| ${head.join(' | ')} |`);
  out.push(`|${head.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`);
  for (const m of r.models) {
    const run = (f: string) => m.report.runs.find((x) => x.flavor === f);
    const simd = run('simd');
    const scalar = run('scalar');
    const row = [
      `\`${m.path}\``, m.arch, (simd ?? scalar)?.macsPerHop.toLocaleString('en-US') ?? '—',
      simd ? fmt(simd.usP50) : '—', simd ? fmt(simd.usP99) : '—', simd ? fmt(simd.usMax) : '—',
      scalar ? fmt(scalar.usP50) : '—', scalar ? fmt(scalar.usP99) : '—',
    ];
    if (sb && simd) {
      const [a4, b4] = range('pi4');
      const [a5, b5] = range('pi5');
      row.push(`${fmt(simd.usP50 * a4)} – ${fmt(simd.usP50 * b4)}`, `${fmt(simd.usP50 * a5)} – ${fmt(simd.usP50 * b5)}`);
    }
    out.push(`| ${row.join(' | ')} |`);
  }
  out.push('');
  out.push('## How the Pi columns are estimated (estimates, not measurements)');
  out.push('');
  if (sb) {
    out.push(`\`sysbench cpu --threads=1 --time=10 --percentile=50 run\` here: median event ${sb.medianMs} ms → ${sb.eventsPerSecondFromMedian.toFixed(0)} events/s`);
    out.push(`(counted over the run on the shared CPU: ${sb.eventsPerSecondCounted.toFixed(0)} events/s). Published single-thread runs of the same benchmark on Pis:`);
    out.push('');
    out.push('| source | Pi 4 events/s | Pi 5 events/s | ratio here / Pi 4 | ratio here / Pi 5 |');
    out.push('|---|---:|---:|---:|---:|');
    PI_SYSBENCH.forEach((p, i) => out.push(`| ${p.source} | ${p.pi4} | ${p.pi5} | ${ratios[i].pi4.toFixed(2)}× | ${ratios[i].pi5.toFixed(2)}× |`));
    out.push('');
    out.push('Each Pi column is the SIMD p50 measured here times the range of these ratios. sysbench counts primes (integer');
    out.push('division); our hops are 128-bit float SIMD over weights of 0.1–1.6 MB, so the caches, the memory system and V8\'s ARM');
    out.push('code generation can move the real figure either way. Under qemu (tools/ci/arm.sh) the ARM builds give identical');
    out.push('output, which says nothing about their speed. A `hushpack bench --json` from a real Pi (docs/usage.md) replaces this.');
  } else {
    out.push('sysbench was not installed when this was made (`apt-get install sysbench`), so there is no estimate.');
  }
  if (r.worklet) {
    out.push('');
    out.push('## node-web-audio-api\'s own cost per render quantum (`hushpack live`, HushNode in Node)');
    out.push('');
    out.push('`node dist/tools/bench/workletOverhead.js` (tools/bench/workletOverhead.ts): an oscillator into the destination');
    out.push('(plain), through a pass-through AudioWorklet, through HushNode without a model, and with the default model.');
    out.push('');
    out.push(workletOverheadMarkdown(r.worklet));
    out.push('');
    out.push(`Here the pass-through worklet cost ${fmt(r.worklet.workletOverheadUsPerQuantum)} of wall time and ${fmt(r.worklet.workletOverheadCpuUsPerQuantum)} of CPU time per`);
    out.push(`128-frame quantum more than the engine alone, against a quantum that lasts ${fmt((128 / r.worklet.rate) * 1e6)} at ${r.worklet.rate} Hz.`);
    out.push('node-web-audio-api hands each quantum from its Rust render thread to the worklet\'s JavaScript thread and back; the');
    out.push('CPU time shows the two threads busy-waiting for each other while the scheduler runs other work (a training job at');
    out.push('higher priority shared these 2 cores). This figure therefore measures the contention more than the library, and');
    out.push('it moves from run to run with the load.');
    out.push('On an idle Pi with 4 cores the two threads run side by side and the handover should be far cheaper, but it is paid');
    out.push('375 times a second at 48 kHz, so measure it there (`node dist/tools/bench/workletOverhead.js`) and watch what');
    out.push('`hushpack live` reports (misses, underruns, audio clock vs wall clock). The direct path (`Enhancer.process` on 16-kHz');
    out.push('hops from your own capture loop, or `hushpack enhance` for files) has no handover: it pays the per-hop time above.');
  }
  out.push('');
  return out.join('\n');
}

async function main(): Promise<void> {
  const outDir = arg('--out', benchResultsDir(join(packageRoot(), 'docs/results/bench')));
  if (process.argv.includes('--from-json')) {
    // Re-render pi.md from the recorded pi.json (after a wording change), measuring nothing.
    writeFileSync(join(outDir, 'pi.md'), markdown(JSON.parse(readFileSync(join(outDir, 'pi.json'), 'utf8')) as PiReport));
    return;
  }
  const frames = Number(arg('--frames', '1000'));
  const warmup = Number(arg('--warmup', '100'));
  const log = (l: string) => process.stderr.write(`${l}\n`);
  const hostStart = benchHost();
  const sysbench = sysbenchHere();
  log(sysbench ? `sysbench: median ${sysbench.medianMs} ms per event` : 'sysbench: not installed; no Pi estimate');
  const models: PiReport['models'] = [];
  for (const rel of MODELS) {
    const path = join(packageRoot(), rel);
    const report = benchModel(readFileSync(path), rel, { frames, warmup, plans: ['auto'], log });
    models.push({ path: relative(packageRoot(), path), arch: report.config.arch, report });
  }
  const worklet = process.argv.includes('--no-worklet')
    ? null
    : await workletOverheadMeasure({ seconds: 2, repeats: 3, rate: 48000, modelPath: join(packageRoot(), MODELS[0]), log });
  const r: PiReport = { hostStart, hostEnd: benchHost(), frames, warmup, sysbench, models, worklet };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'pi.json'), `${JSON.stringify(r, null, 1)}\n`);
  writeFileSync(join(outDir, 'pi.md'), markdown(r));
  log(`wrote ${join(outDir, 'pi.md')}, pi.json`);
}

await main();
process.exit(0); // node-web-audio-api threads would keep the process alive
