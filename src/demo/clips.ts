/**
 * The demo's bundled clips (demos/clips/): a handful of 4-s, 16 kHz mixtures of TEST-split speakers
 * (June, fr-CA; Tux Paint fr and el) in babble and cafeteria noise at 0 and 5 dB, with their clean
 * references, copied from the paper-protocol test set that `hushpack corpus build` writes
 * (CORPUS/testset/, src/data/testset.ts), plus clips.csv, the packages' copyright files and
 * ATTRIBUTION.md. Regenerate with
 *
 *   hushpack demo clips --corpus /work/corpus [--out demos/clips]
 *
 * The picks are fixed by DEMO_CLIP_PICKS and a rule with no randomness: for each pick in order,
 * among the test-set mixtures of that speaker, noise and SNR whose utterance no earlier pick took,
 * the one whose clean reference has the most speech-active 20-ms frames (ties: lowest id). The
 * test set itself is seeded (src/data/testset.ts), so the same corpus gives the same clips.
 *
 * Files are copied byte for byte (16-bit PCM; each pair carries the test set's common gain: mixture
 * at −25 dBFS RMS), so the demo's "before" figures are exactly the test set's.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { SAMPLE_RATE_HZ } from '../dsp/constants.js';
import { readMono } from '../data/wav.js';
import { csvField, csvParse, manifestParse, type ManifestRow } from '../data/manifest.js';
import { testsetRead, testsetConditionName, type TestsetRow } from '../data/testset.js';
import type { TestNoiseKind } from '../data/noise.js';
import { attributionPackageLines, licencesCopy } from '../data/attribution.js';
import { fileWriteAtomic } from '../data/builder/stamps.js';

/** One pick: a test speaker (corpus group) in a test noise at an SNR. */
export interface DemoClipPick {
  speaker: string;
  noise: TestNoiseKind;
  snrDb: number;
}

/** The bundled clips: each speaker once per noise, SNRs alternating (6 × 4 s × 2 files ≈ 1.5 MB). */
export const DEMO_CLIP_PICKS: readonly DemoClipPick[] = [
  { speaker: 'asterisk-june', noise: 'babble', snrDb: 0 },
  { speaker: 'tuxpaint-fr', noise: 'babble', snrDb: 5 },
  { speaker: 'tuxpaint-el', noise: 'cafeteria', snrDb: 0 },
  { speaker: 'asterisk-june', noise: 'cafeteria', snrDb: 5 },
  { speaker: 'tuxpaint-fr', noise: 'cafeteria', snrDb: 0 },
  { speaker: 'tuxpaint-el', noise: 'babble', snrDb: 5 },
];

/** Mixture length bounds (s): long enough for STOI/PESQ, short enough to keep the bundle small. */
export const DEMO_CLIP_SECONDS_MIN = 4;
export const DEMO_CLIP_SECONDS_MAX = 6;
/** A 20-ms frame is speech-active when its energy is within this many dB of the loudest frame. */
const ACTIVITY_RANGE_DB = 30;
/** Columns of clips.csv, in order. */
export const DEMO_CLIP_COLUMNS = ['name', 'mix', 'clean', 'speaker', 'lang', 'noise', 'snr_db', 'seconds', 'testset_id', 'utterances', 'noise_files', 'packages', 'licences'] as const;

/** One bundled clip (a row of clips.csv). File names are relative to the clips folder. */
export interface DemoClip {
  /** Short label, e.g. "01 June (fr-CA), babble 0 dB". */
  name: string;
  mix: string;
  clean: string;
  /** Corpus speaker group (asterisk-june, tuxpaint-fr, tuxpaint-el). */
  speaker: string;
  /** Language tag of the speech (fr-CA, fr, el). */
  lang: string;
  noise: TestNoiseKind;
  snrDb: number;
  seconds: number;
  /** Id of the mixture in CORPUS/testset/manifest.csv. */
  testsetId: string;
  /** Corpus paths of the utterances and noise files mixed ('+'-joined, as in the test-set manifest). */
  utterances: string;
  noiseFiles: string;
  /** Debian packages the audio comes from and their licences (';'-joined, sorted: licence names contain '+'). */
  packages: string;
  licences: string;
}

