/**
 * Bundles src/compress/sensitivityWorker.ts with esbuild for tests (which run the TypeScript
 * sources, so there is no compiled worker). The bundle goes under node_modules/.cache so that the
 * torch module, looking for native/build/Release upwards from its own location, finds the addon.
 */
import { buildSync } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Path of a freshly built worker bundle. */
export function sensitivityWorkerBundle(): string {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const dir = `${root}node_modules/.cache/hushpack-test`;
  mkdirSync(dir, { recursive: true });
  const out = `${dir}/sensitivityWorker-${process.pid}.mjs`;
  buildSync({
    entryPoints: [`${root}src/compress/sensitivityWorker.ts`],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    logLevel: 'error',
  });
  return out;
}
