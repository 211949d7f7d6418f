/**
 * `hushpack enhance` with a `.hush` model (the WASM backend of tools/commands/enhance.ts) and
 * `hushpack bench`: any rate and channel count in, output at the input rate and length, aligned with
 * the input (an identity-mask model must give back the downmixed input); bench prints one JSON
 * object with every build × plan.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../tools/cli.js';
import { capture } from '../helpers/cli.js';
import { readWav, writeWav } from '../../src/data/wav.js';
import { presetConfig } from '../../src/models/index.js';
import { encodeModel, identityModel } from './models.js';
import { simdSupported } from '../../runtime/node/enhancer.js';

afterEach(() => vi.restoreAllMocks());
const tmp = mkdtempSync(join(tmpdir(), 'hushpack-runtime-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Tones below 4 kHz (untouched by the 16 kHz round trip's 7.2 kHz pass band), peak ≈ 0.4. */
function tones(n: number, fs: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => 0.2 * Math.sin((2 * Math.PI * 440 * i) / fs) + 0.1 * Math.sin((2 * Math.PI * 1234 * i) / fs + 1) + 0.1 * Math.sin((2 * Math.PI * 3100 * i) / fs));
}

describe('hushpack enhance --model M.hush', () => {
  it('44.1 kHz stereo in → 44.1 kHz mono out, same length, aligned (identity-mask model)', async () => {
    const model = join(tmp, 'identity.hush');
    writeFileSync(model, identityModel());
    const fs = 44100;
    const n = Math.round(1.3 * fs);
    const left = tones(n, fs);
    const right = left.map((v) => 0.5 * v);
    const inPath = join(tmp, 'in.wav');
    const outPath = join(tmp, 'out.wav');
    writeWav(inPath, { sampleRate: fs, channels: [left, right] }, 'f32');
    const io = capture();
    const code = await main(['node', 'hushpack', 'enhance', '--model', model, inPath, outPath, '--json']);
    expect(code, io.err()).toBe(0);
    const report = JSON.parse(io.out().trim());
    expect(report.backend).toBe('wasm');
    const out = readWav(outPath);
    expect(out.sampleRate).toBe(fs);
    expect(out.channels.length).toBe(1);
    expect(out.channels[0].length).toBe(n);
    // the mean downmix, through resampling both ways and 16-bit output: ≤ 1e-3 away everywhere
    // but the first and last 5 ms (resampler edges); a one-hop misalignment would be ~0.4 away
    const y = out.channels[0];
    const edge = Math.round(0.005 * fs);
    let worst = 0;
    for (let i = edge; i < n - edge; i++) worst = Math.max(worst, Math.abs(y[i] - 0.75 * left[i]));
    expect(worst).toBeLessThan(1e-3);
  });

  it('a corrupt .hush file fails with status 1 and names the file', async () => {
    const model = join(tmp, 'bad.hush');
    writeFileSync(model, identityModel().subarray(0, 200));
    const inPath = join(tmp, 'in16.wav');
    writeWav(inPath, { sampleRate: 16000, channels: [tones(1600, 16000)] });
    const io = capture();
    const code = await main(['node', 'hushpack', 'enhance', '--model', model, inPath, join(tmp, 'x.wav')]);
    expect(code).toBe(1);
    expect(io.err()).toContain('bad.hush');
  });
});

describe('hushpack bench', () => {
  it('--json: one object, every build × plan, per-hop µs, RTF, MACs, memory', async () => {
    const model = join(tmp, 'gcrn.hush');
    writeFileSync(model, encodeModel(presetConfig('gcrn', 'tiny'), 'kmeans-pruned').hush);
    const io = capture();
    const code = await main(['node', 'hushpack', 'bench', '--model', model, '--frames', '40', '--warmup', '5', '--json']);
    expect(code, io.err()).toBe(0);
    const lines = io.out().trim().split('\n');
    expect(lines.length).toBe(1);
    const r = JSON.parse(lines[0]);
    expect(r.config.arch).toBe('gcrn');
    expect(r.latencySamples).toBe(320);
    const builds = simdSupported() ? ['simd', 'scalar'] : ['scalar'];
    expect(r.runs.map((x: { flavor: string; plan: string }) => `${x.flavor} ${x.plan}`)).toEqual(
      builds.flatMap((b) => ['fast', 'compact', 'auto'].map((p) => `${b} ${p}`)),
    );
    for (const x of r.runs) {
      expect(x.usP50).toBeGreaterThan(0);
      expect(x.usP99).toBeGreaterThanOrEqual(x.usP50);
      expect(x.usMax).toBeGreaterThanOrEqual(x.usP99);
      expect(x.rtf).toBeGreaterThan(0);
      expect(x.macsPerHop).toBeGreaterThan(0);
      expect(x.memory.totalBytes).toBeGreaterThan(0);
    }
    expect(r.compactVsFast[builds[0]].memory).toBeLessThan(1);
  });

  it('refuses a model that is not .hush', async () => {
    const io = capture();
    expect(await main(['node', 'hushpack', 'bench', '--model', join(tmp, 'm.safetensors')])).toBe(1);
    expect(io.err()).toContain('m.safetensors');
  });
});
