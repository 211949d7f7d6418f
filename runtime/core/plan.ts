/**
 * Execution plans: how each weight matrix of a `.hush` model is held in WASM memory and multiplied
 * per hop (assembly/nets/mat.ts runs them). Browser-safe.
 *
 * Two modes, chosen per tensor:
 *   fast     decode once at load to f32 — kept dense (`dense`), or repacked SELL-4 when sparse
 *            enough that the sparse kernel is cheaper (`sparse`), or with its all-zero columns
 *            dropped when it was column-pruned (`columns`, pipeline C2's structured groups);
 *   compact  keep the file's k-means codebook + bit-packed indices (+ sparsity bitmap) in memory and
 *            multiply with the codebook kernels (`codebook`, `codebook-sparse`), or multiply an MPO
 *            tensor core by core (`mpo`). Weights cost b bits each instead of 32, but the kernels
 *            are decode-bound (see the cost table).
 * Plan choices: 'fast' and 'compact' force a mode where it applies (compact needs a k-means or MPO
 * tensor; other tensors are fast either way); 'auto' (default) takes, per tensor, the form with the
 * lowest expected time per hop, and among forms within 20 % of it the one that adds the fewest bytes.
 *
 * Matrix-shaped weights get a MatPlan: Linear, LSTM W_ih/W_hh, 1×1 Conv1d (kinds 'linear',
 * 'lstm_ih', 'lstm_hh', and 'conv' of shape [out, in, 1]). 2-D conv and transposed-conv kernels
 * (4-D 'conv' / 'deconv': GCRN's gated encoder/decoder convs, TCNN's encoder/decoder) get a ConvPlan:
 *   dense   f32 in the PyTorch layout, im2col / polyphase + rows × patches product
 *           (assembly/nn/conv2d.ts, conv-transpose2d.ts)
 *   sparse  `fast`: pruned kernels (k-means or sparse tensors with unstored positions): per output
 *           channel (and output phase), the list of nonzero taps (f32 value + offset, 8 bytes), each
 *           one shifted, scaled input row (assembly/nn/conv-sparse.ts); whole-kernel pruning drops
 *           kernels from the list
 *   codebook-sparse  `compact`: the same list with each tap's k-means codebook index instead of its
 *           value (4 bytes per nonzero; K ≤ CONV_CODEBOOK_MAX_K), ≈ 1.15× the time of `sparse`
 * 'fast' takes the faster of dense and sparse, 'compact' codebook-sparse where it applies (else as
 * fast), 'auto' the smallest within 20 % of the fastest, as for matrices. A dense (unpruned) kernel is
 * always dense. Depthwise convs (TCNN, C·k MACs per frame), biases, norms and slopes are always
 * dense f32.
 *
 * Expected time of a form = its compute cost, or — when the model's dense weights (its fast-mode
 * working set) exceed `cacheBytes` (default 8 MiB, a typical last-level-cache share) so that every
 * hop streams them from DRAM — max(compute cost, bytes read × DRAM_NS_PER_BYTE). Compute costs are
 * ns per unit of work of each kernel, from `npm run bench:kernels` on the 2-core dev machine
 * (fastest of 5 runs, 512×512 and 1024×2048, in cache; tools/bench/kernels.ts):
 *   SIMD:   dense 0.05 ns/weight (41 GFLOP/s); SELL-4 0.22 ns/stored weight; codebook 0.23 (≤ 4 bits,
 *           8.8 GFLOP/s), 0.30 (5 bits), 0.37 (≥ 6 bits, 5.4 GFLOP/s) ns/weight; codebook+bitmap
 *           2.0 ns/stored weight + 0.01 ns/weight of bitmap scan; MPO ~0.1 ns/MAC (f32x4 axpy).
 *   scalar: dense 0.20; SELL-4 0.38; codebook 0.55; codebook+bitmap 6.9 + 0.03; MPO ~0.3.
 * Conv kernels, from `node dist/tools/bench/conv-sparse.js --keep 0.2458` (fastest of 15 runs) on every
 * paper GCRN conv shape and TCNN's encoder / decoder shapes; uses = the kernel's executed positions
 * per frame (output bins; transposed: input bins ≈ bins per output phase):
 *   SIMD:   dense 0.06 ns/MAC (0.05–0.07 on the large-K GCRN layers where it is fastest);
 *           sparse 0.42 ns per stored tap per output vector, i.e. per entry ×⌈uses/4⌉ — the
 *           sparse kernel runs f32x4 over output bins, so a 4- or 5-bin GCRN layer pays a whole
 *           vector (or two) per tap: break-even ≈ 57 % kept at uses ≡ 0 mod 4, ≈ 36 % at 5 bins.
 *   scalar: dense 0.28 ns/MAC (0.25–0.45); sparse 0.33 ns/MAC + 0.05 ns per stored tap (measured
 *           0.25–0.3; rounded up so that a lightly pruned kernel, ≥ 85 % kept, stays dense).
 * The paper GCRN's conv kernels at C1's 24.58 % kept: 658 → 282 µs per hop (SIMD), 2361 → 517 µs (scalar);
 * codebook-sparse 1.13× (SIMD) / 1.11× (scalar) the time of sparse over all the shapes.
 * DRAM: 0.05 ns/byte (≈ 20 GB/s: the paper FDNN's 36 MB of dense weights take 1.7 ms per hop, i.e.
 * 0.19 ns/weight, against 0.23 for its 4-bit codebooks — a near tie that 'auto' resolves in favour
 * of the 8× smaller codebooks; the paper LSTM measured 9.6 ms either way).
 * The numbers only rank the forms of one tensor; the bench (`hushpack bench`) measures the result.
 */
