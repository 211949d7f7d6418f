/**
 * `hushpack evalset --pairs LIST.tsv [--threads N] [--trim] [--json]`: the metrics of many pairs,
 * evaluated in parallel on worker threads, with per-pair rows and means. LIST.tsv is tab-separated
 * with a header naming `ref` and `deg` columns (paths relative to the list). With --json, stdout
 * gets one object {count, pairs: [{ref, deg, <metrics>}], mean: {<metrics>}}, infinities as
 * "inf"/"-inf". (A later issue adds --model/--corpus/--split for Table I rows.)
 */
import type { Command } from 'commander';
import { UserError } from '../../src/errors.js';
import { evaluatePairs, metricMeans } from '../../src/metrics/batch.js';
import { METRIC_KEYS, metricJson, metricResultJson, type MetricResult } from '../../src/metrics/evaluate.js';
import { pairListRead } from '../../src/metrics/pairList.js';
import { metricText } from './eval.js';

/** Registers `evalset` on `program`. */
export function register(program: Command): void {
  program
    .command('evalset')
    .description('speech-quality metrics of many reference/degraded pairs, in parallel, with means')
    .requiredOption('--pairs <file>', 'tab-separated list with "ref" and "deg" columns')
    .option('--threads <n>', 'worker threads (default: available cores)')
    .option('--trim', 'cut each pair to its shorter length instead of refusing different lengths')
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: { pairs: string; threads?: string; trim?: boolean; json?: boolean }) => {
      let threads: number | undefined;
      if (opts.threads !== undefined) {
        threads = Number(opts.threads);
        if (!Number.isInteger(threads) || threads < 1) throw new UserError(`--threads must be a positive integer, got '${opts.threads}'`);
      }
      const pairs = pairListRead(opts.pairs);
      const results = await evaluatePairs(pairs, {
        threads,
        trim: opts.trim,
        onNote: (m) => process.stderr.write(`hushpack evalset: ${m}\n`),
        onProgress: (done, total) => {
          if (process.stderr.isTTY) process.stderr.write(`\revaluated ${done}/${total}${done === total ? '\n' : ''}`);
        },
      });
      const means = metricMeans(results);
      if (opts.json) {
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
    });
}
