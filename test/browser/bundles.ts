/**
 * Shared set-up of the bundle-level tests: bundles runtime/web and the worklet with the project's
 * own build script (tools/buildBundles.mjs) into a fresh temp folder, so the tests always run the
 * current sources, and serves a folder over HTTP on 127.0.0.1 (random port) for Chromium.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Bundles into a temp folder; throws with the fix when the WASM build is missing. */
export function bundlesBuild(): string {
  for (const f of ['build/hush-simd.wasm', 'build/hush-scalar.wasm']) {
    if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing: run \`npm run build:wasm\` (or \`npm run build\`) before these tests`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'hush-web-'));
  execFileSync(process.execPath, ['tools/buildBundles.mjs', '--outdir', dir], { cwd: ROOT, stdio: 'pipe' });
  for (const f of ['hushpack-web.js', 'hush-worklet.js', 'hush-simd.wasm', 'hush-scalar.wasm']) {
    if (!existsSync(join(dir, f))) throw new Error(`tools/buildBundles.mjs did not produce ${f}`);
  }
  return dir;
}

/** Removes a folder made by bundlesBuild. */
export function bundlesRemove(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/** A static file server for `dir` (plus in-memory `pages`) on 127.0.0.1, random port. */
export async function staticServe(dir: string, pages: Record<string, string> = {}): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (pages[path] !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html' }).end(pages[path]);
      return;
    }
    const file = normalize(join(dir, path));
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