import type { ArchConfig } from '../../src/models/config.js';
import { archLayout, paramSpecs } from '../../src/models/layout.js';
import type { ParamSpec } from '../../src/models/paramSpec.js';
import { UserError } from '../../src/errors.js';
import { HUSH_GROUP_DIM1, HUSH_TF_BN_FOLDED } from '../../src/format/spec.js';
import type { HushModelInfo, HushTensorInfo } from './hush-info.js';

/** What the caller asks for. */
export type PlanChoice = 'auto' | 'fast' | 'compact';
export const PLAN_CHOICES: readonly PlanChoice[] = ['auto', 'fast', 'compact'];

/** How one matrix is held and multiplied (assembly/nets/mat.ts MAT_*). */
export type MatForm = 'dense' | 'sparse' | 'columns' | 'codebook' | 'codebook-sparse' | 'mpo';

/** MAT_* ids of assembly/nets/mat.ts (test/runtime/plan.test.ts checks they agree with the WASM exports). */
export const MAT_FORM_IDS: Record<MatForm, number> = {
  dense: 1,
  sparse: 2,
  columns: 3,
  codebook: 4,
  'codebook-sparse': 5,
  mpo: 6,
};

/** Which mode a form belongs to. */
export function matFormMode(form: MatForm): 'fast' | 'compact' {
  return form === 'dense' || form === 'sparse' || form === 'columns' ? 'fast' : 'compact';
}

/** Cost per unit of work, ns (see the file comment). */
interface CostTable {
  dense: number;
  sparseStored: number;
  codebookBits: (bits: number) => number;
  bitmapStored: number;
  bitmapScan: number;
  mpoMac: number;
}

const COST_NS: Record<'simd' | 'scalar', CostTable> = {
  simd: {
    dense: 0.05, sparseStored: 0.22, codebookBits: (b) => (b <= 4 ? 0.23 : b === 5 ? 0.3 : 0.37),
    bitmapStored: 2.0, bitmapScan: 0.01, mpoMac: 0.1,
  },
  scalar: {
    dense: 0.2, sparseStored: 0.38, codebookBits: () => 0.55,
    bitmapStored: 6.9, bitmapScan: 0.03, mpoMac: 0.3,
  },
};

/** The indexed (codebook-sparse) conv's time over the f32-entry sparse conv's (see the file comment). */
const CONV_CODEBOOK_SLOWDOWN = 1.15;

