/**
 * Whether build/hush-<flavor>.wasm is older than a source under assembly/ — i.e. a benchmark or
 * parity script would measure a runtime that is not the checkout's (run `npm run build:wasm`).
 * Returns a warning naming the newest source, or null when the build is current (or when there is no
 * assembly/ folder next to build/, as in an installed package).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { wasmPath, type WasmFlavor } from '../../runtime/node/wasmFile.js';

function newestSource(dir: string): { path: string; mtimeMs: number } | null {
  let best: { path: string; mtimeMs: number } | null = null;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    const c = e.isDirectory() ? newestSource(p) : e.name.endsWith('.ts') ? { path: p, mtimeMs: statSync(p).mtimeMs } : null;
    if (c && (!best || c.mtimeMs > best.mtimeMs)) best = c;
  }
  return best;
}

/** A warning when the WASM build of `flavor` is older than its sources (see the file comment). */
export function wasmStaleWarning(flavor: WasmFlavor): string | null {
  const wasm = wasmPath(flavor);
  const assembly = join(dirname(dirname(wasm)), 'assembly');
  if (!existsSync(assembly)) return null;
  const newest = newestSource(assembly);
  if (!newest || newest.mtimeMs <= statSync(wasm).mtimeMs) return null;
  return `${wasm} is older than ${newest.path}: run \`npm run build:wasm\` to measure the checkout's runtime`;
}
