/**
 * Stream state of a libtorch network run one frame at a time (batch 1): every tensor a streaming
 * layer must remember between frames — LSTM h/c, a causal conv's previous input frames, a dilated
 * conv's input history — by the owning layer's state-dict prefix and a role ('h', 'c', 'history').
 *
 * Weights are NOT here (they stay in the Net, read-only); scratch is not state (per-frame
 * intermediates are freed by `tidy`). Each entry is allocated once, zero-filled (the zero history
 * the whole-utterance forward pads with), `keep()`-ed so no tidy scope frees it, and updated IN
 * PLACE every frame (`copyFrom`), so a stream allocates no state after its first frame.
 */
import * as torch from '../torch/torch.js';
import type { Tensor } from '../torch/torch.js';

/** The mutable per-stream tensors of one network (see the file comment). Owns them: dispose(). */
export class StreamState {
  readonly #tensors = new Map<string, Tensor>();

  /**
   * The state tensor `key` (e.g. `encoder.0.conv/history`), created as zeros of `shape` on first
   * use. Throws when an existing entry has another shape (two layers sharing a key is a bug).
   */
  tensor(key: string, shape: readonly number[]): Tensor {
    let t = this.#tensors.get(key);
    if (t === undefined) {
      t = torch.zeros(shape).keep();
      this.#tensors.set(key, t);
    } else if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new Error(`stream state ${key}: shape [${t.shape}] requested as [${shape}]`);
    }
    return t;
  }

  /** Number of state tensors and their float32 elements (what a stream remembers). */
  get size(): { tensors: number; elements: number } {
    let elements = 0;
    for (const t of this.#tensors.values()) elements += t.numel;
    return { tensors: this.#tensors.size, elements };
  }

  /** Zeroes every state tensor: the stream restarts from silence. */
  reset(): void {
    for (const t of this.#tensors.values()) t.fillInPlace(0);
  }

  /** Frees every state tensor. */
  dispose(): void {
    for (const t of this.#tensors.values()) t.dispose();
    this.#tensors.clear();
  }
}
