/**
 * Parity test models (test/runtime/ and tools/bench/parityEdge.ts): seeded weights for any
 * ArchConfig (PyTorch-default initialisation from src/models/paramInit.ts, plus random
 * BatchNorm/LayerNorm statistics and affine parameters and PReLU slopes so that every normalisation
 * actually does something), and the encodings a `.hush` file can hold, applied so that libtorch runs
 * exactly the weights the file stores:
 *
 *   f32              every tensor dense f32
 *   f16              weights rounded to f16 and stored as f16 (biases and norms f32)
 *   pruned           85 % of each weight's smallest-magnitude values zeroed, stored 'sparse' (values + positions):
 *                    sparse enough that the fast plan repacks the matrices SELL-4
 *   pruned-columns   half the columns of every matrix zeroed (C2's structured groups), stored 'sparse' with
 *                    'groups' sparsity; conv kernels unstructured-pruned
 *   kmeans           every weight quantised to K = 16 centroids (4-bit indices, 10 Lloyd iterations from a
 *                    linear init over [min, max] as the paper's Alg. 3 does)
 *   kmeans-pruned    C1: 60 % pruned, then K = 8 on the nonzeros; sparsity alternating bitmap / delta / auto
 *   kmeans-columns   C2: half the columns pruned, then K = 8; 'groups' sparsity
 *   blocks           block-sparse pruning (src/compress/blocks.ts, format minor 2): every weight that blocks.ts
 *                    prunes in blocks (Linear / LSTM matrices, 1×1 Conv1d, Conv2d and ConvTranspose2d kernels)
 *                    with 60 % of its blocks (smallest ℓ2) zeroed, block shape 4x1 / 8x1 / 1x4 in turn (the
 *                    first that applies and tiles its matrix view), stored 'sparse' with 'blocks' sparsity;
 *                    other weights (depthwise convs, untileable shapes) 60 % unstructured-pruned
 *   kmeans-blocks    the same, then K = 8 on the nonzeros (k-means indices in block order)
 *   mpo              every matrix replaced by a random 2-core MPO (bond 3) and stored as its cores; the
 *                    libtorch net runs the contracted matrix (src/format/mpo.ts, f64 → f32 once). The
 *                    libtorch nets have no MPO layers: MPO is a storage/runtime form of a dense matrix.
 * TCNN's Conv→BN pairs (encoder conv → bn, decoder deconv → bn) are folded at export for 'f32' and
 * 'kmeans' (the runtime skips the BN: HUSH_TF_BN_FOLDED) and kept as BN tensors otherwise.
 */
import { bnFoldIntoConv, f16RoundArray, hushTensorDense, kmeansFromDense, writeHush, type HushTensor } from '../../src/format/index.js';
import { paramInitValues, paramSpecs, presetConfig, prngUniform, type ArchConfig, type ParamSpec } from '../../src/models/index.js';
import { isMatrixSpec } from '../../src/models/paramSpec.js';
import { TCNN_NAMES } from '../../src/models/tcnnLayout.js';
import { blockLayout, maskBlocks } from '../../src/compress/blocks.js';
import { maskFromNonzero } from '../../src/compress/masks.js';
import type { HushBlockShape } from '../../src/format/tensor.js';

