/**
 * Dense vs sparse 2-D convolution kernels (assembly/nn/conv2d.ts, conv-transpose2d.ts vs
 * conv-sparse.ts) on the paper-size GCRN / TCNN layer shapes, one frame per call, random weights with
 * `keep` of the values nonzero. Prints µs per call and the per-unit costs assembly/nets/plan.ts uses to
 * pick a conv form: dense ns per MAC, and a least-squares fit of sparse time = entries·(a + b·uses)
 * (a: ns per stored tap, b: ns per MAC), and the sum over one hop of the paper GCRN's conv kernels.
 * Fastest of RUNS runs, each ≥ 2 ms of back-to-back calls (the least disturbed on a loaded machine).
 * The indexed (compact) variant is timed too, on the same weights snapped to 32 levels, and the block
 * form (conv-block.ts) on other weights with `keep` of the 4x1 blocks of the kernel's matrix view kept
 * (the same MACs): its ns per MAC, and its speed-up over the sparse form.
 * Usage: node dist/tools/bench/convSparse.js [--keep 0.25] [--runs 9]   (needs npm run build:wasm, build:ts)
 */
import { parseArgs } from 'node:util';
import { loadHushWasm, type WasmFlavor } from '../../runtime/node/wasmFile.js';
import type { HushWasmExports } from '../../runtime/core/wasm.js';
import { prngUniform } from '../../src/models/index.js';

type Fn = (...args: number[]) => number;
interface Kernels extends HushWasmExports {
  conv2dStep: Fn; conv2dOutBins: Fn; conv2dPatchFloats: Fn;
  convTranspose2dStep: Fn; convTranspose2dPack: Fn; convTranspose2dOutBins: Fn; convTranspose2dPatchFloats: Fn;
  convSparseNonzeros: Fn; convSparseBytes: Fn; convSparsePack: Fn; convTransposeSparsePack: Fn; convSparseStep: Fn;
  convSparsePrepFloats: Fn; convSparseMacs: Fn; convSparseEntries: Fn;
  convBlockBytes: Fn; convBlockPack: Fn; convBlockStep: Fn; convBlockPatchFloats: Fn; convBlockMacs: Fn;
}

/** [name, transposed, cin, cout, F, kT, kF, s, p1, p2] (p1, p2: padL, padR or pad, outPad). */
type Shape = [string, boolean, number, number, number, number, number, number, number, number];
const SHAPES: Shape[] = [
  ['GCRN enc1 pair 161→80', false, 2, 32, 161, 1, 3, 2, 0, 0],
  ['GCRN enc2 pair 80→39', false, 16, 64, 80, 1, 3, 2, 0, 0],
  ['GCRN enc3 pair 39→19', false, 32, 128, 39, 1, 3, 2, 0, 0],
  ['GCRN enc4 pair 19→9', false, 64, 256, 19, 1, 3, 2, 0, 0],
  ['GCRN enc5 pair 9→4', false, 128, 512, 9, 1, 3, 2, 0, 0],
  ['GCRN dec5 4→9', true, 512, 128, 4, 1, 3, 2, 0, 0],
  ['GCRN dec4 9→19', true, 256, 64, 9, 1, 3, 2, 0, 0],
  ['GCRN dec3 19→39', true, 128, 32, 19, 1, 3, 2, 0, 0],
  ['GCRN dec2 39→80', true, 64, 16, 39, 1, 3, 2, 0, 1],
  ['GCRN dec1 80→161', true, 32, 1, 80, 1, 3, 2, 0, 0],
  ['TCNN enc1 320→320', false, 1, 16, 320, 2, 5, 1, 2, 2],
  ['TCNN enc2 320→160', false, 16, 16, 320, 2, 5, 2, 2, 2],
  ['TCNN enc7 9→4', false, 64, 64, 9, 2, 5, 2, 1, 1],
  ['TCNN dec7 4→9', true, 128, 64, 4, 2, 5, 2, 1, 0],
  ['TCNN dec3 79→160', true, 32, 16, 79, 2, 5, 2, 1, 1],
];

