/**
 * Table VI sizes of the separation nets (src/models/separation/): hand arithmetic, the paper's
 * sizes, the search, the edge budget, and that docs/results/separation/sizes.md is current
 * (regenerate it with `node dist/tools/bench/separationSizes.js --out docs/results/separation`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  convTasNetFramesPerBlock, convTasNetMacsPerFrame, convTasNetParams, float32MiBOf, TABLE_VI_SIZES_MB, upitLstmFramesPerBlock,
  upitLstmMacsPerFrame, upitLstmParams,
} from '../../src/models/separation/sizes.js';
import { CONV_TASNET_PRESETS, UPIT_LSTM_PRESETS } from '../../src/models/separation/presets.js';
import { convTasNetSearch, upitLstmSearch } from '../../src/models/separation/search.js';
import { separationSizesMarkdown } from '../../src/models/separation/report.js';
import { SEPARATION_SAMPLE_RATE_HZ } from '../../src/dsp/constants.js';
import { UserError } from '../../src/errors.js';

describe('separation net sizes (Tan & Wang TASLP 2021 Table VI)', () => {
  it('Conv-TasNet paper preset: hand-counted parameters, 19.27 MiB', () => {
    const h = CONV_TASNET_PRESETS.paper;
    // encoder 512·16; cLN(512) 2·512; bottleneck 512·128 + 128;
    // 24 blocks · (128·512 + 512 [1×1 + bias] + 1 [PReLU] + 1024 [cLN] + 512·3 + 512 [depthwise + bias] + 1 + 1024
    //              + 512·128 + 128 [residual] + 512·128 + 128 [skip]) = 24 · 201,474;
    // mask: PReLU 1 + 128·1024 + 1024; decoder 512·16.
    const hand = 8192 + 1024 + 65_664 + 24 * 201_474 + 1 + 131_072 + 1024 + 8192;
    expect(hand).toBe(5_050_545);
    expect(convTasNetParams(h)).toBe(hand);
    expect(float32MiBOf(hand).toFixed(2)).toBe(TABLE_VI_SIZES_MB.convTasNet.toFixed(2));
    // The authors' code order: bottleneck without bias, cLN on 128 channels, decoder bias.
    expect(convTasNetParams({ ...h, layout: 'naplab' })).toBe(hand - 1024 - 128 + 256 + 1);
  });

  it('uPIT-LSTM paper preset: hand-counted parameters, 250.46 MiB', () => {
    const h = UPIT_LSTM_PRESETS.paper;
    // layer 1: 4·1792·(129 + 1792) + 2·4·1792; layers 2, 3: 4·1792·(1792 + 1792) + 2·4·1792; masks 2·(1792·129 + 129)
    const hand = 4 * 1792 * 1921 + 8 * 1792 + 2 * (4 * 1792 * 3584 + 8 * 1792) + 2 * (1792 * 129 + 129);
    expect(hand).toBe(65_655_554);
    expect(upitLstmParams(h)).toBe(hand);
    expect(float32MiBOf(hand).toFixed(2)).toBe(TABLE_VI_SIZES_MB.upitLstm.toFixed(2));
    expect(upitLstmParams({ ...h, biasVectors: 1 })).toBe(hand - 3 * 4 * 1792);
  });

  it('the searches find the paper presets nearest, within 0.5 % (and within 0.02 %)', () => {
    const ct = convTasNetSearch('MiB')[0];
    expect(ct.hparams).toEqual(CONV_TASNET_PRESETS.paper);
    expect(Math.abs(ct.relError)).toBeLessThan(2e-4);
    const up = upitLstmSearch('MiB')[0];
    expect(up.hparams).toEqual(UPIT_LSTM_PRESETS.paper);
    expect(Math.abs(up.relError)).toBeLessThan(2e-4);
    // Under the 10^6 reading no uPIT configuration is within 3 %.
    expect(Math.abs(upitLstmSearch('MB')[0].relError)).toBeGreaterThan(0.03);
  });

  it('MACs: hand count per frame, frames per 10 ms at 8 kHz, edge presets under 1.25 M MACs per 10 ms', () => {
    const e = CONV_TASNET_PRESETS.edge;
    // 128·16 + 128·32 + 16·(32·64 + 64·3 + 64·32 + 64·32) + 32·256 + 256 + 2·128·16
    expect(convTasNetMacsPerFrame(e)).toBe(2048 + 4096 + 16 * 6336 + 8192 + 256 + 4096);
    expect(convTasNetFramesPerBlock(e, SEPARATION_SAMPLE_RATE_HZ)).toBe(10);
    expect(convTasNetMacsPerFrame(e) * 10).toBeLessThan(1.25e6);
    const u = UPIT_LSTM_PRESETS.edge;
    // (4·256·(81 + 256) + 16·256) + (4·256·512 + 16·256) + 2·256·81 + 2·81
    expect(upitLstmMacsPerFrame(u)).toBe(349_184 + 528_384 + 41_472 + 162);
    expect(upitLstmFramesPerBlock(u, SEPARATION_SAMPLE_RATE_HZ)).toBe(1);
    expect(upitLstmMacsPerFrame(u)).toBeLessThan(1.25e6);
  });

  it('rejects bad hyper-parameters with a UserError', () => {
    expect(() => convTasNetParams({ ...CONV_TASNET_PRESETS.edge, L: 15 })).toThrow(UserError);
    expect(() => upitLstmParams({ ...UPIT_LSTM_PRESETS.edge, units: 0 })).toThrow(UserError);
  });

  it('docs/results/separation/sizes.md is the generated text', () => {
    expect(readFileSync('docs/results/separation/sizes.md', 'utf8')).toBe(separationSizesMarkdown());
  });
});
