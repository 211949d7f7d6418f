/**
 * The layer operations a network's forward pass is written over, so that each architecture's
 * forward exists once (src/models/<arch>.ts, as a chain of stages) and serves both
 *   - the whole-utterance libtorch net (`batchOps`: the layer functions of layers.ts over [B, …, T, …]),
 *   - the batch-1 streaming reference (`streamOps`, src/stream/layers.ts: the same ops one
 *     frame at a time, T = 1, the frames they need from the past kept in a StreamState).
 * Only the ops that look across time differ between the two; frame-wise layers (Linear, BatchNorm
 * in inference mode, LayerNorm, PReLU) are the same functions in both and are called with `ops.w`.
 * Every op reads its tensors by state-dict prefix (`${prefix}.weight`, …) through `ops.w`, so a
 * caller can substitute computed tensors (e.g. MPO contractions, src/compress/evaluator.ts).
 */
import type { Tensor } from '../torch/torch.js';
import {
  causalConv1dLayer, causalConv2dLayer, causalConvTranspose2dLayer, lstmLayer,
  type ConvAlongWOptions, type Weights,
} from './layers.js';
import { gatedConvNames } from './paramSpec.js';

/** Geometry of a transposed conv along W (the time axis is causal, stride 1). */
export type DeconvAlongWOptions = ConvAlongWOptions & { outputPadW: number };

/** The time-aware layer ops of one execution mode (see the file comment). */
export interface LayerOps {
  /** Tensors by state-dict name. */
  readonly w: Weights;
  /** BatchNorm with batch statistics (whole utterance only; a stream is always inference). */
  readonly training: boolean;
  /** Causal Conv2d, weight [Cout, Cin, kT, kW]: x [B, Cin, T, W] → [B, Cout, T, W']. */
  conv2d(prefix: string, x: Tensor, opts: ConvAlongWOptions): Tensor;
  /** Causal ConvTranspose2d, weight [Cin, Cout, kT, kW]: x [B, Cin, T, W] → [B, Cout, T, W']. */
  convTranspose2d(prefix: string, x: Tensor, opts: DeconvAlongWOptions): Tensor;
  /** Causal Conv1d over time, weight [Cout, Cin/groups, k], dilation d: x [B, Cin, T] → [B, Cout, T]. */
  conv1d(prefix: string, x: Tensor, dilation?: number, groups?: number): Tensor;
  /** Layer `l` of the nn.LSTM at `prefix` alone (zero initial state): x [B, T, in] → [B, T, H]. */
  lstm(prefix: string, l: number, x: Tensor): Tensor;
}

/** The whole-utterance ops over libtorch (layers.ts), reading tensors through `w`. */
export function batchOps(w: Weights, training: boolean): LayerOps {
  return {
    w,
    training,
    conv2d: (prefix, x, opts) => causalConv2dLayer(w, prefix, x, opts),
    convTranspose2d: (prefix, x, opts) => causalConvTranspose2dLayer(w, prefix, x, opts),
    conv1d: (prefix, x, dilation = 1, groups = 1) => causalConv1dLayer(w, prefix, x, dilation, groups),
    lstm: (prefix, l, x) => lstmLayer(w, prefix, l, x),
  };
}

/** Gated conv block of GCRN (names: gatedConvNames): values(x) ⊙ σ(gates(x)), both causal Conv2d. */
export function gatedConv2d(ops: LayerOps, prefix: string, x: Tensor, opts: ConvAlongWOptions): Tensor {
  const [values, gates] = gatedConvNames(prefix);
  return ops.conv2d(values, x, opts).mul(ops.conv2d(gates, x, opts).sigmoid());
}

/** Gated transposed conv block of GCRN: values(x) ⊙ σ(gates(x)), both causal ConvTranspose2d. */
export function gatedConvTranspose2d(ops: LayerOps, prefix: string, x: Tensor, opts: DeconvAlongWOptions): Tensor {
  const [values, gates] = gatedConvNames(prefix);
  return ops.convTranspose2d(values, x, opts).mul(ops.convTranspose2d(gates, x, opts).sigmoid());
}
