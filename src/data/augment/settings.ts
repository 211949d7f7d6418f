/**
 * MixAugment: the one settings object of the mixer's augmentations (src/data/mixer.ts), stored by
 * the trainer in its hyper-parameters and passed to every `mixtureAt` of a run. Plain JSON data,
 * flat so that `--augment-set key=value,…` can address every field.
 *
 * MIX_AUGMENT_NONE (every probability 0, all noise from recorded sources) is the default and
 * leaves every mixture byte-identical to the mixer without augmentations; MIX_AUGMENT_V2 is the
 * recipe proposed for corpus v2 (issue 13; reasons in docs/results/corpus-augment.md).
 *
 * Each augmentation draws from its own generator keyed by (seed, split, index, purpose), so
 * turning one on or changing its range never changes what the others draw.
 */
import { UserError } from '../../errors.js';

/** Noise kinds of the training noise mix, in draw order (talkers first: see mixer.ts). */
export const MIX_NOISE_KINDS = ['talkers', 'source', 'coloured', 'modulated', 'typing'] as const;
/** One of MIX_NOISE_KINDS. */
export type MixNoiseKind = (typeof MIX_NOISE_KINDS)[number];

/** A closed range [lo, hi] drawn uniformly. */
export type Range = [number, number];

export interface MixAugment {
  // --- noise-kind mix (train/validation mixtures whose noise kind is not forced) ---
  /** Weights of the noise kinds (normalised by their sum; the sum must be > 0). */
  noiseSource: number;
  noiseTalkers: number;
  noiseColoured: number;
  noiseModulated: number;
  noiseTyping: number;
  /** Probability of a second noise (its kind drawn from the same weights). */
  secondNoise: number;
  /** RMS of the second noise relative to the first, dB. */
  secondNoiseDb: Range;
  // --- speech ---
  /** Probability of a speed perturbation (time and pitch scaled together, pseudo-speakers). */
  speed: number;
  /** Speed factor range (> 1: faster and higher). */
  speedRange: Range;
  /** Probability of room reverberation (synthetic shoebox impulse response). */
  reverb: number;
  /** RT60 range, seconds. */
  rt60RangeS: Range;
  // --- microphone ---
  /** Probability of a random microphone EQ (shelves + peaking sections). */
  eq: number;
  /** Largest EQ section gain, ±dB. */
  eqGainDb: number;
  /** Probability of telephone band-limiting (300–3400 Hz). */
  telephone: number;
  /** Probability that the level is drawn (else the signal keeps its corpus level). */
  level: number;
  /** Speech RMS before the final normalisation, dBFS. */
  levelRangeDbfs: Range;
  /** Probability of clipping the mixture (the target stays unclipped). */
  clip: number;
  /** How far the mixture peak is driven over full scale before clipping, dB. */
  clipOverDb: Range;
  // --- synthetic noises ---
  /** Spectral slope α of the coloured and modulated noise (power ∝ f^−α: 0 white, 1 pink, 2 brown). */
  colouredSlope: Range;
  /** Amplitude-modulation rate of the modulated noise, Hz. */
  modulationHz: Range;
  /** Mean typing rate (keys per second) of the typing noise. */
  typingKeysPerSecond: Range;
}

/** All off: every mixture is exactly what the mixer made before augmentations existed. */
export const MIX_AUGMENT_NONE: Readonly<MixAugment> = Object.freeze({
  noiseSource: 1,
  noiseTalkers: 0,
  noiseColoured: 0,
  noiseModulated: 0,
  noiseTyping: 0,
  secondNoise: 0,
  secondNoiseDb: [-15, 0],
  speed: 0,
  speedRange: [0.9, 1.1],
  reverb: 0,
  rt60RangeS: [0.2, 0.8],
  eq: 0,
  eqGainDb: 6,
  telephone: 0,
  level: 0,
  levelRangeDbfs: [-45, -10],
  clip: 0,
  clipOverDb: [1, 10],
  colouredSlope: [0, 2],
  modulationHz: [0.5, 8],
  typingKeysPerSecond: [3, 8],
} satisfies MixAugment);

