/**
 * One-dimensional k-means of a weight tensor's nonzero weights (Tan & Wang §II-D, eq. 10), as in
 * Deep Compression (Han et al. 2016): centroids initialised at K values evenly spaced over
 * [w_min, w_max], then Lloyd iterations until no weight changes cluster.
 *
 * Pure TypeScript and deterministic: the values are sorted once, and since 1-D clusters are
 * contiguous intervals of the sorted values, each Lloyd iteration only locates K − 1 boundaries
 * (binary search, a weight exactly halfway between two centroids goes to the lower one) and reads
 * cluster sums from float64 prefix sums: O(n log n) once, then O(K log n) per iteration.
 *
 * Empty clusters (linear initialisation leaves some in sparse regions of the weight distribution)
 * keep their centroid during the iterations and are dropped at the end, so `centroids.length` ≤ K.
 * Centroids are returned rounded to float32 (what the codebook stores); clusters whose centroids
 * round to the same float32 are merged. Codebooks are sorted ascending.
 */
import { KMEANS_MAX_ITERATIONS } from './defaults.js';

/** The clustering of n values. */
export interface KmeansResult {
  /** Distinct float32 centroids, ascending; length ≤ K (empty clusters dropped). */
  centroids: Float32Array;
  /** Cluster of each input value (index into centroids), in input order. */
  assignment: Uint32Array;
  /** Lloyd iterations run. */
  iterations: number;
  /** Σ (w − μ)² in float64 with the float32 centroids. */
  inertia: number;
  /** K asked for. */
  k: number;
}

/** Options of kmeansFit. */
export interface KmeansOptions {
  /** Default KMEANS_MAX_ITERATIONS (100). */
  maxIterations?: number;
}

/** First index i in [lo, hi) with sorted[i] > x (sorted ascending). */
function upperBound(sorted: Float64Array, x: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Clusters `values` (any finite numbers; for a weight tensor pass its nonzero weights) into at most
 * `k` clusters. Throws for k < 1 or no values.
 */
export function kmeansFit(values: ArrayLike<number>, k: number, opts: KmeansOptions = {}): KmeansResult {
  const n = values.length;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`kmeansFit: K must be a positive integer, got ${k}`);
  if (n === 0) throw new RangeError('kmeansFit: no values to cluster');
  const maxIterations = opts.maxIterations ?? KMEANS_MAX_ITERATIONS;

  // order[i] = input index of the i-th smallest value; sorted = the values in that order
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b] || a - b);
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) sorted[i] = values[order[i]];
  const prefix = new Float64Array(n + 1); // prefix[i] = Σ sorted[0 … i − 1]
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + sorted[i];

  // linear initialisation over [w_min, w_max] (np.linspace: K = 1 gives w_min)
  const lo = sorted[0];
  const hi = sorted[n - 1];
  let c = new Float64Array(k);
  for (let j = 0; j < k; j++) c[j] = k === 1 ? lo : lo + ((hi - lo) * j) / (k - 1);

  // ends[j] = one past the last sorted index of cluster j (clusters are contiguous)
  let ends = new Int32Array(k).fill(-1);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    c.sort();
    const next = new Int32Array(k);
    let start = 0;
    for (let j = 0; j < k - 1; j++) {
      const boundary = (c[j] + c[j + 1]) / 2;
      start = upperBound(sorted, boundary, start, n);
      next[j] = start;
    }
    next[k - 1] = n;
    let same = true;
    for (let j = 0; j < k; j++) if (next[j] !== ends[j]) same = false;
    ends = next;
    if (same) break;
    const moved = new Float64Array(k);
    let s = 0;
    for (let j = 0; j < k; j++) {
      const e = ends[j];
      moved[j] = e > s ? (prefix[e] - prefix[s]) / (e - s) : c[j];
      s = e;
    }
    c = moved;
  }

  // drop empty clusters, round to float32, merge equal float32 centroids
  const centroidList: number[] = [];
  const clusterOfSorted = new Uint32Array(n);
  let s = 0;
  for (let j = 0; j < k; j++) {
    const e = ends[j];
    if (e > s) {
      const mu = Math.fround((prefix[e] - prefix[s]) / (e - s));
      if (centroidList.length === 0 || centroidList[centroidList.length - 1] !== mu) centroidList.push(mu);
      const id = centroidList.length - 1;
      for (let i = s; i < e; i++) clusterOfSorted[i] = id;
    }
    s = e;
  }
  const centroids = Float32Array.from(centroidList);
  const assignment = new Uint32Array(n);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const a = clusterOfSorted[i];
    assignment[order[i]] = a;
    const d = sorted[i] - centroids[a];
    inertia += d * d;
  }
  return { centroids, assignment, iterations, inertia, k };
}

/** Quantised tensor: the codebook, and per kept position its cluster. */
export interface QuantizedTensor {
  /** Float32 centroids, ascending (the codebook). */
  codebook: Float32Array;
  /** Flat positions of the quantised (nonzero) weights, ascending. */
  positions: Uint32Array;
  /** Codebook index of each position. */
  indices: Uint32Array;
  /** The tensor with every kept weight replaced by its centroid (pruned elements 0). */
  values: Float32Array;
  iterations: number;
  inertia: number;
}

/**
 * Quantises the kept weights of a tensor (mask[i] = 1; all elements when mask is omitted) with
 * k-means into at most K clusters; pruned elements stay 0. A tensor with no kept weight gives an
 * empty codebook.
 */
export function kmeansQuantize(values: Float32Array, k: number, mask?: Uint8Array, opts: KmeansOptions = {}): QuantizedTensor {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!mask || mask[i]) count++;
  const positions = new Uint32Array(count);
  const kept = new Float64Array(count);
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    if (!mask || mask[i]) {
      positions[m] = i;
      kept[m++] = values[i];
    }
  }
  const out = new Float32Array(values.length);
  if (count === 0) {
    return { codebook: new Float32Array(0), positions, indices: new Uint32Array(0), values: out, iterations: 0, inertia: 0 };
  }
  const r = kmeansFit(kept, k, opts);
  for (let i = 0; i < count; i++) out[positions[i]] = r.centroids[r.assignment[i]];
  return { codebook: r.centroids, positions, indices: r.assignment, values: out, iterations: r.iterations, inertia: r.inertia };
}
