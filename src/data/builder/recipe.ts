/**
 * What a corpus is made of: a recipe names its pinned packages, how to unpack their archives,
 * and which files become which clips (role, speaker/noise group, language, split, decoder).
 * `OPEN_CORPUS_RECIPE` (src/data/builder/openCorpus.ts) is the corpus of shared/corpus/SOURCES.md;
 * tests build tiny recipes around a fake .deb.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ClipRole, ManifestSplit } from '../manifest.js';
import type { PinnedPackage } from './packages.js';
import type { DecoderKind } from './decode.js';

/** One source file to decode into one corpus clip. */
export interface SourceItem {
  /** Stable unique id: `package:path-inside-the-package` (or `package:archive#n` for archive members). */
  key: string;
  /** Absolute path of the file to decode. */
  input: string;
  decoder: DecoderKind;
  /** Output path relative to the corpus folder, ending in .wav. */
  out: string;
  role: ClipRole;
  group: string;
  lang: string;
  package: string;
  licence: string;
  split: ManifestSplit;
  /** Keep the clip only if the source sample rate lies in this range (Hz, inclusive). */
  sourceRateRangeHz?: readonly [number, number];
  /** Noise category (src/data/builder/categories.ts); absent for speech. */
  category?: string;
  /** Clips shorter than this are dropped (default CLIP_MIN_SECONDS; single keystrokes are shorter). */
  minSeconds?: number;
}

/** Where a recipe finds package contents while the build runs. */
export interface RecipeContext {
  /** Folder a package was extracted to with dpkg-deb -x (extracts on first call). */
  root(pkg: string): Promise<string>;
  /** Private folder for archive contents (the unpack stage writes here; select reads). */
  unpackDir: string;
}

/** How the babble test noise is built (src/data/builder/babble.ts). */
export interface BabbleSpec {
  /** Number of clips written to noise/babble/. */
  clips: number;
  /** Length of each clip. */
  seconds: number;
  /** Talkers summed per clip (SOURCES.md: 8). */
  talkers: number;
  /** Pause between a talker's utterances, uniform in this range (SOURCES.md: 50–250 ms). */
  pauseMs: readonly [number, number];
  /** Manifest `package` and `licence` of the babble clips. */
  package: string;
  licence: string;
}

/** A complete corpus recipe. */
export interface CorpusRecipe {
  /** Changes whenever selection or decoding changes; part of every stage's stamp key. */
  version: string;
  packages: readonly PinnedPackage[];
  /** Unpacks archives (opensfx.cat, .ocg groups) into ctx.unpackDir. */
  unpack(ctx: RecipeContext): Promise<void>;
  /** Lists every source file to decode, in a stable order. */
  select(ctx: RecipeContext): Promise<SourceItem[]>;
  babble: BabbleSpec;
}

/** Files under `dir`, recursively, as sorted '/'-separated paths relative to `dir` ([] if absent). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const r = rel === '' ? name : `${rel}/${name}`;
      if (statSync(join(dir, r)).isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/**
 * A number in [0, 1) fixed by `key` alone (first 32 bits of SHA-256): a split by "stable hash
 * of the path" that does not move when files are added or removed elsewhere.
 */
export function stableFraction(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 4294967296;
}

/** `rel` with its extension replaced by .wav. */
export function wavName(rel: string): string {
  return rel.replace(/\.[^./]+$/, '') + '.wav';
}
