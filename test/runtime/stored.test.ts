/**
 * The fast plan's sparse forms are packed straight from a pruned tensor's stored entries
 * (assembly/nets/stored.ts) instead of from its dense decode. They must be byte-identical to what the
 * kernels' own packers (sparsePack, columnsCompact in assembly/nn/) make of the dense decode, for
 * every sparsity pattern the writer produces (bitmap, delta, groups) and both encodings.
 */
import { describe, expect, it } from 'vitest';
import { hushWasmDecode, hushWasmOpen, type HushFormatExports } from '../../src/format/wasmReader.js';
import { presetConfig } from '../../src/models/index.js';
import { hushModelInfo } from '../../runtime/core/hushInfo.js';
import { MAT_FORM_IDS } from '../../runtime/core/plan.js';
import { encodeModel, type Encoding } from './models.js';
import { runtimeWasm } from './wasm.js';

type Fn = (...a: number[]) => number;

describe('SELL-4 and compacted columns from stored entries = from the dense decode', () => {
  for (const encoding of ['pruned', 'kmeans-pruned', 'pruned-columns', 'kmeans-columns'] as Encoding[]) {
    for (const arch of ['fdnn', 'gcrn'] as const) {
      it(`${arch} ${encoding}`, async () => {
        const m = encodeModel(presetConfig(arch, 'tiny'), encoding);
        const ex = (await runtimeWasm('simd')) as unknown as Record<string, Fn> & { memory: WebAssembly.Memory };
        const file = hushWasmOpen(ex as unknown as HushFormatExports, m.hush, 'm.hush');
        const info = hushModelInfo(m.hush);
        const scratch = ex.memAlloc(1 << 20);
        const bytesOf = (p: number, n: number) => new Uint8Array(ex.memory.buffer, p, n).slice();
        let checked = 0;
        for (const t of info.tensors.values()) {
          if (t.encoding === 'f32' || t.shape.length !== 2 || t.stored === t.count) continue;
          const [rows, cols] = t.shape;
          const values = hushWasmDecode(ex as unknown as HushFormatExports, file, t.index); // may grow memory
          const dense = ex.memAlloc(4 * t.count);
          new Float32Array(ex.memory.buffer, dense, t.count).set(values);
          // SELL-4
          const mat = ex.matCreate(file.state, t.index, MAT_FORM_IDS.sparse, scratch, 1 << 20);
          expect(mat, t.name).not.toBe(0);
          const sell = ex.memAlloc(ex.sellScratchBytes(rows, cols));
          const n = ex.sparsePackedBytes(dense, rows, cols, sell);
          const ref = ex.memAlloc(n);
          ex.sparsePack(ref, dense, rows, cols, sell);
          expect(bytesOf(ex.matWeights(mat), n), `${t.name} SELL-4`).toEqual(bytesOf(ref, n));
          // compacted columns
          const colMat = ex.matCreate(file.state, t.index, MAT_FORM_IDS.columns, scratch, 1 << 20);
          const kept = ex.columnsKept(dense, rows, cols);
          expect(ex.matCount(colMat), t.name).toBe(kept);
          const wc = ex.memAlloc(4 * rows * kept);
          const keep = ex.memAlloc(4 * kept);
          ex.columnsCompact(wc, keep, dense, rows, cols);
          expect(bytesOf(ex.matWeights(colMat), 4 * rows * kept), `${t.name} columns`).toEqual(bytesOf(wc, 4 * rows * kept));
          expect(bytesOf(ex.matIndex(colMat), 4 * kept), `${t.name} keep`).toEqual(bytesOf(keep, 4 * kept));
          checked++;
        }
        expect(checked).toBeGreaterThan(0);
      });
    }
  }
});
