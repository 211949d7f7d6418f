/**
 * Parameter specs: the name, shape and role of every tensor of a network, in PyTorch state-dict
 * naming, derived from an ArchConfig alone (no libtorch). The trainer builds its parameters from
 * these, the checkpoint and `.hush` writers name tensors by them, the compression pipelines pick
 * weight groups by `kind`, and the MAC counter weighs each tensor by how often it is used.
 *
 * Layouts (PyTorch's, so weights trained elsewhere map one to one):
 *   linear  [out, in]                       Linear.weight
 *   conv    [out, in/groups, kh, kw] or [out, in/groups, k] (Conv1d)
 *   deconv  [in, out, kh, kw]               ConvTranspose2d.weight (note: in first)
 *   lstm_ih [4H, in], lstm_hh [4H, H]       gates stacked i, f, g, o (PyTorch order)
 */

/**
 * The role of a tensor. Weight groups for structured pruning (paper §II-B): a kernel
 * (the trailing kh×kw / k elements) of a `conv` or `deconv`; a column (one input unit) of a
 * `linear`, `lstm_ih` or `lstm_hh` matrix, the four gates together. `bias`, `norm`, `prelu` and
 * `norm_stat` are never pruned.
 */
export type ParamKind =
  | 'linear'
  | 'conv'
  | 'deconv'
  | 'lstm_ih'
  | 'lstm_hh'
  | 'bias'
  /** BatchNorm / LayerNorm affine scale (`.weight`) or shift (`.bias`). */
  | 'norm'
  | 'prelu'
  /** BatchNorm running_mean / running_var / num_batches_tracked (buffers, not parameters). */
  | 'norm_stat';

/** One tensor of a network's state dict. */
export interface ParamSpec {
  /** PyTorch state-dict name, e.g. `conv1.conv1.weight`, `glstm.lstm_list1.0.weight_ih_l0`. */
  name: string;
  /** Tensor shape in PyTorch layout (see the file comment); [] for a scalar. */
  shape: number[];
  kind: ParamKind;
  /** The module that owns the tensor, e.g. `conv1.conv1`, `lstm.l0`, `bn1`. */
  layer: string;
  /** True for buffers (BatchNorm running statistics): stored and loaded, never trained or counted. */
  buffer?: boolean;
  /** Element type; only `num_batches_tracked` is int64 (as in PyTorch). Default float32. */
  dtype?: 'float32' | 'int64';
}

/**
 * How one weight tensor enters the MAC count of a frame: each of its nonzero elements costs
 * `usesPerFrame` multiply-accumulates per 10-ms frame.
 *   - paper: Table III's counter (thop): a Conv2d counts output positions × in/groups × kernel, a
 *     ConvTranspose2d likewise counts its *output* positions × in_channels × kernel, i.e. as the
 *     zero-stuffed equivalent direct convolution; Linear counts in × out.
 *   - executed: multiplications a direct implementation performs; only ConvTranspose2d differs:
 *     every input position scatters through the kernel once.
 */
export interface MacTerm {
  /** Name of the weight tensor (a ParamSpec name). */
  tensor: string;
  /** MACs per element per frame, paper (thop) convention. */
  usesPerFrame: number;
  /** MACs per element per frame, as executed by a direct implementation. */
  executedUsesPerFrame: number;
}

/**
 * Everything derivable from an ArchConfig without libtorch: its tensors, and the cost model that
 * counts MACs per frame.
 */
export interface ArchLayout {
  /** All tensors in state-dict order (parameters and buffers interleaved as PyTorch lists them). */
  params: ParamSpec[];
  /** Weight tensors that cost MACs. Biases, norms and activations cost none. */
  macTerms: MacTerm[];
  /**
   * MACs per frame that do not scale with any weight's nonzeros: the LSTM cell's bias adds, gate
   * and cell products, 16·H per step and layer as thop counts them (4·(3H) + 3H + H).
   */
  fixedMacsPerFrame: number;
}

