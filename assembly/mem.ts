// Linear-memory management for the stub runtime. The host (JS) asks for buffers once, at load time,
// with memAlloc(); nothing is allocated per hop. Every buffer is 16-byte aligned so that v128 loads
// and stores of f32x4 never straddle an alignment boundary.

/** Bytes between the heap base and the next free byte. */
let top: usize = 0;

/** Rounds `n` up to a multiple of 16. */
// @ts-ignore: decorator
@inline export function align16(n: usize): usize {
  return (n + 15) & ~(<usize>15);
}

/**
 * Returns a 16-byte aligned, zero-filled block of `bytes` bytes, growing memory when needed.
 * Returns 0 when memory cannot grow (the host turns that into an error).
 */
export function memAlloc(bytes: u32): usize {
  const base = align16(__heap_base);
  if (top == 0) top = base;
  const ptr = align16(top);
  const end = ptr + align16(<usize>bytes);
  const needPages = <i32>((end + 0xffff) >>> 16);
  const havePages = memory.size();
  if (needPages > havePages) {
    if (memory.grow(needPages - havePages) < 0) return 0;
  }
  memory.fill(ptr, 0, end - ptr);
  top = end;
  return ptr;
}

/** Frees every block at once (used between independent loads in tests and fuzzing). */
export function memReset(): void {
  top = align16(__heap_base);
}

/** The allocator's position, for memRewind (model loading plans a net before allocating its weights). */
export function memMark(): usize {
  return top;
}

/** Frees every block handed out since memMark() returned `mark` (nothing may point into them any more). */
export function memRewind(mark: usize): void {
  top = mark;
}

/** Bytes currently handed out by memAlloc(). */
export function memUsed(): u32 {
  if (top == 0) return 0;
  return <u32>(top - align16(__heap_base));
}

/** 1 in the SIMD build, 0 in the scalar build (compile-time feature flag). */
export function simdEnabled(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}
