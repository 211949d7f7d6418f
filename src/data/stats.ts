/**
 * What a corpus holds, per split (`hushpack corpus stats`): minutes of speech, distinct speakers,
 * languages, minutes of noise per category, and the speech-like share of the noise. Computed from
 * manifest.csv alone (no audio is read), so it works on any built corpus, v1 included (a v1
 * manifest has no category column: its noise is counted under 'uncategorised').
 *
 * Speakers are manifest speech groups: real talkers (or, for a few game voice sets, a voice name
 * that may hide more than one actor, never fewer). Pseudo-speakers are not in the corpus: they
 * are made by the mixer's speed/pitch perturbation at training time, so their number depends on
 * the training options (`pseudoSpeakers` says so instead of inventing a count).
 */
import type { Corpus } from './corpus.js';
import { SPLIT_NAMES } from './manifest.js';
import { NOISE_CATEGORIES, SPEECH_LIKE_CATEGORIES } from './builder/categories.js';

/** Category name used for noise clips of manifests without a category column. */
export const CATEGORY_NONE = 'uncategorised';

/** One split's numbers. Minutes are rounded to 0.01. */
export interface SplitStats {
  speechMinutes: number;
  speechClips: number;
  /** Distinct real speakers (manifest speech groups). */
  speakers: number;
  /** Minutes per speaker, largest first. */
  speakerMinutes: Record<string, number>;
  /** Share of the split's speech minutes of its largest speaker (0…1). */
  largestSpeakerShare: number;
  /** Minutes per language tag. */
  languages: Record<string, number>;
  noiseMinutes: number;
  noiseClips: number;
  /** Minutes per noise category (NOISE_CATEGORIES order; only categories present). */
  noiseCategoryMinutes: Record<string, number>;
  /** Categories with noise in this split. */
  noiseCategories: number;
  /** Non-music noise minutes and the categories they span (issue 13's training-noise target). */
  nonMusicNoiseMinutes: number;
  nonMusicCategories: number;
  /** Minutes of speech-like noise (crowd, radio) excluding the built test babble. */
  speechLikeNoiseMinutes: number;
}

/** The whole report. */
export interface CorpusStats {
  dir: string;
  clips: number;
  splits: Record<string, SplitStats>;
  /** Babble source material (klettres/ktuberling voices, never clean targets). */
  babbleMaterial: { minutes: number; voices: number };
  /** Pseudo-speakers are a training-time augmentation, not corpus content. */
  pseudoSpeakers: string;
}

const round = (x: number) => Math.round(x * 100) / 100;

function sortedRounded(m: Map<string, number>, order?: readonly string[]): Record<string, number> {
  const keys = [...m.keys()];
  if (order) keys.sort((a, b) => (order.indexOf(a) === -1 ? 99 : order.indexOf(a)) - (order.indexOf(b) === -1 ? 99 : order.indexOf(b)) || (a < b ? -1 : 1));
  else keys.sort((a, b) => m.get(b)! - m.get(a)! || (a < b ? -1 : 1));
  return Object.fromEntries(keys.map((k) => [k, round(m.get(k)!)]));
}

/** Statistics of an opened corpus (manifest only). */
export function corpusStats(corpus: Corpus): CorpusStats {
  const splits: Record<string, SplitStats> = {};
  for (const split of SPLIT_NAMES) {
    const clips = corpus.clips.filter((c) => c.split === split);
    const speakers = new Map<string, number>();
    const langs = new Map<string, number>();
    const cats = new Map<string, number>();
    let speech = 0;
    let noise = 0;
    let speechClips = 0;
    let speechLike = 0;
    for (const c of clips) {
      const min = c.seconds / 60;
      if (c.role === 'speech') {
        speech += min;
        speechClips++;
        speakers.set(c.group, (speakers.get(c.group) ?? 0) + min);
        langs.set(c.lang, (langs.get(c.lang) ?? 0) + min);
      } else {
        noise += min;
        const cat = c.category === '' ? CATEGORY_NONE : c.category;
        cats.set(cat, (cats.get(cat) ?? 0) + min);
        if ((SPEECH_LIKE_CATEGORIES as readonly string[]).includes(c.category) && c.group !== 'babble') speechLike += min;
      }
    }
    const nonMusic = [...cats].filter(([k]) => k !== 'music' && k !== CATEGORY_NONE);
    splits[split] = {
      speechMinutes: round(speech),
      speechClips,
      speakers: speakers.size,
      speakerMinutes: sortedRounded(speakers),
      largestSpeakerShare: speech > 0 ? Math.round((Math.max(...speakers.values()) / speech) * 1000) / 1000 : 0,
      languages: sortedRounded(langs),
      noiseMinutes: round(noise),
      noiseClips: clips.length - speechClips,
      noiseCategoryMinutes: sortedRounded(cats, NOISE_CATEGORIES),
      noiseCategories: cats.size,
      nonMusicNoiseMinutes: round(nonMusic.reduce((s, [, v]) => s + v, 0)),
      nonMusicCategories: nonMusic.length,
      speechLikeNoiseMinutes: round(speechLike),
    };
  }
  const babble = corpus.clips.filter((c) => c.split === 'babble');
  return {
    dir: corpus.dir,
    clips: corpus.clips.length,
    splits,
    babbleMaterial: { minutes: round(babble.reduce((s, c) => s + c.seconds / 60, 0)), voices: new Set(babble.map((c) => c.group)).size },
    pseudoSpeakers: 'none in the corpus: made at training time by the mixer speed/pitch perturbation, so their number depends on the training options',
  };
}

/** Human-readable text of `corpusStats`. */
export function corpusStatsText(s: CorpusStats): string {
  const lines = [`${s.dir}: ${s.clips} clips`];
  for (const [split, t] of Object.entries(s.splits)) {
    lines.push(
      `${split}:`,
      `  speech     ${t.speechMinutes} min, ${t.speechClips} clips, ${t.speakers} real speakers (largest ${(t.largestSpeakerShare * 100).toFixed(1)} %)`,
      `  languages  ${Object.entries(t.languages).map(([k, v]) => `${k || '?'} ${v}`).join(', ')}`,
      `  noise      ${t.noiseMinutes} min, ${t.noiseClips} clips, ${t.noiseCategories} categories; non-music ${t.nonMusicNoiseMinutes} min in ${t.nonMusicCategories} categories; speech-like (not babble) ${t.speechLikeNoiseMinutes} min`,
      `  categories ${Object.entries(t.noiseCategoryMinutes).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    );
  }
  lines.push(`babble material: ${s.babbleMaterial.minutes} min, ${s.babbleMaterial.voices} voices`, `pseudo-speakers: ${s.pseudoSpeakers}`);
  return lines.join('\n') + '\n';
}
