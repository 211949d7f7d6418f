/**
 * `hushpack demo`, the work: load a `.hush` model (the bundled demos/models/default.hush unless told
 * otherwise) into the WASM Enhancer, enhance every bundled clip (demos/clips/) hop by hop while timing
 * each hop, score noisy and enhanced against the clean reference (STOI, PESQ, SI-SNR…), and write
 *
 *   OUT/enhanced/<clip>_enhanced.wav   the enhanced clips (16 kHz 16-bit, same gain as the mixture)
 *   OUT/enhanced/<clip>_<peer>.wav     the same clips through each peer (RNNoise, GTCRN, Speex;
 *                                       src/demo/peers.ts), scored the same way, unless --no-peers
 *   OUT/clips/<clip>_{noisy,clean}.wav  copies of the inputs, so OUT is self-contained
 *   OUT/report.html                     table, spectrograms (inline PNG), players (relative links)
 *   OUT/demo.json                       the DemoReport below
 *
 * Level: each mixture is rescaled to unit RMS before the network (the training level, Tan & Wang
 * §III-A; `hushpack enhance` does the same) and the output is scaled back, so the enhanced file has
 * the mixture's gain and the metrics compare like with like.
 *
 * Latency figures: every Enhancer.process call over all clips, after a short untimed warm-up
 * (src/demo/enhanceTimed.ts). The algorithmic latency is the Enhancer's latencySamples (one hop of
 * buffering + the STFT delay); the HushNode in a browser adds the 128-sample render quantum
 * (18 ms at 16 kHz; runtime/worklet/processor.ts has the arithmetic).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { isEnhanceConfig } from '../format/arch.js';
import { HOP_SAMPLES, SAMPLE_RATE_HZ } from '../dsp/constants.js';
import { writeWav } from '../data/wav.js';
import { batchWorkerPath, evaluatePairs } from '../metrics/batch.js';
import type { MetricResult } from '../metrics/evaluate.js';
import { PRESET_NAMES, type ArchConfig, type PresetName } from '../models/config.js';
import { presetConfig } from '../models/presets.js';
import { Enhancer } from '../../runtime/node/enhancer.js';
import type { PlanChoice } from '../../runtime/core/plan.js';
import type { WasmFlavor } from '../../runtime/node/wasmFile.js';
import { inspectHush } from '../models/inspect.js';
import { demoClipsLoad, type DemoClip } from './clips.js';
import { demoClipsDir, demoDefaultModelPath } from './paths.js';
import { enhanceTimed, percentile } from './enhanceTimed.js';
import { spectrogramDb, spectrogramPng } from './spectrogram.js';
import { demoReportHtml } from './reportHtml.js';
import { demoPeersRun, type DemoPeerRun } from './peers.js';

/** Options of demoRun. */
export interface DemoOptions {
  /** The model (default demos/models/default.hush; its absence is an error, never a fallback). */
  modelPath?: string;
  /** Output folder (created). */
  outDir: string;
  /** Clips folder (default demos/clips). */
  clipsDir?: string;
  /** WASM build (default SIMD when the host has it) and execution plan (default 'auto'). */
  flavor?: WasmFlavor;
  plan?: PlanChoice;
  /** Metric worker threads (default: available cores; 1 = in this thread). */
  threads?: number;
  /** Run the peers on the clips too (default true; skipped with a note when their package is missing). */
  peers?: boolean;
  /** Progress lines (e.g. to stderr). */
  log?: (line: string) => void;
}

/** What the demo says about the model. */
export interface DemoModelSummary {
  file: string;
  /** metadata.name, else the file name. */
  name: string;
  /** e.g. "gcrn edge, pipeline c1" (preset recognised from the hyper-parameters). */
  description: string;
  config: ArchConfig;
  preset: PresetName | null;
  pipeline: string | null;
  metadata: Record<string, string>;
  fileBytes: number;
  /** Parameters of the uncompressed net and their float32 bytes. */
  parameters: number;
  float32Bytes: number;
  nonzeros: number;
  /** Compression rate: eq. 11 of the paper, and float32 bytes / file bytes. */
  paperRate: number;
  actualRate: number;
  macsPer4s: number | null;
  /** Multiplications per 10-ms hop as loaded in the WASM runtime. */
  macsPerHop: number;
  /** Algorithmic latency of the Enhancer (16 kHz samples, ms). */
  latencySamples: number;
  latencyMs: number;
  flavor: WasmFlavor;
  plan: PlanChoice;
  /** WASM memory in use after loading (bytes). */
  memoryBytes: number;
}

/** Metrics the demo reports for one signal against the clean reference. */
export interface DemoScores {
  stoi: number;
  estoi: number;
  pesq_nb: number;
  pesq_wb: number | null;
  sisnr: number;
  sdr_bss: number;
}

