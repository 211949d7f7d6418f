/**
 * Block-sparse pruning (src/compress/blocks.ts, issue #18): which tensors, ℓ2 block order, whole-block
 * masks, Algorithm 1's scan over blocks (sensitivityBlocks), and that a block-pruned mask exports as
 * the `.hush` block list the runtime's block kernel reads.
 */
import { describe, expect, it } from 'vitest';
import {
  blockForEach, blockLayout, blockOrder, blockShapeName, blockShapeParse, maskBlocks, type BlockLayout,
} from '../../src/compress/blocks.js';
import { maskFull, maskKept, maskPositions } from '../../src/compress/masks.js';
import { sensitivityBlocks, type SensitivityTensor } from '../../src/compress/sensitivity.js';
import { blocksFromPositions } from '../../src/format/sparsity.js';
import { UserError } from '../../src/errors.js';

describe('block shapes and layouts', () => {
  it('parses 4x1, 8x1, 1x4 and refuses anything else with the allowed list', () => {
    expect(blockShapeParse('4x1')).toEqual([4, 1]);
    expect(blockShapeParse('8x1')).toEqual([8, 1]);
    expect(blockShapeParse(' 1x4 ')).toEqual([1, 4]);
    expect(blockShapeName([8, 1])).toBe('8x1');
    for (const bad of ['2x2', '4', '4x4', 'x', '16x1']) {
      expect(() => blockShapeParse(bad)).toThrow(UserError);
      expect(() => blockShapeParse(bad)).toThrow(/--block must be one of 4x1, 8x1, 1x4/);
    }
  });
  it('applies to Linear and LSTM matrices, Conv2d / ConvTranspose2d kernels and 1×1 Conv1d the block tiles; not to depthwise convs, biases or odd shapes', () => {
    expect(blockLayout({ kind: 'lstm_ih', shape: [2048, 512] }, [4, 1])).toEqual({ rows: 2048, cols: 512, br: 4, bc: 1, blocks: 262144, blockCols: 512 });
    expect(blockLayout({ kind: 'linear', shape: [161, 164] }, [1, 4])).toMatchObject({ blocks: 161 * 41 });
    expect(blockLayout({ kind: 'linear', shape: [161, 161] }, [4, 1])).toBeNull(); // 161 rows
    expect(blockLayout({ kind: 'linear', shape: [161, 161] }, [1, 4])).toBeNull(); // 161 columns
    // Conv2d [Cout][Cin][kT][kF]: the matrix view [Cout][Cin·kT·kF]; 4x1 = 4 output channels at one (ci, t, k)
    expect(blockLayout({ kind: 'conv', shape: [16, 8, 1, 3] }, [4, 1])).toEqual({ rows: 16, cols: 24, br: 4, bc: 1, blocks: 96, blockCols: 24 });
    expect(blockLayout({ kind: 'conv', shape: [16, 8, 2, 5] }, [1, 4])).toMatchObject({ rows: 16, cols: 80, blocks: 320 });
    expect(blockLayout({ kind: 'conv', shape: [6, 8, 1, 3] }, [4, 1])).toBeNull(); // 6 output channels
    // ConvTranspose2d [Cin][Cout][kT][kF]: 4x1 / 8x1 = 4 / 8 input channels at one (co, t, k); no 1x4
    expect(blockLayout({ kind: 'deconv', shape: [32, 16, 1, 3] }, [8, 1])).toMatchObject({ rows: 32, cols: 48, blocks: 4 * 48 });
    expect(blockLayout({ kind: 'deconv', shape: [32, 16, 1, 4] }, [1, 4])).toBeNull();
    // 1×1 Conv1d (TCNN's TCM, a matrix); depthwise Conv1d [M][1][k] stays unstructured
    expect(blockLayout({ kind: 'conv', shape: [512, 256, 1] }, [4, 1])).toMatchObject({ rows: 512, cols: 256 });
    expect(blockLayout({ kind: 'conv', shape: [512, 1, 3] }, [4, 1])).toBeNull();
    expect(blockLayout({ kind: 'bias', shape: [16] }, [4, 1])).toBeNull();
    expect(blockLayout({ kind: 'prelu', shape: [4, 4] }, [4, 1])).toBeNull();
  });
  it('visits a block row-major (the `.hush` block order)', () => {
    const l = blockLayout({ kind: 'linear', shape: [8, 6] }, [4, 1])!;
    const p: number[] = [];
    blockForEach(l, 7, (x) => p.push(x)); // block row 1, column 1
    expect(p).toEqual([25, 31, 37, 43]);
    const l14 = blockLayout({ kind: 'linear', shape: [2, 8] }, [1, 4])!;
    const q: number[] = [];
    blockForEach(l14, 3, (x) => q.push(x)); // row 1, columns 4..7
    expect(q).toEqual([12, 13, 14, 15]);
  });
});

