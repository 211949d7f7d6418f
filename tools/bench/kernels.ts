/**
 * Layer-kernel benchmark (assembly/nn): GFLOP/s of the matrix–vector kernels the nets spend their
 * time in, SIMD build vs scalar build, on random weights:
 *   - dense      matvecDense, 512×512 (1 MiB of weights, cache-resident) and 1024×2048 (8 MiB);
 *   - sparse     matvecSparse (SELL-4) at 80 % and 90 % unstructured sparsity;
 *   - block      matvecBlock (block-sparse, issue #18) in 4x1, 8x1 and 1x4 blocks at 75 % and 90 % of
 *                the blocks empty — against SELL-4 at the same stored-weight count, the figure that
 *                replaces the block kernel's estimated cost in assembly/nets/plan.ts;
 *   - codebook   matvecCodebook, 4-bit and 8-bit indices (compact mode), and the bitmap variant at 90 %;
 *   - lstm       lstmStep 1024 → 1024 (the LSTM net's layer; gates + 5120 transcendentals);
 *   - conv       one frame of paper-sized streaming layers: GCRN encoder conv2d and decoder
 *                transposed conv, TCNN encoder conv2d (2,5), depthwise dilated conv, 1×1 conv
 *                (GFLOP/s = 2·MACs / time).
 * GFLOP/s counts 2·rows·cols per matvec (the dense-equivalent work) — for sparse rows the
 * "useful" figure, 2·nnz, is printed too. Each figure is the median over RUNS runs (default 31),
 * each run timing enough back-to-back calls to last ≥ 2 ms (process.hrtime.bigint()), after a
 * warm-up; "best" is the fastest run (see time()).
 * Usage: node dist/tools/bench/kernels.js [--json] [--runs N]   (npm run bench:kernels; needs
 * `npm run build:wasm` and `npm run build:ts`). --json prints one JSON object on stdout only.
 */
import { loadHushWasm, type WasmFlavor } from '../../runtime/node/wasmFile.js';
import type { HushWasmExports } from '../../runtime/core/wasm.js';
import { benchHost } from './host.js';

type Fn = (...args: number[]) => number;
interface Kernels extends HushWasmExports {
  matvecDense: Fn; matvecSparse: Fn; sparsePackedBytes: Fn; sparsePack: Fn; sellScratchBytes: Fn;
  matvecBlock: Fn; blockCount: Fn; blockPack: Fn; blockPackedBytes: Fn;
  matvecCodebook: Fn; matvecCodebookSparse: Fn; lstmStep: Fn;
  conv2dStep: Fn; conv2dOutBins: Fn; conv2dPatchFloats: Fn;
  convTranspose2dStep: Fn; convTranspose2dPack: Fn; convTranspose2dOutBins: Fn; convTranspose2dPatchFloats: Fn;
  depthwiseConv1dStep: Fn; pointwiseConv: Fn;
}

interface Row {
  kernel: string;
  shape: string;
  flavor: WasmFlavor;
  /** Median µs per call. */
  usPerCall: number;
  /** Fastest run's µs per call. */
  usPerCallMin: number;
  /** GFLOP/s at the median time. */
  gflops: number;
  usefulGflops?: number;
  weightBytes: number;
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const runsArg = args.indexOf('--runs');
const RUNS = runsArg >= 0 ? Math.max(3, Number(args[runsArg + 1]) | 0) : 31;
const log = (s: string): void => { (json ? process.stderr : process.stdout).write(`${s}\n`); };

/** Deterministic uniform values in [−1, 1) (LCG), f32. */
function random(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let a = seed >>> 0;
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    out[i] = a / 2 ** 31 - 1;
  }
  return out;
}

/** LSB-first bit packing (the .hush index stream), padded to 4 bytes. */
function bitpack(idx: Uint32Array, bits: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((idx.length * bits) / 32) * 4 + 4);
  let bit = 0;
  for (const v of idx) {
    for (let k = 0; k < bits; k++, bit++) if ((v >>> k) & 1) out[bit >> 3] |= 1 << (bit & 7);
  }
  return out;
}

