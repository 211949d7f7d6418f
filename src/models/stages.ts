/**
 * Each network's forward pass as a chain of stages — the one place a forward is written (one
 * file per architecture: fdnn.ts, lstm.ts, tcnn.ts, gcrn.ts) — and the runners built on it:
 *   - the whole-utterance libtorch net (net.ts: `stagesRun` with `batchOps`),
 *   - the batch-1 streaming reference (stream/net.ts: the same stages with `streamOps`, one frame
 *     at a time), which the WASM runtime is tested against,
 *   - the sensitivity analyses (src/compress/evaluator.ts), which perturb one tensor and recompute
 *     only the stages from the first one that reads it (`stageTensors`), reusing the activations
 *     before it (`stagesTrace`).
 *
 * A stage maps a state (named tensors: the running activation `x` plus whatever later stages still
 * need, e.g. skip connections) to the next state. Stage boundaries are the layers (FDNN: each
 * Linear; LSTM: each LSTM layer; TCNN: each encoder block, TCM residual block and decoder block;
 * GCRN: each encoder block, each grouped-LSTM layer, each decoder block of each of the two
 * decoders). Stages read weights through `ops.w`, so a caller can substitute computed tensors
 * (e.g. MPO contractions) for stored ones.
 */
import * as torch from '../torch/torch.js';
import type { Tensor } from '../torch/torch.js';
import type { ArchConfig } from './config.js';
import { fdnnStages } from './fdnn.js';
import { fdnnHParams } from './fdnnLayout.js';
import { gcrnStages } from './gcrn.js';
import { gcrnHParams } from './gcrnLayout.js';
import type { Weights } from './layers.js';
import { lstmStages } from './lstm.js';
import { lstmHParams } from './lstmLayout.js';
import { batchOps, type LayerOps } from './ops.js';
import { tcnnStages } from './tcnn.js';
import { tcnnHParams } from './tcnnLayout.js';

/** Named activations between two stages (`x` = the running activation; the last stage's `x` is the output). */
export type StageState = Readonly<Record<string, Tensor>>;

/** One stage of a forward pass. */
export interface Stage {
  /** For reports, e.g. `fc2`, `tcm.1.3`, `dec2.conv3`. */
  name: string;
  run(ops: LayerOps, state: StageState): StageState;
}

/** A network's forward pass as a chain of stages. */
export interface StagedNet {
  stages: Stage[];
}

/** The staged forward of `config`'s network (UserError for invalid hyper-parameters). */
export function stagedNet(config: ArchConfig): StagedNet {
  switch (config.arch) {
    case 'fdnn':
      return { stages: fdnnStages(fdnnHParams(config)) };
    case 'lstm':
      return { stages: lstmStages(lstmHParams(config)) };
    case 'tcnn':
      return { stages: tcnnStages(tcnnHParams(config)) };
    case 'gcrn':
      return { stages: gcrnStages(gcrnHParams(config)) };
  }
}

/** Runs stages `from` … end on `state` over the whole utterance; returns the output (final `x`). */
export function stagesRun(net: StagedNet, w: Weights, state: StageState, training: boolean, from = 0): Tensor {
  const ops = batchOps(w, training);
  let s = state;
  for (let i = from; i < net.stages.length; i++) s = stageStep(net.stages[i], ops, s);
  return s.x;
}

/**
 * One stage. In inference each stage runs in its own tidy scope, so only the state it hands on
 * outlives it: a whole-net pass then peaks at the states plus one stage's temporaries, not at every
 * temporary of every stage (TCNN's 18 temporal blocks over a 16-mixture subset reached 9.5 GB).
 * In training the autograd graph holds what backward needs anyway; the caller's scope frees the rest.
 */
function stageStep(stage: Stage, ops: LayerOps, s: StageState): StageState {
  return ops.training ? stage.run(ops, s) : torch.tidy(() => stage.run(ops, s));
}

/**
 * Runs every stage from the network input and returns the input state of each stage (index i =
 * what stage i receives; index 0 is `{x: input}`) and the output. Tensors are plain tidy-tracked
 * results: the caller keeps what it caches.
 */
export function stagesTrace(net: StagedNet, w: Weights, input: Tensor, training: boolean): { states: StageState[]; output: Tensor } {
  const ops = batchOps(w, training);
  const states: StageState[] = [];
  let s: StageState = { x: input };
  for (const st of net.stages) {
    states.push(s);
    s = stageStep(st, ops, s);
  }
  return { states, output: s.x };
}

/**
 * The first stage that reads each tensor (by state-dict name), found by running the stages once
 * on `input` in inference mode without autograd.
 */
export function stageTensors(net: StagedNet, w: Weights, input: Tensor): Map<string, number> {
  const first = new Map<string, number>();
  let current = 0;
  const ops = batchOps((name) => {
    if (!first.has(name)) first.set(name, current);
    return w(name);
  }, false);
  torch.noGrad(() =>
    torch.tidy(() => {
      let s: StageState = { x: input };
      net.stages.forEach((st, i) => {
        current = i;
        s = st.run(ops, s);
      });
    }),
  );
  return first;
}