/** One clip's result. Paths are relative to the output folder. */
export interface DemoClipResult {
  name: string;
  speaker: string;
  lang: string;
  noise: string;
  snrDb: number;
  seconds: number;
  noisy: string;
  clean: string;
  enhanced: string;
  before: DemoScores;
  after: DemoScores;
}

/** Per-hop compute time over all clips (µs). */
export interface DemoLatency {
  hops: number;
  usP50: number;
  usP99: number;
  usMax: number;
  usMean: number;
  /** Real-time budget of one hop (10 000 µs) and the mean real-time factor (mean / budget). */
  budgetUs: number;
  rtf: number;
  /** Hops slower than the budget. */
  misses: number;
  /** Histogram for the report: log-spaced bin edges (µs, length bins + 1) and counts. */
  histogram: { edgesUs: number[]; counts: number[] };
}

/** A peer on the clips, scored: its run plus the scores of each clip (clip order) and their mean. */
export interface DemoPeerResult extends DemoPeerRun {
  after: DemoScores[];
  mean: DemoScores;
}

/** The whole demo result (`hushpack demo --json` prints it; OUT/demo.json holds it). */
export interface DemoReport {
  model: DemoModelSummary;
  clips: DemoClipResult[];
  mean: { before: DemoScores; after: DemoScores };
  /** The peers on the same clips (empty with --no-peers or without their package; `peersNote` says which). */
  peers: DemoPeerResult[];
  peersNote: string | null;
  latency: DemoLatency;
  outDir: string;
  files: { report: string; json: string; enhanced: string[] };
  /** Wall time of the whole run (s). */
  seconds: number;
}

/** A report ready for HTML: the DemoReport plus the spectrogram PNGs per clip. */
export interface DemoRendered {
  report: DemoReport;
  spectrograms: { noisy: Uint8Array; enhanced: Uint8Array; clean: Uint8Array }[];
  /** Per-hop times (µs) of every clip, in order (for the report's histogram). */
  hopUs: Float64Array;
}

/** Hops run untimed before the timed clips (JIT warm-up of the JS glue, caches). */
const WARMUP_HOPS = 100;

/** The message when the bundled default model is missing (no silent fallback to anything else). */
export function defaultModelMissingMessage(path: string): string {
  const rel = relative(process.cwd(), path) || path;
  return [
    `${rel} is missing: it is the bundled default model (an edge GCRN compressed with pipeline C1, < 1 MB; provenance in docs/results/).`,
    'Produce it from a corpus with',
    '  hushpack corpus build --out /work/corpus',
    '  hushpack train --arch gcrn --preset edge --corpus /work/corpus --out runs/gcrn-edge.safetensors',
    `  hushpack compress --pipeline c1 --in runs/gcrn-edge.safetensors --corpus /work/corpus --out ${rel}`,
    'or run the demo on another model with --model M.hush.',
  ].join('\n');
}

/** The preset whose hyper-parameters equal the config's, if any. */
export function presetOf(config: ArchConfig): PresetName | null {
  for (const p of PRESET_NAMES) {
    if (JSON.stringify(presetConfig(config.arch, p).hparams) === JSON.stringify(config.hparams)) return p;
  }
  return null;
}

function rms(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s / Math.max(1, x.length));
}

function scores(m: MetricResult): DemoScores {
  return { stoi: m.stoi, estoi: m.estoi, pesq_nb: m.pesq_nb, pesq_wb: m.pesq_wb, sisnr: m.sisnr, sdr_bss: m.sdr_bss };
}

function meanScores(all: DemoScores[]): DemoScores {
  const avg = (f: (s: DemoScores) => number | null): number => all.reduce((s, x) => s + (f(x) ?? NaN), 0) / all.length;
  const wb = avg((s) => s.pesq_wb);
  return { stoi: avg((s) => s.stoi), estoi: avg((s) => s.estoi), pesq_nb: avg((s) => s.pesq_nb), pesq_wb: Number.isNaN(wb) ? null : wb, sisnr: avg((s) => s.sisnr), sdr_bss: avg((s) => s.sdr_bss) };
}

/**
 * Histogram of hop times on log-spaced bins (`bins` of them, from a decade at or below the fastest
 * hop to the slowest): the bulk (tens to hundreds of µs) and the rare slow hops (a preempted process,
 * a GC pause: milliseconds) both stay visible, as does the 10-ms budget when they reach it.
 */
export function hopHistogram(us: Float64Array, bins = 48): { edgesUs: number[]; counts: number[] } {
  const lo = 10 ** Math.floor(Math.log10(Math.max(1, percentile(us, 0.001))));
  const hi = Math.max(lo * 10, percentile(us, 1) * 1.0001);
  const r = Math.log(hi / lo);
  const edgesUs = Array.from({ length: bins + 1 }, (_, k) => lo * Math.exp((r * k) / bins));
  const counts = new Array<number>(bins).fill(0);
  for (const v of us) counts[Math.min(bins - 1, Math.max(0, Math.floor((Math.log(Math.max(v, lo) / lo) / r) * bins)))]++;
  return { edgesUs, counts };
}