/** A clip's audio: 16 kHz mono floats (int16 / 32768). */
export interface DemoClipAudio {
  clip: DemoClip;
  mix: Float32Array;
  clean: Float32Array;
}

/** Readable speaker name for labels. */
export function speakerLabel(speaker: string, lang: string): string {
  if (speaker === 'asterisk-june') return `June (${lang})`;
  if (speaker.startsWith('tuxpaint-')) return `Tux Paint (${lang})`;
  return `${speaker} (${lang})`;
}

/** Fraction of 20-ms frames within ACTIVITY_RANGE_DB of the loudest frame. */
export function speechActivity(x: Float32Array): number {
  const frame = Math.round(0.02 * SAMPLE_RATE_HZ);
  const n = Math.floor(x.length / frame);
  if (n === 0) return 0;
  const e = new Float64Array(n);
  let max = 0;
  for (let f = 0; f < n; f++) {
    let s = 0;
    for (let i = f * frame; i < (f + 1) * frame; i++) s += x[i] * x[i];
    e[f] = s;
    if (s > max) max = s;
  }
  if (max === 0) return 0;
  const floor = max * 10 ** (-ACTIVITY_RANGE_DB / 10);
  let active = 0;
  for (let f = 0; f < n; f++) if (e[f] >= floor) active++;
  return active / n;
}

