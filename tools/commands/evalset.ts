/**
 * `hushpack evalset` in two modes:
 *
 * `--model M.safetensors|M.hush --corpus DIR [--split test] [--set paper|environment|all] [--limit N]
 *  [--out M.score.json] [--workers N] [--mixture-cache FILE] [--json]`: the model on the fixed test set DIR/testset
 * (hushpack corpus testset), Tan & Wang's Table I rows — per noise × SNR and overall, the means of
 * every metric for the unprocessed mixture and the enhanced signal (src/evaluate/testsetScore.ts).
 * Plain output: a metric × noise by SNR table of "mixture → enhanced"; --json prints the score
 * file (src/evaluate/scoreFile.ts), --out writes it. The mixtures' scores are cached in
 * DIR/testset/mixture-scores.json (or --mixture-cache). `--set paper|environment|all` (default all):
 * the paper set, the environmental set of corpus v2 (DIR/testset-environment: recorded test-split
 * noise per category), or both — then the score file is the paper set's with the environmental
 * set's conditions under `environment` (a v1 corpus has the paper set only, said on stderr).
 *
 * `--peer rnnoise|gtcrn|speex --corpus DIR --split test [...]`: the same for a peer from
 * @sapphi-red/web-noise-suppressor (src/peers/), run in Node through our AudioWorklet host at its own
 * rate, delay compensated; the score file adds a `peer` block (delay, bytes, µs per 10 ms).
 *
 * A separation model as --model — a checkpoint of `hushpack train --arch conv-tasnet|upit-lstm` (on
 * libtorch) or its `.hush` export (format 1.1, on the WASM Separator) — is scored on the two-talker
 * test set DIR/separation-test instead (hushpack corpus separation; Table VI:
 * src/evaluate/separationScore.ts, permutation by SI-SNR per mixture; --limit N = first N mixtures).
 *
 * `--pairs LIST.tsv [--workers N] [--trim] [--json]`: the metrics of many pairs, evaluated in
 * parallel on worker threads, with per-pair rows and means. LIST.tsv is tab-separated with a header
 * naming `ref` and `deg` columns (paths relative to the list). With --json, stdout gets one object
 * {count, pairs: [{ref, deg, <metrics>}], mean: {<metrics>}}, infinities as "inf"/"-inf".
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../src/errors.js';
import { progressSink } from '../../src/data/builder/progress.js';
import { evaluatePairs, metricMeans } from '../../src/metrics/batch.js';
import { METRIC_KEYS, metricJson, metricResultJson, type MetricResult } from '../../src/metrics/evaluate.js';
import { pairListRead } from '../../src/metrics/pairList.js';
import { testsetScore } from '../../src/evaluate/testsetScore.js';
import { BACKEND_LEVELS, type BackendLevel } from '../../src/evaluate/backend.js';
import { scoreFileMerge } from '../../src/evaluate/scoreFile.js';
import { TESTSET_DIRS } from '../../src/data/testset.js';
import { scoreText } from '../../src/evaluate/scoreText.js';
import { metricText } from './eval.js';
import { peerNameCheck, PEER_NAMES } from '../../src/peers/catalog.js';
import { workersOptionAdd, workersOptionValue } from '../workersOption.js';
import { isSeparationMetadata, safetensorsMetadataRead } from '../../src/train/separation/checkpoint.js';
import { hushValidate } from '../../src/format/validate.js';
import { readHush } from '../../src/format/reader.js';
import { hushModelInfo } from '../../runtime/core/hushInfo.js';

/** Corpus splits with fixed test sets (DIR/testset*, written by hushpack corpus testset from the test split). */
const EVALSET_SPLITS = ['test'] as const;
/** The fixed test sets of a split (src/data/testset.ts TESTSET_DIRS), or all of them. */
const EVALSET_SETS = ['paper', 'environment', 'all'] as const;