/** Loads the model bytes, or fails with the way to make the missing default model. */
function modelBytesRead(modelPath: string | undefined): { path: string; bytes: Uint8Array } {
  const path = resolve(modelPath ?? demoDefaultModelPath());
  if (!existsSync(path)) {
    if (modelPath === undefined) throw new UserError(defaultModelMissingMessage(path));
    throw new UserError(`${modelPath}: no such file`);
  }
  if (!path.toLowerCase().endsWith('.hush')) throw new UserError(`${modelPath}: the demo runs .hush models on the WASM runtime (hushpack compress makes one)`);
  return { path, bytes: new Uint8Array(readFileSync(path)) };
}

/** Describes a loaded model (sizes and rates from the inspect report: src/models/inspect.ts). */
function modelSummary(path: string, bytes: Uint8Array, e: Enhancer): DemoModelSummary {
  const r = inspectHush(bytes, path);
  const config = e.config;
  if (!isEnhanceConfig(config)) throw new UserError(`${path}: the demo runs enhancement models; ${config.arch} separates speakers`);
  const preset = presetOf(config);
  const pipeline = r.metadata.pipeline ?? null;
  return {
    file: path,
    name: r.metadata.name ?? basename(path),
    description: `${config.arch}${preset ? ` ${preset}` : ''}${pipeline ? `, pipeline ${pipeline}` : ''}`,
    config,
    preset,
    pipeline,
    metadata: r.metadata,
    fileBytes: bytes.length,
    parameters: r.totals.parameters,
    float32Bytes: 4 * r.totals.parameters,
    nonzeros: r.totals.nonzeros,
    paperRate: r.totals.paperRate,
    actualRate: r.totals.actualRate,
    macsPer4s: r.totals.macsPer4s,
    macsPerHop: e.macsPerHop,
    latencySamples: e.latencySamples,
    latencyMs: (1000 * e.latencySamples) / SAMPLE_RATE_HZ,
    flavor: e.flavor,
    plan: e.plan.choice,
    memoryBytes: e.memoryBytes,
  };
}

/** True when the compiled metrics worker exists (worker threads need it; else metrics run here). */
function metricsWorkerAvailable(): boolean {
  try {
    batchWorkerPath();
    return true;
  } catch {
    return false;
  }
}

/** File stem of a clip in the output folder (its mixture's name without "_mix.wav"). */
function clipStem(c: DemoClip): string {
  return c.mix.replace(/_mix\.wav$/i, '').replace(/\.wav$/i, '');
}