/** Accumulates specs and MAC terms while an architecture describes itself layer by layer. */
export class LayoutBuilder {
  readonly params: ParamSpec[] = [];
  readonly macTerms: MacTerm[] = [];
  fixedMacsPerFrame = 0;

  /** Adds one tensor. */
  add(name: string, shape: number[], kind: ParamKind, layer: string, extra: Partial<ParamSpec> = {}): void {
    this.params.push({ name, shape, kind, layer, ...extra });
  }

  /** nn.Linear(inF, outF) at `prefix`: weight [out, in], bias [out]; applied once per frame. */
  linear(prefix: string, inF: number, outF: number, bias = true): void {
    this.add(`${prefix}.weight`, [outF, inF], 'linear', prefix);
    if (bias) this.add(`${prefix}.bias`, [outF], 'bias', prefix);
    this.macTerms.push({ tensor: `${prefix}.weight`, usesPerFrame: 1, executedUsesPerFrame: 1 });
  }

  /**
   * nn.Conv2d(inC, outC, [kh, kw], groups) at `prefix`, with `positionsPerFrame` output positions
   * along the non-time axis (time kernel taps are part of the weight, one output row per frame).
   */
  conv2d(prefix: string, inC: number, outC: number, kh: number, kw: number, positionsPerFrame: number, bias = true): void {
    this.add(`${prefix}.weight`, [outC, inC, kh, kw], 'conv', prefix);
    if (bias) this.add(`${prefix}.bias`, [outC], 'bias', prefix);
    this.macTerms.push({ tensor: `${prefix}.weight`, usesPerFrame: positionsPerFrame, executedUsesPerFrame: positionsPerFrame });
  }

  /**
   * nn.Conv1d over time (kernel k, groups) at `prefix`: weight [outC, inC/groups, k]; one output
   * per frame.
   */
  conv1d(prefix: string, inC: number, outC: number, k: number, groups: number, bias = true): void {
    this.add(`${prefix}.weight`, [outC, inC / groups, k], 'conv', prefix);
    if (bias) this.add(`${prefix}.bias`, [outC], 'bias', prefix);
    this.macTerms.push({ tensor: `${prefix}.weight`, usesPerFrame: 1, executedUsesPerFrame: 1 });
  }

  /**
   * nn.ConvTranspose2d(inC, outC, [kh, kw]) at `prefix`: weight [inC, outC, kh, kw]; `inPositions`
   * and `outPositions` are the widths of the non-time axis before and after.
   */
  deconv2d(prefix: string, inC: number, outC: number, kh: number, kw: number, inPositions: number, outPositions: number): void {
    this.add(`${prefix}.weight`, [inC, outC, kh, kw], 'deconv', prefix);
    this.add(`${prefix}.bias`, [outC], 'bias', prefix);
    // thop: y.numel() · in_channels · kernel = outPositions · (weight numel); executed: each input
    // position is scattered through the whole kernel once.
    this.macTerms.push({ tensor: `${prefix}.weight`, usesPerFrame: outPositions, executedUsesPerFrame: inPositions });
  }

  /** nn.BatchNorm1d/2d(channels) at `prefix`: weight, bias, and three buffers, in PyTorch's order. */
  batchNorm(prefix: string, channels: number): void {
    this.add(`${prefix}.weight`, [channels], 'norm', prefix);
    this.add(`${prefix}.bias`, [channels], 'norm', prefix);
    this.add(`${prefix}.running_mean`, [channels], 'norm_stat', prefix, { buffer: true });
    this.add(`${prefix}.running_var`, [channels], 'norm_stat', prefix, { buffer: true });
    this.add(`${prefix}.num_batches_tracked`, [], 'norm_stat', prefix, { buffer: true, dtype: 'int64' });
  }

  /** nn.LayerNorm(features) at `prefix`. */
  layerNorm(prefix: string, features: number): void {
    this.add(`${prefix}.weight`, [features], 'norm', prefix);
    this.add(`${prefix}.bias`, [features], 'norm', prefix);
  }

