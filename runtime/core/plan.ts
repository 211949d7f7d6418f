/**
 * Names of the execution plans and of the forms a loaded tensor can take. The plan itself — which
 * form each matrix and conv kernel gets, from its encoding and a cost table — is chosen inside WASM
 * while the model is bound (assembly/nets/plan.ts documents the forms and the costs); this file only
 * maps the ids the WASM module reports to names. Browser-safe.
 */

/** What the caller asks for: 'auto' (fastest, then smallest), 'fast' (decode to f32) or 'compact' (keep codebooks / MPO cores). */
export type PlanChoice = 'auto' | 'fast' | 'compact';
export const PLAN_CHOICES: readonly PlanChoice[] = ['auto', 'fast', 'compact'];

/** PLAN_* of assembly/nets/plan.ts (test/runtime/plan.test.ts checks they agree with the WASM exports). */
export const PLAN_IDS: Record<PlanChoice, number> = { auto: 0, fast: 1, compact: 2 };

/** How one matrix is held and multiplied (assembly/nets/mat.ts MAT_*). */
export type MatForm = 'dense' | 'sparse' | 'columns' | 'codebook' | 'codebook-sparse' | 'mpo' | 'block';

/** MAT_* ids of assembly/nets/mat.ts (checked against the WASM exports by test/runtime/plan.test.ts). */
export const MAT_FORM_IDS: Record<MatForm, number> = {
  dense: 1,
  sparse: 2,
  columns: 3,
  codebook: 4,
  'codebook-sparse': 5,
  mpo: 6,
  block: 7,
};

/** How one 2-D conv / transposed-conv kernel is held and run (assembly/nets/plan.ts CONV_*). */
export type ConvForm = 'dense' | 'sparse' | 'codebook-sparse' | 'block';

/** CONV_* ids of assembly/nets/plan.ts (checked like MAT_FORM_IDS). */
export const CONV_FORM_IDS: Record<ConvForm, number> = { dense: 1, sparse: 2, 'codebook-sparse': 3, block: 4 };

/** Which mode a matrix form belongs to. */
export function matFormMode(form: MatForm): 'fast' | 'compact' {
  return form === 'dense' || form === 'sparse' || form === 'columns' || form === 'block' ? 'fast' : 'compact';
}
