// Serves the live demo on http://127.0.0.1:8080/ : this folder at /, dist/web/ at /web/.
// Usage: npm run build && node demos/web/serve.mjs [port]
// (getUserMedia needs a secure context: localhost / 127.0.0.1 counts as one.)
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const web = fileURLToPath(new URL('../../dist/web/', import.meta.url));
const mime = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json', '.wasm': 'application/wasm' };
const port = Number(process.argv[2] ?? 8080);

if (!existsSync(join(web, 'hushpack-web.js'))) {
  console.error('dist/web/hushpack-web.js is missing: run `npm run build` first');
  process.exit(1);
}
createServer((req, res) => {
  let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  if (path === '/') path = '/index.html';
  const [root, rel] = path.startsWith('/web/') ? [web, path.slice(5)] : [here, path.slice(1)];
  const file = normalize(join(root, rel));
  if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end('not found');
  res.writeHead(200, { 'content-type': mime[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
}).listen(port, '127.0.0.1', () => console.log(`hushpack demo: http://127.0.0.1:${port}/`));
