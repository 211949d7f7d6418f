/**
 * Signal conditioning of ITU-T P.862 (pesqdsp.c, dsp.c, pesqmain.c), in the reference's single
 * precision: DC removal, the IIR input filters, the frequency-domain filter curves (level
 * alignment and IRS receive), power measurement and level normalisation.
 *
 * Buffers follow the reference layout (see `PesqSignal`): `SEARCHBUFFER · Downsample` zeros, the
 * samples, `SEARCHBUFFER · Downsample` zeros, then `DATAPADDING_MSECS` more zeros.
 */
import { TARGET_AVG_POWER } from './constants.js';
import { nextPow2, pesqHeapAlloc, pesqHeapF32, pesqRealFft, pesqRealIfft } from './fftFloat.js';
import { fftWasmKernel } from './fftWasm.js';
import type { PesqRate } from './rate.js';

const f32 = Math.fround;

/** One signal in the reference layout: `data.length = nSamples + padding`. */
export interface PesqSignal {
  /** Samples with SEARCHBUFFER·Downsample zeros before and after, plus padding (float32). */
  data: Float32Array;
  /** Length including both SEARCHBUFFER margins (the C code's Nsamples), excluding padding. */
  nSamples: number;
}

/**
 * Removes the mean of the signal part and tapers its first and last 4 ms block (pesqdsp.c
 * DC_block). The mean is divided by nSamples *including* the zero margins, as in the reference.
 */
export function dcBlock(sig: PesqSignal, rate: PesqRate): void {
  const { data, nSamples } = sig;
  const ofs = rate.searchOffset;
  const ds = rate.downsample;
  let facc = 0;
  for (let i = ofs; i < nSamples - ofs; i++) facc = f32(facc + data[i]);
  facc = f32(facc / nSamples);
  for (let i = ofs; i < nSamples - ofs; i++) data[i] = data[i] - facc;
  for (let c = 0; c < ds; c++) data[ofs + c] = data[ofs + c] * f32(f32(0.5 + c) / ds);
  for (let c = 0; c < ds; c++) {
    const p = nSamples - ofs - 1 - c;
    data[p] = data[p] * f32(f32(0.5 + c) / ds);
  }
}

/**
 * Cascade of second-order IIR sections, direct form II, in place on x[start, start + count)
 * (dsp.c IIRFilt/IIRsos with zero initial state). `sos` holds b0 b1 b2 a1 a2 per section
 * (denominator 1 + a1 z^-1 + a2 z^-2), already rounded to float32.
 */
export function iirFilter(sos: Float32Array, x: Float32Array, start: number, count: number): void {
  const k = fftWasmKernel();
  if (k && count > 0) {
    // The same recursion in the WebAssembly kernel (native f32, section by section like the C code).
    let sosPtr = sosPointers.get(sos);
    if (sosPtr === undefined) {
      sosPtr = pesqHeapAlloc(k, 4 * sos.length);
      pesqHeapF32(k).set(sos, sosPtr >> 2);
      sosPointers.set(sos, sosPtr);
    }
    if (iirBuffer.floats < count) iirBuffer = { ptr: pesqHeapAlloc(k, 4 * count), floats: count };
    const heap = pesqHeapF32(k);
    const at = iirBuffer.ptr >> 2;
    heap.set(x.subarray(start, start + count), at);
    k.iir(sosPtr, sos.length / 5, iirBuffer.ptr, count);
    x.set(heap.subarray(at, at + count), start);
    return;
  }
  iirFilterJs(sos, x, start, count);
}

/** Coefficient tables copied into the kernel memory, by table. */
const sosPointers = new WeakMap<Float32Array, number>();
/** Kernel-memory buffer of the IIR filter (grown as needed). */
let iirBuffer = { ptr: 0, floats: 0 };

/** JavaScript version of iirFilter (used where WebAssembly SIMD is unavailable). */
export function iirFilterJs(sos: Float32Array, x: Float32Array, start: number, count: number): void {
  const sections = sos.length / 5;
  const z1 = new Float64Array(sections);
  const z2 = new Float64Array(sections);
  // out[s]: the latest output of section s, consumed by section s + 1 one step later.
  const out = new Float64Array(sections);
  const end = start + count;
  // Wavefront order: step i runs section s on sample i − s, so the sections of one step are
  // independent and the CPU overlaps their recursions (the cascade is latency-bound otherwise).
  // Each section still sees its samples in order with exactly the operations of the C code. The
  // C code has special cases for zero coefficients; adding or subtracting an exact zero product
  // leaves a float unchanged, so the general recursion gives the same bits.
  for (let i = start; i < end + sections - 1; i++) {
    const sHi = Math.min(sections - 1, i - start);
    const sLo = Math.max(0, i - (end - 1));
    for (let s = sHi; s >= sLo; s--) {
      const k = 5 * s;
      const v = s === 0 ? x[i] : out[s - 1];
      const w1 = z1[s];
      const w2 = z2[s];
      const z0 = f32(f32(v - f32(sos[k + 3] * w1)) - f32(sos[k + 4] * w2));
      out[s] = f32(f32(f32(sos[k] * z0) + f32(sos[k + 1] * w1)) + f32(sos[k + 2] * w2));
      z2[s] = w1;
      z1[s] = z0;
    }
    if (sHi === sections - 1) x[i - sections + 1] = out[sections - 1];
  }
}

