/**
 * `hushpack evalset` in two modes:
 *
 * `--model M.safetensors|M.hush --corpus DIR --split test [--limit N] [--out M.score.json]
 *  [--threads N] [--mixture-cache FILE] [--json]`: the model on the fixed test set DIR/testset
 * (hushpack corpus testset), Tan & Wang's Table I rows — per noise × SNR and overall, the means of
 * every metric for the unprocessed mixture and the enhanced signal (src/evaluate/testsetScore.ts).
 * Plain output: a metric × noise by SNR table of "mixture → enhanced"; --json prints the score
 * file (src/evaluate/scoreFile.ts), --out writes it. The mixtures' scores are cached in
 * DIR/testset/mixture-scores.json (or --mixture-cache).
 *
 * `--peer rnnoise|gtcrn|speex --corpus DIR --split test [...]`: the same for a peer from
 * @sapphi-red/web-noise-suppressor (src/peers/), run in Node through our AudioWorklet host at its own
 * rate, delay compensated; the score file adds a `peer` block (delay, bytes, µs per 10 ms).
 *
 * `--pairs LIST.tsv [--threads N] [--trim] [--json]`: the metrics of many pairs, evaluated in
 * parallel on worker threads, with per-pair rows and means. LIST.tsv is tab-separated with a header
 * naming `ref` and `deg` columns (paths relative to the list). With --json, stdout gets one object
 * {count, pairs: [{ref, deg, <metrics>}], mean: {<metrics>}}, infinities as "inf"/"-inf".
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../src/errors.js';
import { progressSink } from '../../src/data/builder/progress.js';
import { evaluatePairs, metricMeans } from '../../src/metrics/batch.js';
import { METRIC_KEYS, metricJson, metricResultJson, type MetricResult } from '../../src/metrics/evaluate.js';
import { pairListRead } from '../../src/metrics/pairList.js';
import { testsetScore } from '../../src/evaluate/testsetScore.js';
import { BACKEND_LEVELS, type BackendLevel } from '../../src/evaluate/backend.js';
import { scoreText } from '../../src/evaluate/scoreText.js';
import { metricText } from './eval.js';
import { peerNameCheck, PEER_NAMES } from '../../src/peers/catalog.js';

interface EvalsetOptions {
  pairs?: string;
  model?: string;
  peer?: string;
  corpus?: string;
  split?: string;
  limit?: string;
  out?: string;
  mixtureCache?: string;
  threads?: string;
  trim?: boolean;
  json?: boolean;
  level?: string;
}

function positiveInt(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag} must be a positive integer, got '${raw}'`);
  return n;
}

/** Parses --level. */
function backendLevel(raw: string | undefined): BackendLevel {
  if (raw === undefined) return 'global';
  if (!(BACKEND_LEVELS as readonly string[]).includes(raw)) throw new UserError(`--level must be ${BACKEND_LEVELS.join(' or ')}, got '${raw}'`);
  return raw as BackendLevel;
}

/** The --model and --peer modes. */
async function modelMode(o: EvalsetOptions, threads: number | undefined): Promise<void> {
  const what = o.peer !== undefined ? '--peer' : '--model';
  if (o.pairs !== undefined) throw new UserError(`--pairs and ${what} are two modes of evalset; give one`);
  if (o.model !== undefined && o.peer !== undefined) throw new UserError('--model and --peer: score one of them per run');
  const peer = o.peer === undefined ? undefined : peerNameCheck(o.peer);
  if (o.peer !== undefined && o.level !== undefined) throw new UserError('--level applies to our models (--model); a peer takes the file at its own level');
  if (o.corpus === undefined) throw new UserError(`${what} needs --corpus DIR (the corpus with testset/)`);
  const split = o.split ?? 'test';
  if (split !== 'test') throw new UserError(`--split ${split}: only the fixed test set (--split test) is scored; validation numbers come from hushpack train/compress`);
  if (o.trim) throw new UserError('--trim applies to --pairs only');
  const ui = progressSink(false);
  try {
    const score = await testsetScore({
      model: o.model, peer, corpusDir: o.corpus, limit: positiveInt('--limit', o.limit), threads, mixtureCache: o.mixtureCache,
      progress: ui, onNote: (m) => ui.log(`evalset: ${m}`), command: process.argv.slice(1).join(' '), level: backendLevel(o.level),
    });
    if (o.out) {
      mkdirSync(dirname(o.out), { recursive: true });
      writeFileSync(o.out, `${JSON.stringify(score, null, 1)}\n`);
    }
    process.stdout.write(o.json ? `${JSON.stringify(score)}\n` : `${scoreText(score)}\n`);
  } finally {
    ui.close();
  }
}

