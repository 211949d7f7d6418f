/**
 * A separation net as a `.hush` file stores it (docs/format.md "Task and outputs", format 1.1): the
 * numeric hyper-parameters, the 8-kHz signal path and the task fields follow from a SeparationConfig,
 * and back. One place for the mapping, used by the exporter (src/compress/separationExport.ts), `hushpack inspect` and
 * the runtime's checks.
 *
 *   conv-tasnet  hparams N L B H Sc P X R speakers (the 'paper' layout, asteroid's module: the only
 *                one with tensors); signal 8000 Hz, window L, hop L/2, DFT L, rectangular (the
 *                learned encoder's frames)
 *   upit-lstm    hparams bins layers units speakers (causal PyTorch LSTM: directions 1, biasVectors 2);
 *                signal 8000 Hz, periodic Hamming of 2·(bins − 1), hop bins − 1 (./upitStft.ts)
 */
import { UserError } from '../../errors.js';
import { SEPARATION_SAMPLE_RATE_HZ } from '../../dsp/constants.js';
import type { HParam, SeparationArchConfig } from '../../format/arch.js';
import type { HushSignal } from '../../format/writer.js';
import type { SeparationConfig } from './net.js';
import { upitStftGeometry } from './upitStft.js';

/** Conv-TasNet hyper-parameters a file stores, in this order. */
const CONV_TASNET_KEYS = ['N', 'L', 'B', 'H', 'Sc', 'P', 'X', 'R', 'speakers'] as const;
/** uPIT-LSTM hyper-parameters a file stores, in this order. */
const UPIT_LSTM_KEYS = ['bins', 'layers', 'units', 'speakers'] as const;

/** The file's form of a separation config. */
export function separationHushConfig(config: SeparationConfig): SeparationArchConfig {
  const hparams: Record<string, HParam> = {};
  if (config.arch === 'conv-tasnet') {
    if (config.hp.layout !== 'paper') throw new UserError(`conv-tasnet: only the 'paper' layout has tensors to export, got '${config.hp.layout}'`);
    for (const k of CONV_TASNET_KEYS) hparams[k] = config.hp[k];
  } else {
    if (config.hp.directions !== 1 || config.hp.biasVectors !== 2) {
      throw new UserError(`upit-lstm: only the causal PyTorch LSTM (directions 1, biasVectors 2) has tensors to export`);
    }
    for (const k of UPIT_LSTM_KEYS) hparams[k] = config.hp[k];
  }
  return { arch: config.arch, hparams };
}

/** Integer hyper-parameter `k` of a file's config (UserError naming it otherwise). */
function intOf(c: SeparationArchConfig, k: string): number {
  const v = c.hparams[k];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new UserError(`${c.arch}: hparam ${k} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

/** The SeparationConfig of a file's config. */
export function separationConfigFromHush(c: SeparationArchConfig): SeparationConfig {
  if (c.arch === 'conv-tasnet') {
    const [N, L, B, H, Sc, P, X, R, speakers] = CONV_TASNET_KEYS.map((k) => intOf(c, k));
    if (L % 2 !== 0) throw new UserError(`conv-tasnet: hparam L must be even (stride L/2), got ${L}`);
    return { arch: 'conv-tasnet', hp: { N, L, B, H, Sc, P, X, R, speakers, layout: 'paper' } };
  }
  const [bins, layers, units, speakers] = UPIT_LSTM_KEYS.map((k) => intOf(c, k));
  if (bins < 2) throw new UserError(`upit-lstm: hparam bins must be ≥ 2, got ${bins}`);
  return { arch: 'upit-lstm', hp: { bins, layers, units, speakers, directions: 1, biasVectors: 2, hopSamples: bins - 1 } };
}

/** The signal path a separation net runs on (see the file comment). */
export function separationSignal(config: SeparationConfig): HushSignal {
  if (config.arch === 'conv-tasnet') {
    const L = config.hp.L;
    return { sampleRateHz: SEPARATION_SAMPLE_RATE_HZ, windowSamples: L, hopSamples: L / 2, fftSize: L, window: 'rectangular' };
  }
  const { windowSamples, hopSamples } = upitStftGeometry(config.hp);
  return { sampleRateHz: SEPARATION_SAMPLE_RATE_HZ, windowSamples, hopSamples, fftSize: windowSamples, window: 'hamming-periodic' };
}
