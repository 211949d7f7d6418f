/**
 * All speech-quality metrics of one (reference, degraded) pair — the numbers of `hushpack eval`,
 * of the evaluation set runner and of the paper's tables — with the input policy in one place:
 * equal lengths (or explicit trimming), finite samples, and PESQ only at the rates it is defined
 * for (other rates are resampled, with a note).
 */
import { UserError } from '../errors.js';
import { readMono } from '../data/wav.js';
import { bssEvalSdr } from './bssEval.js';
import { pesqBoth } from './pesq/pesq.js';
import { resampleOct } from './resampleOct.js';
import { sdr, siSnr } from './sdr.js';
import { lengthsCheck, signalCheck } from './signalCheck.js';
import { stoiBoth } from './stoi.js';

/**
 * Metric values of one pair. PESQ entries are MOS-LQO (P.862.1 narrow band, P.862.2 wide band)
 * and the raw P.862 score; `pesq_wb` is null when the signals are at 8 kHz (P.862.2 needs 16 kHz).
 * dB values may be ±Infinity (e.g. sisnr and sdr of identical signals).
 */
export interface MetricResult {
  pesq_nb: number;
  pesq_nb_raw: number;
  pesq_wb: number | null;
  stoi: number;
  estoi: number;
  /** SI-SDR (dB). */
  sisnr: number;
  /** Plain SDR (dB). */
  sdr: number;
  /** BSS-eval v3 SDR with a 512-tap distortion filter (dB). */
  sdr_bss: number;
}

/** Metric names in output order. */
export const METRIC_KEYS: readonly (keyof MetricResult)[] = [
  'pesq_nb',
  'pesq_nb_raw',
  'pesq_wb',
  'stoi',
  'estoi',
  'sisnr',
  'sdr',
  'sdr_bss',
];

/**
 * Version of the numbers evaluateSignals returns: bump it whenever a change to any metric (or to
 * the input policy) changes a value, so that cached scores (e.g. the test set's mixture scores,
 * src/evaluate/mixtureScores.ts) are recomputed.
 */
export const METRICS_VERSION = 1;

/** Options of an evaluation. */
export interface EvaluateOptions {
  /** Cut both signals to the shorter length instead of refusing different lengths. */
  trim?: boolean;
  /** Names of the signals in messages (file paths for files). */
  refName?: string;
  degName?: string;
  /** Receives notes about what was done to the input (trimming, resampling for PESQ). */
  onNote?: (message: string) => void;
}

/** PESQ's working rate for a signal rate: itself at 8/16 kHz, 16 kHz above, 8 kHz in between. */
function pesqRateFor(fs: number, refName: string): number {
  if (fs === 8000 || fs === 16000) return fs;
  if (fs > 16000) return 16000;
  if (fs > 8000) return 8000;
  throw new UserError(`${refName}: sample rate ${fs} Hz is below 8000 Hz, the lowest rate PESQ (P.862) is defined for`);
}

/** Evaluates every metric on two signals at `sampleRate` (floats, int16 / 32768 for 16-bit PCM). */
export function evaluateSignals(
  ref: Float32Array | Float64Array,
  deg: Float32Array | Float64Array,
  sampleRate: number,
  opts: EvaluateOptions = {},
): MetricResult {
  const refName = opts.refName ?? 'reference';
  const degName = opts.degName ?? 'degraded';
  const note = opts.onNote ?? (() => undefined);
  if (ref.length !== deg.length && opts.trim) {
    const n = Math.min(ref.length, deg.length);
    note(`trimmed to ${n} samples (${refName}: ${ref.length}, ${degName}: ${deg.length})`);
    ref = ref.subarray(0, n);
    deg = deg.subarray(0, n);
  }
  signalCheck(ref, refName, sampleRate);
  signalCheck(deg, degName, sampleRate);
  lengthsCheck(ref, deg, refName, degName);
  const names = { ref: refName, deg: degName };

  const fsPesq = pesqRateFor(sampleRate, refName);
  let pr: Float32Array | Float64Array = ref;
  let pd: Float32Array | Float64Array = deg;
  if (fsPesq !== sampleRate) {
    note(`PESQ is defined at 8 and 16 kHz only: resampled ${sampleRate} Hz to ${fsPesq} Hz for PESQ (other metrics at ${sampleRate} Hz)`);
    pr = resampleOct(ref, sampleRate, fsPesq);
    pd = resampleOct(deg, sampleRate, fsPesq);
  }
  const p = pesqBoth(pr, pd, fsPesq, names);
  if (!p.wb) note('wide-band PESQ (P.862.2) needs 16 kHz: pesq_wb is null for 8 kHz input');
  const s = stoiBoth(ref, deg, sampleRate, names);
  return {
    pesq_nb: p.nb.mos,
    pesq_nb_raw: p.nb.raw,
    pesq_wb: p.wb ? p.wb.mos : null,
    stoi: s.stoi,
    estoi: s.estoi,
    sisnr: siSnr(ref, deg, names),
    sdr: sdr(ref, deg, names),
    sdr_bss: bssEvalSdr(ref, deg, names),
  };
}

/** Reads two WAV files (mono, or the mean of their channels) and evaluates them. */
export function evaluateFiles(refPath: string, degPath: string, opts: EvaluateOptions = {}): MetricResult {
  const ref = readMono(refPath);
  const deg = readMono(degPath);
  if (ref.sampleRate !== deg.sampleRate) {
    throw new UserError(`${refPath} is at ${ref.sampleRate} Hz but ${degPath} is at ${deg.sampleRate} Hz; resample one of them first`);
  }
  return evaluateSignals(ref.samples, deg.samples, ref.sampleRate, { refName: refPath, degName: degPath, ...opts });
}

/** A metric value as JSON: numbers as they are, ±Infinity as the strings "inf" / "-inf", null kept. */
export function metricJson(v: number | null): number | string | null {
  if (v === null) return null;
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return v;
}

/** A MetricResult as a JSON-ready object with the keys of METRIC_KEYS in order. */
export function metricResultJson(r: MetricResult): Record<string, number | string | null> {
  const out: Record<string, number | string | null> = {};
  for (const k of METRIC_KEYS) out[k] = metricJson(r[k]);
  return out;
}
