/**
 * Read-only weights of a network streamed one frame at a time: the Net's tensors by state-dict name,
 * plus weights derived once for per-frame work and cached (like the WASM runtime's load-time
 * repacking). The only derived form is a transposed conv's time tap: weight [Cin, Cout, kT, kW] →
 * tap k [Cin, Cout, 1, kW], contiguous, so a causal transposed conv costs exactly its per-frame
 * multiplications (src/stream/layers.ts) instead of re-slicing the kernel every frame.
 */
import type { Tensor } from '../torch/torch.js';
import type { Weights } from '../models/layers.js';

/** A network's weights for streaming (see the file comment). Owns the derived tensors: dispose(). */
export class StreamWeights {
  readonly #w: Weights;
  readonly #taps = new Map<string, Tensor[]>();

  /** `w`: the Net's lookup (tensors stay owned by the Net). */
  constructor(w: Weights) {
    this.#w = w;
  }

  /** The tensor `name` (throws naming it when absent). */
  get(name: string): Tensor {
    return this.#w(name);
  }

  /** The same lookup as a `Weights` function, for the frame-wise layers of src/models/layers.ts. */
  readonly lookup: Weights = (name) => this.#w(name);

  /** Time tap k of the 4-D kernel `name` [A, B, kT, kW] as a contiguous [A, B, 1, kW] (the kernel itself when kT = 1). */
  tap(name: string, k: number): Tensor {
    const weight = this.#w(name);
    const kT = weight.shape[2];
    if (kT === 1) return weight;
    let taps = this.#taps.get(name);
    if (taps === undefined) {
      taps = Array.from({ length: kT }, (_, j) => weight.detach().narrow(2, j, 1).contiguous().keep());
      this.#taps.set(name, taps);
    }
    return taps[k];
  }

  /** Frees the derived tensors (not the Net's). */
  dispose(): void {
    for (const taps of this.#taps.values()) for (const t of taps) t.dispose();
    this.#taps.clear();
  }
}
