/**
 * Per-sample-rate settings of P.862 (the reference's select_rate globals), gathered in one
 * read-only object so the model functions take their configuration as an argument.
 */
import { UserError } from '../../errors.js';
import {
  BARK_TABLES,
  DATAPADDING_MSECS,
  INPUT_IIR_SOS,
  PESQ_ALIGN_NFFT,
  PESQ_DOWNSAMPLE,
  PESQ_SL,
  PESQ_SP,
  SEARCHBUFFER,
  WB_INPUT_IIR_SOS,
  type BarkTable,
} from './constants.js';
import { sosToFloat32 } from './filters.js';

/** P.862 configuration for one sample rate. */
export interface PesqRate {
  /** Sample rate (Hz): 8000 or 16000. */
  readonly fs: number;
  /** Samples per 4 ms VAD/alignment block. */
  readonly downsample: number;
  /** Alignment FFT length (samples, 64 ms). */
  readonly alignNfft: number;
  /** Zero margin before and after each signal: SEARCHBUFFER · downsample samples. */
  readonly searchOffset: number;
  /** Extra zeros after each signal: DATAPADDING_MSECS worth of samples. */
  readonly padding: number;
  /** Model frame length Nf (32 ms: 256 or 512 samples); frames advance by Nf / 2. */
  readonly frameLength: number;
  /** IRS-like band-pass used for VAD and alignment, float32 sections b0 b1 b2 a1 a2. */
  readonly inputIir: Float32Array;
  /** P.862.2 wide-band input high-pass, float32 section. */
  readonly wbInputIir: Float32Array;
  /** Bark band table. */
  readonly bark: BarkTable;
  /** Pitch power density scaling Sp, rounded to float as in the C code. */
  readonly sp: number;
  /** Loudness scaling Sl, rounded to float. */
  readonly sl: number;
}

const rates = new Map<number, PesqRate>();

/** The P.862 configuration for `fs`; UserError for rates other than 8 and 16 kHz. */
export function pesqRate(fs: number): PesqRate {
  const cached = rates.get(fs);
  if (cached) return cached;
  if (fs !== 8000 && fs !== 16000) {
    throw new UserError(`PESQ is defined for 8000 Hz and 16000 Hz signals only, got ${fs} Hz`);
  }
  const downsample = PESQ_DOWNSAMPLE[fs];
  const rate: PesqRate = {
    fs,
    downsample,
    alignNfft: PESQ_ALIGN_NFFT[fs],
    searchOffset: SEARCHBUFFER * downsample,
    padding: DATAPADDING_MSECS * (fs / 1000),
    frameLength: downsample * 8,
    inputIir: sosToFloat32(INPUT_IIR_SOS[fs]),
    wbInputIir: sosToFloat32(WB_INPUT_IIR_SOS[fs]),
    bark: BARK_TABLES[fs],
    sp: Math.fround(PESQ_SP[fs]),
    sl: Math.fround(PESQ_SL[fs]),
  };
  rates.set(fs, rate);
  return rate;
}
