/**
 * `hushpack corpus build`: rebuilds a corpus from its recipe (default: the open corpus of
 * shared/corpus/SOURCES.md) on any Debian/Ubuntu machine, reproducibly and resumably.
 *
 * Stages (each skipped when its stamp in DIR/.stamps holds the current recipe key):
 *   debs      apt-get download NAME=VERSION into DIR/debs; SHA-256 against the pins and
 *             DIR/debs/SHA256SUMS (always verified, never re-downloaded)
 *   licences  dpkg-deb -x each package into DIR/work/root/PKG (private, nothing installed);
 *             /usr/share/doc/PKG/copyright → DIR/licences/PKG.copyright
 *   unpack    archives (opensfx.cat in TS, .ocg groups with c4group) → DIR/work/unpack
 *   decode    every selected source file → 16 kHz mono 16-bit WAV under DIR/speech, DIR/noise,
 *             jobs in parallel; each result is logged in DIR/work/decode-index.jsonl the moment
 *             its WAV is renamed into place, so an interrupted decode resumes where it stopped
 *   manifest  drop clips < 0.1 s (a recipe may lower it per item: keystrokes), outside a recipe's
 *             source-rate range, and duplicates by the SHA-256 of the decoded 16 kHz PCM (the copy
 *             of the oldest corpus version is kept, then the first by path); build the babble; write DIR/manifest.csv
 *             and DIR/corpus.json (packages, checksums, tool versions, minutes per split)
 *   testset   DIR/testset (paper set) and, when the corpus has categorised test noise,
 *             DIR/testset-environment (src/data/testset.ts)
 * After the decode stage DIR/work/root and DIR/work/unpack are deleted (unless keepWork): they
 * are only needed by stages that are now stamped.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { SAMPLE_RATE_HZ } from '../../dsp/constants.js';
import { encodeWav } from '../wav.js';
import { manifestFormat, manifestSpeechMinutes, type ManifestRow } from '../manifest.js';
import { openCorpus } from '../corpus.js';
import { environmentTestsetWrite, testsetWrite, ENVIRONMENT_CATEGORIES, ENVIRONMENT_PER_CONDITION_DEFAULT, TESTSET_DIRS, type TestsetOptions } from '../testset.js';
import { aptDownload, debExtract, debFind, debsEnsure, type DebFetcher, type DebRecord } from './debs.js';
import { audioDecode, decoderVersions, g722DecodeBatch, G722_BATCH_FILES, type DecodedAudio } from './decode.js';
import { poolRun } from './run.js';
import { fileWriteAtomic, sha256Hex, stampValid, stampWrite } from './stamps.js';
import { progressSink, type ProgressSink } from './progress.js';
import { babbleClip, babbleWav, type BabbleVoice } from './babble.js';
import { OPEN_CORPUS_RECIPE } from './openCorpus.js';
import type { CorpusRecipe, RecipeContext, SourceItem } from './recipe.js';

/** Clips shorter than this are dropped (SOURCES.md). */
export const CLIP_MIN_SECONDS = 0.1;

/** Options of `corpusBuild`. */
export interface CorpusBuildOptions {
  outDir: string;
  /** Parallel decoders (default: available cores). */
  jobs?: number;
  recipe?: CorpusRecipe;
  /** How missing .debs are obtained (default: apt-get download). */
  fetch?: DebFetcher;
  /** Seed of the babble and the test set (default 0). */
  seed?: number;
  /** Test set options; `false` skips the test set stage. */
  testset?: TestsetOptions | false;
  /** Keep DIR/work/root and DIR/work/unpack after the build. */
  keepWork?: boolean;
  /** Progress and log sink (default: stderr with progress bars). */
  progress?: ProgressSink;
}

/** What a build did and what the corpus holds. */
export interface CorpusBuildReport {
  outDir: string;
  /** Stages that did work in this run, and stages skipped because their stamp was current. */
  stagesRun: string[];
  stagesSkipped: string[];
  /** Packages downloaded in this run (empty on a re-run). */
  downloaded: string[];
  /** Source files decoded in this run. */
  decoded: number;
  debs: DebRecord[];
  clips: number;
  /** Speech minutes per manifest split (train/validation/test, and babble material). */
  speechMinutes: Record<string, number>;
  /** Noise minutes per manifest split. */
  noiseMinutes: Record<string, number>;
  dropped: { short: number; sourceRate: number; duplicate: number };
  wallSeconds: number;
}

