/**
 * The training engine: a typed TypeScript API over libtorch (through the N-API addon in native/).
 * This is the ONLY module that loads the `.node` file; everything else imports from here.
 *
 *   import { torch, Tensor, tidy, noGrad, Adam } from '../torch/torch.js';
 *   const y = tidy(() => x.matmul(w).add(b).relu());
 *   const z = torch.conv2d(x, w, b, { stride: [1, 2], padding: [0, 1] });
 *
 * Conventions (the same as PyTorch, so formulas and state dicts map one to one):
 *  - Shapes are `number[]`, outermost first (NCHW for images, [T, B, F] / [B, T, F] for sequences).
 *  - Negative dims count from the end (-1 is the last dim).
 *  - Tensors default to float32 on the CPU. float64 exists for gradient checks, int64 for indices,
 *    bool for masks (comparisons return bool; bool/int tensors promote to float in arithmetic).
 *  - Every op returns a NEW Tensor (a new handle; possibly a view sharing storage, like PyTorch's
 *    reshape/slice/transpose), except methods named `...InPlace` and `copyFrom`, which mutate
 *    `this` without recording autograd history.
 *
 * Ownership and lifetime:
 *  - A Tensor owns one reference to a libtorch tensor. `dispose()` drops it now (the memory is freed
 *    when no other handle, view or autograd graph still references the storage). Using a disposed
 *    Tensor throws.
 *  - `tidy(fn)` disposes every Tensor created inside `fn` except those reachable from its return
 *    value and those marked `keep()`. Create model parameters with `.keep()` (or outside tidy).
 *  - A finaliser frees any Tensor the garbage collector reclaims: a safety net, not a strategy.
 *    Training loops must use tidy/dispose (GC does not see libtorch's memory pressure well).
 *  - `data()` is a zero-copy Float32Array view of the storage. The view holds its own reference
 *    to the storage, so it stays valid (never dangling) even after `dispose()`; it reflects every
 *    in-place update (optimiser steps, copyFrom).
 *
 * Errors: libtorch errors (shape mismatches, bad reshapes, wrong channel counts) become JS
 * `Error`s carrying libtorch's message (without C++ backtrace); they never crash the process.
 *
 * Environment (read when the addon is first loaded): HUSHPACK_TORCH_ADDON (path of the .node file),
 * HUSHPACK_TORCH_THREADS (intra-op threads; default 2), OMP_WAIT_POLICY (set to PASSIVE unless
 * given). Build and performance notes: native/README.md.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scopeTrack, tidy, scopeDepth, type Trackable } from './tidy.js';

export { tidy, scopeDepth };

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/** Element types. float32 is the default everywhere. */
export type DType = 'float32' | 'float64' | 'int64' | 'bool';
/** 'cpu', or 'cuda' / 'cuda:N' when the addon was built against a CUDA libtorch (LIBTORCH=...). */
export type Device = 'cpu' | 'cuda' | `cuda:${number}`;
/** A tensor's dimensions, outermost first. */
export type Shape = readonly number[];
/** Host data accepted by `torch.tensor` / `copyFrom`. */
export type HostData = Float32Array | Float64Array | Int32Array | readonly number[];
/** One int applied to every spatial dim, or one per spatial dim ([h, w] for 2-D ops). */
export type IntOrPair = number | readonly number[];

/** Options of factory functions (zeros, ones, randn, tensor, ...). */
export interface CreateOptions {
  /** Default 'float32' (or the natural type of the host array for `tensor`). */
  dtype?: DType;
  /** Default false. */
  requiresGrad?: boolean;
  /** Default 'cpu'. */
  device?: Device;
}

/** Options of conv1d / conv2d (PyTorch F.conv*d). Padding is symmetric zero padding. */
export interface ConvOptions {
  stride?: IntOrPair; // default 1
  padding?: IntOrPair; // default 0
  dilation?: IntOrPair; // default 1
  groups?: number; // default 1
}

/** Options of convTranspose2d (PyTorch F.conv_transpose2d). */
export interface ConvTransposeOptions extends ConvOptions {
  /** Extra rows/cols added on one side of the output (disambiguates the size when stride > 1). */
  outputPadding?: IntOrPair; // default 0
}

/** Options of `lstm`. */
export interface LstmOptions {
  /** Input/output [B, T, F] when true, [T, B, F] when false (PyTorch default: false). */
  batchFirst?: boolean;
  /** Whether `params` holds the two bias vectors per layer (default true). */
  hasBiases?: boolean;
  /** Initial hidden state [numLayers, B, H]; zeros when absent. */
  h0?: Tensor;
  /** Initial cell state [numLayers, B, H]; zeros when absent. */
  c0?: Tensor;
  /** Dropout between layers (only applied when training; default 0). */
  dropout?: number;
  /** Training mode for dropout (default false). */
  training?: boolean;
}

/** Result of `lstm`. */
export interface LstmResult {
  /** Last layer's hidden state at every step: [T, B, H] (or [B, T, H] with batchFirst). */
  output: Tensor;
  /** Final hidden state of every layer: [numLayers, B, H]. */
  h: Tensor;
  /** Final cell state of every layer: [numLayers, B, H]. */
  c: Tensor;
}

