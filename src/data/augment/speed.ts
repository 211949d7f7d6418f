/**
 * Speed perturbation of speech (Ko, Peddinti, Povey & Khudanpur, "Audio augmentation for speech
 * recognition", Interspeech 2015 — Kaldi's `speed` perturbation, sox `speed`): the waveform is
 * resampled so that it plays f times faster; duration scales by 1/f, every frequency (pitch and
 * formants together) by f. A 0.9–1.1 range turns each talker into a continuum of pseudo-speakers.
 *
 * Implementation: band-limited resampling by resizing the DFT of the whole segment
 * (src/dsp/convolve.ts resampleSpectral): two FFTs of ~70k points (cost: tools/bench/mixer.ts). The
 * polyphase resampler of src/dsp/resample.ts would need a new filter per factor and ~115 taps per
 * output sample (90-dB design), several times that, on the training critical path. Because the DFT
 * treats the segment as periodic, the input is tapered over SPEED_MARGIN_SAMPLES at both ends and
 * those margins are cut from the output.
 *
 * The factor is snapped to a ratio of two FFT sizes, N_in / N_out (within 1 % of the drawn
 * value — 17 cents of pitch); the realised factor is returned and reported with the mixture.
 */
import { fftSizeAtLeast, fftSizeNearest, spectrumForward, spectrumInverse, spectrumResize, type HalfSpectrum } from '../../dsp/convolve.js';

/** Samples cut from each end of the resampled signal (16 ms at 16 kHz); the taper is as long. */
export const SPEED_MARGIN_SAMPLES = 256;

/** The input length and realised factor that give `outLength` usable samples at factor ≈ `factor`. */
export interface SpeedPlan {
  /** Input samples to draw (an FFT size). */
  inLength: number;
  /** Resampled length (an FFT size) ≥ outLength + 2 margins. */
  fullLength: number;
  /** Realised factor inLength / fullLength. */
  factor: number;
}

/** Output FFT sizes tried when snapping the factor: up to this much longer than the shortest. */
const SPEED_SIZE_SLACK = 1.1;

/**
 * Plans a speed perturbation by ≈ `factor` that yields `outLength` samples: among the output FFT
 * sizes from the shortest (≥ outLength + 2 margins) to SPEED_SIZE_SLACK times it, the one whose
 * nearest input FFT size gives the ratio closest to `factor`. 5-smooth sizes near 70k are ~2 %
 * apart, so the realised factor is within 1 % of the drawn one (test/data/augment/speed.test.ts).
 */
export function speedPlan(factor: number, outLength: number): SpeedPlan {
  if (!(factor > 0)) throw new RangeError(`speed factor must be > 0, got ${factor}`);
  let best: SpeedPlan | null = null;
  const shortest = fftSizeAtLeast(outLength + 2 * SPEED_MARGIN_SAMPLES);
  for (let fullLength = shortest; fullLength <= shortest * SPEED_SIZE_SLACK; fullLength = fftSizeAtLeast(fullLength + 1)) {
    const inLength = fftSizeNearest(fullLength * factor);
    const plan = { inLength, fullLength, factor: inLength / fullLength };
    if (best === null || Math.abs(plan.factor - factor) < Math.abs(best.factor - factor)) best = plan;
  }
  return best!;
}

/**
 * Resamples `x` (plan.inLength samples) so that it plays plan.factor times faster; returns
 * `outLength` samples: the resampled signal without its first SPEED_MARGIN_SAMPLES.
 */
export function speedPerturb(x: Float64Array, plan: SpeedPlan, outLength: number): Float64Array {
  return spectrumInverse(speedSpectrum(x, plan), SPEED_MARGIN_SAMPLES, outLength);
}

/**
 * The spectrum (plan.fullLength points) of the sped-up signal, before the inverse transform:
 * samples SPEED_MARGIN_SAMPLES … fullLength − SPEED_MARGIN_SAMPLES − 1 of its period are the
 * usable signal. A caller that filters next (reverberation) multiplies this spectrum directly
 * and saves two transforms.
 */
export function speedSpectrum(x: Float64Array, plan: SpeedPlan): HalfSpectrum {
  if (x.length !== plan.inLength) throw new RangeError(`speedPerturb: input has ${x.length} samples, the plan wants ${plan.inLength}`);
  // Raised-cosine taper over the input margins: M output samples come from M·f input samples, so
  // a taper of M·min(1, f) input samples stays inside the cut margins.
  const taper = Math.min(Math.floor(SPEED_MARGIN_SAMPLES * Math.min(1, plan.factor)), Math.floor(x.length / 2));
  const y = Float64Array.from(x);
  for (let i = 0; i < taper; i++) {
    const w = 0.5 - 0.5 * Math.cos((Math.PI * (i + 0.5)) / taper);
    y[i] *= w;
    y[y.length - 1 - i] *= w;
  }
  return spectrumResize(spectrumForward(y, plan.inLength), plan.fullLength);
}
