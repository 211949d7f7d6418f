/**
 * The four networks' forward passes cut into stages, so that a sensitivity analysis that perturbs
 * one tensor recomputes only the stages from the one that reads it (the activations before it
 * are computed once and reused: evaluator.ts).
 *
 * A stage maps a state (named tensors: the running activation `x` plus whatever later stages
 * still need, e.g. skip connections) to the next state; running all stages from the network
 * input gives exactly the network's forward (src/models/{fdnn,lstm,tcnn,gcrn}.ts, same layer
 * functions in the same order; test/compress/stages.test.ts checks the equality for every
 * architecture). Stage boundaries are the layers (FDNN: each Linear; LSTM: each LSTM layer; TCNN:
 * each encoder block, TCM residual block and decoder block; GCRN: each encoder block, each grouped
 * LSTM layer, each decoder block of each of the two decoders).
 *
 * Stages read their weights through a `Weights` lookup, like the nets, so a caller can substitute
 * computed tensors (e.g. MPO contractions) for stored ones. Which stage reads which tensor is
 * discovered by running the stages once with a recording lookup (`stageTensors`).
 */
import * as torch from '../train/torch.js';
import type { Tensor } from '../train/torch.js';
import type { ArchConfig } from '../models/config.js';
import { fdnnHParams } from '../models/fdnnLayout.js';
import { gcrnHParams } from '../models/gcrnLayout.js';
import { lstmHParams } from '../models/lstmLayout.js';
import { tcnnHParams } from '../models/tcnnLayout.js';
import {
  batchNormLayer, causalConv1dLayer, causalConv2dLayer, causalConvTranspose2dLayer, gatedConv2dLayer,
  gatedConvTranspose2dLayer, layerNormLayer, linearLayer, lstmLayer, preluLayer, type Weights,
} from '../models/layers.js';

/** Named activations between two stages (`x` = the running activation; the last stage's `x` is the output). */
export type StageState = Readonly<Record<string, Tensor>>;

/** One stage of a forward pass. */
export interface Stage {
  /** For reports, e.g. `fc2`, `tcm.1.3`, `dec2.conv3`. */
  name: string;
  run(w: Weights, state: StageState, training: boolean): StageState;
}

/** A network's forward pass as a chain of stages. */
export interface StagedNet {
  stages: Stage[];
}

/** The staged forward of `config`'s network. */
export function stagedNet(config: ArchConfig): StagedNet {
  switch (config.arch) {
    case 'fdnn':
      return fdnnStages(config);
    case 'lstm':
      return lstmStages(config);
    case 'tcnn':
      return tcnnStages(config);
    case 'gcrn':
      return gcrnStages(config);
  }
}

/** Runs stages `from` … end on `state`; returns the output (final `x`). */
export function stagesRun(net: StagedNet, w: Weights, state: StageState, training: boolean, from = 0): Tensor {
  let s = state;
  for (let i = from; i < net.stages.length; i++) s = stageStep(net.stages[i], w, s, training);
  return s.x;
}

/**
 * One stage. In inference each stage runs in its own tidy scope, so only the state it hands on
 * outlives it: a whole-net pass then peaks at the states plus one stage's temporaries, not at every
 * temporary of every stage (TCNN's 18 temporal blocks over a 16-mixture subset reached 9.5 GB).
 * In training the autograd graph holds what backward needs anyway; the caller's scope frees the rest.
 */
function stageStep(stage: Stage, w: Weights, s: StageState, training: boolean): StageState {
  return training ? stage.run(w, s, training) : torch.tidy(() => stage.run(w, s, training));
}

/**
 * Runs every stage from the network input and returns the input state of each stage (index i =
 * what stage i receives; index 0 is `{x: input}`) and the output. Tensors are plain tidy-tracked
 * results: the caller keeps what it caches.
 */
