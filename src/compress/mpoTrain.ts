/**
 * Training a network whose Linear and LSTM weight matrices are MPO chains (Sun et al., seeds/004;
 * arithmetic in mpo.ts). The cores are the trainable tensors; in every forward pass each replaced
 * matrix is contracted IN THE GRAPH from its cores (reshape · matmul · permute per core, the
 * `.hush` index order) and handed to the staged forward (src/models/stages.ts) through its `Weights` lookup,
 * so gradients flow to the cores. All other parameters (biases, norms, convolutions) train as
 * usual; BatchNorm statistics update in the network's own buffers.
 *
 * After training, `mpoSync` writes each matrix as the float64 reference contraction of its
 * float32 cores (src/format/mpo.ts mpoContract, the decoder the runtime matches), so validation and
 * the exported file see exactly the same weights.
 */
import * as torch from '../torch/torch.js';
import { Adam, tidy, type Tensor } from '../torch/torch.js';
import { mpoContract } from '../format/mpo.js';
import type { HushMpoTensor } from '../format/tensor.js';
import type { Net } from '../models/net.js';
import type { ParamSpec } from '../models/paramSpec.js';
import { lossCompute } from '../train/features.js';
import { finetuneLoop, type FinetuneData, type FinetuneOptions, type FinetuneResult } from './finetune.js';
import { mpoCoreShapes, mpoInitCores, mpoParams, mpoPlanForRate, type MpoPlan } from './mpo.js';
import { mpoCoresFromMatrix } from './mpoSvd.js';
import { stagedNet, stagesRun } from '../models/stages.js';

/** One replaced matrix. */
export interface MpoLayer {
  /** State-dict name of the replaced weight, e.g. `fc1.weight`, `lstm.weight_hh_l0`. */
  name: string;
  shape: number[];
  plan: MpoPlan;
  /** The cores [r_{k−1}, I_k, J_k, r_k] (kept, requiresGrad). */
  cores: Tensor[];
}

/**
 * How the chains start: `random` (Sun et al.: replaced before training, trained from scratch) or
 * `svd` (TT-SVD of the trained matrix, mpoSvd.ts, then fine-tuned).
 */
export type MpoInit = 'random' | 'svd';
export const MPO_INITS: readonly MpoInit[] = ['random', 'svd'];

/** Kinds of tensors MPO replaces: the matrices of Linear and LSTM layers. */
export const MPO_KINDS: readonly ParamSpec['kind'][] = ['linear', 'lstm_ih', 'lstm_hh'];

/** PyTorch's default initial variance of a weight: U(±1/√fan) → 1/(3·fan); fan = in (Linear) or H (LSTM). */
function defaultVariance(spec: ParamSpec): number {
  const fan = spec.kind === 'linear' ? spec.shape[1] : spec.kind === 'lstm_ih' || spec.kind === 'lstm_hh' ? spec.shape[0] / 4 : spec.shape[1];
  return 1 / (3 * fan);
}

/** Box–Muller standard normals from a seeded xorshift (deterministic, independent of libtorch). */
function normalSource(seed: number): () => number {
  let s = (seed >>> 0) || 0x9e3779b9;
  const u = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** ‖w − chain(cores)‖_F / ‖w‖_F (float64; 0 for a zero matrix reproduced exactly). */
export function mpoRelError(w: ArrayLike<number>, shape: readonly number[], cores: readonly Float32Array[], plan: MpoPlan): number {
  const shapes = mpoCoreShapes(plan);
  const chain = mpoContract(shape, cores.map((data, k) => ({ shape: shapes[k], data })));
  let num = 0;
  let den = 0;
  for (let i = 0; i < chain.length; i++) {
    num += (w[i] - chain[i]) ** 2;
    den += w[i] * w[i];
  }
  return den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);
}

/**
 * Plans and initial cores for every Linear/LSTM matrix of `net` (N cores each, the largest bond
 * dimension within 1/rate of the matrix's parameters): random (`init` 'random', PyTorch's default
 * variance) or the TT-SVD of the net's current matrix ('svd'). Matrices too small to gain (MPO
 * parameters ≥ dense) are left dense.
 */
