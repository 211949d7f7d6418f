/**
 * The polyphase inner loop of resampleOct for two signals at once, as a WebAssembly f64x2
 * kernel: the signals are interleaved [a0, b0, a1, b1, …] so one f64x2 multiply-add serves both.
 * Double precision like the JavaScript loop; only the order of the sums differs (two partial
 * sums per signal), i.e. results agree to ~1e-16 relative.
 *
 * Kernel resample2(z, nIn, bank, taps, up, down, preRemove, nOut, out) (pointers are byte
 * offsets): for each output i, t = (i + preRemove)·down, n = ⌊t/up⌋, p = t − n·up,
 * out[i] = Σ_m z[n − m] · bank[p·taps + m] over 0 ≤ n − m < nIn, 0 ≤ m < taps.
 */
import {
  BLOCK,
  END,
  F64X2_ADD,
  F64X2_MUL,
  F64X2_SPLAT,
  I32,
  I32_ADD,
  I32_DIV_U,
  I32_GE_U,
  I32_GT_S,
  I32_LE_S,
  I32_LT_S,
  I32_MUL,
  I32_SHL,
  I32_SUB,
  IF,
  LOOP,
  V128,
  br,
  brIf,
  emitter,
  f64load,
  funcBody,
  get,
  i32c,
  name,
  section,
  set,
  uleb,
  v128load,
  v128store,
  v128zero,
  vec,
  wasmInstantiate,
} from './wasmAssembler.js';

/** The assembled kernel and its memory. */
export interface ResampleWasmKernel {
  readonly memory: WebAssembly.Memory;
  readonly resample2: (
    z: number,
    nIn: number,
    bank: number,
    taps: number,
    up: number,
    down: number,
    preRemove: number,
    nOut: number,
    out: number,
  ) => void;
}

function resampleBody(): number[] {
  // Params 0..8, locals: 9 i, 10 t, 11 n, 12 p, 13 mLo, 14 mHi, 15 m, 16 bp, 17 xp (i32); 18 acc0, 19 acc1 (v128).
  const [Z, NIN, BANK, TAPS, UP, DOWN, PRE, NOUT, OUT] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [I, T, N, P, MLO, MHI, M, BP, XP, ACC0, ACC1] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
  const { code, emit } = emitter();
  emit(i32c(0), set(I), BLOCK, LOOP);
  emit(get(I), get(NOUT), I32_GE_U, brIf(1));
  emit(get(I), get(PRE), I32_ADD, get(DOWN), I32_MUL, set(T));
  emit(get(T), get(UP), I32_DIV_U, set(N));
  emit(get(T), get(N), get(UP), I32_MUL, I32_SUB, set(P));
  // mLo = max(0, n − (nIn − 1)); mHi = min(taps − 1, n)
  emit(get(N), get(NIN), i32c(1), I32_SUB, I32_SUB, set(MLO));
  emit(get(MLO), i32c(0), I32_LT_S, IF, i32c(0), set(MLO), END);
  emit(get(N), set(MHI));
  emit(get(MHI), get(TAPS), i32c(1), I32_SUB, I32_GT_S, IF, get(TAPS), i32c(1), I32_SUB, set(MHI), END);
  emit(v128zero(), set(ACC0), v128zero(), set(ACC1));
  emit(get(BANK), get(P), get(TAPS), I32_MUL, get(MLO), I32_ADD, i32c(3), I32_SHL, I32_ADD, set(BP));
  emit(get(Z), get(N), get(MLO), I32_SUB, i32c(4), I32_SHL, I32_ADD, set(XP));
  emit(get(MLO), set(M));
  emit(BLOCK, LOOP);
  emit(get(M), i32c(1), I32_ADD, get(MHI), I32_GT_S, brIf(1));
  emit(get(ACC0), get(XP), v128load(0), get(BP), f64load(0), F64X2_SPLAT, F64X2_MUL, F64X2_ADD, set(ACC0));
  emit(get(ACC1), get(XP), i32c(16), I32_SUB, v128load(0), get(BP), f64load(8), F64X2_SPLAT, F64X2_MUL, F64X2_ADD, set(ACC1));
  emit(get(BP), i32c(16), I32_ADD, set(BP), get(XP), i32c(32), I32_SUB, set(XP));
  emit(get(M), i32c(2), I32_ADD, set(M), br(0), END, END);
  emit(get(M), get(MHI), I32_LE_S, IF);
  emit(get(ACC0), get(XP), v128load(0), get(BP), f64load(0), F64X2_SPLAT, F64X2_MUL, F64X2_ADD, set(ACC0));
  emit(END);
  emit(get(OUT), get(I), i32c(4), I32_SHL, I32_ADD, get(ACC0), get(ACC1), F64X2_ADD, v128store(0));
  emit(get(I), i32c(1), I32_ADD, set(I), br(0), END, END);
  emit(END);
  return code;
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const type = section(1, vec([[0x60, ...vec(Array.from({ length: 9 }, () => [I32])), ...vec([])]]));
  const func = section(3, vec([uleb(0)]));
  const memory = section(5, vec([[0x00, ...uleb(1)]]));
  const exports = section(7, vec([[...name('resample2'), 0x00, 0], [...name('memory'), 0x02, 0]]));
  const code = section(10, vec([funcBody([[9, I32], [2, V128]], resampleBody())]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...func, ...memory, ...exports, ...code]);
}

let kernel: ResampleWasmKernel | null | undefined;

/** The kernel, or null where WebAssembly SIMD is unavailable (HUSHPACK_METRICS_NO_WASM=1 forces null). */
export function resampleWasmKernel(): ResampleWasmKernel | null {
  if (kernel !== undefined) return kernel;
  const instance = wasmInstantiate(moduleBytes());
  kernel = instance ? (instance.exports as unknown as ResampleWasmKernel) : null;
  return kernel;
}

/**
 * Runs the kernel on two equally long signals with the polyphase bank (up phases × taps, double):
 * returns the two outputs of nOut samples each.
 */
export function resample2Wasm(
  k: ResampleWasmKernel,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  bank: Float64Array,
  taps: number,
  up: number,
  down: number,
  preRemove: number,
  nOut: number,
): [Float64Array, Float64Array] {
  const nIn = a.length;
  const zBytes = 16 * nIn;
  const bankBytes = 8 * bank.length;
  const outBytes = 16 * nOut;
  const zPtr = 0;
  const bankPtr = zPtr + zBytes;
  const outPtr = bankPtr + bankBytes;
  const need = outPtr + outBytes - k.memory.buffer.byteLength;
  if (need > 0) k.memory.grow(Math.ceil(need / 65536));
  const heap = new Float64Array(k.memory.buffer);
  for (let i = 0; i < nIn; i++) {
    heap[2 * i] = a[i];
    heap[2 * i + 1] = b[i];
  }
  heap.set(bank, bankPtr >> 3);
  k.resample2(zPtr, nIn, bankPtr, taps, up, down, preRemove, nOut, outPtr);
  const oa = new Float64Array(nOut);
  const ob = new Float64Array(nOut);
  const o = outPtr >> 3;
  for (let i = 0; i < nOut; i++) {
    oa[i] = heap[o + 2 * i];
    ob[i] = heap[o + 2 * i + 1];
  }
  return [oa, ob];
}
