/**
 * Synthetic room impulse responses for shoebox rooms, and the RT60 measurement that checks them.
 *
 * Early part (direct path + the first ROOM_EARLY_SECONDS): the image method of Allen & Berkley,
 * "Image method for efficiently simulating small-room acoustics", JASA 65(4), 1979 — every mirror
 * image of the source up to that delay, amplitude β^reflections / distance, placed at the nearest
 * sample as in the paper. Late part: a stochastic tail, Gaussian noise under the energy envelope
 * the image method itself converges to (Polack's model), because a full image method to an RT60
 * of 0.8 s would need millions of images (a 3 × 3 × 2.4 m room has ~8·10^6 within 343 m).
 *
 * Walls: one reflection coefficient β for all six, from the requested RT60 by Eyring's formula
 * RT60 = 0.161·V / (−S·ln(1 − α)), α = 1 − β². Eyring (not Sabine) because it is exactly the decay
 * of the image method with uniform walls: a ray meets c·S/(4V) walls per second on average and
 * loses β² of its energy at each, an energy decay of exp(ln(β²)·c·S·t/(4V)).
 *
 * Tail level: mirror images fill space with density 1/V, so images between distances r and r + dr
 * bring 4πr²dr/V · (1/(4πr))² · β^(2n) of energy; per sample (dr = c/fs), relative to a direct
 * path of unit amplitude at distance d₀: e(t) = 4π·d₀²·c / (V·fs) · exp(−13.8·t / RT60), with t
 * the time since emission (13.8 = ln 10^6: 60 dB). The tail continues the image part on average.
 *
 * Validity: measured RT60 (Schroeder T20/T30) within ±10 % of the requested for 0.2–1.5 s
 * (test/data/augment/room.test.ts; `node dist/tools/bench/rooms.js`). Below ~0.2 s the −25 dB
 * point falls inside the sparse early part and T20 deviates by up to ~30 %, so the settings
 * (augment/settings.ts) accept 0.2–1.5 s only.
 *
 * Alignment: the response is shifted so that the direct path sits at lag 0 with amplitude 1 (no
 * added delay, dry level kept), so the reverberant speech stays aligned with the dry speech.
 */
import { SAMPLE_RATE_HZ } from '../../dsp/constants.js';
import { biquadHighPass, biquadsApply } from '../../dsp/biquad.js';
import type { Prng } from '../prng.js';

/** Speed of sound, m/s (air at 20 °C). */
export const SOUND_SPEED_M_S = 343;
/** The early part (image method, and the early-reflection training target): 50 ms after the direct path. */
export const ROOM_EARLY_SECONDS = 0.05;
/** Room dimensions drawn uniformly, m (length, width, height): small offices to a classroom. */
export const ROOM_SIZE_RANGE_M: readonly (readonly [number, number])[] = [[3, 10], [3, 8], [2.4, 4]];
/** Source and microphone stay this far from every wall, m. */
export const ROOM_WALL_MARGIN_M = 0.5;
/** Source–microphone distance, m, drawn uniformly (close talk to across a table). */
export const ROOM_DISTANCE_RANGE_M: readonly [number, number] = [0.5, 3];
/** Corner of the high-pass on the image reflections, Hz (Allen & Berkley: 100 Hz). */
export const ROOM_HIGHPASS_HZ = 100;
/** Draws of a source position before the distance constraint is relaxed. */
const ROOM_POSITION_DRAWS = 64;

/** A shoebox room with one source and one microphone. Lengths in metres. */
export interface Room {
  size: [number, number, number];
  source: [number, number, number];
  mic: [number, number, number];
  /** Requested reverberation time, s. */
  rt60S: number;
  /** Wall reflection coefficient (pressure), from rt60S by Eyring. */
  beta: number;
}

/** A room's impulse response at 16 kHz, direct path at lag 0 with amplitude 1. */
export interface RoomResponse {
  room: Room;
  /** The whole response: ⌈RT60·fs⌉ samples (the tail has decayed by 60 dB at the end). */
  ir: Float64Array;
  /** Its first ROOM_EARLY_SECONDS (direct path + early reflections): the training target's filter. */
  early: Float64Array;
  /** Mirror images summed into the early part (the direct path included). */
  images: number;
}