/** The --pairs mode. */
async function pairsMode(o: EvalsetOptions, threads: number | undefined): Promise<void> {
  for (const f of ['corpus', 'split', 'limit', 'out', 'mixtureCache', 'level'] as const) {
    if (o[f] !== undefined) throw new UserError(`--${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} applies to --model and --peer only`);
  }
  const pairs = pairListRead(o.pairs!);
  const results = await evaluatePairs(pairs, {
    threads,
    trim: o.trim,
    onNote: (m) => process.stderr.write(`hushpack evalset: ${m}\n`),
    onProgress: (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\revaluated ${done}/${total}${done === total ? '\n' : ''}`);
    },
  });
  const means = metricMeans(results);
  if (o.json) {
    const mean: Record<string, number | string | null> = {};
    for (const k of METRIC_KEYS) mean[k] = metricJson(means[k]);
    const rows = results.map((r, i) => ({ ref: pairs[i].ref, deg: pairs[i].deg, ...metricResultJson(r) }));
    process.stdout.write(`${JSON.stringify({ count: results.length, pairs: rows, mean })}\n`);
    return;
  }
  const head = ['deg', ...METRIC_KEYS];
  const body = results.map((r: MetricResult, i) => [pairs[i].deg, ...METRIC_KEYS.map((k) => metricText(k, r[k]))]);
  body.push([`mean of ${results.length}`, ...METRIC_KEYS.map((k) => metricText(k, means[k]))]);
  process.stdout.write(`${[head, ...body].map((cols) => cols.join('\t')).join('\n')}\n`);
}

/** Registers `evalset` on `program`. */
export function register(program: Command): void {
  program
    .command('evalset')
    .description('score a model (--model) or a peer (--peer) on the fixed test set (Table I rows), or the metrics of many reference/degraded pairs (--pairs)')
    .option('--model <file>', 'M.safetensors (libtorch) or M.hush (WASM runtime) to score on the test set')
    .option('--peer <name>', `a peer noise suppressor to score on the test set instead: ${PEER_NAMES.join('|')} (@sapphi-red/web-noise-suppressor)`)
    .option('--corpus <dir>', 'corpus folder with testset/ (hushpack corpus testset)')
    .option('--split <name>', 'which set to score: test (the only one)', 'test')
    .option('--limit <n>', 'score only the first N pairs of each condition (quick runs)')
    .option('--out <file>', 'write the score file (JSON) here, e.g. M.score.json')
    .option('--level <mode>', 'with --model: how the input level reaches the net: global (unit RMS over the whole file, as `enhance` does; default) or track (the live runtime\'s causal level tracker from a fresh state)')
    .option('--mixture-cache <file>', 'cache of the mixtures\' scores (default: DIR/testset/mixture-scores.json)')
    .option('--pairs <file>', 'tab-separated list with "ref" and "deg" columns')
    .option('--threads <n>', 'metric worker threads (default: available cores)')
    .option('--trim', 'with --pairs: cut each pair to its shorter length instead of refusing different lengths')
    .option('--json', 'print one JSON object on stdout')
    .action(async (o: EvalsetOptions) => {
      const threads = positiveInt('--threads', o.threads);
      if (o.model !== undefined || o.peer !== undefined) return modelMode(o, threads);
      if (o.pairs !== undefined) return pairsMode({ ...o, split: undefined }, threads);
      throw new UserError('evalset needs --model M --corpus DIR (the test set), --peer NAME --corpus DIR, or --pairs LIST.tsv');
    });
}
