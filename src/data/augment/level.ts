/**
 * Recording level and clipping of a mixture, before the mixer's final normalisation to unit RMS.
 *
 * Level: the speech (as it is in the mixture) is brought to an RMS drawn in levelRangeDbfs
 * (default −45…−10 dBFS: a quiet far talker to a loud close one); the noise keeps its SNR. The
 * normalised mixture does not depend on it, but `Mixture.scale` does: mixture / scale is the
 * signal as a microphone would deliver it, which a causal level path (or a quantiser) sees.
 *
 * Clipping: in a drawn fraction of mixtures the gain is instead set so that the mixture's peak
 * lies clipOverDb above full scale, and the mixture is clipped at ±1 (an overdriven input stage).
 * The target is never clipped: the net should learn to undo the distortion it can, and a clipped
 * target would teach it to produce clipping.
 */
import { signalRms } from '../noise.js';

/** dBFS of an RMS value (full scale = 1). */
export function dbfs(rms: number): number {
  return 20 * Math.log10(rms);
}

/** The gain that brings `speech` to `levelDbfs` RMS. */
export function levelGain(speech: Float64Array, levelDbfs: number): number {
  const rms = signalRms(speech);
  if (!(rms > 0)) throw new RangeError('levelGain: silent speech');
  return 10 ** (levelDbfs / 20) / rms;
}

/** The gain that puts the peak of `mixture` `overDb` above full scale. */
export function clipGain(mixture: Float64Array, overDb: number): number {
  let peak = 0;
  for (let i = 0; i < mixture.length; i++) peak = Math.max(peak, Math.abs(mixture[i]));
  if (!(peak > 0)) throw new RangeError('clipGain: silent mixture');
  return 10 ** (overDb / 20) / peak;
}

/** Clips x in place at ±1; returns the number of clipped samples. */
export function clipApply(x: Float64Array): number {
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] > 1) { x[i] = 1; n++; }
    else if (x[i] < -1) { x[i] = -1; n++; }
  }
  return n;
}
