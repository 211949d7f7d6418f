/**
 * A minimal WebAssembly binary encoder for the metric kernels (pesq/fftWasm.ts,
 * resampleWasm.ts): LEB128, sections, and the handful of instructions they use. Kernels are
 * assembled at run time from these byte helpers, so the package ships no .wasm files and needs no
 * build step; WebAssembly's IEEE f32/f64 arithmetic (no fused multiply-add) keeps results
 * identical to the JavaScript and C versions they mirror.
 */

/** Value types (binary encoding). */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** Unsigned LEB128 of a non-negative 32-bit integer. */
export function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** A module section: id, byte length, contents. */
export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** A vector: element count, then the encoded elements. */
export function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** A name: byte length, then ASCII bytes. */
export function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

/*
 * Instructions, as byte arrays (opcodes from the WebAssembly 2.0 core spec and the fixed-width
 * SIMD proposal; memarg alignment is log2 bytes). Names follow the text format: get = local.get,
 * set = local.set, i32c = i32.const, f32c = f32.const, br/brIf = br/br_if.
 */
export const get = (i: number) => [0x20, ...uleb(i)];
export const set = (i: number) => [0x21, ...uleb(i)];
export const i32c = (v: number) => [0x41, ...sleb(v)];
export const memarg = (align: number, offset: number) => [...uleb(align), ...uleb(offset)];
export const f32load = (offset: number) => [0x2a, ...memarg(2, offset)];
export const f32store = (offset: number) => [0x38, ...memarg(2, offset)];
export const i32load = (offset: number) => [0x28, ...memarg(2, offset)];
export const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
export const v128load = (offset: number) => simd(0x00, ...memarg(2, offset));
export const v128store = (offset: number) => simd(0x0b, ...memarg(2, offset));
export const shuffle = (lanes: number[]) => simd(0x0d, ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]));
export const F32X4_SPLAT = simd(0x13);
export const replaceLane = (lane: number) => simd(0x20, lane);
export const F32X4_ADD = simd(228);
export const F32X4_SUB = simd(229);
export const F32X4_MUL = simd(230);
export const I32_ADD = [0x6a];
export const I32_SUB = [0x6b];
export const I32_LE_U = [0x4d];
export const I32_GT_U = [0x4b];
export const F32_DIV = [0x95];
export const F32_CONVERT_I32_U = [0xb3];
export const f32c = (v: number) => [0x43, ...new Uint8Array(Float32Array.of(v).buffer)];
export const call = (f: number) => [0x10, ...uleb(f)];
export const I32_MUL = [0x6c];
export const I32_SHL = [0x74];
export const I32_SHR_U = [0x76];
export const I32_LT_U = [0x49];
export const I32_GE_U = [0x4f];
export const I32_EQZ = [0x45];
export const F32_ADD = [0x92];
export const F32_SUB = [0x93];
export const F32_MUL = [0x94];
export const F32_NEG = [0x8c];
export const BLOCK = [0x02, 0x40];
export const LOOP = [0x03, 0x40];
export const IF = [0x04, 0x40];
export const ELSE = [0x05];
export const END = [0x0b];
export const br = (depth: number) => [0x0c, ...uleb(depth)];
export const brIf = (depth: number) => [0x0d, ...uleb(depth)];

// Opcodes used by the other kernels.
export const I32_DIV_U = [0x6e];
export const I32_LT_S = [0x48];
export const I32_GT_S = [0x4a];
export const I32_LE_S = [0x4c];
export const SELECT = [0x1b];
export const f64load = (offset: number) => [0x2b, ...memarg(3, offset)];
export const F64X2_SPLAT = simd(0x14);
export const F64X2_ADD = simd(240);
export const F64X2_MUL = simd(242);
export const v128zero = () => simd(0x0c, ...new Array(16).fill(0));
export const F64 = 0x7c;

/** Emits code into an array (helper of kernel bodies). */
export function emitter(): { code: number[]; emit: (...parts: number[][]) => void } {
  const code: number[] = [];
  return { code, emit: (...parts: number[][]) => parts.forEach((p) => code.push(...p)) };
}

/** Encodes a function body: local declarations [count, type] then the code (ending in END). */
export function funcBody(locals: number[][], body: number[]): number[] {
  const b = [...vec(locals), ...body];
  return [...uleb(b.length), ...b];
}

/** Compiles and instantiates module bytes; null where WebAssembly (SIMD) is unavailable or invalid. */
export function wasmInstantiate(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Instance | null {
  if (typeof WebAssembly !== 'object') return null;
  if (typeof process !== 'undefined' && process.env?.HUSHPACK_METRICS_NO_WASM === '1') return null;
  if (!WebAssembly.validate(bytes)) return null;
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
}