/** One line of DIR/work/decode-index.jsonl. */
interface DecodeRecord extends Omit<SourceItem, 'input' | 'sourceRateRangeHz' | 'minSeconds'> {
  sourceRateHz: number;
  samples: number;
  sha256: string;
  /** Why the clip was not written ('' when it was). */
  dropped: '' | 'short' | 'source-rate';
}

/** Builds (or completes, or verifies) the corpus in `opts.outDir`. */
export async function corpusBuild(opts: CorpusBuildOptions): Promise<CorpusBuildReport> {
  const sink = opts.progress ?? progressSink();
  try {
    return await corpusBuildStages({ ...opts, progress: sink });
  } finally {
    sink.close();
  }
}

async function corpusBuildStages(opts: CorpusBuildOptions & { progress: ProgressSink }): Promise<CorpusBuildReport> {
  const t0 = Date.now();
  const recipe = opts.recipe ?? OPEN_CORPUS_RECIPE;
  const out = opts.outDir;
  const jobs = Math.max(1, opts.jobs ?? availableParallelism());
  const seed = opts.seed ?? 0;
  const sink = opts.progress;
  const work = join(out, 'work');
  const debsDir = join(out, 'debs');
  mkdirSync(work, { recursive: true });
  // Stage keys: the recipe and its package pins; the seed only matters from the babble on.
  const key = sha256Hex(JSON.stringify({ v: recipe.version, p: recipe.packages.map((p) => `${p.name}=${p.version}`) })).slice(0, 16);
  const seededKey = sha256Hex(JSON.stringify({ key, seed, babble: recipe.babble })).slice(0, 16);
  const report: CorpusBuildReport = {
    outDir: out, stagesRun: [], stagesSkipped: [], downloaded: [], decoded: 0, debs: [], clips: 0,
    speechMinutes: {}, noiseMinutes: {}, dropped: { short: 0, sourceRate: 0, duplicate: 0 }, wallSeconds: 0,
  };

  // debs: always verified.
  const bar = sink.bar('debs', recipe.packages.length);
  report.debs = await debsEnsure(recipe.packages, debsDir, {
    fetch: opts.fetch ?? aptDownload,
    log: sink.log,
    onPackage: (pkg, downloaded) => {
      if (downloaded) report.downloaded.push(`${pkg.name}=${pkg.version}`);
      bar.increment();
    },
  });
  bar.stop();
  (report.downloaded.length > 0 ? report.stagesRun : report.stagesSkipped).push('debs');

  const ctx: RecipeContext = {
    unpackDir: join(work, 'unpack'),
    root: async (name) => {
      const pkg = recipe.packages.find((p) => p.name === name);
      if (!pkg) throw new Error(`recipe uses package ${name} that it does not pin`);
      const root = join(work, 'root', name);
      await debExtract(join(debsDir, debFind(debsDir, pkg)!), pkg, root, join(out, 'licences', `${name}.copyright`));
      return root;
    },
  };
  const stage = async (name: string, body: () => Promise<void>, stageKey = key) => {
    if (stampValid(out, name, stageKey)) {
      report.stagesSkipped.push(name);
      return;
    }
    sink.log(`stage ${name}`);
    await body();
    stampWrite(out, name, stageKey);
    report.stagesRun.push(name);
  };

  await stage('licences', async () => {
    const b = sink.bar('extract', recipe.packages.length);
    for (const p of recipe.packages) {
      await ctx.root(p.name);
      b.increment();
    }
    b.stop();
  });

  await stage('unpack', async () => {
    await recipe.unpack(ctx);
  });

  const indexPath = join(work, 'decode-index.jsonl');
  const selectionPath = join(work, 'selection.json');
  await stage('decode', async () => {
    const items = await recipe.select(ctx);
    const outs = new Set<string>();
    for (const it of items) {
      if (outs.has(it.out)) throw new Error(`recipe ${recipe.version}: two sources map to ${it.out}`);
      outs.add(it.out);
    }
    fileWriteAtomic(selectionPath, JSON.stringify(items.map((i) => i.key)) + '\n');
    const done = decodeIndexRead(indexPath);
    // A crash can leave a torn last line; start appends on a fresh line so they stay parseable.
    if (existsSync(indexPath) && !readFileSync(indexPath, 'utf8').endsWith('\n') && statSync(indexPath).size > 0) appendFileSync(indexPath, '\n');
    const todo = items.filter((it) => {
      const r = done.get(it.key);
      return !(r && r.out === it.out && (r.dropped !== '' || existsSync(join(out, it.out))));
    });
    sink.log(`decoding ${todo.length} of ${items.length} source files with ${jobs} parallel decoders`);
    const b = sink.bar('decode', todo.length);
    // Tasks: batches of G.722 prompts (one ffmpeg each), single files otherwise.
    const g722 = todo.filter((it) => it.decoder === 'g722');
    const tasks: SourceItem[][] = todo.filter((it) => it.decoder !== 'g722').map((it) => [it]);
    for (let k = 0; k < g722.length; k += G722_BATCH_FILES) tasks.unshift(g722.slice(k, k + G722_BATCH_FILES));
    await poolRun(tasks, jobs, async (task) => {
      const decoded = task[0].decoder === 'g722' ? await g722DecodeBatch(task.map((it) => it.input), join(work, 'tmp')) : [await audioDecode(task[0].decoder, task[0].input)];
      task.forEach((it, k) => keep(it, decoded[k]));
    });
    b.stop();

    /** Writes one decoded clip (unless dropped) and logs it. */
    function keep(it: SourceItem, { pcm, sourceRateHz }: DecodedAudio): void {
      const samples = pcm.length / 2;
      const range = it.sourceRateRangeHz;
      let dropped: DecodeRecord['dropped'] = '';
      if (range && (sourceRateHz < range[0] || sourceRateHz > range[1])) dropped = 'source-rate';
      else if (samples < (it.minSeconds ?? CLIP_MIN_SECONDS) * SAMPLE_RATE_HZ) dropped = 'short';
      if (dropped === '') {
        const x = new Float32Array(samples);
        for (let i = 0; i < samples; i++) x[i] = pcm.readInt16LE(2 * i) / 32768;
        fileWriteAtomic(join(out, it.out), encodeWav({ sampleRate: SAMPLE_RATE_HZ, channels: [x] }, 'pcm16'));
      }
      const { input: _input, sourceRateRangeHz: _range, minSeconds: _min, ...meta } = it;
      const rec: DecodeRecord = { ...meta, sourceRateHz, samples, sha256: sha256Hex(pcm), dropped };
      appendFileSync(indexPath, JSON.stringify(rec) + '\n');
      report.decoded++;
      b.increment();
    }
  });

  // The extracted packages are only read by the stages above: free their disk before the
  // manifest and test set (v2's packages hold ~2 GB of extracted audio).
  const workClean = () => {
    if (!opts.keepWork) for (const d of ['root', 'unpack']) rmSync(join(work, d), { recursive: true, force: true });
  };
  workClean();

  await stage('manifest', async () => {
    const keys = JSON.parse(readFileSync(selectionPath, 'utf8')) as string[];
    const index = decodeIndexRead(indexPath);
    const records = keys.map((k) => {
      const r = index.get(k);
      if (!r) throw new Error(`${indexPath}: no decode record for ${k}; delete ${join(out, '.stamps')} and rerun`);
      return r;
    });
    // Duplicates keep the copy of the oldest corpus version, then the first by path: a v2 package
    // that ships a copy of a v1 recording never moves that recording (v1's splits, test set and
    // babble stay as they were).
    const since = (pkg: string) => recipe.packages.find((p) => p.name === pkg)?.since ?? 1;
    records.sort((a, b) => since(a.package) - since(b.package) || (a.out < b.out ? -1 : a.out > b.out ? 1 : 0));
    const seen = new Map<string, string>();
    const rows: ManifestRow[] = [];
    for (const r of records) {
      if (r.dropped === 'short') report.dropped.short++;
      if (r.dropped === 'source-rate') report.dropped.sourceRate++;
      if (r.dropped !== '') continue;
      const first = seen.get(r.sha256);
      if (first !== undefined) {
        report.dropped.duplicate++;
        rmSync(join(out, r.out), { force: true });
        continue;
      }
      seen.set(r.sha256, r.out);
      rows.push({
        path: r.out, role: r.role, group: r.group, lang: r.lang, package: r.package, licence: r.licence,
        sourceRateHz: r.sourceRateHz, seconds: r.samples / SAMPLE_RATE_HZ, split: r.split, category: r.category ?? '',
      });
    }
    rows.push(...babbleBuild(out, rows, recipe, seed, sink));
    rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    fileWriteAtomic(join(out, 'manifest.csv'), manifestFormat(rows));
    const info = {
      recipe: recipe.version,
      seed,
      packages: report.debs.map((d) => ({ ...d, licence: recipe.packages.find((p) => p.name === d.package)?.licence })),
      tools: await decoderVersions(),
      babble: recipe.babble,
      clips: rows.length,
      dropped: report.dropped,
      speechMinutes: roundAll(manifestSpeechMinutes(rows)),
      noiseMinutes: roundAll(noiseMinutes(rows)),
    };
    fileWriteAtomic(join(out, 'corpus.json'), JSON.stringify(info, null, 2) + '\n');
  }, seededKey);

  const info = JSON.parse(readFileSync(join(out, 'corpus.json'), 'utf8')) as { dropped: CorpusBuildReport['dropped']; speechMinutes: Record<string, number>; noiseMinutes: Record<string, number>; clips: number };
  report.dropped = info.dropped;
  report.speechMinutes = info.speechMinutes;
  report.noiseMinutes = info.noiseMinutes;
  report.clips = info.clips;

  if (opts.testset !== false) {
    const ts = opts.testset ?? {};
    // The environmental set needs categorised test noise: only recipes that have it get one.
    const corpus = openCorpus(out);
    const environment = corpus.clips.some((c) => c.split === 'test' && ENVIRONMENT_CATEGORIES.includes(c.category));
    const env = environment ? { categories: ENVIRONMENT_CATEGORIES, perCondition: ENVIRONMENT_PER_CONDITION_DEFAULT } : null;
    // The key of a build without an environmental set is that of the v1 code, so v1 corpora stay stamped.
    const tsKey = sha256Hex(JSON.stringify(env ? { seededKey, ts, env } : { seededKey, ts })).slice(0, 16);
    if (stampValid(out, 'testset', tsKey)) report.stagesSkipped.push('testset');
    else {
      sink.log('stage testset');
      testsetWrite(corpus, join(out, TESTSET_DIRS.paper), { seed, ...ts }, sink);
      if (env) {
        const perCondition = Math.min(env.perCondition, ts.perCondition ?? env.perCondition);
        environmentTestsetWrite(corpus, join(out, TESTSET_DIRS.environment), { seed, seconds: ts.seconds, snrsDb: ts.snrsDb, categories: env.categories, perCondition }, sink);
      }
      stampWrite(out, 'testset', tsKey);
      report.stagesRun.push('testset');
    }
  }

  workClean();
  report.wallSeconds = (Date.now() - t0) / 1000;
  return report;
}

