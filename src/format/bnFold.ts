/**
 * BatchNorm folding at export: a BatchNorm that directly follows a convolution (no nonlinearity in
 * between) is an affine map per output channel, so it can be merged into the convolution:
 *   y = γ · (W∗x + b − μ) / √(σ² + ε) + β   ⇒   W' = s·W,  b' = s·(b − μ) + β,  s = γ / √(σ² + ε)
 * (per output channel c). The BatchNorm's tensors are then absent from the `.hush` file, and the conv's
 * weight and bias carry HUSH_TF_BN_FOLDED so the runtime knows to skip the BN (docs/format.md
 * "BatchNorm folding"). Arithmetic in f64, rounded once to f32.
 *
 * Which (conv, bn) pairs may be folded is the exporter's decision: only when the BN is applied to the
 * conv's output directly (TCNN encoder Conv → BN; not TCM's Conv → PReLU → BN, not GCRN's gated
 * product → BN).
 */
import { UserError } from '../errors.js';

/** A named dense tensor (safetensors view). */
export interface DenseTensor {
  shape: number[];
  data: Float32Array;
}

/** One folding: conv module prefix (`enc1.conv`), BN module prefix (`enc1.bn`), and the conv's output-channel axis. */
export interface BnFoldPair {
  conv: string;
  bn: string;
  /** 0 for Conv1d/Conv2d weights [out, in, …]; 1 for ConvTranspose weights [in, out, …] (groups = 1). Default 0. */
  outAxis?: 0 | 1;
}

/** PyTorch's BatchNorm default. */
export const BN_EPS_DEFAULT = 1e-5;

/**
 * Returns a new tensor map with each pair's BN folded into its conv: `<conv>.weight` scaled,
 * `<conv>.bias` created or updated, and `<bn>.weight|bias|running_mean|running_var|num_batches_tracked`
 * removed. `folded` lists the conv tensor names to flag HUSH_TF_BN_FOLDED. Order of the remaining
 * tensors is kept; a created bias goes right after its weight. Throws UserError on missing tensors or
 * mismatched channel counts.
 */
export function bnFoldIntoConv(
  tensors: Map<string, DenseTensor>,
  pairs: readonly BnFoldPair[],
  eps: number = BN_EPS_DEFAULT,
): { tensors: Map<string, DenseTensor>; folded: Set<string> } {
  const out = new Map<string, DenseTensor>();
  for (const [k, t] of tensors) out.set(k, { shape: t.shape.slice(), data: Float32Array.from(t.data) });
  const folded = new Set<string>();
  for (const { conv, bn, outAxis = 0 } of pairs) {
    const get = (name: string) => {
      const t = out.get(name);
      if (!t) throw new UserError(`BatchNorm folding ${bn} → ${conv}: tensor ${name} is missing`);
      return t;
    };
    const w = get(`${conv}.weight`);
    const gamma = get(`${bn}.weight`).data;
    const beta = get(`${bn}.bias`).data;
    const mean = get(`${bn}.running_mean`).data;
    const variance = get(`${bn}.running_var`).data;
    if (w.shape.length < 2) throw new UserError(`BatchNorm folding: ${conv}.weight has shape ${JSON.stringify(w.shape)}, not a conv weight`);
    const channels = w.shape[outAxis];
    for (const [n, v] of [['weight', gamma], ['bias', beta], ['running_mean', mean], ['running_var', variance]] as const) {
      if (v.length !== channels) throw new UserError(`BatchNorm folding: ${bn}.${n} has ${v.length} channels, ${conv}.weight has ${channels} on axis ${outAxis}`);
    }
    const scale = Float64Array.from({ length: channels }, (_, c) => gamma[c] / Math.sqrt(variance[c] + eps));
    // weight: element p belongs to output channel ⌊p / inner⌋ mod channels, inner = product of dims after outAxis
    const inner = w.shape.slice(outAxis + 1).reduce((a, b) => a * b, 1);
    for (let p = 0; p < w.data.length; p++) w.data[p] = w.data[p] * scale[Math.floor(p / inner) % channels];
    const biasName = `${conv}.bias`;
    const oldBias = out.get(biasName)?.data ?? new Float32Array(channels);
    if (oldBias.length !== channels) throw new UserError(`BatchNorm folding: ${biasName} has ${oldBias.length} values, expected ${channels}`);
    const bias = Float32Array.from({ length: channels }, (_, c) => scale[c] * (oldBias[c] - mean[c]) + beta[c]);
    if (!out.has(biasName)) {
      // re-insert to keep the bias next to its weight
      const entries = [...out.entries()];
      out.clear();
      for (const [k, t] of entries) {
        out.set(k, t);
        if (k === `${conv}.weight`) out.set(biasName, { shape: [channels], data: bias });
      }
    } else out.set(biasName, { shape: [channels], data: bias });
    for (const n of ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']) out.delete(`${bn}.${n}`);
    folded.add(`${conv}.weight`);
    folded.add(biasName);
  }
  return { tensors: out, folded };
}