/**
 * The corpus-v2 recipe: half the noise recorded (any category), a quarter talker babble, the rest
 * synthetic (coloured, modulated, typing); a second noise in 30 %; half the speech speed-perturbed
 * and half reverberant; EQ on half, the telephone band on 10 %; level drawn always; 5 % clipped.
 * Train it with the wider SNR range MIX_AUGMENT_V2_SNR_RANGE_DB (the trainer's snrRangeDb).
 */
export const MIX_AUGMENT_V2: Readonly<MixAugment> = Object.freeze({
  ...MIX_AUGMENT_NONE,
  noiseSource: 0.5,
  noiseTalkers: 0.25,
  noiseColoured: 0.075,
  noiseModulated: 0.075,
  noiseTyping: 0.1,
  secondNoise: 0.3,
  speed: 0.5,
  reverb: 0.5,
  eq: 0.5,
  telephone: 0.1,
  level: 1,
  clip: 0.05,
});

/** SNR range (dB) the v2 recipe trains with: wider than the test's −5…+5 on both sides. */
export const MIX_AUGMENT_V2_SNR_RANGE_DB: readonly [number, number] = [-10, 20];

/** Named presets for `--augment`. */
export const MIX_AUGMENT_PRESETS: Readonly<Record<string, Readonly<MixAugment>>> = { none: MIX_AUGMENT_NONE, v2: MIX_AUGMENT_V2 };

/** Fields that are probabilities in [0, 1]. */
const PROBABILITY_KEYS = ['secondNoise', 'speed', 'reverb', 'eq', 'telephone', 'level', 'clip'] as const;
/** Noise-kind weight fields, by kind. */
export const MIX_NOISE_WEIGHT_KEYS: Readonly<Record<MixNoiseKind, keyof MixAugment>> = {
  talkers: 'noiseTalkers',
  source: 'noiseSource',
  coloured: 'noiseColoured',
  modulated: 'noiseModulated',
  typing: 'noiseTyping',
};
/** Range fields and the interval their ends must lie in. */
const RANGE_LIMITS: Readonly<Record<string, Range>> = {
  secondNoiseDb: [-60, 20],
  speedRange: [0.5, 2],
  rt60RangeS: [0.2, 1.5], // where the synthetic rooms meet their RT60 within ±10 % (augment/room.ts)
  levelRangeDbfs: [-100, 0],
  clipOverDb: [0, 40],
  colouredSlope: [-2, 4],
  modulationHz: [0.05, 50],
  typingKeysPerSecond: [0.5, 20],
};

/** Throws a UserError naming the first field of `a` that is missing or out of range. */
export function mixAugmentCheck(a: MixAugment, where = 'augment'): void {
  for (const key of Object.keys(MIX_AUGMENT_NONE) as (keyof MixAugment)[]) {
    if (!(key in a)) throw new UserError(`${where}: setting ${key} is missing`);
  }
  for (const key of Object.keys(a)) {
    if (!(key in MIX_AUGMENT_NONE)) throw new UserError(`${where}: unknown setting '${key}' (known: ${Object.keys(MIX_AUGMENT_NONE).join(', ')})`);
  }
  for (const key of PROBABILITY_KEYS) {
    if (!(a[key] >= 0 && a[key] <= 1)) throw new UserError(`${where}: ${key} must be a probability in [0, 1], got ${a[key]}`);
  }
  let total = 0;
  for (const kind of MIX_NOISE_KINDS) {
    const w = a[MIX_NOISE_WEIGHT_KEYS[kind]] as number;
    if (!(w >= 0 && Number.isFinite(w))) throw new UserError(`${where}: ${MIX_NOISE_WEIGHT_KEYS[kind]} must be a weight ≥ 0, got ${w}`);
    total += w;
  }
  if (!(total > 0)) throw new UserError(`${where}: the noise-kind weights (noiseSource, noiseTalkers, …) are all 0`);
  if (!(a.eqGainDb >= 0 && a.eqGainDb <= 24)) throw new UserError(`${where}: eqGainDb must be in [0, 24] dB, got ${a.eqGainDb}`);
  for (const [key, [min, max]] of Object.entries(RANGE_LIMITS)) {
    const r = a[key as keyof MixAugment] as Range;
    if (!Array.isArray(r) || r.length !== 2 || !(r[0] >= min && r[0] <= r[1] && r[1] <= max)) {
      throw new UserError(`${where}: ${key} must be a range lo:hi with ${min} ≤ lo ≤ hi ≤ ${max}, got ${JSON.stringify(r)}`);
    }
  }
}

