/**
 * PESQ: ITU-T P.862 raw score, P.862.1 MOS-LQO (narrow band) and P.862.2 MOS-LQO (wide band),
 * reproducing the ITU reference implementation (pesqmain.c pesq_measure) in TypeScript.
 *
 * Pipeline per mode: level alignment → receive filter (IRS for narrow band, a 100 Hz high-pass for
 * wide band) → copy kept for the perceptual model → DC block + IRS-like IIR → VAD → delay
 * estimation → perceptual model on the kept copy → raw score → MOS-LQO.
 *
 * Input convention (as the `pesq` Python package, which wraps the same C code): both signals are
 * divided by the largest absolute sample of the two and rounded to float32 before processing.
 * The level alignment makes the score independent of the input scale up to float rounding.
 *
 * Agreement: every float operation of the reference is reproduced in float32 (see fftFloat.ts),
 * including its quirks (e.g. split_align's window clobbered by crude_align, alignment.ts), so the
 * scores equal the ITU code's bit for bit on the project fixtures and on 110 further pairs checked
 * with tools/metricsOracle.ts. Deliberate differences, both where the C code has undefined
 * behaviour: a reference without utterances is a UserError (the C code indexes utterance −1 before
 * reporting error −7), and more than 50 utterances are tracked in growable arrays (the C code
 * writes past its fixed arrays).
 */
import { UserError } from '../../errors.js';
import { signalCheck, type Samples } from '../signalCheck.js';
import { utterancesLocate } from './alignment.js';
import { IRS_FILTER_DB, ALIGN_FILTER_DB, MAXNUTTERANCES, P862_1_NB, P862_2_WB } from './constants.js';
import { curveFilter, dcBlock, iirFilter, levelAlign, type PesqSignal } from './filters.js';
import { perceptualModelScore } from './perceptualModel.js';
import { pesqRate, type PesqRate } from './rate.js';
import { vadCompute } from './vad.js';

const f32 = Math.fround;

/** 'nb': P.862 narrow band (handset, IRS filter); 'wb': P.862.2 wide band (16 kHz only). */
export type PesqMode = 'nb' | 'wb';

/** One PESQ result. */
export interface PesqResult {
  /** Raw P.862 score 4.5 − 0.1·d_sym − 0.0309·d_asym (−0.5 … 4.5), float32 as in the reference. */
  raw: number;
  /** MOS-LQO: P.862.1 mapping of `raw` for 'nb', P.862.2 mapping for 'wb' (float32). */
  mos: number;
}

/** Names used in error messages. */
export interface PesqNames {
  ref?: string;
  deg?: string;
}

/** MOS-LQO y = a + b / (1 + exp(c·raw + d)) evaluated in float32 like pesqmain.c. */
function mosMap(raw: number, m: readonly [number, number, number, number]): number {
  const e = f32(Math.exp(f32(f32(f32(m[2]) * raw) + f32(m[3]))));
  return f32(f32(m[0]) + f32(f32(m[1]) / f32(1 + e)));
}

/** P.862.1 mapping of a raw narrow-band score to MOS-LQO. */
export function pesqMosLqoNb(raw: number): number {
  return mosMap(raw, P862_1_NB);
}

/** P.862.2 mapping of a raw wide-band score to MOS-LQO. */
export function pesqMosLqoWb(raw: number): number {
  return mosMap(raw, P862_2_WB);
}

/** Signals after loading and level alignment, shared by both modes. */
interface PesqPrepared {
  rate: PesqRate;
  ref: PesqSignal;
  deg: PesqSignal;
  maxNSamples: number;
  names: Required<PesqNames>;
}

/** Puts samples into the reference layout: margin zeros, samples, margin zeros, padding zeros. */
function signalLoad(x: Float32Array, rate: PesqRate): PesqSignal {
  const nSamples = x.length + 2 * rate.searchOffset;
  const data = new Float32Array(nSamples + rate.padding);
  data.set(x, rate.searchOffset);
  return { data, nSamples };
}

function prepare(ref: Samples, deg: Samples, fs: number, names: PesqNames): PesqPrepared {
  const n: Required<PesqNames> = { ref: names.ref ?? 'reference', deg: names.deg ?? 'degraded' };
  const rate = pesqRate(fs);
  signalCheck(ref, n.ref, fs);
  signalCheck(deg, n.deg, fs);
  const minLength = fs / 4;
  if (ref.length < minLength || deg.length < minLength) {
    const short = ref.length < minLength ? `${n.ref} (${ref.length} samples)` : `${n.deg} (${deg.length} samples)`;
    throw new UserError(`PESQ needs at least 1/4 s of signal (${minLength} samples at ${fs} Hz); ${short} is shorter`);
  }
  let refMax = 0;
  for (let i = 0; i < ref.length; i++) refMax = Math.max(refMax, Math.abs(ref[i]));
  if (refMax === 0) throw new UserError(`${n.ref}: reference is digital silence; PESQ needs speech in the reference`);
  let maxAbs = refMax;
  for (let i = 0; i < deg.length; i++) maxAbs = Math.max(maxAbs, Math.abs(deg[i]));
  const rf = new Float32Array(ref.length);
  for (let i = 0; i < ref.length; i++) rf[i] = ref[i] / maxAbs;
  const df = new Float32Array(deg.length);
  for (let i = 0; i < deg.length; i++) df[i] = deg[i] / maxAbs;

  const r = signalLoad(rf, rate);
  const d = signalLoad(df, rate);
  const maxNSamples = Math.max(r.nSamples, d.nSamples);
  for (const [sig, name] of [[r, n.ref], [d, n.deg]] as const) {
    const scale = levelAlign(sig, maxNSamples, ALIGN_FILTER_DB, rate);
    // No power in the alignment band: the reference would scale by 1/0 and compute on NaNs.
    if (!Number.isFinite(scale) || scale > 1e30) {
      throw new UserError(`${name}: no signal power in the 350–3250 Hz speech band; PESQ is undefined for it`);
    }
  }
  return { rate, ref: r, deg: d, maxNSamples, names: n };
}