/** Conv kernel costs, ns (see the file comment): dense per MAC; sparse per stored tap run `uses` times per frame. */
const CONV_COST_NS: Record<'simd' | 'scalar', { dense: number; sparseTap: (uses: number) => number }> = {
  simd: { dense: 0.06, sparseTap: (uses) => 0.42 * Math.ceil(uses / 4) },
  scalar: { dense: 0.28, sparseTap: (uses) => 0.05 + 0.33 * uses },
};

/** Working set above which weights are assumed to stream from DRAM every hop (see the file comment). */
export const CACHE_BYTES_DEFAULT = 8 * 2 ** 20;
/** DRAM streaming cost, ns per byte (≈ 20 GB/s; see the file comment). */
export const DRAM_NS_PER_BYTE = 0.05;
/** 'auto' takes the smallest form within this factor of the fastest. */
export const AUTO_TIME_SLACK = 1.2;

/** One candidate form of a matrix with its expected cost. */
export interface MatOption {
  form: MatForm;
  /** Expected ns per product (cost table above, DRAM-bound when the model is). */
  expectedNs: number;
  /** Bytes of weights (and indices / sparsity) one product reads. */
  bytesRead: number;
  /** Multiplications per product. */
  macs: number;
  /** Bytes this form adds to WASM memory beyond the file copy (estimate; the loader measures). */
  extraBytes: number;
}

/** The plan of one matrix-shaped tensor. */
export interface MatPlan {
  name: string;
  rows: number;
  cols: number;
  encoding: HushTensorInfo['encoding'];
  form: MatForm;
  expectedNs: number;
  macs: number;
  /** Every form that applies, cheapest first. */
  options: MatOption[];
}

/** How one 2-D conv / transposed-conv kernel is held and run (see the file comment). */
export type ConvForm = 'dense' | 'sparse' | 'codebook-sparse';

/** Which mode a conv form belongs to ('codebook-sparse' keeps codebook indices: compact). */
export function convFormMode(form: ConvForm): 'fast' | 'compact' {
  return form === 'codebook-sparse' ? 'compact' : 'fast';
}

/** One candidate form of a conv kernel. */
export interface ConvOption {
  form: ConvForm;
  expectedNs: number;
  /** Multiplications per frame (sparse forms: stored taps × uses). */
  macs: number;
  /** Bytes this form adds to WASM memory (estimate; the loader measures). */
  extraBytes: number;
}

/** The plan of one conv kernel. */
export interface ConvPlan {
  name: string;
  form: ConvForm;
  expectedNs: number;
  macs: number;
  /** Every form that applies, cheapest first. */
  options: ConvOption[];
}

/** The plan of a whole model. */
export interface ModelPlan {
  choice: PlanChoice;
  flavor: 'simd' | 'scalar';
  /** Bytes of the matrices as dense f32 (the fast-mode working set) and the cache budget it was held against. */
  denseMatrixBytes: number;
  cacheBytes: number;
  /** denseMatrixBytes > cacheBytes: costs include DRAM traffic. */
  memoryBound: boolean;
  mats: Map<string, MatPlan>;
  /** Every 2-D conv / transposed-conv kernel. */
  convs: Map<string, ConvPlan>;
  /** Bytes of load scratch the loaders need (transposed-conv repacking, bias sums, BatchNorm, bitmaps; see arena.ts). */
  loadScratchBytes: number;
  /** Σ expected ns per hop of the planned matrices and conv kernels. */
  expectedNsPerHop: number;
}

/** Rounds up to a multiple of 16 (memAlloc's alignment). */
export function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}

/** True for a weight the plan treats as a matrix [rows = dim0][cols = rest]. */
export function isMatrixSpec(s: ParamSpec): boolean {
  if (s.kind === 'linear' || s.kind === 'lstm_ih' || s.kind === 'lstm_hh') return true;
  return s.kind === 'conv' && s.shape.length === 3 && s.shape[2] === 1; // 1×1 Conv1d [out, in, 1]
}

/** True for a 2-D conv or transposed-conv kernel (4-D weight), which gets a ConvPlan. */
export function isConvKernelSpec(s: ParamSpec): boolean {
  return (s.kind === 'conv' || s.kind === 'deconv') && s.shape.length === 4;
}

