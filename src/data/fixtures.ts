/**
 * The tiny test corpus committed under test/fixtures/corpus/: a few real utterances of speakers
 * from each split and a few noise excerpts of each kind the mixer needs (training and validation
 * noise, babble, crowd, clatter), cut from a built corpus, with a manifest in the corpus format,
 * the packages' copyright files and an ATTRIBUTION.md. Tests of the mixer, trainer and metrics
 * use it instead of the full corpus:
 *   hushpack corpus fixtures --corpus /work/corpus --out test/fixtures/corpus
 * regenerates it; the picks are fixed by the rules below and a seeded generator.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_RATE_HZ } from '../dsp/constants.js';
import { UserError } from '../errors.js';
import { Prng } from './prng.js';
import { clipPcm, openCorpus, type Corpus, type CorpusClip } from './corpus.js';
import { manifestFormat, type ManifestRow, type ManifestSplit } from './manifest.js';
import { encodeWav } from './wav.js';
import { fileWriteAtomic } from './builder/stamps.js';
import { attributionPackageLines, licencesCopy } from './attribution.js';

/** One pick rule: `count` clips of `group` in `split`, each cut to at most `maxSeconds`. */
interface FixturePick {
  split: ManifestSplit;
  group: string;
  count: number;
  maxSeconds: number;
  /** Only clips at least this long are candidates (speech: whole utterances, not single digits). */
  minSeconds: number;
  /** Only noise clips of this category (corpus v2 picks). */
  category?: string;
}

/** What the fixture holds: 2–3 speakers per split, and every noise type (v1 picks first, unchanged). */
export const FIXTURE_PICKS: readonly FixturePick[] = [
  { split: 'train', group: 'asterisk-allison', count: 3, maxSeconds: 3, minSeconds: 1.5 },
  { split: 'train', group: 'fillets-cs-m', count: 2, maxSeconds: 3, minSeconds: 1.5 },
  { split: 'validation', group: 'asterisk-ivrvoice-ru', count: 2, maxSeconds: 3, minSeconds: 1.5 },
  { split: 'validation', group: 'tuxpaint-da', count: 1, maxSeconds: 3, minSeconds: 1.5 },
  { split: 'test', group: 'asterisk-june', count: 2, maxSeconds: 3, minSeconds: 1.5 },
  { split: 'test', group: 'tuxpaint-el', count: 2, maxSeconds: 3, minSeconds: 1.5 },
  { split: 'train', group: 'moh', count: 1, maxSeconds: 3, minSeconds: 3 },
  { split: 'train', group: 'openclonk', count: 1, maxSeconds: 3, minSeconds: 3 },
  { split: 'train', group: 'scorched3d', count: 1, maxSeconds: 3, minSeconds: 3 },
  { split: 'validation', group: 'moh', count: 1, maxSeconds: 3, minSeconds: 3 },
  { split: 'validation', group: 'opensfx', count: 1, maxSeconds: 3, minSeconds: 2 },
  { split: 'test', group: 'babble', count: 2, maxSeconds: 3, minSeconds: 3 },
  { split: 'test', group: 'crowd', count: 1, maxSeconds: 3, minSeconds: 3 },
  { split: 'test', group: 'clatter', count: 2, maxSeconds: 3, minSeconds: 0.1 },
  // Corpus v2: new voices, speech-like noise, keystrokes, and test noise of the four categories
  // of the environmental test set.
  { split: 'train', group: 'festvox-ru-nsh', count: 1, maxSeconds: 3, minSeconds: 1.5 },
  { split: 'train', group: 'nexuiz-narrator', count: 1, maxSeconds: 3, minSeconds: 1.5 },
  { split: 'train', group: 'ufoai', category: 'radio', count: 1, maxSeconds: 3, minSeconds: 3 },
  { split: 'train', group: 'bucklespring-keys', category: 'typing', count: 2, maxSeconds: 1, minSeconds: 0.1 },
  { split: 'validation', group: 'redeclipse', category: 'weather', count: 1, maxSeconds: 3, minSeconds: 3 },
  { split: 'test', group: 'redeclipse', category: 'weather', count: 1, maxSeconds: 3, minSeconds: 3 },
  { split: 'test', group: '0ad', category: 'nature', count: 1, maxSeconds: 3, minSeconds: 3 },
  { split: 'test', group: 'torcs', category: 'traffic', count: 1, maxSeconds: 3, minSeconds: 2 },
  { split: 'test', group: 'widelands', category: 'machinery', count: 1, maxSeconds: 3, minSeconds: 3 },
];

