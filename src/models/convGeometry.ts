/**
 * Width arithmetic of strided convolutions along the non-time axis (frequency bins for GCRN,
 * samples within a frame for TCNN). Shared by the layouts (shapes, MACs) and the networks.
 */
import { UserError } from '../errors.js';

/** Output width of a Conv with kernel k, stride s and symmetric zero padding p: ⌊(w + 2p − k)/s⌋ + 1. */
export function convOutputWidth(w: number, k: number, s: number, p: number): number {
  return Math.floor((w + 2 * p - k) / s) + 1;
}

/**
 * The output_padding a ConvTranspose (kernel k, stride s, padding p) needs to map width `wIn` back
 * to `wTarget` (the width of the matching encoder layer's input): wTarget − ((wIn − 1)·s − 2p + k).
 * PyTorch requires 0 ≤ output_padding < s; anything else means the encoder/decoder do not mirror,
 * reported as a UserError naming `what`.
 */
export function deconvOutputPadding(wIn: number, wTarget: number, k: number, s: number, p: number, what: string): number {
  const op = wTarget - ((wIn - 1) * s - 2 * p + k);
  if (op < 0 || op >= Math.max(s, 1)) {
    throw new UserError(`${what}: a transposed conv (kernel ${k}, stride ${s}, padding ${p}) cannot map width ${wIn} back to ${wTarget}`);
  }
  return op;
}

/**
 * Widths along the encoder: [w0, w1, …, wN] for N layers with kernel k, strides[i] and pads[i].
 * Throws UserError naming `what` when a width would drop below 1.
 */
export function encoderWidths(w0: number, k: number, strides: number[], pads: number[], what: string): number[] {
  const widths = [w0];
  for (let i = 0; i < strides.length; i++) {
    const w = convOutputWidth(widths[i], k, strides[i], pads[i]);
    if (w < 1) throw new UserError(`${what}: encoder layer ${i + 1} would have width ${w} (input width ${widths[i]})`);
    widths.push(w);
  }
  return widths;
}