export const ENCODINGS = ['f32', 'f16', 'pruned', 'pruned-columns', 'kmeans', 'kmeans-pruned', 'kmeans-columns', 'mpo', 'blocks', 'kmeans-blocks'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export interface HostTensor {
  shape: number[];
  data: Float32Array;
}

/** Seeded weights for every parameter and buffer but num_batches_tracked. */
export function testWeights(config: ArchConfig, seed: number): Map<string, HostTensor> {
  const specs = paramSpecs(config);
  const init = paramInitValues(specs, seed);
  const rnd = prngUniform(seed * 7919 + 17);
  const u = (lo: number, hi: number) => lo + (hi - lo) * rnd();
  const out = new Map<string, HostTensor>();
  for (const s of specs) {
    if (s.name.endsWith('.num_batches_tracked')) continue;
    const data = Float32Array.from(init.get(s.name)!);
    if (s.kind === 'norm' || s.kind === 'norm_stat' || s.kind === 'prelu') {
      for (let i = 0; i < data.length; i++) {
        if (s.kind === 'prelu') data[i] = u(0.05, 0.4);
        else if (s.name.endsWith('.running_var')) data[i] = u(0.5, 2);
        else if (s.name.endsWith('.running_mean')) data[i] = u(-0.3, 0.3);
        else if (s.name.endsWith('.weight')) data[i] = u(0.7, 1.4);
        else data[i] = u(-0.2, 0.2);
      }
    }
    out.set(s.name, { shape: s.shape.slice(), data });
  }
  return out;
}

/** True for tensors an encoding compresses (matrices and conv kernels; not biases, norms, slopes). */
function isWeight(s: ParamSpec): boolean {
  return s.kind === 'linear' || s.kind === 'lstm_ih' || s.kind === 'lstm_hh' || s.kind === 'conv' || s.kind === 'deconv';
}

/** Zeroes the `fraction` smallest-magnitude values (ties broken by position). */
function pruneSmallest(data: Float32Array, fraction: number): Float32Array {
  const order = Array.from(data.keys()).sort((a, b) => Math.abs(data[a]) - Math.abs(data[b]) || a - b);
  const out = Float32Array.from(data);
  for (let i = 0; i < Math.floor(fraction * data.length); i++) out[order[i]] = 0;
  return out;
}

/** Block shapes tried in turn (tensor k starts at shape k mod 3). */
const BLOCK_SHAPES: HushBlockShape[] = [[4, 1], [8, 1], [1, 4]];

/**
 * Block-prunes 60 % of the blocks of a weight (the first of BLOCK_SHAPES from k that applies and
 * tiles it); null when none applies (then the caller prunes unstructured).
 */
function pruneBlocks(s: ParamSpec, data: Float32Array, k: number): { data: Float32Array; block: HushBlockShape } | null {
  for (let i = 0; i < 3; i++) {
    const block = BLOCK_SHAPES[(k + i) % 3];
    const l = blockLayout(s, block);
    if (!l) continue;
    const mask = maskBlocks(data, maskFromNonzero(data), l, 60);
    return { data: data.map((v, p) => (mask[p] ? v : 0)), block };
  }
  return null;
}

/** Zeroes every other column (odd columns) of the matrix view [shape[0]][rest]. */
function pruneColumns(shape: number[], data: Float32Array): Float32Array {
  const rows = shape[0];
  const cols = data.length / rows;
  const out = Float32Array.from(data);
  for (let r = 0; r < rows; r++) for (let c = 1; c < cols; c += 2) out[r * cols + c] = 0;
  return out;
}

/** Nonzero positions, ascending. */
function positionsOf(data: Float32Array): Uint32Array {
  const p: number[] = [];
  data.forEach((v, i) => {
    if (v !== 0) p.push(i);
  });
  return Uint32Array.from(p);
}

/** K-means of the nonzero values: linear init over [min, max], 10 Lloyd iterations; returns the snapped copy and codebook. */
function kmeansQuantise(data: Float32Array, K: number): { values: Float32Array; codebook: Float32Array } {
  const nz = data.filter((v) => v !== 0);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of nz) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  let c = Array.from({ length: K }, (_, k) => (K === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * k) / (K - 1)));
  const nearest = (v: number) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (Math.abs(v - c[k]) < Math.abs(v - c[best])) best = k;
    return best;
  };
  for (let it = 0; it < 10; it++) {
    const sum = new Float64Array(K);
    const n = new Float64Array(K);
    for (const v of nz) {
      const k = nearest(v);
      sum[k] += v;
      n[k]++;
    }
    c = c.map((x, k) => (n[k] > 0 ? sum[k] / n[k] : x));
  }
  // f32 centroids, none exactly 0 (0 means "pruned"), distinct
  const codebook = Float32Array.from(new Set(Float32Array.from(c.map((x) => (x === 0 ? 1e-6 : x)))));
  c = Array.from(codebook);
  const values = data.map((v) => (v === 0 ? 0 : codebook[nearest(v)]));
  return { values, codebook };
}

/** Splits n into (a, n/a) with a the largest divisor ≤ √n. */
function factor2(n: number): [number, number] {
  let a = Math.floor(Math.sqrt(n));
  while (n % a !== 0) a--;
  return [a, n / a];
}