/** Seed of the fixture picks. */
const FIXTURE_SEED = 20240601;

/** Summary of a written fixture. */
export interface FixtureReport {
  outDir: string;
  files: number;
  bytes: number;
  seconds: number;
  packages: string[];
}

/** Speech keeps its start (utterance onset); noise is cut from the middle of the recording. */
function cut(clip: CorpusClip, pcm: Int16Array, maxSeconds: number): Int16Array {
  const n = Math.min(pcm.length, Math.round(maxSeconds * SAMPLE_RATE_HZ));
  const start = clip.role === 'speech' ? 0 : Math.floor((pcm.length - n) / 2);
  return pcm.subarray(start, start + n);
}

/** Writes the fixture corpus to `outDir` (replacing audio, manifest, licences and ATTRIBUTION.md). */
export function fixturesMake(corpusDir: string, outDir: string): FixtureReport {
  const corpus: Corpus = openCorpus(corpusDir);
  const rows: ManifestRow[] = [];
  let bytes = 0;
  for (const d of ['speech', 'noise', 'licences']) rmSync(join(outDir, d), { recursive: true, force: true });
  for (const pick of FIXTURE_PICKS) {
    const candidates = corpus.clips.filter(
      (c) => c.split === pick.split && c.group === pick.group && c.seconds >= pick.minSeconds && (pick.category === undefined || c.category === pick.category),
    );
    if (candidates.length < pick.count) {
      throw new UserError(`${corpusDir}: only ${candidates.length} clips of ${pick.group}${pick.category ? ` (${pick.category})` : ''} (${pick.split}) ≥ ${pick.minSeconds} s, the fixture needs ${pick.count}`);
    }
    // v1 picks keep their v1 key (same clips as before); category picks add the category.
    const rng = Prng.fromKey(pick.category === undefined ? [FIXTURE_SEED, pick.split, pick.group] : [FIXTURE_SEED, pick.split, pick.group, pick.category]);
    const chosen = new Set<number>();
    while (chosen.size < pick.count) chosen.add(rng.int(candidates.length));
    for (const k of [...chosen].sort((a, b) => a - b)) {
      const clip = candidates[k];
      const pcm = cut(clip, clipPcm(corpus, clip), pick.maxSeconds);
      const x = new Float32Array(pcm.length);
      for (let i = 0; i < pcm.length; i++) x[i] = pcm[i] / 32768;
      const wav = encodeWav({ sampleRate: SAMPLE_RATE_HZ, channels: [x] }, 'pcm16');
      fileWriteAtomic(join(outDir, clip.path), wav);
      bytes += wav.length;
      rows.push({ ...stripId(clip), seconds: pcm.length / SAMPLE_RATE_HZ });
    }
  }
  rows.sort((a, b) => (a.path < b.path ? -1 : 1));
  fileWriteAtomic(join(outDir, 'manifest.csv'), manifestFormat(rows));
  const packages = [...new Set(rows.flatMap((r) => r.package.split('+')))].sort();
  mkdirSync(join(outDir, 'licences'), { recursive: true });
  licencesCopy(corpusDir, outDir, packages);
  fileWriteAtomic(join(outDir, 'ATTRIBUTION.md'), attribution(rows, packages));
  return { outDir, files: rows.length, bytes, seconds: rows.reduce((s, r) => s + r.seconds, 0), packages };
}

function stripId(c: CorpusClip): ManifestRow {
  const { id: _id, ...row } = c;
  return row;
}

function attribution(rows: readonly ManifestRow[], packages: readonly string[]): string {
  const lines = [
    '# Test corpus: sources and licences',
    '',
    'Every clip here is cut (at most 3 s; speech from its start, noise from the middle) from the open',
    'corpus that `hushpack corpus build` makes from Debian 12 packages (shared/corpus/SOURCES.md and SOURCES-v2.md),',
    'decoded to 16 kHz mono 16-bit PCM. Regenerate with',
    '`hushpack corpus fixtures --corpus DIR --out test/fixtures/corpus` (src/data/fixtures.ts).',
    'The babble clips are built from klettres-data and ktuberling-data voices (src/data/builder/babble.ts).',
    ...attributionPackageLines(packages),
  ];
  lines.push('', '## Files', '', '| file | role | group | split | category | package | licence | seconds |', '|---|---|---|---|---|---|---|---|');
  for (const r of rows) lines.push(`| ${r.path} | ${r.role} | ${r.group} | ${r.split} | ${r.category} | ${r.package} | ${r.licence} | ${r.seconds} |`);
  return lines.join('\n') + '\n';
}