/** Runs the demo (see the file comment); writes OUT and returns the report with its images. */
export async function demoRun(opts: DemoOptions): Promise<DemoRendered> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const { path: modelPath, bytes } = modelBytesRead(opts.modelPath);
  const clipsDir = resolve(opts.clipsDir ?? demoClipsDir());
  const clips = demoClipsLoad(clipsDir);
  const e = await Enhancer.load(bytes, { flavor: opts.flavor, plan: opts.plan ?? 'auto', fileName: modelPath });
  const model = modelSummary(modelPath, bytes, e);
  log(`demo: ${model.name} (${model.description}) on WASM ${model.flavor}, ${clips.length} clips`);

  const outDir = resolve(opts.outDir);
  for (const d of ['', 'enhanced', 'clips']) mkdirSync(join(outDir, d), { recursive: true });

  // Warm-up: untimed hops of the first clip.
  enhanceTimed(e, clips[0].mix.subarray(0, Math.min(clips[0].mix.length, WARMUP_HOPS * HOP_SAMPLES)));

  const hopTimes: Float64Array[] = [];
  const rows: Omit<DemoClipResult, 'before' | 'after'>[] = [];
  const enhancedSignals: Float32Array[] = [];
  for (const { clip, mix } of clips) {
    const g = rms(mix);
    if (!(g > 0)) throw new UserError(`${join(clipsDir, clip.mix)}: silent mixture`);
    const x = new Float32Array(mix.length);
    for (let i = 0; i < x.length; i++) x[i] = mix[i] / g;
    const { enhanced, hopUs } = enhanceTimed(e, x);
    for (let i = 0; i < enhanced.length; i++) enhanced[i] *= g;
    hopTimes.push(hopUs);
    enhancedSignals.push(enhanced);
    const stem = clipStem(clip);
    const files = { noisy: `clips/${stem}_noisy.wav`, clean: `clips/${stem}_clean.wav`, enhanced: `enhanced/${stem}_enhanced.wav` };
    copyFileSync(join(clipsDir, clip.mix), join(outDir, files.noisy));
    copyFileSync(join(clipsDir, clip.clean), join(outDir, files.clean));
    writeWav(join(outDir, files.enhanced), { sampleRate: SAMPLE_RATE_HZ, channels: [enhanced] }, 'pcm16');
    rows.push({ name: clip.name, speaker: clip.speaker, lang: clip.lang, noise: clip.noise, snrDb: clip.snrDb, seconds: clip.seconds, ...files });
    log(`demo: enhanced ${clip.name}`);
  }

  const peerRuns = opts.peers === false ? { peers: [], note: 'peers not shown (--no-peers)' } : await demoPeersRun(clips, clips.map((c) => clipStem(c.clip)), outDir, log);
  if (peerRuns.note) log(`demo: ${peerRuns.note}`);

  // Metrics of the files as written (what a listener hears), noisy and enhanced vs clean; then each peer's.
  const pairs = rows.flatMap((r) => [
    { ref: join(outDir, r.clean), deg: join(outDir, r.noisy) },
    { ref: join(outDir, r.clean), deg: join(outDir, r.enhanced) },
  ]);
  for (const p of peerRuns.peers) pairs.push(...rows.map((r, k) => ({ ref: join(outDir, r.clean), deg: join(outDir, p.enhanced[k]) })));
  log(`demo: scoring ${pairs.length} signals (STOI, PESQ, SI-SNR, SDR)`);
  const threads = metricsWorkerAvailable() ? opts.threads : 1;
  const metrics = await evaluatePairs(pairs, { threads });
  const clipResults: DemoClipResult[] = rows.map((r, k) => ({ ...r, before: scores(metrics[2 * k]), after: scores(metrics[2 * k + 1]) }));
  const peers: DemoPeerResult[] = peerRuns.peers.map((p, j) => {
    const after = rows.map((_, k) => scores(metrics[2 * rows.length + j * rows.length + k]));
    return { ...p, after, mean: meanScores(after) };
  });

  const all = new Float64Array(hopTimes.reduce((s, h) => s + h.length, 0));
  let at = 0;
  for (const h of hopTimes) {
    all.set(h, at);
    at += h.length;
  }
  const budgetUs = (1e6 * HOP_SAMPLES) / SAMPLE_RATE_HZ;
  const usMean = all.reduce((s, v) => s + v, 0) / Math.max(1, all.length);
  const latency: DemoLatency = {
    hops: all.length,
    usP50: percentile(all, 0.5),
    usP99: percentile(all, 0.99),
    usMax: percentile(all, 1),
    usMean,
    budgetUs,
    rtf: usMean / budgetUs,
    misses: all.reduce((s, v) => s + (v > budgetUs ? 1 : 0), 0),
    histogram: hopHistogram(all),
  };

  const spectrograms = clips.map(({ mix, clean }, k) => {
    const noisy = spectrogramDb(mix);
    const top = noisy.maxDb;
    return { noisy: spectrogramPng(noisy, top), enhanced: spectrogramPng(spectrogramDb(enhancedSignals[k]), top), clean: spectrogramPng(spectrogramDb(clean), top) };
  });

  const report: DemoReport = {
    model,
    clips: clipResults,
    mean: { before: meanScores(clipResults.map((c) => c.before)), after: meanScores(clipResults.map((c) => c.after)) },
    peers,
    peersNote: peerRuns.note,
    latency,
    outDir,
    files: { report: 'report.html', json: 'demo.json', enhanced: [...rows.map((r) => r.enhanced), ...peers.flatMap((p) => p.enhanced)] },
    seconds: 0,
  };
  report.seconds = (performance.now() - t0) / 1000;
  const rendered: DemoRendered = { report, spectrograms, hopUs: all };
  writeFileSync(join(outDir, report.files.report), demoReportHtml(rendered, { clipsAttribution: attributionLink(clipsDir, outDir) }));
  writeFileSync(join(outDir, report.files.json), `${JSON.stringify(demoReportJson(report), null, 1)}\n`);
  return rendered;
}

/** The clips' ATTRIBUTION.md copied next to the report (the report links it). */
function attributionLink(clipsDir: string, outDir: string): string | null {
  const src = join(clipsDir, 'ATTRIBUTION.md');
  if (!existsSync(src)) return null;
  copyFileSync(src, join(outDir, 'clips', 'ATTRIBUTION.md'));
  return 'clips/ATTRIBUTION.md';
}

/** The report as JSON-safe data (±Infinity → "inf"/"-inf", as `hushpack eval --json`). */
export function demoReportJson(r: DemoReport): unknown {
  return JSON.parse(JSON.stringify(r, (_k, v: unknown) => (v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v)));
}