function roundAll(m: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Math.round(v * 100) / 100]));
}

function noiseMinutes(rows: readonly ManifestRow[]): Record<string, number> {
  const o: Record<string, number> = {};
  for (const r of rows) if (r.role === 'noise') o[r.split] = (o[r.split] ?? 0) + r.seconds / 60;
  return o;
}

/** Reads the decode log; the last record of a key wins; a torn last line (crash) is ignored. */
function decodeIndexRead(path: string): Map<string, DecodeRecord> {
  const m = new Map<string, DecodeRecord>();
  if (!existsSync(path)) return m;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const r = JSON.parse(line) as DecodeRecord;
      m.set(r.key, r);
    } catch {
      // an interrupted append; that item is simply decoded again
    }
  }
  return m;
}

/** Writes the babble clips (noise/babble/babble_NNN.wav) and returns their manifest rows. */
function babbleBuild(out: string, rows: readonly ManifestRow[], recipe: CorpusRecipe, seed: number, sink: ProgressSink): ManifestRow[] {
  const spec = recipe.babble;
  if (spec.clips === 0) return [];
  const byVoice = new Map<string, string[]>();
  for (const r of rows) {
    if (r.split !== 'babble') continue;
    byVoice.set(r.group, [...(byVoice.get(r.group) ?? []), r.path]);
  }
  const voices: BabbleVoice[] = [...byVoice].map(([name, paths]) => ({ name, paths }));
  if (voices.length === 0) throw new UserError(`recipe ${recipe.version}: no babble voices (split 'babble') survived decoding`);
  sink.log(`building ${spec.clips} babble clips of ${spec.seconds} s from ${voices.length} voices`);
  const cache = new Map<string, Float64Array | null>();
  const result: ManifestRow[] = [];
  const b = sink.bar('babble', spec.clips);
  for (let k = 0; k < spec.clips; k++) {
    const path = `noise/babble/babble_${String(k).padStart(3, '0')}.wav`;
    fileWriteAtomic(join(out, path), babbleWav(babbleClip(out, voices, spec, seed, k, cache)));
    result.push({
      path, role: 'noise', group: 'babble', lang: 'mul', package: spec.package, licence: spec.licence,
      sourceRateHz: SAMPLE_RATE_HZ, seconds: Math.round(spec.seconds * SAMPLE_RATE_HZ) / SAMPLE_RATE_HZ, split: 'test', category: 'crowd',
    });
    b.increment();
  }
  b.stop();
  return result;
}
