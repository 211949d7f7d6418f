/**
 * The FFT of the ITU-T P.862 reference code (dsp.c: FFTInit/FFT/IFFT/RealFFT/RealIFFT),
 * reproduced operation by operation in IEEE single precision.
 *
 * Why a second FFT in the project: PESQ makes hard decisions on filtered signals (VAD thresholds,
 * arg-max delays, "bad frame" thresholds). Reproducing the reference rounding bit for bit keeps
 * every such decision identical to the ITU code, so our scores agree with it to the last bit
 * instead of "usually close". Every float operation of the C code is a `Math.fround` here, or a
 * store into a Float32Array (which rounds the same way), or an f32 operation in the WebAssembly
 * kernel (fftWasm.ts). C's x86-64 float arithmetic has no excess precision and no fused
 * multiply-add, and a double-precision +, −, × or ÷ of two floats rounded once to float equals
 * the float operation, so the emulation is exact.
 *
 * Layout (as in the C code): a complex transform of N points works on 2N floats
 * [re0, im0, re1, im1, ...]; a real transform of N points returns N/2 + 1 complex bins in the
 * first N + 2 floats of its argument. The forward transform is unscaled, the inverse divides by N.
 * The reference's in-place bit-reversal pass is a pure permutation; the real transforms read the
 * bins they need through the permutation table instead of moving data.
 */
import { TWOPI_F32 } from './constants.js';
import { fftWasmKernel, type FftWasmKernel } from './fftWasm.js';

const f32 = Math.fround;

/** Tables of one transform length, built once (FFTInit). */
interface FloatFftPlan {
  /** Complex length N (a power of two). */
  readonly n: number;
  /** Twiddles [cos θ_c, sin θ_c] for c < N/2, θ_c = (2π_f32 · c) / N in float (FFTPhi). */
  readonly phi: Float32Array;
  /** Bit-reversed group order of the N/2 butterfly groups (FFTButter). */
  readonly butter: Int32Array;
  /** Bit-reversal permutation of N (FFTBitSwap): output k sits at index bitrev[k] after the stages. */
  readonly bitrev: Int32Array;
  /**
   * Byte offsets in the kernel memory (WebAssembly path): phi, butter and bitrev tables, a 2N-float
   * work buffer and N + 2-float input and output buffers of the real transforms.
   */
  readonly phiPtr: number;
  readonly butterPtr: number;
  readonly bitrevPtr: number;
  readonly workPtr: number;
  readonly inPtr: number;
  readonly outPtr: number;
  /** Work buffer of the JavaScript path (2N floats); null when the WebAssembly kernel is used. */
  readonly scratch: Float32Array | null;
  /** Cached view of the kernel work buffer (re-made when the kernel memory grows). */
  view: Float32Array | null;
}

const plans = new Map<number, FloatFftPlan>();
let heapTop = 0;

/** Reserves `bytes` (16-byte aligned) in the kernel memory, growing it when needed. */
export function pesqHeapAlloc(k: FftWasmKernel, bytes: number): number {
  const at = heapTop;
  heapTop += (bytes + 15) & ~15;
  const need = heapTop - k.memory.buffer.byteLength;
  if (need > 0) k.memory.grow(Math.ceil(need / 65536));
  return at;
}

function planFor(n: number): FloatFftPlan {
  let plan = plans.get(n);
  if (plan) return plan;
  if (n < 2 || (n & (n - 1)) !== 0) throw new RangeError(`pesq fft: length ${n} is not a power of two`);
  const half = n >> 1;
  const phi = new Float32Array(n);
  for (let c = 0; c < half; c++) {
    // Theta is a float: (TWOPI * C) / N with TWOPI a float literal in dsp.c.
    const theta = f32(f32(TWOPI_F32 * c) / n);
    phi[2 * c] = Math.cos(theta);
    phi[2 * c + 1] = Math.sin(theta);
  }
  const butter = new Int32Array(half);
  let l = 1;
  for (let k = n >> 2; k >= 1; k >>= 1) {
    for (let c = 0; c < l; c++) butter[c + l] = butter[c] + k;
    l <<= 1;
  }
  const bitrev = new Int32Array(n);
  for (let c = 0; c < half; c++) {
    bitrev[c] = butter[c] << 1;
    bitrev[c + half] = bitrev[c] + 1;
  }
  const k = fftWasmKernel();
  if (k) {
    const phiPtr = pesqHeapAlloc(k, 4 * n);
    const butterPtr = pesqHeapAlloc(k, 4 * half);
    const bitrevPtr = pesqHeapAlloc(k, 4 * n);
    const workPtr = pesqHeapAlloc(k, 8 * n);
    const inPtr = pesqHeapAlloc(k, 4 * (n + 2));
    const outPtr = pesqHeapAlloc(k, 4 * (n + 2));
    new Float32Array(k.memory.buffer, phiPtr, n).set(phi);
    new Int32Array(k.memory.buffer, butterPtr, half).set(butter);
    new Int32Array(k.memory.buffer, bitrevPtr, n).set(bitrev);
    plan = { n, phi, butter, bitrev, phiPtr, butterPtr, bitrevPtr, workPtr, inPtr, outPtr, scratch: null, view: null };
  } else {
    const z = 0;
    plan = { n, phi, butter, bitrev, phiPtr: z, butterPtr: z, bitrevPtr: z, workPtr: z, inPtr: z, outPtr: z, scratch: new Float32Array(2 * n), view: null };
  }
  plans.set(n, plan);
  return plan;
}