function time(f: () => void, runs: number): number {
  for (let i = 0; i < 20; i++) f();
  const per: number[] = [];
  for (let r = 0; r < runs; r++) {
    let n = 0;
    const t0 = process.hrtime.bigint();
    let dt = 0n;
    while (dt < 2_000_000n) {
      f();
      n++;
      dt = process.hrtime.bigint() - t0;
    }
    per.push(Number(dt) / n);
  }
  return Math.min(...per); // ns per call: the fastest run, the least disturbed on a loaded machine
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { keep: { type: 'string', default: '0.25' }, runs: { type: 'string', default: '9' } } });
  const keep = Number(values.keep);
  const runs = Number(values.runs);
  for (const flavor of ['simd', 'scalar'] as WasmFlavor[]) {
    const ex = (await loadHushWasm(flavor)) as Kernels;
    const rows: { entries: number; uses: number; ns: number }[] = [];
    let denseNs = 0, denseMacs = 0, sparseNs = 0, indexedNs = 0, blockNs = 0, blockMacs = 0;
    const gcrn = { dense: 0, sparse: 0, block: 0 };
    console.log(`${flavor} build, ${(100 * keep).toFixed(0)} % kept`);
    for (const [name, tr, cin, cout, F, kT, kF, s, p1, p2] of SHAPES) {
      ex.memReset();
      const count = cin * cout * kT * kF;
      const rnd = prngUniform(count);
      const alloc = (floats: number) => ex.memAlloc(4 * Math.max(floats, 1));
      const w = alloc(count);
      const wv = new Float32Array(ex.memory.buffer, w, count);
      // 32 levels (a k-means codebook of K = 32), so the indexed variant applies too
      for (let i = 0; i < count; i++) wv[i] = rnd() < keep ? (Math.floor(32 * rnd()) - 15.5) / 16 : 0;
      const fout = tr ? ex.convTranspose2dOutBins(F, kF, s, p1, p2) : ex.conv2dOutBins(F, kF, s, p1, p2);
      const x = alloc(cin * F), b = alloc(cout), y = alloc(cout * fout);
      new Float32Array(ex.memory.buffer, x, cin * F).forEach((_, i, a) => (a[i] = Math.sin(i)));
      const ring = kT > 1 ? alloc((kT - 1) * cin * F) : 0;
      const nnz = ex.convSparseNonzeros(w, count);
      const cs = ex.memAlloc(ex.convSparseBytes(nnz, tr ? s * cout : cout, 0));
      if (!(tr ? ex.convTransposeSparsePack(cs, w, 0, 0, cin, cout, F, kT, kF, s, p1, p2) : ex.convSparsePack(cs, w, 0, 0, cin, cout, F, kT, kF, s, p1, p2))) throw new Error(`${name}: pack failed`);
      const levels = Float32Array.from(new Set(new Float32Array(ex.memory.buffer, w, count).filter((v) => v !== 0))).sort();
      const table = alloc(levels.length);
      new Float32Array(ex.memory.buffer, table, levels.length).set(levels);
      const ci8 = ex.memAlloc(ex.convSparseBytes(nnz, tr ? s * cout : cout, levels.length));
      if (!(tr ? ex.convTransposeSparsePack(ci8, w, table, levels.length, cin, cout, F, kT, kF, s, p1, p2) : ex.convSparsePack(ci8, w, table, levels.length, cin, cout, F, kT, kF, s, p1, p2))) throw new Error(`${name}: indexed pack failed`);
      const prep = alloc(ex.convSparsePrepFloats(cs));
      let dense: () => void;
      let macs: number;
      if (tr) {
        const packed = alloc(count);
        ex.convTranspose2dPack(packed, w, cin, cout, kT, kF, s);
        const patch = alloc(ex.convTranspose2dPatchFloats(cin, F, kT, kF, s, p1, p2));
        dense = () => ex.convTranspose2dStep(y, x, ring, 0, packed, b, patch, cin, cout, F, kT, kF, s, p1, p2);
        macs = count * F; // executed convention (src/models/paramSpec.ts deconv2d)
      } else {
        const patch = alloc(ex.conv2dPatchFloats(cin, F, kT, kF, s, p1, p2));
        dense = () => ex.conv2dStep(y, x, ring, 0, w, b, patch, cin, cout, F, kT, kF, s, p1, p2);
        macs = count * fout;
      }
      // block form: keep of the 4x1 blocks of the matrix view [d0][rest] (conv [Cout][…], tconv [Cin][…])
      const wb = alloc(count);
      const wbv = new Float32Array(ex.memory.buffer, wb, count);
      const d0 = tr ? cin : cout, rest = count / d0;
      for (let rb = 0; rb < d0 / 4; rb++) {
        for (let c = 0; c < rest; c++) {
          const on = rnd() < keep;
          for (let i = 0; i < 4; i++) wbv[(4 * rb + i) * rest + c] = on ? (Math.floor(32 * rnd()) - 15.5) / 16 : 0;
        }
      }
      const scratch = alloc(count);
      const cb = ex.memAlloc(ex.convBlockBytes(wb, scratch, tr ? 1 : 0, cin, cout, F, kT, kF, s, 4, 1));
      if (!ex.convBlockPack(cb, wb, scratch, tr ? 1 : 0, cin, cout, F, kT, kF, s, p1, p2, 4, 1)) throw new Error(`${name}: block pack failed`);
      const bpatch = alloc(ex.convBlockPatchFloats(cb));
      const td = time(dense, runs);
      const tb = time(() => ex.convBlockStep(y, x, ring, 0, cb, b, bpatch), runs);
      blockNs += tb;
      blockMacs += ex.convBlockMacs(cb);
      const ts = time(() => ex.convSparseStep(y, x, ring, 0, cs, b, prep), runs);
      const ti = time(() => ex.convSparseStep(y, x, ring, 0, ci8, b, prep), runs);
      indexedNs += ti;
      sparseNs += ts;
      const entries = ex.convSparseEntries(cs);
      const uses = ex.convSparseMacs(cs) / Math.max(entries, 1);
      rows.push({ entries, uses, ns: ts });
      denseNs += td;
      denseMacs += macs;
      if (name.startsWith('GCRN')) {
        const times = tr ? 4 : 1; // each decoder block runs 2 decoders × 2 gated halves per hop
        gcrn.dense += times * td;
        gcrn.sparse += times * ts;
        gcrn.block += times * tb;
      }
      console.log(`  ${name.padEnd(20)} dense ${(td / 1000).toFixed(1).padStart(7)} µs (${(td / macs).toFixed(3)} ns/MAC)  sparse ${(ts / 1000).toFixed(1).padStart(7)} µs  ×${(td / ts).toFixed(2)}  indexed ${(ti / 1000).toFixed(1).padStart(7)} µs  block 4x1 ${(tb / 1000).toFixed(1).padStart(7)} µs (${(tb / Math.max(ex.convBlockMacs(cb), 1)).toFixed(3)} ns/MAC, ×${(ts / tb).toFixed(2)} over sparse)`);
    }
    // least squares ns = entries·a + (entries·uses)·b
    let saa = 0, sab = 0, sbb = 0, sya = 0, syb = 0;
    for (const r of rows) {
      const A = r.entries, B = r.entries * r.uses;
      saa += A * A; sab += A * B; sbb += B * B; sya += r.ns * A; syb += r.ns * B;
    }
    const det = saa * sbb - sab * sab;
    const a = (sya * sbb - syb * sab) / det, bb = (syb * saa - sya * sab) / det;
    console.log(`  indexed / f32-entry sparse time, all shapes: ${(indexedNs / sparseNs).toFixed(2)}`);
    console.log(`  paper GCRN, all conv kernels of one hop: dense ${(gcrn.dense / 1000).toFixed(0)} µs, sparse ${(gcrn.sparse / 1000).toFixed(0)} µs, block 4x1 ${(gcrn.block / 1000).toFixed(0)} µs`);
    console.log(`  block 4x1, all shapes: ${(blockNs / blockMacs).toFixed(3)} ns/MAC`);
    console.log(`  fit: dense ${(denseNs / denseMacs).toFixed(3)} ns/MAC; sparse ${a.toFixed(3)} ns/entry + ${bb.toFixed(3)} ns/MAC`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