/** Options of `batchNorm` (PyTorch F.batch_norm). */
export interface BatchNormOptions {
  /** Per-channel scale γ [C] (learnable), optional. */
  weight?: Tensor | null;
  /** Per-channel shift β [C] (learnable), optional. */
  bias?: Tensor | null;
  /** Running mean [C]; updated in place when training. Required when !training. */
  runningMean?: Tensor | null;
  /** Running (unbiased) variance [C]; updated in place when training. Required when !training. */
  runningVar?: Tensor | null;
  /** true: normalise with batch statistics and update the running ones; false: use running ones. */
  training: boolean;
  /** running = (1 − momentum)·running + momentum·batch (default 0.1). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/** Options of `Adam`. Defaults are the paper's AMSGrad (Tan & Wang 2021, §III-B). */
export interface AdamOptions {
  lr?: number; // default 1e-3
  betas?: readonly [number, number]; // default [0.9, 0.999]
  eps?: number; // default 1e-8
  /** L2 penalty added to the gradient (Adam) or decoupled decay (AdamW); default 0. */
  weightDecay?: number;
  /** Use the AMSGrad variant (max of past second moments); default TRUE. */
  amsgrad?: boolean;
  /** Decoupled weight decay, i.e. AdamW (Loshchilov & Hutter); default false. */
  decoupledWeightDecay?: boolean;
}

/** Optimiser state of one parameter (PyTorch names: step, exp_avg, exp_avg_sq, max_exp_avg_sq). */
export interface AdamParamState {
  /** Number of steps taken for this parameter. */
  step: number;
  /** First-moment estimate m, same shape as the parameter. */
  expAvg: Tensor;
  /** Second-moment estimate v. */
  expAvgSq: Tensor;
  /** Running max of v (AMSGrad); an empty/zero tensor when amsgrad is off. */
  maxExpAvgSq: Tensor;
}

// ---------------------------------------------------------------------------------------------
// The addon (internal)
// ---------------------------------------------------------------------------------------------

/** Opaque native tensor handle (a Napi::ObjectWrap holding a torch::Tensor). */
interface NativeTensor {
  readonly __nativeTensor: unique symbol;
}
/** Opaque native optimiser. */
interface NativeOptim {
  readonly __nativeOptim: unique symbol;
}
type H = NativeTensor;
type TS = H | number; // tensor-or-scalar argument

/** The functions exported by native/src/*.cc (see there for exact semantics). */
interface NativeAddon {
  version(): string;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  blasNumThreads(): number;
  manualSeed(seed: number): void;
  cudaAvailable(): boolean;
  setGradEnabled(on: boolean): void;
  isGradEnabled(): boolean;
  liveTensors(): number;

  dispose(h: H): void;
  shape(h: H): number[];
  dtype(h: H): DType;
  device(h: H): string;
  numel(h: H): number;
  requiresGrad(h: H): boolean;
  setRequiresGrad(h: H, on: boolean): void;
  grad(h: H): H | null;
  zeroGrad(h: H): void;
  backward(h: H, grad: H | null, retainGraph: boolean): void;
  item(h: H): number;
  data(h: H): Float32Array;
  toFloat32Array(h: H): Float32Array;
  toFloat64Array(h: H): Float64Array;
  copyFromArray(h: H, src: Float32Array | Float64Array | Int32Array): void;
  copyFromTensor(h: H, src: H): void;
  fillInPlace(h: H, v: number): void;
  mulInPlace(h: H, o: TS): void;
  addInPlace(h: H, o: TS, alpha: number): void;

  fromArray(src: Float32Array | Float64Array | Int32Array, shape: number[], dtype: DType, device: string, rg: boolean): H;
  zeros(shape: number[], dtype: DType, device: string, rg: boolean): H;
  ones(shape: number[], dtype: DType, device: string, rg: boolean): H;
  full(shape: number[], v: number, dtype: DType, device: string, rg: boolean): H;
  randn(shape: number[], dtype: DType, device: string, rg: boolean): H;
  rand(shape: number[], dtype: DType, device: string, rg: boolean): H;
  arange(start: number, end: number, step: number, dtype: DType, device: string): H;

  detach(h: H): H;
  clone(h: H): H;
  toDtype(h: H, d: DType): H;
  toDevice(h: H, d: string): H;
  contiguous(h: H): H;

  add(a: H, b: TS): H;
  sub(a: H, b: TS): H;
  rsub(a: H, b: number): H;
  mul(a: H, b: TS): H;
  div(a: H, b: TS): H;
  rdiv(a: H, b: number): H;
  pow(a: H, b: TS): H;
  maximum(a: H, b: H): H;
  minimum(a: H, b: H): H;
  atan2(a: H, b: H): H;
  gt(a: H, b: TS): H;
  lt(a: H, b: TS): H;
  ge(a: H, b: TS): H;
  le(a: H, b: TS): H;
  eq(a: H, b: TS): H;
  where(c: H, a: TS, b: TS): H;
  unary(op: UnaryOp, a: H): H;
  clamp(a: H, min: number | null, max: number | null): H;
  elu(a: H, alpha: number): H;
  softplus(a: H, beta: number, threshold: number): H;
  prelu(a: H, w: H): H;

  matmul(a: H, b: H): H;
  linear(x: H, w: H, b: H | null): H;
  conv1d(x: H, w: H, b: H | null, stride: number[], padding: number[], dilation: number[], groups: number): H;
  conv2d(x: H, w: H, b: H | null, stride: number[], padding: number[], dilation: number[], groups: number): H;
  convTranspose2d(
    x: H, w: H, b: H | null, stride: number[], padding: number[], outputPadding: number[], groups: number, dilation: number[],
  ): H;
  lstm(x: H, params: H[], h0: H | null, c0: H | null, hasBiases: boolean, numLayers: number, dropout: number, training: boolean, batchFirst: boolean): [H, H, H];
  batchNorm(x: H, w: H | null, b: H | null, rm: H | null, rv: H | null, training: boolean, momentum: number, eps: number): H;
  layerNorm(x: H, normalizedShape: number[], w: H | null, b: H | null, eps: number): H;
  mseLoss(a: H, b: H, reduction: 'mean' | 'sum' | 'none'): H;

  reshape(a: H, shape: number[]): H;
  view(a: H, shape: number[]): H;
  permute(a: H, dims: number[]): H;
  transpose(a: H, d0: number, d1: number): H;
  squeeze(a: H, dim: number | null): H;
  unsqueeze(a: H, dim: number): H;
  flatten(a: H, start: number, end: number): H;
  expand(a: H, shape: number[]): H;
  slice(a: H, dim: number, start: number, end: number | null, step: number): H;
  narrow(a: H, dim: number, start: number, length: number): H;
  indexSelect(a: H, dim: number, index: H): H;
  split(a: H, sizes: number[], dim: number): H[];
  chunk(a: H, n: number, dim: number): H[];
  cat(ts: H[], dim: number): H;
  stack(ts: H[], dim: number): H;
  pad(a: H, pads: number[], value: number): H;

  sum(a: H, dims: number[] | null, keepdim: boolean): H;
  mean(a: H, dims: number[] | null, keepdim: boolean): H;
  norm(a: H, p: number, dims: number[] | null, keepdim: boolean): H;
  amax(a: H, dims: number[] | null, keepdim: boolean): H;
  amin(a: H, dims: number[] | null, keepdim: boolean): H;