/** Serialises clips to clips.csv text (header first). */
export function demoClipsFormat(clips: readonly DemoClip[]): string {
  const lines = [DEMO_CLIP_COLUMNS.join(',')];
  for (const c of clips) {
    lines.push(
      [c.name, c.mix, c.clean, c.speaker, c.lang, c.noise, String(c.snrDb), String(c.seconds), c.testsetId, c.utterances, c.noiseFiles, c.packages, c.licences]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** Reads DIR/clips.csv (the clip list of a clips folder). */
export function demoClipsRead(dir: string): DemoClip[] {
  const path = join(dir, 'clips.csv');
  if (!existsSync(path)) {
    throw new UserError(`${dir}: no demo clips here (no clips.csv); make them from a built corpus with \`hushpack demo clips --corpus DIR --out ${dir}\``);
  }
  const records = csvParse(readFileSync(path, 'utf8'), path).filter((r) => !(r.length === 1 && r[0] === ''));
  if (records.length === 0 || records[0].join(',') !== DEMO_CLIP_COLUMNS.join(',')) throw new UserError(`${path}: header is not ${DEMO_CLIP_COLUMNS.join(',')}`);
  const clips = records.slice(1).map((f, k): DemoClip => {
    if (f.length !== DEMO_CLIP_COLUMNS.length) throw new UserError(`${path} line ${k + 2}: ${f.length} fields, expected ${DEMO_CLIP_COLUMNS.length}`);
    const noise = f[5];
    if (noise !== 'babble' && noise !== 'cafeteria') throw new UserError(`${path} line ${k + 2}: noise "${noise}" is not babble or cafeteria`);
    return {
      name: f[0], mix: f[1], clean: f[2], speaker: f[3], lang: f[4], noise, snrDb: Number(f[6]), seconds: Number(f[7]),
      testsetId: f[8], utterances: f[9], noiseFiles: f[10], packages: f[11], licences: f[12],
    };
  });
  if (clips.length === 0) throw new UserError(`${path}: lists no clips`);
  return clips;
}

/** Loads every clip's audio and checks it (16 kHz mono, equal lengths). */
export function demoClipsLoad(dir: string): DemoClipAudio[] {
  return demoClipsRead(dir).map((clip) => {
    const mixPath = join(dir, clip.mix);
    const cleanPath = join(dir, clip.clean);
    for (const p of [mixPath, cleanPath]) if (!existsSync(p)) throw new UserError(`${p}: missing (listed in ${join(dir, 'clips.csv')})`);
    const mix = readMono(mixPath);
    const clean = readMono(cleanPath);
    for (const [p, a] of [[mixPath, mix], [cleanPath, clean]] as const) {
      if (a.sampleRate !== SAMPLE_RATE_HZ) throw new UserError(`${p}: ${a.sampleRate} Hz; demo clips are ${SAMPLE_RATE_HZ} Hz`);
    }
    if (mix.samples.length !== clean.samples.length) throw new UserError(`${mixPath} and ${cleanPath} differ in length`);
    return { clip, mix: mix.samples, clean: clean.samples };
  });
}

/** What demoClipsMake wrote. */
export interface DemoClipsReport {
  outDir: string;
  clips: DemoClip[];
  /** Bytes of audio, licences and text written. */
  bytes: number;
  packages: string[];
}

/** Packages and licences of '+'-joined corpus paths, looked up in the corpus manifest. */
function provenance(paths: string[], byPath: Map<string, ManifestRow>, where: string): { packages: string[]; licences: string[] } {
  const packages = new Set<string>();
  const licences = new Set<string>();
  for (const p of paths) {
    const row = byPath.get(p);
    if (!row) throw new UserError(`${where}: ${p} is not in the corpus manifest`);
    for (const q of row.package.split('+')) packages.add(q);
    licences.add(row.licence);
  }
  return { packages: [...packages].sort(), licences: [...licences].sort() };
}

/** Picks the clips from CORPUS/testset and writes them to `outDir` (see the file comment). */
export function demoClipsMake(corpusDir: string, outDir: string): DemoClipsReport {
  const testsetDir = join(corpusDir, 'testset');
  const rows = testsetRead(testsetDir);
  const manifestPath = join(corpusDir, 'manifest.csv');
  if (!existsSync(manifestPath)) throw new UserError(`${corpusDir}: no manifest.csv; build the corpus with \`hushpack corpus build --out ${corpusDir}\``);
  const byPath = new Map(manifestParse(readFileSync(manifestPath, 'utf8'), manifestPath).map((r) => [r.path, r]));
  const used = new Set<string>();
  const picked: { pick: DemoClipPick; row: TestsetRow }[] = [];
  for (const pick of DEMO_CLIP_PICKS) {
    const candidates = rows.filter((r) => r.speaker === pick.speaker && r.noise === pick.noise && r.snrDb === pick.snrDb && !used.has(r.id));
    if (candidates.length === 0) {
      throw new UserError(`${testsetDir}: no unused ${pick.speaker} mixture in ${testsetConditionName(pick.noise, pick.snrDb)} (the demo needs test speakers June, Tux Paint fr and el at 0 and 5 dB)`);
    }
    let best: TestsetRow | null = null;
    let bestActivity = -1;
    for (const r of [...candidates].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      if (r.seconds < DEMO_CLIP_SECONDS_MIN || r.seconds > DEMO_CLIP_SECONDS_MAX) continue;
      const a = speechActivity(readMono(join(testsetDir, r.clean)).samples);
      if (a > bestActivity) {
        best = r;
        bestActivity = a;
      }
    }
    if (!best) throw new UserError(`${testsetDir}: no ${pick.speaker} mixture in ${testsetConditionName(pick.noise, pick.snrDb)} lasts ${DEMO_CLIP_SECONDS_MIN}–${DEMO_CLIP_SECONDS_MAX} s`);
    used.add(best.id);
    picked.push({ pick, row: best });
  }

  for (const f of ['clips.csv', 'ATTRIBUTION.md']) rmSync(join(outDir, f), { force: true });
  rmSync(join(outDir, 'licences'), { recursive: true, force: true });
  mkdirSync(join(outDir, 'licences'), { recursive: true });
  let bytes = 0;
  const clips: DemoClip[] = [];
  picked.forEach(({ pick, row }, k) => {
    const num = String(k + 1).padStart(2, '0');
    const stem = `${num}_${pick.speaker}_${pick.noise}_${pick.snrDb}dB`;
    const utterances = row.utterances.split('+');
    const noiseFiles = row.noiseFile.split('+');
    const speech = provenance(utterances, byPath, testsetDir);
    const noise = provenance(noiseFiles, byPath, testsetDir);
    const lang = byPath.get(utterances[0])!.lang;
    const clip: DemoClip = {
      name: `${num} ${speakerLabel(pick.speaker, lang)}, ${pick.noise} ${pick.snrDb} dB`,
      mix: `${stem}_mix.wav`,
      clean: `${stem}_clean.wav`,
      speaker: pick.speaker,
      lang,
      noise: pick.noise,
      snrDb: pick.snrDb,
      seconds: row.seconds,
      testsetId: row.id,
      utterances: row.utterances,
      noiseFiles: row.noiseFile,
      packages: [...new Set([...speech.packages, ...noise.packages])].sort().join(';'),
      licences: [...new Set([...speech.licences, ...noise.licences])].sort().join(';'),
    };
    for (const [src, dst] of [[row.mix, clip.mix], [row.clean, clip.clean]]) {
      copyFileSync(join(testsetDir, src), join(outDir, dst));
      bytes += statSync(join(outDir, dst)).size;
    }
    clips.push(clip);
  });
  const packages = [...new Set(clips.flatMap((c) => c.packages.split(';')))].sort();
  bytes += licencesCopy(corpusDir, outDir, packages);
  const csv = demoClipsFormat(clips);
  const attribution = demoClipsAttribution(clips, packages);
  fileWriteAtomic(join(outDir, 'clips.csv'), csv);
  fileWriteAtomic(join(outDir, 'ATTRIBUTION.md'), attribution);
  bytes += Buffer.byteLength(csv) + Buffer.byteLength(attribution);
  return { outDir, clips, bytes, packages };
}

/** ATTRIBUTION.md of the clips folder: packages (version, licence, copyright) and per-file sources. */
export function demoClipsAttribution(clips: readonly DemoClip[], packages: readonly string[]): string {
  const lines = [
    '# Demo clips: sources and licences',
    '',
    'Each `*_mix.wav` here is a 4-s mixture from the paper-protocol test set that `hushpack corpus build`',
    'writes (`CORPUS/testset/`, src/data/testset.ts): test-split speech (speakers never seen in training)',
    'plus babble or cafeteria noise at the stated SNR; `*_clean.wav` is its clean reference, with the',
    'same gain (mixture at −25 dBFS RMS). 16 kHz mono 16-bit PCM, copied byte for byte. The corpus is',
    'made from Debian 12 packages (shared/corpus/SOURCES.md); babble is built from klettres-data and',
    'ktuberling-data voices, cafeteria noise is babble + crowd + clatter (src/data/noise.ts).',
    'Regenerate with `hushpack demo clips --corpus DIR --out demos/clips` (src/demo/clips.ts).',
    '',
    'Each mixture combines the recordings listed for it; every part stays under its own licence.',
    ...attributionPackageLines(packages),
  ];
  lines.push('', '## Files', '', '| files | speaker | noise | SNR | speech (corpus paths) | noise (corpus paths) | packages | licences |', '|---|---|---|---|---|---|---|---|');
  for (const c of clips) {
    lines.push(
      `| ${c.mix}, ${c.clean} | ${speakerLabel(c.speaker, c.lang)} | ${c.noise} | ${c.snrDb} dB | ${c.utterances.split('+').join('<br>')} | ${c.noiseFiles.split('+').join('<br>')} | ${c.packages.split(';').join(', ')} | ${c.licences.split(';').join(', ')} |`,
    );
  }
  return lines.join('\n') + '\n';
}
