/**
 * Parity of the WASM runtime on the EDGE presets (test/runtime/parity.test.ts does the same on `tiny`
 * in CI): for every architecture and every encoding a `.hush` file can hold (tools/bench/parityModels.ts:
 * dense f32 and f16, unstructured-pruned 'sparse', column-pruned, k-means, pruned + k-means, MPO), the
 * frame-by-frame WASM output (Enhancer.process hop by hop, both builds × fast / compact plans, and SIMD
 * auto) equals the libtorch whole-utterance forward on the same weights (src/train/features.ts
 * enhanceWaveform) to max |Δ| ≤ 1e-4 × the reference's peak, after the declared delay. The libtorch
 * per-frame stream (src/stream/ TorchStreamEnhancer) is checked against the same reference.
 *
 * Weights: seeded PyTorch-default initialisation with random BatchNorm/LayerNorm statistics and
 * PReLU slopes (parityModels.ts testWeights), or a trained checkpoint per architecture
 * (`--checkpoint gcrn=runs/gcrn-edge.safetensors`; the checkpoint's own config is used).
 * Input: `--seconds` (default 3) of a speech-like synthetic stream (tools/bench/runtimeLong.ts
 * longSignal), or the start of `--wav FILE` (16 kHz mono).
 *
 * Usage: node dist/tools/bench/parityEdge.js [--archs fdnn,lstm,tcnn,gcrn] [--encodings f32,pruned,kmeans,mpo]
 *          [--seconds 3] [--wav FILE] [--checkpoint ARCH=FILE ...] [--out docs/results/bench]
 * Prints a table (stderr) and, with --out, writes OUT/parity-edge.json and .md. Exit code 1 when
 * any run exceeds the tolerance.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Enhancer } from '../../runtime/node/enhancer.js';
import type { PlanChoice } from '../../runtime/core/plan.js';
import type { WasmFlavor } from '../../runtime/node/wasmFile.js';
import { readMono } from '../../src/data/wav.js';
import { ARCH_NAMES, isArchName, paramSpecs, presetConfig, type ArchConfig, type ArchName } from '../../src/models/index.js';
import { createNet } from '../../src/models/nets.js';
import { TorchStreamEnhancer } from '../../src/stream/index.js';
import { checkpointRead } from '../../src/train/checkpoint.js';
import { ENCODINGS, encodeModel, type Encoding, type HostTensor } from './parityModels.js';
import { maxAbsDiff, referenceEnhance, streamHops } from './parityRun.js';
import { longSignal } from './runtimeLong.js';
import { wasmStaleWarning } from './wasmStale.js';
import { benchHost } from './host.js';

/** Max |wasm − libtorch| allowed, relative to the reference's peak (DESIGN.md, Runtime). */
const TOLERANCE = 1e-4;

/** The WASM runs of each model: both builds × both modes, and the default plan on SIMD. */
const RUNS: [WasmFlavor, PlanChoice][] = [['simd', 'fast'], ['simd', 'compact'], ['scalar', 'fast'], ['scalar', 'compact'], ['simd', 'auto']];

/** One WASM (or libtorch stream) run. */
export interface ParityRun {
  runtime: 'wasm' | 'libtorch-stream';
  flavor: WasmFlavor | null;
  plan: PlanChoice | null;
  /** max |Δ| / peak of the reference. */
  relError: number;
  pass: boolean;
  /** Matrix forms the plan used (WASM). */
  forms: Record<string, number>;
}

/** One model (architecture × encoding). */
export interface ParityModelReport {
  arch: ArchName;
  encoding: Encoding;
  weights: string;
  fileBytes: number;
  peak: number;
  runs: ParityRun[];
  pass: boolean;
}

