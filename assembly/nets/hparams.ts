// Hyper-parameters of an open `.hush` file as the nets' descriptions read them, with the checks of
// src/models/config.ts (hparamInt / hparamInts: integers ≥ min) and the width arithmetic of
// src/models/convGeometry.ts (encoder widths, transposed-conv output padding). Lists live in a static
// pool that binds reset (one model at a time); a problem becomes the binder's message, e.g.
//   gcrn model: hyper-parameter 'enc_channels' must be a non-empty list of integers ≥ 1 (at most 256, each ≤ 1048576)

import { HushState } from "../format/reader";
import { hushHparamFind, hushHparamKind, hushHparamLength, hushHparamValue } from "../format/decode";
import { HUSH_HPARAM_LIST, HUSH_HPARAM_NUMBER } from "../format/spec";
import { Binder, binderFail } from "./binder";
import { nm, nameCurrent } from "./name";

/** Longest list, and largest value (a layer this wide would not fit in 4 GiB anyway). */
const LIST_MAX: i32 = 256;
const VALUE_MAX: f64 = 1048576;
/** The pool: i32 lists handed out in order (POOL_INTS in all). */
const POOL_INTS: i32 = 8 * LIST_MAX;
const pool = memory.data(POOL_INTS << 2, 16);
let poolUsed: i32 = 0;

/** Empties the list pool (at the start of every bind pass). */
export function hparamsReset(): void {
  poolUsed = 0;
}

/** An i32 list in the pool. */
@unmanaged export class Ints {
  ptr: usize;
  length: i32;
  @inline get(i: i32): i32 {
    return load<i32>(this.ptr + (<usize>i << 2));
  }
  @inline set(i: i32, v: i32): void {
    store<i32>(this.ptr + (<usize>i << 2), v);
  }
}

/** A new list of n zeros (n ≤ LIST_MAX); the empty list when the pool is spent. */
export function intsNew(n: i32): Ints {
  const rec = pool + (<usize>poolUsed << 2);
  const need = 4 + n; // the record (ptr + length, 2 words; padded to 4) then the values
  if (n > LIST_MAX || poolUsed + need > POOL_INTS) {
    const empty = changetype<Ints>(pool + (<usize>(POOL_INTS - 4) << 2));
    empty.ptr = pool;
    empty.length = 0;
    return empty;
  }
  poolUsed += need;
  const l = changetype<Ints>(rec);
  l.ptr = rec + 16;
  l.length = n;
  memory.fill(l.ptr, 0, <usize>n << 2);
  return l;
}

/** Index of hyper-parameter `name`, or −1. */
function find(s: HushState, name: string): i32 {
  const t = nm(name);
  return hushHparamFind(s, t.ptr, <u32>t.len);
}

/** True when hyper-parameter `name` is present. */
export function hparamHas(b: Binder, name: string): bool {
  return find(b.s, name) >= 0;
}

/** True when hyper-parameter `name` is a list. */
export function hparamIsList(b: Binder, name: string): bool {
  const i = find(b.s, name);
  return i >= 0 && <i32>hushHparamKind(b.s, <u32>i) == HUSH_HPARAM_LIST;
}

function intOk(v: f64, min: i32): bool {
  return Math.floor(v) == v && v >= <f64>min && v <= VALUE_MAX;
}

/** Hyper-parameter `name` as an integer ≥ min; records an error and returns min when it is not one. */
export function hparamInt(b: Binder, name: string, min: i32 = 1): i32 {
  const i = find(b.s, name);
  if (i >= 0 && <i32>hushHparamKind(b.s, <u32>i) == HUSH_HPARAM_NUMBER) {
    const v = hushHparamValue(b.s, <u32>i, 0);
    if (intOk(v, min)) return <i32>v;
  }
  if (!b.failed) binderFail(b).s("hyper-parameter '").s(name).s("' must be an integer ≥ ").int(min).s(" (≤ ").int(<i64>VALUE_MAX).s(")");
  return min;
}

/**
 * Optional on/off hyper-parameter `name` (src/models/config.ts hparamFlag): false when absent (files
 * from before the option), else 0 or 1; records an error and returns false for anything else.
 */
export function hparamFlag(b: Binder, name: string): bool {
  if (!hparamHas(b, name)) return false;
  const v = hparamInt(b, name, 0);
  if (!b.failed && v > 1) binderFail(b).s("hyper-parameter '").s(name).s("' must be 0 or 1, got ").int(v);
  return v == 1;
}

/** Hyper-parameter `name` as a non-empty list of integers ≥ min; records an error (and returns [min]) otherwise. */
export function hparamInts(b: Binder, name: string, min: i32 = 1): Ints {
  const i = find(b.s, name);
  if (i >= 0 && <i32>hushHparamKind(b.s, <u32>i) == HUSH_HPARAM_LIST) {
    const n = <i32>hushHparamLength(b.s, <u32>i);
    if (n >= 1 && n <= LIST_MAX) {
      const l = intsNew(n);
      let ok = l.length == n;
      for (let j = 0; j < n && ok; j++) {
        const v = hushHparamValue(b.s, <u32>i, <u32>j);
        ok = intOk(v, min);
        l.set(j, <i32>v);
      }
      if (ok) return l;
    }
  }
  if (!b.failed) {
    binderFail(b).s("hyper-parameter '").s(name).s("' must be a non-empty list of integers ≥ ").int(min)
      .s(" (at most ").int(LIST_MAX).s(", each ≤ ").int(<i64>VALUE_MAX).s(")");
  }
  const l = intsNew(1);
  l.set(0, min);
  return l;
}

/** Output width of a conv with kernel k, stride s, symmetric padding p: ⌊(w + 2p − k)/s⌋ + 1. */
export function convOutputWidth(w: i32, k: i32, s: i32, p: i32): i32 {
  return <i32>Math.floor(<f64>(w + 2 * p - k) / <f64>s) + 1;
}

/**
 * Widths along an encoder: [w0, w1, …, wN] for kernel k, strides[i] and pads[i]; records an error
 * (naming layer i + 1) when a width would drop below 1.
 */
export function encoderWidths(b: Binder, w0: i32, k: i32, strides: Ints, pads: Ints): Ints {
  const n = strides.length;
  const widths = intsNew(n + 1);
  if (widths.length != n + 1) return widths;
  widths.set(0, w0);
  for (let i = 0; i < n; i++) {
    const w = convOutputWidth(widths.get(i), k, strides.get(i), pads.get(i));
    if (w < 1 && !b.failed) {
      binderFail(b).s("encoder layer ").int(i + 1).s(" would have width ").int(w).s(" (input width ").int(widths.get(i)).s(")");
    }
    widths.set(i + 1, max(w, 1));
  }
  return widths;
}

/**
 * The output_padding a transposed conv (kernel k, stride s, padding p) needs to map width wIn back to
 * wTarget; PyTorch requires 0 ≤ output_padding < s: records an error naming decoder `layer` otherwise.
 */
export function deconvOutputPadding(b: Binder, wIn: i32, wTarget: i32, k: i32, s: i32, p: i32, layer: i32): i32 {
  const op = wTarget - ((wIn - 1) * s - 2 * p + k);
  if ((op < 0 || op >= max(s, 1)) && !b.failed) {
    binderFail(b).s("decoder layer ").int(layer).s(": a transposed conv (kernel ").int(k).s(", stride ").int(s).s(", padding ").int(p)
      .s(") cannot map width ").int(wIn).s(" back to ").int(wTarget);
  }
  return max(op, 0);
}

/** Leaves the name buffer empty (hparam lookups use it). */
export function hparamsDone(): void {
  nameCurrent().len = 0;
}
