/**
 * `hushpack train --set key=value`: custom network sizes (the paper's Table IV small-from-scratch
 * baselines). The overrides are validated with clear errors; a custom tiny GCRN trained through the
 * CLI records its config, compresses with `quant`, and the `.hush` file runs on the WASM runtime
 * equal to libtorch (≤ 1e-4 of peak) on the weights the file stores; `hushpack report` lists the
 * checkpoint in Table IV with its own parameter count. The libtorch parts are skipped without the addon.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { UserError } from '../../src/errors.js';
import { configDiffText, configEqual, configWithOverrides, countMacsPerFrame, countParams, presetConfig, type ArchConfig } from '../../src/models/index.js';
import { createNet } from '../../src/models/nets.js';
import { readHush } from '../../src/format/reader.js';
import { hushTensorDense } from '../../src/format/tensor.js';
import { compressRun } from '../../src/compress/pipelines.js';
import { reportInputsRead } from '../../src/compress/reportData.js';
import { reportHtml } from '../../src/compress/reportHtml.js';
import { checkpointRead } from '../../src/train/checkpoint.js';
import { enhanceWaveform } from '../../src/train/features.js';
import * as torch from '../../src/torch/torch.js';
import { main } from '../../tools/cli.js';
import { capture } from '../helpers/cli.js';
import { enhancerFor, maxAbsDiff, streamHops } from '../runtime/harness.js';
import { testSignal } from '../runtime/models.js';
import { tinyCheckpointWrite } from '../compress/checkpoint.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const suite = torch.isTorchAvailable() ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'hushpack-overrides-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** The message of the UserError `f` throws. */
function userError(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('no error thrown');
}