/** A random 2-core MPO (bond 3) for a [rows][cols] matrix, scaled to PyTorch-init magnitudes. */
function mpoRandom(shape: number[], seed: number): HushTensor {
  const rows = shape[0];
  const cols = shape.slice(1).reduce((a, b) => a * b, 1);
  const [i1, i2] = factor2(rows);
  const [j1, j2] = factor2(cols);
  const bond = 3;
  const rnd = prngUniform(seed);
  // entries of W are sums of `bond` products of two cores' entries: scale so |W| ≈ 1/√cols
  const s = Math.sqrt(1 / (Math.sqrt(cols) * Math.sqrt(bond)));
  const core = (sh: number[]) => ({ encoding: 'f32' as const, shape: sh, data: Float32Array.from({ length: sh.reduce((a, b) => a * b, 1) }, () => (2 * rnd() - 1) * s * 1.7) });
  return { encoding: 'mpo', shape, cores: [core([1, i1, j1, bond]), core([bond, i2, j2, 1])] };
}

/** TCNN's foldable (conv, bn) pairs. */
function tcnnFoldPairs(config: ArchConfig): { conv: string; bn: string; outAxis: 0 | 1 }[] {
  const n = (config.hparams.enc_channels as number[]).length;
  const pairs: { conv: string; bn: string; outAxis: 0 | 1 }[] = [];
  for (let j = 0; j < n; j++) {
    const e = TCNN_NAMES.encoder(j), d = TCNN_NAMES.decoder(j);
    pairs.push({ conv: e.conv, bn: e.bn, outAxis: 0 });
    pairs.push({ conv: d.deconv, bn: d.bn, outAxis: 1 });
  }
  return pairs;
}

/** A test model: the weights libtorch runs and the `.hush` file holding the same weights. */
export interface EncodedModel {
  config: ArchConfig;
  encoding: Encoding;
  /** What the libtorch net is built from (createNet weights). */
  reference: Map<string, HostTensor>;
  /** The `.hush` file. */
  hush: Uint8Array;
}

/**
 * Applies `encoding` to seeded weights (see the file comment) — or to `base` when given (e.g. a
 * trained checkpoint; every parameter and buffer but num_batches_tracked) — and writes the `.hush`
 * file. `reference` equals the file's tensors decoded (up to BN folding, which changes f32 rounding only).
 */
