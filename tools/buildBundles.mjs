// Bundles the browser-side code with esbuild: the web API (HushNode and loader) and the worklet
// processor, as ESM files under dist/web/, next to copies of build/hush-{simd,scalar}.wasm (the web
// loader fetches them relative to its own URL). Entry points that do not exist yet are skipped with
// a note, so the build stays green while the runtime grows issue by issue.
// Usage: node tools/buildBundles.mjs [--outdir DIR]   (default dist/web; tests bundle into a temp dir)
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const flag = process.argv.indexOf('--outdir');
const outdir = flag >= 0 ? process.argv[flag + 1] : 'dist/web';
const entries = [
  { in: 'runtime/web/index.ts', out: join(outdir, 'hushpack-web.js') },
  { in: 'runtime/worklet/workletProcessor.ts', out: join(outdir, 'hush-worklet.js') },
];
mkdirSync(outdir, { recursive: true });
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
for (const flavor of ['simd', 'scalar']) {
  const wasm = `build/hush-${flavor}.wasm`;
  if (!existsSync(wasm)) {
    console.error(`build-bundles: ${wasm} missing (run npm run build:wasm), not copied`);
    continue;
  }
  copyFileSync(wasm, join(outdir, `hush-${flavor}.wasm`));
  console.error(`build-bundles: ${join(outdir, `hush-${flavor}.wasm`)}`);
}
