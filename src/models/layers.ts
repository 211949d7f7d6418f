/**
 * Layer functions shared by the four networks, over libtorch (src/torch/torch.ts). Each reads its
 * tensors by PyTorch state-dict name through a `Weights` lookup (weights live apart from the
 * code, as rnnoise keeps its model apart from compute_rnn), takes batched inputs and is causal
 * along time: no output frame depends on later input frames.
 *
 * Time-axis layout: 2-D convs see [B, C, T, W] (W = frequency bins or samples within a frame);
 * 1-D convs see [B, C, T].
 */
import * as torch from '../torch/torch.js';
import type { Tensor } from '../torch/torch.js';
import { lstmLayerNames } from './paramSpec.js';

/** Looks up a tensor by state-dict name (throws naming it when absent). */
export type Weights = (name: string) => Tensor;

/** nn.Linear on the last dim: x [..., in] → [..., out]. */
export function linearLayer(w: Weights, prefix: string, x: Tensor): Tensor {
  return torch.linear(x, w(`${prefix}.weight`), w(`${prefix}.bias`));
}

/**
 * nn.BatchNorm1d/2d over dim 1 of x [B, C, ...]. Training: batch statistics, running statistics
 * updated in place (momentum 0.1) and num_batches_tracked incremented, as PyTorch's module does.
 * Inference: running statistics, i.e. a per-channel affine map (causal). Note that batch
 * statistics pool over time, so only inference mode is causal.
 */
export function batchNormLayer(w: Weights, prefix: string, x: Tensor, training: boolean): Tensor {
  const y = torch.batchNorm(x, {
    weight: w(`${prefix}.weight`),
    bias: w(`${prefix}.bias`),
    runningMean: w(`${prefix}.running_mean`),
    runningVar: w(`${prefix}.running_var`),
    training,
  });
  if (training) {
    // int64 counter: libtorch refuses a float in-place add, so count on the host.
    const count = w(`${prefix}.num_batches_tracked`);
    count.copyFrom([count.item() + 1]);
  }
  return y;
}

/** nn.LayerNorm over the last dim: x [..., F]. */
export function layerNormLayer(w: Weights, prefix: string, x: Tensor): Tensor {
  const weight = w(`${prefix}.weight`);
  return torch.layerNorm(x, weight.shape, weight, w(`${prefix}.bias`));
}

/** nn.PReLU (one slope, or one per channel of dim 1). */
export function preluLayer(w: Weights, prefix: string, x: Tensor): Tensor {
  return x.prelu(w(`${prefix}.weight`));
}

/** Options of the strided, causal-in-time 2-D convolutions along the W axis. */
export interface ConvAlongWOptions {
  /** Stride along W (time stride is always 1). */
  strideW: number;
  /** Symmetric zero padding along W. */
  padW: number;
}

/**
 * Causal Conv2d: x [B, Cin, T, W] → [B, Cout, T, W'] with weight [Cout, Cin, kT, kW] at
 * `${prefix}.weight`. Time is padded with kT − 1 zero frames on the left only, so output frame t
 * sees input frames t − kT + 1 … t.
 */
export function causalConv2dLayer(w: Weights, prefix: string, x: Tensor, opts: ConvAlongWOptions): Tensor {
  const weight = w(`${prefix}.weight`);
  const kT = weight.shape[2];
  const padded = kT > 1 ? x.pad([0, 0, kT - 1, 0]) : x; // [B, Cin, T + kT − 1, W]
  return torch.conv2d(padded, weight, w(`${prefix}.bias`), { stride: [1, opts.strideW], padding: [0, opts.padW] });
}

/**
 * Causal ConvTranspose2d: x [B, Cin, T, W] → [B, Cout, T, W'] with weight [Cin, Cout, kT, kW].
 * Along time the transposed conv spreads frame t over outputs t … t + kT − 1; keeping the first
 * T output frames leaves output t = Σ_k x[t − k] · w[k], i.e. causal.
 */
export function causalConvTranspose2dLayer(
  w: Weights, prefix: string, x: Tensor, opts: ConvAlongWOptions & { outputPadW: number },
): Tensor {
  const t = x.shape[2];
  const y = torch.convTranspose2d(x, w(`${prefix}.weight`), w(`${prefix}.bias`), {
    stride: [1, opts.strideW],
    padding: [0, opts.padW],
    outputPadding: [0, opts.outputPadW],
  }); // [B, Cout, T + kT − 1, W']
  return y.shape[2] === t ? y : y.narrow(2, 0, t);
}

/**
 * Causal Conv1d over time: x [B, Cin, T] → [B, Cout, T], weight [Cout, Cin/groups, k], dilation d:
 * left padding d·(k − 1), so output t sees inputs t − d·(k − 1) … t.
 */
export function causalConv1dLayer(w: Weights, prefix: string, x: Tensor, dilation = 1, groups = 1): Tensor {
  const weight = w(`${prefix}.weight`);
  const k = weight.shape[2];
  const left = dilation * (k - 1);
  const padded = left > 0 ? x.pad([left, 0]) : x; // [B, Cin, T + d(k − 1)]
  return torch.conv1d(padded, weight, w(`${prefix}.bias`), { dilation, groups });
}

/**
 * Layer `l` of the nn.LSTM at `prefix` alone over x [B, T, in] → [B, T, H], zero initial state
 * (tensors: paramSpec.ts lstmLayerNames). A stacked
 * nn.LSTM is its layers applied in turn, which is how libtorch runs it too.
 */
export function lstmLayer(w: Weights, prefix: string, l: number, x: Tensor): Tensor {
  const n = lstmLayerNames(prefix, l);
  const params = [n.weightIh, n.weightHh, n.biasIh, n.biasHh].map(w);
  const { output, h, c } = torch.lstm(x.contiguous(), params, { batchFirst: true });
  h.dispose();
  c.dispose();
  return output;
}