export function mpoLayersCreate(net: Net, cores: number, rate: number, seed: number, init: MpoInit = 'random'): MpoLayer[] {
  const random = normalSource(seed);
  const out: MpoLayer[] = [];
  for (const spec of net.specs) {
    if (spec.buffer || !MPO_KINDS.includes(spec.kind) || spec.shape.length !== 2) continue;
    const [rows, cols] = spec.shape;
    const plan = mpoPlanForRate(rows, cols, cores, rate);
    if (mpoParams(plan) >= rows * cols) continue;
    const data = init === 'svd' ? mpoCoresFromMatrix(net.tensors.get(spec.name)!.toFloat32Array(), plan) : mpoInitCores(plan, defaultVariance(spec), random);
    const shapes = mpoCoreShapes(plan);
    out.push({
      name: spec.name, shape: [...spec.shape], plan,
      cores: data.map((d, k) => torch.tensor(d, shapes[k]).keep().setRequiresGrad(true)),
    });
  }
  return out;
}

/** The matrix [R, C] of an MPO layer, contracted in the graph (differentiable w.r.t. the cores). */
export function mpoContractGraph(layer: Pick<MpoLayer, 'cores' | 'shape'>): Tensor {
  let acc: Tensor | null = null; // [I_acc, J_acc, r]
  let iAcc = 1;
  let jAcc = 1;
  for (const core of layer.cores) {
    const [r0, i, j, r1] = core.shape;
    if (acc === null) acc = core.reshape([i, j, r1]);
    else {
      const m: Tensor = acc.reshape([iAcc * jAcc, r0]).matmul(core.reshape([r0, i * j * r1])); // [I·J, i·j·r1]
      acc = m.reshape([iAcc, jAcc, i, j, r1]).permute([0, 2, 1, 3, 4]).reshape([iAcc * i, jAcc * j, r1]);
    }
    iAcc *= i;
    jAcc *= j;
  }
  return (acc as Tensor).reshape(layer.shape);
}

/** Writes each replaced matrix into the net as the f64 reference contraction of its cores. */
export function mpoSync(net: Net, layers: readonly MpoLayer[]): void {
  for (const l of layers) {
    const dense = mpoContract(l.shape, l.cores.map((c) => ({ shape: c.shape, data: c.toFloat32Array() })));
    net.tensors.get(l.name)!.copyFrom(dense);
  }
}

/** The `.hush` form of the MPO layers (cores as dense f32). */
export function mpoHushTensors(layers: readonly MpoLayer[]): Map<string, HushMpoTensor> {
  return new Map(layers.map((l) => [l.name, {
    encoding: 'mpo' as const, shape: [...l.shape],
    cores: l.cores.map((c) => ({ encoding: 'f32' as const, shape: c.shape, data: c.toFloat32Array() })),
  }]));
}

/**
 * Trains the cores and every other parameter of `net` (MSE, AMSGrad). `lrAt(k)` gives the learning
 * rate of step k (the trainer's schedule); `net`'s replaced matrices are synced at the end.
 */
export async function mpoTrain(
  net: Net, layers: readonly MpoLayer[], data: FinetuneData, opts: FinetuneOptions & { lrAt?: (step: number) => number },
): Promise<FinetuneResult> {
  const replaced = new Set(layers.map((l) => l.name));
  const params = [...layers.flatMap((l) => l.cores), ...net.specs.filter((s) => !s.buffer && !replaced.has(s.name)).map((s) => net.tensors.get(s.name)!)];
  const opt = new Adam(params, { lr: opts.lr, amsgrad: true });
  const staged = stagedNet(net.config);
  try {
    const r = await finetuneLoop(data, opts, (batch, k) =>
      tidy(() => {
        const lr = opts.lrAt ? opts.lrAt(k) : opts.lr;
        if (lr !== opt.getLr()) opt.setLr(lr);
        opt.zeroGrad();
        const contracted = new Map(layers.map((l) => [l.name, mpoContractGraph(l)]));
        const w = (name: string) => contracted.get(name) ?? net.tensors.get(name)!;
        const x = torch.tensor(batch.input, batch.inputShape);
        const y = torch.tensor(batch.target, batch.targetShape);
        const loss = lossCompute(net.config.arch, stagesRun(staged, w, { x }, true), y, batch.loss);
        loss.backward();
        opt.step();
        return [loss.item(), 0];
      }),
    );
    mpoSync(net, layers);
    return r;
  } finally {
    opt.dispose();
  }
}

/** Frees the cores. */
export function mpoLayersDispose(layers: readonly MpoLayer[]): void {
  for (const l of layers) for (const c of l.cores) c.dispose();
}
