/**
 * `hushpack corpus build|testset|separation|fixtures|stats`: the open speech + noise corpus
 * (shared/corpus/SOURCES.md + SOURCES-v2.md) — rebuild it from pinned Debian packages, write the fixed test sets
 * (enhancement; two-talker separation at 8 kHz), cut the committed test fixture from it, and summarise a corpus folder.
 */
import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/errors.js';
import { corpusBuild } from '../../src/data/builder/build.js';
import { progressSink } from '../../src/data/builder/progress.js';
import { openCorpus } from '../../src/data/corpus.js';
import { corpusStats, corpusStatsText } from '../../src/data/stats.js';
import { environmentTestsetWrite, testsetWrite, ENVIRONMENT_PER_CONDITION_DEFAULT, TESTSET_DIRS, TESTSET_PER_CONDITION_DEFAULT } from '../../src/data/testset.js';
import { fixturesMake } from '../../src/data/fixtures.js';
import { separationTestsetWrite, SEPARATION_TESTSET_COUNT_DEFAULT, SEPARATION_TESTSET_DIR } from '../../src/data/separation/testset.js';

/** Parses a positive integer option, naming the option in the error. */
function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${name} must be a positive integer, got '${value}'`);
  return n;
}

/** Parses an integer option (seeds may be 0 or negative). */
function integer(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new UserError(`${name} must be an integer, got '${value}'`);
  return n;
}

/** Registers `corpus` and its subcommands on `program`. */
export function register(program: Command): void {
  const corpus = program.command('corpus').description('build, test-set and fixture tools for the open speech + noise corpus');

  corpus
    .command('build')
    .description('download the pinned Debian packages and build the 16 kHz corpus, its manifest and test set (resumable)')
    .option('--out <dir>', 'corpus folder', './corpus')
    .option('--jobs <n>', 'parallel decoders', String(availableParallelism()))
    .option('--per-condition <n>', 'test mixtures per noise × SNR condition', String(TESTSET_PER_CONDITION_DEFAULT))
    .option('--seed <n>', 'seed of the babble and the test set', '0')
    .option('--no-testset', 'skip the test set stage')
    .option('--keep-work', 'keep the extracted packages in DIR/work')
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: { out: string; jobs: string; perCondition: string; seed: string; testset: boolean; keepWork?: boolean; json?: boolean }) => {
      const report = await corpusBuild({
        outDir: opts.out,
        jobs: positiveInt('--jobs', opts.jobs),
        seed: integer('--seed', opts.seed),
        testset: opts.testset ? { perCondition: positiveInt('--per-condition', opts.perCondition) } : false,
        keepWork: opts.keepWork,
        progress: progressSink(),
      });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      const m = report.speechMinutes;
      process.stdout.write(
        [
          `corpus in ${report.outDir}: ${report.clips} clips`,
          `speech minutes: train ${m.train ?? 0}, validation ${m.validation ?? 0}, test ${m.test ?? 0} (babble material ${m.babble ?? 0})`,
          `dropped: ${report.dropped.duplicate} duplicates, ${report.dropped.short} shorter than 0.1 s, ${report.dropped.sourceRate} outside the source-rate range`,
          `stages run: ${report.stagesRun.join(', ') || 'none'}; skipped (up to date): ${report.stagesSkipped.join(', ') || 'none'}`,
          `wall time ${report.wallSeconds.toFixed(1)} s`,
        ].join('\n') + '\n',
      );
    });

  corpus
    .command('testset')
    .description('(re)write the fixed test sets: DIR/testset ({babble, cafeteria} × {-5, 0, 5} dB) and DIR/testset-environment (recorded noise categories × {-5, 0, 5} dB)')
    .option('--corpus <dir>', 'corpus folder', './corpus')
    .option('--set <name>', 'paper, environment or all (environment needs a corpus v2)', 'all')
    .option('--per-condition <n>', `mixtures per condition (default ${TESTSET_PER_CONDITION_DEFAULT} paper, ${ENVIRONMENT_PER_CONDITION_DEFAULT} environment)`)
    .option('--seconds <x>', 'mixture length in seconds', '4')
    .option('--seed <n>', 'seed', '0')
    .option('--json', 'print one JSON object on stdout')
    .action((opts: { corpus: string; set: string; perCondition?: string; seconds: string; seed: string; json?: boolean }) => {
      const seconds = Number(opts.seconds);
      if (!(seconds > 0)) throw new UserError(`--seconds must be positive, got '${opts.seconds}'`);
      if (!['paper', 'environment', 'all'].includes(opts.set)) throw new UserError(`--set ${opts.set}: expected paper, environment or all`);
      const perCondition = opts.perCondition === undefined ? undefined : positiveInt('--per-condition', opts.perCondition);
      const seed = integer('--seed', opts.seed);
      const c = openCorpus(opts.corpus);
      const sink = progressSink();
      const written: { dir: string; mixtures: number }[] = [];
      try {
        if (opts.set !== 'environment') {
          const dir = join(opts.corpus, TESTSET_DIRS.paper);
          written.push({ dir, mixtures: testsetWrite(c, dir, { perCondition, seconds, seed }, sink).length });
        }
        if (opts.set !== 'paper') {
          const dir = join(opts.corpus, TESTSET_DIRS.environment);
          written.push({ dir, mixtures: environmentTestsetWrite(c, dir, { perCondition, seconds, seed }, sink).length });
        }
      } finally {
        sink.close();
      }
      if (opts.json) process.stdout.write(`${JSON.stringify({ sets: written })}\n`);
      else process.stdout.write(written.map((w) => `wrote ${w.mixtures} test mixtures to ${w.dir}\n`).join(''));
    });

  corpus
    .command('separation')
    .description(`write the fixed two-talker test set at 8 kHz (wsj0-2mix style: two test speakers, 0–5 dB, 'min' length) into DIR/${SEPARATION_TESTSET_DIR} (resumable; a complete set is left as is)`)
    .option('--corpus <dir>', 'corpus folder', './corpus')
    .option('--out <dir>', `output folder (default: <corpus>/${SEPARATION_TESTSET_DIR})`)
    .option('--count <n>', 'mixtures', String(SEPARATION_TESTSET_COUNT_DEFAULT))
    .option('--seed <n>', 'seed', '0')
    .option('--json', 'print one JSON object on stdout')
    .action((opts: { corpus: string; out?: string; count: string; seed: string; json?: boolean }) => {
      const count = positiveInt('--count', opts.count);
      const seed = integer('--seed', opts.seed);
      const dir = opts.out ?? join(opts.corpus, SEPARATION_TESTSET_DIR);
      const sink = progressSink(opts.json);
      let r;
      try {
        r = separationTestsetWrite(openCorpus(opts.corpus), dir, { count, seed }, sink);
      } finally {
        sink.close();
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(r)}\n`);
        return;
      }
      process.stdout.write(
        [
          `${r.dir}: ${r.mixtures} two-talker mixtures (${(r.seconds / 60).toFixed(1)} min), ${r.written} written by this run`,
          `test speakers: ${r.speakers.map((s) => `${s.name} (${s.utterances} utterances)`).join(', ')}; ${r.distinctPairs} distinct mixtures possible`,
        ].join('\n') + '\n',
      );
    });

  corpus
    .command('fixtures')
    .description('cut the tiny committed test corpus (test/fixtures/corpus) from a built corpus')
    .option('--corpus <dir>', 'built corpus folder', './corpus')
    .option('--out <dir>', 'fixture folder', 'test/fixtures/corpus')
    .option('--json', 'print one JSON object on stdout')
    .action((opts: { corpus: string; out: string; json?: boolean }) => {
      const r = fixturesMake(opts.corpus, opts.out);
      if (opts.json) process.stdout.write(`${JSON.stringify(r)}\n`);
      else process.stdout.write(`wrote ${r.files} clips (${r.seconds.toFixed(1)} s, ${(r.bytes / 1e6).toFixed(2)} MB) to ${r.outDir}\n`);
    });

  corpus
    .command('stats')
    .description('per split: minutes of speech, real speakers, languages, minutes of noise per category (from manifest.csv)')
    .option('--corpus <dir>', 'corpus folder', './corpus')
    .option('--json', 'print one JSON object on stdout')
    .action((opts: { corpus: string; json?: boolean }) => {
      const s = corpusStats(openCorpus(opts.corpus));
      process.stdout.write(opts.json ? `${JSON.stringify(s)}\n` : corpusStatsText(s));
    });
}
