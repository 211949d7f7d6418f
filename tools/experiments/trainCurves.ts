/**
 * Writes docs/results/train/curves.md: per training log, the "has the validation curve
 * flattened?" numbers of src/train/curves.ts (the same ones `hushpack report --train-logs` prints
 * under each run's curves), with the runs' commands. Reads logs only: no libtorch, under a second.
 *
 * Usage (from the checkout's root, after npm run build:ts):
 *   node dist/tools/experiments/trainCurves.js [--out FILE] [PATH…]
 * PATH: training logs (*.log.jsonl), legs.jsonl, or folders searched for both; default
 * docs/results/train models/state. Without --out the markdown goes to stdout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../../src/errors.js';
import { curvesMarkdown } from '../../src/train/curves.js';
import { trainRunsRead } from '../../src/train/trainLog.js';

const argv = process.argv.slice(2);
const o = argv.indexOf('--out');
const out = o >= 0 ? argv[o + 1] : undefined;
const paths = o < 0 ? argv : argv.filter((_, i) => i !== o && i !== o + 1);
const command = `node dist/tools/experiments/trainCurves.js ${argv.join(' ')}`.trim();
try {
  const text = curvesMarkdown(trainRunsRead(paths.length ? paths : ['docs/results/train', 'models/state']), command);
  if (out) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
    process.stderr.write(`wrote ${out}\n`);
  } else process.stdout.write(text);
} catch (err) {
  if (!(err instanceof UserError)) throw err;
  process.stderr.write(`train-curves: ${err.message}\n`);
  process.exitCode = 1;
}
