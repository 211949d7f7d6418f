/**
 * Channel pruning (src/compress/channel.ts): the narrowed network computes exactly what the full
 * network computes with the removed units' consumer columns zeroed; the pipeline writes a `.hush`
 * with the narrower hyper-parameters. Skipped without the libtorch addon.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '../../src/train/torch.js';
import { presetConfig, type ArchConfig } from '../../src/models/index.js';
import { createNet, type Net } from '../../src/models/nets.js';
import { channelLayers, channelShrink } from '../../src/compress/channel.js';
import { readHush } from '../../src/format/reader.js';
import { compressRun } from '../../src/compress/pipelines.js';
import { tinyCheckpointWrite } from './checkpoint.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const suite = torch.isTorchAvailable() ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'hushpack-channel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(net: Net, x: Float32Array, shape: number[]): Float32Array {
  return torch.noGrad(() => torch.tidy(() => net.forward(torch.tensor(x, shape), { training: false }).toFloat32Array()));
}

suite('channel pruning', () => {
  for (const [arch, config] of [
    ['fdnn', { arch: 'fdnn', hparams: { hidden_units: [12, 10] } }],
    ['lstm', { arch: 'lstm', hparams: { lstm_units: 6, lstm_layers: 2 } }],
  ] as [string, ArchConfig][]) {
    it(`${arch}: the narrowed net equals the full net with the removed units' consumers zeroed`, () => {
      const net = createNet(config, { seed: 4 });
      const layers = channelLayers(config);
      const keep = layers.map((l) => Math.ceil(l.units / 2));
      const { net: narrow, config: small, kept } = channelShrink(net, keep);
      if (arch === 'fdnn') expect(small.hparams.hidden_units).toEqual(keep);
      else expect(small.hparams.lstm_units).toBe(3);
      // zero the consumers' columns of every removed unit in the full net
      layers.forEach((layer, i) => {
        const removed = Array.from({ length: layer.units }, (_, u) => u).filter((u) => !kept[i].includes(u));
        for (const c of layer.consumers) {
          const t = net.tensors.get(c)!;
          const [rows, cols] = t.shape;
          const v = t.toFloat32Array();
          for (const u of removed) for (let r = 0; r < rows; r++) v[r * cols + u] = 0;
          t.copyFrom(v);
        }
      });
      const shape = [2, 7, 161];
      const x = Float32Array.from({ length: 2 * 7 * 161 }, (_, i) => Math.abs(Math.sin(i * 0.3)));
      const a = run(net, x, shape);
      const b = run(narrow, x, shape);
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
      expect(worst).toBeLessThanOrEqual(1e-6);
      net.dispose();
      narrow.dispose();
    });
  }

  it('channel pipeline on tiny FDNN: narrower .hush, k-means with centroid fine-tuning', async () => {
    const ckpt = tinyCheckpointWrite(join(dir, 'fdnn.safetensors'), 'fdnn', 1, { batch: 2, segmentSeconds: 1, stepsPerEpoch: 2 });
    const out = join(dir, 'fdnn-channel.hush');
    const r = await compressRun({
      pipeline: 'channel', input: ckpt, corpusDir: FIXTURE, out, alpha1: 1e9, finetuneSteps: 1, sensItems: 2, sensSeconds: 1,
      valItems: 2, valSeconds: 1, valMetrics: false, threads: 1, prefetch: false,
    });
    expect(r.channel!.layers[0].kept).toBe(1); // α1 = 10⁹: everything but one unit goes
    expect(r.quantization!.centroidFinetune!.steps).toBe(1);
    const file = readHush(readFileSync(out));
    expect(file.config.hparams.hidden_units).toEqual([1]);
    expect(file.tensors.get('fc1.weight')!.shape).toEqual([1, 161]);
    expect(r.result.params).toBeGreaterThan(r.result.paramsKept);
  });

  it('TCNN and GCRN are refused with a message', () => {
    expect(() => channelLayers(presetConfig('gcrn', 'tiny'))).toThrow(/fdnn and lstm only/);
  });
});
