/**
 * The P.862 constants compiled into src/metrics/pesq/constants.ts equal the project's table
 * fixture ../shared/fixtures/metrics/pesq-tables.json (column meanings in its README).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as C from '../../src/metrics/pesq/constants.js';
import { FIXTURE_DIR } from './fixtures.js';

const T = JSON.parse(readFileSync(FIXTURE_DIR + 'pesq-tables.json', 'utf8'));

describe('P.862 constants', () => {
  it('framing and search constants', () => {
    const s = T.sampling_and_framing;
    expect(C.PESQ_DOWNSAMPLE[8000]).toBe(s.Downsample_8k);
    expect(C.PESQ_DOWNSAMPLE[16000]).toBe(s.Downsample_16k);
    expect(C.PESQ_ALIGN_NFFT[8000]).toBe(s.Align_Nfft_8k);
    expect(C.PESQ_ALIGN_NFFT[16000]).toBe(s.Align_Nfft_16k);
    expect(C.SEARCHBUFFER).toBe(s.SEARCHBUFFER);
    expect(C.DATAPADDING_MSECS).toBe(s.DATAPADDING_MSECS);
    expect(C.MAXNUTTERANCES).toBe(s.MAXNUTTERANCES);
    expect(C.MINSPEECHLGTH).toBe(s.MINSPEECHLGTH);
    expect(C.JOINSPEECHLGTH).toBe(s.JOINSPEECHLGTH);
    expect(C.MINUTTLENGTH).toBe(s.MINUTTLENGTH);
    expect(C.CRITERIUM_FOR_SILENCE_OF_5_SAMPLES).toBe(s.CRITERIUM_FOR_SILENCE_OF_5_SAMPLES);
    expect(C.TWOPI).toBe(s.TWOPI);
    expect(C.TARGET_AVG_POWER).toBe(T.level_alignment.TARGET_AVG_POWER);
  });

  it('filter curves and IIR filters', () => {
    const a = T.level_alignment;
    expect(C.ALIGN_FILTER_DB.map((p) => p[0])).toEqual(a.align_filter_dB_hz);
    expect(C.ALIGN_FILTER_DB.map((p) => p[1])).toEqual(a.align_filter_dB_gain_db);
    const irs = T.irs_receive_filter;
    expect(C.IRS_FILTER_DB.map((p) => p[0])).toEqual(irs.standard_IRS_filter_dB_hz);
    expect(C.IRS_FILTER_DB.map((p) => p[1])).toEqual(irs.standard_IRS_filter_dB_gain_db);
    const i8 = T.input_iir_filter_8k;
    expect(C.INPUT_IIR_SOS[8000]).toEqual(i8.InIIR_Hsos_8k.slice(0, 5 * i8.InIIR_Nsos_8k));
    expect(C.INPUT_IIR_SOS[16000]).toEqual(T.input_iir_filter_16k.InIIR_Hsos_16k);
    expect(C.INPUT_IIR_SOS[16000].length).toBe(5 * T.input_iir_filter_16k.InIIR_Nsos_16k);
    expect(C.WB_INPUT_IIR_SOS[8000]).toEqual(T.wideband_input_filter.WB_InIIR_Hsos_8k);
    expect(C.WB_INPUT_IIR_SOS[16000]).toEqual(T.wideband_input_filter.WB_InIIR_Hsos_16k);
  });

  it('Bark band tables', () => {
    for (const [fs, sfx] of [[8000, '8k'], [16000, '16k']] as const) {
      const b = T[`bark_bands_${sfx}`];
      const t = C.BARK_TABLES[fs];
      expect(t.bands).toBe(b[`Nb_${sfx}`]);
      expect(t.binsPerBand).toEqual(b[`nr_of_hz_bands_per_bark_band_${sfx}`]);
      expect(t.centreBark).toEqual(b[`centre_of_band_bark_${sfx}`]);
      expect(t.centreHz).toEqual(b[`centre_of_band_hz_${sfx}`]);
      expect(t.widthBark).toEqual(b[`width_of_band_bark_${sfx}`]);
      expect(t.widthHz).toEqual(b[`width_of_band_hz_${sfx}`]);
      expect(t.powDensCorrection).toEqual(b[`pow_dens_correction_factor_${sfx}`]);
      expect(t.absThreshPower).toEqual(b[`abs_thresh_power_${sfx}`]);
      // Bins per band cover exactly the Nf/2 spectrum bins of the 32 ms frame.
      expect(t.binsPerBand.reduce((s, v) => s + v, 0)).toBeLessThanOrEqual((C.PESQ_DOWNSAMPLE[fs] * 8) / 2);
    }
  });

  it('model scalars and MOS-LQO mappings', () => {
    const l = T.loudness_scaling;
    expect(C.PESQ_SP[8000]).toBe(l.Sp_8k);
    expect(C.PESQ_SP[16000]).toBe(l.Sp_16k);
    expect(C.PESQ_SL[8000]).toBe(l.Sl_8k);
    expect(C.PESQ_SL[16000]).toBe(l.Sl_16k);
    expect(C.ZWICKER_POWER).toBe(l.ZWICKER_POWER);
    const d = T.disturbance_aggregation;
    for (const k of [
      'MIN_SCALE', 'MAX_SCALE', 'D_POW_F', 'D_POW_S', 'D_POW_T', 'A_POW_F', 'A_POW_S', 'A_POW_T', 'D_WEIGHT', 'A_WEIGHT',
      'NUMBER_OF_PSQM_FRAMES_PER_SYLLABE', 'THRESHOLD_BAD_FRAMES', 'SMEAR_RANGE',
      'MINIMUM_NUMBER_OF_BAD_FRAMES_IN_BAD_INTERVAL', 'SEARCH_RANGE_IN_TRANSFORM_LENGTH',
    ] as const) {
      expect((C as Record<string, unknown>)[k], k).toBe(d[k]);
    }
    expect(C.P862_1_NB).toEqual(T.mos_lqo_mapping.P862_1_nb);
    expect(C.P862_2_WB).toEqual(T.mos_lqo_mapping.P862_2_wb);
  });
});
