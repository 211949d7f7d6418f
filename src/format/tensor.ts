/**
 * In-memory forms of `.hush` tensors, exactly what the writer takes and the reader returns, and the
 * plain reference decoder `hushTensorDense` (the WASM decoder in assembly/format/decode.ts is tested
 * against it). Shapes follow PyTorch (outermost first); data is row-major.
 */
import { f16Exact } from './f16.js';
import { mpoContract } from './mpo.js';
import { HUSH_MAX_K } from './spec.js';

/** Storage type of dense values, codebooks and sparse values. */
export type HushDtype = 'f32' | 'f16';
/** Which elements of a tensor are stored (docs/format.md "Sparsity"). */
export type HushSparsityKind = 'none' | 'bitmap' | 'delta' | 'groups' | 'blocks';
/** Rows × columns of one block of sparsity 'blocks': [4, 1], [8, 1] or [1, 4] (docs/format.md "Blocks"). */
export type HushBlockShape = [rows: number, cols: number];
/** The writer's choice: a kind, or 'auto' = the smallest that applies (ties: none, groups, bitmap, delta; never blocks). */
export type HushSparsityChoice = 'auto' | HushSparsityKind;

interface HushTensorBase {
  /** PyTorch shape, outermost first, 0..4 dims, each ≥ 1. */
  shape: number[];
  /** True on a conv weight/bias that absorbed a BatchNorm at export (the BN's tensors are absent). */
  bnFolded?: boolean;
}

/** Every element stored as f32 (biases, norms) or f16. f16 values must be exactly representable (see f16RoundArray). */
export interface HushDenseTensor extends HushTensorBase {
  encoding: 'f32' | 'f16';
  data: Float32Array;
}

/**
 * K-means quantised (Tan & Wang §II-D): the stored weights are codebook[indices[i]] at flat positions
 * positions[i] (ascending), every other element is 0. positions null = every element stored.
 */
export interface HushKmeansTensor extends HushTensorBase {
  encoding: 'kmeans';
  /** K centroids, K = 1..65536; the index width is ⌈log2 K⌉ bits (0 when K = 1). */
  codebook: Float32Array;
  /** Codebook storage (default f32); f16 entries must be exactly representable. */
  codebookDtype?: HushDtype;
  positions: Uint32Array | null;
  /** One index per stored weight, each < K. */
  indices: Uint32Array;
  /** How the writer stores `positions` (default 'auto'); the reader reports the kind it found. */
  sparsity?: HushSparsityChoice;
  /**
   * Block shape when `sparsity` is 'blocks' (required then). `positions` / `indices` stay in ascending
   * position order here; the writer stores them in block order, the reader sorts them back.
   */
  block?: HushBlockShape;
}

/** Pruned but not quantised: values[i] at flat position positions[i] (null = all). */
export interface HushSparseTensor extends HushTensorBase {
  encoding: 'sparse';
  valuesDtype?: HushDtype;
  positions: Uint32Array | null;
  values: Float32Array;
  sparsity?: HushSparsityChoice;
  /** Block shape when `sparsity` is 'blocks' (as HushKmeansTensor.block). */
  block?: HushBlockShape;
}

/** A tensor that can be an MPO core. */
export type HushCoreTensor = HushDenseTensor | HushKmeansTensor | HushSparseTensor;

/**
 * Matrix-product-operator factorised weight (Sun et al.): the matrix view [d0, count/d0] of `shape`
 * equals the contraction of `cores`, each of shape [r_{k-1}, i_k, j_k, r_k] with r_0 = r_N = 1,
 * ∏ i_k = d0 and ∏ j_k = count/d0 (see mpoContract for the index order).
 */
export interface HushMpoTensor extends HushTensorBase {
  encoding: 'mpo';
  cores: HushCoreTensor[];
}

export type HushTensor = HushDenseTensor | HushKmeansTensor | HushSparseTensor | HushMpoTensor;
export type HushEncodingName = HushTensor['encoding'];

/** Elements of a shape (1 for rank 0). */
export function shapeElements(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Number of stored (nonzero-pattern) weights of a tensor; for MPO the sum over its cores. */
export function hushTensorStored(t: HushTensor): number {
  switch (t.encoding) {
    case 'f32':
    case 'f16':
      return t.data.length;
    case 'kmeans':
      return t.indices.length;
    case 'sparse':
      return t.values.length;
    case 'mpo':
      return t.cores.reduce((s, c) => s + hushTensorStored(c), 0);
  }
}

/** Reference decoder: the tensor as dense row-major f32 (a new array). */
export function hushTensorDense(t: HushTensor): Float32Array {
  const n = shapeElements(t.shape);
  switch (t.encoding) {
    case 'f32':
    case 'f16':
      return Float32Array.from(t.data);
    case 'kmeans': {
      const out = new Float32Array(n);
      for (let i = 0; i < t.indices.length; i++) out[t.positions ? t.positions[i] : i] = t.codebook[t.indices[i]];
      return out;
    }
    case 'sparse': {
      const out = new Float32Array(n);
      for (let i = 0; i < t.values.length; i++) out[t.positions ? t.positions[i] : i] = t.values[i];
      return out;
    }
    case 'mpo':
      return mpoContract(
        t.shape,
        t.cores.map((c) => ({ shape: c.shape, data: hushTensorDense(c) })),
      );
  }
}

/**
 * Builds a k-means tensor from a quantised dense tensor whose nonzero values all appear in `codebook`
 * (as exported after k-means: every nonzero weight was reset to its centroid). Zeros are not stored.
 * Throws when a nonzero value is not a codebook entry.
 */
export function kmeansFromDense(name: string, shape: number[], values: Float32Array, codebook: Float32Array, codebookDtype: HushDtype = 'f32'): HushKmeansTensor {
  if (codebook.length < 1 || codebook.length > HUSH_MAX_K) throw new Error(`tensor ${name}: K = ${codebook.length} is outside 1..${HUSH_MAX_K}`);
  const lookup = new Map<number, number>();
  codebook.forEach((c, i) => {
    if (!lookup.has(c)) lookup.set(c, i);
  });
  const positions: number[] = [];
  const indices: number[] = [];
  for (let p = 0; p < values.length; p++) {
    const v = values[p];
    if (v === 0) continue;
    const k = lookup.get(v);
    if (k === undefined) throw new Error(`tensor ${name}: value ${v} at ${p} is not a codebook entry`);
    positions.push(p);
    indices.push(k);
  }
  const all = positions.length === values.length;
  return {
    encoding: 'kmeans',
    shape,
    codebook,
    codebookDtype,
    positions: all ? null : Uint32Array.from(positions),
    indices: Uint32Array.from(indices),
  };
}

/** True when every value of `data` is finite and, for f16, exactly representable. */
export function valuesFit(data: Float32Array, dtype: HushDtype): boolean {
  for (let i = 0; i < data.length; i++) {
    if (dtype === 'f16' ? !f16Exact(data[i]) : !Number.isFinite(data[i])) return false;
  }
  return true;
}
