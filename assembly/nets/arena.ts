// Load-time memory reuse for the nets. Linear memory is a bump allocator (assembly/mem.ts: nothing
// is ever freed), so a buffer used only while loading would stay allocated for the model's life.
// The one such buffer is the load scratch: the largest tensor that must be decoded to dense f32
// before being repacked (SELL-4 sparse, compacted columns, polyphase transposed-conv weights, sparse
// conv lists — two tensors for GCRN's gated pairs) plus any MPO decode scratch. The host allocates it once, the loaders use it, and then each net's
// <net>ScratchCreate() carves its per-hop scratch buffers out of that same block first
// (arenaBegin/arenaTake/arenaEnd) and only asks memAlloc for what does not fit. So the load
// scratch costs max(load scratch, hop scratch) bytes, not their sum.

import { align16, memAlloc } from "../mem";

/** Next free byte of the reuse block and its end (0, 0 when no block is active). */
let arenaNext: usize = 0;
let arenaStop: usize = 0;

/** Makes [ptr, ptr + bytes) the block arenaTake() carves from (ptr 16-byte aligned, or 0 for none). */
export function arenaBegin(ptr: usize, bytes: u32): void {
  arenaNext = ptr;
  arenaStop = ptr == 0 ? 0 : ptr + <usize>bytes;
}

/** Stops carving: later arenaTake() calls use memAlloc only. */
export function arenaEnd(): void {
  arenaNext = 0;
  arenaStop = 0;
}

/**
 * A zero-filled, 16-byte aligned block of `bytes` bytes: from the active reuse block while it fits,
 * else from memAlloc. Returns 0 when memory cannot grow.
 */
export function arenaTake(bytes: u32): usize {
  const n = align16(<usize>bytes);
  if (arenaNext != 0 && arenaNext + n <= arenaStop) {
    const p = arenaNext;
    arenaNext += n;
    memory.fill(p, 0, n);
    return p;
  }
  return memAlloc(bytes);
}

/** arenaTake() of `floats` f32 values (at least one, so every buffer has a distinct address). */
export function arenaFloats(floats: i32): usize {
  return arenaTake(<u32>max(floats, 1) << 2);
}
