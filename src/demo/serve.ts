/**
 * The local server of the browser demo (`hushpack demo --serve`, demos/web/serve.mjs): static files
 * on 127.0.0.1 only, plain HTTP (localhost is a secure context, so getUserMedia and AudioWorklet
 * work), no COOP/COEP headers (HushNode needs no SharedArrayBuffer), no caching (a rebuilt bundle or
 * a new model shows up on reload).
 *
 *   /                    demos/web/index.html (and the page's other files: main.js, …)
 *   /web/…               dist/web/: hushpack-web.js, hush-worklet.js, hush-{simd,scalar}.wasm
 *   /models/index.json   [{ name, url, bytes }] for every *.hush in the models folder (default first)
 *   /models/NAME.hush    a model
 *   /clips/index.json    [{ name, url, seconds, noise, snrDb }] of the bundled noisy clips
 *   /clips/…             the clips folder (WAVs, ATTRIBUTION.md)
 *   /report/…            the output folder of `hushpack demo` (report.html, WAVs), when given
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { UserError } from '../errors.js';
import { demoClipsRead } from './clips.js';
import { demoClipsDir, demoModelsDir, demoWebDir, distWebDir } from './paths.js';

/** Default port of `hushpack demo --serve`. */
export const DEMO_PORT_DEFAULT = 8765;
/** The only interface the demo server listens on. */
export const DEMO_HOST = '127.0.0.1';

/** Options of demoServe (folders default to the package's). */
export interface DemoServeOptions {
  /** TCP port (default DEMO_PORT_DEFAULT; 0 = any free port). */
  port?: number;
  webDir?: string;
  distDir?: string;
  modelsDir?: string;
  clipsDir?: string;
  /** A `hushpack demo` output folder to serve at /report/ (optional). */
  reportDir?: string;
}

/** A running server. */
export interface DemoServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.wav': 'audio/wav',
  '.hush': 'application/octet-stream',
  '.md': 'text/markdown; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.copyright': 'text/plain; charset=utf-8',
};

/** One entry of /models/index.json. */
export interface DemoModelEntry {
  name: string;
  url: string;
  bytes: number;
}

/** The *.hush files of `dir`, default.hush first, then by name. */
export function demoModelList(dir: string): DemoModelEntry[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.hush') && statSync(join(dir, f)).isFile())
    .sort((a, b) => (a === 'default.hush' ? -1 : b === 'default.hush' ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .map((f) => ({ name: f, url: `/models/${encodeURIComponent(f)}`, bytes: statSync(join(dir, f)).size }));
}

/** The bundled noisy clips for the page's file mode ([] when the folder has no clips.csv). */
function clipList(dir: string): { name: string; url: string; seconds: number; noise: string; snrDb: number }[] {
  if (!existsSync(join(dir, 'clips.csv'))) return [];
  return demoClipsRead(dir).map((c) => ({ name: c.name, url: `/clips/${encodeURIComponent(c.mix)}`, seconds: c.seconds, noise: c.noise, snrDb: c.snrDb }));
}

/** `rel` inside `root`, or null when it escapes it or is not a file. */
function fileUnder(root: string, rel: string): string | null {
  const base = resolve(root);
  const file = resolve(base, `.${sep}${rel}`);
  if (file !== base && !file.startsWith(base + sep)) return null;
  if (!existsSync(file) || !statSync(file).isFile()) return null;
  return file;
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array, head: boolean): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(head ? undefined : body);
}

/** Starts the demo server (see the file comment); fails with the fix when the bundles are missing. */
export async function demoServe(opts: DemoServeOptions = {}): Promise<DemoServer> {
  const webDir = opts.webDir ?? demoWebDir();
  const distDir = opts.distDir ?? distWebDir();
  const modelsDir = opts.modelsDir ?? demoModelsDir();
  const clipsDir = opts.clipsDir ?? demoClipsDir();
  for (const f of ['hushpack-web.js', 'hush-worklet.js', 'hush-simd.wasm', 'hush-scalar.wasm']) {
    if (!existsSync(join(distDir, f))) throw new UserError(`${join(distDir, f)} is missing: build the browser bundles with \`npm run build\` first`);
  }
  if (!existsSync(join(webDir, 'index.html'))) throw new UserError(`${join(webDir, 'index.html')} is missing (the demo page)`);

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) return send(res, 405, 'text/plain', 'method not allowed', head);
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return send(res, 400, 'text/plain', 'bad path', head);
    }
    if (path === '/models/index.json') return send(res, 200, MIME['.json'], JSON.stringify(demoModelList(modelsDir)), head);
    if (path === '/clips/index.json') {
      let list: ReturnType<typeof clipList> = [];
      try {
        list = clipList(clipsDir);
      } catch {
        list = [];
      }
      return send(res, 200, MIME['.json'], JSON.stringify(list), head);
    }
    if (path === '/report' || path === '/report/') path = '/report/report.html';
    const mounts: [string, string][] = [['/web/', distDir], ['/models/', modelsDir], ['/clips/', clipsDir], ...(opts.reportDir ? [['/report/', opts.reportDir] as [string, string]] : []), ['/', webDir]];
    const [prefix, root] = mounts.find(([p]) => path.startsWith(p))!;
    let rel = path.slice(prefix.length);
    if (prefix === '/' && rel === '') rel = 'index.html';
    const file = fileUnder(root, rel);
    if (!file) return send(res, 404, 'text/plain', 'not found', head);
    send(res, 200, MIME[extname(file).toLowerCase()] ?? 'application/octet-stream', readFileSync(file), head);
  };

  const server: Server = createServer(handle);
  await new Promise<void>((ok, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'EADDRINUSE' ? new UserError(`port ${opts.port ?? DEMO_PORT_DEFAULT} on ${DEMO_HOST} is in use; pick another with --port N`) : err),
    );
    server.listen(opts.port ?? DEMO_PORT_DEFAULT, DEMO_HOST, ok);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${DEMO_HOST}:${port}/`,
    port,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections(); // idle keep-alive sockets of a browser tab would hold close() for seconds
      }),
  };
}
