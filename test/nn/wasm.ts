/**
 * Test harness for the assembly/nn kernels: compiles assembly/mem.ts + assembly/nn/entry.ts (and
 * nothing else, so other modules' work in progress cannot break these tests) with the options of
 * asconfig.json, once per flavour, cached in the OS temp dir by a hash of the sources; then
 * instantiates through runtime/core/wasm.ts. Also: an arena that copies arrays in and out of
 * linear memory.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';
import { instantiateHush, type HushWasmExports } from '../../runtime/core/wasm.js';

export type Flavor = 'simd' | 'scalar';
export const FLAVORS: Flavor[] = ['simd', 'scalar'];

type Fn = (...args: number[]) => number;
/** The kernel exports (raw bindings: pointers and sizes are numbers). */
export interface NnExports extends HushWasmExports {
  matvecDense: Fn; matvecDenseAcc: Fn; matvecSparse: Fn; matvecSparseAcc: Fn;
  matvecBlock: Fn; matvecBlockAcc: Fn; blockCount: Fn; blockPack: Fn; blockPackedBytes: Fn;
  sparsePackedBytes: Fn; sparsePack: Fn; sellScratchBytes: Fn; columnsKept: Fn; columnsCompact: Fn; vecGather: Fn; matvecCodebook: Fn; matvecCodebookSparse: Fn;
  conv2dStep: Fn; conv2dOutBins: Fn; conv2dPatchFloats: Fn;
  convTranspose2dStep: Fn; convTranspose2dPack: Fn; convTranspose2dOutBins: Fn; convTranspose2dPatchFloats: Fn;
  convSparseNonzeros: Fn; convSparseBytes: Fn; convSparsePack: Fn; convTransposeSparsePack: Fn; convSparseStep: Fn;
  convSparsePrepFloats: Fn; convSparseMacs: Fn; convSparseEntries: Fn; convSparseIndexed: Fn;
  convBlockBytes: Fn; convBlockPack: Fn; convBlockStep: Fn; convBlockPatchFloats: Fn; convBlockMacs: Fn; convBlockBlocks: Fn;
  depthwiseConv1dStep: Fn; pointwiseConv: Fn;
  lstmStep: Fn; lstmGroupedStep: Fn; lstmCellUpdate: Fn;
  gluApply: Fn; layerNormApply: Fn; batchNormFold: Fn; batchNormAffine: Fn;
  reluApply: Fn; eluApply: Fn; preluApply: Fn; sigmoidApply: Fn; tanhApply: Fn; expApply: Fn; expm1Apply: Fn;
  vecAdd: Fn; vecInterleave: Fn; mpoMatvec: Fn; mpoScratchFloats: Fn;
}

const root = fileURLToPath(new URL('../../', import.meta.url));

function sourceHash(): string {
  const h = createHash('sha256');
  h.update(String(asc.version));
  h.update(readFileSync(join(root, 'asconfig.json')));
  h.update(readFileSync(join(root, 'assembly/mem.ts')));
  for (const f of readdirSync(join(root, 'assembly/nn')).sort()) h.update(f).update(readFileSync(join(root, 'assembly/nn', f)));
  return h.digest('hex').slice(0, 16);
}

