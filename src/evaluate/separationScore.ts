/**
 * A separation model on the fixed two-talker test set (src/data/separation/testset.ts,
 * DIR/separation-test), the numbers of Tan & Wang's Table VI:
 *
 *   for each mixture of list.csv (the first `limit`):
 *     mixture file (as written, the level the model trained at) → backend → C estimates
 *       (libtorch for .safetensors, the WASM Separator hop by hop for .hush: ./backendSeparation.ts)
 *     permutation: per utterance, the assignment with the largest mean SI-SNR
 *                  (src/metrics/permutation.ts), as the separation papers score
 *     for each speaker s: metrics(s_s, estimate assigned to s) and metrics(s_s, mixture)
 *   on the metric workers (src/metrics/pool.ts), while the next mixture is separated.
 * Every metric of src/metrics/evaluate.ts at 8 kHz (PESQ narrow band only; pesq_wb is null): Table VI's
 * ESTOI, PESQ (pesq_nb), SI-SNR (sisnr) and SDR (BSS-eval v3 sdr_bss — Vincent et al. 2006, the
 * paper's [44]; plain sdr is there too). Means are over the speaker signals (2 per mixture), so the
 * delta of sisnr is the SI-SNR improvement.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SEPARATION_SAMPLE_RATE_HZ } from '../dsp/constants.js';
import { UserError } from '../errors.js';
import { readMono } from '../data/wav.js';
import { separationListRead, SEPARATION_TESTSET_DIR } from '../data/separation/testset.js';
import type { ProgressSink } from '../data/builder/progress.js';
import { METRIC_KEYS, METRICS_VERSION, type MetricResult } from '../metrics/evaluate.js';
import { permutationBySiSnr } from '../metrics/permutation.js';
import { MetricPool } from '../metrics/pool.js';
import { corpusHash, hushpackVersion } from '../train/checkpoint.js';
import { separateBackendOpen } from './backendSeparation.js';
import { scoreGroup, type MetricsJson } from './scoreFile.js';

/** `format` of separation score files (named `M.score.json` like the enhancement ones, ./scoreFile.ts). */
export const SEPARATION_SCORE_FORMAT = 'hushpack-separation-score';

/** Means of the mixture's and the estimates' metrics against each speaker, and estimate − mixture. */
export interface SeparationScoreGroup {
  /** Mixtures scored, and speaker signals (the means' count). */
  mixtures: number;
  signals: number;
  mixture: MetricsJson;
  separated: MetricsJson;
  delta: MetricsJson;
}

/** The whole file. */
export interface SeparationScoreFile {
  format: typeof SEPARATION_SCORE_FORMAT;
  version: 1;
  command: string;
  hushpackVersion: string;
  split: 'test';
  model: { path: string; sha256: string; bytes: number; arch: string; preset: string; backend: string; description: string; speakers: number };
  corpus: { path: string; corpusHash: string };
  testset: { path: string; listSha256: string; mixturesInList: number; limit: number | null };
  metricsVersion: number;
  metrics: readonly string[];
  /** How often each permutation was chosen (key: the permutation, e.g. "1,0"). */
  permutations: Record<string, number>;
  overall: SeparationScoreGroup;
  /** Wall time of the backend alone, the audio it processed and their ratio. */
  separation: { seconds: number; audioSeconds: number; rtf: number };
  started: string;
  seconds: number;
}

/** Options of separationScore. */
export interface SeparationScoreOptions {
  /** M.safetensors (libtorch) or M.hush (WASM Separator) of a separation net. */
  model: string;
  /** Corpus folder holding separation-test/ (hushpack corpus separation). */
  corpusDir: string;
  /** The set's folder, when not DIR/separation-test. */
  testsetDir?: string;
  /** First N mixtures (default: all). */
  limit?: number;
  /** Metric worker threads (default: available cores; 1: inline). */
  threads?: number;
  progress?: ProgressSink;
  onNote?: (message: string) => void;
  command?: string;
}

/** Jobs kept waiting per metric thread before separation pauses (bounds memory). */
const QUEUE_PER_THREAD = 4;

