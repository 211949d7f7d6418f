/**
 * The package's entry points (package.json "exports"): each points at a file the build makes from
 * a source that exists (tsc: src/node.ts → dist/src/node.js; esbuild: tools/buildBundles.mjs →
 * dist/web/*), the Node entry exports what docs/usage.md promises, and "files" ships the demo.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/demo/paths.js';
import * as api from '../../src/node.js';

const root = packageRoot();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  types: string;
  exports: Record<string, string | { types: string; import: string }>;
  files: string[];
};

/** The source a dist/ path is compiled from (tsc keeps the tree under dist/). */
function sourceOf(distPath: string): string {
  return distPath.replace(/^\.\/dist\//, '').replace(/\.d\.ts$|\.js$/, '.ts');
}

describe('package entry points', () => {
  it('"." is the Node API (src/node.ts) and matches main/types', () => {
    const dot = pkg.exports['.'] as { types: string; import: string };
    expect(dot).toEqual({ types: './dist/src/node.d.ts', import: './dist/src/node.js' });
    expect(`./${pkg.main}`).toBe(dot.import);
    expect(`./${pkg.types}`).toBe(dot.types);
    expect(existsSync(join(root, sourceOf(dot.import)))).toBe(true);
    for (const name of ['Enhancer', 'evaluateSignals', 'pesq', 'stoi', 'readHush', 'writeHush', 'readSafetensors', 'readMono', 'writeWav', 'resample', 'UserError']) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('"./web", "./worklet" and the wasm builds are the files tools/buildBundles.mjs writes', () => {
    const web = pkg.exports['./web'] as { types: string; import: string };
    expect(web.import).toBe('./dist/web/hushpack-web.js');
    expect(existsSync(join(root, sourceOf(web.types)))).toBe(true); // runtime/web/index.ts
    expect(pkg.exports['./worklet']).toBe('./dist/web/hush-worklet.js');
    expect(pkg.exports['./wasm/simd']).toBe('./dist/web/hush-simd.wasm');
    expect(pkg.exports['./wasm/scalar']).toBe('./dist/web/hush-scalar.wasm');
    const script = readFileSync(join(root, 'tools/buildBundles.mjs'), 'utf8');
    expect(script).toContain("'hushpack-web.js'");
    expect(script).toContain("'hush-worklet.js'");
    expect(script).toContain('hush-${flavor}.wasm');
  });

  it('"files" ships the CLI, the builds, the demo (page, clips, models) and the docs', () => {
    for (const f of ['bin', 'dist', 'build/*.wasm', 'demos', 'docs/usage.md', 'docs/format.md']) expect(pkg.files).toContain(f);
  });
});
