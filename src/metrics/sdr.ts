/**
 * Energy-ratio metrics in dB: plain SDR and scale-invariant SDR (SI-SDR, the "SI-SNR" of
 * speech-separation papers; Le Roux, Wisdom, Erdogan, Hershey, "SDR — half-baked or well done?",
 * ICASSP 2019). Double precision, no epsilon: a perfect estimate gives +Infinity.
 */
import { UserError } from '../errors.js';
import { lengthsCheck, signalCheck, type Samples } from './signalCheck.js';

/** Names used in error messages. */
export interface SdrNames {
  ref?: string;
  deg?: string;
}

/** 10·log10(num / den) with the limits: +Infinity for den = 0 < num. */
function db(num: number, den: number): number {
  return 10 * Math.log10(num / den);
}

function check(ref: Samples, deg: Samples, names: SdrNames): [string, string] {
  const r = names.ref ?? 'reference';
  const d = names.deg ?? 'degraded';
  signalCheck(ref, r);
  signalCheck(deg, d);
  lengthsCheck(ref, deg, r, d);
  return [r, d];
}

/**
 * Plain SDR: 10·log10(Σ r² / Σ (r − d)²) — no mean removal, no scaling (dB; +Infinity when
 * deg equals ref). Throws a UserError for a silent reference.
 */
export function sdr(ref: Samples, deg: Samples, names: SdrNames = {}): number {
  const [r] = check(ref, deg, names);
  let num = 0;
  let den = 0;
  for (let i = 0; i < ref.length; i++) {
    num += ref[i] * ref[i];
    const e = ref[i] - deg[i];
    den += e * e;
  }
  if (num === 0) throw new UserError(`${r}: reference is digital silence; SDR is undefined`);
  return db(num, den);
}

/**
 * SI-SDR / SI-SNR: both signals made zero-mean, target t = (⟨d, r⟩ / ⟨r, r⟩)·r,
 * 10·log10(|t|² / |d − t|²) (dB; +Infinity when deg is a scaled copy of ref). Throws a UserError
 * for a constant (zero-energy after mean removal) reference, or a degraded signal orthogonal to
 * it with no energy (0/0).
 */
export function siSnr(ref: Samples, deg: Samples, names: SdrNames = {}): number {
  const [r, d] = check(ref, deg, names);
  const n = ref.length;
  let mr = 0;
  let md = 0;
  for (let i = 0; i < n; i++) {
    mr += ref[i];
    md += deg[i];
  }
  mr /= n;
  md /= n;
  const rz = new Float64Array(n);
  const dz = new Float64Array(n);
  let rr = 0;
  let dr = 0;
  for (let i = 0; i < n; i++) {
    rz[i] = ref[i] - mr;
    dz[i] = deg[i] - md;
    rr += rz[i] * rz[i];
    dr += dz[i] * rz[i];
  }
  if (rr === 0) throw new UserError(`${r}: reference is constant (no energy after removing its mean); SI-SNR is undefined`);
  const a = dr / rr;
  let tt = 0;
  let ee = 0;
  for (let i = 0; i < n; i++) {
    const t = a * rz[i];
    const e = dz[i] - t;
    tt += t * t;
    ee += e * e;
  }
  if (tt === 0 && ee === 0) throw new UserError(`${d}: degraded signal is constant; SI-SNR is undefined (0/0)`);
  return db(tt, ee);
}
