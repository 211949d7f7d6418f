/**
 * The demo server (src/demo/serve.ts): routes, model listing with sizes, no path escapes, no COOP/COEP
 * headers; and the page's per-hop time recovery (demos/web/hop-histogram.js) against the processor's
 * own HopTimings (runtime/worklet/hopTiming.ts): exact per hop when stats arrive every hop, the mean
 * of the new hops otherwise, also across the 512-hop window wrap.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoServe, demoModelList, type DemoServer } from '../../src/demo/serve.js';
import { HopTimings } from '../../runtime/worklet/hopTiming.js';
// @ts-expect-error plain JavaScript of the demo page (no types)
import { HopTimeRecovery, HOP_HISTORY } from '../../demos/web/hop-histogram.js';
import { HOP_TIMING_HISTORY } from '../../runtime/worklet/hopTiming.js';

describe('demo server', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'hushpack-serve-'));
  const dist = join(tmp, 'dist');
  const models = join(tmp, 'models');
  const report = join(tmp, 'report');
  let server: DemoServer;

  beforeAll(async () => {
    for (const d of [dist, models, report]) mkdirSync(d);
    for (const f of ['hushpack-web.js', 'hush-worklet.js', 'hush-simd.wasm', 'hush-scalar.wasm']) writeFileSync(join(dist, f), f);
    writeFileSync(join(models, 'b.hush'), new Uint8Array(300));
    writeFileSync(join(models, 'default.hush'), new Uint8Array(1000));
    writeFileSync(join(models, 'notes.txt'), 'x');
    writeFileSync(join(report, 'report.html'), '<p>report</p>');
    server = await demoServe({ port: 0, distDir: dist, modelsDir: models, reportDir: report });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 and serves page, bundles, models (default first, with sizes) and the report', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('cross-origin-opener-policy')).toBeNull();
    expect(page.headers.get('cross-origin-embedder-policy')).toBeNull();
    expect(await page.text()).toContain('hushpack');
    const wasm = await fetch(`${server.url}web/hush-simd.wasm`);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(await (await fetch(`${server.url}models/index.json`)).json()).toEqual([
      { name: 'default.hush', url: '/models/default.hush', bytes: 1000 },
      { name: 'b.hush', url: '/models/b.hush', bytes: 300 },
    ]);
    expect(demoModelList(join(tmp, 'nowhere'))).toEqual([]);
    expect((await fetch(`${server.url}models/b.hush`)).status).toBe(200);
    expect(await (await fetch(`${server.url}report/`)).text()).toBe('<p>report</p>');
    const clips = (await (await fetch(`${server.url}clips/index.json`)).json()) as { url: string }[];
    expect(clips.length).toBeGreaterThan(0);
    expect((await fetch(`${server.url}${clips[0].url.slice(1)}`)).headers.get('content-type')).toBe('audio/wav');
  });

  it('refuses paths outside its folders and other methods', async () => {
    for (const p of ['web/%2e%2e/%2e%2e/package.json', 'models/..%2f..%2fpackage.json', '..%2fpackage.json', 'nothing.js']) {
      expect((await fetch(`${server.url}${p}`)).status, p).toBe(404);
    }
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
  });

  it('a missing bundle is a clear error', async () => {
    await expect(demoServe({ port: 0, distDir: join(tmp, 'none') })).rejects.toThrow(/hushpack-web\.js is missing: build the browser bundles with `npm run build`/);
  });
});

describe('per-hop time recovery of the demo page', () => {
  /** A seeded hop-time sequence (µs) with occasional spikes. */
  const times = (n: number): number[] => {
    let a = 99;
    return Array.from({ length: n }, () => {
      a = (Math.imul(a, 1103515245) + 12345) >>> 0;
      const u = a / 2 ** 32;
      return Math.round(200 + 300 * u + (u > 0.97 ? 4000 : 0));
    });
  };

  it('agrees with the processor history length', () => {
    expect(HOP_HISTORY).toBe(HOP_TIMING_HISTORY);
  });

  it('one report per hop: every hop time exactly, across the window wrap', () => {
    const t = times(1500);
    const h = new HopTimings(50, 10_000);
    const r = new HopTimeRecovery();
    const got: number[] = [];
    for (const v of t) {
      h.record(v);
      const a = r.add(h.summary()) as { values: number[]; exact: boolean };
      got.push(...a.values);
      expect(a.exact).toBe(true);
    }
    // the first report (hop 1) seeds the window; from then on every hop is recovered
    expect(got.length).toBe(t.length - 1);
    got.forEach((v, k) => expect(v).toBeCloseTo(t[k + 1], 6));
    expect(r.recentEstimates).toBe(0);
  });

  it('reports covering several hops, or a late start: one value per hop, flagged as estimates', () => {
    const t = times(1400);
    for (const lateStart of [0, 700]) {
      const h = new HopTimings(50, 10_000);
      const r = new HopTimeRecovery();
      let i = 0;
      for (; i < lateStart; i++) h.record(t[i]);
      r.add(h.summary());
      let step = 1;
      let count = 0;
      while (i < t.length) {
        const start = i;
        for (; i < Math.min(t.length, start + step); i++) h.record(t[i]);
        const a = r.add(h.summary()) as { values: number[]; exact: boolean };
        expect(a.values.length).toBe(i - start);
        for (const v of a.values) expect(v).toBeGreaterThanOrEqual(0);
        // from the start, one-hop reports stay exact until a 2-hop report's estimates are evicted
        if (lateStart === 0 && i <= 512) expect(a.exact).toBe(step === 1);
        if (lateStart > 0) expect(a.exact).toBe(false);
        count += a.values.length;
        step = step === 1 ? 2 : 1;
      }
      expect(count).toBe(t.length - lateStart);
      expect(r.recentEstimates).toBeGreaterThan(0);
    }
  });
});