function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Runs the evaluation of the file comment and returns the score file's content. */
export async function separationScore(opts: SeparationScoreOptions): Promise<SeparationScoreFile> {
  const started = new Date();
  const t0 = performance.now();
  if (opts.limit !== undefined && !(Number.isInteger(opts.limit) && opts.limit >= 1)) throw new UserError(`--limit must be a positive integer, got ${opts.limit}`);
  const hash = corpusHash(opts.corpusDir);
  const dir = opts.testsetDir ?? join(opts.corpusDir, SEPARATION_TESTSET_DIR);
  const all = separationListRead(dir);
  if (all.length === 0) throw new UserError(`${dir}/list.csv: no mixtures`);
  const rows = opts.limit === undefined ? all : all.slice(0, opts.limit);
  const backend = await separateBackendOpen(opts.model);
  // Every pair is at 8 kHz: say once that PESQ is narrow band only, not once per signal.
  opts.onNote?.('8-kHz signals: PESQ narrow band (P.862.1) only; pesq_wb is null');
  const onNote = opts.onNote && ((m: string) => (/wide-band PESQ \(P\.862\.2\) needs 16 kHz/.test(m) ? undefined : opts.onNote!(m)));
  let pool: MetricPool;
  try {
    pool = new MetricPool({ threads: opts.threads, onNote });
  } catch (err) {
    backend.close();
    throw err;
  }
  const bar = opts.progress?.bar('evalset (separation)', rows.length);
  const mixture: Promise<MetricResult>[] = [];
  const separated: Promise<MetricResult>[] = [];
  const submitted: Promise<unknown>[] = [];
  const permutations: Record<string, number> = {};
  let failure: Error | null = null;
  let oldest = 0;
  let separateSeconds = 0;
  let audioSeconds = 0;
  const watch = (p: Promise<MetricResult>, what: string): Promise<MetricResult> => {
    const named = p.catch((err: Error) => {
      const e = `${what}: ${err.message}`;
      throw err instanceof UserError ? new UserError(e) : new Error(e);
    });
    named.catch((err: Error) => (failure ??= err));
    submitted.push(named);
    return named;
  };
  let mixtureResults: MetricResult[];
  let separatedResults: MetricResult[];
  try {
    for (const r of rows) {
      if (failure !== null) break;
      const mixPath = join(dir, r.mix);
      const refPaths = [join(dir, r.s1), join(dir, r.s2)];
      const mix = readMono(mixPath);
      if (mix.sampleRate !== backend.sampleRateHz) throw new UserError(`${mixPath}: ${mix.sampleRate} Hz, the model runs at ${backend.sampleRateHz} Hz`);
      const refs = refPaths.map((p) => readMono(p).samples);
      const ts = performance.now();
      const est = await backend.process(mix.samples);
      separateSeconds += (performance.now() - ts) / 1000;
      audioSeconds += mix.samples.length / SEPARATION_SAMPLE_RATE_HZ;
      if (est.length !== refs.length) throw new UserError(`${opts.model}: ${est.length} outputs, the test set has ${refs.length} speakers per mixture`);
      const { perm } = permutationBySiSnr(refs, est);
      permutations[perm.join(',')] = (permutations[perm.join(',')] ?? 0) + 1;
      refPaths.forEach((ref, s) => {
        mixture.push(watch(pool.evaluate({ ref, deg: mixPath }), `${mixPath} against ${ref}`));
        const e = watch(
          pool.evaluate({ ref, deg: est[perm[s]], sampleRate: SEPARATION_SAMPLE_RATE_HZ, refName: ref, degName: `${mixPath} output ${perm[s] + 1}` }),
          `${mixPath} output ${perm[s] + 1}`,
        );
        if (s === refPaths.length - 1) e.then(() => bar?.increment(), () => undefined);
        separated.push(e);
      });
      while (pool.pending > QUEUE_PER_THREAD * pool.threads && failure === null) await submitted[oldest++].catch(() => undefined);
    }
    mixtureResults = await Promise.all(mixture);
    separatedResults = await Promise.all(separated);
  } finally {
    bar?.stop();
    backend.close();
    await pool.close();
  }
  const g = scoreGroup(mixtureResults, separatedResults);
  const modelPath = resolve(opts.model);
  return {
    format: SEPARATION_SCORE_FORMAT,
    version: 1,
    command: opts.command ?? '',
    hushpackVersion: hushpackVersion(),
    split: 'test',
    model: {
      path: modelPath, sha256: fileSha256(modelPath), bytes: statSync(modelPath).size, arch: backend.arch, preset: backend.preset,
      backend: backend.kind, description: backend.model, speakers: backend.speakers,
    },
    corpus: { path: resolve(opts.corpusDir), corpusHash: hash },
    testset: { path: resolve(dir), listSha256: fileSha256(join(dir, 'list.csv')), mixturesInList: all.length, limit: opts.limit ?? null },
    metricsVersion: METRICS_VERSION,
    metrics: METRIC_KEYS,
    permutations,
    overall: { mixtures: rows.length, signals: g.count, mixture: g.mixture, separated: g.enhanced, delta: g.delta },
    separation: { seconds: separateSeconds, audioSeconds, rtf: audioSeconds > 0 ? separateSeconds / audioSeconds : 0 },
    started: started.toISOString(),
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Reads a separation score file (UserError when it is not one). */
export function separationScoreFileRead(path: string): SeparationScoreFile {
  let j: Partial<SeparationScoreFile>;
  try {
    j = JSON.parse(readFileSync(path, 'utf8')) as Partial<SeparationScoreFile>;
  } catch (err) {
    throw new UserError(`${path}: not a score file (${(err as Error).message})`);
  }
  if (j.format !== SEPARATION_SCORE_FORMAT || j.version !== 1 || !j.overall || !j.model) throw new UserError(`${path}: not a version-1 separation score file`);
  return j as SeparationScoreFile;
}

/** Plain-text summary: metric, mixture → separated (Δ). */
export function separationScoreText(s: SeparationScoreFile): string {
  const keys = ['estoi', 'pesq_nb', 'sisnr', 'sdr_bss', 'sdr', 'stoi'];
  const num = (v: number | string | null | undefined, d: number) => (typeof v === 'number' ? v.toFixed(d) : String(v ?? '–'));
  const lines = [
    `${s.model.description} (${s.model.backend}) on ${s.overall.mixtures} two-talker mixtures (${s.overall.signals} speaker signals), permutation by SI-SNR:`,
    ...keys.map((k) => {
      const d = k.includes('stoi') ? 4 : k.startsWith('pesq') ? 3 : 2;
      return `  ${k.padEnd(8)} ${num(s.overall.mixture[k], d)} → ${num(s.overall.separated[k], d)} (Δ ${num(s.overall.delta[k], d)})`;
    }),
    `  separation RTF ${s.separation.rtf.toFixed(3)} (${s.separation.seconds.toFixed(1)} s for ${s.separation.audioSeconds.toFixed(1)} s of audio)`,
  ];
  return lines.join('\n');
}
