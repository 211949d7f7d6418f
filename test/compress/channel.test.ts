/**
 * Channel pruning (src/compress/channel.ts): the narrowed network computes exactly what the full
 * network computes with the removed units' consumer slices zeroed (every architecture; BatchNorm
 * statistics randomised so that a mis-sliced BN shows); the pipeline writes a `.hush` with the
 * narrower hyper-parameters, and for TCNN/GCRN the WASM runtime runs that file frame by frame equal
 * to the libtorch forward of the file's (shrunk, quantised) weights. Skipped without the libtorch addon.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '../../src/torch/torch.js';
import { presetConfig, type ArchConfig } from '../../src/models/index.js';
import { createNet, type HostTensor, type Net } from '../../src/models/nets.js';
import { countParams } from '../../src/models/size.js';
import { tcnnHParams } from '../../src/models/tcnnLayout.js';
import { channelConsumersZeroed, channelLayers, channelShrink } from '../../src/compress/channel.js';
import { readHush } from '../../src/format/reader.js';
import { hushTensorDense } from '../../src/format/tensor.js';
import { compressRun } from '../../src/compress/pipelines.js';
import { tinyCheckpointWrite } from './checkpoint.js';
import { enhancerFor, maxAbsDiff, referenceEnhance, streamHops } from '../runtime/harness.js';
import { encodeModel, testSignal } from '../runtime/models.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const suite = torch.isTorchAvailable() ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'hushpack-channel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(net: Net, x: Float32Array, shape: number[]): Float32Array {
  return torch.noGrad(() => torch.tidy(() => net.forward(torch.tensor(x, shape), { training: false }).toFloat32Array()));
}

/** Seeded values in [lo, hi). */
function uniform(n: number, seed: number, lo: number, hi: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((hi - lo) * s) / 2 ** 32;
  });
}

/** BatchNorm scale/shift/statistics away from their initial 1/0/0/1. */
function randomiseBatchNorms(net: Net): void {
  let seed = 11;
  for (const [name, t] of net.tensors) {
    const n = t.numel;
    if (name.endsWith('.running_var')) t.copyFrom(uniform(n, seed++, 0.5, 2));
    else if (name.endsWith('.running_mean')) t.copyFrom(uniform(n, seed++, -0.5, 0.5));
    else if (/\.bn\w*\.(weight|bias)$|^bn\d+(_t_\d)?\.(weight|bias)$/.test(name)) t.copyFrom(uniform(n, seed++, -1, 1.5));
  }
}

const WIDE_TCNN: ArchConfig = {
  arch: 'tcnn',
  hparams: {
    enc_channels: [4, 5, 4], enc_strides: [2, 2, 2], enc_pads: [2, 1, 1], kernel_frames: 2, kernel_samples: 5,
    tcm_channels: 6, tcm_kernel: 2, tcm_dilations: [1, 2], tcm_stacks: 1,
  },
};
const WIDE_GCRN: ArchConfig = {
  arch: 'gcrn',
  hparams: { enc_channels: [3, 4, 4], dec_channels: [4, 3, 1], kernel_bins: 3, stride_bins: 2, lstm_groups: 2, lstm_layers: 1 },
};

const INPUT_SHAPE: Record<string, number[]> = { fdnn: [2, 7, 161], lstm: [2, 7, 161], tcnn: [2, 7, 320], gcrn: [2, 2, 7, 161] };