  clipGradNorm(params: H[], maxNorm: number, normType: number): number;

  adamNew(params: H[], lr: number, beta1: number, beta2: number, eps: number, wd: number, amsgrad: boolean, decoupled: boolean): NativeOptim;
  adamStep(o: NativeOptim): void;
  adamZeroGrad(o: NativeOptim): void;
  adamGetLr(o: NativeOptim): number;
  adamSetLr(o: NativeOptim, lr: number): void;
  adamGetState(o: NativeOptim): ({ step: number; expAvg: H; expAvgSq: H; maxExpAvgSq: H } | null)[];
  adamSetState(o: NativeOptim, index: number, step: number, expAvg: H, expAvgSq: H, maxExpAvgSq: H): void;
}

/** Unary elementwise ops dispatched by name in native/src/ops_tensor.cc. */
type UnaryOp =
  | 'neg' | 'abs' | 'sign' | 'sqrt' | 'square' | 'exp' | 'log' | 'sin' | 'cos' | 'reciprocal'
  | 'relu' | 'sigmoid' | 'tanh';

/** File name of the addon built by `npm run build:native` (target name in native/binding.gyp). */
const ADDON_FILE = 'hushpack_torch.node';
/** Message thrown when the addon cannot be found. */
export const ADDON_MISSING_MESSAGE =
  'libtorch addon not built: run `npm run build:native` (needs Debian libtorch-dev or LIBTORCH=...)';

let addon: NativeAddon | undefined;

/**
 * Candidate paths of the addon: $HUSHPACK_TORCH_ADDON alone when set (an explicit choice is never
 * silently replaced), else native/build/Release/ found by walking up from this file (works from
 * src/train/ under vitest and from dist/src/train/ when compiled).
 */
function addonCandidates(): string[] {
  const env = process.env['HUSHPACK_TORCH_ADDON'];
  if (env) return [resolve(env)];
  const out: string[] = [];
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    out.push(join(dir, 'native', 'build', 'Release', ADDON_FILE));
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return out;
}

/** Loads the addon on first use (so importing this module never fails by itself). */
function lib(): NativeAddon {
  if (addon !== undefined) return addon;
  const path = addonCandidates().find((p) => existsSync(p));
  if (path === undefined) throw new Error(ADDON_MISSING_MESSAGE);
  // libgomp reads OMP_WAIT_POLICY once, when the addon pulls it in. PASSIVE (sleep at barriers
  // instead of spinning) measured 1.5 → 11.6 GFLOP/s for a conv training step at 2 threads on the
  // shared, loaded 2-core machine (load ≈ 11); an explicit user setting wins.
  if (process.env['OMP_WAIT_POLICY'] === undefined) process.env['OMP_WAIT_POLICY'] = 'PASSIVE';
  const require = createRequire(import.meta.url);
  try {
    addon = require(path) as NativeAddon;
  } catch (err) {
    throw new Error(`${ADDON_MISSING_MESSAGE}; loading ${path} failed: ${(err as Error).message}`);
  }
  // The addon starts at 2 intra-op threads; HUSHPACK_TORCH_THREADS overrides (e.g. 1 on a busy host).
  const threads = process.env['HUSHPACK_TORCH_THREADS'];
  if (threads !== undefined && threads !== '') {
    const n = Number(threads);
    if (!Number.isInteger(n) || n < 1) throw new Error(`HUSHPACK_TORCH_THREADS must be a positive integer, got '${threads}'`);
    addon.setNumThreads(n);
  }
  return addon;
}

/** True when the addon is built and loads (tests and the CLI use this to explain what is missing). */
export function isTorchAvailable(): boolean {
  try {
    lib();
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Argument helpers (internal)
// ---------------------------------------------------------------------------------------------

/** Expands an int-or-list option to `n` ints (PyTorch's `_pair` / `_single`). */
function expand(v: IntOrPair | undefined, n: number, dflt: number): number[] {
  if (v === undefined) return new Array<number>(n).fill(dflt);
  if (typeof v === 'number') return new Array<number>(n).fill(v);
  if (v.length === 1) return new Array<number>(n).fill(v[0]!);
  if (v.length !== n) throw new Error(`expected ${n} values, got [${v.join(', ')}]`);
  return [...v];
}

function dimsArg(dims: number | readonly number[] | undefined | null): number[] | null {
  if (dims === undefined || dims === null) return null;
  return typeof dims === 'number' ? [dims] : [...dims];
}

function ts(v: Tensor | number): TS {
  return typeof v === 'number' ? v : v.handle;
}

function wrap(h: H): Tensor {
  return new Tensor(h);
}

function hostArray(data: HostData): Float32Array | Float64Array | Int32Array {
  if (data instanceof Float32Array || data instanceof Float64Array || data instanceof Int32Array) return data;
  return Float64Array.from(data);
}

function naturalDType(data: HostData): DType {
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int64';
  return 'float32';
}

// ---------------------------------------------------------------------------------------------
// Tensor
// ---------------------------------------------------------------------------------------------

/**
 * A handle on a libtorch tensor. Create tensors with the factory functions (`torch.zeros`,
 * `torch.tensor`, ...) or ops; never with `new` outside this module.
 */
export class Tensor implements Trackable {
  #h: H | null;
  #kept = false;

  /** @internal Wraps a native handle and records it in the innermost tidy scope. */
  constructor(h: H) {
    this.#h = h;
    scopeTrack(this);
  }

  /** @internal The native handle; throws if disposed. */
  get handle(): H {
    if (this.#h === null) throw new Error('Tensor is disposed');
    return this.#h;
  }

  // --- lifetime -------------------------------------------------------------------------------

  /** Drops this handle's reference to the tensor now. Idempotent. */
  dispose(): void {
    if (this.#h === null) return;
    lib().dispose(this.#h);
    this.#h = null;
  }
  /** True after `dispose()`. */
  get isDisposed(): boolean {
    return this.#h === null;
  }
  /** Exempts this tensor from every tidy scope (parameters, buffers). Returns `this`. */
  keep(): this {
    this.#kept = true;
    return this;
  }
  /** True once `keep()` was called. */
  get kept(): boolean {
    return this.#kept;
  }

  // --- metadata -------------------------------------------------------------------------------

  /** Dimensions, outermost first (a fresh array). */
  get shape(): number[] {
    return lib().shape(this.handle);
  }
  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }
  /** Total number of elements. */
  get numel(): number {
    return lib().numel(this.handle);
  }
  /** Element type. */
  get dtype(): DType {
    return lib().dtype(this.handle);
  }
  /** 'cpu' or 'cuda:N'. */
  get device(): string {
    return lib().device(this.handle);
  }
  /** Whether autograd records ops on this tensor (true for parameters and results computed from them). */
  get requiresGrad(): boolean {
    return lib().requiresGrad(this.handle);
  }
  /** Sets requires_grad on a leaf (a parameter). Returns `this`. */
  setRequiresGrad(on = true): this {
    lib().setRequiresGrad(this.handle, on);
    return this;
  }
  /**
   * The accumulated gradient (same shape), or null before the first backward. A new handle that
   * shares storage with libtorch's `.grad` (so it sees later accumulation); tracked by tidy.
   */
  get grad(): Tensor | null {
    const g = lib().grad(this.handle);
    return g === null ? null : wrap(g);
  }

  // --- host data ------------------------------------------------------------------------------

  /**
   * Zero-copy view of the elements (float32, contiguous, CPU only; throws otherwise — call
   * `.contiguous()` / `.toDtype('float32')` first). The view keeps the storage alive by itself and
   * reflects in-place updates. Writing into it changes the tensor without autograd's knowledge.
   */
  data(): Float32Array {
    return lib().data(this.handle);
  }
  /** A copy of the elements as float32 (any dtype/device/layout). */
  toFloat32Array(): Float32Array {
    return lib().toFloat32Array(this.handle);
  }
  /** A copy of the elements as float64 (any dtype/device/layout). */
  toFloat64Array(): Float64Array {
    return lib().toFloat64Array(this.handle);
  }
  /** The value of a one-element tensor. */
  item(): number {
    return lib().item(this.handle);
  }
  /**
   * Overwrites the elements in place from host data (length must equal numel; converted to this
   * dtype) or from a tensor (broadcastable), without autograd. Returns `this`.
   */
  copyFrom(src: HostData | Tensor): this {
    if (src instanceof Tensor) lib().copyFromTensor(this.handle, src.handle);
    else lib().copyFromArray(this.handle, hostArray(src));
    return this;
  }
  /** Sets every element to `v` in place, without autograd. Returns `this`. */
  fillInPlace(v: number): this {
    lib().fillInPlace(this.handle, v);
    return this;
  }
  /** this ← this ⊙ other in place (e.g. a 0/1 pruning mask), without autograd. Returns `this`. */
  mulInPlace(other: Tensor | number): this {
    lib().mulInPlace(this.handle, ts(other));
    return this;
  }
  /** this ← this + alpha·other in place, without autograd. Returns `this`. */
  addInPlace(other: Tensor | number, alpha = 1): this {
    lib().addInPlace(this.handle, ts(other), alpha);
    return this;
  }

  // --- autograd -------------------------------------------------------------------------------

  /**
   * Back-propagates from this tensor, accumulating into `.grad` of every leaf that requires grad.
   * Without `grad` this must be a one-element tensor (a loss). `retainGraph` allows a second
   * backward through the same graph.
   */
  backward(grad?: Tensor, opts: { retainGraph?: boolean } = {}): void {
    lib().backward(this.handle, grad?.handle ?? null, opts.retainGraph ?? false);
  }
  /** Zeroes `.grad` in place (no-op when there is none). */
  zeroGrad(): void {
    lib().zeroGrad(this.handle);
  }
  /** A tensor sharing storage but cut from the graph (requiresGrad false). */
  detach(): Tensor {
    return wrap(lib().detach(this.handle));
  }
  /** A copy with its own storage (differentiable). */
  clone(): Tensor {
    return wrap(lib().clone(this.handle));
  }

  // --- conversion -----------------------------------------------------------------------------

  /** Converts the element type (differentiable for float↔float). Returns a new tensor even if equal. */
  toDtype(dtype: DType): Tensor {
    return wrap(lib().toDtype(this.handle, dtype));
  }
  /** Moves to a device ('cpu', 'cuda', 'cuda:1'). */
  to(device: Device): Tensor {
    return wrap(lib().toDevice(this.handle, device));
  }
  /** A contiguous (row-major) tensor with the same values (a new handle on the same storage if already contiguous). */
  contiguous(): Tensor {
    return wrap(lib().contiguous(this.handle));
  }

  // --- elementwise arithmetic (broadcasting like PyTorch) ---------------------------------------

  /** this + other. */
  add(other: Tensor | number): Tensor {
    return wrap(lib().add(this.handle, ts(other)));
  }
  /** this − other. */
  sub(other: Tensor | number): Tensor {
    return wrap(lib().sub(this.handle, ts(other)));
  }
  /** this ⊙ other. */
  mul(other: Tensor | number): Tensor {
    return wrap(lib().mul(this.handle, ts(other)));
  }
  /** this / other (true division). */
  div(other: Tensor | number): Tensor {
    return wrap(lib().div(this.handle, ts(other)));
  }
  /** this ^ exponent, elementwise. */
  pow(exponent: Tensor | number): Tensor {
    return wrap(lib().pow(this.handle, ts(exponent)));
  }
  /** Elementwise max(this, other). */
  maximum(other: Tensor): Tensor {
    return wrap(lib().maximum(this.handle, other.handle));
  }
  /** Elementwise min(this, other). */
  minimum(other: Tensor): Tensor {
    return wrap(lib().minimum(this.handle, other.handle));
  }
  /** atan2(this, other): the angle of (other, this) = (re, im), in radians (−π, π]. */
  atan2(other: Tensor): Tensor {
    return wrap(lib().atan2(this.handle, other.handle));
  }
  /** −this. */
  neg(): Tensor {
    return wrap(lib().unary('neg', this.handle));
  }
  /** |this|. */
  abs(): Tensor {
    return wrap(lib().unary('abs', this.handle));
  }
  /** sign(this) ∈ {−1, 0, 1} (zero gradient). */
  sign(): Tensor {
    return wrap(lib().unary('sign', this.handle));
  }
  /** √this. */
  sqrt(): Tensor {
    return wrap(lib().unary('sqrt', this.handle));
  }
  /** this². */
  square(): Tensor {
    return wrap(lib().unary('square', this.handle));
  }
  /** eˣ. */
  exp(): Tensor {
    return wrap(lib().unary('exp', this.handle));
  }
  /** Natural log. */
  log(): Tensor {
    return wrap(lib().unary('log', this.handle));
  }
  /** sin (radians). */
  sin(): Tensor {
    return wrap(lib().unary('sin', this.handle));
  }
  /** cos (radians). */
  cos(): Tensor {
    return wrap(lib().unary('cos', this.handle));
  }
  /** 1 / this. */
  reciprocal(): Tensor {
    return wrap(lib().unary('reciprocal', this.handle));
  }
  /** Clamps to [min, max]; pass null (or omit) for an open side. */
  clamp(min: number | null = null, max: number | null = null): Tensor {
    return wrap(lib().clamp(this.handle, min, max));
  }

  // --- activations ----------------------------------------------------------------------------

  /** max(0, x). */
  relu(): Tensor {
    return wrap(lib().unary('relu', this.handle));
  }
  /** 1 / (1 + e^−x). */
  sigmoid(): Tensor {
    return wrap(lib().unary('sigmoid', this.handle));
  }
  /** tanh(x). */
  tanh(): Tensor {
    return wrap(lib().unary('tanh', this.handle));
  }
  /** x for x > 0, alpha·(eˣ − 1) otherwise. */
  elu(alpha = 1): Tensor {
    return wrap(lib().elu(this.handle, alpha));
  }
  /** (1/β)·log(1 + e^(βx)); linear above `threshold` (PyTorch F.softplus). */
  softplus(beta = 1, threshold = 20): Tensor {
    return wrap(lib().softplus(this.handle, beta, threshold));
  }
  /**
   * PReLU: x for x ≥ 0, a·x otherwise, with learnable `weight` of 1 element or one per channel
   * (dim 1), as PyTorch nn.PReLU.
   */
  prelu(weight: Tensor): Tensor {
    return wrap(lib().prelu(this.handle, weight.handle));
  }

  // --- comparisons (bool results, no gradient) ------------------------------------------------

  /** this > other (bool). */
  gt(other: Tensor | number): Tensor {
    return wrap(lib().gt(this.handle, ts(other)));
  }
  /** this < other (bool). */
  lt(other: Tensor | number): Tensor {
    return wrap(lib().lt(this.handle, ts(other)));
  }
  /** this ≥ other (bool). */
  ge(other: Tensor | number): Tensor {
    return wrap(lib().ge(this.handle, ts(other)));
  }
  /** this ≤ other (bool). */
  le(other: Tensor | number): Tensor {
    return wrap(lib().le(this.handle, ts(other)));
  }
  /** this == other (bool). */
  eq(other: Tensor | number): Tensor {
    return wrap(lib().eq(this.handle, ts(other)));
  }

  // --- linear algebra -------------------------------------------------------------------------

  /** Matrix product with PyTorch's broadcasting rules (1-D, 2-D and batched). */
  matmul(other: Tensor): Tensor {
    return wrap(lib().matmul(this.handle, other.handle));
  }

  // --- shape ----------------------------------------------------------------------------------

  /** Same elements, new shape (one dim may be -1); a view when possible, else a copy. */
  reshape(shape: Shape): Tensor {
    return wrap(lib().reshape(this.handle, [...shape]));
  }
  /** Like reshape but always a view (throws if the layout does not allow it). */
  view(shape: Shape): Tensor {
    return wrap(lib().view(this.handle, [...shape]));
  }
  /** Reorders dims: result dim i is this dim dims[i] (a view). */
  permute(dims: readonly number[]): Tensor {
    return wrap(lib().permute(this.handle, [...dims]));
  }
  /** Swaps two dims (a view). */
  transpose(dim0: number, dim1: number): Tensor {
    return wrap(lib().transpose(this.handle, dim0, dim1));
  }
  /** Removes dim `dim` if it has size 1, or every size-1 dim when `dim` is omitted. */
  squeeze(dim?: number): Tensor {
    return wrap(lib().squeeze(this.handle, dim ?? null));
  }
  /** Inserts a size-1 dim at `dim`. */
  unsqueeze(dim: number): Tensor {
    return wrap(lib().unsqueeze(this.handle, dim));
  }
  /** Merges dims startDim..endDim (inclusive) into one. */
  flatten(startDim = 0, endDim = -1): Tensor {
    return wrap(lib().flatten(this.handle, startDim, endDim));
  }
  /** Broadcasts size-1 dims to `shape` (-1 keeps a dim) without copying. */
  expand(shape: Shape): Tensor {
    return wrap(lib().expand(this.handle, [...shape]));
  }
  /** Elements start, start+step, ... < end along `dim` (a view; end defaults to the dim size; negatives count from the end). */
  slice(dim: number, start: number, end?: number, step = 1): Tensor {
    return wrap(lib().slice(this.handle, dim, start, end ?? null, step));
  }
  /** `length` elements from `start` along `dim` (a view). */
  narrow(dim: number, start: number, length: number): Tensor {
    return wrap(lib().narrow(this.handle, dim, start, length));
  }
  /** Gathers the given indices along `dim` (a copy; differentiable w.r.t. this). */
  indexSelect(dim: number, index: Tensor | readonly number[]): Tensor {
    if (index instanceof Tensor) return wrap(lib().indexSelect(this.handle, dim, index.handle));
    const idx = tensor(Int32Array.from(index), [index.length], { dtype: 'int64' });
    try {
      return wrap(lib().indexSelect(this.handle, dim, idx.handle));
    } finally {
      idx.dispose();
    }
  }
  /**
   * Splits along `dim` into pieces of `size` elements (last one shorter) or, given a list, into
   * pieces of exactly those sizes (must sum to the dim size). Views.
   */
  split(sizeOrSizes: number | readonly number[], dim = 0): Tensor[] {
    let sizes: number[];
    if (typeof sizeOrSizes === 'number') {
      const n = this.shape.at(dim);
      if (n === undefined) throw new Error(`split: dim ${dim} out of range for shape [${this.shape.join(', ')}]`);
      if (!(sizeOrSizes > 0)) throw new Error(`split: size must be positive, got ${sizeOrSizes}`);
      sizes = [];
      for (let s = 0; s < n; s += sizeOrSizes) sizes.push(Math.min(sizeOrSizes, n - s));
    } else sizes = [...sizeOrSizes];
    return lib().split(this.handle, sizes, dim).map(wrap);
  }
  /** Splits along `dim` into `chunks` nearly equal pieces (PyTorch torch.chunk). Views. */
  chunk(chunks: number, dim = 0): Tensor[] {
    return lib().chunk(this.handle, chunks, dim).map(wrap);
  }
  /**
   * Constant padding like PyTorch F.pad: `pads` = [lastBefore, lastAfter, secondLastBefore, ...],
   * so [1, 0] pads one element on the left of the last dim. Negative values crop.
   */
  pad(pads: readonly number[], value = 0): Tensor {
    return wrap(lib().pad(this.handle, [...pads], value));
  }

  // --- reductions -----------------------------------------------------------------------------

  /** Sum over `dims` (all dims when omitted, giving a 0-d tensor). */
  sum(dims?: number | readonly number[], keepdim = false): Tensor {
    return wrap(lib().sum(this.handle, dimsArg(dims), keepdim));
  }
  /** Mean over `dims` (all when omitted). */
  mean(dims?: number | readonly number[], keepdim = false): Tensor {
    return wrap(lib().mean(this.handle, dimsArg(dims), keepdim));
  }
  /** Vector p-norm over `dims` (all when omitted): p = 1 → Σ|x|, p = 2 → √Σx². */
  norm(p = 2, dims?: number | readonly number[], keepdim = false): Tensor {
    return wrap(lib().norm(this.handle, p, dimsArg(dims), keepdim));
  }
  /** Maximum over `dims` (all when omitted); gradient flows to the maxima (split evenly on ties). */
  max(dims?: number | readonly number[], keepdim = false): Tensor {
    return wrap(lib().amax(this.handle, dimsArg(dims), keepdim));
  }
  /** Minimum over `dims` (all when omitted). */
  min(dims?: number | readonly number[], keepdim = false): Tensor {
    return wrap(lib().amin(this.handle, dimsArg(dims), keepdim));
  }

  /** Short description for debugging: `Tensor(float32 [2, 3] cpu)`. */
  toString(): string {
    if (this.#h === null) return 'Tensor(disposed)';
    return `Tensor(${this.dtype} [${this.shape.join(', ')}] ${this.device})`;
  }
}

// ---------------------------------------------------------------------------------------------
// Free functions: engine settings
// ---------------------------------------------------------------------------------------------

/** libtorch's version string, e.g. "1.13.0". */
export function version(): string {
  return lib().version();
}
/** Sets libtorch's intra-op thread count (the addon sets 2 when it loads). */
export function setNumThreads(n: number): void {
  lib().setNumThreads(n);
}
/** libtorch's intra-op thread count. */
export function getNumThreads(): number {
  return lib().getNumThreads();
}
/**
 * OpenBLAS's thread count (it follows setNumThreads: OpenBLAS's pool would otherwise spin on every
 * core next to libtorch's threads), or −1 when libtorch's BLAS is not OpenBLAS.
 */
export function blasNumThreads(): number {
  return lib().blasNumThreads();
}
/** Seeds libtorch's generators (randn, rand, dropout) for reproducible runs. */
export function manualSeed(seed: number): void {
  lib().manualSeed(seed);
}
/** True when libtorch was built with CUDA and a GPU is visible. */
export function cudaAvailable(): boolean {
  return lib().cudaAvailable();
}
/** Number of live native tensor handles (created and neither disposed nor finalised). For leak tests. */
export function liveTensors(): number {
  return lib().liveTensors();
}

/**
 * Runs `fn` with autograd recording off (torch.no_grad): results do not require grad and no graph
 * is kept. Use for validation, sensitivity analysis and in-place parameter edits. Nests.
 */
export function noGrad<T>(fn: () => T): T {
  const n = lib();
  const prev = n.isGradEnabled();
  n.setGradEnabled(false);
  try {
    return fn();
  } finally {
    n.setGradEnabled(prev);
  }
}

/**
 * Rescales the gradients of `params` in place so that their joint `normType`-norm is at most
 * `maxNorm` (torch.nn.utils.clip_grad_norm_). Returns the norm before clipping.
 */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number, normType = 2): number {
  return lib().clipGradNorm(params.map((p) => p.handle), maxNorm, normType);
}

// ---------------------------------------------------------------------------------------------
// Free functions: creation
// ---------------------------------------------------------------------------------------------

function cOpts(o: CreateOptions | undefined): [DType, string, boolean] {
  return [o?.dtype ?? 'float32', o?.device ?? 'cpu', o?.requiresGrad ?? false];
}

/**
 * A tensor holding a COPY of `data` (row-major) with the given shape (default 1-D). The dtype
 * defaults to the array's own: float32 for Float32Array and number[], float64 for Float64Array,
 * int64 for Int32Array.
 */
export function tensor(data: HostData, shape?: Shape, opts?: CreateOptions): Tensor {
  const host = hostArray(data);
  const [, device, rg] = cOpts(opts);
  const dtype = opts?.dtype ?? naturalDType(data);
  return wrap(lib().fromArray(host, [...(shape ?? [host.length])], dtype, device, rg));
}
/** `tensor(data, shape)` as float32: the usual way in from the DSP code. Copies. */
export function fromFloat32Array(data: Float32Array, shape: Shape, opts?: Omit<CreateOptions, 'dtype'>): Tensor {
  return tensor(data, shape, { ...opts, dtype: 'float32' });
}
/** All zeros. */
export function zeros(shape: Shape, opts?: CreateOptions): Tensor {
  return wrap(lib().zeros([...shape], ...cOpts(opts)));
}
/** All ones. */
export function ones(shape: Shape, opts?: CreateOptions): Tensor {
  return wrap(lib().ones([...shape], ...cOpts(opts)));
}
/** All `value`. */
export function full(shape: Shape, value: number, opts?: CreateOptions): Tensor {
  const [d, dev, rg] = cOpts(opts);
  return wrap(lib().full([...shape], value, d, dev, rg));
}
/** Standard normal samples (seed with `manualSeed`). */
export function randn(shape: Shape, opts?: CreateOptions): Tensor {
  return wrap(lib().randn([...shape], ...cOpts(opts)));
}
/** Uniform samples in [0, 1) (seed with `manualSeed`). */
export function rand(shape: Shape, opts?: CreateOptions): Tensor {
  return wrap(lib().rand([...shape], ...cOpts(opts)));
}
/** start, start+step, ... < end (1-D; default dtype float32). */
export function arange(start: number, end: number, step = 1, opts?: Omit<CreateOptions, 'requiresGrad'>): Tensor {
  return wrap(lib().arange(start, end, step, opts?.dtype ?? 'float32', opts?.device ?? 'cpu'));
}
/** Zeros with the shape, dtype and device of `t`. */
export function zerosLike(t: Tensor): Tensor {
  return zeros(t.shape, { dtype: t.dtype, device: t.device as Device });
}
/** Ones with the shape, dtype and device of `t`. */
export function onesLike(t: Tensor): Tensor {
  return ones(t.shape, { dtype: t.dtype, device: t.device as Device });
}

// ---------------------------------------------------------------------------------------------
// Free functions: layers
// ---------------------------------------------------------------------------------------------

/** a · b (see Tensor.matmul). */
export function matmul(a: Tensor, b: Tensor): Tensor {
  return a.matmul(b);
}
/** x · Wᵀ + b with x [..., In], weight [Out, In], bias [Out] (PyTorch nn.Linear layout). */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return wrap(lib().linear(x.handle, weight.handle, bias?.handle ?? null));
}
/** 1-D convolution: x [N, Cin, L], weight [Cout, Cin/groups, K], bias [Cout]. */
export function conv1d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvOptions = {}): Tensor {
  return wrap(
    lib().conv1d(
      x.handle, weight.handle, bias?.handle ?? null,
      expand(opts.stride, 1, 1), expand(opts.padding, 1, 0), expand(opts.dilation, 1, 1), opts.groups ?? 1,
    ),
  );
}
/** 2-D convolution: x [N, Cin, H, W], weight [Cout, Cin/groups, kH, kW], bias [Cout]. */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvOptions = {}): Tensor {
  return wrap(
    lib().conv2d(
      x.handle, weight.handle, bias?.handle ?? null,
      expand(opts.stride, 2, 1), expand(opts.padding, 2, 0), expand(opts.dilation, 2, 1), opts.groups ?? 1,
    ),
  );
}
/**
 * 2-D transposed convolution: x [N, Cin, H, W], weight [Cin, Cout/groups, kH, kW] (PyTorch's
 * ConvTranspose2d layout), bias [Cout]. Output size per dim:
 * (in − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1.
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts: ConvTransposeOptions = {}): Tensor {
  return wrap(
    lib().convTranspose2d(
      x.handle, weight.handle, bias?.handle ?? null,
      expand(opts.stride, 2, 1), expand(opts.padding, 2, 0), expand(opts.outputPadding, 2, 0),
      opts.groups ?? 1, expand(opts.dilation, 2, 1),
    ),
  );
}
/**
 * Multi-layer LSTM over a whole sequence (torch.lstm, PyTorch nn.LSTM semantics). `params` is the
 * flat per-layer list [weight_ih_l0 [4H, In], weight_hh_l0 [4H, H], bias_ih_l0 [4H], bias_hh_l0 [4H],
 * weight_ih_l1, ...] with gates stacked in the order i, f, g, o (biases omitted when
 * hasBiases=false). x is [T, B, In] ([B, T, In] with batchFirst).
 */
export function lstm(x: Tensor, params: readonly Tensor[], opts: LstmOptions = {}): LstmResult {
  const hasBiases = opts.hasBiases ?? true;
  const per = hasBiases ? 4 : 2;
  if (params.length === 0 || params.length % per !== 0) {
    throw new Error(`lstm: expected a multiple of ${per} parameter tensors, got ${params.length}`);
  }
  const [o, h, c] = lib().lstm(
    x.handle, params.map((p) => p.handle), opts.h0?.handle ?? null, opts.c0?.handle ?? null,
    hasBiases, params.length / per, opts.dropout ?? 0, opts.training ?? false, opts.batchFirst ?? false,
  );
  return { output: wrap(o), h: wrap(h), c: wrap(c) };
}
/** Batch normalisation over dim 1 (channels) of x [N, C, ...] (PyTorch F.batch_norm). */
export function batchNorm(x: Tensor, opts: BatchNormOptions): Tensor {
  return wrap(
    lib().batchNorm(
      x.handle, opts.weight?.handle ?? null, opts.bias?.handle ?? null,
      opts.runningMean?.handle ?? null, opts.runningVar?.handle ?? null,
      opts.training, opts.momentum ?? 0.1, opts.eps ?? 1e-5,
    ),
  );
}
/** Layer normalisation over the trailing dims `normalizedShape`, with optional affine weight/bias of that shape. */
export function layerNorm(x: Tensor, normalizedShape: Shape, weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  return wrap(lib().layerNorm(x.handle, [...normalizedShape], weight?.handle ?? null, bias?.handle ?? null, eps));
}
/** Mean (default), sum, or elementwise squared error between input and target (broadcasting). */
export function mseLoss(input: Tensor, target: Tensor, reduction: 'mean' | 'sum' | 'none' = 'mean'): Tensor {
  return wrap(lib().mseLoss(input.handle, target.handle, reduction));
}

// ---------------------------------------------------------------------------------------------
// Free functions: combining tensors
// ---------------------------------------------------------------------------------------------

/** Concatenates along an existing dim. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  return wrap(lib().cat(tensors.map((t) => t.handle), dim));
}
/** Stacks equal-shaped tensors along a new dim. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  return wrap(lib().stack(tensors.map((t) => t.handle), dim));
}
/** Elementwise `cond ? a : b` (cond bool; broadcasting; differentiable w.r.t. a and b). */
export function where(cond: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  return wrap(lib().where(cond.handle, ts(a), ts(b)));
}
/** `s − t` with a scalar on the left. */
export function rsub(s: number, t: Tensor): Tensor {
  return wrap(lib().rsub(t.handle, s));
}
/** `s / t` with a scalar on the left. */
export function rdiv(s: number, t: Tensor): Tensor {
  return wrap(lib().rdiv(t.handle, s));
}

// ---------------------------------------------------------------------------------------------
// Optimiser
// ---------------------------------------------------------------------------------------------

/**
 * Adam / AMSGrad (torch::optim::Adam with amsgrad(true) by default, as in the paper) or AdamW.
 * Holds its own references to the parameters: disposing a parameter's JS handle does not free it
 * while the optimiser lives. Typical loop:
 *
 *   const opt = new Adam(params, { lr: 1e-3 });
 *   for (...) { tidy(() => { opt.zeroGrad(); const loss = ...; loss.backward(); opt.step(); }); }
 *   if (epoch % 2 === 1) opt.setLr(opt.getLr() * 0.98);
 */
export class Adam {
  #o: NativeOptim | null;
  readonly #params: readonly Tensor[];

  /** `params`: leaf tensors with requiresGrad (the order defines the state indices). */
  constructor(params: readonly Tensor[], opts: AdamOptions = {}) {
    const [b1, b2] = opts.betas ?? [0.9, 0.999];
    this.#params = [...params];
    this.#o = lib().adamNew(
      params.map((p) => p.handle), opts.lr ?? 1e-3, b1, b2, opts.eps ?? 1e-8, opts.weightDecay ?? 0,
      opts.amsgrad ?? true, opts.decoupledWeightDecay ?? false,
    );
  }
  get #handle(): NativeOptim {
    if (this.#o === null) throw new Error('Adam optimiser is disposed');
    return this.#o;
  }
  /** The parameters, in state-index order. */
  get params(): readonly Tensor[] {
    return this.#params;
  }
  /** One update of every parameter from its `.grad` (parameters without grad are skipped). */
  step(): void {
    lib().adamStep(this.#handle);
  }
  /** Zeroes every parameter's gradient. */
  zeroGrad(): void {
    lib().adamZeroGrad(this.#handle);
  }
  /** Current learning rate. */
  getLr(): number {
    return lib().adamGetLr(this.#handle);
  }
  /** Sets the learning rate (e.g. ×0.98 every two epochs). */
  setLr(lr: number): void {
    lib().adamSetLr(this.#handle, lr);
  }
  /**
   * Per-parameter state (index = position in `params`), null for parameters never stepped. The
   * tensors are new handles on the live state (mutated by later steps): clone or copy them out
   * (e.g. to safetensors) to snapshot. Tracked by tidy like any tensor.
   */
  getState(): (AdamParamState | null)[] {
    return lib().adamGetState(this.#handle).map((s) =>
      s === null
        ? null
        : { step: s.step, expAvg: wrap(s.expAvg), expAvgSq: wrap(s.expAvgSq), maxExpAvgSq: wrap(s.maxExpAvgSq) },
    );
  }
  /** Restores state saved with `getState` (copied; shapes must match the parameters). null entries are skipped. */
  setState(states: readonly (AdamParamState | null)[]): void {
    if (states.length !== this.#params.length) {
      throw new Error(`Adam.setState: ${states.length} states for ${this.#params.length} parameters`);
    }
    states.forEach((s, i) => {
      if (s !== null) {
        lib().adamSetState(this.#handle, i, s.step, s.expAvg.handle, s.expAvgSq.handle, s.maxExpAvgSq.handle);
      }
    });
  }
  /** Frees the optimiser state now (otherwise freed by the garbage collector). */
  dispose(): void {
    this.#o = null;
  }
}

// ---------------------------------------------------------------------------------------------
// The `torch` namespace object
// ---------------------------------------------------------------------------------------------

// Method forms as free functions, for formula-style code (`torch.add(a, b)` or `import { add }`).

/** a + b (see Tensor.add). */
export function add(a: Tensor, b: Tensor | number): Tensor {
  return a.add(b);
}
/** a − b (see Tensor.sub). */
export function sub(a: Tensor, b: Tensor | number): Tensor {
  return a.sub(b);
}
/** a ⊙ b (see Tensor.mul). */
export function mul(a: Tensor, b: Tensor | number): Tensor {
  return a.mul(b);
}
/** a / b (see Tensor.div). */
export function div(a: Tensor, b: Tensor | number): Tensor {
  return a.div(b);
}
/** max(0, x). */
export function relu(x: Tensor): Tensor {
  return x.relu();
}
/** Logistic sigmoid. */
export function sigmoid(x: Tensor): Tensor {
  return x.sigmoid();
}
/** tanh. */
export function tanh(x: Tensor): Tensor {
  return x.tanh();
}
/** ELU (see Tensor.elu). */
export function elu(x: Tensor, alpha = 1): Tensor {
  return x.elu(alpha);
}
/** PReLU with learnable weight (see Tensor.prelu). */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  return x.prelu(weight);
}
/** Softplus (see Tensor.softplus). */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  return x.softplus(beta, threshold);
}
/** Constant padding, F.pad's list order (see Tensor.pad). */
export function pad(x: Tensor, pads: readonly number[], value = 0): Tensor {
  return x.pad(pads, value);
}
/** Reshape (see Tensor.reshape). */
export function reshape(x: Tensor, shape: Shape): Tensor {
  return x.reshape(shape);
}

/** Every free function in one object, for `torch.conv2d(...)`-style code. */
export const torch = {
  version, setNumThreads, getNumThreads, blasNumThreads, manualSeed, cudaAvailable, liveTensors, isTorchAvailable,
  noGrad, tidy, clipGradNorm,
  tensor, fromFloat32Array, zeros, ones, full, randn, rand, arange, zerosLike, onesLike,
  matmul, linear, conv1d, conv2d, convTranspose2d, lstm, batchNorm, layerNorm, mseLoss,
  cat, stack, where, rsub, rdiv,
  add, sub, mul, div, relu, sigmoid, tanh, elu, prelu, softplus, pad, reshape,
} as const;