/**
 * µs per call of `call`: median and minimum over RUNS runs, each timing enough back-to-back calls
 * to last ≥ 2 ms. A warm-up of ≥ 30 ms first lets V8 tier the module up from Liftoff to TurboFan
 * (and calibrates the repeat count on optimised code). On a shared machine the minimum is the
 * figure least disturbed by other processes; the median is what a frame typically sees.
 */
function time(call: () => void): { median: number; min: number } {
  const warm0 = process.hrtime.bigint();
  let calls = 0;
  while (Number(process.hrtime.bigint() - warm0) < 30e6 || calls < 5) { call(); calls++; }
  let reps = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) call();
    const ns = Number(process.hrtime.bigint() - t0);
    if (ns >= 2e6) break;
    reps = Math.max(reps * 2, Math.ceil((reps * 2.2e6) / Math.max(ns, 1)));
  }
  const per: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) call();
    per.push(Number(process.hrtime.bigint() - t0) / reps / 1000);
  }
  per.sort((a, b) => a - b);
  return { median: per[per.length >> 1], min: per[0] };
}

async function benchFlavor(flavor: WasmFlavor): Promise<Row[]> {
  const ex = (await loadHushWasm(flavor)) as Kernels;
  for (const name of ['matvecDense', 'matvecSparse', 'matvecCodebook', 'lstmStep']) {
    if (typeof ex[name] !== 'function') throw new Error(`build/hush-${flavor}.wasm lacks ${name}; run npm run build:wasm`);
  }
  const rows: Row[] = [];
  const f32 = (data: Float32Array | number): number => {
    const n = typeof data === 'number' ? data : data.length;
    const p = ex.memAlloc(n * 4);
    if (p === 0) throw new Error('out of wasm memory');
    if (typeof data !== 'number') new Float32Array(ex.memory.buffer, p, n).set(data);
    return p;
  };
  const bytes = (data: Uint8Array): number => {
    const p = ex.memAlloc(data.length);
    new Uint8Array(ex.memory.buffer, p, data.length).set(data);
    return p;
  };
  const add = (kernel: string, R: number, C: number, weightBytes: number, call: () => void, nnz?: number): void => {
    const t = time(call), us = t.median;
    const row: Row = { kernel, shape: `${R}x${C}`, flavor, usPerCall: us, usPerCallMin: t.min, gflops: (2 * R * C) / us / 1e3, weightBytes };
    if (nnz !== undefined) row.usefulGflops = (2 * nnz) / us / 1e3;
    rows.push(row);
    log(`${flavor.padEnd(6)} ${kernel.padEnd(22)} ${row.shape.padEnd(16)} ${us.toFixed(1).padStart(7)} µs  ${row.gflops.toFixed(2).padStart(6)} GFLOP/s` +
      `  (best ${((2 * R * C) / t.min / 1e3).toFixed(2)})` +
      (nnz !== undefined ? `  useful ${row.usefulGflops!.toFixed(2)}` : '') + `  weights ${(weightBytes / 2 ** 20).toFixed(2)} MiB`);
  };

  for (const [R, C] of [[512, 512], [1024, 2048]]) {
    ex.memReset();
    const w = random(R * C, R + C);
    const pw = f32(w), px = f32(random(C, 1)), pb = f32(random(R, 2)), py = f32(R);
    add('dense', R, C, R * C * 4, () => ex.matvecDense(py, pw, pb, px, R, C));

    for (const sparsity of [0.8, 0.9]) {
      const ws = w.slice();
      const u = random(R * C, 99);
      let nnz = 0;
      for (let i = 0; i < ws.length; i++) if ((u[i] + 1) / 2 < sparsity) ws[i] = 0; else nnz++;
      const pws = f32(ws);
      const scratch = ex.memAlloc(ex.sellScratchBytes(R, C));
      const nb = ex.sparsePackedBytes(pws, R, C, scratch);
      const pp = ex.memAlloc(nb);
      ex.sparsePack(pp, pws, R, C, scratch);
      add(`sparse ${sparsity * 100}%`, R, C, nb, () => ex.matvecSparse(py, pp, pb, px), nnz);

      if (sparsity === 0.9) {
        // Compact sparse: bitmap + 4-bit indices of the nonzeros.
        const map = new Uint8Array(Math.ceil((R * C) / 32) * 4);
        const nzIdx: number[] = [];
        for (let i = 0; i < ws.length; i++) if (ws[i] !== 0) { map[i >> 3] |= 1 << (i & 7); nzIdx.push(i % 16); }
        const pm = bytes(map), pi = bytes(bitpack(Uint32Array.from(nzIdx), 4)), pc = f32(random(16, 5));
        add('codebook4 bitmap 90%', R, C, map.length + Math.ceil(nnz / 2),
          () => ex.matvecCodebookSparse(py, pm, pi, 4, pc, 16, pb, px, R, C), nnz);
      }
    }

    for (const sparsity of [0.75, 0.9]) {
      for (const [br, bc] of [[4, 1], [8, 1], [1, 4]]) {
        // whole br × bc blocks zeroed with probability `sparsity` (seeded)
        const wb = w.slice();
        const u = random((R / br) * (C / bc), 77 + br);
        for (let b = 0; b < u.length; b++) {
          if ((u[b] + 1) / 2 >= sparsity) continue;
          const r0 = Math.floor(b / (C / bc)) * br, c0 = (b % (C / bc)) * bc;
          for (let i = 0; i < br; i++) for (let k = 0; k < bc; k++) wb[(r0 + i) * C + c0 + k] = 0;
        }
        const pwb = f32(wb);
        const blocks = ex.blockCount(pwb, R, C, br, bc);
        const nb = ex.blockPackedBytes(R, br, bc, blocks);
        const pp = ex.memAlloc(nb);
        ex.blockPack(pp, pwb, R, C, br, bc);
        add(`block ${br}x${bc} ${sparsity * 100}%`, R, C, nb, () => ex.matvecBlock(py, pp, pb, px), blocks * br * bc);
      }
    }

    for (const bits of [4, 8]) {
      const K = 2 ** bits;
      const idx = new Uint32Array(R * C);
      const u = random(R * C, 7 + bits);
      for (let i = 0; i < idx.length; i++) idx[i] = Math.min(K - 1, Math.floor(((u[i] + 1) / 2) * K));
      const packed = bitpack(idx, bits);
      const pi = bytes(packed), pc = f32(random(K, 3));
      add(`codebook ${bits}-bit`, R, C, packed.length + K * 4, () => ex.matvecCodebook(py, pi, bits, pc, K, pb, px, R, C));
    }
  }

  {
    ex.memReset();
    const H = 1024, In = 1024;
    const pwih = f32(random(4 * H * In, 11)), pwhh = f32(random(4 * H * H, 12));
    const pbih = f32(random(4 * H, 13)), pbhh = f32(random(4 * H, 14));
    const ph = f32(H), pc = f32(H), px = f32(random(In, 15)), pg = f32(4 * H);
    addLayer('lstmStep', `${In}->${H}`, 4 * H * (In + H), () => ex.lstmStep(ph, pc, px, pwih, pwhh, pbih, pbhh, pg, In, H));
  }
  // Streaming conv layers, one frame each: [name, kind, cin, cout, F, kT, kF, stride, padL/pad, padR/outPad].
  const convs: Array<[string, 'conv' | 'tconv', number, number, number, number, number, number, number, number]> = [
    ['gcrn enc2 conv(1,3)/2', 'conv', 16, 32, 80, 1, 3, 2, 0, 0],
    ['gcrn enc5 conv(1,3)/2', 'conv', 128, 256, 9, 1, 3, 2, 0, 0],
    ['gcrn dec1 convT(1,3)/2', 'tconv', 512, 128, 4, 1, 3, 2, 0, 0],
    ['gcrn dec4 convT(1,3)/2', 'tconv', 64, 16, 39, 1, 3, 2, 0, 1],
    ['tcnn enc2 conv(2,5)/2', 'conv', 16, 16, 160, 2, 5, 2, 1, 1],
    ['tcnn dec convT(2,5)/2', 'tconv', 128, 32, 9, 2, 5, 2, 0, 0],
  ];
  for (const [name, kind, cin, cout, F, kT, kF, st, p1, p2] of convs) {
    ex.memReset();
    const frame = cin * F;
    const px = f32(random(frame, 21)), pring = f32(Math.max(1, (kT - 1) * frame)), pb = f32(random(cout, 22));
    const pw = f32(random(cin * cout * kT * kF, 23));
    let fout: number, call: () => void;
    if (kind === 'conv') {
      fout = ex.conv2dOutBins(F, kF, st, p1, p2);
      const pp = f32(ex.conv2dPatchFloats(cin, F, kT, kF, st, p1, p2)), py = f32(cout * fout);
      let pos = 0;
      call = () => { pos = ex.conv2dStep(py, px, pring, pos, pw, pb, pp, cin, cout, F, kT, kF, st, p1, p2); };
    } else {
      fout = ex.convTranspose2dOutBins(F, kF, st, p1, p2);
      const pk = f32(cin * cout * kT * kF);
      ex.convTranspose2dPack(pk, pw, cin, cout, kT, kF, st);
      const pp = f32(ex.convTranspose2dPatchFloats(cin, F, kT, kF, st, p1, p2)), py = f32(cout * fout);
      let pos = 0;
      call = () => { pos = ex.convTranspose2dStep(py, px, pring, pos, pk, pb, pp, cin, cout, F, kT, kF, st, p1, p2); };
    }
    // MACs: conv = Cout·Fout·Cin·kT·kF; transposed = Cin·F·Cout·kT·kF (every input bin scatters kF taps).
    const macs = kind === 'conv' ? cout * fout * cin * kT * kF : cin * F * cout * kT * kF;
    addLayer(name, `${cin}x${F}->${cout}x${fout}`, macs, call);
  }
  {
    ex.memReset();
    const C = 512;
    const px = f32(random(C, 31)), pring = f32(2 * 8 * C), pw = f32(random(3 * C, 32)), pb = f32(random(C, 33)), py = f32(C);
    let pos = 0;
    addLayer('tcnn depthwise k3 d8', `${C}`, 3 * C, () => { pos = ex.depthwiseConv1dStep(py, px, pring, pos, pw, pb, C, 3, 8); });
    const pw2 = f32(random(512 * 256, 34)), py2 = f32(512);
    addLayer('tcnn 1x1 conv', '256->512', 512 * 256, () => ex.pointwiseConv(py2, pw2, pb, px, 256, 512, 1));
  }
  return rows;

  function addLayer(kernel: string, shape: string, macs: number, call: () => void): void {
    const t = time(call), us = t.median;
    const row: Row = { kernel, shape, flavor, usPerCall: us, usPerCallMin: t.min, gflops: (2 * macs) / us / 1e3, weightBytes: 0 };
    rows.push(row);
    log(`${flavor.padEnd(6)} ${kernel.padEnd(22)} ${shape.padEnd(16)} ${us.toFixed(1).padStart(7)} µs  ${row.gflops.toFixed(2).padStart(6)} GFLOP/s` +
      `  (best ${((2 * macs) / t.min / 1e3).toFixed(2)})`);
  }
}

async function main(): Promise<void> {
  log(`hushpack kernel benchmark: median of ${RUNS} runs; node ${process.version}`);
  const all: Row[] = [];
  for (const flavor of ['simd', 'scalar'] as WasmFlavor[]) all.push(...(await benchFlavor(flavor)));
  if (json) process.stdout.write(`${JSON.stringify({ runs: RUNS, node: process.version, host: benchHost(), results: all })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
