/**
 * Sparse regularisers of Tan & Wang §II-C as libtorch graph terms, added to the training loss
 * during fine-tuning:
 *
 *   eq. 7  R_ℓ1  = λ1 / n(W) · Σ_{w ∈ W} |w|
 *   eq. 8  R_ℓ21 = λ2 / n(G) · Σ_{g ∈ G} √p_g · ‖g‖₂
 *   eq. 9  R_SGL = R_ℓ1 + R_ℓ21
 *
 * W is the set of nonzero (kept) weights of all weight tensors, G the set of weight groups with at
 * least one kept weight (groups.ts), p_g the number of kept weights in g (the group size under
 * structured pruning, where groups are removed whole). Pruned weights are exactly zero, so they
 * add nothing to the sums; they only leave the counts n(W), n(G) and p_g, which are recomputed
 * from the masks whenever the masks change (`Regularizer.masksChanged`).
 *
 * Gradients: |w| has gradient sign(w) (0 at 0), and libtorch's 2-norm backward is 0 for an
 * all-zero group (no NaN), so pruned weights receive exactly zero regulariser gradient.
 */
import * as torch from '../torch/torch.js';
import type { Tensor } from '../torch/torch.js';
import { HUSH_GROUP_DIM1 } from '../format/spec.js';
import type { ParamSpec } from '../models/paramSpec.js';
import { groupLayout, type GroupLayout } from './groups.js';
import { groupKeptCounts, maskKept, type Mask } from './masks.js';

/** Which regulariser: none, ℓ1 (eq. 7, pipeline C1) or sparse group lasso (eq. 9, pipeline C2). */
export type RegularizerKind = 'none' | 'l1' | 'sgl';

/** A regulariser and its current weights. */
export interface RegularizerSettings {
  kind: RegularizerKind;
  /** λ1 of eq. 7/9. */
  lambda1: number;
  /** λ2 of eq. 8/9 (SGL only). */
  lambda2: number;
}

/** One weight tensor under regularisation. */
export interface RegularizedTensor {
  spec: Pick<ParamSpec, 'name' | 'kind' | 'shape'>;
  tensor: Tensor;
  mask: Mask;
}

/** Host values of the terms (for reports). */
export interface RegularizerValue {
  l1: number;
  l21: number;
  total: number;
}

interface Entry {
  t: RegularizedTensor;
  layout: GroupLayout;
  /** √p_g per group [G] (0 for groups without kept weights). */
  sqrtP: Tensor | null;
}

/** The regulariser of a set of weight tensors (owns small constant tensors: dispose when done). */
export class Regularizer {
  readonly #entries: Entry[];
  #settings: RegularizerSettings;
  #nW = 0;
  #nG = 0;

  constructor(tensors: readonly RegularizedTensor[], settings: RegularizerSettings) {
    this.#entries = tensors.map((t) => ({ t, layout: groupLayout(t.spec), sqrtP: null }));
    this.#settings = { ...settings };
    this.masksChanged();
  }

  get settings(): Readonly<RegularizerSettings> {
    return this.#settings;
  }
  /** Sets λ1, λ2 (e.g. the 10 % decay per pruning iteration). */
  setLambdas(lambda1: number, lambda2: number): void {
    this.#settings = { ...this.#settings, lambda1, lambda2 };
  }
  /** n(W): kept weights over all tensors. */
  get nonzeroWeights(): number {
    return this.#nW;
  }
  /** n(G): groups with a kept weight over all tensors. */
  get nonzeroGroups(): number {
    return this.#nG;
  }

  /** Recomputes n(W), n(G) and √p_g from the masks (call after pruning). */
  masksChanged(): void {
    this.#nW = 0;
    this.#nG = 0;
    for (const e of this.#entries) {
      this.#nW += maskKept(e.t.mask);
      const counts = groupKeptCounts(e.t.mask, e.layout);
      const sq = new Float32Array(counts.length);
      for (let g = 0; g < counts.length; g++) {
        sq[g] = Math.sqrt(counts[g]);
        if (counts[g] > 0) this.#nG++;
      }
      e.sqrtP?.dispose();
      e.sqrtP = this.#settings.kind === 'sgl' ? torch.tensor(sq, [sq.length]).keep() : null;
    }
  }

  /** ‖g‖₂ of every group of one tensor, [G] (in the graph). */
  #groupNorms(e: Entry): Tensor {
    const w = e.t.tensor;
    if (e.layout.axis === HUSH_GROUP_DIM1) return w.norm(2, 0); // columns of [out, in] → [in]
    return w.reshape([e.layout.groups, e.layout.size]).norm(2, 1); // kernels → [G]
  }

  /** The regulariser as a scalar graph term (null for kind 'none' or no kept weights). */
  term(): Tensor | null {
    const { kind, lambda1, lambda2 } = this.#settings;
    if (kind === 'none' || this.#nW === 0) return null;
    let l1: Tensor | null = null;
    for (const e of this.#entries) {
      const s = e.t.tensor.abs().sum();
      l1 = l1 === null ? s : l1.add(s);
    }
    let total = (l1 as Tensor).mul(lambda1 / this.#nW);
    if (kind === 'sgl' && this.#nG > 0) {
      let l21: Tensor | null = null;
      for (const e of this.#entries) {
        const s = this.#groupNorms(e).mul(e.sqrtP as Tensor).sum();
        l21 = l21 === null ? s : l21.add(s);
      }
      total = total.add((l21 as Tensor).mul(lambda2 / this.#nG));
    }
    return total;
  }

  /** Host values of R_ℓ1, R_ℓ21 and their sum (float64 sums over the tensors' current values). */
  value(): RegularizerValue {
    const { kind, lambda1, lambda2 } = this.#settings;
    if (kind === 'none' || this.#nW === 0) return { l1: 0, l21: 0, total: 0 };
    let s1 = 0;
    let s21 = 0;
    for (const e of this.#entries) {
      const v = e.t.tensor.toFloat32Array();
      for (let i = 0; i < v.length; i++) s1 += Math.abs(v[i]);
      if (kind === 'sgl') {
        const counts = groupKeptCounts(e.t.mask, e.layout);
        const { runs, run, stride, size } = e.layout;
        for (let g = 0; g < e.layout.groups; g++) {
          const first = e.layout.axis === HUSH_GROUP_DIM1 ? g : g * size;
          let acc = 0;
          for (let r = 0; r < runs; r++) for (let k = 0; k < run; k++) acc += v[first + r * stride + k] ** 2;
          s21 += Math.sqrt(counts[g]) * Math.sqrt(acc);
        }
      }
    }
    const l1 = (lambda1 * s1) / this.#nW;
    const l21 = kind === 'sgl' && this.#nG > 0 ? (lambda2 * s21) / this.#nG : 0;
    return { l1, l21, total: l1 + l21 };
  }

  /** Frees the constant tensors. */
  dispose(): void {
    for (const e of this.#entries) {
      e.sqrtP?.dispose();
      e.sqrtP = null;
    }
  }
}
