/**
 * The loss oracle of the sensitivity analyses over a real network: L(V, Θ | one tensor replaced)
 * on a FIXED validation subset (same mixtures for every evaluation, so differences are due to the
 * perturbation only), in inference mode (BatchNorm running statistics, causal), without autograd.
 *
 * Speed: the forward pass is cut into stages (src/models/stages.ts). The input of every stage is computed
 * once for the unperturbed network and kept; perturbing a tensor read by stage s reruns stages
 * s … end only. Perturbing the output layer of an FDNN therefore costs one Linear, not four.
 * (Memory: every stage's input for the whole subset; small for the subset sizes used here.)
 *
 * A perturbation writes the new values into the network's tensor, evaluates, and writes the
 * original values back (host copies kept per tensor), so the network is unchanged afterwards.
 */
import * as torch from '../torch/torch.js';
import type { Tensor } from '../torch/torch.js';
import type { Net } from '../models/net.js';
import type { Weights } from '../models/layers.js';
import { lossCompute, type FeatureBatch } from '../train/features.js';
import type { TrainLoss } from '../train/loss.js';
import { stageTensors, stagedNet, stagesRun, stagesTrace, type StagedNet, type StageState } from '../models/stages.js';

/** Options of StagedLossEvaluator. */
export interface EvaluatorOptions {
  /** Reuse the activations before the perturbed stage (default true; false reruns the whole net). */
  cacheStages?: boolean;
}

/** Counters for reports. */
export interface EvaluatorStats {
  evaluations: number;
  /** Stages run over all evaluations, and what a full forward would have cost (stages × evaluations). */
  stagesRun: number;
  stagesFull: number;
  seconds: number;
}

/** L(V, Θ | tensor ← values) for one network and a fixed set of feature batches. */
export class StagedLossEvaluator {
  readonly net: Net;
  readonly staged: StagedNet;
  readonly baseLoss: number;
  /** The training loss the batches' targets are laid out for (one per evaluator). */
  readonly loss: TrainLoss;
  readonly stats: EvaluatorStats = { evaluations: 0, stagesRun: 0, stagesFull: 0, seconds: 0 };
  readonly #batches: { input: Tensor; target: Tensor; weight: number }[] = [];
  readonly #states: StageState[][] = [];
  readonly #stageOf: Map<string, number>;
  readonly #originals = new Map<string, Float32Array>();
  readonly #kept = new Set<Tensor>();
  readonly #w: Weights;

  constructor(net: Net, batches: readonly FeatureBatch[], opts: EvaluatorOptions = {}) {
    if (batches.length === 0) throw new RangeError('StagedLossEvaluator: no validation batches');
    this.net = net;
    this.staged = stagedNet(net.config);
    this.#w = (name) => {
      const t = net.tensors.get(name);
      if (t === undefined) throw new Error(`${net.config.arch}: no tensor named ${name}`);
      return t;
    };
    this.loss = batches[0].loss;
    if (batches.some((b) => b.loss !== this.loss)) throw new RangeError('StagedLossEvaluator: batches of different losses');
    const items = batches.reduce((s, b) => s + b.batch, 0);
    for (const b of batches) {
      this.#batches.push({
        input: torch.tensor(b.input, b.inputShape).keep(),
        target: torch.tensor(b.target, b.targetShape).keep(),
        weight: b.batch / items,
      });
    }
    this.#stageOf = stageTensors(this.staged, this.#w, this.#batches[0].input);
    const cache = opts.cacheStages ?? true;
    let loss = 0;
    torch.noGrad(() => {
      for (const b of this.#batches) {
        if (cache) {
          const { states, output } = torch.tidy(() => {
            const r = stagesTrace(this.staged, this.#w, b.input, false);
            return { states: r.states, output: r.output };
          });
          for (const s of states) for (const t of Object.values(s)) this.#keep(t);
          loss += b.weight * torch.tidy(() => lossCompute(net.config.arch, output, b.target, this.loss).item());
          output.dispose();
          this.#states.push(states);
        } else {
          loss += b.weight * torch.tidy(() => lossCompute(net.config.arch, stagesRun(this.staged, this.#w, { x: b.input }, false), b.target, this.loss).item());
        }
      }
    });
    this.baseLoss = loss;
  }

  #keep(t: Tensor): void {
    if (!this.#kept.has(t)) {
      t.keep();
      this.#kept.add(t);
    }
  }

  /** Index of the first stage that reads `tensor`. */
  stageOf(tensor: string): number {
    const s = this.#stageOf.get(tensor);
    if (s === undefined) throw new Error(`${this.net.config.arch}: no stage reads tensor ${tensor}`);
    return s;
  }

  /** The loss with `tensor` replaced by `values` (null: the unperturbed loss, recomputed). */
  lossWith(tensor: string, values: Float32Array | null): number {
    return this.lossWithMany(values === null ? new Map() : new Map([[tensor, values]]), tensor);
  }

  /**
   * The loss with several tensors replaced at once (e.g. the consumers of a removed channel);
   * reruns from the first stage that reads any of them (`from`: a tensor whose stage to start
   * from when the map is empty).
   */
  lossWithMany(replace: ReadonlyMap<string, Float32Array>, from?: string): number {
    const t0 = performance.now();
    const names = [...replace.keys()];
    if (names.length === 0 && from !== undefined) names.push(from);
    const first = this.#states.length > 0 && names.length > 0 ? Math.min(...names.map((n) => this.stageOf(n))) : 0;
    const restore: [Tensor, Float32Array][] = [];
    try {
      for (const [name, values] of replace) {
        const t = this.#w(name);
        let original = this.#originals.get(name);
        if (original === undefined) {
          original = t.toFloat32Array();
          this.#originals.set(name, original);
        }
        if (values.length !== original.length) throw new RangeError(`${name}: ${values.length} values for ${original.length} elements`);
        restore.push([t, original]);
        t.copyFrom(values);
      }
      let loss = 0;
      torch.noGrad(() => {
        this.#batches.forEach((b, i) => {
          const state: StageState = this.#states.length > 0 ? this.#states[i][first] : { x: b.input };
          loss += b.weight * torch.tidy(() => lossCompute(this.net.config.arch, stagesRun(this.staged, this.#w, state, false, first), b.target, this.loss).item());
        });
      });
      const n = this.staged.stages.length;
      this.stats.evaluations++;
      this.stats.stagesRun += (n - first) * this.#batches.length;
      this.stats.stagesFull += n * this.#batches.length;
      this.stats.seconds += (performance.now() - t0) / 1000;
      return loss;
    } finally {
      for (const [t, original] of restore) t.copyFrom(original);
    }
  }

  /**
   * Forgets the host copy of `tensor` (call after changing the net's tensor for good, e.g. after
   * pruning; the cached activations are then stale too: build a new evaluator instead).
   */
  forget(tensor: string): void {
    this.#originals.delete(tensor);
  }

  /** Frees the cached activations and batches (the net is not disposed). */
  dispose(): void {
    for (const t of this.#kept) t.dispose();
    this.#kept.clear();
    for (const b of this.#batches) {
      b.input.dispose();
      b.target.dispose();
    }
    this.#states.length = 0;
  }
}
