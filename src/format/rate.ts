/**
 * Size accounting of a compressed model (Tan & Wang TASLP 2021, §II-D, eq. 11):
 *   per k-means tensor, r = 32·N / (N·log2 K + 32·K), N = nonzero (stored) weights.
 * Summed over tensors "vs float32 of the uncompressed net", the paper's model rate is
 *   r_model = 32·P / Σ_t bits_t,
 * with P the uncompressed net's parameter count and bits_t the eq.-11 denominator generalised to every
 * encoding: k-means N·log2 K + w_c·K (w_c = 32 for an f32 codebook, 16 for f16), dense f32 32·n,
 * dense f16 16·n, sparse (pruned only) w·N, MPO the sum over its cores. Like the paper, this counts
 * neither sparsity patterns nor file overhead; the actual rate, 4·P / file bytes, does.
 */
import type { HushTensor } from './tensor.js';

/** Bits a tensor costs under eq. 11's accounting (log2 K exact, as in the paper). */
export function eq11Bits(t: HushTensor): number {
  switch (t.encoding) {
    case 'f32':
      return 32 * t.data.length;
    case 'f16':
      return 16 * t.data.length;
    case 'kmeans': {
      const k = t.codebook.length;
      return t.indices.length * Math.log2(k) + (t.codebookDtype === 'f16' ? 16 : 32) * k;
    }
    case 'sparse':
      return (t.valuesDtype === 'f16' ? 16 : 32) * t.values.length;
    case 'mpo':
      return t.cores.reduce((s, c) => s + eq11Bits(c), 0);
  }
}

/** Eq. 11 for one k-means tensor: 32·N / (N·log2 K + 32·K). */
export function eq11TensorRate(nonzeros: number, k: number): number {
  return (32 * nonzeros) / (nonzeros * Math.log2(k) + 32 * k);
}

/** The paper's model compression rate: 32·P / Σ eq11Bits over the file's tensors. */
export function eq11ModelRate(uncompressedParams: number, tensors: Iterable<HushTensor>): number {
  let bits = 0;
  for (const t of tensors) bits += eq11Bits(t);
  return (32 * uncompressedParams) / bits;
}

/** The actual rate: float32 bytes of the uncompressed net over the file's bytes. */
export function actualRate(uncompressedParams: number, fileBytes: number): number {
  return (4 * uncompressedParams) / fileBytes;
}