/** Largest k-means K the indexed sparse conv takes per tensor (GCRN's gated pairs share one table of ≤ 256). */
export const CONV_CODEBOOK_MAX_K = 128;

/**
 * The forms of conv kernel t run `uses` times per frame (its layout MAC term's executed uses), cheapest
 * first: dense always; sparse when the file leaves positions unstored (k-means or sparse encoding);
 * codebook-sparse for such a k-means tensor with K ≤ CONV_CODEBOOK_MAX_K.
 */
export function convOptions(t: HushTensorInfo, uses: number, flavor: 'simd' | 'scalar'): ConvOption[] {
  const c = CONV_COST_NS[flavor];
  const out: ConvOption[] = [
    // dense f32 Conv2d kernels are read in place from the file; transposed ones are repacked
    { form: 'dense', expectedNs: c.dense * t.count * uses, macs: t.count * uses, extraBytes: t.encoding === 'f32' ? 0 : 4 * t.count },
  ];
  if ((t.encoding === 'kmeans' || t.encoding === 'sparse') && t.stored < t.count) {
    const sparseNs = t.stored * c.sparseTap(uses);
    out.push({ form: 'sparse', expectedNs: sparseNs, macs: t.stored * uses, extraBytes: 8 * t.stored });
    if (t.encoding === 'kmeans' && t.k <= CONV_CODEBOOK_MAX_K) {
      out.push({ form: 'codebook-sparse', expectedNs: CONV_CODEBOOK_SLOWDOWN * sparseNs, macs: t.stored * uses, extraBytes: 4 * t.stored + 4 * t.k });
    }
  }
  return out.sort((a, b) => a.expectedNs - b.expectedNs);
}

/**
 * The conv form `choice` selects among `options` (sorted cheapest first): fast — the fastest fast-mode
 * form; compact — codebook-sparse where it applies, else as fast; auto — as for matrices, the
 * smallest within AUTO_TIME_SLACK of the fastest.
 */
export function convFormChoose(options: readonly ConvOption[], choice: PlanChoice): ConvOption {
  if (choice === 'auto') {
    const best = options[0];
    return options.filter((o) => o.expectedNs <= AUTO_TIME_SLACK * best.expectedNs).reduce((a, b) => (b.extraBytes < a.extraBytes ? b : a));
  }
  if (choice === 'compact') {
    const compact = options.find((o) => convFormMode(o.form) === 'compact');
    if (compact) return compact;
  }
  return options.filter((o) => convFormMode(o.form) === 'fast')[0];
}

/** MPO MACs of one product (assembly/nn/mpo.ts): Σ_k A_k·i_k·r_k·B_k·r_{k−1}·j_k. */
function mpoMacs(cores: number[][]): number {
  let B = cores.reduce((p, c) => p * c[2], 1);
  let A = 1;
  let macs = 0;
  for (const [rp, ik, jk, rk] of cores) {
    B /= jk;
    macs += A * ik * rk * B * rp * jk;
    A *= ik;
  }
  return macs;
}

/**
 * Every form that applies to tensor t, with its expected cost on `flavor`; `memoryBound`: the model's
 * weights stream from DRAM every hop (see the file comment).
 */
