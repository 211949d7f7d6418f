/**
 * The measuring planner of the 'auto' plan (issue #18, like FFTW's planner): which form of a weight
 * matrix is fastest depends on the CPU (SELL-4 costs ~2× more relative to dense on an Intel Xeon than
 * on an AMD EPYC), so at load the candidate forms of each matrix (assembly/nets/plan.ts
 * planMatOptions: dense, SELL-4, compacted columns, codebook, block-sparse …) are built and timed on
 * this machine, within a total budget, and the fastest is pinned (planOverrideSet) before the model is
 * bound. Browser-safe (no Node APIs).
 *
 * Procedure, in the Enhancer's own WASM instance before the real load:
 *   1. bind the model with the cost model alone (PLAN_AUTO, nothing pinned): which tensors are
 *      matrices, the cost model's form for each, the memory-bound flag, the load scratch size;
 *   2. per matrix with ≥ 2 candidate forms, in table order: build each form (matCreate), one warm-up
 *      product, then 5 rounds of k products (k ≈ 200 µs worth, 1…1000) on a fixed input; a form's time
 *      is its best round / k. Forms the cost model expects ≥ SKIP_FACTOR (3×) slower than its
 *      cheapest are not built or timed (e.g. codebook + bitmap against dense: 10–40× by the table;
 *      measured 9× on the paper GCRN). A matrix like one already timed — same shape, encoding,
 *      sparsity kind and parameter, stored count and candidates (the paper GCRN's eight LSTM matrices under C1) —
 *      reuses its timings. Memory of each tensor's candidates is rewound before the next;
 *   3. the choice: the fastest measured form, unless the cost model's form is within NOISE_MARGIN
 *      (10 %) of it — then the cost model's (measurement noise never flips a choice);
 *   4. rewind everything (memReset) and bind for real with the choices pinned.
 * Bounded: no new tensor is timed once `budgetMs` (default PLAN_MEASURE_BUDGET_MS = 30 ms) of timing
 * (the products themselves, spentMs) is spent; one tensor in progress may finish past it (≤ 6 × k
 * products of each of its forms, ≈ 1 ms + 6 of its slowest products). Building the candidate forms
 * (buildMs: decoding and repacking, proportional to the model, like a load) and the loads themselves
 * (steps 1 and 4: the load time roughly doubles) are outside the budget, and reported.
 * Deterministic fallback — the cost model's plan, unchanged — when no clock is available
 * (`performance.now`, absent in an AudioWorkletGlobalScope), when budgetMs = 0, or for the tensors
 * the budget did not reach. Conv kernels keep the cost model's form (not measured yet).
 * Outputs: every form computes the same product; summation orders differ between forms (dense 4-way
 * lanes, SELL-4 in column order, blocks in two chains), so a measured plan agrees with the cost
 * model's within the runtime's parity tolerance, not bit for bit (test/runtime/planMeasure.test.ts).
 */
import type { HushModelExports } from './wasm.js';
import { MAT_FORM_IDS, type MatForm } from './plan.js';

/** Default total timing budget of a measured plan, ms. */
export const PLAN_MEASURE_BUDGET_MS = 30;
/** The cost model's form is kept when its time is within this factor of the fastest. */
const NOISE_MARGIN = 1.1;
/** Candidate forms the cost model expects this many times slower than its cheapest are not timed. */
const SKIP_FACTOR = 3;
/** Target duration of one timing round, µs. */
const ROUND_US = 200;
const ROUNDS = 5;

/** The WASM functions the planner calls (assembly/nets/plan.ts, mat.ts, mem.ts, format/entry.ts). */
export interface PlanMeasureExports extends HushModelExports {
  planOverrideSet(t: number, form: number): void;
  planOverrideClear(): void;
  planMatOptions(state: number, t: number, memoryBound: number): number;
  planMatOptionForm(i: number): number;
  planMatOptionNs(i: number): number;
  matCreate(state: number, t: number, kind: number, scratch: number, scratchBytes: number): number;
  matProduct(y: number, mat: number, x: number, tmp: number): void;
  matRows(mat: number): number;
  matCols(mat: number): number;
  matScratchFloats(mat: number): number;
  memMark(): number;
  memRewind(mark: number): void;
  memReset(): void;
  hushStateBytes(): number;
  hushTensorDim(state: number, t: number, d: number): number;
  hushTensorElements(state: number, t: number): number;
  hushTensorEncoding(state: number, t: number): number;
  hushTensorSparsity(state: number, t: number): number;
  hushTensorSparsityParam(state: number, t: number): number;
  hushTensorStored(state: number, t: number): number;
  hushOpen(state: number, filePtr: number, fileLen: number): number;
}

