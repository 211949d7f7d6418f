/**
 * Layer steps: one frame (batch 1) through the causal layers of src/models/layers.ts, with the
 * frames they need from the past kept in a StreamState; `streamOps` hands them to the networks'
 * stages (src/models/stages.ts). Each step equals frame t of its whole-utterance layer (same ops,
 * same weights; only the time axis is cut to the frames it reads).
 *
 * Shapes (one frame, T = 1): 2-D convs see x [1, C, 1, W] (W = bins or samples in a frame),
 * 1-D convs x [1, C, 1], LSTMs x [1, 1, F]. State keys are the layer's state-dict prefix + a role.
 */
import * as torch from '../torch/torch.js';
import type { Tensor } from '../torch/torch.js';
import type { ConvAlongWOptions } from '../models/layers.js';
import type { DeconvAlongWOptions, LayerOps } from '../models/ops.js';
import { lstmLayerNames } from '../models/paramSpec.js';
import type { StreamState } from './state.js';
import type { StreamWeights } from './weights.js';

/**
 * Causal Conv2d step, weight [Cout, Cin, kT, kW]: output frame t sees input frames t − kT + 1 … t.
 * The kT − 1 previous input frames are state `${prefix}/history` [1, Cin, kT − 1, W] (zeros at the
 * stream start, the left padding of causalConv2dLayer). x [1, Cin, 1, W] → [1, Cout, 1, W'].
 */
export function causalConv2dStep(w: StreamWeights, prefix: string, st: StreamState, x: Tensor, opts: ConvAlongWOptions): Tensor {
  const weight = w.get(`${prefix}.weight`);
  const kT = weight.shape[2];
  const conv = (input: Tensor) => torch.conv2d(input, weight, w.get(`${prefix}.bias`), { stride: [1, opts.strideW], padding: [0, opts.padW] });
  if (kT === 1) return conv(x);
  const [, cin, , width] = x.shape;
  const history = st.tensor(`${prefix}/history`, [1, cin, kT - 1, width]);
  const window = torch.cat([history, x], 2); // [1, Cin, kT, W]: frames t − kT + 1 … t
  const y = conv(window); // [1, Cout, 1, W']
  history.copyFrom(window.narrow(2, 1, kT - 1));
  return y;
}

/**
 * Causal ConvTranspose2d step, weight [Cin, Cout, kT, kW]: output frame t = Σ_k convT(x_{t−k}, tap k)
 * + bias, as causalConvTranspose2dLayer's first T frames. Each tap runs the transposed conv along W
 * only (time kernel 1), so a frame costs exactly its kT taps. The kT − 1 previous input frames are
 * state `${prefix}/history` [1, Cin, kT − 1, W]. x [1, Cin, 1, W] → [1, Cout, 1, W'].
 */
export function causalConvTranspose2dStep(
  w: StreamWeights, prefix: string, st: StreamState, x: Tensor, opts: DeconvAlongWOptions,
): Tensor {
  const name = `${prefix}.weight`;
  const kT = w.get(name).shape[2];
  const geometry = { stride: [1, opts.strideW], padding: [0, opts.padW], outputPadding: [0, opts.outputPadW] };
  let y = torch.convTranspose2d(x, w.tap(name, 0), w.get(`${prefix}.bias`), geometry); // tap 0 on frame t, + bias
  if (kT === 1) return y;
  const [, cin, , width] = x.shape;
  const history = st.tensor(`${prefix}/history`, [1, cin, kT - 1, width]); // frames t − kT + 1 … t − 1
  for (let k = 1; k < kT; k++) {
    y = y.add(torch.convTranspose2d(history.narrow(2, kT - 1 - k, 1), w.tap(name, k), null, geometry)); // tap k on frame t − k
  }
  history.copyFrom(torch.cat([history, x], 2).narrow(2, 1, kT - 1));
  return y;
}

/**
 * Causal Conv1d step over time, weight [Cout, Cin/groups, k], dilation d: output t sees inputs
 * t − d·(k − 1) … t. The last d·(k − 1) inputs are state `${prefix}/history` [1, Cin, d·(k − 1)]
 * (a dilated TCM conv with d = 32, k = 3 remembers 64 frames = 640 ms). x [1, Cin, 1] → [1, Cout, 1].
 */
export function causalConv1dStep(w: StreamWeights, prefix: string, st: StreamState, x: Tensor, dilation = 1, groups = 1): Tensor {
  const weight = w.get(`${prefix}.weight`);
  const span = dilation * (weight.shape[2] - 1);
  const conv = (input: Tensor) => torch.conv1d(input, weight, w.get(`${prefix}.bias`), { dilation, groups });
  if (span === 0) return conv(x);
  const history = st.tensor(`${prefix}/history`, [1, x.shape[1], span]);
  const window = torch.cat([history, x], 2); // [1, Cin, span + 1]
  const y = conv(window); // [1, Cout, 1]
  history.copyFrom(window.narrow(2, 1, span));
  return y;
}

/**
 * One step of layer `l` of the nn.LSTM at `prefix` (tensors: paramSpec.ts lstmLayerNames):
 * x [1, 1, in] → [1, 1, H]. Its hidden and cell states are state `${prefix}.l${l}/h` and `/c` [1, 1, H].
 */
export function lstmStep(w: StreamWeights, prefix: string, l: number, st: StreamState, x: Tensor): Tensor {
  const n = lstmLayerNames(prefix, l);
  const params = [n.weightIh, n.weightHh, n.biasIh, n.biasHh].map((name) => w.get(name));
  const units = params[1].shape[1];
  const h = st.tensor(`${prefix}.l${l}/h`, [1, 1, units]);
  const c = st.tensor(`${prefix}.l${l}/c`, [1, 1, units]);
  const r = torch.lstm(x.contiguous(), params, { batchFirst: true, h0: h, c0: c });
  h.copyFrom(r.h);
  c.copyFrom(r.c);
  return r.output;
}

/**
 * The streaming LayerOps (src/models/ops.ts): each network's stages run one frame at a time (T = 1)
 * with these equal frame t of the whole-utterance forward. Inference mode only.
 */
export function streamOps(w: StreamWeights, st: StreamState): LayerOps {
  return {
    w: w.lookup,
    training: false,
    conv2d: (prefix, x, opts) => causalConv2dStep(w, prefix, st, x, opts),
    convTranspose2d: (prefix, x, opts) => causalConvTranspose2dStep(w, prefix, st, x, opts),
    conv1d: (prefix, x, dilation = 1, groups = 1) => causalConv1dStep(w, prefix, st, x, dilation, groups),
    lstm: (prefix, l, x) => lstmStep(w, prefix, l, st, x),
  };
}