/**
 * A complete settings object from a stored one that may predate some fields (a resumed run, an
 * old checkpoint): missing fields take MIX_AUGMENT_NONE's values, so old runs stay exact.
 */
export function mixAugmentComplete(stored: Partial<MixAugment> | undefined): MixAugment {
  return { ...structuredClone(MIX_AUGMENT_NONE) as MixAugment, ...(stored ?? {}) };
}

/**
 * Applies `key=value,key=value` overrides (the `--augment-set` syntax) to a copy of `base`.
 * Numbers as in JS; ranges as `lo:hi`. The result is checked (mixAugmentCheck).
 */
export function mixAugmentWith(base: Readonly<MixAugment>, overrides: string): MixAugment {
  const out = structuredClone(base) as MixAugment;
  for (const item of overrides.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = item.indexOf('=');
    if (eq < 0) throw new UserError(`--augment-set: '${item}' is not key=value`);
    const key = item.slice(0, eq).trim();
    const text = item.slice(eq + 1).trim();
    if (!(key in MIX_AUGMENT_NONE)) throw new UserError(`--augment-set: unknown setting '${key}' (known: ${Object.keys(MIX_AUGMENT_NONE).join(', ')})`);
    const k = key as keyof MixAugment;
    const num = (s: string) => {
      const v = s.trim() === '' ? NaN : Number(s);
      if (!Number.isFinite(v)) throw new UserError(`--augment-set: ${key}=${text}: '${s}' is not a number`);
      return v;
    };
    if (Array.isArray(MIX_AUGMENT_NONE[k])) {
      const parts = text.split(':');
      if (parts.length !== 2) throw new UserError(`--augment-set: ${key} is a range, write ${key}=lo:hi (got '${text}')`);
      (out[k] as Range) = [num(parts[0]), num(parts[1])];
    } else {
      (out[k] as number) = num(text);
    }
  }
  mixAugmentCheck(out, '--augment-set');
  return out;
}

/** A preset by name (`--augment none|v2`), as a fresh copy. */
export function mixAugmentPreset(name: string): MixAugment {
  const p = MIX_AUGMENT_PRESETS[name];
  if (p === undefined) throw new UserError(`--augment must be one of ${Object.keys(MIX_AUGMENT_PRESETS).join(', ')}, got '${name}'`);
  return structuredClone(p) as MixAugment;
}

/** Does `a` draw noise kinds other than recorded sources (so talkerNoise must stay 0)? */
export function mixAugmentNoiseMixed(a: Readonly<MixAugment>): boolean {
  return MIX_NOISE_KINDS.some((k) => k !== 'source' && (a[MIX_NOISE_WEIGHT_KEYS[k]] as number) > 0);
}

/** Is every augmentation off (the mixer takes its original path)? */
export function mixAugmentIsNone(a: Readonly<MixAugment>): boolean {
  return JSON.stringify(mixAugmentComplete(a)) === JSON.stringify(MIX_AUGMENT_NONE);
}
