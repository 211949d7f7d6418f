/**
 * `hushpack demo --model <tiny model written here> --out TMP` runs to completion on the bundled
 * clips: the table (model, rates, before → after per clip and mean, per-hop p50/p99) on stdout, the
 * enhanced WAVs, report.html (inline spectrograms, players, table) and demo.json in TMP, with the
 * peers (RNNoise, GTCRN, Speex) scored on the same clips beside the model. Also: the
 * missing default model fails with the way to make it, and --json prints one object.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../tools/cli.js';
import { capture } from '../helpers/cli.js';
import { readMono } from '../../src/data/wav.js';
import { demoClipsRead } from '../../src/demo/clips.js';
import { demoClipsDir } from '../../src/demo/paths.js';
import { defaultModelMissingMessage } from '../../src/demo/run.js';
import { tinyDemoModel } from './tinyModel.js';

afterEach(() => vi.restoreAllMocks());

const tmp = mkdtempSync(join(tmpdir(), 'hushpack-demo-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('hushpack demo', () => {
  const model = join(tmp, 'tiny.hush');
  writeFileSync(model, tinyDemoModel());
  const clips = demoClipsRead(demoClipsDir());

  it('runs on a tiny model: table on stdout, enhanced WAVs, report.html and demo.json in --out', async () => {
    const out = join(tmp, 'out');
    const io = capture();
    const code = await main(['node', 'hushpack', 'demo', '--model', model, '--out', out]);
    expect(code, io.err()).toBe(0);
    const text = io.out();
    vi.restoreAllMocks();
    console.log(text);
    expect(text).toMatch(/model tiny-test: gcrn tiny, pipeline c1/);
    expect(text).toMatch(/compression rate \d+\.\d\d× \(paper eq\. 11\), \d+\.\d\d× \(actual/);
    expect(text).toMatch(/STOI \(%\) before → after/);
    for (const c of clips) expect(text).toContain(c.name);
    expect(text).toMatch(/^mean\s+\d/m);
    expect(text).toMatch(/per-hop compute \(WASM (simd|scalar), [\d,]+ hops over \d+ clips\): p50 [\d.,]+ µs, p99 [\d.,]+ µs/);

    // The peers, each on every clip: their mean rows, cost lines, files and per-clip scores.
    expect(text).toMatch(/peers on the same clips, mean/);
    for (const p of ['RNNoise', 'GTCRN', 'Speex']) {
      expect(text).toMatch(new RegExp(`^${p} \\(peer\\)\\s+\\d`, 'm'));
      expect(text).toMatch(new RegExp(`${p} \\(@sapphi-red/web-noise-suppressor 0\\.4\\.1, \\d+ kHz\\): [\\d.]+ KiB .* per 10 ms of audio`));
    }
    const enhanced = readdirSync(join(out, 'enhanced'));
    expect(enhanced.length).toBe(4 * clips.length);
    for (const p of ['rnnoise', 'gtcrn', 'speex']) expect(enhanced.filter((f) => f.endsWith(`_${p}.wav`)).length).toBe(clips.length);
    for (const f of enhanced) {
      const a = readMono(join(out, 'enhanced', f));
      expect(a.sampleRate).toBe(16000);
      expect(a.samples.length).toBe(4 * 16000);
    }
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.match(/<img class="spec"[^>]*src="data:image\/png;base64,/g)?.length).toBe(3 * clips.length);
    expect(html.match(/<audio controls/g)?.length).toBe(3 * clips.length);
    expect(html).toContain('<svg');
    for (const m of html.matchAll(/<audio controls preload="none" src="([^"]+)"/g)) expect(existsSync(join(out, decodeURIComponent(m[1])))).toBe(true);
    expect(html).toContain('<h2>Peers on the same clips</h2>');
    const json = JSON.parse(readFileSync(join(out, 'demo.json'), 'utf8'));
    expect(json.clips.length).toBe(clips.length);
    expect(json.peers.map((p: { name: string }) => p.name)).toEqual(['rnnoise', 'gtcrn', 'speex']);
    for (const p of json.peers) {
      expect(p.after.length).toBe(clips.length);
      // A peer's scores are of its own files, not the model's: STOI of a real suppressor stays near the mixture's.
      for (let k = 0; k < clips.length; k++) expect(Math.abs(p.after[k].stoi - json.clips[k].before.stoi)).toBeLessThan(0.2);
      expect(p.usP99).toBeGreaterThanOrEqual(p.usP50);
    }
    expect(json.latency.usP99).toBeGreaterThanOrEqual(json.latency.usP50);
    expect(json.latency.hops).toBe(clips.length * Math.ceil((4 * 16000 + 160) / 160));
    expect(json.model.fileBytes).toBe(readFileSync(model).length);
    expect(json.model.paperRate).toBeGreaterThan(1);
    // Before-figures are the clips' own (the mixture vs its reference): STOI of a 0–5 dB mixture.
    for (const c of json.clips) expect(c.before.stoi).toBeGreaterThan(0.4);
  }, 180_000); // ~50 s with the peers on a loaded 2-core machine

  it('without --model and without demos/models/default.hush: fails with the way to make it', async () => {
    if (existsSync(join(demoClipsDir(), '..', 'models', 'default.hush'))) return; // the bundled model has arrived
    const io = capture();
    const code = await main(['node', 'hushpack', 'demo', '--out', join(tmp, 'none')]);
    expect(code).toBe(1);
    expect(io.err()).toMatch(/default\.hush is missing/);
    expect(io.err()).toMatch(/hushpack compress --pipeline c1/);
    expect(io.out()).toBe('');
    expect(defaultModelMissingMessage('/x/default.hush')).toMatch(/--model M\.hush/);
  });
});
