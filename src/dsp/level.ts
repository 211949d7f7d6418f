/**
 * Streaming input level normalisation: the nets were trained on mixtures rescaled to unit RMS
 * (Tan & Wang §III-A; src/data/mixer.ts) and are not scale-equivariant (biases, ELU/PReLU,
 * BatchNorm with running statistics), so a live microphone at −50…−25 dBFS RMS must be brought to
 * that level before the net and back after it. The file paths do this globally (the whole signal to
 * unit RMS, e.g. `hushpack enhance`); this is the causal, hop-by-hop version. Browser-safe, no WASM.
 *
 * Modes (LevelMode):
 *   'none'         the net sees the raw input (what the file paths want: they normalise globally).
 *   { gain: g }    a constant gain g: net input = g·x, output = net(g·x)/g. Exactly linear in the
 *                  level: x·c with gain g/c gives the output·c (bit-exact when c is a power of two).
 *   'track'        g = 1/√(level estimate), the estimate being the mean square of the input tracked
 *                  as follows, once per 160-sample hop of mean square p = Σx²/160:
 *                    - p not finite (a NaN/±Inf sample) or p < floor² (digital silence, a muted mic,
 *                      dither, subnormals): no information, the estimate is held;
 *                    - else p is clipped to ≤ ceiling², after the first second of audio also to at
 *                      most LEVEL_HOP_LIMIT_DB above the estimate (a cough, a knock or a clipped burst
 *                      then moves it by ≤ 3 % per hop), and averaged in: est += (p − est)/n with
 *                      n = 1, 2, … up to LEVEL_TIME_CONSTANT_S·100 hops (a running mean at first: the
 *                      first hop of audio sets the level exactly; then exponential smoothing, τ = 3 s).
 *                  So the gain lies in [1/ceiling, 1/floor] = [−20, +70] dB, starts at +70 dB (the
 *                  estimate starts at the floor) and is a homogeneous function of the input of degree
 *                  −1 between floor and ceiling: x·c gives gains/c and the same net input (to f32
 *                  rounding), hence the output·c.
 *
 * Gain per sample: within input hop t the gain ramps linearly from g(t−1) to g(t) (reached at the
 * hop's last sample), so it never steps — except at the first hop of audio after a reset, which gets
 * its own gain throughout (a ramp down from +70 dB would overdrive it; what came before was below
 * the floor). Output sample n of the hop stream is the enhanced input
 * sample n − delaySamples; it is divided by the gain that input sample was multiplied with, read
 * from a ring of the last few hop gains. With a constant gain the chain is exactly linear; while the
 * gain moves, each output sample is unscaled by its own input's gain (the STFT window spans two hops,
 * so this is exact to the gain's change over one hop, ≤ 3 % once converged).
 *
 * State (cleared by reset): the estimate, the hop count n, the ring of hop gains (start, end).
 */
import { UserError } from '../errors.js';
import { HOP_SAMPLES } from './constants.js';

/** How the input level is set before the net (see the file comment). */
export type LevelMode = 'track' | 'none' | { gain: number };

/** Time constant of the tracked mean square, seconds (hops: × 100). */
export const LEVEL_TIME_CONSTANT_S = 3;
/** Input RMS below which a hop carries no level information and the estimate is held (dBFS). */
export const LEVEL_FLOOR_DBFS = -70;
/** Highest level the estimate takes (dBFS RMS; the training level, unit RMS, is 0 dBFS; float input may exceed full scale). */
export const LEVEL_CEILING_DBFS = 20;
/** After the first second of audio, a hop's mean square counts at most this much above the estimate (dB). */
export const LEVEL_HOP_LIMIT_DB = 10;

const HOP = HOP_SAMPLES;
/** Hops per second at 16 kHz. */
const HOPS_PER_S = 100;
const FLOOR_MS = 10 ** (LEVEL_FLOOR_DBFS / 10);
const CEILING_MS = 10 ** (LEVEL_CEILING_DBFS / 10);
const HOP_LIMIT = 10 ** (LEVEL_HOP_LIMIT_DB / 10);
const TRACK_HOPS = LEVEL_TIME_CONSTANT_S * HOPS_PER_S;
/** Hops of audio after which LEVEL_HOP_LIMIT_DB applies (1 s). */
const HOP_LIMIT_AFTER_HOPS = HOPS_PER_S;

/** Throws UserError unless `mode` is a LevelMode ({ gain } finite and > 0). */
export function levelModeCheck(mode: unknown, where = 'level'): LevelMode {
  if (mode === 'track' || mode === 'none') return mode;
  if (typeof mode === 'object' && mode !== null && 'gain' in mode) {
    const g = (mode as { gain: unknown }).gain;
    if (typeof g === 'number' && Number.isFinite(g) && g > 0) return { gain: g };
    throw new UserError(`${where}: gain must be a finite number > 0, got ${String(g)}`);
  }
  throw new UserError(`${where}: expected 'track', 'none' or { gain: number }, got ${JSON.stringify(mode)}`);
}

/** The level normaliser of one stream: scales input hops, unscales the matching output hops. */
export class LevelNormaliser {
  /** The mode (settings; read-only). */
  readonly mode: 'track' | { gain: number };
  /** Hop-stream delay of the processor it wraps (output sample n ↔ input sample n − delaySamples). */
  readonly delaySamples: number;