/** The wall reflection coefficient that gives `rt60S` in a room of `size` (Eyring). */
export function roomBeta(size: readonly number[], rt60S: number): number {
  const [x, y, z] = size;
  const volume = x * y * z;
  const surface = 2 * (x * y + x * z + y * z);
  const alpha = 1 - Math.exp((-24 * Math.log(10) * volume) / (SOUND_SPEED_M_S * surface * rt60S));
  return Math.sqrt(1 - alpha);
}

/** Draws a room (size, microphone, then a source at a drawn distance) for a requested RT60. */
export function roomDraw(rng: Prng, rt60S: number): Room {
  if (!(rt60S > 0)) throw new RangeError(`room: RT60 must be > 0 s, got ${rt60S}`);
  const size = ROOM_SIZE_RANGE_M.map(([lo, hi]) => rng.uniform(lo, hi)) as [number, number, number];
  const inside = () => size.map((l) => rng.uniform(ROOM_WALL_MARGIN_M, l - ROOM_WALL_MARGIN_M)) as [number, number, number];
  const mic = inside();
  const distance = rng.uniform(ROOM_DISTANCE_RANGE_M[0], ROOM_DISTANCE_RANGE_M[1]);
  let source: [number, number, number] | null = null;
  for (let k = 0; k < ROOM_POSITION_DRAWS && source === null; k++) {
    // A uniform direction (Marsaglia 1972), the point at `distance`; kept when inside the margins.
    const u = rng.uniform(-1, 1);
    const phi = rng.uniform(0, 2 * Math.PI);
    const r = Math.sqrt(1 - u * u);
    const p: [number, number, number] = [mic[0] + distance * r * Math.cos(phi), mic[1] + distance * r * Math.sin(phi), mic[2] + distance * u];
    if (p.every((v, i) => v >= ROOM_WALL_MARGIN_M && v <= size[i] - ROOM_WALL_MARGIN_M)) source = p;
  }
  // Rarely (a mic in a corner of a low room and a long distance): any position inside instead.
  source ??= inside();
  return { size, source, mic, rt60S, beta: roomBeta(size, rt60S) };
}