suite('channel pruning', () => {
  for (const [label, config] of [
    ['fdnn', { arch: 'fdnn', hparams: { hidden_units: [12, 10] } }],
    ['lstm', { arch: 'lstm', hparams: { lstm_units: 6, lstm_layers: 2 } }],
    ['tcnn', WIDE_TCNN],
    ['gcrn', WIDE_GCRN],
  ] as [string, ArchConfig][]) {
    it(`${label}: the narrowed net equals the full net with the removed units' consumers zeroed`, () => {
      const net = createNet(config, { seed: 4 });
      randomiseBatchNorms(net);
      const layers = channelLayers(config);
      // about half of each layer; one unit for the TCNN decoders (narrower than their encoders) and
      // the real GCRN decoder (asks for fewer than the imaginary one: tie → the larger count)
      const keep = layers.map((l) => (l.name.endsWith('_t_1') || l.name.startsWith('decoder.') ? 1 : Math.ceil(l.units / 2)));
      const { net: narrow, config: small, kept } = channelShrink(net, keep);
      const shape = INPUT_SHAPE[config.arch];
      const x = Float32Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => Math.abs(Math.sin(i * 0.3)));
      const full = run(net, x, shape);
      if (config.arch === 'fdnn') expect(small.hparams.hidden_units).toEqual([6, 5]);
      if (config.arch === 'lstm') expect(small.hparams.lstm_units).toBe(3);
      if (config.arch === 'tcnn') {
        expect(small.hparams.enc_channels).toEqual([2, 3, 4]); // the last encoder layer (TCM width) stays
        expect(small.hparams.tcm_channels).toBe(3);
        expect(small.hparams.dec_channels).toEqual([1, 1, 1]); // decoders 2, 1 narrowed apart from the encoder
      }
      if (config.arch === 'gcrn') {
        expect(small.hparams.enc_channels).toEqual([2, 2, 4]);
        expect(small.hparams.dec_channels).toEqual([2, 2, 1]);
        // tie: each decoder keeps the tie's count of its own most salient channels
        expect(kept[layers.findIndex((l) => l.name === 'conv3_t_1')]).toHaveLength(2);
      }
      expect(countParams(small)).toBeLessThan(countParams(config));
      // zero the consumer slices of every removed unit in the full net
      const host = new Map<string, HostTensor>();
      for (const [name, t] of net.tensors) host.set(name, { shape: [...t.shape], data: t.toFloat32Array() });
      layers.forEach((layer, i) => {
        const removed = Array.from({ length: layer.units }, (_, u) => u).filter((u) => !kept[i].includes(u));
        for (const [name, v] of channelConsumersZeroed(layer, host, removed)) host.get(name)!.data = v;
      });
      for (const [name, h] of host) if (!name.endsWith('num_batches_tracked')) net.tensors.get(name)!.copyFrom(h.data);
      const a = run(net, x, shape);
      const b = run(narrow, x, shape);
      const { diff, peak } = maxAbsDiff(b, a);
      expect(peak).toBeGreaterThan(1e-3);
      expect(diff).toBeLessThanOrEqual(1e-5 * peak);
      // and the removed units did matter: the unmasked full net differs
      expect(maxAbsDiff(full, a).diff).toBeGreaterThan(1e-4 * peak);
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

  for (const arch of ['tcnn', 'gcrn'] as const) {
    it(`channel pipeline on tiny ${arch.toUpperCase()}: narrower .hush that the WASM runtime runs = libtorch on its weights`, async () => {
      const ckpt = tinyCheckpointWrite(join(dir, `${arch}.safetensors`), arch, 1, { batch: 2, segmentSeconds: 1, stepsPerEpoch: 2 });
      const out = join(dir, `${arch}-channel.hush`);
      const r = await compressRun({
        pipeline: 'channel', input: ckpt, corpusDir: FIXTURE, out, alpha1: 1e9, finetuneSteps: 1, sensItems: 2, sensSeconds: 1,
        valItems: 2, valSeconds: 1, valMetrics: false, threads: 1, prefetch: false,
      });
      // α1 = 10⁹: every channel layer keeps one unit
      for (const l of r.channel!.layers) expect(l.kept, l.layer).toBe(1);
      expect(r.quantization!.centroidFinetune!.steps).toBe(1);
      const bytes = new Uint8Array(readFileSync(out));
      const file = readHush(bytes);
      const tiny = presetConfig(arch, 'tiny');
      if (arch === 'tcnn') {
        const hp = tcnnHParams(file.config as ArchConfig);
        expect(hp.encChannels).toEqual([1, 1, 1, 1, 1, 2]);
        expect(hp.tcmChannels).toEqual([1, 1]);
        expect(hp.decOutChannels).toEqual([1, 1, 1, 1, 1, 1]);
        expect(file.tensors.get('tcm.0.1.conv_in.weight')!.shape[0]).toBe(1);
        expect(file.tensors.get('decoder.3.deconv.weight')!.shape).toEqual([2, 1, 2, 5]);
      } else {
        expect(file.config.hparams.enc_channels).toEqual([1, 1, 1, 1, 4]);
        expect(file.config.hparams.dec_channels).toEqual([1, 1, 1, 1, 1]);
        expect(file.tensors.get('conv3_t_2.conv1.weight')!.shape).toEqual([2, 1, 1, 3]);
      }
      // (a) fewer parameters
      expect(countParams(file.config as ArchConfig)).toBeLessThan(countParams(tiny));
      expect(r.result.paramsKept).toBeLessThan(r.result.params);
      expect([...file.tensors.values()].some((t) => t.encoding === 'kmeans')).toBe(true);
      // (b) loads in the WASM runtime and (c) runs it frame by frame = libtorch on the decoded weights
      const reference = new Map<string, HostTensor>();
      for (const [name, t] of file.tensors) reference.set(name, { shape: [...t.shape], data: hushTensorDense(t) });
      const signal = testSignal(8_000);
      const ref = referenceEnhance({ config: file.config as ArchConfig, reference }, signal);
      for (const plan of ['fast', 'compact'] as const) {
        const e = await enhancerFor(bytes, 'simd', plan);
        const { aligned } = streamHops(e, signal);
        const { diff, peak } = maxAbsDiff(aligned, ref);
        expect(peak).toBeGreaterThan(1e-4);
        expect(diff, `${arch} ${plan}: max |Δ| ${diff} vs peak ${peak}`).toBeLessThanOrEqual(1e-4 * peak);
      }
    });
  }

  it('the WASM runtime runs a TCNN whose TCM blocks and decoders have their own widths', async () => {
    const config: ArchConfig = { arch: 'tcnn', hparams: { ...WIDE_TCNN.hparams, tcm_channels: [6, 3], dec_channels: [2, 1, 1] } };
    const signal = testSignal(8_000);
    for (const encoding of ['f32', 'kmeans-pruned'] as const) {
      const m = encodeModel(config, encoding);
      const ref = referenceEnhance(m, signal);
      for (const plan of ['fast', 'compact'] as const) {
        const { aligned } = streamHops(await enhancerFor(m.hush, 'simd', plan), signal);
        const { diff, peak } = maxAbsDiff(aligned, ref);
        expect(peak).toBeGreaterThan(1e-3);
        expect(diff, `${encoding} ${plan}: max |Δ| ${diff} vs peak ${peak}`).toBeLessThanOrEqual(1e-4 * peak);
      }
    }
  });
});