/** One candidate form of a measured matrix. */
export interface PlanCandidate {
  form: MatForm;
  /** The cost model's expected ns per product (plan.ts's table). */
  expectedNs: number;
  /** Measured µs per product on this machine; null when not timed (budget, SKIP_FACTOR, not buildable). */
  us: number | null;
}

/** What the planner decided for one matrix. */
export interface PlanMeasuredTensor {
  /** Tensor index in the file's table. */
  index: number;
  heuristic: MatForm;
  chosen: MatForm;
  /** 'fastest' | 'heuristic within 10 %' | 'budget spent' | 'one form'; '(timings of a like matrix)' when reused. */
  reason: string;
  candidates: PlanCandidate[];
}

/** The measured plan: per-tensor choices and what the measuring cost. */
export interface PlanMeasureReport {
  budgetMs: number;
  /** Timing spent, ms: the timed products (what budgetMs bounds). */
  spentMs: number;
  /** Building the timed candidate forms, ms (outside the budget). */
  buildMs: number;
  /** Why nothing (or not everything) was measured: null when every matrix was. */
  fallback: null | 'no-clock' | 'disabled' | 'budget';
  tensors: PlanMeasuredTensor[];
}

/**
 * Times `run(k)` (k products); returns µs per product. Injected by tests (deterministic costs);
 * the default uses performance.now. null = no clock here.
 */
export type PlanTimer = (form: MatForm, run: (calls: number) => void) => number;

/** The default timer: best of ROUNDS rounds of ≈ ROUND_US each, or null without performance.now. */
export function planTimerDefault(): PlanTimer | null {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  if (!perf || typeof perf.now !== 'function') return null;
  return (_form, run) => {
    let t0 = perf.now();
    run(1); // warm-up, and the size of a round
    const one = Math.max(1e-3, (perf.now() - t0) * 1000);
    const k = Math.min(1000, Math.max(1, Math.ceil(ROUND_US / one)));
    let best = Infinity;
    for (let r = 0; r < ROUNDS; r++) {
      t0 = perf.now();
      run(k);
      best = Math.min(best, ((perf.now() - t0) * 1000) / k);
    }
    return best;
  };
}

function formName(id: number): MatForm {
  return (Object.keys(MAT_FORM_IDS) as MatForm[]).find((f) => MAT_FORM_IDS[f] === id) ?? 'dense';
}

/** One line of the cost model's matrix plan (from the first, unpinned load). */
export interface PlanMatrixLine {
  index: number;
  form: MatForm;
}

/**
 * Steps 2–3 of the file comment, with the file at filePtr and a first load's facts: the matrices and
 * their cost-model forms, memoryBound, the load scratch bytes. Leaves memory as it found it (rewinds).
 */
