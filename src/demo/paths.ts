/**
 * Where the demo's bundled material lives, relative to the package root (the folder holding
 * hushpack's package.json), so that `hushpack demo` finds it from the sources (tests run
 * src/demo/*.ts), from dist/src/demo/*.js (built) and from an installed package alike:
 *
 *   demos/models/default.hush   the bundled default model (edge GCRN, pipeline C1; docs/results/)
 *   demos/clips/                noisy clips + clean references (clips.csv, ATTRIBUTION.md)
 *   demos/web/                  the browser demo page
 *   dist/web/                   the browser bundles (tools/buildBundles.mjs)
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package root: the nearest ancestor of this file with a package.json named "hushpack". */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'hushpack') return (root = dir);
      } catch {
        // not ours (or unreadable): keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`hushpack: cannot find the package root above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** demos/models/ — the models the demo offers (the browser demo lists every *.hush in it). */
export function demoModelsDir(): string {
  return join(packageRoot(), 'demos', 'models');
}

/** demos/models/default.hush — the model `hushpack demo` runs unless told otherwise. */
export function demoDefaultModelPath(): string {
  return join(demoModelsDir(), 'default.hush');
}

/** demos/clips/ — the bundled noisy clips and their clean references. */
export function demoClipsDir(): string {
  return join(packageRoot(), 'demos', 'clips');
}

/** demos/web/ — the browser demo page. */
export function demoWebDir(): string {
  return join(packageRoot(), 'demos', 'web');
}

/** dist/web/ — the browser bundles and WASM builds the page loads. */
export function distWebDir(): string {
  return join(packageRoot(), 'dist', 'web');
}

/** The package version from package.json ('?' when unreadable). */
export function hushpackVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return '?';
  }
}
