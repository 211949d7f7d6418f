/**
 * Pipelines end to end on tiny networks and the fixture corpus (test/fixtures/corpus) with tiny
 * budgets: masks survive fine-tuning exactly, structured pruning removes whole groups, quantised
 * tensors hold at most K values, the `.hush` file decodes to the compressed network, the report
 * holds the numbers, eq. 11 is summed correctly, and the CLI prints one JSON object.
 * Skipped without the libtorch addon.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '../../src/torch/torch.js';
import { presetConfig, countParams, paramSpecs, type ArchName } from '../../src/models/index.js';
import { blockLayout } from '../../src/compress/blocks.js';
import { createNet } from '../../src/models/nets.js';
import { readHush } from '../../src/format/reader.js';
import { hushTensorDense } from '../../src/format/tensor.js';
import { eq11Bits } from '../../src/format/rate.js';
import { groupsFromPositions } from '../../src/format/sparsity.js';
import { compressRun, type CompressOptions } from '../../src/compress/pipelines.js';
import { centroidFinetune, finetune } from '../../src/compress/finetune.js';
import { kmeansQuantize } from '../../src/compress/kmeans.js';
import { maskUnstructured, maskFull } from '../../src/compress/masks.js';
import { main } from '../../tools/cli.js';
import { stdoutOf } from '../helpers/cli.js';
import { openCorpus } from '../../src/data/corpus.js';
import { pruneIterative } from '../../src/compress/prune.js';
import { masksFull, sensitivityBatches, sessionCount, sessionPrunable, type CompressSession } from '../../src/compress/session.js';
import { tinyCheckpointWrite } from './checkpoint.js';
import { Enhancer } from '../../runtime/core/enhancer.js';
import { runtimeWasm } from '../runtime/wasm.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const suite = torch.isTorchAvailable() ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'hushpack-compress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A tiny checkpoint with trainer-style metadata (random initialisation). */
function tinyCheckpoint(arch: ArchName): string {
  const path = join(dir, `${arch}.safetensors`);
  if (existsSync(path)) return path;
  return tinyCheckpointWrite(path, arch, 1, { batch: 2, segmentSeconds: 1, valItems: 2, valSeconds: 1, stepsPerEpoch: 4, seed: 1 });
}

/** Small but real settings. */
function options(arch: ArchName, pipeline: CompressOptions['pipeline'], extra: Partial<CompressOptions> = {}): CompressOptions {
  return {
    pipeline, input: tinyCheckpoint(arch), corpusDir: FIXTURE, out: join(dir, `${arch}-${pipeline}.hush`),
    finetuneSteps: 2, preSteps: 1, maxIterations: 2, sensItems: 2, sensSeconds: 1, valItems: 2, valSeconds: 1,
    workers: 1, threads: 1, prefetch: false, commandLine: `test ${pipeline}`,
    // a random network's STOI/PESQ are noise: keep the quality stop rule out of the way
    maxStoiDrop: 1, maxPesqDrop: 5, minNewlyPrunedFraction: 0,
    ...extra,
  };
}

