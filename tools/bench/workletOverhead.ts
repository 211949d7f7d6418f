/**
 * What node-web-audio-api's AudioWorklet costs per render quantum (128 frames), apart from the
 * model: the overhead that `hushpack live` and any HushNode in Node pay on top of the per-hop
 * compute time of `hushpack bench`.
 *
 *   node dist/tools/bench/workletOverhead.js [--seconds 5] [--repeats 3] [--rate 48000] [--model M.hush] [--json]
 *
 * Offline (OfflineAudioContext, mono, `rate` Hz, `seconds` of audio; the median of `repeats`
 * renders, wall time of startRendering()), a 440-Hz oscillator into
 *   plain          the destination directly (the engine alone);
 *   pass-through   an AudioWorkletNode whose process() copies input to output (the worklet's own cost:
 *                  the call from the Rust render thread into JavaScript and the buffer copies);
 *   HushNode null  HushNode with no model (hop bridge, the rate converters and the 128 → 160 FIFO);
 *   HushNode model HushNode with the model (default: the bundled demos/models/default.hush).
 * Each row's µs per quantum is render time / quanta; the overhead of a row is its difference from
 * the row above. Real time (AudioContext without an output device, `seconds` s each): plain and
 * pass-through, with node-web-audio-api's AudioRenderCapacity (load = render time / quantum
 * duration, per second: average and peak; underrun ratio) and how far the audio clock fell behind
 * the wall clock. The host line (load average!) goes with the numbers: on a shared CPU they move.
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { demoDefaultModelPath, distWebDir } from '../../src/demo/paths.js';
import { wasmPath } from '../../runtime/node/wasmFile.js';
import { hostHasSimd } from '../../runtime/core/wasm.js';
import { benchHost, benchHostLine, type BenchHost } from './host.js';

const QUANTUM_FRAMES = 128;

/** The graphs, in the order of the file comment. */
const GRAPHS = ['plain', 'pass-through', 'HushNode null', 'HushNode model'] as const;

/** A processor that copies its input to its output (channel by channel), nothing else. */
const PASS_THROUGH_SOURCE = `
class PassThrough extends AudioWorkletProcessor {
  process(inputs, outputs) {
    const i = inputs[0], o = outputs[0];
    for (let c = 0; c < o.length; c++) if (i[c]) o[c].set(i[c]);
    return true;
  }
}
registerProcessor('pass-through', PassThrough);
`;

interface OfflineRow {
  name: string;
  /** Median render wall time (ms) over the repeats, and µs per 128-frame quantum. */
  renderMs: number;
  usPerQuantum: number;
  /** Real-time factor of the render: render time / audio time. */
  rtf: number;
  /**
   * CPU time of the whole process (all threads: render thread, worklet thread, main) per quantum,
   * median over the repeats: what the graph costs, without the waiting for a CPU that inflates the
   * wall time on a loaded machine (each quantum hands over between threads twice).
   */
  cpuUsPerQuantum: number;
}

interface RealtimeRow {
  name: string;
  seconds: number;
  /** Mean of the per-second averageLoad, the largest peakLoad and underrunRatio reported. */
  loadAverage: number | null;
  loadPeak: number | null;
  underrunRatio: number | null;
  /** Wall seconds minus audio seconds at the end (> 0: the render thread fell behind). */
  lagSeconds: number;
}

export interface WorkletOverheadReport {
  host: BenchHost;
  rate: number;
  seconds: number;
  repeats: number;
  quanta: number;
  model: string;
  offline: OfflineRow[];
  /** pass-through − plain, µs per quantum (offline): wall time and CPU time. */
  workletOverheadUsPerQuantum: number;
  workletOverheadCpuUsPerQuantum: number;
  realtime: RealtimeRow[];
}

type Nwa = typeof import('node-web-audio-api');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : process.argv[i + 1];
}

export interface WorkletOverheadOptions {
  seconds: number;
  repeats: number;
  rate: number;
  modelPath: string;
  log: (line: string) => void;
}

/** One offline render or real-time run of one graph, measured in this process (see oneRun). */
interface OneResult {
  renderMs?: number;
  cpuUs?: number;
  realtime?: RealtimeRow;
}

/**
 * Measures one graph once, in this process: `kind` 'offline' renders `seconds` of audio in an
 * OfflineAudioContext (wall and process CPU time); 'realtime' runs an AudioContext without an output
 * device for `seconds` (render capacity, audio clock vs wall clock).
 */