/** Checks one architecture × encoding (see the file comment). */
export function parityModel(config: ArchConfig, encoding: Encoding, signal: Float32Array, base: ReadonlyMap<string, HostTensor> | undefined, weightsLabel: string): ParityModelReport {
  const m = encodeModel(config, encoding, 1, base);
  const ref = referenceEnhance(m, signal);
  const runs: ParityRun[] = [];
  let peak = 0;
  for (const [flavor, plan] of RUNS) {
    const e = Enhancer.loadSync(m.hush, { flavor, plan, fileName: `${config.arch}-${encoding}.hush` });
    if (e.latencySamples !== 320) throw new Error(`${config.arch} ${encoding}: latency ${e.latencySamples}, expected 320`);
    const { aligned } = streamHops(e, signal);
    const d = maxAbsDiff(aligned, ref);
    peak = d.peak;
    const forms: Record<string, number> = {};
    for (const t of e.tensors) if (e.plan.mats.has(t.name) || t.form.startsWith('conv-')) forms[t.form] = (forms[t.form] ?? 0) + 1;
    const relError = d.diff / d.peak;
    runs.push({ runtime: 'wasm', flavor, plan, relError, pass: relError <= TOLERANCE, forms });
  }
  const net = createNet(m.config, { weights: m.reference });
  const s = new TorchStreamEnhancer(net);
  try {
    const d = maxAbsDiff(s.processBuffer(signal), ref);
    runs.push({ runtime: 'libtorch-stream', flavor: null, plan: null, relError: d.diff / d.peak, pass: d.diff <= TOLERANCE * d.peak, forms: {} });
  } finally {
    s.dispose();
    net.dispose();
  }
  return {
    arch: config.arch, encoding, weights: weightsLabel, fileBytes: m.hush.length, peak, runs,
    pass: peak > 1e-3 && runs.every((r) => r.pass), // a silent output would prove nothing
  };
}

/** A checkpoint's weights as parityModels.ts base weights (every parameter and buffer but num_batches_tracked). */
function checkpointWeights(path: string): { config: ArchConfig; weights: Map<string, HostTensor> } {
  const c = checkpointRead(path);
  const weights = new Map<string, HostTensor>();
  for (const s of paramSpecs(c.config)) {
    if (s.name.endsWith('.num_batches_tracked')) continue;
    const t = c.tensors.get(s.name);
    if (!t) throw new Error(`${path}: tensor ${s.name} is missing`);
    weights.set(s.name, { shape: t.shape.slice(), data: Float32Array.from(t.data) });
  }
  return { config: c.config, weights };
}

