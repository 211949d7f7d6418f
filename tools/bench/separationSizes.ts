/**
 * Writes docs/results/separation/sizes.md: Table VI's model sizes against the separation nets'
 * configurations, the search over the cited papers' configurations, and the edge presets' cost per
 * 10 ms (src/models/separation/report.ts; pure arithmetic, runs in well under a second).
 *
 * Usage: node dist/tools/bench/separationSizes.js [--out DIR]   (default: prints to stdout)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { separationSizesMarkdown } from '../../src/models/separation/report.js';
import { arg } from './args.js';

const out = arg('--out');
const text = separationSizesMarkdown();
if (out) {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'sizes.md'), text);
  process.stderr.write(`wrote ${join(out, 'sizes.md')}\n`);
} else process.stdout.write(text);