async function oneRun(name: string, kind: 'offline' | 'realtime', seconds: number, rate: number, modelPath: string): Promise<OneResult> {
  const nwa: Nwa = await import('node-web-audio-api');
  (globalThis as { AudioWorkletNode?: unknown }).AudioWorkletNode = nwa.AudioWorkletNode;
  const { HushNode } = await import('../../runtime/web/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'hushpack-worklet-overhead-'));
  try {
    // node-web-audio-api's addModule takes a file path (a file: URL does not resolve there).
    const passPath = join(dir, 'pass-through.mjs');
    writeFileSync(passPath, PASS_THROUGH_SOURCE);
    const wasm = await WebAssembly.compile(readFileSync(wasmPath(hostHasSimd() ? 'simd' : 'scalar')));
    const workletUrl = pathToFileURL(join(distWebDir(), 'hush-worklet.js')).href;
    const model = new Uint8Array(readFileSync(modelPath));
    const wire = async (ctx: BaseAudioContext): Promise<void> => {
      const o = ctx.createOscillator();
      o.frequency.value = 440;
      o.start();
      if (name === 'plain') o.connect(ctx.destination);
      else if (name === 'pass-through') {
        await ctx.audioWorklet.addModule(passPath);
        o.connect(new nwa.AudioWorkletNode(ctx as never, 'pass-through') as unknown as AudioNode).connect(ctx.destination);
      } else {
        const node = await HushNode.create(ctx, { wasm, workletUrl, model: name === 'HushNode model' ? model : null, level: 'none' });
        o.connect(node).connect(ctx.destination);
      }
    };
    if (kind === 'offline') {
      const ctx = new nwa.OfflineAudioContext(1, Math.round(seconds * rate), rate);
      await wire(ctx as unknown as BaseAudioContext);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await ctx.startRendering();
      const renderMs = performance.now() - t0;
      const c = process.cpuUsage(c0);
      return { renderMs, cpuUs: c.user + c.system };
    }
    const ctx = new nwa.AudioContext({ sinkId: { type: 'none' }, sampleRate: rate, latencyHint: 'interactive' } as never);
    await wire(ctx as unknown as BaseAudioContext);
    const loads: number[] = [];
    let peak: number | null = null;
    let underrun: number | null = null;
    const rc = (ctx as unknown as { renderCapacity?: { start(o: object): void; stop(): void; addEventListener(t: string, f: (e: { averageLoad: number; peakLoad: number; underrunRatio: number }) => void): void } }).renderCapacity;
    rc?.addEventListener('update', (e) => {
      loads.push(e.averageLoad);
      peak = Math.max(peak ?? 0, e.peakLoad);
      underrun = Math.max(underrun ?? 0, e.underrunRatio);
    });
    rc?.start({ updateInterval: 1 });
    const a0 = ctx.currentTime;
    const w0 = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const lagSeconds = (performance.now() - w0) / 1000 - (ctx.currentTime - a0);
    rc?.stop();
    await ctx.close();
    const loadAverage = loads.length ? loads.reduce((a, b) => a + b, 0) / loads.length : null;
    return { realtime: { name, seconds, loadAverage, loadPeak: peak, underrunRatio: underrun, lagSeconds } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the measurements of the file comment. Each render runs in a child process of its own:
 * node-web-audio-api starts a worklet thread per context and never stops the ones of finished
 * offline contexts, which keep polling and would load the next measurement.
 */
export async function workletOverheadMeasure(opts: WorkletOverheadOptions): Promise<WorkletOverheadReport> {
  const { seconds, repeats, rate, modelPath, log } = opts;
  const quanta = Math.ceil(Math.round(seconds * rate) / QUANTUM_FRAMES);
  const child = (name: string, kind: 'offline' | 'realtime'): OneResult => {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--one', name, '--kind', kind, '--seconds', String(seconds), '--rate', String(rate), '--model', modelPath], {
      encoding: 'utf8',
      timeout: Math.max(120_000, 60_000 * seconds),
    });
    if (r.status !== 0) throw new Error(`worklet-overhead: ${name} (${kind}) failed: ${r.stderr || r.error?.message}`);
    return JSON.parse(r.stdout.trim().split('\n').pop() as string) as OneResult;
  };
  const offline: OfflineRow[] = [];
  for (const name of GRAPHS) {
    const runs = Array.from({ length: repeats }, () => child(name, 'offline'));
    const renderMs = median(runs.map((x) => x.renderMs as number));
    const row = { name, renderMs, usPerQuantum: (1000 * renderMs) / quanta, rtf: renderMs / 1000 / seconds, cpuUsPerQuantum: median(runs.map((x) => x.cpuUs as number)) / quanta };
    offline.push(row);
    log(`offline ${name}: ${renderMs.toFixed(0)} ms for ${seconds} s (${row.usPerQuantum.toFixed(1)} µs wall, ${row.cpuUsPerQuantum.toFixed(1)} µs CPU per quantum)`);
  }
  const realtime: RealtimeRow[] = [];
  for (const name of GRAPHS.slice(0, 2)) {
    const row = child(name, 'realtime').realtime as RealtimeRow;
    realtime.push(row);
    log(`real time ${name}: load ${row.loadAverage?.toFixed(3)} peak ${row.loadPeak} underruns ${row.underrunRatio} audio behind wall ${row.lagSeconds.toFixed(2)} s`);
  }
  return {
    host: benchHost(), rate, seconds, repeats, quanta, model: modelPath, offline,
    workletOverheadUsPerQuantum: offline[1].usPerQuantum - offline[0].usPerQuantum,
    workletOverheadCpuUsPerQuantum: offline[1].cpuUsPerQuantum - offline[0].cpuUsPerQuantum,
    realtime,
  };
}

/** The two tables (markdown) and the host line. */
export function workletOverheadMarkdown(report: WorkletOverheadReport): string {
  const { offline, realtime, rate, seconds, quanta, repeats } = report;
  const lines = [
    `host: ${benchHostLine(report.host)}`,
    '',
    `Offline (OfflineAudioContext), ${rate} Hz, ${seconds} s = ${quanta} quanta of 128 frames, median of ${repeats} renders:`,
    '',
    '| graph | render ms | wall µs per quantum | over the row above | CPU µs per quantum | over the row above |',
    '|---|---:|---:|---:|---:|---:|',
    ...offline.map((r, i) => {
      const up = (k: 'usPerQuantum' | 'cpuUsPerQuantum') => (i === 0 ? '—' : (r[k] - offline[i - 1][k]).toFixed(1));
      return `| ${r.name} | ${r.renderMs.toFixed(0)} | ${r.usPerQuantum.toFixed(1)} | ${up('usPerQuantum')} | ${r.cpuUsPerQuantum.toFixed(1)} | ${up('cpuUsPerQuantum')} |`;
    }),
    '',
    `Real time (AudioContext, no output device), ${seconds} s each:`,
    '',
    '| graph | render load, mean of the per-second averages | peak | underrun ratio | audio behind wall (s) |',
    '|---|---:|---:|---:|---:|',
    ...realtime.map((r) => `| ${r.name} | ${r.loadAverage?.toFixed(3) ?? '— (no report)'} | ${r.loadPeak ?? '—'} | ${r.underrunRatio ?? '—'} | ${r.lagSeconds.toFixed(2)} |`),
  ];
  return lines.join('\n');
}

/** True when this file is the process's main script. */
function isMainScript(): boolean {
  try {
    return process.argv[1] !== undefined && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isMainScript()) {
  const one = arg('--one', '');
  if (one !== '') {
    // A child of workletOverheadMeasure: one measurement, one JSON line, then exit (which also
    // ends node-web-audio-api's threads).
    const r = await oneRun(one, arg('--kind', 'offline') as 'offline' | 'realtime', Number(arg('--seconds', '5')), Number(arg('--rate', '48000')), arg('--model', demoDefaultModelPath()));
    process.stdout.write(`${JSON.stringify(r)}\n`);
    process.exit(0);
  }
  const report = await workletOverheadMeasure({
    seconds: Number(arg('--seconds', '5')),
    repeats: Number(arg('--repeats', '3')),
    rate: Number(arg('--rate', '48000')),
    modelPath: arg('--model', demoDefaultModelPath()),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  process.stdout.write(process.argv.includes('--json') ? `${JSON.stringify(report)}\n` : `${workletOverheadMarkdown(report)}\n`);
  process.exit(0);
}
