/**
 * A small, fast, seedable pseudo-random generator for everything in hushpack that must be
 * reproducible: mixtures, babble, test sets, fixture picks.
 *
 * Generator: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 2021), 128 bits of state, period 2^128 − 1, 32-bit outputs; it passes BigCrush and
 * needs only 32-bit integer arithmetic (Math.imul), so it is exact and fast in JavaScript.
 *
 * Seeding: a key made of strings and numbers (e.g. `[seed, 'train', index, 'speech']`) is hashed
 * to 128 bits with four independently-seeded FNV-1a lanes, each finished with the murmur3 fmix32
 * avalanche. A generator is therefore a pure function of its key: parallel workers and resumed
 * runs that build the same key get the same stream, and keys that differ in any part get
 * unrelated streams (no sequential state is shared between mixtures).
 */

/** FNV-1a 32-bit offset basis and prime (Fowler/Noll/Vo). */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A key part: strings are hashed by UTF-16 code unit, numbers by their decimal text. */
export type PrngKeyPart = string | number;

/**
 * Hashes a key to four 32-bit words (never all zero, which xoshiro forbids). Parts are separated
 * by a unit separator (U+001F) so that ['ab', 'c'] and ['a', 'bc'] differ.
 */
export function prngKeyHash(key: readonly PrngKeyPart[]): [number, number, number, number] {
  const text = key.map((p) => (typeof p === 'number' ? numberText(p) : p)).join('\u001f');
  const lanes = [FNV_OFFSET, FNV_OFFSET ^ 0x9e3779b9, FNV_OFFSET ^ 0x7f4a7c15, FNV_OFFSET ^ 0x94d049bb];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    for (let l = 0; l < 4; l++) lanes[l] = Math.imul(lanes[l] ^ c, FNV_PRIME) >>> 0;
  }
  const out = lanes.map((h, l) => fmix32(h ^ Math.imul(l + 1, 0x27d4eb2f) ^ text.length)) as [number, number, number, number];
  if ((out[0] | out[1] | out[2] | out[3]) === 0) out[0] = 1;
  return out;
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`prng key part must be finite, got ${n}`);
  return String(n);
}

/** xoshiro128** generator. Create with `Prng.fromKey([...])`. Not cryptographic. */
export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Raw state constructor; prefer `Prng.fromKey`. The state must not be all zero. */
  constructor(state: readonly [number, number, number, number]) {
    [this.s0, this.s1, this.s2, this.s3] = state.map((x) => x >>> 0);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) throw new RangeError('xoshiro128** state must not be all zero');
  }

  /** A generator whose stream is a pure function of `key`. */
  static fromKey(key: readonly PrngKeyPart[]): Prng {
    return new Prng(prngKeyHash(key));
  }

  /** Next 32-bit unsigned integer in [0, 2^32). */
  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  float(): number {
    const hi = this.u32() >>> 5; // 27 bits
    const lo = this.u32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform double in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling); 1 ≤ n ≤ 2^32. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) throw new RangeError(`Prng.int: n must be an integer in [1, 2^32], got ${n}`);
    if (n === 4294967296) return this.u32();
    // Reject the top partial bucket so that every residue is equally likely.
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.u32();
      if (x < limit) return x % n;
    }
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Prng.pick: empty array');
    return items[this.int(items.length)];
  }

  /** Poisson-distributed count with mean `lambda` (Knuth's product method; fine for λ ≲ 30). */
  poisson(lambda: number): number {
    if (!(lambda >= 0)) throw new RangeError(`Prng.poisson: lambda must be ≥ 0, got ${lambda}`);
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