export function matOptions(t: HushTensorInfo, flavor: 'simd' | 'scalar', memoryBound = false): MatOption[] {
  const c = COST_NS[flavor];
  const rows = t.shape[0];
  const cols = t.count / rows;
  const out: MatOption[] = [];
  const add = (form: MatForm, computeNs: number, macs: number, bytesRead: number, extraBytes: number) => {
    const expectedNs = memoryBound ? Math.max(computeNs, bytesRead * DRAM_NS_PER_BYTE) : computeNs;
    out.push({ form, expectedNs, bytesRead, macs, extraBytes });
  };
  // dense f32 tensors are read in place from the file (assembly/nets/mat.ts): no extra bytes
  add('dense', c.dense * t.count, t.count, 4 * t.count, t.encoding === 'f32' ? 0 : 4 * t.count);
  const stored = t.encoding === 'mpo' ? t.count : t.stored;
  if ((t.encoding === 'kmeans' || t.encoding === 'sparse') && stored < t.count && cols <= 65536) {
    // SELL-4: 16-byte header + slice starts + lane → row table + 24 bytes per entry of 4 lanes
    // (≈ stored/4 entries: rows sorted by count leave ≈ 0.1 % padding, +1 % allowed here).
    const entries = Math.ceil((1.01 * stored) / 4);
    const slices = Math.ceil(rows / 4);
    const bytes = 16 + align16(4 * (slices + 1)) + 16 * slices + 16 * entries + align16(8 * entries);
    add('sparse', c.sparseStored * 4 * entries, stored, bytes, bytes);
    if (t.groupAxis === HUSH_GROUP_DIM1 && t.shape.length >= 2 && t.count === rows * t.shape[1]) {
      const kept = stored / rows;
      add('columns', c.dense * rows * kept, rows * kept, 4 * rows * kept, 4 * rows * kept + 4 * kept);
    }
  }
  if (t.encoding === 'kmeans') {
    if (t.sparsity === 'none') {
      add('codebook', c.codebookBits(t.bits) * t.count, t.count, Math.ceil((t.count * t.bits) / 8) + 4 * t.k, 0);
    } else {
      const bitmap = t.sparsity === 'bitmap' ? 0 : align16(Math.ceil(t.count / 8) + 4);
      add('codebook-sparse', c.bitmapStored * stored + c.bitmapScan * t.count, stored,
        Math.ceil((stored * t.bits) / 8) + Math.ceil(t.count / 8) + 4 * t.k, bitmap);
    }
  }
  if (t.encoding === 'mpo') {
    const macs = mpoMacs(t.cores);
    const floats = t.cores.reduce((s, k) => s + k[0] * k[1] * k[2] * k[3], 0);
    add('mpo', c.mpoMac * macs, macs, 4 * floats, 4 * floats + 16 * t.cores.length);
  }
  return out.sort((a, b) => a.expectedNs - b.expectedNs);
}

/** The form `choice` selects among `options` (sorted cheapest first). */
export function matFormChoose(options: readonly MatOption[], choice: PlanChoice): MatOption {
  if (choice === 'auto') {
    const best = options[0];
    // Within AUTO_TIME_SLACK of the fastest, the smallest wins.
    return options.filter((o) => o.expectedNs <= AUTO_TIME_SLACK * best.expectedNs).reduce((a, b) => (b.extraBytes < a.extraBytes ? b : a));
  }
  const mode = options.filter((o) => matFormMode(o.form) === choice);
  return mode.length > 0 ? mode[0] : options.filter((o) => matFormMode(o.form) === 'fast')[0];
}

/** Throws a UserError naming the model's problem. */
function fail(config: ArchConfig, msg: string): never {
  throw new UserError(`${config.arch} model: ${msg}`);
}

/** Shapes equal? */
function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Checks the file's tensors against the net its hyper-parameters describe (src/models layout:
 * every parameter present with its shape; BatchNorm tensors may be absent only when the conv
 * before them carries HUSH_TF_BN_FOLDED; buffers `num_batches_tracked` are never needed) and
 * plans every matrix. Throws UserError naming the first problem.
 */
