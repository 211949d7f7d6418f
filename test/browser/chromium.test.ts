/**
 * HushNode in real Chromium (Debian's /usr/bin/chromium through playwright-core, headless):
 * OfflineAudioContext at 16, 44.1 and 48 kHz renders a band-limited signal through the identity
 * model; the output must equal the input delayed by node.latency (exact to float32 at 16 kHz,
 * within the resamplers' accuracy elsewhere). Needs build/hush-*.wasm (npm run build:wasm).
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlesBuild, bundlesRemove, staticServe } from './bundles.js';
import { TEST_PAGE_HTML } from './page.js';
import { CHROMIUM, chromiumLaunch } from '../helpers/chromium.js';

interface RunResult {
  latency: { samples: number; ms: number; exactSamples: number };
  err: number;
  errWhole: number;
  peak: number;
  stats: { hops: number; state: string; overloads: number; clock: string } | null;
  swapResult: string | null;
}

interface RunOptions {
  bypass?: boolean;
  swapAt?: number;
  bypassAt?: number;
  unbypassAt?: number;
}

describe.skipIf(!existsSync(CHROMIUM))('HushNode in Chromium (OfflineAudioContext)', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof staticServe>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = bundlesBuild();
    server = await staticServe(dir, { '/test.html': TEST_PAGE_HTML });
    browser = await chromiumLaunch();
    page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/test.html`);
    await page.waitForFunction(() => (window as unknown as { hushReady?: boolean }).hushReady === true, undefined, { timeout: 20_000 }).catch(() => {
      throw new Error(`test page did not load: ${errors.join('; ')}`);
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) bundlesRemove(dir);
  });

  const run = (fs: number, seconds: number, opts: RunOptions = {}): Promise<RunResult> =>
    page.evaluate(([f, s, o]) => (window as unknown as { hushRun(fs: number, s: number, o: object): Promise<RunResult> }).hushRun(f, s, o), [fs, seconds, opts] as const);

  it('16 kHz: output = input delayed by exactly node.latency (288 samples), float32 rounding only', async () => {
    const r = await run(16000, 1);
    expect(r.latency).toEqual({ samples: 288, ms: 18, exactSamples: 288 });
    expect(r.errWhole).toBeLessThan(1e-5);
    expect(r.peak).toBeGreaterThan(0.3);
    expect(r.stats).not.toBeNull();
    expect(r.stats!.hops).toBeGreaterThan(50);
    expect(r.stats!.state).toBe('active');
    console.log(`chromium 16 kHz: latency ${r.latency.samples} samples, worklet clock: ${r.stats!.clock}`);
  });

  it.each([44100, 48000])('%i Hz: output = band-limited input delayed by node.latency (≤ 1e-4)', async (fs) => {
    const r = await run(fs, 1);
    expect(r.latency.samples).toBe(fs === 44100 ? 1196 : 1294);
    expect(r.err).toBeLessThan(1e-4);
    expect(r.peak).toBeGreaterThan(0.3);
    expect(r.stats?.overloads).toBe(0);
  });

  it('48 kHz bypassed: the full-band input delayed by node.latency, bit-exact', async () => {
    const r = await run(48000, 0.5, { bypass: true });
    expect(r.errWhole).toBe(0);
    expect(r.stats?.state).toBe('idle');
  });

  it('16 kHz: bypass toggles and setModel(null) over the port keep the output on the delayed input', async () => {
    const r = await run(16000, 1, { bypassAt: 0.2, unbypassAt: 0.4, swapAt: 0.6 });
    expect(r.swapResult).toBe('done');
    expect(r.errWhole).toBeLessThan(1e-5);
    // The processor really stopped while bypassed: ~20 of the 100 hops went through the passthrough.
    expect(r.stats!.hops).toBeGreaterThan(60);
    expect(r.stats!.hops).toBeLessThan(90);
    expect(r.latency.samples).toBe(288);
  });

  it('setModel with bytes that are no .hush file rejects with the processor-side format error', async () => {
    const message = await page.evaluate(() => (window as unknown as { hushModelError(): Promise<string> }).hushModelError());
    expect(message).toMatch(/file is 64 bytes, shorter than the 80-byte header \(not a \.hush file\?\)/);
  });
});
