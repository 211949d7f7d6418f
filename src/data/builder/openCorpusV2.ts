/**
 * The additions of shared/corpus/SOURCES-v2.md to the open corpus (corpus v2): which file of
 * which new package becomes which clip. openCorpus.ts runs these after the v1 selection.
 *
 * Speech (speakers disjoint across splits; the test split gets no new talker, so the paper test
 * set, which draws from the test split's speech, stays byte-identical to v1's):
 *   festvox-ru        1 male Russian reader (99.5 min)                      train
 *   nexuiz-data       narrator (+ male announcer, kept as one speaker),
 *                     8 player voice sets                                   train; fricka + insurrectionist validation
 *   megaglest-data    unit voices by name prefix (a name used by several factions counts as one
 *                     speaker, so that a shared actor cannot cross splits); animals, monsters and
 *                     creatures left out                                    train; MEGAGLEST_VALIDATION validation
 *   gcin-voice        the "5.ogg" Mandarin voice of each syllable folder ("3.ogg": noisy, band-limited)   train
 *   0ad-data          civ voices in Ancient Greek, Latin, Persian, Napatan: validation (Greek is a
 *                     test language and must stay unseen in training; the same actors may voice
 *                     several civilisations, so all four stay together)
 *   trigger-rally     co-drivers ab, tim                                    train; paula validation
 * Noise: every file of the opened folders gets a category from categories.ts (or is skipped as
 * not noise material), and a split from a stable hash of its recording key (the path with a
 * trailing take number removed, so 'rain_11' and 'rain_12' land together): non-speech-like
 * categories 75 % train / 10 % validation / 15 % test; speech-like categories (crowd, radio) 90 %
 * train / 10 % validation (test crowd stays v1's test-only crowd and babble). Bucklespring
 * keystrokes are single events (group NOISE_GROUP_KEYSTROKES, kept down to 10 ms).
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ManifestSplit } from '../manifest.js';
import { NOISE_GROUP_KEYSTROKES } from '../noise.js';
import { corpusPackage } from './packages.js';
import { noiseCategoryOf, SPEECH_LIKE_CATEGORIES, type NoiseCategory } from './categories.js';
import { zipExtract } from './zip.js';
import { filesUnder, stableFraction, wavName, type RecipeContext, type SourceItem } from './recipe.js';

/** Split fractions of v2 noise recordings: [train, validation] (test takes the rest). */
export const NOISE_V2_FRACTIONS: readonly [number, number] = [0.75, 0.1];
/** Split fractions of v2 speech-like noise (crowd, radio): no test share, 10 % validation (it is scarce: ~11 min). */
export const NOISE_V2_SPEECH_LIKE_FRACTIONS: readonly [number, number] = [0.9, 0.1];
/** Keystrokes are kept down to this length (other clips: CLIP_MIN_SECONDS). */
export const KEYSTROKE_MIN_SECONDS = 0.01;
/** Speech of v2 is kept only from recordings at 16 kHz or more (narrow-band speech is not a clean target). */
const SPEECH_RATE_RANGE_HZ: readonly [number, number] = [16000, 192000];

/** Zip archives inside v2 packages and the members taken from each. */
export const V2_ARCHIVES: readonly { pkg: string; archive: string; members: readonly string[] }[] = [
  { pkg: 'nexuiz-data', archive: 'usr/share/games/nexuiz/data/data.pk3', members: ['sound/tutorial/*', 'sound/announcer/male/*', 'sound/player/*/coms/*', 'sound/ambient/*', 'sound/weather/*'] },
  {
    pkg: '0ad-data',
    archive: 'usr/share/games/0ad/mods/public/public.zip',
    members: ['audio/ambient/*', 'audio/voice/*/civ/*', 'audio/actor/fauna/animal/*', 'audio/actor/ship/*', 'audio/resource/*'],
  },
  { pkg: 'trigger-rally-data', archive: 'usr/share/games/trigger-rally/data.zip', members: ['sounds/codriver/*'] },
  { pkg: 'ufoai-sound', archive: 'usr/share/games/ufoai/base/0snd.pk3', members: ['sound/ambience/*', 'sound/misc/*', 'sound/doors/*'] },
];