export function planMeasure(
  ex: PlanMeasureExports, filePtr: number, fileLen: number, matrices: readonly PlanMatrixLine[], memoryBound: boolean,
  loadScratchBytes: number, budgetMs: number, timer: PlanTimer | null,
): PlanMeasureReport {
  const report: PlanMeasureReport = { budgetMs, spentMs: 0, buildMs: 0, fallback: null, tensors: [] };
  if (budgetMs <= 0) return { ...report, fallback: 'disabled' };
  if (!timer) return { ...report, fallback: 'no-clock' };
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  const clock = () => (perf ? perf.now() : 0);
  const mark = ex.memMark();
  const state = ex.memAlloc(ex.hushStateBytes());
  if (state === 0 || ex.hushOpen(state, filePtr, fileLen) !== 0) {
    ex.memRewind(mark);
    return { ...report, fallback: 'disabled' };
  }
  const scratchBytes = Math.max(16, loadScratchBytes);
  /** Timings by the likeness key of step 2 (µs per candidate form). */
  const seen = new Map<string, Map<MatForm, number | null>>();
  const scratch = ex.memAlloc(scratchBytes);
  for (const m of matrices) {
    const n = ex.planMatOptions(state, m.index, memoryBound ? 1 : 0);
    const candidates: PlanCandidate[] = [];
    for (let i = 0; i < n; i++) candidates.push({ form: formName(ex.planMatOptionForm(i)), expectedNs: ex.planMatOptionNs(i), us: null });
    const line: PlanMeasuredTensor = { index: m.index, heuristic: m.form, chosen: m.form, reason: 'one form', candidates };
    report.tensors.push(line);
    if (n < 2) continue;
    const key = [
      ex.hushTensorDim(state, m.index, 0), ex.hushTensorElements(state, m.index), ex.hushTensorEncoding(state, m.index),
      ex.hushTensorSparsity(state, m.index), ex.hushTensorSparsityParam(state, m.index), ex.hushTensorStored(state, m.index),
      m.form, ...candidates.map((c) => c.form),
    ].join(':');
    const known = seen.get(key);
    if (!known && report.spentMs >= budgetMs) {
      line.reason = 'budget spent';
      report.fallback = 'budget';
      continue;
    }
    const tensorMark = ex.memMark();
    const cheapest = Math.min(...candidates.map((c) => c.expectedNs));
    for (const c of known ? [] : candidates) {
      if (c.expectedNs > SKIP_FACTOR * cheapest && c.form !== m.form) continue;
      const b0 = clock();
      const mat = ex.matCreate(state, m.index, MAT_FORM_IDS[c.form], scratch, scratchBytes);
      report.buildMs += clock() - b0;
      if (mat === 0) continue;
      const rows = ex.matRows(mat), cols = ex.matCols(mat);
      const x = ex.memAlloc(4 * cols), y = ex.memAlloc(4 * rows), tmp = ex.memAlloc(4 * (ex.matScratchFloats(mat) + rows) + 16);
      if (x === 0 || y === 0 || tmp === 0) continue;
      // a fixed input in [−1, 1): timings must not depend on zeros or denormals
      const xs = new Float32Array(ex.memory.buffer, x, cols);
      for (let j = 0; j < cols; j++) xs[j] = (((j * 2654435761) >>> 0) / 2 ** 32) * 2 - 1;
      const t0 = clock();
      c.us = timer(c.form, (calls) => {
        for (let k = 0; k < calls; k++) ex.matProduct(y, mat, x, tmp);
      });
      report.spentMs += clock() - t0;
    }
    ex.memRewind(tensorMark);
    if (known) for (const c of candidates) c.us = known.get(c.form) ?? null;
    else seen.set(key, new Map(candidates.map((c) => [c.form, c.us])));
    const timed = candidates.filter((c) => c.us !== null) as (PlanCandidate & { us: number })[];
    if (timed.length === 0) continue;
    const fastest = timed.reduce((a, b) => (b.us < a.us ? b : a));
    const own = timed.find((c) => c.form === m.form);
    if (own && own.us <= NOISE_MARGIN * fastest.us) line.reason = own === fastest ? 'fastest' : 'heuristic within 10 %';
    else {
      line.chosen = fastest.form;
      line.reason = 'fastest';
    }
    if (known) line.reason += ' (timings of a like matrix)';
  }
  ex.memRewind(mark);
  return report;
}

/** A one-line summary per measured tensor for `hushpack bench`: "lstm.weight_ih_l0: block (0.81 µs) over dense 1.90, sparse 1.20 — fastest". */
export function planMeasureLines(r: PlanMeasureReport, names: readonly string[]): string[] {
  const head = `measured plan: timing ${r.spentMs.toFixed(1)} of ${r.budgetMs} ms, building the candidates ${r.buildMs.toFixed(1)} ms` +
    `${r.fallback ? `; fallback to the cost model: ${r.fallback}` : ''}`;
  const us = (v: number | null) => (v === null ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(2));
  return [
    head,
    ...r.tensors
      .filter((t) => t.candidates.length > 1)
      .map((t) => {
        const others = t.candidates.filter((c) => c.form !== t.chosen).map((c) => `${c.form} ${us(c.us)}`).join(', ');
        const mine = t.candidates.find((c) => c.form === t.chosen);
        return `  ${names[t.index] ?? `#${t.index}`}: ${t.chosen} (${us(mine?.us ?? null)} µs) over ${others} — ${t.reason}${t.chosen !== t.heuristic ? ` (cost model: ${t.heuristic})` : ''}`;
      }),
  ];
}