export function stagesTrace(net: StagedNet, w: Weights, input: Tensor, training: boolean): { states: StageState[]; output: Tensor } {
  const states: StageState[] = [];
  let s: StageState = { x: input };
  for (const st of net.stages) {
    states.push(s);
    s = stageStep(st, w, s, training);
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
  const recording: Weights = (name) => {
    if (!first.has(name)) first.set(name, current);
    return w(name);
  };
  torch.noGrad(() =>
    torch.tidy(() => {
      let s: StageState = { x: input };
      net.stages.forEach((st, i) => {
        current = i;
        s = st.run(recording, s, false);
      });
    }),
  );
  return first;
}

// ---------------------------------------------------------------------------------------------
// FDNN: Linear + ReLU per hidden layer, Linear + sigmoid out (src/models/fdnn.ts)
// ---------------------------------------------------------------------------------------------

function fdnnStages(config: ArchConfig): StagedNet {
  const hp = fdnnHParams(config);
  const stages: Stage[] = hp.hiddenUnits.map((_, j) => ({
    name: `fc${j + 1}`,
    run: (w, s) => ({ x: linearLayer(w, `fc${j + 1}`, s.x).relu() }), // [B, T, units]
  }));
  stages.push({ name: 'out', run: (w, s) => ({ x: linearLayer(w, 'out', s.x).sigmoid() }) }); // [B, T, 161]
  return { stages };
}

// ---------------------------------------------------------------------------------------------
// LSTM: one stage per layer (a one-layer torch.lstm each; numerically the stacked LSTM), Linear + ReLU
// ---------------------------------------------------------------------------------------------

/** Layer `l` of the nn.LSTM at `prefix` alone: x [B, T, in] → [B, T, H]. */
function lstmSingleLayer(w: Weights, prefix: string, l: number, x: Tensor): Tensor {
  const params = [`weight_ih_l${l}`, `weight_hh_l${l}`, `bias_ih_l${l}`, `bias_hh_l${l}`].map((n) => w(`${prefix}.${n}`));
  const { output, h, c } = torch.lstm(x.contiguous(), params, { batchFirst: true });
  h.dispose();
  c.dispose();
  return output;
}

function lstmStages(config: ArchConfig): StagedNet {
  const hp = lstmHParams(config);
  const stages: Stage[] = [];
  for (let l = 0; l < hp.layers; l++) stages.push({ name: `lstm.l${l}`, run: (w, s) => ({ x: lstmSingleLayer(w, 'lstm', l, s.x) }) });
  stages.push({ name: 'fc', run: (w, s) => ({ x: linearLayer(w, 'fc', s.x).relu() }) });
  return { stages };
}

// ---------------------------------------------------------------------------------------------
// TCNN (src/models/tcnn.ts): state {x, skip0 … skip(n−1)}; the TCM works on f [B, C·W, T]
// ---------------------------------------------------------------------------------------------

function tcnnStages(config: ArchConfig): StagedNet {
  const hp = tcnnHParams(config);
  const n = hp.encChannels.length;
  const stages: Stage[] = [];
  for (let j = 0; j < n; j++) {
    stages.push({
      name: `encoder.${j}`,
      run: (w, s, training) => {
        const p = `encoder.${j}`;
        const input = j === 0 ? s.x.unsqueeze(1) : s.x; // [B, 1, T, 320] first
        let x = causalConv2dLayer(w, `${p}.conv`, input, { strideW: hp.encStrides[j], padW: hp.encPads[j] }); // [B, C_j, T, W_{j+1}]
        x = preluLayer(w, `${p}.prelu`, batchNormLayer(w, `${p}.bn`, x, training));
        return { ...s, x, [`skip${j}`]: x };
      },
    });
  }
  const blocks: [number, number, number][] = [];
  for (let st = 0; st < hp.tcmStacks; st++) hp.tcmDilations.forEach((d, r) => blocks.push([st, r, d]));
  blocks.forEach(([st, r, d], k) => {
    stages.push({
      name: `tcm.${st}.${r}`,
      run: (w, s, training) => {
        let f = s.x;
        if (k === 0) {
          const [b, c, t, width] = f.shape;
          f = f.permute([0, 1, 3, 2]).reshape([b, c * width, t]); // [B, F = C·W, T]
        }
        const p = `tcm.${st}.${r}`;
        let y = causalConv1dLayer(w, `${p}.conv_in`, f); // [B, M, T]
        y = batchNormLayer(w, `${p}.bn_in`, preluLayer(w, `${p}.prelu_in`, y), training);
        y = causalConv1dLayer(w, `${p}.depthwise`, y, d, hp.tcmChannels[k]);
        y = batchNormLayer(w, `${p}.bn_dw`, preluLayer(w, `${p}.prelu_dw`, y), training);
        return { ...s, x: f.add(causalConv1dLayer(w, `${p}.conv_out`, y)) }; // [B, F, T]
      },
    });
  });
  for (let j = n - 1; j >= 0; j--) {
    stages.push({
      name: `decoder.${j}`,
      run: (w, s, training) => {
        let x = s.x;
        if (j === n - 1) {
          const c = hp.encChannels[n - 1];
          const [b, f, t] = x.shape; // [B, C_N·W_N, T]
          x = x.reshape([b, c, f / c, t]).permute([0, 1, 3, 2]); // [B, C_N, T, W_N]
        }
        const p = `decoder.${j}`;
        x = torch.cat([s[`skip${j}`], x], 1);
        x = causalConvTranspose2dLayer(w, `${p}.deconv`, x, {
          strideW: hp.encStrides[j], padW: hp.encPads[j], outputPadW: hp.decOutputPads[j],
        });
        x = preluLayer(w, `${p}.prelu`, batchNormLayer(w, `${p}.bn`, x, training));
        return { ...s, x: j === 0 ? x.squeeze(1) : x }; // [B, T, 320] at the end
      },
    });
  }
  return { stages };
}

// ---------------------------------------------------------------------------------------------
// GCRN (src/models/gcrn.ts): state {x, skip1 … skipN, dec, out1}
// ---------------------------------------------------------------------------------------------

function gcrnStages(config: ArchConfig): StagedNet {
  const hp = gcrnHParams(config);
  const n = hp.encChannels.length;
  const conv = { strideW: hp.strideBins, padW: 0 };
  const stages: Stage[] = [];
  for (let i = 1; i <= n; i++) {
    stages.push({
      name: `conv${i}`,
      run: (w, s, training) => {
        let x = gatedConv2dLayer(w, `conv${i}`, s.x, conv); // [B, C_i, T, W_i]
        x = batchNormLayer(w, `bn${i}`, x, training).elu();
        return { ...s, x, [`skip${i}`]: x };
      },
    });
  }
  for (let l = 1; l <= hp.lstmLayers; l++) {
    stages.push({
      name: `glstm.${l}`,
      run: (w, s) => {
        let y = s.x;
        if (l === 1) {
          const [b, c, t, width] = y.shape;
          y = y.transpose(1, 2).reshape([b, t, c * width]); // [B, T, F], feature c·W + w
        }
        const outs = y.chunk(hp.lstmGroups, -1).map((chunk, g) => lstmLayer(w, `glstm.lstm_list${l}.${g}`, chunk, 1));
        y = l < hp.lstmLayers ? torch.stack(outs, -1).flatten(-2, -1) : torch.cat(outs, -1);
        y = layerNormLayer(w, `glstm.ln${l}`, y);
        if (l === hp.lstmLayers) {
          const e = s[`skip${n}`]; // [B, C_N, T, W_N]
          const [b, c, t, width] = e.shape;
          const lstmOut = y.reshape([b, t, c, width]).transpose(1, 2); // [B, C_N, T, W_N]
          const dec = torch.cat([lstmOut, e], 1); // [B, 2·C_N, T, W_N]
          return { ...s, x: dec, dec };
        }
        return { ...s, x: y };
      },
    });
  }
  for (const d of [1, 2]) {
    for (let i = n; i >= 1; i--) {
      stages.push({
        name: `dec${d}.conv${i}`,
        run: (w, s, training) => {
          let y = i === n ? s.dec : s.x;
          y = gatedConvTranspose2dLayer(w, `conv${i}_t_${d}`, y, { ...conv, outputPadW: hp.decOutputPads[i - 1] });
          y = batchNormLayer(w, `bn${i}_t_${d}`, y, training);
          y = (i > 1 ? torch.cat([y, s[`skip${i - 1}`]], 1) : y).elu();
          if (i > 1) return { ...s, x: y };
          const out = linearLayer(w, `fc${d}`, y); // [B, 1, T, 161]
          return d === 1 ? { ...s, x: out, out1: out } : { ...s, x: torch.cat([s.out1, out], 1) }; // [B, 2, T, 161]
        },
      });
    }
  }
  return { stages };
}