/** Nexuiz voice sets that go to validation. */
const NEXUIZ_VALIDATION = new Set(['fricka', 'insurrectionist']);
/** MegaGlest voices (file-name prefixes) that go to validation. */
const MEGAGLEST_VALIDATION = new Set(['princess', 'genie', 'cudgel', 'shaman']);
/** MegaGlest unit sounds that are not human speech (animals, monsters, creatures; 'dr' = dragon rider's dragon). */
const MEGAGLEST_NOT_SPEECH = new Set(['behemoth', 'bull', 'carpet', 'chicken', 'cow', 'daemon', 'dr', 'dragon', 'eagle', 'evil_dragon', 'golem', 'mummy', 'pig', 'ghost_armor']);
/** Trigger Rally co-drivers that go to validation. */
const TRIGGER_VALIDATION = new Set(['paula']);
/** 0ad voice languages (folder → tag; Napatan has no ISO 639 code). */
const ZEROAD_LANGS: Record<string, string> = { greek: 'grc', latin: 'la', persian: 'peo', napatan: 'x-napatan' };

const AUDIO_EXT = /\.(ogg|wav|flac|opus)$/i;

function item(pkgName: string, rel: string, input: string, fields: Omit<SourceItem, 'key' | 'input' | 'package' | 'licence'>): SourceItem {
  const pkg = corpusPackage(pkgName);
  return { key: `${pkgName}:${rel}`, input, package: pkg.name, licence: pkg.licence, ...fields };
}

/** A recording's identity for the split: package + path without extension and trailing take number ('rain_11' → 'rain'). */
export function recordingKey(pkg: string, rel: string): string {
  return `${pkg}:${rel.replace(/\.[^./]+$/, '').replace(/[-_ ]?\d+$/, '')}`;
}

/** Split of a v2 noise file by the stable hash of its recording key. */
export function noiseSplitV2(pkg: string, rel: string, category: NoiseCategory): ManifestSplit {
  const [train, validation] = SPEECH_LIKE_CATEGORIES.includes(category) ? NOISE_V2_SPEECH_LIKE_FRACTIONS : NOISE_V2_FRACTIONS;
  const u = stableFraction(recordingKey(pkg, rel));
  return u < train ? 'train' : u < train + validation ? 'validation' : 'test';
}

/**
 * Extracts the needed members of each zip archive into ctx.unpackDir/PKG and deletes the archive
 * from the package tree at once (0ad's public.zip is 3.3 GB). An archive already deleted by an
 * interrupted run is restored by extracting its package again.
 */
export async function unpackV2(ctx: RecipeContext): Promise<void> {
  for (const a of V2_ARCHIVES) {
    let root = await ctx.root(a.pkg);
    if (!existsSync(join(root, a.archive))) {
      rmSync(root, { recursive: true, force: true });
      root = await ctx.root(a.pkg);
    }
    const dest = join(ctx.unpackDir, a.pkg);
    rmSync(dest, { recursive: true, force: true });
    await zipExtract(join(root, a.archive), a.members, dest);
    rmSync(join(root, a.archive), { force: true });
  }
}

