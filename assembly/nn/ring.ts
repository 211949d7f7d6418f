// Time ring buffers of the streaming (causal) convolutions: conv2dStep, convTranspose2dStep,
// depthwiseConv1dStep. Shared convention, so that every streaming kernel keeps its state the same
// way (settings in the arguments, state = ring contents + one position the caller stores):
//
//   ring: f32[L][frameFloats], L = number of past frames the kernel needs (its delay line);
//   pos:  slot of the oldest frame (lag L), which is also the slot the current frame goes to next.
//   The frame of lag m (1 ≤ m ≤ L, i.e. m hops ago) lives in slot (pos + L − m) mod L.
//   A zero-filled ring (memAlloc) with pos = 0 is the causal zero padding before the first frame.
// Each step kernel reads the current frame x and the ring, then stores x into slot pos and returns
// (pos + 1) mod L — the caller keeps that value for the next hop (L = 0: ring unused, returns 0).
// Latency: none. The kernels are causal and emit output frame n when input frame n arrives, so
// they add 0 samples to a net's latencySamples(); the ring is memory of the past, not a delay.
// Reset a stream (lstmReset-style) by zero-filling the ring and setting pos = 0.

/** Address of the frame of lag m (1 ≤ m ≤ L) in a ring of L slots of frameBytes bytes each. */
// @ts-ignore: decorator
@inline export function ringFrame(ring: usize, pos: i32, L: i32, m: i32, frameBytes: usize): usize {
  let slot = pos - m;
  if (slot < 0) slot += L;
  return ring + <usize>slot * frameBytes;
}

/** Stores the current frame x into slot pos and returns the next position, (pos + 1) mod L. */
// @ts-ignore: decorator
@inline export function ringPush(ring: usize, pos: i32, L: i32, x: usize, frameBytes: usize): i32 {
  if (L <= 0) return 0;
  memory.copy(ring + <usize>pos * frameBytes, x, frameBytes);
  pos++;
  return pos == L ? 0 : pos;
}
