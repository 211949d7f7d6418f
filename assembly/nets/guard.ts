// Input and output guards of the net step functions: what a hop of garbage does to a stream.
//
// Policy (tested by test/runtime/robustness.test.ts):
//  - A hop holding any NaN or ±Inf sample is not processed: the step resets the stream state (STFT /
//    framing memories, recurrent state, ring buffers) and outputs 160 zeros. The next valid hop then
//    starts from exactly the state of a fresh stream, so the output equals a fresh-state run from the
//    first valid hop on (0 hops of recovery; the muted hop also drops the overlap-add tail that the
//    bad hop would have completed).
//  - Finite samples are clamped to ±INPUT_LIMIT (= 1024, +60 dB above full scale; no audio that
//    means anything is touched) so that no layer can overflow f32 on finite input, and samples
//    with |x| < INPUT_FLUSH (1e-20, −400 dBFS) are flushed to 0: subnormal floats are 10–100× slower
//    on common CPUs and WASM has no flush-to-zero mode.
//  - If the output hop still holds a non-finite value (a model whose weights overflow), the step
//    resets the stream and outputs zeros, so one bad hop never poisons the recurrent state forever.

/** Largest magnitude passed to the net (samples are clamped to ±INPUT_LIMIT). */
export const INPUT_LIMIT: f32 = 1024.0;
/** Magnitudes below this are replaced by 0 (no subnormals reach the kernels). */
export const INPUT_FLUSH: f32 = 1e-20;

/**
 * Copies n samples from src to dst, clamped and flushed as above; non-finite samples become 0.
 * Returns the number of non-finite samples (0: the hop may be processed).
 */
export function hopSanitize(dst: usize, src: usize, n: i32): i32 {
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    let v = load<f32>(src + o);
    if (v - v != 0) { // NaN or ±Inf (x − x is NaN exactly for those)
      bad++;
      v = 0;
    } else {
      const a = abs<f32>(v);
      if (a < INPUT_FLUSH) v = 0;
      else if (a > INPUT_LIMIT) v = v > 0 ? INPUT_LIMIT : -INPUT_LIMIT;
    }
    store<f32>(dst + o, v);
  }
  return bad;
}

/** True when all n values at p are finite. */
export function hopFinite(p: usize, n: i32): bool {
  let acc: f32 = 0;
  // v·0 is 0 for finite v and NaN for NaN/±Inf, and NaN survives the sum.
  for (let i = 0; i < n; i++) acc += load<f32>(p + (<usize>i << 2)) * 0;
  return acc == 0;
}

/** Writes n zeros at p. */
export function hopSilence(p: usize, n: i32): void {
  memory.fill(p, 0, <usize>n << 2);
}
