// Bundles the browser-side code with esbuild: the web API (HushNode and loader) and the worklet
// processor, as ESM files under dist/web/. Entry points that do not exist yet are skipped with a
// note, so the build stays green while the runtime grows issue by issue.
import { build } from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';

const entries = [
  { in: 'runtime/web/index.ts', out: 'dist/web/hushpack-web.js' },
  { in: 'runtime/worklet/workletProcessor.ts', out: 'dist/web/hush-worklet.js' },
];
mkdirSync('dist/web', { recursive: true });
for (const e of entries) {
  if (!existsSync(e.in)) {
    console.error(`build-bundles: ${e.in} not present yet, skipped`);
    continue;
  }
  await build({
    entryPoints: [e.in],
    outfile: e.out,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    sourcemap: true,
    legalComments: 'linked',
  });
  console.error(`build-bundles: ${e.out}`);
}
