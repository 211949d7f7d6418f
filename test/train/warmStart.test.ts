/**
 * `hushpack train --init CKPT`: a new run starting from a checkpoint's weights and BatchNorm
 * buffers. Its initial validation equals the checkpoint's recorded validation loss (same validation
 * subset), the starting network is a best-model candidate, the checkpoint's path and SHA-256 are in
 * the metadata of every file of the run (also after a resume), and a checkpoint of another network
 * is refused. Tiny GCRN (it has BatchNorm) on the fixture corpus; skipped without the libtorch addon.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { configWithOverrides, presetConfig } from '../../src/models/index.js';
import { checkpointRead, trainStateRead } from '../../src/train/checkpoint.js';
import * as torch from '../../src/torch/torch.js';
import { trainRun, type TrainHyperParams, type TrainOptions } from '../../src/train/trainer.js';
import { main } from '../../tools/cli.js';
import { capture } from '../helpers/cli.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const suite = torch.isTorchAvailable() ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'hushpack-warm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const HYPER: Partial<TrainHyperParams> = { batch: 4, segmentSeconds: 1, valItems: 4, valSeconds: 1, seed: 2, stepsPerEpoch: 3 };

function options(name: string, extra: Partial<TrainOptions> = {}): TrainOptions {
  return {
    config: presetConfig('gcrn', 'tiny'), preset: 'tiny', corpusDir: FIXTURE, out: join(dir, `${name}.safetensors`),
    threads: 1, prefetch: false, valMetrics: false, commandLine: `test ${name}`, ...extra, hyper: { ...HYPER, ...extra.hyper },
  };
}

suite('warm start (--init)', () => {
  const first = join(dir, 'first.safetensors');

  it('starts at the init checkpoint\'s validation loss, with its weights and BatchNorm buffers, and records it', async () => {
    const a = await trainRun(options('first', { epochs: 1, validateInitial: false }));
    expect(a.bestEpoch).toBe(1);
    const ckA = checkpointRead(first);
    const valA = (JSON.parse(ckA.metadata.val) as { loss: number }).loss;
    expect(ckA.metadata.init).toBeUndefined();

    const b = await trainRun(options('second', { init: first, epochs: 1, hyper: { lr: 5e-4 } }));
    expect(b.records[0].epoch).toBe(0);
    expect(b.records[0].step).toBe(0);
    // the same network on the same validation subset: the same loss (float tolerance)
    expect(b.records[0].val_loss).toBeCloseTo(valA, 6);
    expect(Math.abs(b.records[0].val_loss - valA)).toBeLessThanOrEqual(1e-6 * valA);
    // a fresh network would start elsewhere (the check above is not vacuous)
    const fresh = await trainRun(options('fresh', { epochs: 0 }));
    expect(Math.abs(fresh.records[0].val_loss - valA)).toBeGreaterThan(1e-3 * valA);
    // fresh schedule at the requested lr
    expect(b.records[1].lr).toBe(5e-4);
    expect(b.init).toBe(resolve(first));

    const sha = createHash('sha256').update(readFileSync(first)).digest('hex');
    const ckB = checkpointRead(b.out);
    expect(ckB.metadata.init).toBe(resolve(first));
    expect(ckB.metadata.init_sha256).toBe(sha);
    expect(JSON.parse(ckB.metadata.training).lr).toBe(5e-4);
    const state = trainStateRead(b.statePath);
    expect(state.metadata.init_sha256).toBe(sha);
  }, 60_000);

  it('counts the starting network as a best candidate: with no steps, the output is the init checkpoint\'s weights', async () => {
    const c = await trainRun(options('third', { init: first, epochs: 0 }));
    expect(c.bestEpoch).toBe(0);
    const ckA = checkpointRead(first);
    const ckC = checkpointRead(c.out);
    expect([...ckC.tensors.keys()]).toEqual([...ckA.tensors.keys()]);
    for (const [name, t] of ckA.tensors) expect(ckC.tensors.get(name)!.data, name).toEqual(t.data);
    expect(ckA.tensors.has('bn1.running_var')).toBe(true); // buffers are part of it
  }, 30_000);

  it('takes the network from the checkpoint when --arch/--preset are omitted, keeps init across --resume, and refuses another network', async () => {
    const out = join(dir, 'cli.safetensors');
    const args = ['--corpus', FIXTURE, '--out', out, '--steps-per-epoch', '1', '--val-items', '2', '--threads', '1', '--no-val-metrics', '--no-prefetch', '--json'];
    let io = capture();
    expect(await main(['node', 'hushpack', 'train', '--init', first, '--epochs', '1', ...args]), io.err()).toBe(0);
    const s = JSON.parse(io.out()) as { arch: string; preset: string; init: string };
    expect(s).toMatchObject({ arch: 'gcrn', preset: 'tiny', init: resolve(first) });
    io = capture();
    expect(await main(['node', 'hushpack', 'train', '--resume', '--epochs', '2', ...args]), io.err()).toBe(0);
    expect(checkpointRead(out).metadata.init).toBe(resolve(first));
    expect(trainStateRead(`${out}.state`).metadata).toMatchObject({ init: resolve(first), epoch: '2' });

    io = capture();
    expect(await main(['node', 'hushpack', 'train', '--init', first, '--resume', '--epochs', '1', ...args])).toBe(1);
    expect(io.err()).toMatch(/--init starts a new run; it cannot be combined with --resume/);
    const other = configWithOverrides(presetConfig('gcrn', 'tiny'), ['lstm_layers=1']).config;
    await expect(trainRun(options('other', { config: other, init: first, epochs: 0 }))).rejects.toThrow(
      /--init .*first\.safetensors: its network is not the requested one \(lstm_layers 2 vs 1\)/,
    );
    await expect(trainRun(options('fdnn', { config: presetConfig('fdnn', 'tiny'), init: first, epochs: 0 }))).rejects.toThrow(/arch gcrn vs fdnn/);
  }, 60_000);
});
