/**
 * MPO layers (src/compress/mpo.ts, mpoTrain.ts): factorisation, bonds, parameter budget, the
 * in-graph contraction against the format's reference decoder, the initial variance, and the
 * `mpo` pipeline end to end on a tiny FDNN. Torch parts skipped without the libtorch addon.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '../../src/torch/torch.js';
import { balancedFactors, mpoBonds, mpoInitCores, mpoParams, mpoPlan, mpoPlanForRate, primeFactors } from '../../src/compress/mpo.js';
import { mpoContractGraph } from '../../src/compress/mpoTrain.js';
import { mpoContract } from '../../src/format/mpo.js';
import { readHush } from '../../src/format/reader.js';
import { compressRun } from '../../src/compress/pipelines.js';
import { tinyCheckpointWrite } from './checkpoint.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const suite = torch.isTorchAvailable() ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'hushpack-mpo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function normals(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const u = () => ((s = (s * 1664525 + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

describe('MPO arithmetic', () => {
  it('factorises into balanced factors', () => {
    expect(primeFactors(2048)).toEqual(new Array(11).fill(2));
    expect(balancedFactors(161, 3)).toEqual([23, 7, 1]);
    expect(balancedFactors(2048, 3)).toEqual([16, 16, 8]);
    expect(balancedFactors(1024, 4).reduce((a, b) => a * b, 1)).toBe(1024);
  });
  it('caps each bond by the rank its cut allows, and counts parameters', () => {
    expect(mpoBonds([2, 2, 2], [2, 2, 2], 100)).toEqual([1, 4, 4, 1]);
    const p = mpoPlan(64, 64, 3, 8);
    expect(p.bonds).toEqual([1, 8, 8, 1]);
    expect(mpoParams(p)).toBe(1 * 4 * 4 * 8 + 8 * 4 * 4 * 8 + 8 * 4 * 4 * 1);
  });
  it('picks the largest bond within the rate budget', () => {
    const p = mpoPlanForRate(512, 512, 3, 10);
    expect(mpoParams(p)).toBeLessThanOrEqual((512 * 512) / 10);
    const bigger = mpoPlan(512, 512, 3, Math.max(...p.bonds) + 1);
    expect(mpoParams(bigger)).toBeGreaterThan((512 * 512) / 10);
  });
  it('initialises cores so that the matrix has the requested variance', () => {
    const plan = mpoPlan(64, 64, 3, 8);
    const cores = mpoInitCores(plan, 0.01, normals(3));
    const shapes = [[1, 4, 4, 8], [8, 4, 4, 8], [8, 4, 4, 1]];
    const w = mpoContract([64, 64], cores.map((data, k) => ({ shape: shapes[k], data })));
    const variance = w.reduce((a, x) => a + x * x, 0) / w.length;
    expect(variance).toBeGreaterThan(0.005);
    expect(variance).toBeLessThan(0.02);
  });
});

suite('MPO over libtorch', () => {
  it('the in-graph contraction equals the format’s reference decoder, and is differentiable', () => {
    const plan = mpoPlan(12, 10, 3, 3);
    const data = mpoInitCores(plan, 1, normals(5));
    const shapes = plan.rowFactors.map((r, k) => [plan.bonds[k], r, plan.colFactors[k], plan.bonds[k + 1]]);
    const cores = data.map((d, k) => torch.tensor(d, shapes[k], { requiresGrad: true }).keep());
    const ref = mpoContract([12, 10], data.map((d, k) => ({ shape: shapes[k], data: d })));
    torch.tidy(() => {
      const w = mpoContractGraph({ cores, shape: [12, 10] });
      const got = w.toFloat32Array();
      for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i] - ref[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(ref[i])));
      w.square().sum().backward();
    });
    for (const c of cores) {
      expect(c.grad).not.toBeNull();
      c.dispose();
    }
  });

  it('mpo pipeline on tiny FDNN: matrices become MPO chains in the .hush file', async () => {
    const ckpt = tinyCheckpointWrite(join(dir, 'fdnn.safetensors'), 'fdnn', 1, { batch: 2, segmentSeconds: 1, stepsPerEpoch: 2 });
    const out = join(dir, 'fdnn-mpo.hush');
    const r = await compressRun({
      pipeline: 'mpo', input: ckpt, corpusDir: FIXTURE, out, mpoRate: 2, mpoCores: 2, trainSteps: 3,
      valItems: 2, valSeconds: 1, valMetrics: false, threads: 1, prefetch: false,
    });
    expect(r.mpo!.train.steps).toBe(3);
    expect(r.mpo!.layers.length).toBeGreaterThan(0);
    for (const l of r.mpo!.layers) expect(l.params).toBeLessThanOrEqual(l.denseParams / 2);
    const file = readHush(readFileSync(out));
    for (const l of r.mpo!.layers) expect(file.tensors.get(l.tensor)!.encoding).toBe('mpo');
    expect(r.result.paramsKept).toBeLessThan(r.result.params);
  });
});
