/**
 * Input checks shared by every metric: a metric refuses input it cannot score rather than
 * returning a wrong number.
 */
import { UserError } from '../errors.js';

/** Samples as the metrics accept them (any real-valued array; floats in [-1, 1] by convention). */
export type Samples = Float32Array | Float64Array | readonly number[];

/**
 * Throws a UserError naming `name` if `x` is empty or holds NaN or ±Infinity (reporting the first
 * bad sample's index and its time at `sampleRate`, when given).
 */
export function signalCheck(x: Samples, name: string, sampleRate?: number): void {
  if (x.length === 0) throw new UserError(`${name}: empty signal (0 samples)`);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!Number.isFinite(v)) {
      const at = sampleRate ? ` (${(i / sampleRate).toFixed(4)} s)` : '';
      throw new UserError(`${name}: sample ${i}${at} is ${v}; metrics need finite samples`);
    }
  }
}

/** Throws a UserError unless `ref` and `deg` have the same length. */
export function lengthsCheck(ref: Samples, deg: Samples, refName: string, degName: string): void {
  if (ref.length !== deg.length) {
    throw new UserError(
      `${refName} has ${ref.length} samples but ${degName} has ${deg.length}; ` +
        'reference and degraded signals must have the same length (trim them, e.g. with --trim)',
    );
  }
}
