#!/usr/bin/env node
// Sizes of what a web page downloads from hushpack: the JS bundles and the WASM builds in dist/web/
// (made by `npm run build`), raw and gzip-compressed (level 9, what a static server typically sends),
// plus brotli for reference. The README quotes this table with the command that made it.
// Usage: node tools/bundleSizes.mjs [--dir dist/web] [--json]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const at = args.indexOf('--dir');
const dir = at >= 0 ? args[at + 1] : 'dist/web';
const json = args.includes('--json');
const files = [
  ['hushpack-web.js', 'main-thread API (HushNode, loaders), ESM, minified'],
  ['hush-worklet.js', 'AudioWorklet processor, ESM, minified'],
  ['hush-simd.wasm', 'runtime, WebAssembly SIMD build'],
  ['hush-scalar.wasm', 'runtime, scalar build (hosts without SIMD)'],
];

const rows = [];
for (const [name, what] of files) {
  const path = join(dir, name);
  if (!existsSync(path)) {
    console.error(`bundle-sizes: ${path} is missing; run \`npm run build\` first`);
    process.exit(1);
  }
  const bytes = readFileSync(path);
  rows.push({
    file: name,
    what,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  });
}
// A page loads both JS files and one of the two WASM builds.
const pick = (n) => rows.find((r) => r.file === n);
const total = ['hushpack-web.js', 'hush-worklet.js', 'hush-simd.wasm'].map(pick);
const sum = (k) => total.reduce((s, r) => s + r[k], 0);
const page = { file: 'page total (JS + SIMD wasm)', raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') };

if (json) {
  console.log(JSON.stringify({ dir, files: rows, pageTotal: page }));
} else {
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const line = (c) => `| ${c[0]} | ${c[1]} | ${c[2]} | ${c[3]} |`;
  console.log(`Bundle sizes of ${dir} (\`node tools/bundleSizes.mjs\`):\n`);
  console.log(line(['file', 'raw', 'gzip -9', 'brotli -11']));
  console.log('|---|---:|---:|---:|');
  for (const r of rows) console.log(line([`\`${r.file}\` — ${r.what}`, kib(r.raw), kib(r.gzip), kib(r.brotli)]));
  console.log(line([`**${page.file}**`, kib(page.raw), kib(page.gzip), kib(page.brotli)]));
}