/** Compiles (or reuses) the kernel-only module for one flavour; returns the .wasm bytes. */
export async function compileNn(flavor: Flavor): Promise<Uint8Array> {
  const dir = join(tmpdir(), 'hushpack-nn-wasm');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${sourceHash()}-${flavor}.wasm`);
  if (existsSync(file)) return readFileSync(file);
  // Test files run in parallel forks: one compiles, the others wait for its output (≤ 60 s).
  const lock = `${file}.lock`;
  if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { force: true }); // left by a killed run
  let fd: number;
  try {
    fd = openSync(lock, 'wx');
  } catch {
    for (let waited = 0; waited < 60_000 && !existsSync(file); waited += 100) await new Promise((r) => setTimeout(r, 100));
    if (existsSync(file)) return readFileSync(file);
    fd = openSync(lock, 'w'); // stale lock: compile anyway
  }
  try {
    return await compileTo(file, flavor);
  } finally {
    closeSync(fd);
    rmSync(lock, { force: true });
  }
}

async function compileTo(file: string, flavor: Flavor): Promise<Uint8Array> {
  const cfg = JSON.parse(readFileSync(join(root, 'asconfig.json'), 'utf8'));
  const o = cfg.options;
  let binary: Uint8Array | undefined;
  const { error, stderr } = await asc.main([
    'assembly/mem.ts', 'assembly/nn/entry.ts',
    '--config', 'assembly/nn/.no-asconfig.json', // no entries from asconfig.json
    '--baseDir', root,
    '--runtime', o.runtime, '--optimizeLevel', String(o.optimizeLevel), '--shrinkLevel', String(o.shrinkLevel),
    '--initialMemory', String(o.initialMemory),
    flavor === 'simd' ? '--enable' : '--disable', 'simd',
    '--outFile', 'nn.wasm',
  ], {
    writeFile: (name: string, contents: Uint8Array | string) => { if (name.endsWith('.wasm')) binary = contents as Uint8Array; },
  });
  if (error || !binary) throw new Error(`asc failed: ${error?.message}\n${stderr.toString()}`);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, binary);
  renameSync(tmp, file);
  return binary;
}

const cache = new Map<Flavor, Promise<NnExports>>();

/** One instance per flavour and test file; tests share it and start from memReset() (Arena). */
export function loadNn(flavor: Flavor): Promise<NnExports> {
  let p = cache.get(flavor);
  if (!p) {
    p = compileNn(flavor).then((bytes) => instantiateHush(bytes) as Promise<NnExports>);
    cache.set(flavor, p);
  }
  return p;
}

/** Copies arrays into linear memory (memAlloc: 16-byte aligned) and reads results back. */
export class Arena {
  constructor(readonly ex: NnExports) {
    ex.memReset();
  }
  alloc(bytes: number): number {
    const p = this.ex.memAlloc(bytes);
    if (p === 0) throw new Error('memAlloc failed');
    return p;
  }
  /** f32 buffer of n floats, optionally filled from data. */
  f32(n: number, data?: ArrayLike<number>): number {
    const p = this.alloc(Math.max(4, n * 4));
    if (data) new Float32Array(this.ex.memory.buffer, p, n).set(data);
    return p;
  }
  bytes(data: Uint8Array): number {
    const p = this.alloc(Math.max(4, data.length));
    new Uint8Array(this.ex.memory.buffer, p, data.length).set(data);
    return p;
  }
  i32(data: ArrayLike<number>): number {
    const p = this.alloc(data.length * 4);
    new Int32Array(this.ex.memory.buffer, p, data.length).set(data);
    return p;
  }
  read(p: number, n: number): Float32Array {
    return new Float32Array(this.ex.memory.buffer, p, n).slice();
  }
  readBytes(p: number, n: number): Uint8Array {
    return new Uint8Array(this.ex.memory.buffer, p, n).slice();
  }
  write(p: number, data: ArrayLike<number>): void {
    new Float32Array(this.ex.memory.buffer, p, data.length).set(data);
  }
}

/** Worst relative error seen per kernel and build in this test file (printed by reportErrors). */
const worst = new Map<string, number>();

/** Relative error of got vs ref (see relError), recorded under `name` for the summary. */
export function recordError(name: string, err: number): number {
  worst.set(name, Math.max(worst.get(name) ?? 0, err));
  return err;
}

/** Prints the worst error per kernel (call from afterAll). */
export function reportErrors(title: string): void {
  const lines = [...worst.entries()].sort().map(([k, v]) => `  ${k.padEnd(44)} ${v.toExponential(2)}`);
  console.log(`${title}: max |wasm − f64| / max |f64|\n${lines.join('\n')}`);
}