export function encodeModel(config: ArchConfig, encoding: Encoding, seed = 1, base?: ReadonlyMap<string, HostTensor>): EncodedModel {
  const specs = paramSpecs(config);
  const weights = base ?? testWeights(config, seed);
  const reference = new Map<string, HostTensor>();
  const tensors = new Map<string, HushTensor>();
  let n = 0;
  for (const s of specs) {
    const w = weights.get(s.name);
    if (!w) continue;
    let data = w.data;
    let t: HushTensor = { encoding: 'f32', shape: w.shape, data };
    if (isWeight(s)) {
      const k = n++;
      const matrix = isMatrixSpec(s);
      switch (encoding) {
        case 'f16':
          data = f16RoundArray(data);
          t = { encoding: 'f16', shape: w.shape, data };
          break;
        case 'pruned':
        case 'pruned-columns': {
          data = encoding === 'pruned-columns' && matrix ? pruneColumns(w.shape, data) : pruneSmallest(data, encoding === 'pruned' ? 0.85 : 0.6);
          const positions = positionsOf(data);
          t = { encoding: 'sparse', shape: w.shape, positions, values: data.filter((v) => v !== 0), sparsity: encoding === 'pruned-columns' && matrix ? 'groups' : 'auto' };
          break;
        }
        case 'kmeans':
        case 'kmeans-pruned':
        case 'kmeans-columns': {
          if (encoding === 'kmeans-pruned') data = pruneSmallest(data, 0.6);
          if (encoding === 'kmeans-columns') data = matrix ? pruneColumns(w.shape, data) : pruneSmallest(data, 0.5);
          const q = kmeansQuantise(data, encoding === 'kmeans' ? 16 : 8);
          data = q.values;
          const km = kmeansFromDense(s.name, w.shape, data, q.codebook);
          const sparsity = encoding === 'kmeans-columns' && matrix ? 'groups' : (['bitmap', 'delta', 'auto'] as const)[k % 3];
          t = km.positions === null ? km : { ...km, sparsity };
          break;
        }
        case 'blocks':
        case 'kmeans-blocks': {
          const b = pruneBlocks(s, data, k);
          data = b ? b.data : pruneSmallest(data, 0.6);
          const blocks = b ? { sparsity: 'blocks' as const, block: b.block } : {};
          if (encoding === 'blocks') {
            t = { encoding: 'sparse', shape: w.shape, positions: positionsOf(data), values: data.filter((v) => v !== 0), ...blocks };
          } else {
            const q = kmeansQuantise(data, 8);
            data = q.values;
            const km = kmeansFromDense(s.name, w.shape, data, q.codebook);
            t = km.positions === null ? km : { ...km, ...blocks };
          }
          break;
        }
        case 'mpo':
          if (matrix) {
            t = mpoRandom(w.shape, seed * 1000 + k);
            data = hushTensorDense(t);
          }
          break;
        default:
          break;
      }
    }
    reference.set(s.name, { shape: w.shape, data });
    tensors.set(s.name, t);
  }
  // BN folding (TCNN) on the dense f32 file tensors.
  if (config.arch === 'tcnn' && (encoding === 'f32' || encoding === 'kmeans')) {
    const dense = new Map<string, HostTensor>();
    for (const [name, t] of tensors) dense.set(name, { shape: t.shape, data: hushTensorDense(t) });
    const pairs = tcnnFoldPairs(config);
    const { tensors: foldedTensors, folded } = bnFoldIntoConv(dense, pairs);
    tensors.clear();
    for (const [name, t] of foldedTensors) {
      const spec = specs.find((s) => s.name === name)!;
      let out: HushTensor = { encoding: 'f32', shape: t.shape, data: t.data, bnFolded: folded.has(name) };
      if (encoding === 'kmeans' && isWeight(spec)) {
        // quantise the folded weight; libtorch then runs it behind an identity BatchNorm
        const q = kmeansQuantise(t.data, 16);
        out = { ...kmeansFromDense(name, t.shape, q.values, q.codebook), bnFolded: true };
        reference.set(name, { shape: t.shape, data: q.values });
      } else if (encoding === 'kmeans' && folded.has(name)) {
        reference.set(name, { shape: t.shape, data: t.data }); // the folded bias
      }
      tensors.set(name, out);
    }
    if (encoding === 'kmeans') {
      for (const { bn } of pairs) {
        const c = reference.get(`${bn}.weight`)!.shape[0];
        // identity in eval mode: (x − 0)/√(σ² + 1e-5)·1 + 0 with σ² + ε = 1 (to f32 rounding)
        reference.set(`${bn}.weight`, { shape: [c], data: new Float32Array(c).fill(1) });
        reference.set(`${bn}.bias`, { shape: [c], data: new Float32Array(c) });
        reference.set(`${bn}.running_mean`, { shape: [c], data: new Float32Array(c) });
        reference.set(`${bn}.running_var`, { shape: [c], data: new Float32Array(c).fill(1 - 1e-5) });
      }
    }
  }
  const hush = writeHush({ config, tensors, metadata: { test: `runtime parity ${encoding} seed ${seed}` } });
  return { config, encoding, reference, hush };
}

/** A deterministic test signal: a gliding harmonic tone plus noise, peak ≈ 0.5, `n` samples at 16 kHz. */
export function testSignal(n: number, seed = 3): Float32Array {
  const rnd = prngUniform(seed);
  const x = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const f = 150 + 250 * (i / n); // Hz
    phase += (2 * Math.PI * f) / 16000;
    const env = 0.5 + 0.5 * Math.sin((2 * Math.PI * 3 * i) / 16000);
    x[i] = 0.25 * env * (Math.sin(phase) + 0.5 * Math.sin(3 * phase) + 0.25 * Math.sin(7 * phase)) + 0.05 * (2 * rnd() - 1);
  }
  return x;
}

/**
 * An FDNN whose mask is exactly 1 (output layer weight 0, bias 30: σ(30) rounds to 1.0 in f32), so
 * the model is the WASM STFT round trip: output = input, once the delay is compensated.
 */
export function identityModel(): Uint8Array {
  const config = presetConfig('fdnn', 'tiny');
  const tensors = new Map<string, HushTensor>();
  for (const [name, t] of testWeights(config, 1)) {
    const data = name === 'out.weight' ? new Float32Array(t.data.length) : name === 'out.bias' ? new Float32Array(t.data.length).fill(30) : t.data;
    tensors.set(name, { encoding: 'f32', shape: t.shape, data });
  }
  return writeHush({ config, tensors, metadata: { test: 'identity mask' } });
}
