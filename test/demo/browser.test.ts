/**
 * The browser demo page (demos/web/) in real headless Chromium (Debian's /usr/bin/chromium through
 * playwright-core) with the fake microphone (--use-fake-device-for-media-stream
 * --use-fake-ui-for-media-stream), served by the demo server (src/demo/serve.ts) with freshly built
 * bundles (test/browser/bundles.ts) and a tiny model written here: the page starts the microphone
 * through HushNode, draws both spectrograms and the per-hop histogram, shows the latency and the
 * compute-time figures, lists the model with its size, the A/B switch bypasses the node and the
 * model picker swaps models.
 * Checked on playwright screenshots of the canvases (a uniform canvas compresses to almost nothing)
 * and on the canvases' pixels.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlesBuild, bundlesRemove } from '../browser/bundles.js';
import { demoServe, type DemoServer } from '../../src/demo/serve.js';
import { tinyDemoModel } from './tinyModel.js';
import { CHROMIUM, chromiumLaunch } from '../helpers/chromium.js';

const FAKE_MICROPHONE = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

interface PageState {
  status: string;
  error: string | null;
  wasmFlavor: string | null;
  model: string | null;
  latency: { samples: number; ms: number } | null;
  stats: { hops: number; p50Us: number; p99Us: number; state: string; userBypass: boolean } | null;
  statsReports: number;
  hopsRecovered: number;
  hopEstimates: number;
  columns: { before: number; after: number };
}

const state = (page: Page): Promise<PageState> =>
  page.evaluate(() => {
    const d = (window as unknown as { hushDemo: PageState & { spectrogramColumns(): { before: number; after: number } } }).hushDemo;
    return { ...d, columns: d.spectrogramColumns() } as PageState;
  });

/** Standard deviation of the luminance of the rightmost `cols` columns of a canvas (drawn recently). */
const canvasSpread = (page: Page, id: string, cols: number): Promise<{ std: number; lit: number }> =>
  page.evaluate(
    ([cid, n]) => {
      const c = document.getElementById(cid) as HTMLCanvasElement;
      const px = c.getContext('2d')!.getImageData(c.width - n, 0, n, c.height).data;
      let s = 0;
      let s2 = 0;
      let lit = 0;
      const count = px.length / 4;
      for (let i = 0; i < px.length; i += 4) {
        const y = 0.2126 * px[i] + 0.7152 * px[i + 1] + 0.0722 * px[i + 2];
        s += y;
        s2 += y * y;
        if (y > 20) lit++;
      }
      const mean = s / count;
      return { std: Math.sqrt(Math.max(0, s2 / count - mean * mean)), lit: lit / count };
    },
    [id, cols] as const,
  );

describe.skipIf(!existsSync(CHROMIUM))('browser demo page in Chromium (fake microphone)', () => {
  let dir: string;
  let models: string;
  let server: DemoServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const shots = mkdtempSync(join(tmpdir(), 'hushpack-demo-shots-'));

  beforeAll(async () => {
    dir = bundlesBuild();
    models = join(shots, 'models');
    mkdirSync(models);
    writeFileSync(join(models, 'tiny.hush'), tinyDemoModel());
    server = await demoServe({ port: 0, distDir: dir, modelsDir: models });
    browser = await chromiumLaunch(FAKE_MICROPHONE);
    page = await browser.newPage({ viewport: { width: 1100, height: 950 } });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}?autostart=mic&listen=0&model=tiny.hush`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) bundlesRemove(dir);
    rmSync(shots, { recursive: true, force: true });
  });

  it('microphone → HushNode: spectrograms drawn, latency and per-hop compute time shown', async () => {
    await page
      .waitForFunction(
        () => {
          const d = (window as unknown as { hushDemo?: { status: string; statsReports: number; spectrogramColumns(): { before: number; after: number } } }).hushDemo;
          if (!d) return false;
          if (d.status === 'error') return true;
          const c = d.spectrogramColumns();
          return d.status === 'running' && d.statsReports >= 20 && c.before >= 60 && c.after >= 60;
        },
        undefined,
        { timeout: 25_000 },
      )
      .catch(async () => {
        throw new Error(`page did not get running: ${JSON.stringify(await state(page))}; ${errors.join('; ')}`);
      });
    const s = await state(page);
    expect(s.error, errors.join('; ')).toBeNull();
    expect(s.model).toBe('tiny.hush');
    expect(['simd', 'scalar']).toContain(s.wasmFlavor);
    expect(s.stats!.hops).toBeGreaterThan(20);
    expect(s.stats!.state).toBe('active');
    expect(s.hopsRecovered).toBeGreaterThan(20);
    // one stats report per render quantum: every hop's time recovered exactly (demos/web/hop-histogram.js)
    expect(s.hopEstimates).toBe(0);

    // Text figures.
    const latency = await page.textContent('#latency');
    expect(latency).toMatch(/HushNode adds \d+\.\d ms \(\d+ samples at \d+ Hz\)/);
    expect(s.latency!.ms).toBeGreaterThan(17);
    const stats = await page.textContent('#stats');
    expect(stats).toMatch(/p50 \d+ µs, p99 \d+ µs/);
    expect(stats).toMatch(/model tiny\.hush; WASM (simd|scalar)/);
    // HushNode's default level 'track': the fake microphone's tone is brought up to the training level
    expect(stats).toMatch(/input level gain \+\d+\.\d dB/);
    const option = await page.textContent('#model option[value="tiny.hush"]');
    expect(option).toMatch(/tiny\.hush \(47\.\d KiB\)/);

    // Screenshots: the page, and each canvas (a uniform 480×161 canvas is a PNG of < 1 KB).
    await page.screenshot({ path: join(shots, 'page.png'), fullPage: true });
    for (const id of ['specIn', 'specOut', 'hist']) {
      const png = await page.locator(`#${id}`).screenshot();
      expect(png.length, `#${id} screenshot`).toBeGreaterThan(2500);
    }
    // Pixels: the recent columns of both spectrograms are not uniform.
    for (const id of ['specIn', 'specOut']) {
      const { std, lit } = await canvasSpread(page, id, 50);
      expect(std, `#${id} luminance spread`).toBeGreaterThan(3);
      expect(lit, `#${id} lit fraction`).toBeGreaterThan(0.02);
    }
  }, 40_000);

  it('A/B switch bypasses the node and back', async () => {
    await page.click('#ab');
    await page.waitForFunction(() => (window as unknown as { hushDemo: { stats: { userBypass: boolean } | null } }).hushDemo.stats?.userBypass === true, undefined, { timeout: 10_000 });
    expect(await page.textContent('#ab')).toMatch(/bypassed/);
    await page.click('#ab');
    await page.waitForFunction(() => (window as unknown as { hushDemo: { stats: { userBypass: boolean; state: string } | null } }).hushDemo.stats?.userBypass === false, undefined, { timeout: 10_000 });
    expect(await page.textContent('#ab')).toMatch(/enhanced/);
    expect(errors).toEqual([]);
  }, 30_000);

  it('the model picker swaps the running model (tiny → identity) without errors', async () => {
    await page.selectOption('#model', 'identity');
    await page.waitForFunction(() => (window as unknown as { hushDemo: { model: string | null } }).hushDemo.model === 'identity', undefined, { timeout: 10_000 });
    const s = await state(page);
    expect(s.error).toBeNull();
    expect(s.status).toBe('running');
    expect(await page.textContent('#modelInfo')).toMatch(/identity/);
    expect(errors).toEqual([]);
  }, 20_000);
});