export function modelPlan(info: HushModelInfo, choice: PlanChoice, flavor: 'simd' | 'scalar', cacheBytes = CACHE_BYTES_DEFAULT): ModelPlan {
  const { config } = info;
  const specs = paramSpecs(config);
  let denseMatrixBytes = 0;
  for (const s of specs) if (isMatrixSpec(s)) denseMatrixBytes += 4 * (info.tensors.get(s.name)?.count ?? 0);
  const memoryBound = denseMatrixBytes > cacheBytes;
  const folded = new Set<string>(); // BN prefixes folded into a conv
  for (const t of info.tensors.values()) {
    if ((t.flags & HUSH_TF_BN_FOLDED) !== 0 && t.name.endsWith('.weight')) folded.add(t.name.slice(0, -'.weight'.length));
  }
  const bnOfConv = (bn: string): boolean => {
    // TCNN: encoder.{j}.bn after encoder.{j}.conv, decoder.{j}.bn after decoder.{j}.deconv.
    const p = bn.replace(/\.bn$/, '');
    return folded.has(`${p}.conv`) || folded.has(`${p}.deconv`);
  };
  const mats = new Map<string, MatPlan>();
  const convs = new Map<string, ConvPlan>();
  const uses = new Map(archLayout(config).macTerms.map((m) => [m.tensor, m.executedUsesPerFrame]));
  let loadScratch = 0;
  let expected = 0;
  const need = (bytes: number) => {
    loadScratch = Math.max(loadScratch, bytes);
  };
  for (const s of specs) {
    if (s.name.endsWith('.num_batches_tracked')) continue;
    const t = info.tensors.get(s.name);
    if (t === undefined) {
      if (s.kind === 'norm' || s.kind === 'norm_stat') {
        if (bnOfConv(s.layer)) continue;
      }
      fail(config, `tensor ${s.name} (shape [${s.shape.join(', ')}]) is missing`);
    }
    if (!sameShape(t.shape, s.shape)) fail(config, `tensor ${s.name} has shape [${t.shape.join(', ')}], the hyper-parameters give [${s.shape.join(', ')}]`);
    const mpoScratch = t.encoding === 'mpo' ? mpoDecodeScratchBytes(t) : 0;
    if (isMatrixSpec(s)) {
      const options = matOptions(t, flavor, memoryBound);
      const pick = matFormChoose(options, choice);
      mats.set(s.name, {
        name: s.name, rows: t.shape[0], cols: t.count / t.shape[0], encoding: t.encoding,
        form: pick.form, expectedNs: pick.expectedNs, macs: pick.macs, options,
      });
      expected += pick.expectedNs;
      // sparse forms are packed from the stored entries: a positions bitmap + the SELL-4 row counts
      // and count histogram (assembly/nn/sparse-pack.ts sellScratchBytes) or a column rank table
      const rows = t.shape[0], cols = t.count / rows;
      if (pick.form === 'sparse' || pick.form === 'columns') need(align16(Math.ceil(t.count / 8) + 4) + Math.max(align16(4 * (rows + cols + 1)), 4 * cols));
      else need(mpoScratch);
    } else if (isConvKernelSpec(s)) {
      // a transposed conv's output phases have up to F + 1 bins (F = its executed uses): count that
      const u = (uses.get(s.name) ?? 1) + (s.kind === 'deconv' ? 1 : 0);
      const options = convOptions(t, u, flavor);
      const pick = convFormChoose(options, choice);
      convs.set(s.name, { name: s.name, form: pick.form, expectedNs: pick.expectedNs, macs: pick.macs, options });
      expected += pick.expectedNs;
      // dense deconvs are repacked through the scratch; sparse forms decode there (a Conv2d may be
      // GCRN's gated pair: both halves side by side)
      if (pick.form !== 'dense') need(align16((s.kind === 'deconv' ? 4 : 8) * t.count) + mpoScratch);
      else need(s.kind === 'deconv' ? align16(4 * t.count) + mpoScratch : mpoScratch);
    } else if (s.kind === 'deconv' || s.name.includes('.bias_hh_l') || s.name.includes('.bias_ih_l')) {
      need(align16(4 * t.count) + mpoScratch); // repacked / summed through the load scratch
    } else if (s.name.endsWith('.running_var')) {
      need(4 * align16(4 * t.count)); // BatchNorm: four vectors side by side
    } else {
      need(mpoScratch);
    }
  }
  return { choice, flavor, denseMatrixBytes, cacheBytes, memoryBound, mats, convs, loadScratchBytes: loadScratch, expectedNsPerHop: expected };
}

/** hushTensorDecodeScratchBytes of an MPO tensor (assembly/format/decode.ts): dense cores + f64 bond vectors. */
function mpoDecodeScratchBytes(t: HushTensorInfo): number {
  let bytes = 0;
  let maxBond = 1;
  for (const c of t.cores) {
    bytes += align16(4 * c[0] * c[1] * c[2] * c[3]);
    maxBond = Math.max(maxBond, c[3]);
  }
  return bytes + (t.cores.length + 1) * maxBond * 8;
}