describe('configWithOverrides', () => {
  it('builds the paper\'s small-from-scratch baselines (§III-D) from the paper presets', () => {
    const fdnnS = configWithOverrides(presetConfig('fdnn', 'paper'), ['hidden_units=200,200,200']);
    expect(fdnnS.config.hparams.hidden_units).toEqual([200, 200, 200]);
    expect(fdnnS.overrides).toEqual([{ key: 'hidden_units', value: [200, 200, 200] }]);
    // 161·200 + 200 + 2·(200·200 + 200) + 200·161 + 161
    expect(countParams(fdnnS.config)).toBe(161 * 200 + 200 + 2 * (200 * 200 + 200) + 200 * 161 + 161);
    const lstmS = configWithOverrides(presetConfig('lstm', 'paper'), ['lstm_units=320']).config;
    expect(lstmS.hparams).toEqual({ lstm_units: 320, lstm_layers: 4 });
    const tcnnS = configWithOverrides(presetConfig('tcnn', 'paper'), ['tcm_channels=256', 'tcm_stacks=2']).config;
    expect(countParams(tcnnS)).toBeLessThan(countParams(presetConfig('tcnn', 'paper')) / 2);
    const gcrnS = configWithOverrides(presetConfig('gcrn', 'paper'), ['enc_channels=16,32,64,64,128', 'dec_channels=64,64,32,16,1']).config;
    expect(countParams(gcrnS)).toBeLessThan(countParams(presetConfig('gcrn', 'paper')));
    // the base is not modified
    expect(presetConfig('gcrn', 'paper').hparams.enc_channels).toEqual([16, 32, 64, 128, 256]);
  });

  it("accepts the GCRN's optional complex_mask and input_compress: same tensors, 4·161 more MACs per frame; 0 is the preset itself", () => {
    const edge = presetConfig('gcrn', 'edge');
    const masked = configWithOverrides(edge, ['complex_mask=1']).config;
    expect(masked.hparams.complex_mask).toBe(1);
    expect(countParams(masked)).toBe(countParams(edge));
    expect(countMacsPerFrame(masked) - countMacsPerFrame(edge)).toBe(4 * 161);
    const unmasked = configWithOverrides(edge, ['complex_mask=0']).config;
    expect(configEqual(unmasked, edge)).toBe(true);
    expect(userError(() => configWithOverrides(edge, ['complex_mask=2']))).toMatch(/complex_mask' must be 0 or 1, got 2/);
    const compressed = configWithOverrides(edge, ['input_compress=1', 'complex_mask=1']).config;
    expect(compressed.hparams).toMatchObject({ input_compress: 1, complex_mask: 1 });
    expect(countParams(compressed)).toBe(countParams(edge));
    expect(userError(() => configWithOverrides(edge, ['complex_mask=1,1']))).toMatch(/'complex_mask' takes one integer/);
    expect(userError(() => configWithOverrides(presetConfig('fdnn', 'edge'), ['complex_mask=1']))).toMatch(/fdnn has no hyper-parameter 'complex_mask'/);
  });

  it('lets a list change length (depth) and keeps the other keys', () => {
    const c = configWithOverrides(presetConfig('fdnn', 'edge'), ['hidden_units=256']).config;
    expect(c).toEqual({ arch: 'fdnn', hparams: { hidden_units: [256] } });
  });

  it('rejects unknown keys, bad values, repeated keys and impossible networks with clear messages', () => {
    const gcrn = presetConfig('gcrn', 'edge');
    expect(userError(() => configWithOverrides(gcrn, ['hidden=3']))).toMatch(/gcrn has no hyper-parameter 'hidden' \(it has enc_channels, dec_channels, kernel_bins/);
    expect(userError(() => configWithOverrides(gcrn, ['enc_channels']))).toMatch(/--set expects key=value/);
    expect(userError(() => configWithOverrides(gcrn, ['enc_channels=4,8,x,32,48']))).toMatch(/enc_channels=4,8,x,32,48: 'x' is not an integer/);
    expect(userError(() => configWithOverrides(gcrn, ['lstm_layers=2.5']))).toMatch(/'2.5' is not an integer/);
    expect(userError(() => configWithOverrides(gcrn, ['lstm_layers=1,2']))).toMatch(/'lstm_layers' takes one integer, not a list/);
    expect(userError(() => configWithOverrides(gcrn, ['lstm_layers=']))).toMatch(/empty value/);
    expect(userError(() => configWithOverrides(gcrn, ['lstm_layers=1', 'lstm_layers=2']))).toMatch(/lstm_layers is given twice/);
    expect(userError(() => configWithOverrides(gcrn, ['lstm_layers=0']))).toMatch(/not a valid gcrn network: .*'lstm_layers' must be an integer ≥ 1/);
    expect(userError(() => configWithOverrides(gcrn, ['dec_channels=16,16,8,4,2']))).toMatch(/dec_channels must have 5 entries .* ending in 1/);
    expect(userError(() => configWithOverrides(gcrn, ['lstm_groups=5']))).toMatch(/not divisible by lstm_groups/);
    const tcnn = presetConfig('tcnn', 'edge');
    expect(userError(() => configWithOverrides(tcnn, ['enc_channels=4,4,8']))).toMatch(/equal lengths/);
    expect(userError(() => configWithOverrides(tcnn, ['kernel_samples=400']))).toMatch(/tcnn: encoder layer 1 would have width -/);
  });

  it('compares configs regardless of key order and says what differs', () => {
    const a: ArchConfig = { arch: 'lstm', hparams: { lstm_units: 8, lstm_layers: 1 } };
    const b: ArchConfig = { arch: 'lstm', hparams: { lstm_layers: 1, lstm_units: 8 } };
    expect(configEqual(a, b)).toBe(true);
    expect(configDiffText(a, { arch: 'lstm', hparams: { lstm_layers: 2, lstm_units: 8 } })).toBe('lstm_layers 1 vs 2');
    expect(configDiffText(a, presetConfig('fdnn', 'tiny'))).toBe('arch lstm vs fdnn');
  });
});

suite('a custom-size network end to end: train --set → quant → WASM, and hushpack report', () => {
  // A tiny GCRN narrower than the tiny preset (LSTM on 2·4 = 8 features, one layer).
  const SETS = ['enc_channels=2,2,2,2,2', 'lstm_layers=1'];
  const custom = configWithOverrides(presetConfig('gcrn', 'tiny'), SETS).config;
  const ckpt = join(dir, 'train', 'gcrn-small.safetensors');

  it('trains through the CLI and records the resolved config in the checkpoint', async () => {
    const io = capture();
    const code = await main([
      'node', 'hushpack', 'train', '--arch', 'gcrn', '--preset', 'tiny', ...SETS.flatMap((s) => ['--set', s]),
      '--corpus', FIXTURE, '--out', ckpt, '--epochs', '1', '--steps-per-epoch', '2', '--val-items', '2',
      '--threads', '1', '--no-val-metrics', '--no-prefetch', '--json',
    ]);
    expect(code, io.err()).toBe(0);
    const summary = JSON.parse(io.out()) as { preset: string; params: number; hparams: unknown; epoch: number };
    expect(summary).toMatchObject({ preset: 'custom', params: countParams(custom), hparams: custom.hparams, epoch: 1 });
    expect(io.err()).toContain(`custom gcrn (tiny with enc_channels=2,2,2,2,2 lstm_layers=1): ${countParams(custom).toLocaleString('en-US')} parameters`);
    const ck = checkpointRead(ckpt);
    expect(ck.config).toEqual(custom);
    expect(ck.preset).toBe('custom');
    expect(ck.metadata.base_preset).toBe('tiny');
    expect(JSON.parse(ck.metadata.hparam_overrides)).toEqual({ enc_channels: [2, 2, 2, 2, 2], lstm_layers: 1 });
    expect(ck.tensors.has('glstm.lstm_list2.0.weight_ih_l0')).toBe(false); // one grouped-LSTM layer only

    // an unknown key is a UserError printed by the CLI, before anything runs
    const io2 = capture();
    const bad = await main(['node', 'hushpack', 'train', '--arch', 'gcrn', '--preset', 'tiny', '--set', 'hidden=3', '--corpus', FIXTURE, '--out', join(dir, 'bad.safetensors'), '--epochs', '1']);
    expect(bad).toBe(1);
    expect(io2.err()).toMatch(/hushpack: --set hidden=3: gcrn has no hyper-parameter 'hidden'/);
  }, 60_000);

  it('compresses with quant, and the .hush runs on WASM equal to libtorch on the stored weights', async () => {
    const out = join(dir, 'compress', 'gcrn-small-quant.hush');
    mkdirSync(join(dir, 'compress'), { recursive: true });
    await compressRun({
      pipeline: 'quant', input: ckpt, corpusDir: FIXTURE, out, sensItems: 2, sensSeconds: 1, valItems: 2, valSeconds: 1,
      valMetrics: false, workers: 1, threads: 1, prefetch: false, maxK: 8,
    });
    const bytes = new Uint8Array(readFileSync(out));
    const file = readHush(bytes, out);
    expect(file.config).toEqual(custom);
    expect([...file.tensors.values()].some((t) => t.encoding === 'kmeans')).toBe(true);
    // libtorch on exactly the weights the file stores (k-means decoded; BatchNorm is not folded by compress)
    const weights = new Map([...file.tensors].map(([name, t]) => [name, { shape: t.shape.slice(), data: hushTensorDense(t) }]));
    const net = createNet(file.config as ArchConfig, { weights });
    const x = testSignal(16_357);
    let ref: Float32Array;
    try {
      ref = enhanceWaveform(net, x);
    } finally {
      net.dispose();
    }
    for (const flavor of ['simd', 'scalar'] as const) {
      const { aligned } = streamHops(await enhancerFor(bytes, flavor), x);
      const { diff, peak } = maxAbsDiff(aligned, ref);
      expect(peak).toBeGreaterThan(1e-3);
      expect(diff, `${flavor}: max |Δ| ${diff} vs peak ${peak}`).toBeLessThanOrEqual(1e-4 * peak);
    }
  }, 60_000);

  it('hushpack report lists the checkpoint in Table IV with its parameter count', async () => {
    const results = join(dir, 'results');
    mkdirSync(results, { recursive: true });
    copyFileSync(ckpt, join(results, 'gcrn-small.safetensors'));
    // a larger (tiny-preset) GCRN, quantised: Table IV compares the small model with it
    const big = tinyCheckpointWrite(join(dir, 'gcrn-tiny.safetensors'), 'gcrn', 1, { batch: 2, segmentSeconds: 1, valItems: 2, valSeconds: 1, stepsPerEpoch: 2 });
    await compressRun({
      pipeline: 'quant', input: big, corpusDir: FIXTURE, out: join(results, 'gcrn-tiny-quant.hush'), sensItems: 2, sensSeconds: 1,
      valItems: 2, valSeconds: 1, valMetrics: false, workers: 1, threads: 1, prefetch: false, maxK: 4,
    });
    const inputs = reportInputsRead(results);
    const m = inputs.models.find((x) => x.file === 'gcrn-small.safetensors')!;
    expect(m).toMatchObject({ arch: 'gcrn', preset: 'custom', params: countParams(custom), config: custom });
    expect(m.params).toBeLessThan(countParams(presetConfig('gcrn', 'tiny')));
    const { html } = await reportHtml(inputs);
    const tableIV = html.slice(html.indexOf('Table IV'));
    expect(tableIV).toContain('GCRN_S (gcrn-small.safetensors, custom)');
    expect(tableIV).toContain(`${(countParams(custom) / 1e6).toFixed(3)} M`);
  }, 60_000);
});