  /** nn.PReLU(numParameters) at `prefix`. */
  prelu(prefix: string, numParameters = 1): void {
    this.add(`${prefix}.weight`, [numParameters], 'prelu', prefix);
  }

  /**
   * Layer `l` of an nn.LSTM at `prefix` (input `inF`, hidden `h`): weight_ih_l{l} [4H, in],
   * weight_hh_l{l} [4H, H], bias_ih_l{l} [4H], bias_hh_l{l} [4H]; one step per frame.
   */
  lstmLayer(prefix: string, l: number, inF: number, h: number): void {
    const n = lstmLayerNames(prefix, l);
    const layer = `${prefix}.l${l}`;
    this.add(n.weightIh, [4 * h, inF], 'lstm_ih', layer);
    this.add(n.weightHh, [4 * h, h], 'lstm_hh', layer);
    this.add(n.biasIh, [4 * h], 'bias', layer);
    this.add(n.biasHh, [4 * h], 'bias', layer);
    this.macTerms.push({ tensor: n.weightIh, usesPerFrame: 1, executedUsesPerFrame: 1 });
    this.macTerms.push({ tensor: n.weightHh, usesPerFrame: 1, executedUsesPerFrame: 1 });
    this.fixedMacsPerFrame += 16 * h;
  }

  /**
   * A gated conv block at `prefix` (GCRN): two nn.Conv2d, `${prefix}.conv1` (values) and
   * `${prefix}.conv2` (gates), same geometry (see `conv2d`).
   */
  gatedConv2d(prefix: string, inC: number, outC: number, kh: number, kw: number, positionsPerFrame: number): void {
    for (const c of gatedConvNames(prefix)) this.conv2d(c, inC, outC, kh, kw, positionsPerFrame);
  }

  /** A gated transposed conv block at `prefix` (GCRN): two nn.ConvTranspose2d (see `deconv2d`). */
  gatedDeconv2d(prefix: string, inC: number, outC: number, kh: number, kw: number, inPositions: number, outPositions: number): void {
    for (const c of gatedConvNames(prefix)) this.deconv2d(c, inC, outC, kh, kw, inPositions, outPositions);
  }

  /** The finished layout. */
  build(): ArchLayout {
    return { params: this.params, macTerms: this.macTerms, fixedMacsPerFrame: this.fixedMacsPerFrame };
  }
}

/**
 * State-dict names of layer `l` of an nn.LSTM at `prefix` (PyTorch's, gates stacked i, f, g, o):
 * `${prefix}.weight_ih_l${l}` [4H, in], `weight_hh_l${l}` [4H, H], `bias_ih_l${l}`, `bias_hh_l${l}` [4H].
 */
export function lstmLayerNames(prefix: string, l: number): { weightIh: string; weightHh: string; biasIh: string; biasHh: string } {
  return {
    weightIh: `${prefix}.weight_ih_l${l}`,
    weightHh: `${prefix}.weight_hh_l${l}`,
    biasIh: `${prefix}.bias_ih_l${l}`,
    biasHh: `${prefix}.bias_hh_l${l}`,
  };
}

/** The two convs of a gated conv block at `prefix` (Tan's GCRN): values `conv1`, gates `conv2`. */
export function gatedConvNames(prefix: string): [values: string, gates: string] {
  return [`${prefix}.conv1`, `${prefix}.conv2`];
}

/** Number of elements of a tensor of `shape` (1 for a scalar). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * True for a weight the runtime multiplies as a matrix [rows = dim0][cols = rest] (Linear, LSTM
 * W_ih / W_hh, 1×1 Conv1d [out, in, 1]); assembly/nets/binder.ts binderMat is called on exactly these.
 */
export function isMatrixSpec(s: ParamSpec): boolean {
  if (s.kind === 'linear' || s.kind === 'lstm_ih' || s.kind === 'lstm_hh') return true;
  return s.kind === 'conv' && s.shape.length === 3 && s.shape[2] === 1;
}
