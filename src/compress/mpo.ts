/**
 * Matrix-product-operator (MPO) layers after Sun et al. (seeds/004): a weight matrix W [R, C] is
 * replaced, BEFORE training, by a chain of N cores G_k [r_{k−1}, I_k, J_k, r_k] (r_0 = r_N = 1,
 * ∏ I_k = R, ∏ J_k = C) and the cores are trained instead of W. Index order is the `.hush`
 * format's (src/format/mpo.ts): row r = (i_1 … i_N) and column c = (j_1 … j_N) in mixed radix,
 * first core most significant.
 *
 * This file is the plain arithmetic: factorising R and C, the bond dimensions (r_k = min(D, the
 * largest rank the cut k allows)), the parameter count, the bond D for a target compression rate,
 * and a random initialisation whose contracted W has PyTorch's default variance. The in-graph
 * contraction and the training loop are in mpoTrain.ts.
 */

/** The factor chain of one MPO matrix. */
export interface MpoPlan {
  /** Rows R and columns C of the matrix view ([d0, count/d0] of the tensor). */
  rows: number;
  cols: number;
  /** I_k and J_k (same length N; factors may be 1). */
  rowFactors: number[];
  colFactors: number[];
  /** r_0 … r_N (r_0 = r_N = 1). */
  bonds: number[];
}

/** Prime factors of n ≥ 1, descending. */
export function primeFactors(n: number): number[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`primeFactors: ${n} is not a positive integer`);
  const out: number[] = [];
  let m = n;
  for (let p = 2; p * p <= m; p++) while (m % p === 0) (out.push(p), (m /= p));
  if (m > 1) out.push(m);
  return out.sort((a, b) => b - a);
}

/**
 * n as a product of `count` factors, as equal as the primes allow (greedy: each prime, largest
 * first, multiplies the currently smallest factor). Factors are returned descending; 1s pad.
 */
export function balancedFactors(n: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`balancedFactors: count ${count}`);
  const f = new Array<number>(count).fill(1);
  for (const p of primeFactors(n)) {
    let k = 0;
    for (let i = 1; i < count; i++) if (f[i] < f[k]) k = i;
    f[k] *= p;
  }
  return f.sort((a, b) => b - a);
}

/** Bonds r_0 … r_N for bond dimension D: r_k = min(D, ∏_{m ≤ k} I_m J_m, ∏_{m > k} I_m J_m). */
export function mpoBonds(rowFactors: readonly number[], colFactors: readonly number[], bond: number): number[] {
  const n = rowFactors.length;
  const sizes = rowFactors.map((r, k) => r * colFactors[k]);
  const bonds = [1];
  for (let k = 1; k < n; k++) {
    let left = 1;
    let right = 1;
    for (let m = 0; m < k; m++) left *= sizes[m];
    for (let m = k; m < n; m++) right *= sizes[m];
    bonds.push(Math.min(bond, left, right));
  }
  bonds.push(1);
  return bonds;
}

/** Parameters of a plan: Σ r_{k−1} I_k J_k r_k. */
export function mpoParams(plan: Pick<MpoPlan, 'rowFactors' | 'colFactors' | 'bonds'>): number {
  let n = 0;
  plan.rowFactors.forEach((r, k) => (n += plan.bonds[k] * r * plan.colFactors[k] * plan.bonds[k + 1]));
  return n;
}

/** A plan with N cores and bond dimension D. */
export function mpoPlan(rows: number, cols: number, cores: number, bond: number): MpoPlan {
  const rowFactors = balancedFactors(rows, cores);
  const colFactors = balancedFactors(cols, cores);
  return { rows, cols, rowFactors, colFactors, bonds: mpoBonds(rowFactors, colFactors, bond) };
}

/**
 * The plan with the largest bond dimension D whose parameters are at most rows·cols / rate
 * (D = 1 when even that exceeds the budget: the smallest chain there is).
 */
export function mpoPlanForRate(rows: number, cols: number, cores: number, rate: number): MpoPlan {
  if (!(rate >= 1)) throw new RangeError(`MPO compression rate must be ≥ 1, got ${rate}`);
  const budget = (rows * cols) / rate;
  let best = mpoPlan(rows, cols, cores, 1);
  // the parameter count grows with D until every bond is saturated
  const maxBond = Math.max(...mpoPlan(rows, cols, cores, Number.MAX_SAFE_INTEGER).bonds);
  for (let d = 2; d <= maxBond; d++) {
    const p = mpoPlan(rows, cols, cores, d);
    if (mpoParams(p) > budget) break;
    best = p;
  }
  return best;
}

/** Shapes of a plan's cores. */
export function mpoCoreShapes(plan: MpoPlan): number[][] {
  return plan.rowFactors.map((r, k) => [plan.bonds[k], r, plan.colFactors[k], plan.bonds[k + 1]]);
}

/**
 * Random cores whose contraction has (about) the variance `variance` per element: with iid
 * N(0, σ²) core entries, Var W = σ^{2N} · ∏_{k=1}^{N−1} r_k, so σ² = (variance / ∏ r_k)^{1/N}.
 * `random` gives standard normal samples (seeded by the caller).
 */
export function mpoInitCores(plan: MpoPlan, variance: number, random: () => number): Float32Array[] {
  const n = plan.rowFactors.length;
  let inner = 1;
  for (let k = 1; k < n; k++) inner *= plan.bonds[k];
  const sigma = Math.sqrt((variance / inner) ** (1 / n));
  return mpoCoreShapes(plan).map((shape) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => sigma * random()));
}
