/**
 * `hushpack enhance --model SEP.hush IN.wav OUT.wav` with a separation model (format 1.1): one WAV
 * per speaker (out.s1.wav, out.s2.wav) at the input rate and length, through the model's 8 kHz on
 * the WASM Separator (runtime/node/separator.ts); at 8 kHz in, each file is the Separator's output
 * to 16-bit rounding. Bad inputs keep their messages.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../tools/cli.js';
import { separationOutPaths } from '../../tools/commands/enhance.js';
import { capture } from '../helpers/cli.js';
import { readWav, writeWav } from '../../src/data/wav.js';
import { writeHush } from '../../src/format/writer.js';
import { separationHushModel } from '../../src/compress/separationExport.js';
import { separationLayout, type SeparationConfig } from '../../src/models/separation/net.js';
import { CONV_TASNET_TINY, UPIT_LSTM_TINY } from '../../src/models/separation/presets.js';
import { shapeSize } from '../../src/models/paramSpec.js';
import { Separator } from '../../runtime/node/separator.js';
import { randn, rng } from '../format/fixture.js';

afterEach(() => vi.restoreAllMocks());
const tmp = mkdtempSync(join(tmpdir(), 'hushpack-separation-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A separation .hush with random weights (no libtorch needed). */
function modelFile(config: SeparationConfig, name: string): { path: string; bytes: Uint8Array } {
  const r = rng(5);
  const weights = new Map(separationLayout(config).params.map((p) => [p.name, { shape: [...p.shape], data: randn(shapeSize(p.shape), r, 0.3) }]));
  const bytes = writeHush(separationHushModel(config, weights, { kind: 'f32' }));
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return { path, bytes };
}

/** Two tones and a little noise at `fs`. */
function mixture(n: number, fs: number): Float32Array {
  const r = rng(9);
  return Float32Array.from({ length: n }, (_, i) => 0.2 * Math.sin((2 * Math.PI * 220 * i) / fs) + 0.15 * Math.sin((2 * Math.PI * 1700 * i) / fs) + 0.02 * (2 * r() - 1));
}

describe('hushpack enhance with a separation model', () => {
  it('names the speaker files after OUT', () => {
    expect(separationOutPaths('/a/out.wav', 2)).toEqual(['/a/out.s1.wav', '/a/out.s2.wav']);
    expect(separationOutPaths('/a/out.WAV', 2)).toEqual(['/a/out.s1.wav', '/a/out.s2.wav']);
    expect(separationOutPaths('/a/out', 3)).toEqual(['/a/out.s1.wav', '/a/out.s2.wav', '/a/out.s3.wav']);
  });

  for (const config of [{ arch: 'conv-tasnet', hp: { ...CONV_TASNET_TINY } }, { arch: 'upit-lstm', hp: { ...UPIT_LSTM_TINY } }] as SeparationConfig[]) {
    it(`${config.arch}: 8 kHz in → out.s1.wav, out.s2.wav = the Separator's streams (16-bit rounding), no out.wav`, async () => {
      const { path, bytes } = modelFile(config, `${config.arch}.hush`);
      const x = mixture(8000, 8000);
      const inPath = join(tmp, `${config.arch}-in8.wav`);
      const outPath = join(tmp, `${config.arch}-out.wav`);
      writeWav(inPath, { sampleRate: 8000, channels: [x] }, 'f32');
      const io = capture();
      const code = await main(['node', 'hushpack', 'enhance', '--model', path, inPath, outPath, '--json']);
      expect(code, io.err()).toBe(0);
      const report = JSON.parse(io.out().trim());
      const outs = separationOutPaths(outPath, 2);
      expect(report.outs).toEqual(outs);
      expect(report.arch).toContain(config.arch);
      expect(existsSync(outPath)).toBe(false);
      let rms = 0;
      for (const v of x) rms += v * v;
      const gain = 1 / Math.sqrt(rms / x.length);
      const want = Separator.loadSync(bytes).processBuffer(Float32Array.from(x, (v) => v * gain));
      outs.forEach((p, k) => {
        const w = readWav(p);
        expect([w.sampleRate, w.channels.length, w.channels[0].length]).toEqual([8000, 1, x.length]);
        let worst = 0, peak = 0;
        for (let i = 0; i < x.length; i++) {
          worst = Math.max(worst, Math.abs(w.channels[0][i] - want[k][i] / gain));
          peak = Math.max(peak, Math.abs(want[k][i] / gain));
        }
        expect(peak).toBeGreaterThan(0.01);
        expect(worst).toBeLessThan(1e-4); // 16-bit PCM rounding (3.1e-5) and no clipping
      });
    });
  }

  it('44.1 kHz stereo in → two 44.1 kHz mono files of the input length', async () => {
    const { path } = modelFile({ arch: 'conv-tasnet', hp: { ...CONV_TASNET_TINY } }, 'tasnet441.hush');
    const fs = 44100;
    const n = Math.round(0.7 * fs);
    const left = mixture(n, fs);
    const inPath = join(tmp, 'in441.wav');
    writeWav(inPath, { sampleRate: fs, channels: [left, left.map((v) => 0.5 * v)] }, 'f32');
    const outPath = join(tmp, 'sep441.wav');
    const io = capture();
    expect(await main(['node', 'hushpack', 'enhance', '--model', path, inPath, outPath]), io.err()).toBe(0);
    expect(io.out()).toContain('separated by conv-tasnet');
    for (const p of separationOutPaths(outPath, 2)) {
      const w = readWav(p);
      expect([w.sampleRate, w.channels.length, w.channels[0].length]).toEqual([fs, 1, n]);
      expect(w.channels[0].some((v) => Math.abs(v) > 1e-3)).toBe(true);
    }
  });

  it('a truncated separation model fails with status 1 and the reader’s message naming the file', async () => {
    const { bytes } = modelFile({ arch: 'conv-tasnet', hp: { ...CONV_TASNET_TINY } }, 'whole.hush');
    const bad = join(tmp, 'cut.hush');
    writeFileSync(bad, bytes.subarray(0, 300));
    const inPath = join(tmp, 'in8b.wav');
    writeWav(inPath, { sampleRate: 8000, channels: [mixture(800, 8000)] });
    const io = capture();
    expect(await main(['node', 'hushpack', 'enhance', '--model', bad, inPath, join(tmp, 'x.wav')])).toBe(1);
    expect(io.err()).toMatch(/cut\.hush/);
  });
});
