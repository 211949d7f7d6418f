/**
 * Numeric constants of ITU-T P.862 (PESQ) and P.862.2 (wide-band PESQ): filter curves, input
 * filters, Bark band tables and model scalars, exactly as in the ITU reference C code (pesqpar.h,
 * pesq.h, pesqmain.c; Version 2.0, October 2005). Values are listed once here; every other PESQ file
 * imports them, and test/metrics/pesqConstants.test.ts checks them against the project fixture
 * ../shared/fixtures/metrics/pesq-tables.json.
 */

/** 2π as written in pesq.h (a double literal, 14 digits): used by the model's Hann windows. */
export const TWOPI = 6.28318530717959;
/** 2π as written in dsp.c (a float literal): used for the reference FFT's twiddle factors. */
export const TWOPI_F32 = Math.fround(6.283185307179586);

/** Sample rates PESQ is defined for (Hz). P.862.2 wide band needs 16 kHz. */
export const PESQ_RATES_HZ: readonly number[] = [8000, 16000];

/** Samples per 4 ms VAD/alignment block ("Downsample") per rate. */
export const PESQ_DOWNSAMPLE: Readonly<Record<number, number>> = { 8000: 32, 16000: 64 };
/** Alignment FFT length (samples) per rate: 64 ms. */
export const PESQ_ALIGN_NFFT: Readonly<Record<number, number>> = { 8000: 512, 16000: 1024 };
/** Zero blocks of Downsample samples put before and after each signal (search margin). */
export const SEARCHBUFFER = 75;
/** Extra zero padding after each signal (ms). */
export const DATAPADDING_MSECS = 320;
/** Maximum number of utterances the reference tracks (fixed arrays in the C code). */
export const MAXNUTTERANCES = 50;
/** VAD: speech runs of at most this many blocks are removed. */
export const MINSPEECHLGTH = 4;
/** VAD: gaps of at most this many blocks between speech runs are bridged. */
export const JOINSPEECHLGTH = 50;
/** Minimum utterance length (blocks) for the utterance search. */
export const MINUTTLENGTH = 50;
/** Level alignment: both signals are scaled to this power after the alignment filter. */
export const TARGET_AVG_POWER = 10000000;
/** Silence criterion: sum of |x| over 5 samples (after level alignment) below this is silence. */
export const CRITERIUM_FOR_SILENCE_OF_5_SAMPLES = 500;

/** Level-alignment filter: [frequency Hz, gain dB] points, linearly interpolated (pass band 350–3250 Hz). */
export const ALIGN_FILTER_DB: readonly (readonly [number, number])[] = [
  [0, -500],
  [50, -500],
  [100, -500],
  [125, -500],
  [160, -500],
  [200, -500],
  [250, -500],
  [300, -500],
  [350, 0],
  [400, 0],
  [500, 0],
  [600, 0],
  [630, 0],
  [800, 0],
  [1000, 0],
  [1250, 0],
  [1600, 0],
  [2000, 0],
  [2500, 0],
  [3000, 0],
  [3250, 0],
  [3500, -500],
  [4000, -500],
  [5000, -500],
  [6300, -500],
  [8000, -500],
];

/** Standard IRS receive characteristic (narrow-band mode): [frequency Hz, gain dB] points. */
export const IRS_FILTER_DB: readonly (readonly [number, number])[] = [
  [0, -200],
  [50, -40],
  [100, -20],
  [125, -12],
  [160, -6],
  [200, 0],
  [250, 4],
  [300, 6],
  [350, 8],
  [400, 10],
  [500, 11],
  [600, 12],
  [700, 12],
  [800, 12],
  [1000, 12],
  [1300, 12],
  [1600, 12],
  [2000, 12],
  [2500, 12],
  [3000, 12],
  [3250, 12],
  [3500, 4],
  [4000, -200],
  [5000, -200],
  [6300, -200],
  [8000, -200],
];

