/**
 * The measuring planner of the 'auto' plan (runtime/core/planMeasure.ts, issue #18). No timed
 * assertions: a fake timer with fixed costs per form makes every choice deterministic; the real
 * clock is only smoke-tested (the choice it makes is not asserted, only that the output is right).
 */
import { describe, expect, it } from 'vitest';
import { presetConfig } from '../../src/models/index.js';
import type { MatForm } from '../../runtime/core/plan.js';
import { PLAN_MEASURE_BUDGET_MS, type PlanTimer } from '../../runtime/core/planMeasure.js';
import { encodeModel, testSignal } from './models.js';
import { enhancerFor, maxAbsDiff, referenceEnhance, streamHops } from './harness.js';

const SIGNAL = testSignal(8_000);
/** The runtime's parity tolerance (test/runtime/parity.test.ts), relative to the output peak. */
const TOLERANCE = 1e-4;

/** A timer that reports fixed µs per product for each form (and never runs the products). */
function fixedTimer(us: Partial<Record<MatForm, number>>): PlanTimer {
  return (form) => us[form] ?? 100;
}

/** The matrices' forms of an enhancer, in table order. */
function matForms(e: Awaited<ReturnType<typeof enhancerFor>>): string[] {
  return e.tensors.filter((t) => e.plan.mats.has(t.name)).map((t) => t.form);
}

