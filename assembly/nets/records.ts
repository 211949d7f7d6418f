// Small shared pieces of the nets' weight records. Each net keeps three separate objects, as
// rnnoise's compute_rnn(model, state, …) does: <Net>Weights (read-only after load), <Net>State
// (the stream: everything a hop leaves for the next one; reset zeroes it) and <Net>Scratch (per-hop
// working buffers, overwritten every hop). Variable-length parts (layers, blocks) are arrays of
// fixed-size @unmanaged records allocated once at load.

import { memAlloc } from "../mem";
import { Mat } from "./mat";

/** A fully connected layer: y = W·x + b (W a Mat in any plan form; b f32[rows] or 0). */
@unmanaged export class Linear {
  mat: usize;
  bias: usize;
}

/** Record i of an array of T records starting at base. */
// @ts-ignore: decorator
@inline export function recordAt<T>(base: usize, i: i32): T {
  return changetype<T>(base + <usize>i * offsetof<T>());
}

/** A zeroed array of n T records (0 when memory cannot grow). */
// @ts-ignore: decorator
@inline export function recordsCreate<T>(n: i32): usize {
  return memAlloc(<u32>(max(n, 1) * <i32>offsetof<T>()));
}

/** The Mat of a Linear. */
// @ts-ignore: decorator
@inline export function linearMat(l: Linear): Mat {
  return changetype<Mat>(l.mat);
}
