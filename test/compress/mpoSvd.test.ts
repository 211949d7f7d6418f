/**
 * MPO chains from trained matrices (src/compress/mpoSvd.ts, `--mpo-init svd`): the Jacobi
 * eigen-solver, TT-SVD at full bond reproducing the matrix, truncation error falling with the bond
 * dimension, and the `mpo` pipeline starting from the TT-SVD of a tiny FDNN's matrices (closer to
 * the trained matrices than a random start). Pipeline part skipped without the libtorch addon.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '../../src/torch/torch.js';
import { mpoParams, mpoPlan } from '../../src/compress/mpo.js';
import { lowRankSplit, mpoCoresFromMatrix, symmetricEigen } from '../../src/compress/mpoSvd.js';
import { mpoRelError } from '../../src/compress/mpoTrain.js';
import { compressRun } from '../../src/compress/pipelines.js';
import { readHush } from '../../src/format/reader.js';
import { tinyCheckpointWrite } from './checkpoint.js';

const FIXTURE = new URL('../fixtures/corpus/', import.meta.url).pathname;
const suite = torch.isTorchAvailable() ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'hushpack-mposvd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function uniforms(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32 - 0.5;
}

/** A rows×cols matrix Σ_q 0.7^q · a_q b_qᵀ (random a, b): a decaying spectrum, as trained matrices have. */
function decayingMatrix(rows: number, cols: number, seed: number): Float32Array {
  const u = uniforms(seed);
  const w = new Float64Array(rows * cols);
  for (let q = 0; q < Math.min(rows, cols); q++) {
    const a = Array.from({ length: rows }, u);
    const b = Array.from({ length: cols }, u);
    const s = 0.7 ** q;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) w[i * cols + j] += s * a[i] * b[j];
  }
  return Float32Array.from(w);
}

describe('TT-SVD of a matrix into MPO cores', () => {
  it('the Jacobi eigen-solver diagonalises a symmetric matrix with orthonormal vectors', () => {
    const k = 12;
    const u = uniforms(5);
    const a = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = i; j < k; j++) a[i * k + j] = a[j * k + i] = u();
    const copy = Float64Array.from(a);
    const { values, vectors: v } = symmetricEigen(a, k);
    for (let i = 1; i < k; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
    for (let p = 0; p < k; p++) {
      for (let q = 0; q < k; q++) {
        let dot = 0;
        let av = 0;
        for (let r = 0; r < k; r++) dot += v[r * k + p] * v[r * k + q];
        for (let r = 0; r < k; r++) av += copy[q * k + r] * v[r * k + p]; // (A v_p)_q
        expect(Math.abs(dot - (p === q ? 1 : 0))).toBeLessThan(1e-12);
        expect(Math.abs(av - values[p] * v[q * k + p])).toBeLessThan(1e-12);
      }
    }
  });

  it('a rank-r split is exact at full rank, for wide and tall matrices', () => {
    for (const [m, n] of [[5, 9], [9, 5]]) {
      const w = Float64Array.from(decayingMatrix(m, n, 2));
      const { left, right } = lowRankSplit(w, m, n, Math.min(m, n));
      const r = Math.min(m, n);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let acc = 0;
          for (let q = 0; q < r; q++) acc += left[i * r + q] * right[q * n + j];
          expect(Math.abs(acc - w[i * n + j])).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('at full bond dimension the chain reproduces the matrix (≤ 1e-4 relative)', () => {
    for (const [rows, cols, cores] of [[24, 30, 3], [64, 48, 3], [16, 16, 4], [161, 32, 2]]) {
      const w = decayingMatrix(rows, cols, rows + cols);
      const plan = mpoPlan(rows, cols, cores, Number.MAX_SAFE_INTEGER);
      const err = mpoRelError(w, [rows, cols], mpoCoresFromMatrix(w, plan), plan);
      expect(err, `${rows}×${cols}, ${cores} cores`).toBeLessThanOrEqual(1e-4);
    }
  });

  it('the truncation error falls as the bond dimension grows', () => {
    const [rows, cols] = [64, 64];
    const w = decayingMatrix(rows, cols, 9);
    const errors = [1, 2, 4, 8, 16].map((d) => {
      const plan = mpoPlan(rows, cols, 3, d);
      return { d, params: mpoParams(plan), err: mpoRelError(w, [rows, cols], mpoCoresFromMatrix(w, plan), plan) };
    });
    for (let i = 1; i < errors.length; i++) expect(errors[i].err, `D ${errors[i].d}`).toBeLessThan(errors[i - 1].err);
    expect(errors[0].err).toBeGreaterThan(0.1);
    expect(errors[errors.length - 1].err).toBeLessThan(1e-5); // D = 16 saturates both bonds (cuts of 16 · 256)
  });
});

suite('mpo pipeline with --mpo-init svd', () => {
  it('starts from the TT-SVD of the trained matrices (closer than a random start) and writes a .hush', async () => {
    const ckpt = tinyCheckpointWrite(join(dir, 'fdnn.safetensors'), 'fdnn', 1, { batch: 2, segmentSeconds: 1, stepsPerEpoch: 2 });
    const base = {
      pipeline: 'mpo' as const, input: ckpt, corpusDir: FIXTURE, mpoRate: 2, trainSteps: 1, valItems: 2, valSeconds: 1,
      valMetrics: false, threads: 1, prefetch: false,
    };
    const svd = await compressRun({ ...base, out: join(dir, 'svd.hush'), mpoInit: 'svd' });
    const random = await compressRun({ ...base, out: join(dir, 'random.hush'), mpoInit: 'random' });
    expect(svd.mpo!.init).toBe('svd');
    expect(svd.mpo!.layers.length).toBeGreaterThan(0);
    svd.mpo!.layers.forEach((l, i) => {
      expect(l.initError, l.tensor).toBeLessThan(1);
      expect(l.initError, l.tensor).toBeLessThan(random.mpo!.layers[i].initError);
    });
    expect(svd.mpo!.train.steps).toBe(1);
    const file = readHush(readFileSync(join(dir, 'svd.hush')));
    expect([...file.tensors.values()].some((t) => t.encoding === 'mpo')).toBe(true);
    await expect(compressRun({ ...base, out: join(dir, 'bad.hush'), mpoInit: 'nope' as 'svd' })).rejects.toThrow(/--mpo-init/);
  });
});