/** The impulse response of `room` (see the module comment); the tail's noise comes from `rng`. */
export function roomImpulseResponse(room: Room, rng: Prng): RoomResponse {
  const fs = SAMPLE_RATE_HZ;
  const c = SOUND_SPEED_M_S;
  const { size, source, mic, beta, rt60S } = room;
  const d0 = Math.hypot(source[0] - mic[0], source[1] - mic[1], source[2] - mic[2]);
  const earlyLength = Math.round(ROOM_EARLY_SECONDS * fs);
  const length = Math.max(earlyLength + 1, Math.ceil(rt60S * fs));
  const ir = new Float64Array(length);
  // Image method: images whose path is at most d0 + c·T_early long.
  const dMax = d0 + (c * earlyLength) / fs;
  const logBeta = Math.log(beta);
  let images = 0;
  const nMax = size.map((l) => Math.ceil(dMax / (2 * l)) + 1);
  for (let px = 0; px <= 1; px++) {
    for (let nx = -nMax[0]; nx <= nMax[0]; nx++) {
      const dx = (1 - 2 * px) * source[0] + 2 * nx * size[0] - mic[0];
      const rx = Math.abs(nx - px) + Math.abs(nx);
      if (Math.abs(dx) > dMax) continue;
      for (let py = 0; py <= 1; py++) {
        for (let ny = -nMax[1]; ny <= nMax[1]; ny++) {
          const dy = (1 - 2 * py) * source[1] + 2 * ny * size[1] - mic[1];
          const ry = Math.abs(ny - py) + Math.abs(ny);
          if (dx * dx + dy * dy > dMax * dMax) continue;
          for (let pz = 0; pz <= 1; pz++) {
            for (let nz = -nMax[2]; nz <= nMax[2]; nz++) {
              const dz = (1 - 2 * pz) * source[2] + 2 * nz * size[2] - mic[2];
              const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
              const lag = Math.round(((d - d0) * fs) / c);
              if (lag >= earlyLength) continue;
              const reflections = rx + ry + Math.abs(nz - pz) + Math.abs(nz);
              // β^n · (1/d) relative to the direct path's 1/d0.
              ir[lag] += (Math.exp(reflections * logBeta) * d0) / d;
              images++;
            }
          }
        }
      }
    }
  }
  // The image amplitudes are all positive, so where images are denser than one per sample
  // (after ~10–20 ms) their sum builds a low-frequency component that lifts the early energy above
  // the diffuse level and makes the measured decay too steep at small RT60; Allen & Berkley
  // high-pass the response for the same reason. The direct path is left a unit impulse at lag 0.
  const direct = ir[0];
  ir[0] = 0;
  const reflections = ir.subarray(0, earlyLength);
  biquadsApply([biquadHighPass(ROOM_HIGHPASS_HZ, Math.SQRT1_2, fs)], reflections);
  ir[0] += direct;
  // Stochastic tail from the end of the early part (Gaussian by Box–Muller, two per draw).
  const volume = size[0] * size[1] * size[2];
  const level = (4 * Math.PI * d0 * d0 * c) / (volume * fs);
  const decayPerSample = -(6 * Math.log(10)) / (rt60S * fs); // energy: 60 dB per RT60, ln(10^6)
  const t0 = d0 / c; // the direct path's flight time: lag 0 is emission + t0
  // σ(i) = √(e(t_i)): amplitude decay e^(decay/2) per sample, applied by multiplication.
  const step = Math.exp(decayPerSample / 2);
  let sigma = Math.sqrt(level * Math.exp(decayPerSample * (earlyLength + t0 * fs)));
  for (let i = earlyLength; i < length; i += 2) {
    const u1 = 1 - rng.float();
    const u2 = rng.float();
    const mag = Math.sqrt(-2 * Math.log(u1));
    ir[i] = sigma * mag * Math.cos(2 * Math.PI * u2);
    sigma *= step;
    if (i + 1 < length) ir[i + 1] = sigma * mag * Math.sin(2 * Math.PI * u2);
    sigma *= step;
  }
  return { room, ir, early: ir.slice(0, earlyLength), images };
}

/**
 * Reverberation time by Schroeder's backward integration (M. R. Schroeder, "New method of
 * measuring reverberation time", JASA 37, 1965) and ISO 3382-1's line fit: the energy decay curve
 * EDC(t) = Σ_{τ ≥ t} h²(τ) in dB, a least-squares line through the part between `fromDb` and
 * `toDb` (T20: −5 to −25 dB, T30: −5 to −35 dB), extrapolated to −60 dB. Returns seconds.
 */
export function rt60Schroeder(ir: Float64Array, sampleRateHz: number, fromDb = -5, toDb = -25): number {
  const edc = new Float64Array(ir.length);
  let acc = 0;
  for (let i = ir.length - 1; i >= 0; i--) {
    acc += ir[i] * ir[i];
    edc[i] = acc;
  }
  if (!(acc > 0)) throw new RangeError('rt60Schroeder: silent impulse response');
  let n = 0, st = 0, sy = 0, stt = 0, sty = 0;
  for (let i = 0; i < ir.length; i++) {
    const db = 10 * Math.log10(edc[i] / acc);
    if (db > fromDb) continue;
    if (db < toDb) break;
    const t = i / sampleRateHz;
    n++;
    st += t;
    sy += db;
    stt += t * t;
    sty += t * db;
  }
  if (n < 2) throw new RangeError(`rt60Schroeder: the decay does not span ${fromDb} … ${toDb} dB`);
  const slope = (n * sty - st * sy) / (n * stt - st * st); // dB per second
  return -60 / slope;
}
