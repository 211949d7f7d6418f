/**
 * A small model that exercises every `.hush` encoding, sparsity kind and flag; shared by the round-trip,
 * fuzz and WASM reader tests. Deterministic (xorshift32 with fixed seeds).
 */
import type { HushModel } from '../../src/format/writer.js';
import type { HushTensor } from '../../src/format/tensor.js';
import { f16RoundArray } from '../../src/format/f16.js';
import { blockPositions, groupPositions } from '../../src/format/sparsity.js';

/** xorshift32: deterministic uniform [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

export function randn(n: number, r: () => number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => (r() - 0.5) * 2 * scale);
}

/** Positions kept with probability `keep`, ascending. */
export function randomPositions(count: number, keep: number, r: () => number): Uint32Array {
  const out: number[] = [];
  for (let p = 0; p < count; p++) if (r() < keep) out.push(p);
  return Uint32Array.from(out);
}

export function randomIndices(n: number, k: number, r: () => number): Uint32Array {
  return Uint32Array.from({ length: n }, () => Math.floor(r() * k));
}

/** Ascending positions of the kept br × bc blocks (sparsity 'blocks'; the writer stores them in block order). */
export function blockPositionsAscending(shape: number[], br: number, bc: number, kept: number[]): Uint32Array {
  return blockPositions(shape, br, bc, kept).sort();
}

/** Every encoding at least once. */
export function fixtureModel(): HushModel {
  const r = rng(12345);
  const t = new Map<string, HushTensor>();
  t.set('enc1.conv.weight', { encoding: 'f32', shape: [4, 2, 1, 3], data: randn(24, r), bnFolded: true });
  t.set('enc1.conv.bias', { encoding: 'f32', shape: [4], data: randn(4, r), bnFolded: true });
  t.set('enc1.prelu.weight', { encoding: 'f16', shape: [4], data: f16RoundArray(randn(4, r)) });
  t.set('scalar', { encoding: 'f32', shape: [], data: new Float32Array([0.5]) });
  // k-means, all stored, K = 16 (4 bits)
  t.set('fc1.weight', { encoding: 'kmeans', shape: [8, 6], codebook: randn(16, r), positions: null, indices: randomIndices(48, 16, r) });
  // k-means, bitmap (50 % kept; 63 bits, so the bitmap has a padding bit), K = 5 (3 bits, not a power of two), f16 codebook
  {
    const pos = randomPositions(63, 0.5, r);
    t.set('fc2.weight', { encoding: 'kmeans', shape: [7, 9], codebook: f16RoundArray(randn(5, r)), codebookDtype: 'f16', positions: pos, indices: randomIndices(pos.length, 5, r), sparsity: 'bitmap' });
  }
  // k-means, very sparse → delta, K = 1 (0 bits)
  {
    const pos = randomPositions(300, 0.03, r);
    t.set('fc3.weight', { encoding: 'kmeans', shape: [10, 30], codebook: new Float32Array([0.75]), positions: pos, indices: new Uint32Array(pos.length) });
  }
  // structured: columns (dim 1) of an LSTM-style [4H, in] matrix
  {
    const pos = groupPositions([12, 10], 1, [0, 3, 4, 9]);
    t.set('lstm1.weight_ih', { encoding: 'kmeans', shape: [12, 10], codebook: randn(8, r), positions: pos, indices: randomIndices(pos.length, 8, r) });
  }
  // structured: conv kernels (out × in pairs)
  {
    const pos = groupPositions([4, 3, 1, 5], 2, [0, 2, 5, 7, 11]);
    t.set('enc2.conv.weight', { encoding: 'kmeans', shape: [4, 3, 1, 5], codebook: randn(4, r), positions: pos, indices: randomIndices(pos.length, 4, r), sparsity: 'groups' });
  }
  // structured rows (dim 0)
  {
    const pos = groupPositions([6, 4], 0, [1, 4]);
    t.set('rows.weight', { encoding: 'kmeans', shape: [6, 4], codebook: randn(2, r), positions: pos, indices: randomIndices(pos.length, 2, r), sparsity: 'groups' });
  }
  // sparse (pruned, not quantised), f32 and f16
  {
    const pos = randomPositions(40, 0.3, r);
    t.set('sp32.weight', { encoding: 'sparse', shape: [5, 8], positions: pos, values: randn(pos.length, r) });
    const pos2 = randomPositions(40, 0.6, r);
    t.set('sp16.weight', { encoding: 'sparse', shape: [5, 8], valuesDtype: 'f16', positions: pos2, values: f16RoundArray(randn(pos2.length, r)) });
  }
  // blocks (format minor 2): 4x1 k-means, 8x1 sparse f32, 1x4 k-means with an f16 codebook
  {
    const p4 = blockPositionsAscending([8, 6], 4, 1, [0, 3, 5, 6, 11]);
    t.set('blk4.weight', { encoding: 'kmeans', shape: [8, 6], codebook: randn(8, r), positions: p4, indices: randomIndices(p4.length, 8, r), sparsity: 'blocks', block: [4, 1] });
    const p8 = blockPositionsAscending([16, 3], 8, 1, [1, 2, 4]);
    t.set('blk8.weight', { encoding: 'sparse', shape: [16, 3], positions: p8, values: randn(p8.length, r), sparsity: 'blocks', block: [8, 1] });
    const p14 = blockPositionsAscending([3, 8, 1], 1, 4, [0, 3, 4]);
    t.set('blk14.weight', { encoding: 'kmeans', shape: [3, 8, 1], codebook: f16RoundArray(randn(3, r)), codebookDtype: 'f16', positions: p14, indices: randomIndices(p14.length, 3, r), sparsity: 'blocks', block: [1, 4] });
  }
  // MPO: [12, 6] = (2·3·2) × (1·3·2), bonds 1-3-2-1; middle core k-means
  {
    const c0 = randn(1 * 2 * 1 * 3, r);
    const c1pos = null;
    const c2 = randn(2 * 2 * 2 * 1, r);
    t.set('mpo.weight', {
      encoding: 'mpo',
      shape: [12, 6],
      cores: [
        { encoding: 'f32', shape: [1, 2, 1, 3], data: c0 },
        { encoding: 'kmeans', shape: [3, 3, 3, 2], codebook: randn(4, r), positions: c1pos, indices: randomIndices(54, 4, r) },
        { encoding: 'f32', shape: [2, 2, 2, 1], data: c2 },
      ],
    });
  }
  t.set('out.bias', { encoding: 'f32', shape: [3], data: randn(3, r) });
  return {
    config: { arch: 'gcrn', hparams: { channels: [16, 32, 64], lstmHidden: 512, groups: 2, lnEps: 1e-5, one: [7] } },
    metadata: { pipeline: 'c1', preset: 'tiny', 'command line': 'hushpack compress --pipeline c1 …', empty: '' },
    tensors: t,
  };
}

/** Tensors in table-entry order: each top-level tensor, then (for MPO) its cores. */
export function tableOrder(tensors: Map<string, HushTensor>): HushTensor[] {
  const out: HushTensor[] = [];
  for (const t of tensors.values()) {
    out.push(t);
    if (t.encoding === 'mpo') out.push(...t.cores);
  }
  return out;
}
