/**
 * The two float32 ring buffers of the hop bridge: a FIFO (the output queue between hop-sized
 * writes and quantum-sized reads) and a delay line (the dry path). Browser-free, allocation-free
 * after construction (except DelayLine.ensureDelay, which the bridge calls only on a model swap).
 */

function nextPow2(n: number): number {
  let c = 1;
  while (c < n) c *= 2;
  return c;
}

/**
 * First-in first-out queue of samples. Capacity is fixed (a power of two ≥ the requested one);
 * writing past it or reading more than `size` is a bug of the caller and throws.
 */
export class SampleFifo {
  private readonly buf: Float32Array;
  private readonly mask: number;
  private readIndex = 0;
  private count = 0;

  constructor(capacitySamples: number) {
    this.buf = new Float32Array(nextPow2(Math.max(1, capacitySamples)));
    this.mask = this.buf.length - 1;
  }

  /** Samples that fit at most. */
  get capacity(): number {
    return this.buf.length;
  }

  /** Samples queued. */
  get size(): number {
    return this.count;
  }

  /** Appends src[offset … offset + n). */
  write(src: ArrayLike<number>, n: number, offset = 0): void {
    if (this.count + n > this.buf.length) throw new RangeError(`SampleFifo: overflow (${this.count} + ${n} > ${this.buf.length})`);
    let w = (this.readIndex + this.count) & this.mask;
    for (let i = 0; i < n; i++) {
      this.buf[w] = src[offset + i];
      w = (w + 1) & this.mask;
    }
    this.count += n;
  }

  /** Appends n zeros. */
  writeZeros(n: number): void {
    if (this.count + n > this.buf.length) throw new RangeError(`SampleFifo: overflow (${this.count} + ${n} > ${this.buf.length})`);
    let w = (this.readIndex + this.count) & this.mask;
    for (let i = 0; i < n; i++) {
      this.buf[w] = 0;
      w = (w + 1) & this.mask;
    }
    this.count += n;
  }

  /** Removes the oldest n samples into dst[0 … n). */
  read(dst: Float32Array, n: number): void {
    if (n > this.count) throw new RangeError(`SampleFifo: underrun (${n} > ${this.count})`);
    let r = this.readIndex;
    for (let i = 0; i < n; i++) {
      dst[i] = this.buf[r];
      r = (r + 1) & this.mask;
    }
    this.readIndex = r;
    this.count -= n;
  }

  /** Empties the queue (contents become zeros). */
  clear(): void {
    this.buf.fill(0);
    this.readIndex = 0;
    this.count = 0;
  }
}

/**
 * A delay line: write blocks, then read the block just written as it was `delay` samples ago.
 * Before the first write the line holds zeros (the signal is taken as silent before time 0).
 */
export class DelayLine {
  private buf: Float32Array;
  private mask: number;
  /** Samples written since construction or clear(); sample a lives at buf[a & mask]. */
  private written = 0;

  /** Room for delays up to `maxDelaySamples` with blocks up to `maxBlockSamples`. */
  constructor(maxDelaySamples: number, private readonly maxBlockSamples: number) {
    this.buf = new Float32Array(nextPow2(maxDelaySamples + maxBlockSamples));
    this.mask = this.buf.length - 1;
  }

  /** Largest delay a read may ask for. */
  get maxDelaySamples(): number {
    return this.buf.length - this.maxBlockSamples;
  }

  /** Grows the line (keeping its history) so that `delaySamples` can be read. */
  ensureDelay(delaySamples: number): void {
    if (delaySamples <= this.maxDelaySamples) return;
    const grown = new Float32Array(nextPow2(delaySamples + this.maxBlockSamples));
    const keep = Math.min(this.written, this.buf.length);
    const gmask = grown.length - 1;
    for (let a = this.written - keep; a < this.written; a++) grown[a & gmask] = this.buf[a & this.mask];
    this.buf = grown;
    this.mask = gmask;
  }

  /** Appends src[0 … n) (n ≤ maxBlockSamples). */
  write(src: ArrayLike<number>, n: number): void {
    if (n > this.maxBlockSamples) throw new RangeError(`DelayLine: block of ${n} > ${this.maxBlockSamples}`);
    let w = this.written & this.mask;
    for (let i = 0; i < n; i++) {
      this.buf[w] = src[i];
      w = (w + 1) & this.mask;
    }
    this.written += n;
  }

  /**
   * The last n samples written, delayed by `delaySamples`: dst[i] = x[w − n + i − delay] where w is
   * the count written so far (x before time 0 is 0).
   */
  read(dst: Float32Array, n: number, delaySamples: number): void {
    if (delaySamples > this.maxDelaySamples || n > this.maxBlockSamples) throw new RangeError(`DelayLine: delay ${delaySamples} / block ${n} beyond capacity`);
    const start = this.written - n - delaySamples;
    for (let i = 0; i < n; i++) {
      const a = start + i;
      dst[i] = a < 0 ? 0 : this.buf[a & this.mask];
    }
  }

  /** Forgets the history (zeros). */
  clear(): void {
    this.buf.fill(0);
    this.written = 0;
  }
}