/** The v2 source items (speech, then noise), in a stable order. */
export async function selectV2(ctx: RecipeContext): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  const speech = (pkg: string, rel: string, input: string, out: string, group: string, lang: string, split: ManifestSplit) =>
    items.push(item(pkg, rel, input, { decoder: decoderFor(input), out, role: 'speech', group, lang, split, sourceRateRangeHz: SPEECH_RATE_RANGE_HZ }));

  const festvox = 'usr/share/festival/voices/russian/msu_ru_nsh_clunits/wav';
  const festvoxDir = join(await ctx.root('festvox-ru'), festvox);
  for (const rel of filesUnder(festvoxDir).filter((f) => f.endsWith('.wav'))) {
    speech('festvox-ru', `${festvox}/${rel}`, join(festvoxDir, rel), `speech/festvox-ru/${rel}`, 'festvox-ru-nsh', 'ru', 'train');
  }

  const nexuiz = join(ctx.unpackDir, 'nexuiz-data');
  for (const rel of filesUnder(nexuiz).filter((f) => AUDIO_EXT.test(f) && /^sound\/(tutorial|announcer\/male|player\/[^/]+\/coms)\//.test(f))) {
    const set = /^sound\/player\/([^/]+)\/coms\//.exec(rel)?.[1];
    const group = set === undefined ? 'nexuiz-narrator' : `nexuiz-${set}`;
    const split = set !== undefined && NEXUIZ_VALIDATION.has(set) ? 'validation' : 'train';
    speech('nexuiz-data', `usr/share/games/nexuiz/data/data.pk3#${rel}`, join(nexuiz, rel), `speech/nexuiz/${wavName(rel.replace(/^sound\//, ''))}`, group, 'en', split);
  }

  const mg = join(await ctx.root('megaglest-data'), 'usr/share/games/megaglest/techs/megapack');
  for (const rel of filesUnder(mg)) {
    const m = /^(?:factions\/[^/]+\/units\/[^/]+|commondata)\/sounds\/([a-z_]+?)_(?:select|ack)\d*\.wav$/.exec(rel);
    if (!m || MEGAGLEST_NOT_SPEECH.has(m[1])) continue;
    const out = `speech/megaglest/${rel.replace(/^factions\//, '').replace(/\/units\//, '/').replace(/\/sounds\//, '/')}`;
    speech('megaglest-data', `usr/share/games/megaglest/techs/megapack/${rel}`, join(mg, rel), out, `megaglest-${m[1]}`, 'en', MEGAGLEST_VALIDATION.has(m[1]) ? 'validation' : 'train');
  }

  const gcin = join(await ctx.root('gcin-voice'), 'usr/share/gcin-voice/ogg');
  for (const rel of filesUnder(gcin).filter((f) => f.endsWith('/5.ogg'))) {
    // Syllable folders are named in Bopomofo; the clip name spells their code points in ASCII.
    const syllable = [...rel.split('/')[0]].map((c) => (/[0-9a-z]/i.test(c) ? c : `u${c.codePointAt(0)!.toString(16)}`)).join('');
    speech('gcin-voice', `usr/share/gcin-voice/ogg/${rel}`, join(gcin, rel), `speech/gcin-5/${syllable}.wav`, 'gcin-5', 'zh', 'train');
  }

  const zeroad = join(ctx.unpackDir, '0ad-data');
  for (const rel of filesUnder(join(zeroad, 'audio/voice'))) {
    const m = /^([a-z]+)\/civ\/civ_(female|male)_[^/]+\.ogg$/.exec(rel);
    if (!m) continue;
    const lang = ZEROAD_LANGS[m[1]];
    if (lang === undefined) throw new Error(`0ad-data: voice language folder ${m[1]} is not in ZEROAD_LANGS`);
    speech('0ad-data', `usr/share/games/0ad/mods/public/public.zip#audio/voice/${rel}`, join(zeroad, 'audio/voice', rel), `speech/0ad/${wavName(rel.replace('/civ/', '/'))}`, `0ad-${m[1]}-${m[2]}`, lang, 'validation');
  }

  const trigger = join(ctx.unpackDir, 'trigger-rally-data', 'sounds/codriver');
  for (const rel of filesUnder(trigger).filter((f) => AUDIO_EXT.test(f) && f.includes('/'))) {
    const who = rel.split('/')[0];
    speech('trigger-rally-data', `usr/share/games/trigger-rally/data.zip#sounds/codriver/${rel}`, join(trigger, rel), `speech/trigger-rally/${wavName(rel)}`, `trigger-rally-${who}`, 'en', TRIGGER_VALIDATION.has(who) ? 'validation' : 'train');
  }

  // Noise: (package, folder to walk, the path rules see for a file of that folder, group).
  const noiseDirs: { pkg: string; dir: string; rulePath: (rel: string) => string; group: string }[] = [
    ...['sound/ambience', 'sound/misc', 'sound/doors'].map((d) => ({
      pkg: 'ufoai-sound', dir: join(ctx.unpackDir, 'ufoai-sound', d), rulePath: (rel: string) => `usr/share/games/ufoai/base/0snd.pk3#${d}/${rel}`, group: 'ufoai',
    })),
    ...['audio/ambient', 'audio/actor/fauna/animal', 'audio/actor/ship', 'audio/resource'].map((d) => ({
      pkg: '0ad-data', dir: join(zeroad, d), rulePath: (rel: string) => `usr/share/games/0ad/mods/public/public.zip#${d}/${rel}`, group: '0ad',
    })),
    ...['sound/ambient', 'sound/weather'].map((d) => ({
      pkg: 'nexuiz-data', dir: join(nexuiz, d), rulePath: (rel: string) => `usr/share/games/nexuiz/data/data.pk3#${d}/${rel}`, group: 'nexuiz',
    })),
  ];
  const rooted = async (pkg: string, under: string, group: string) =>
    noiseDirs.push({ pkg, dir: join(await ctx.root(pkg), under), rulePath: (rel) => `${under}/${rel}`, group });
  await rooted('megaglest-data', 'usr/share/games/megaglest/tilesets', 'megaglest');
  await rooted('megaglest-data', 'usr/share/games/megaglest/data/core/water_sounds', 'megaglest');
  await rooted('redeclipse-data', 'usr/share/games/redeclipse/data/sounds/ambience', 'redeclipse');
  await rooted('widelands-data', 'usr/share/games/widelands/data/sound', 'widelands');
  await rooted('widelands-data', 'usr/share/games/widelands/data/world/critters/duck', 'widelands');
  await rooted('supertuxkart-data', 'usr/share/games/supertuxkart/data', 'supertuxkart');
  await rooted('unknown-horizons', 'usr/share/unknown-horizons/content/audio/sounds', 'unknown-horizons');
  await rooted('lomiri-sounds', 'usr/share/sounds/lomiri', 'lomiri');
  await rooted('sonic-pi-samples', 'usr/share/sonic-pi/samples', 'sonic-pi');
  await rooted('torcs-data', 'usr/share/games/torcs/data/sound', 'torcs');
  await rooted('bucklespring-data', 'usr/share/buckle/wav', NOISE_GROUP_KEYSTROKES);
  for (const d of noiseDirs) {
    for (const rel of filesUnder(d.dir).filter((f) => AUDIO_EXT.test(f))) {
      const path = d.rulePath(rel);
      const category = noiseCategoryOf(d.pkg, path);
      if (category === null) continue;
      const out = `noise/${d.group}/${wavName(path.replace(/^.*?(\.pk3#|\.zip#)/, '').replace(/^usr\/share\/(games\/)?[^/]+\/(data\/)?/, ''))}`;
      items.push(item(d.pkg, path, join(d.dir, rel), {
        decoder: decoderFor(rel), out, role: 'noise', group: d.group, lang: '', split: noiseSplitV2(d.pkg, path, category), category,
        ...(d.group === NOISE_GROUP_KEYSTROKES ? { minSeconds: KEYSTROKE_MIN_SECONDS } : {}),
      }));
    }
  }
  return items;
}

function decoderFor(path: string): SourceItem['decoder'] {
  return path.toLowerCase().endsWith('.opus') ? 'ffmpeg' : 'sox';
}