suite('compression pipelines', () => {
  it('fine-tuning holds masks exactly (pruned weights stay 0.0, the others train)', async () => {
    const config = presetConfig('fdnn', 'tiny');
    const net = createNet(config, { seed: 5 });
    const t = net.tensors.get('fc1.weight')!;
    const before = t.toFloat32Array();
    const mask = maskUnstructured(before, maskFull(before.length), 60);
    for (let i = 0; i < before.length; i++) if (!mask[i]) before[i] = 0;
    t.copyFrom(before);
    const spec = { arch: 'fdnn' as const, corpusDir: FIXTURE, split: 'train' as const, seed: 1, batch: 2, segmentSeconds: 1, snrRangeDb: [-5, 0] as [number, number] };
    const r = await finetune(net, { spec, startStep: 0, prefetch: false }, { steps: 3, lr: 1e-2, masks: new Map([['fc1.weight', mask]]) });
    expect(r.steps).toBe(3);
    const after = t.toFloat32Array();
    let changed = 0;
    for (let i = 0; i < after.length; i++) {
      if (!mask[i]) expect(Object.is(after[i], 0) || Object.is(after[i], -0)).toBe(true);
      else if (after[i] !== before[i]) changed++;
    }
    expect(changed).toBeGreaterThan(0);
    net.dispose();
  });

  it('c1 (ℓ1 + unstructured + k-means) on tiny FDNN: valid .hush, report numbers consistent', async () => {
    const o = options('fdnn', 'c1');
    const r = await compressRun(o);
    expect(r.pruning!.iterations[0].phase).toBe('baseline');
    expect(r.pruning!.iterations[1].phase).toBe('regularized');
    expect(r.quantization).not.toBeNull();
    const file = readHush(readFileSync(o.out));
    let bits = 0;
    for (const [name, t] of file.tensors) {
      bits += eq11Bits(t);
      if (t.encoding === 'kmeans') {
        const q = r.quantization!.perTensor.find((p) => p.tensor === name)!;
        expect(t.codebook.length).toBe(q.codebook);
        expect(q.codebook).toBeLessThanOrEqual(q.k);
        const distinct = new Set(Array.from(hushTensorDense(t)).filter((x) => x !== 0));
        expect(distinct.size).toBeLessThanOrEqual(q.k);
        expect(t.indices.length).toBe(q.nonzeros);
      }
    }
    expect(r.result.eq11Rate).toBeCloseTo((32 * countParams(r.config)) / bits, 6);
    expect(r.result.params).toBe(countParams(r.config));
    expect(JSON.parse(readFileSync(r.report, 'utf8')).format).toBe('hushpack-compress-report');
    const last = r.pruning!.iterations.filter((i) => i.accepted).at(-1)!;
    expect(r.result.paramsKept).toBe(last.paramsKept);
  });

  it('c2 (SGL + structured + k-means) on tiny GCRN: stored positions are whole groups', async () => {
    const o = options('gcrn', 'c2', { alpha1: 0.05 });
    const r = await compressRun(o);
    const file = readHush(readFileSync(o.out));
    for (const it of r.pruning!.iterations) for (const t of it.perTensor) expect(t.kept % (t.total / t.groups)).toBe(0);
    for (const e of file.entries) {
      const t = file.tensors.get(e.name);
      if (t?.encoding !== 'kmeans' || t.positions === null) continue;
      const axis = e.name.includes('lstm') || /^fc\d\./.test(e.name) ? 1 : 2;
      expect(groupsFromPositions(t.shape, axis, t.positions)).not.toBeNull();
    }
    expect(r.pruning!.iterations.some((i) => i.phase === 'pruned')).toBe(true);
  });

  it('c1 --block 4x1 on tiny GCRN: the LSTM matrices and the conv kernels the block tiles are pruned in whole blocks, stored as blocks, and run in WASM', async () => {
    const o = options('gcrn', 'c1', { alpha1: 0.05, block: '4x1', out: join(dir, 'gcrn-c1-block.hush') });
    const r = await compressRun(o);
    expect(r.settings.block).toEqual([4, 1]);
    const bytes = readFileSync(o.out);
    const file = readHush(bytes);
    const blocks = file.entries.filter((e) => e.sparsity === 'blocks');
    for (const e of blocks) expect(e.name).toMatch(/lstm|^fc\d\.|^conv\d/);
    const specs = new Map(paramSpecs(presetConfig('gcrn', 'tiny')).map((p) => [p.name, p]));
    for (const e of file.entries) {
      const t = file.tensors.get(e.name);
      if ((t?.encoding !== 'kmeans' && t?.encoding !== 'sparse') || t.positions === null) continue;
      // every pruned LSTM matrix, and every pruned conv kernel that 4x1 tiles (GCRN tiny: conv5's
      // 4 output channels, the decoders' 8 input channels of block 5), is whole 4x1 blocks
      if (/lstm.*weight/.test(e.name) || blockLayout(specs.get(e.name)!, [4, 1])) expect(e.sparsity, e.name).toBe('blocks');
    }
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.some((e) => /^conv\d/.test(e.name)), 'a conv kernel in blocks').toBe(true);
    expect(file.versionMinor).toBe(2);
    const e = Enhancer.create(await runtimeWasm('simd'), bytes, { plan: 'fast' });
    expect(e.tensors.map((t) => t.form)).toContain('block');
    await expect(compressRun(options('gcrn', 'c2', { block: '4x1' }))).rejects.toThrow(/--block applies to the unstructured pipelines c1 and prune-u, not c2/);
    await expect(compressRun(options('gcrn', 'c1', { block: '2x2' }))).rejects.toThrow(/--block must be one of 4x1, 8x1, 1x4/);
  });

  it('centroid fine-tuning moves the codebook; weights stay its entries, pruned ones 0', async () => {
    const net = createNet(presetConfig('fdnn', 'tiny'), { seed: 6 });
    const t = net.tensors.get('fc1.weight')!;
    const v = t.toFloat32Array();
    const mask = maskUnstructured(v, maskFull(v.length), 50);
    const q = kmeansQuantize(v, 4, mask);
    const before = Float32Array.from(q.codebook);
    const tied = { codebook: q.codebook, positions: q.positions, indices: q.indices };
    const spec = { arch: 'fdnn' as const, corpusDir: FIXTURE, split: 'train' as const, seed: 1, batch: 2, segmentSeconds: 1, snrRangeDb: [-5, 0] as [number, number] };
    await centroidFinetune(net, { spec, startStep: 0, prefetch: false }, new Map([['fc1.weight', tied]]), { steps: 2, lr: 1e-2 });
    expect(Array.from(tied.codebook)).not.toEqual(Array.from(before));
    const after = t.toFloat32Array();
    const book = new Set(tied.codebook);
    for (let i = 0; i < after.length; i++) {
      if (!mask[i]) expect(after[i]).toBe(0);
      else expect(book.has(after[i])).toBe(true);
    }
    net.dispose();
  });

  it('centroid fine-tuning holds the masks of pruned tensors that have no codebook (e.g. pruned to 100 %)', async () => {
    const net = createNet(presetConfig('fdnn', 'tiny'), { seed: 7 });
    const w1 = net.tensors.get('fc1.weight')!.toFloat32Array();
    const q = kmeansQuantize(w1, 4, maskFull(w1.length));
    const tied = { codebook: q.codebook, positions: q.positions, indices: q.indices };
    // out.weight: every weight pruned, so k-means skips it and it is not tied to a codebook.
    const w2 = net.tensors.get('out.weight')!;
    const allPruned = maskUnstructured(w2.toFloat32Array(), maskFull(w2.numel), 100);
    w2.copyFrom(new Float32Array(w2.numel));
    const spec = { arch: 'fdnn' as const, corpusDir: FIXTURE, split: 'train' as const, seed: 1, batch: 2, segmentSeconds: 1, snrRangeDb: [-5, 0] as [number, number] };
    await centroidFinetune(net, { spec, startStep: 0, prefetch: false }, new Map([['fc1.weight', tied]]), {
      steps: 2, lr: 1e-2, masks: new Map([['out.weight', allPruned]]),
    });
    expect(net.tensors.get('out.weight')!.toFloat32Array().every((x) => x === 0)).toBe(true);
    net.dispose();
  });

  it('quant with centroid fine-tuning (beyond the paper): the exported file decodes to the tied weights', async () => {
    const o = options('gcrn', 'quant', { centroidSteps: 2, centroidLr: 1e-2, alpha2: 1e-6, maxK: 8 });
    const r = await compressRun(o);
    const q = r.quantization!;
    expect(q.centroidFinetune!.steps).toBe(2);
    expect(q.valAfterCentroids).not.toBeNull();
    // the export read the file back and compared every tensor with the network (hushWriteVerified)
    const file = readHush(readFileSync(o.out));
    for (const t of q.perTensor) {
      const h = file.tensors.get(t.tensor)!;
      expect(h.encoding).toBe('kmeans');
      if (h.encoding === 'kmeans') expect(h.codebook.length).toBeLessThanOrEqual(8);
    }
  });

  it('global: a common threshold prunes exactly the target fraction', async () => {
    const r = await compressRun(options('fdnn', 'global', { targetPercent: 30 }));
    const g = r.global!.globalRecord;
    const total = g.perTensor.reduce((s, t) => s + t.total, 0);
    const kept = g.perTensor.reduce((s, t) => s + t.kept, 0);
    expect(kept).toBe(Math.round(total * 0.3));
  });

  it('stop rule: an iteration that newly prunes a trivial fraction is not applied', async () => {
    const trivial = await compressRun(options('fdnn', 'prune-u', { minNewlyPrunedFraction: 2, valMetrics: false, out: join(dir, 'trivial.hush') }));
    expect(trivial.pruning!.stop).toBe('trivial');
    expect(trivial.pruning!.accepted).toBe(0);
    expect(trivial.pruning!.iterations.at(-1)!.accepted).toBe(false);
    expect(trivial.result.paramsPercent).toBe(100);
  });

  it('an iteration whose STOI/PESQ fall beyond the bounds is undone (masks and weights restored)', async () => {
    const config = presetConfig('fdnn', 'tiny');
    const net = createNet(config, { seed: 8 });
    const corpus = openCorpus(FIXTURE);
    const prunable = sessionPrunable(net);
    const before = net.tensors.get('fc1.weight')!.toFloat32Array();
    const spec = { arch: 'fdnn' as const, corpusDir: FIXTURE, split: 'train' as const, seed: 1, batch: 2, segmentSeconds: 1, snrRangeDb: [-5, 0] as [number, number] };
    let calls = 0;
    const s: CompressSession = {
      net, config, prunable, masks: masksFull(prunable), corpus,
      sensBatches: sensitivityBatches(corpus, 'fdnn', 2, 1, 1, [-5, 0]),
      valSet: { pairs: [], gains: [], netMixtures: [], batches: [], mixStoi: null, mixPesqNb: null, mixPesqWb: null, loss: 'mse' }, valMetrics: true,
      data: { spec, startStep: 0, prefetch: false }, analysis: {}, log: () => undefined,
      // the input model scores 0.9 / 3.0, every later state 0.85 / 3.0: a STOI drop of 0.05
      validateOverride: () => ({ loss: 1, stoi: calls++ === 0 ? 0.9 : 0.85, pesq_nb: 3, seconds: 0 }),
    };
    const base = { structured: false, regularizer: 'none' as const, lambda1: 0, lambda2: 0, alpha1: 1e9, maxIterations: 3, minNewlyPrunedFraction: 0, maxPesqDrop: 0.1, finetuneSteps: 1, preSteps: 0, lr: 1e-3 };
    const kept = await pruneIterative(s, { ...base, maxStoiDrop: 0.1 });
    expect(kept.stop).toBe('iterations');
    calls = 0;
    net.tensors.get('fc1.weight')!.copyFrom(before);
    s.masks = masksFull(prunable);
    const undone = await pruneIterative(s, { ...base, maxStoiDrop: 0.02 });
    expect(undone.stop).toBe('quality');
    expect(undone.accepted).toBe(0);
    expect(undone.iterations.at(-1)!.accepted).toBe(false);
    expect(undone.iterations.at(-1)!.paramsPercent).toBeLessThan(50);
    expect(sessionCount(s).paramsPercent).toBe(100);
    expect(Array.from(net.tensors.get('fc1.weight')!.toFloat32Array())).toEqual(Array.from(before));
    net.dispose();
  });

  it('the CLI prints one JSON object (prune-u)', async () => {
    const out = join(dir, 'cli.hush');
    const { result: code, out: stdout } = await stdoutOf(() =>
      main([
        'node', 'hushpack', 'compress', '--pipeline', 'prune-u', '--in', tinyCheckpoint('fdnn'), '--corpus', FIXTURE, '--out', out,
        '--finetune-steps', '1', '--max-iterations', '1', '--sens-items', '2', '--sens-seconds', '1', '--val-items', '2', '--val-seconds', '1',
        '--workers', '1', '--threads', '1', '--no-prefetch', '--no-val-metrics', '--json',
      ]),
    );
    expect(code).toBe(0);
    const j = JSON.parse(stdout);
    expect(j.pipeline).toBe('prune-u');
    expect(existsSync(out)).toBe(true);
    expect(existsSync(j.report)).toBe(true);
  });
});