let heapView: Float32Array | null = null;

/** A float32 view of the whole kernel memory (re-made after the memory grows). */
export function pesqHeapF32(k: FftWasmKernel): Float32Array {
  if (heapView === null || heapView.buffer !== k.memory.buffer) heapView = new Float32Array(k.memory.buffer);
  return heapView;
}

/** The plan's 2N-float work buffer (a view of the kernel memory, or the JavaScript scratch). */
function workBuffer(plan: FloatFftPlan): Float32Array {
  if (plan.scratch) return plan.scratch;
  const buffer = fftWasmKernel()!.memory.buffer;
  if (plan.view === null || plan.view.buffer !== buffer) plan.view = new Float32Array(buffer, plan.workPtr, 2 * plan.n);
  return plan.view;
}

/**
 * The log2(N) butterfly stages of dsp.c FFT (inverse = false) or IFFT (inverse = true), in place,
 * leaving the result in bit-reversed order and unscaled. JavaScript version of the kernel.
 */
function stagesJs(x: Float32Array, plan: FloatFftPlan, inverse: boolean): void {
  const { n, phi, butter } = plan;
  for (let cycle = 1, step = n >> 1; cycle < n; cycle <<= 1, step >>= 1) {
    const step2 = step << 1;
    for (let c = 0; c < cycle; c++) {
      const nc = butter[c] << 1;
      const re = phi[nc];
      const im = phi[nc + 1];
      const base = c * (step2 << 1);
      const end = base + step2;
      if (!inverse) {
        for (let a = base; a < end; a += 2) {
          const b = a + step2;
          const r1 = x[a];
          const i1 = x[a + 1];
          const r2 = x[b];
          const i2 = x[b + 1];
          const reR2 = f32(re * r2);
          const imI2 = f32(im * i2);
          const imR2 = f32(im * r2);
          const reI2 = f32(re * i2);
          // Left-to-right float evaluation of R1 + Re*R2 + Im*I2 etc.; the store rounds the last op.
          x[a] = f32(r1 + reR2) + imI2;
          x[a + 1] = f32(i1 - imR2) + reI2;
          x[b] = f32(r1 - reR2) - imI2;
          x[b + 1] = f32(i1 + imR2) - reI2;
        }
      } else {
        for (let a = base; a < end; a += 2) {
          const b = a + step2;
          const r1 = x[a];
          const i1 = x[a + 1];
          const r2 = x[b];
          const i2 = x[b + 1];
          const reR2 = f32(re * r2);
          const imI2 = f32(im * i2);
          const imR2 = f32(im * r2);
          const reI2 = f32(re * i2);
          x[a] = f32(r1 + reR2) - imI2;
          x[a + 1] = f32(i1 + imR2) + reI2;
          x[b] = f32(r1 - reR2) + imI2;
          x[b + 1] = f32(i1 - imR2) - reI2;
        }
      }
    }
  }
}

/** Runs the stages on the plan's work buffer `y` (which must come from workBuffer(plan)). */
function stages(y: Float32Array, plan: FloatFftPlan, inverse: boolean): void {
  if (plan.scratch) stagesJs(y, plan, inverse);
  else fftWasmKernel()!.stages(plan.workPtr, plan.n, plan.phiPtr, plan.butterPtr, inverse ? 1 : 0);
}