/** Wide-band input filter of P.862.2: 16-sample tapers at both ends, then the 100 Hz high-pass. */
function wideBandFilter(sig: PesqSignal, rate: PesqRate): void {
  const { data, nSamples } = sig;
  const ofs = rate.searchOffset;
  for (let i = 0; i < 16; i++) {
    const g = f32(i / 16);
    data[ofs + i - 1] = data[ofs + i - 1] * g;
    data[nSamples - ofs - i] = data[nSamples - ofs - i] * g;
  }
  iirFilter(rate.wbInputIir, data, ofs, nSamples - 2 * ofs);
}

/** Copies a signal's buffer, zero-extended to `nSamples + padding`. */
function padTo(sig: PesqSignal, nSamples: number, rate: PesqRate): PesqSignal {
  const data = new Float32Array(nSamples + rate.padding);
  data.set(sig.data.subarray(0, Math.min(sig.data.length, data.length)));
  return { data, nSamples };
}

/** Raw score of one mode from prepared (level-aligned) signals; the prepared buffers are left intact. */
function rawScore(p: PesqPrepared, mode: PesqMode): number {
  const { rate, maxNSamples } = p;
  const ref: PesqSignal = { data: p.ref.data.slice(), nSamples: p.ref.nSamples };
  const deg: PesqSignal = { data: p.deg.data.slice(), nSamples: p.deg.nSamples };
  for (const sig of [ref, deg]) {
    if (mode === 'nb') curveFilter(sig.data, sig.nSamples, IRS_FILTER_DB, rate);
    else wideBandFilter(sig, rate);
  }
  // The model works on these receive-filtered signals; VAD and alignment on further-filtered copies.
  const modelRef = padTo(ref, maxNSamples, rate);
  const modelDeg = padTo(deg, maxNSamples, rate);
  for (const sig of [ref, deg]) {
    dcBlock(sig, rate);
    iirFilter(rate.inputIir, sig.data, 0, sig.nSamples + rate.padding);
  }
  const refIn = { sig: ref, vad: vadCompute(ref, rate) };
  const degIn = { sig: deg, vad: vadCompute(deg, rate) };
  const utt = utterancesLocate(refIn, degIn, rate, MAXNUTTERANCES);
  if (utt.count < 1) {
    throw new UserError(
      `${p.names.ref}: no utterances detected (P.862 error -7): the reference needs speech of at least ` +
        `${(50 * rate.downsample) / rate.fs} s above the noise floor`,
    );
  }
  return perceptualModelScore(modelRef, modelDeg, utt, maxNSamples, rate);
}

/**
 * PESQ of a degraded signal against its reference, both at `sampleRate` (8000 or 16000 Hz; 'wb'
 * needs 16000). Lengths may differ (the model pads the shorter one). Throws a UserError for other
 * rates, signals shorter than 1/4 s, non-finite samples, a silent reference, or a reference
 * in which the P.862 VAD finds no utterance.
 */
export function pesq(ref: Samples, deg: Samples, sampleRate: number, mode: PesqMode = 'nb', names: PesqNames = {}): PesqResult {
  if (mode === 'wb' && sampleRate !== 16000) {
    throw new UserError(`wide-band PESQ (P.862.2) needs 16000 Hz signals, got ${sampleRate} Hz`);
  }
  const p = prepare(ref, deg, sampleRate, names);
  const raw = rawScore(p, mode);
  return { raw, mos: mode === 'nb' ? pesqMosLqoNb(raw) : pesqMosLqoWb(raw) };
}

/**
 * Narrow-band and (at 16 kHz) wide-band PESQ in one call, sharing the input checks and the level
 * alignment. `wb` is null at 8 kHz, where P.862.2 is not defined.
 */
export function pesqBoth(
  ref: Samples,
  deg: Samples,
  sampleRate: number,
  names: PesqNames = {},
): { nb: PesqResult; wb: PesqResult | null } {
  const p = prepare(ref, deg, sampleRate, names);
  const nbRaw = rawScore(p, 'nb');
  const nb = { raw: nbRaw, mos: pesqMosLqoNb(nbRaw) };
  if (sampleRate !== 16000) return { nb, wb: null };
  const wbRaw = rawScore(p, 'wb');
  return { nb, wb: { raw: wbRaw, mos: pesqMosLqoWb(wbRaw) } };
}