interface EvalsetOptions {
  pairs?: string;
  model?: string;
  peer?: string;
  corpus?: string;
  split?: string;
  set?: string;
  limit?: string;
  out?: string;
  mixtureCache?: string;
  workers?: string;
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

/**
 * Whether `path` is a speaker-separation model: a `.safetensors` checkpoint whose metadata says so, or
 * a `.hush` file of task 'separate'. A `.hush` that cannot be read or that the reader rejects stops
 * here with the reader's message naming the file (before any test set is looked at); other files
 * take the enhancement path, which reports their problems.
 */
function isSeparationModel(path: string): boolean {
  const lower = path.toLowerCase();
  if (lower.endsWith('.safetensors')) return existsSync(path) && isSeparationMetadata(safetensorsMetadataRead(path));
  if (!lower.endsWith('.hush')) return false;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new UserError(`${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (!hushValidate(bytes).ok) return readHush(bytes, path).task === 'separate'; // the reader throws its HushFormatError, naming the file
  return hushModelInfo(bytes).task === 'separate';
}

/** The --model and --peer modes. */
async function modelMode(o: EvalsetOptions, threads: number | undefined): Promise<void> {
  const what = o.peer !== undefined ? '--peer' : '--model';
  if (o.pairs !== undefined) throw new UserError(`--pairs and ${what} are two modes of evalset; give one`);
  if (o.model !== undefined && o.peer !== undefined) throw new UserError('--model and --peer: score one of them per run');
  if (o.model !== undefined && isSeparationModel(o.model)) return separationMode(o, threads);
  const peer = o.peer === undefined ? undefined : peerNameCheck(o.peer);
  if (o.peer !== undefined && o.level !== undefined) throw new UserError('--level applies to our models (--model); a peer takes the file at its own level');
  if (o.corpus === undefined) throw new UserError(`${what} needs --corpus DIR (the corpus with testset/)`);
  const split = o.split ?? 'test';
  if (!(EVALSET_SPLITS as readonly string[]).includes(split)) {
    throw new UserError(`--split ${split}: the splits with fixed test sets are ${EVALSET_SPLITS.join(', ')} (train and validation have none; validation numbers come from hushpack train/compress)`);
  }
  if (o.trim) throw new UserError('--trim applies to --pairs only');
  const set = o.set ?? 'all';
  if (!(EVALSET_SETS as readonly string[]).includes(set)) throw new UserError(`--set ${set}: expected ${EVALSET_SETS.slice(0, -1).join(', ')} or ${EVALSET_SETS[EVALSET_SETS.length - 1]}`);
  const corpus = o.corpus;
  // --set all scores the environmental set when the corpus has one (corpus v2; v1 corpora have only the paper set).
  const environment = set === 'environment' || (set === 'all' && existsSync(join(corpus, TESTSET_DIRS.environment, 'manifest.csv')));
  // --mixture-cache F names the cache of the set scored; with --set all the environmental set's is F-environment.json.
  const cacheFor = (which: 'paper' | 'environment'): string | undefined =>
    o.mixtureCache === undefined || set !== 'all' || which === 'paper' ? o.mixtureCache : o.mixtureCache.replace(/(\.json)?$/, '-environment.json');
  const ui = progressSink(false);
  try {
    const run = (which: 'paper' | 'environment') =>
      testsetScore({
        model: o.model, peer, corpusDir: corpus, set: which, limit: positiveInt('--limit', o.limit), threads, mixtureCache: cacheFor(which),
        progress: ui, onNote: (m) => ui.log(`evalset: ${m}`), command: process.argv.slice(1).join(' '), level: backendLevel(o.level),
      });
    let score = await run(set === 'environment' ? 'environment' : 'paper');
    if (set === 'all' && environment) score = scoreFileMerge(score, await run('environment'));
    else if (set === 'all') ui.log(`evalset: ${join(corpus, TESTSET_DIRS.environment)} does not exist (a corpus v1?): scored the paper set only`);
    if (o.out) {
      mkdirSync(dirname(o.out), { recursive: true });
      writeFileSync(o.out, `${JSON.stringify(score, null, 1)}\n`);
    }
    process.stdout.write(o.json ? `${JSON.stringify(score)}\n` : `${scoreText(score)}\n`);
  } finally {
    ui.close();
  }
}

/** --model of a separation net: the two-talker test set (src/evaluate/separationScore.ts, Table VI). */
async function separationMode(o: EvalsetOptions, threads: number | undefined): Promise<void> {
  if (o.corpus === undefined) throw new UserError('--model needs --corpus DIR (the corpus with separation-test/, hushpack corpus separation)');
  if ((o.split ?? 'test') !== 'test') throw new UserError(`--split ${o.split}: the two-talker set is the test split's`);
  for (const f of ['set', 'level', 'mixtureCache', 'trim'] as const) {
    if (o[f] !== undefined) throw new UserError(`--${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} applies to enhancement models; ${o.model} is a separation net`);
  }
  const { separationScore, separationScoreText } = await import('../../src/evaluate/separationScore.js');
  const ui = progressSink(false);
  try {
    const score = await separationScore({
      model: o.model!, corpusDir: o.corpus, limit: positiveInt('--limit', o.limit), threads, progress: ui,
      onNote: (m) => ui.log(`evalset: ${m}`), command: process.argv.slice(1).join(' '),
    });
    if (o.out) {
      mkdirSync(dirname(o.out), { recursive: true });
      writeFileSync(o.out, `${JSON.stringify(score, null, 1)}\n`);
    }
    process.stdout.write(o.json ? `${JSON.stringify(score)}\n` : `${separationScoreText(score)}\n`);
  } finally {
    ui.close();
  }
}

/** The --pairs mode. */
async function pairsMode(o: EvalsetOptions, threads: number | undefined): Promise<void> {
  for (const f of ['corpus', 'split', 'set', 'limit', 'out', 'mixtureCache', 'level'] as const) {
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
  const cmd = program
    .command('evalset')
    .description('score a model (--model) or a peer (--peer) on the fixed test set (Table I rows), or the metrics of many reference/degraded pairs (--pairs)')
    .option('--model <file>', 'M.safetensors (libtorch) or M.hush (WASM runtime) to score on the test set')
    .option('--peer <name>', `a peer noise suppressor to score on the test set instead: ${PEER_NAMES.join('|')} (@sapphi-red/web-noise-suppressor)`)
    .option('--corpus <dir>', 'corpus folder with testset/ (hushpack corpus testset)')
    .option('--split <name>', `the corpus split whose fixed test sets are scored: ${EVALSET_SPLITS.join(', ')} (train and validation have no fixed sets)`, 'test')
    .option('--set <name>', 'which fixed test set of the split: paper (babble/cafeteria), environment (recorded noise categories; corpus v2) or all (every one the corpus has)', 'all')
    .option('--limit <n>', 'score only the first N pairs of each condition (quick runs)')
    .option('--out <file>', 'write the score file (JSON) here, e.g. M.score.json')
    .option('--level <mode>', 'with --model: how the input level reaches the net: global (unit RMS over the whole file, as `enhance` does) or track (the live runtime\'s causal level tracker from a fresh state)', 'global')
    .option('--mixture-cache <file>', 'cache of the mixtures\' scores (default: mixture-scores.json in the test set folder; with --set all, FILE-environment.json for the environmental set)')
    .option('--pairs <file>', 'tab-separated list with "ref" and "deg" columns');
  workersOptionAdd(cmd)
    .option('--trim', 'with --pairs: cut each pair to its shorter length instead of refusing different lengths')
    .option('--json', 'print one JSON object on stdout')
    .action(async (o: EvalsetOptions, command: Command) => {
      // defaults shown by --help; left unset here so that the modes can tell a flag given from one not
      for (const k of ['split', 'set', 'level'] as const) if (command.getOptionValueSource(k) === 'default') delete o[k];
      const threads = workersOptionValue(o, 'evalset');
      if (o.model !== undefined || o.peer !== undefined) return modelMode(o, threads);
      if (o.pairs !== undefined) return pairsMode(o, threads);
      throw new UserError('evalset needs --model M --corpus DIR (the test set), --peer NAME --corpus DIR, or --pairs LIST.tsv');
    });
}