/**
 * IRS-like band-pass IIR filter used for the VAD and time alignment: second-order sections of 5
 * coefficients b0 b1 b2 a1 a2 (denominator 1 + a1 z^-1 + a2 z^-2), single precision in the C code.
 */
export const INPUT_IIR_SOS: Readonly<Record<number, readonly number[]>> = {
  8000: [
    0.885535424, -0.885535424, 0, -0.771070709, 0,
    0.895092588, 1.292907193, 0.449260174, 1.268869037, 0.442025372,
    4.04952794, -7.865190042, 3.815662102, -1.746859852, 0.786305963,
    0.500002353, -0.500002353, 0, 0, 0,
    0.565002834, -0.241585934, -0.306009671, 0.259688659, 0.249979657,
    2.115237288, 0.919935084, 1.141240051, -1.587313419, 0.665935315,
    0.912224584, -0.224397719, -0.641121413, -0.246029464, -0.55672059,
    0.444617727, -0.307589321, 0.141638062, -0.996391149, 0.502251622,
  ],
  16000: [
    0.325631521, -0.08678286, -0.238848661, -1.07941649, 0.434583902,
    0.403961804, -0.556985881, 0.153024077, -0.415115835, 0.696590244,
    4.736162769, 3.287251046, 1.753289019, -1.859599046, 0.876284034,
    0.365373469, 0, 0, -0.634626531, 0,
    0.884811506, 0, 0, -0.256725271, 0.141536777,
    0.723593055, -1.447186099, 0.723593044, -1.129587469, 0.657232737,
    1.644910855, -1.817280902, 1.249658063, -1.778403899, 0.801724355,
    0.633692689, -0.284644314, -0.319789663, 0, 0,
    1.032763031, 0.268428979, 0.602913323, 0, 0,
    1.001616361, -0.823749013, 0.439731942, -0.885778255, 0,
    0.752472096, -0.37538899, 0.188977609, -0.077258216, 0.247230734,
    1.023700575, 0.001661628, 0.52128424, -0.183867259, 0.354324187,
  ],
};

/** P.862.2 wide-band input filter (about 100 Hz high-pass, replaces the IRS filter): one section b0 b1 b2 a1 a2. */
export const WB_INPUT_IIR_SOS: Readonly<Record<number, readonly number[]>> = {
  8000: [
    2.6657628, -5.3315255, 2.6657628, -1.8890331, 0.89487434,
  ],
  16000: [
    2.740826, -5.4816519, 2.740826, -1.9444777, 0.94597794,
  ],
};

/** Bark band table of one sample rate. */
export interface BarkTable {
  readonly bands: number;
  readonly binsPerBand: readonly number[];
  readonly centreBark: readonly number[];
  readonly centreHz: readonly number[];
  readonly widthBark: readonly number[];
  readonly widthHz: readonly number[];
  readonly powDensCorrection: readonly number[];
  readonly absThreshPower: readonly number[];
}