describe('block masks', () => {
  // W [8][4], 4x1: 8 blocks; block b's weights all equal (b + 1) · sign, so ℓ2 order = id order
  const l = blockLayout({ kind: 'linear', shape: [8, 4] }, [4, 1]) as BlockLayout;
  const values = new Float32Array(32);
  for (let b = 0; b < 8; b++) blockForEach(l, b, (p) => (values[p] = (b % 2 ? -1 : 1) * (8 - b)));
  it('orders blocks by ascending ℓ2 norm, ties by id, skipping empty blocks', () => {
    expect(Array.from(blockOrder(values, maskFull(32), l))).toEqual([7, 6, 5, 4, 3, 2, 1, 0]);
    const tied = new Float32Array(32).fill(1);
    expect(Array.from(blockOrder(tied, maskFull(32), l))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const m = maskBlocks(values, maskFull(32), l, 50);
    expect(Array.from(blockOrder(values, m, l))).toEqual([3, 2, 1, 0]);
  });
  it('prunes β % of the live blocks, whole blocks only, so the mask is a block list', () => {
    const m = maskBlocks(values, maskFull(32), l, 25); // 2 of 8 blocks: 7 and 6
    expect(maskKept(m)).toBe(24);
    const kept = blocksFromPositions([8, 4], [4, 1], maskPositions(m));
    expect(typeof kept === 'string' ? kept : Array.from(kept.kept)).toEqual([0, 1, 2, 3, 4, 5]);
    const m2 = maskBlocks(values, m, l, 50); // 3 of the 6 live blocks
    expect(maskKept(m2)).toBe(12);
  });
});

describe('Algorithm 1 over blocks (sensitivityBlocks)', () => {
  const l = blockLayout({ kind: 'lstm_hh', shape: [8, 10] }, [4, 1]) as BlockLayout;
  const values = Float32Array.from({ length: 80 }, (_, i) => ((i * 37) % 11) - 5 + 0.5);
  const t: SensitivityTensor = { name: 'w', values, mask: maskFull(80), blocks: l };
  it('zeroes whole blocks at every grid point; never exceeding → 100 %, exceeding at 5 % → 0 %', async () => {
    const sizes: number[] = [];
    const r = await sensitivityBlocks(t, (_n, v) => {
      if (v) {
        const z = v.filter((x) => x === 0).length;
        expect(z % 4).toBe(0);
        sizes.push(z / 4);
      }
      return 0;
    }, 0.5);
    expect(r).toMatchObject({ algorithm: 'blocks', beta: 100, alive: 20 });
    expect(sizes.at(-1)).toBe(20);
    const steep = await sensitivityBlocks(t, (_n, v) => (v ? v.filter((x) => x === 0).length : 0), 0.5);
    expect(steep.beta).toBe(0);
  });
  it('needs the block grid', () => {
    expect(() => sensitivityBlocks({ name: 'w', values, mask: maskFull(80) }, () => 0, 0.1)).toThrow(/block grid/);
  });
});