/** Rounds a coefficient table to float32, as the C code's `float` arrays hold it. */
export function sosToFloat32(sos: readonly number[]): Float32Array {
  return Float32Array.from(sos);
}

/**
 * Linear interpolation of a [Hz, dB] curve at `freq` (pesqdsp.c interpolate), extrapolating
 * from the first/last segment; computed in double, returned as float.
 */
export function curveInterpolate(freq: number, curve: readonly (readonly [number, number])[]): number {
  const n = curve.length;
  let lo: readonly [number, number];
  let hi: readonly [number, number];
  if (freq <= curve[0][0]) {
    lo = curve[0];
    hi = curve[1];
  } else if (freq >= curve[n - 1][0]) {
    lo = curve[n - 2];
    hi = curve[n - 1];
  } else {
    let i = 1;
    while (curve[i][0] < freq) i++;
    lo = curve[i - 1];
    hi = curve[i];
  }
  return f32(((freq - lo[0]) * hi[1] + (hi[0] - freq) * lo[1]) / (hi[0] - lo[0]));
}

/**
 * Zero-phase filtering by a [Hz, dB] curve normalised to 0 dB at 1 kHz, through one real FFT of
 * the whole signal part (pesqdsp.c apply_filter). Filters data[ofs, ofs + n) in place with
 * n = nSamples − 2·ofs + padding, where nSamples is the value passed (the C code's maxNsamples
 * argument, always the signal's own length).
 */
export function curveFilter(
  data: Float32Array,
  nSamples: number,
  curve: readonly (readonly [number, number])[],
  rate: PesqRate,
): void {
  const ofs = rate.searchOffset;
  const n = nSamples - 2 * ofs + rate.padding;
  const size = nextPow2(n);
  const x = new Float32Array(size + 2);
  for (let i = 0; i < n; i++) x[i] = data[i + ofs];
  pesqRealFft(x, size);
  const factors = curveFactors(curve, size, rate.fs);
  for (let i = 0; i <= size / 2; i++) {
    x[2 * i] = x[2 * i] * factors[i];
    x[2 * i + 1] = x[2 * i + 1] * factors[i];
  }
  pesqRealIfft(x, size);
  for (let i = 0; i < n; i++) data[i + ofs] = x[i];
}

const factorCache = new WeakMap<object, Map<string, Float32Array>>();

/**
 * Linear gains of a [Hz, dB] curve at the bins of a `size`-point FFT at `fs`, relative to the gain
 * at 1 kHz (the per-bin factors of apply_filter, float32); cached per curve, size and rate.
 */
function curveFactors(curve: readonly (readonly [number, number])[], size: number, fs: number): Float32Array {
  let byCurve = factorCache.get(curve);
  if (!byCurve) {
    byCurve = new Map();
    factorCache.set(curve, byCurve);
  }
  const key = `${size}|${fs}`;
  let factors = byCurve.get(key);
  if (factors) return factors;
  factors = new Float32Array(size / 2 + 1);
  const overallGain = curveInterpolate(1000, curve);
  const resolution = f32(fs / size);
  for (let i = 0; i <= size / 2; i++) {
    const gainDb = f32(curveInterpolate(f32(i * resolution), curve) - overallGain);
    factors[i] = Math.pow(10, f32(gainDb / 20));
  }
  byCurve.set(key, factors);
  return factors;
}

/**
 * Σ x[i]² over [start, stop) divided by `divisor` (pesqmod.c pow_of): float squares summed in
 * double.
 */
export function powerOf(x: Float32Array, start: number, stop: number, divisor: number): number {
  let power = 0;
  for (let i = start; i < stop; i++) {
    const h = x[i];
    power += f32(h * h);
  }
  return power / divisor;
}

/**
 * Level alignment (pesqmain.c fix_power_level): scales the signal so that its power in the
 * 350–3250 Hz band, averaged over the longer signal's length, is TARGET_AVG_POWER. Returns the
 * scale factor (+Infinity when the band holds no power at all).
 */
export function levelAlign(
  sig: PesqSignal,
  maxNSamples: number,
  curve: readonly (readonly [number, number])[],
  rate: PesqRate,
): number {
  const n = sig.nSamples;
  const ofs = rate.searchOffset;
  const filtered = sig.data.slice(0, n + rate.padding);
  curveFilter(filtered, n, curve, rate);
  const power = f32(powerOf(filtered, ofs, n - ofs + rate.padding, maxNSamples - 2 * ofs + rate.padding));
  const scale = f32(Math.sqrt(TARGET_AVG_POWER / power));
  const data = sig.data;
  for (let i = 0; i < n; i++) data[i] = data[i] * scale;
  return scale;
}
