/**
 * Room reverberation of the speech of a mixture (synthetic shoebox rooms, ./room.ts).
 *
 * Target: the early-reflection speech — the dry speech convolved with the direct path and the first
 * ROOM_EARLY_SECONDS (50 ms) of the response — while the mixture carries the whole reverberant
 * speech. Why not the reverberant speech: the late tail smears each phoneme over RT60 and fills
 * the gaps between words, which is what hurts intelligibility (Bradley, Sato & Picard, JASA 114,
 * 2003: early reflections within ~50 ms are integrated with the direct sound and help), so a net
 * that keeps it enhances less than it could. Why not the dry (direct-path) speech: removing the
 * early reflections too asks a small causal net to invert a room response whose first 50 ms it
 * sees only after the fact; the early reflections are also what a listener hears as "the voice in
 * the room", and removing them tends to leave artefacts (listening tests of real-time
 * dereverberation targets: "To Dereverb Or Not to Dereverb?", arXiv:2206.07917).
 *
 * Alignment: the response has its direct path at lag 0 with amplitude 1, so target and mixture
 * are aligned with the dry speech (no delay the net would have to learn or could not undo).
 * The noise is not reverberated: recorded noises already carry the room they were recorded in,
 * synthetic and typing noise stand for sources near the microphone, and talker babble at 3–8
 * overlapping talkers is already diffuse.
 */
import { convolveValid, spectrumConvolve, type HalfSpectrum } from '../../dsp/convolve.js';
import type { RoomResponse } from './room.js';

/** Reverberant and early-reflection versions of one speech segment. */
export interface ReverbSpeech {
  /** Speech with the whole room response: what the microphone picks up. */
  reverberant: Float64Array;
  /** Speech with the direct path and early reflections only: the training target. */
  early: Float64Array;
}

/** Input samples a reverberated segment needs before its first output sample (the response's memory). */
export function reverbLeadSamples(response: RoomResponse): number {
  return response.ir.length - 1;
}

/**
 * Reverberates `speech` = lead-in (reverbLeadSamples) + the wanted segment, so that the first
 * output sample already has the full reverberation of the speech before it (a 4-s excerpt of a
 * reverberant recording, not a room that starts silent). Returns the wanted segment's length.
 */
export function reverbApply(speech: Float64Array, response: RoomResponse): ReverbSpeech {
  const [reverberant, early] = convolveValid(speech, [response.ir, response.early]);
  return { reverberant, early };
}

/**
 * reverbApply on a signal given by its spectrum (one period of spec.size samples, e.g. the output
 * of augment/speed.ts speedSpectrum): returns samples [first, first + length) of the reverberant
 * and early-reflection speech. Exact (no wrap-around) when first ≥ reverbLeadSamples and the
 * period holds the signal from first − lead to first + length.
 */
export function reverbApplySpectrum(spec: HalfSpectrum, first: number, length: number, response: RoomResponse): ReverbSpeech {
  if (first < reverbLeadSamples(response)) throw new RangeError(`reverbApplySpectrum: the first output (${first}) needs ${reverbLeadSamples(response)} samples before it`);
  const [reverberant, early] = spectrumConvolve(spec, [response.ir, response.early], first, length);
  return { reverberant, early };
}
