/** Test doubles and signal helpers for the hop bridge tests. */
import type { HopProcessor } from '../../runtime/core/hopProcessor.js';
import type { HopBridge } from '../../runtime/worklet/processor.js';
import { randomF32 } from '../helpers/signals.js';

/**
 * A band-limited test signal as a function of time (seconds): 8 tones in [100 Hz, maxHz) with a
 * 20 ms raised-cosine fade-in from t = 0 (0 before), peak ≤ 1. Evaluating it at fractional times
 * gives the exact expected output of a delay by a non-integer number of samples.
 */
export function bandLimitedSignal(maxHz: number, seed = 7): (t: number) => number {
  const r = randomF32(16, seed);
  const tones = Array.from({ length: 8 }, (_, c) => ({ f: 100 + ((r[c] + 1) / 2) * (maxHz - 100), ph: Math.PI * r[8 + c] }));
  return (t: number): number => {
    if (t <= 0) return 0;
    const fade = t < 0.02 ? 0.5 - 0.5 * Math.cos((Math.PI * t) / 0.02) : 1;
    let s = 0;
    for (const { f, ph } of tones) s += Math.sin(2 * Math.PI * f * t + ph);
    return (fade * s) / 8;
  };
}

/** Samples x(n/fs) for n in [0, length). */
export function sampleSignal(x: (t: number) => number, fs: number, length: number): Float32Array {
  return Float32Array.from({ length }, (_, n) => x(n / fs));
}

/** Runs `input` (a multiple of the quantum, else zero-padded) through the bridge quantum by quantum. */
export function runBridge(bridge: HopBridge, input: Float32Array, onQuantum?: (k: number) => void): Float32Array {
  const q = bridge.quantumSamples;
  const quanta = Math.ceil(input.length / q);
  const out = new Float32Array(quanta * q);
  const inBlock = new Float32Array(q);
  const outBlock = new Float32Array(q);
  for (let k = 0; k < quanta; k++) {
    onQuantum?.(k);
    inBlock.fill(0);
    inBlock.set(input.subarray(k * q, Math.min(input.length, (k + 1) * q)));
    bridge.process(inBlock, outBlock);
    out.set(outBlock, k * q);
  }
  return out;
}

/** A pure-JS exact delay of the hop stream by `delay16` samples (latencySamples = delay16 + 160). */
export class DelayHopProcessor implements HopProcessor {
  readonly hopSamples = 160 as const;
  readonly sampleRate = 16000 as const;
  readonly latencySamples: number;
  calls = 0;
  resets = 0;
  private readonly line: Float32Array;
  private written = 0;

  constructor(readonly delay16 = 160, private readonly gain = 1) {
    this.latencySamples = delay16 + 160;
    this.line = new Float32Array(delay16 + 160);
  }

  process(input: Float32Array, output: Float32Array): void {
    this.calls++;
    const n = this.line.length;
    for (let i = 0; i < 160; i++) this.line[(this.written + i) % n] = input[i];
    for (let i = 0; i < 160; i++) {
      const a = this.written + i - this.delay16;
      output[i] = a < 0 ? 0 : this.gain * this.line[((a % n) + n) % n];
    }
    this.written += 160;
  }

  reset(): void {
    this.resets++;
    this.line.fill(0);
    this.written = 0;
  }
}

/** A manual clock in milliseconds. */
export class FakeClock {
  ms = 0;
  readonly now = (): number => this.ms;
}

/** Wraps a processor so that each hop "takes" costMs() on the fake clock. */
export class SlowHopProcessor implements HopProcessor {
  readonly hopSamples = 160 as const;
  readonly sampleRate = 16000 as const;
  get latencySamples(): number {
    return this.inner.latencySamples;
  }
  constructor(private readonly inner: DelayHopProcessor, private readonly clock: FakeClock, public costMs: () => number) {}
  process(input: Float32Array, output: Float32Array): void {
    this.clock.ms += this.costMs();
    this.inner.process(input, output);
  }
  reset(): void {
    this.inner.reset();
  }
}

/** Largest |a[i] − b[i]| over [from, to). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, from = 0, to = Math.min(a.length, b.length)): number {
  let m = 0;
  for (let i = from; i < to; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** x delayed by d whole samples (zeros before), same length. */
export function delayed(x: Float32Array, d: number): Float32Array {
  const y = new Float32Array(x.length);
  y.set(x.subarray(0, Math.max(0, x.length - d)), d);
  return y;
}