function table(reports: ParityModelReport[]): string[] {
  const head = [...RUNS.map(([f, p]) => `${f} ${p}`), 'libtorch stream'];
  const lines = [
    `| arch | encoding | weights | ${head.join(' | ')} | forms (simd fast / compact) | pass |`,
    `| --- | --- | --- | ${head.map(() => '---:').join(' | ')} | --- | --- |`,
  ];
  for (const r of reports) {
    const forms = (plan: PlanChoice) => Object.entries(r.runs.find((x) => x.flavor === 'simd' && x.plan === plan)?.forms ?? {}).map(([k, v]) => `${k} ${v}`).join(', ');
    lines.push(
      `| ${r.arch} | ${r.encoding} | ${r.weights} | ${r.runs.map((x) => x.relError.toExponential(1)).join(' | ')} | ${forms('fast')} / ${forms('compact')} | ${r.pass ? 'yes' : '**NO**'} |`,
    );
  }
  return lines;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      archs: { type: 'string', default: ARCH_NAMES.join(',') },
      encodings: { type: 'string', default: ENCODINGS.join(',') },
      seconds: { type: 'string', default: '3' },
      wav: { type: 'string' },
      checkpoint: { type: 'string', multiple: true, default: [] },
      out: { type: 'string' },
    },
  });
  const archs = values.archs!.split(',').map((s) => s.trim());
  for (const a of archs) if (!isArchName(a)) throw new Error(`--archs: unknown '${a}'`);
  const encodings = values.encodings!.split(',').map((s) => s.trim()) as Encoding[];
  for (const e of encodings) if (!ENCODINGS.includes(e)) throw new Error(`--encodings: unknown '${e}' (expected ${ENCODINGS.join(', ')})`);
  const seconds = Number(values.seconds);
  if (!(seconds > 0)) throw new Error(`--seconds must be positive, got '${values.seconds}'`);
  const samples = Math.round(seconds * 16000);
  let signal: Float32Array;
  let input = `${seconds} s of tools/bench/runtimeLong.ts longSignal (speech-like synthetic)`;
  if (values.wav) {
    const w = readMono(values.wav);
    if (w.sampleRate !== 16000) throw new Error(`${values.wav}: ${w.sampleRate} Hz, expected 16000`);
    signal = w.samples.slice(0, samples);
    input = `the first ${(signal.length / 16000).toFixed(2)} s of ${values.wav}`;
  } else signal = longSignal(samples);
  const checkpoints = new Map<string, string>();
  for (const c of values.checkpoint!) {
    const [a, path] = c.split('=');
    if (!isArchName(a) || !path) throw new Error(`--checkpoint expects ARCH=FILE, got '${c}'`);
    checkpoints.set(a, path);
  }

  const stale = (['simd', 'scalar'] as const).map(wasmStaleWarning).filter((w): w is string => w !== null);
  for (const w of stale) process.stderr.write(`parity-edge: warning: ${w}\n`);
  const start = performance.now();
  const loadStart = loadavg();
  const reports: ParityModelReport[] = [];
  for (const arch of archs as ArchName[]) {
    const path = checkpoints.get(arch);
    const ck = path ? checkpointWeights(path) : undefined;
    const config = ck?.config ?? presetConfig(arch, 'edge');
    for (const encoding of encodings) {
      const t0 = performance.now();
      const r = parityModel(config, encoding, signal, ck?.weights, path ?? 'seeded init (edge)');
      reports.push(r);
      process.stderr.write(
        `parity-edge: ${arch} ${encoding}: max rel. error ${Math.max(...r.runs.map((x) => x.relError)).toExponential(2)} ` +
          `${r.pass ? 'ok' : 'FAIL'} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`,
      );
    }
  }
  const pass = reports.every((r) => r.pass);
  const command = `node dist/tools/bench/parityEdge.js ${process.argv.slice(2).join(' ')}`.trim();
  const md = [
    '# WASM frame by frame = libtorch whole utterance, edge presets',
    '',
    `Command: \`${command}\` (tools/bench/parityEdge.ts, ${((performance.now() - start) / 1000).toFixed(0)} s). ${new Date().toISOString()}.`,
    '',
    `Input: ${input}. Each cell: max |WASM − libtorch| / peak of the libtorch output, after the 160-sample delay; ` +
      `tolerance ${TOLERANCE}. "libtorch stream" is src/stream/ TorchStreamEnhancer (batch 1, hop by hop) against the ` +
      `same whole-utterance reference. Encodings: tools/bench/parityModels.ts. Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ` +
      `Node ${process.version}, load ${loadStart.map((v) => v.toFixed(1)).join(' / ')}.`,
    '',
    ...stale.map((w) => `**Warning**: ${w}.\n`),
    ...table(reports),
    '',
    pass ? 'All within tolerance.' : '**Some runs exceed the tolerance.**',
    '',
  ].join('\n');
  process.stderr.write(`${md}\n`);
  if (values.out) {
    mkdirSync(values.out, { recursive: true });
    writeFileSync(join(values.out, 'parity-edge.json'), `${JSON.stringify({ command, input, tolerance: TOLERANCE, pass, host: benchHost(), reports }, null, 1)}\n`);
    writeFileSync(join(values.out, 'parity-edge.md'), md);
  }
  if (!pass) process.exitCode = 1;
}

if (process.argv[1] && /parityEdge\.(js|ts)$/.test(process.argv[1])) main();
