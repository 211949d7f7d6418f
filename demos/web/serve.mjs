// Serves the browser demo on http://127.0.0.1:8765/ (or the given port) — the same server as
// `hushpack demo --serve` (src/demo/serve.ts, compiled to dist/): this folder at /, dist/web/ at
// /web/, demos/models/ at /models/, demos/clips/ at /clips/.
// Usage: npm run build && node demos/web/serve.mjs [port]
// (getUserMedia needs a secure context: http://127.0.0.1 counts as one.)
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../../dist/src/demo/serve.js', import.meta.url);
if (!existsSync(fileURLToPath(compiled))) {
  console.error('dist/src/demo/serve.js is missing: run `npm run build` first');
  process.exit(1);
}
const { demoServe, DEMO_PORT_DEFAULT } = await import(compiled.href);
const port = process.argv[2] === undefined ? DEMO_PORT_DEFAULT : Number(process.argv[2]);
try {
  const server = await demoServe({ port });
  console.log(`hushpack demo: ${server.url}  (Ctrl-C stops)`);
} catch (err) {
  console.error(`hushpack demo: ${err.message}`);
  process.exit(1);
}
