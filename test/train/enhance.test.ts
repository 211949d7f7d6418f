/**
 * `hushpack enhance` with a .safetensors checkpoint (the libtorch reference path): any rate and
 * channel count in, mono at the input rate and length out; missing and unknown model files are
 * refused with a UserError. Also: the worker-thread batch source gives the same bytes as the inline one
 * (needs the compiled dist/, skipped otherwise). Skipped without the libtorch addon.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { readWav, writeWav } from '../../src/data/wav.js';
import { presetConfig } from '../../src/models/index.js';
import { createNet } from '../../src/models/nets.js';
import { checkpointWrite } from '../../src/train/checkpoint.js';
import { inlineBatchSource, type BatchSpec } from '../../src/train/batches.js';
import * as torch from '../../src/torch/torch.js';
import { enhanceFile } from '../../tools/commands/enhance.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const DIST_BATCHES = new URL('../../dist/src/train/batches.js', import.meta.url);
const suite = torch.isTorchAvailable() ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'hushpack-enhance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

suite('enhance', () => {
  const model = join(dir, 'tcnn.safetensors');
  beforeAll(() => {
    const net = createNet(presetConfig('tcnn', 'tiny'), { seed: 5 });
    checkpointWrite(model, net, { arch: 'tcnn', preset: 'tiny', hparams: JSON.stringify(presetConfig('tcnn', 'tiny').hparams) });
    net.dispose();
  });

  it('takes any rate and channel count and writes mono at the input rate and length', async () => {
    const n = 44100;
    const left = Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / 44100));
    const right = Float32Array.from(left, (v) => 0.5 * v);
    writeWav(join(dir, 'in.wav'), { sampleRate: 44100, channels: [left, right] });
    const r = await enhanceFile(model, join(dir, 'in.wav'), join(dir, 'out.wav'));
    expect(r).toMatchObject({ backend: 'libtorch', arch: 'tcnn tiny', sampleRate: 44100, channels: 2 });
    const out = readWav(join(dir, 'out.wav'));
    expect(out.sampleRate).toBe(44100);
    expect(out.channels.length).toBe(1);
    expect(out.channels[0].length).toBe(n);
    expect(out.channels[0].every(Number.isFinite)).toBe(true);
  });

  it('refuses missing and unknown model files with a UserError', async () => {
    writeWav(join(dir, 'in16.wav'), { sampleRate: 16000, channels: [new Float32Array(1600)] });
    await expect(enhanceFile(join(dir, 'm.hush'), join(dir, 'in16.wav'), join(dir, 'o.wav'))).rejects.toThrow(UserError);
    await expect(enhanceFile(join(dir, 'm.onnx'), join(dir, 'in16.wav'), join(dir, 'o.wav'))).rejects.toThrow(UserError);
    await expect(enhanceFile(join(dir, 'missing.safetensors'), join(dir, 'in16.wav'), join(dir, 'o.wav'))).rejects.toThrow(UserError);
  });
});

describe.skipIf(!existsSync(DIST_BATCHES))('worker batch source (compiled dist/)', () => {
  it('prepares the same batches as the inline source', async () => {
    const mod = (await import(DIST_BATCHES.href)) as typeof import('../../src/train/batches.js');
    const spec: BatchSpec = {
      arch: 'gcrn', corpusDir: FIXTURE, split: 'train', seed: 4, batch: 2, segmentSeconds: 0.5, snrRangeDb: [-5, 0],
    };
    const worker = mod.workerBatchSource(spec);
    const inline = inlineBatchSource(spec);
    try {
      expect(worker.kind).toBe('worker');
      for (const step of [0, 1, 2, 7]) {
        const [a, b] = [await worker.get(step), await inline.get(step)];
        expect(a.inputShape).toEqual(b.inputShape);
        expect(a.input).toEqual(b.input);
        expect(a.target).toEqual(b.target);
      }
    } finally {
      await worker.close();
      await inline.close();
    }
  });
});