/**
 * Complex FFT of N points in place (dsp.c FFT, or IFFT with 1/N when `inverse`), natural order.
 * `backend` forces the JavaScript loop or the WebAssembly kernel (tests compare the two).
 */
export function pesqFftComplex(x: Float32Array, n: number, inverse: boolean, backend?: 'js' | 'wasm-simd'): void {
  const plan = planFor(n);
  let y: Float32Array;
  if (backend === 'js' || (backend === undefined && plan.scratch)) {
    y = plan.scratch ?? new Float32Array(2 * n);
    y.set(x.subarray(0, 2 * n));
    stagesJs(y, plan, inverse);
  } else {
    if (plan.scratch) throw new Error('pesq fft: the WebAssembly kernel is not available');
    y = workBuffer(plan);
    y.set(x.subarray(0, 2 * n));
    stages(y, plan, inverse);
  }
  const bitrev = plan.bitrev;
  for (let k = 0; k < n; k++) {
    const j = bitrev[k];
    x[2 * k] = inverse ? y[2 * j] / n : y[2 * j];
    x[2 * k + 1] = inverse ? y[2 * j + 1] / n : y[2 * j + 1];
  }
}

/**
 * Real forward FFT of N points in place (dsp.c RealFFT): reads x[offset, offset + N), writes
 * bins 0..N/2 as [re, im] pairs to x[offset, offset + N + 2).
 */
export function pesqRealFft(x: Float32Array, n: number, offset = 0): void {
  const plan = planFor(n);
  if (!plan.scratch) {
    // WebAssembly: copy in, pack + stages + gather in the kernel, copy out.
    const k = fftWasmKernel()!;
    const heap = pesqHeapF32(k);
    heap.set(x.subarray(offset, offset + n), plan.inPtr >> 2);
    k.rfft(plan.inPtr, plan.workPtr, plan.outPtr, n, plan.phiPtr, plan.butterPtr, plan.bitrevPtr);
    x.set(heap.subarray(plan.outPtr >> 2, (plan.outPtr >> 2) + n + 2), offset);
    return;
  }
  const y = plan.scratch;
  for (let i = 0; i < n; i++) {
    y[2 * i] = x[offset + i];
    y[2 * i + 1] = 0;
  }
  stagesJs(y, plan, false);
  const bitrev = plan.bitrev;
  for (let k = 0; k <= n >> 1; k++) {
    const j = bitrev[k] << 1;
    x[offset + 2 * k] = y[j];
    x[offset + 2 * k + 1] = y[j + 1];
  }
}

/**
 * Real inverse FFT of N points in place (dsp.c RealIFFT): reads bins 0..N/2 from
 * x[offset, offset + N + 2) (Hermitian symmetry supplies the rest), writes N samples, scaled 1/N.
 */
export function pesqRealIfft(x: Float32Array, n: number, offset = 0): void {
  const plan = planFor(n);
  if (!plan.scratch) {
    const k = fftWasmKernel()!;
    const heap = pesqHeapF32(k);
    heap.set(x.subarray(offset, offset + n + 2), plan.inPtr >> 2);
    k.rifft(plan.inPtr, plan.workPtr, plan.outPtr, n, plan.phiPtr, plan.butterPtr, plan.bitrevPtr);
    x.set(heap.subarray(plan.outPtr >> 2, (plan.outPtr >> 2) + n), offset);
    return;
  }
  const y = plan.scratch;
  const m = n + 2;
  for (let i = 0; i < m; i++) y[i] = x[offset + i];
  for (let i = (n >> 1) + 1; i < n; i++) {
    const j = n - i;
    y[2 * i] = x[offset + 2 * j];
    y[2 * i + 1] = -x[offset + 2 * j + 1];
  }
  stagesJs(y, plan, true);
  const bitrev = plan.bitrev;
  // IFFT divides every value by N (float division; exact for a power of two).
  for (let k = 0; k < n; k++) x[offset + k] = y[bitrev[k] << 1] / n;
}

/** Smallest power of two ≥ x (dsp.c nextpow2; 1 for x ≤ 1). */
export function nextPow2(x: number): number {
  let c = 1;
  while (c < x) c *= 2;
  return c;
}

/** Which kernel runs the butterflies: 'wasm-simd' or 'js' (for diagnostics and benchmarks). */
export function pesqFftBackend(): 'wasm-simd' | 'js' {
  return fftWasmKernel() ? 'wasm-simd' : 'js';
}
