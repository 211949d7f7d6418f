import { defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources directly; the WASM builds come from `npm run build:wasm`
// and the libtorch addon from `npm run build:native` (tools/run.sh test does both first).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ['default'],
  },
});
