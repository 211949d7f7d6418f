/**
 * What ships stands on the format and DSP layers only: the esbuild metafile of every runtime bundle
 * (the AudioWorklet processor and the browser API as tools/buildBundles.mjs builds them, and the Node
 * runtime entry runtime/node/enhancer.ts) lists only runtime/, src/format/, src/dsp/ and src/errors.ts —
 * never src/models, src/train, src/compress or src/metrics (../shared/STYLE.md §8).
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ENTRIES = [
  { entry: 'runtime/worklet/workletProcessor.ts', platform: 'browser' as const },
  { entry: 'runtime/web/index.ts', platform: 'browser' as const },
  { entry: 'runtime/node/enhancer.ts', platform: 'node' as const },
  { entry: 'runtime/node/enhanceFile.ts', platform: 'node' as const },
];
const ALLOWED = /^(runtime\/|src\/format\/|src\/dsp\/|src\/errors\.ts$)/;

describe('runtime import closure', () => {
  for (const { entry, platform } of ENTRIES) {
    it(`${entry} pulls in only runtime/, src/format/, src/dsp/, src/errors.ts`, async () => {
      const r = await build({
        entryPoints: [entry], bundle: true, write: false, metafile: true, format: 'esm', platform,
        outdir: '/tmp/hushpack-closure', packages: 'external', logLevel: 'silent',
      });
      const inputs = Object.keys(r.metafile.inputs);
      expect(inputs.length).toBeGreaterThan(3);
      expect(inputs.filter((f) => !ALLOWED.test(f))).toEqual([]);
    });
  }
});