/** Bark band tables (42 bands at 8 kHz, 49 at 16 kHz). */
export const BARK_TABLES: Readonly<Record<number, BarkTable>> = {
  8000: {
    /** Number of bark bands. */
    bands: 42,
    /** FFT bins (of the 32 ms frame) summed into each bark band. */
    binsPerBand: [
      1, 1, 1, 1, 1, 1, 1, 1, 2, 1,
      1, 1, 1, 1, 2, 1, 1, 2, 2, 2,
      2, 2, 2, 2, 2, 3, 3, 3, 3, 4,
      3, 4, 5, 4, 5, 6, 6, 7, 8, 9,
      9, 11,
    ],
    /** Band centre (Bark). */
    centreBark: [
      0.078672, 0.316341, 0.636559, 0.961246, 1.29045, 1.624217,
      1.962597, 2.305636, 2.653383, 3.005889, 3.363201, 3.725371,
      4.092449, 4.464486, 4.841533, 5.223642, 5.610866, 6.003256,
      6.400869, 6.803755, 7.211971, 7.625571, 8.044611, 8.469146,
      8.899232, 9.334927, 9.776288, 10.223374, 10.676242, 11.134952,
      11.599563, 12.070135, 12.546731, 13.029408, 13.518232, 14.013264,
      14.514566, 15.022202, 15.536238, 16.056736, 16.583761, 17.117382,
    ],
    /** Band centre (Hz). */
    centreHz: [
      7.867213, 31.634144, 63.655895, 96.124611, 129.044968, 162.421738,
      196.259659, 230.563568, 265.338348, 300.588867, 336.320129, 372.53714,
      409.244934, 446.448578, 484.568604, 526.600586, 570.303833, 619.42334,
      672.121643, 728.525696, 785.675964, 846.835693, 909.69165, 977.063293,
      1049.861694, 1129.635986, 1217.257568, 1312.109497, 1412.501465, 1517.99939,
      1628.894165, 1746.194336, 1871.568848, 2008.776123, 2158.979248, 2326.743164,
      2513.787109, 2722.48877, 2952.58667, 3205.835449, 3492.679932, 3820.219238,
    ],
    /** Band width (Bark): the weights of the Lp norms over frequency. */
    widthBark: [
      0.157344, 0.317994, 0.322441, 0.326934, 0.331474, 0.336061,
      0.340697, 0.345381, 0.350114, 0.354897, 0.359729, 0.364611,
      0.369544, 0.374529, 0.379565, 0.384653, 0.389794, 0.394989,
      0.400236, 0.405538, 0.410894, 0.416306, 0.421773, 0.427297,
      0.432877, 0.438514, 0.444209, 0.449962, 0.455774, 0.461645,
      0.467577, 0.473569, 0.479621, 0.485736, 0.491912, 0.498151,
      0.504454, 0.510819, 0.51725, 0.523745, 0.530308, 0.536934,
    ],
    /** Band width (Hz). */
    widthHz: [
      15.734426, 31.799433, 32.244064, 32.693359, 33.147385, 33.60614,
      34.069702, 34.538116, 35.011429, 35.489655, 35.97287, 36.461121,
      36.954407, 37.452911, 40.269653, 42.311859, 45.992554, 51.348511,
      55.040527, 56.775208, 58.699402, 62.445862, 64.820923, 69.195374,
      76.745667, 84.016235, 90.825684, 97.931152, 103.348877, 107.80188,
      113.552246, 121.490601, 130.42041, 143.431763, 158.486816, 176.872803,
      198.314697, 219.549561, 240.600098, 268.702393, 306.060059, 349.937012,
    ],
    /** Power density correction factor per band (makes a band's power independent of its bin count). */
    powDensCorrection: [
      100, 99.999992, 100, 100.000008, 100.000008, 100.000015,
      99.999992, 99.999969, 50.000027, 100, 99.999969, 100.000015,
      99.999947, 100.000061, 53.047077, 110.000046, 117.991989, 65,
      68.760147, 69.999931, 71.428818, 75.000038, 76.843384, 80.968781,
      88.646126, 63.864388, 68.15535, 72.547775, 75.584831, 58.379192,
      80.950836, 64.135651, 54.384785, 73.821884, 64.437073, 59.176456,
      65.521278, 61.399822, 58.144047, 57.004543, 64.126297, 59.248363,
    ],
    /** Absolute hearing threshold (pitch power density units) per band. */
    absThreshPower: [
      51286152, 2454709.5, 70794.59375, 4897.788574, 1174.897705, 389.045166,
      104.71286, 45.70882, 17.782795, 9.772372, 4.897789, 3.090296,
      1.905461, 1.258925, 0.977237, 0.724436, 0.562341, 0.457088,
      0.389045, 0.331131, 0.295121, 0.269153, 0.25704, 0.251189,
      0.251189, 0.251189, 0.251189, 0.263027, 0.288403, 0.30903,
      0.338844, 0.371535, 0.398107, 0.436516, 0.467735, 0.489779,
      0.501187, 0.501187, 0.512861, 0.524807, 0.524807, 0.524807,
    ],
  },
  16000: {
    /** Number of bark bands. */
    bands: 49,
    /** FFT bins (of the 32 ms frame) summed into each bark band. */
    binsPerBand: [
      1, 1, 1, 1, 1, 1, 1, 1, 2, 1,
      1, 1, 1, 1, 2, 1, 1, 2, 2, 2,
      2, 2, 2, 2, 2, 3, 3, 3, 3, 4,
      3, 4, 5, 4, 5, 6, 6, 7, 8, 9,
      9, 12, 12, 15, 16, 18, 21, 25, 20,
    ],
    /** Band centre (Bark). */
    centreBark: [
      0.078672, 0.316341, 0.636559, 0.961246, 1.29045, 1.624217,
      1.962597, 2.305636, 2.653383, 3.005889, 3.363201, 3.725371,
      4.092449, 4.464486, 4.841533, 5.223642, 5.610866, 6.003256,
      6.400869, 6.803755, 7.211971, 7.625571, 8.044611, 8.469146,
      8.899232, 9.334927, 9.776288, 10.223374, 10.676242, 11.134952,
      11.599563, 12.070135, 12.546731, 13.029408, 13.518232, 14.013264,
      14.514566, 15.022202, 15.536238, 16.056736, 16.583761, 17.117382,
      17.657663, 18.204674, 18.758478, 19.319147, 19.886751, 20.461355,
      21.043034,
    ],
    /** Band centre (Hz). */
    centreHz: [
      7.867213, 31.634144, 63.655895, 96.124611, 129.044968, 162.421738,
      196.259659, 230.563568, 265.338348, 300.588867, 336.320129, 372.53714,
      409.244934, 446.448578, 484.568604, 526.600586, 570.303833, 619.42334,
      672.121643, 728.525696, 785.675964, 846.835693, 909.69165, 977.063293,
      1049.861694, 1129.635986, 1217.257568, 1312.109497, 1412.501465, 1517.99939,
      1628.894165, 1746.194336, 1871.568848, 2008.776123, 2158.979248, 2326.743164,
      2513.787109, 2722.48877, 2952.58667, 3205.835449, 3492.679932, 3820.219238,
      4193.938477, 4619.846191, 5100.437012, 5636.199219, 6234.313477, 6946.734863,
      7796.473633,
    ],
    /** Band width (Bark): the weights of the Lp norms over frequency. */
    widthBark: [
      0.157344, 0.317994, 0.322441, 0.326934, 0.331474, 0.336061,
      0.340697, 0.345381, 0.350114, 0.354897, 0.359729, 0.364611,
      0.369544, 0.374529, 0.379565, 0.384653, 0.389794, 0.394989,
      0.400236, 0.405538, 0.410894, 0.416306, 0.421773, 0.427297,
      0.432877, 0.438514, 0.444209, 0.449962, 0.455774, 0.461645,
      0.467577, 0.473569, 0.479621, 0.485736, 0.491912, 0.498151,
      0.504454, 0.510819, 0.51725, 0.523745, 0.530308, 0.536934,
      0.543629, 0.55039, 0.55722, 0.564119, 0.571085, 0.578125,
      0.585232,
    ],
    /** Band width (Hz). */
    widthHz: [
      15.734426, 31.799433, 32.244064, 32.693359, 33.147385, 33.60614,
      34.069702, 34.538116, 35.011429, 35.489655, 35.97287, 36.461121,
      36.954407, 37.452911, 40.269653, 42.311859, 45.992554, 51.348511,
      55.040527, 56.775208, 58.699402, 62.445862, 64.820923, 69.195374,
      76.745667, 84.016235, 90.825684, 97.931152, 103.348877, 107.80188,
      113.552246, 121.490601, 130.42041, 143.431763, 158.486816, 176.872803,
      198.314697, 219.549561, 240.600098, 268.702393, 306.060059, 349.937012,
      398.686279, 454.713867, 506.841797, 564.86377, 637.26123, 794.717285,
      931.068359,
    ],
    /** Power density correction factor per band (makes a band's power independent of its bin count). */
    powDensCorrection: [
      100, 99.999992, 100, 100.000008, 100.000008, 100.000015,
      99.999992, 99.999969, 50.000027, 100, 99.999969, 100.000015,
      99.999947, 100.000061, 53.047077, 110.000046, 117.991989, 65,
      68.760147, 69.999931, 71.428818, 75.000038, 76.843384, 80.968781,
      88.646126, 63.864388, 68.15535, 72.547775, 75.584831, 58.379192,
      80.950836, 64.135651, 54.384785, 73.821884, 64.437073, 59.176456,
      65.521278, 61.399822, 58.144047, 57.004543, 64.126297, 54.311001,
      61.114979, 55.077751, 56.849335, 55.628868, 53.137054, 54.985844,
      79.546974,
    ],
    /** Absolute hearing threshold (pitch power density units) per band. */
    absThreshPower: [
      51286152, 2454709.5, 70794.59375, 4897.788574, 1174.897705, 389.045166,
      104.71286, 45.70882, 17.782795, 9.772372, 4.897789, 3.090296,
      1.905461, 1.258925, 0.977237, 0.724436, 0.562341, 0.457088,
      0.389045, 0.331131, 0.295121, 0.269153, 0.25704, 0.251189,
      0.251189, 0.251189, 0.251189, 0.263027, 0.288403, 0.30903,
      0.338844, 0.371535, 0.398107, 0.436516, 0.467735, 0.489779,
      0.501187, 0.501187, 0.512861, 0.524807, 0.524807, 0.524807,
      0.512861, 0.47863, 0.42658, 0.371535, 0.363078, 0.416869,
      0.537032,
    ],
  },
};