  /**
   * Gains of the last n = ring.length / 2 input hops, hop t at [2·(t mod n)]: the gain its ramp
   * starts from (that of the sample before its first) and the gain at its last sample.
   */
  private readonly ring: Float64Array;
  /** Input hops seen since reset (t of the next hop). */
  private hopIndex = 0;
  /** Tracked mean square and the number of hops averaged into it (capped at TRACK_HOPS). */
  private meanSquare = FLOOR_MS;
  private count = 0;

  constructor(mode: 'track' | { gain: number }, delaySamples: number) {
    if (!Number.isInteger(delaySamples) || delaySamples < 0) throw new RangeError(`LevelNormaliser: delaySamples must be an integer ≥ 0, got ${delaySamples}`);
    this.mode = mode === 'track' ? 'track' : { gain: (levelModeCheck(mode) as { gain: number }).gain };
    this.delaySamples = delaySamples;
    // Output hop t reads input hops back to t − ceil(d/160).
    this.ring = new Float64Array(2 * (Math.ceil(delaySamples / HOP) + 1));
    this.reset();
  }

  /** The gain applied to the last input sample (linear). */
  get gain(): number {
    return this.ring[this.slot(this.hopIndex - 1) + 1];
  }

  /** Index of hop h's (start, end) pair in the ring (h may be negative: before the stream, the initial gain). */
  private slot(h: number): number {
    const n = this.ring.length >> 1;
    return 2 * (((h % n) + n) % n);
  }

  /** The gain for the current estimate. */
  private gainNow(): number {
    return typeof this.mode === 'object' ? this.mode.gain : 1 / Math.sqrt(this.meanSquare);
  }

  /** Folds one input hop's mean square into the estimate (see the file comment). */
  private track(hop: Float32Array): void {
    let s = 0;
    for (let k = 0; k < HOP; k++) s += hop[k] * hop[k];
    let p = s / HOP;
    if (!(p >= FLOOR_MS && p < Infinity)) return; // NaN/±Inf, or below the floor: hold
    if (p > CEILING_MS) p = CEILING_MS;
    if (this.count >= HOP_LIMIT_AFTER_HOPS && p > HOP_LIMIT * this.meanSquare) p = HOP_LIMIT * this.meanSquare;
    if (this.count < TRACK_HOPS) this.count++;
    this.meanSquare += (p - this.meanSquare) / this.count;
  }

  /**
   * Input hop (160 samples) → dst = hop × gain, the gain ramping from the last hop's to this hop's.
   * With `gains`, the 160 per-sample gains applied are written there too.
   */
  scaleInput(hop: Float32Array, dst: Float32Array, gains?: Float64Array): void {
    let g0 = this.ring[this.slot(this.hopIndex - 1) + 1];
    const before = this.count;
    if (this.mode === 'track') this.track(hop);
    const g1 = this.gainNow();
    if (before === 0 && this.count === 1) g0 = g1; // first hop of audio: no ramp from the initial gain
    const s = this.slot(this.hopIndex);
    this.ring[s] = g0;
    this.ring[s + 1] = g1;
    this.hopIndex++;
    if (g0 === g1) {
      for (let k = 0; k < HOP; k++) dst[k] = hop[k] * g1;
      gains?.fill(g1, 0, HOP);
    } else {
      const step = (g1 - g0) / HOP;
      for (let k = 0; k < HOP; k++) dst[k] = hop[k] * (g0 + step * (k + 1));
      if (gains) for (let k = 0; k < HOP; k++) gains[k] = g0 + step * (k + 1);
    }
  }

  /**
   * Output hop (160 samples, produced after scaleInput of the same step) → dst = out ÷ the gain of
   * the input sample it came from (delaySamples earlier).
   */
  unscaleOutput(out: Float32Array, dst: Float32Array): void {
    const t = this.hopIndex - 1; // the hop just scaled
    for (let k = 0; k < HOP; k++) {
      const m = k - this.delaySamples; // input sample, relative to the start of hop t
      const back = Math.floor(m / HOP); // ≤ 0
      const pos = m - back * HOP;
      const s = this.slot(t + back);
      const g0 = this.ring[s];
      const g1 = this.ring[s + 1];
      dst[k] = out[k] / (g0 === g1 ? g1 : g0 + ((g1 - g0) / HOP) * (pos + 1));
    }
  }

  /** Back to the initial state: estimate at the floor (gain +70 dB), no hops seen. */
  reset(): void {
    this.meanSquare = FLOOR_MS;
    this.count = 0;
    this.hopIndex = 0;
    this.ring.fill(this.gainNow());
  }
}

/**
 * The per-sample gains the 'track' normaliser applies to a whole signal fed from a fresh state,
 * hop by hop (a trailing partial hop is padded with zeros, which hold the estimate). What the
 * streaming runtime multiplies sample n with is gains[n]; offline paths (training features, the
 * libtorch reference) use this to see exactly what the runtime's net sees: x·g in, out ÷ g after.
 */
export function levelTrackGains(x: Float32Array): Float64Array {
  const level = new LevelNormaliser('track', 0);
  const gains = new Float64Array(x.length);
  const hop = new Float32Array(HOP);
  const scaled = new Float32Array(HOP);
  const g = new Float64Array(HOP);
  for (let at = 0; at < x.length; at += HOP) {
    const n = Math.min(HOP, x.length - at);
    hop.fill(0);
    hop.set(x.subarray(at, at + n));
    level.scaleInput(hop, scaled, g);
    gains.set(g.subarray(0, n), at);
  }
  return gains;
}