describe('measured auto plan', () => {
  // 40 % kept + k-means: on the scalar build the cost model takes SELL-4, dense within 3× (both timed), codebook + bitmap not
  const pruned = encodeModel(presetConfig('fdnn', 'tiny'), 'kmeans-pruned');
  const blocks = encodeModel(presetConfig('fdnn', 'tiny'), 'blocks');

  it('is off by default: the cost model\'s plan, so a file gives the same bits on every machine', async () => {
    const e = await enhancerFor(pruned.hush, 'scalar', 'auto', { planTimer: fixedTimer({ dense: 1, sparse: 5 }) });
    expect(e.plan.measured).toMatchObject({ fallback: 'disabled', tensors: [] });
    expect(matForms(e)).toEqual(['sparse', 'sparse']);
  });

  it('without a clock, or with a zero budget, is exactly the cost model\'s plan (bit-identical output)', async () => {
    const a = await enhancerFor(pruned.hush, 'scalar', 'auto', { planTimer: null, planBudgetMs: PLAN_MEASURE_BUDGET_MS });
    const b = await enhancerFor(pruned.hush, 'scalar', 'auto', { planBudgetMs: 0 });
    expect(a.plan.measured).toMatchObject({ fallback: 'no-clock', tensors: [] });
    expect(b.plan.measured).toMatchObject({ fallback: 'disabled', tensors: [] });
    expect(matForms(a)).toEqual(['sparse', 'sparse']);
    expect(matForms(b)).toEqual(matForms(a));
    expect(streamHops(a, SIGNAL).stream).toEqual(streamHops(b, SIGNAL).stream);
  });

  it('pins the fastest measured form, and the output stays within the parity tolerance', async () => {
    const ref = referenceEnhance(pruned, SIGNAL);
    const e = await enhancerFor(pruned.hush, 'scalar', 'auto', { planTimer: fixedTimer({ dense: 1, sparse: 5 }), planBudgetMs: PLAN_MEASURE_BUDGET_MS });
    expect(matForms(e)).toEqual(['dense', 'dense']);
    const m = e.plan.measured!;
    expect(m.fallback).toBeNull();
    expect(m.tensors.map((t) => [t.heuristic, t.chosen, t.reason])).toEqual([['sparse', 'dense', 'fastest'], ['sparse', 'dense', 'fastest']]);
    expect(m.tensors[0].candidates.map((c) => [c.form, c.us])).toEqual([['sparse', 5], ['dense', 1], ['codebook-sparse', null]]);
    const { diff, peak } = maxAbsDiff(streamHops(e, SIGNAL).aligned, ref);
    expect(diff).toBeLessThanOrEqual(TOLERANCE * peak);
  });

  it('keeps the cost model\'s form when it is within 10 % of the fastest (noise never flips a choice)', async () => {
    const e = await enhancerFor(pruned.hush, 'scalar', 'auto', { planTimer: fixedTimer({ dense: 1, sparse: 1.05 }), planBudgetMs: PLAN_MEASURE_BUDGET_MS });
    expect(matForms(e)).toEqual(['sparse', 'sparse']);
    expect(e.plan.measured!.tensors.map((t) => t.reason)).toEqual(['heuristic within 10 %', 'heuristic within 10 %']);
  });

  it('chooses between dense and the block kernel for block-sparse files', async () => {
    const ref = referenceEnhance(blocks, SIGNAL);
    for (const [us, want] of [[{ dense: 1, block: 3 }, 'dense'], [{ dense: 3, block: 1 }, 'block']] as const) {
      const e = await enhancerFor(blocks.hush, 'simd', 'auto', { planTimer: fixedTimer(us), planBudgetMs: PLAN_MEASURE_BUDGET_MS });
      expect(matForms(e)).toEqual([want, want]);
      expect(e.plan.measured!.tensors.every((t) => t.candidates.map((c) => c.form).sort().join() === 'block,dense')).toBe(true);
      const { diff, peak } = maxAbsDiff(streamHops(e, SIGNAL).aligned, ref);
      expect(diff).toBeLessThanOrEqual(TOLERANCE * peak);
    }
  });

  it('times a matrix like one already timed only once (same shape, encoding, sparsity, stored count)', async () => {
    let calls = 0;
    const timer: PlanTimer = (form) => (calls++, form === 'dense' ? 1 : 2);
    // the paper-style C1 GCRN's LSTM matrices: same shape and nonzeros in every group and layer
    const e = await enhancerFor(encodeModel(presetConfig('gcrn', 'tiny'), 'kmeans-pruned').hush, 'scalar', 'auto', { planTimer: timer, planBudgetMs: PLAN_MEASURE_BUDGET_MS });
    const m = e.plan.measured!;
    const shared = m.tensors.filter((t) => t.reason.endsWith('(timings of a like matrix)'));
    expect(shared.length).toBeGreaterThan(0);
    const timedTensors = m.tensors.filter((t) => t.candidates.some((c) => c.us !== null)).length;
    expect(calls).toBeLessThan(2 * timedTensors);
    for (const t of shared) expect(t.chosen).toBe('dense'); // the shared timings decide as the first did
  });

  it('stops timing new tensors once the budget is spent and leaves them to the cost model', async () => {
    const e = await enhancerFor(pruned.hush, 'scalar', 'auto', { planTimer: fixedTimer({ dense: 1, sparse: 5 }), planBudgetMs: 1e-9 });
    const m = e.plan.measured!;
    expect(m.fallback).toBe('budget');
    expect(m.tensors.map((t) => [t.chosen, t.reason])).toEqual([['dense', 'fastest'], ['sparse', 'budget spent']]);
    expect(matForms(e)).toEqual(['dense', 'sparse']);
  });

  it('with the real clock: loads, reports a timing per candidate, output within tolerance', async () => {
    const ref = referenceEnhance(blocks, SIGNAL);
    const e = await enhancerFor(blocks.hush, 'simd', 'auto', { planBudgetMs: PLAN_MEASURE_BUDGET_MS });
    const m = e.plan.measured!;
    expect(m.budgetMs).toBe(30);
    for (const t of m.tensors) for (const c of t.candidates) expect(c.us === null || c.us > 0).toBe(true);
    const { diff, peak } = maxAbsDiff(streamHops(e, SIGNAL).aligned, ref);
    expect(diff).toBeLessThanOrEqual(TOLERANCE * peak);
  });
});