/** Pitch power density scaling Sp per rate. */
export const PESQ_SP: Readonly<Record<number, number>> = { 8000: 0.00002764344, 16000: 0.000006910853 };
/** Loudness scaling Sl per rate. */
export const PESQ_SL: Readonly<Record<number, number>> = { 8000: 0.1866055, 16000: 0.1866055 };
/** Zwicker's loudness power-law exponent. */
export const ZWICKER_POWER = 0.23;

/** Partial gain compensation of the degraded signal is limited to [MIN_SCALE, MAX_SCALE]. */
export const MIN_SCALE = 0.0003;
export const MAX_SCALE = 5;
/** Lp exponents: over frequency (F), within a split second (S) and over time (T), symmetric (D) and asymmetric (A). */
export const D_POW_F = 2;
export const D_POW_S = 6;
export const D_POW_T = 2;
export const A_POW_F = 1;
export const A_POW_S = 6;
export const A_POW_T = 2;
/** raw = 4.5 − D_WEIGHT · d_sym − A_WEIGHT · d_asym. */
export const D_WEIGHT = 0.1;
export const A_WEIGHT = 0.0309;
/** Frames (of half a 32 ms window, i.e. 16 ms) per "syllable" of the split-second Lp norm. */
export const NUMBER_OF_PSQM_FRAMES_PER_SYLLABE = 20;
/** A frame whose symmetric disturbance exceeds this is "bad" and triggers re-alignment. */
export const THRESHOLD_BAD_FRAMES = 30;
/** Bad-frame flags are smeared over ±SMEAR_RANGE frames. */
export const SMEAR_RANGE = 2;
/** A bad interval must span at least this many frames to be re-aligned. */
export const MINIMUM_NUMBER_OF_BAD_FRAMES_IN_BAD_INTERVAL = 5;
/** Bad-interval delay search range, in model frame lengths (Nf samples). */
export const SEARCH_RANGE_IN_TRANSFORM_LENGTH = 4;

/** MOS-LQO mapping y = a + b / (1 + exp(c · raw + d)), as [a, b, c, d]: P.862.1 (narrow band). */
export const P862_1_NB: readonly [number, number, number, number] = [0.999, 4, -1.4945, 4.6607];
/** P.862.2 (wide band) mapping. */
export const P862_2_WB: readonly [number, number, number, number] = [0.999, 4, -1.3669, 3.8224];
