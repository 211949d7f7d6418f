/**
 * The open speech + noise corpus of shared/corpus/SOURCES.md and SOURCES-v2.md as a recipe: which
 * file of which pinned package becomes which clip, and why. This file holds the v1 selection
 * (unchanged by v2: same clips, same splits); openCorpusV2.ts adds the v2 packages, and every
 * noise clip gets a category from categories.ts.
 *
 * v1 selection: The split totals must stay within ±5 % of
 * SOURCES.md (train ~255, validation ~49, test ~61 minutes of speech).
 *
 * Speakers and languages are disjoint between splits (minutes measured on the built corpus, after
 * dropping clips < 0.1 s and byte-identical duplicates of the decoded PCM):
 *   train       Allison en-US + es-MX (one talker, two languages) 54.6, Carlo it 22.9,
 *               all of fillets-cs 105.4, Tux Paint be/bg/ca/ro 71.6               = 254.5
 *   validation  Russian IVR voice 23.9, Tux Paint ru 20.3 + da 5.1                =  49.2
 *   test        June fr-CA 25.1, Tux Paint fr 18.1 + el 16.3                      =  59.5
 * (Tux Paint el has 681 distinct .ogg files but only 552 distinct recordings: 129 files differ
 * only in their Ogg container bytes, so SOURCES.md's 18.3 min, counted by file, becomes 16.3.)
 * Noise: music on hold 3 tracks train / 2 validation; openclonk, opensfx, scorched3d and Tux Paint
 * effects 80 % train / 20 % validation by a stable hash of the path; crowd, clatter and the built
 * babble are test-only types.
 */
import { readFileSync, writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ManifestSplit } from '../manifest.js';
import { corpusPackage, CORPUS_PACKAGES } from './packages.js';
import { opensfxParse, titleSlug } from './opensfx.js';
import { c4groupExtract } from './c4group.js';
import { filesUnder, stableFraction, wavName, type CorpusRecipe, type RecipeContext, type SourceItem } from './recipe.js';
import { noiseCategoryOf } from './categories.js';
import { selectV2, unpackV2 } from './openCorpusV2.js';

/** Fraction of effect files that go to training (the rest to validation). */
export const EFFECTS_TRAIN_FRACTION = 0.8;

/** Asterisk prompt packages: talker, language, split. The `silence/` prompts are pure silence: skipped. */
const ASTERISK_VOICES = [
  { pkg: 'asterisk-core-sounds-en-g722', group: 'asterisk-allison', lang: 'en-US', split: 'train' },
  { pkg: 'asterisk-core-sounds-es-g722', group: 'asterisk-allison', lang: 'es-MX', split: 'train' },
  { pkg: 'asterisk-core-sounds-it-g722', group: 'asterisk-carlo', lang: 'it-IT', split: 'train' },
  { pkg: 'asterisk-core-sounds-ru-g722', group: 'asterisk-ivrvoice-ru', lang: 'ru-RU', split: 'validation' },
  { pkg: 'asterisk-core-sounds-fr-g722', group: 'asterisk-june', lang: 'fr-CA', split: 'test' },
] as const;

/**
 * Tux Paint stamp descriptions `*_desc_LANG.ogg`, one volunteer reader per language. Not used:
 * es (every file clips), nl/lt/ml/pt_BR (a few files each), and the non-`_desc` numerals and
 * letters under symbols/math and symbols/alphabets (spoken, so neither speech material nor noise).
 */
const TUXPAINT_READERS: Record<string, ManifestSplit> = {
  be: 'train',
  bg: 'train',
  ca: 'train',
  ro: 'train',
  ru: 'validation',
  da: 'validation',
  fr: 'test',
  el: 'test',
};

/**
 * scorched3d-data misc/ sounds left out: UI beeps and game jingles (beep, beep2, text, play,
 * lockon, extralife, laserdeath, teleport), screams, and the cheering loop (crowd noise is a
 * test-only type). The rest (56 files, 6.9 min) are birds, frogs, ocean, rain, thunder, city,
 * factory, aircraft, sirens, animals, explosions of the "misc" set.
 */
const SCORCHED3D_SKIP = /^(beep|beep2|text|play|lockon|extralife|laserdeath|teleport|scream\d*|screaming|cheeringloop)\.wav$/;

/** Crowd recordings (test-only noise type). tuxfootball's crowdooh.wav is 8 kHz narrow-band: skipped. */
const CROWD_FILES: readonly { pkg: string; path: string }[] = [
  ...Array.from({ length: 17 }, (_, i) => ({ pkg: 'etw-data', path: `usr/share/games/etw/crowd/crowd${String(i + 1).padStart(2, '0')}.wav` })),
  { pkg: 'etw-data', path: 'usr/share/games/etw/snd/crowd.wav' },
  { pkg: 'etw-data', path: 'usr/share/games/etw/snd/boou.wav' },
  { pkg: 'tuxfootball', path: 'usr/share/games/tuxfootball/sound/crowdboo.wav' },
  { pkg: 'tuxfootball', path: 'usr/share/games/tuxfootball/sound/crowdcheer.wav' },
  { pkg: 'lmms-common', path: 'usr/share/lmms/samples/misc/applause01.ogg' },
  { pkg: 'lmms-common', path: 'usr/share/lmms/samples/misc/raving_crowd01.ogg' },
];

/** Clatter events of the cafeteria recipe (glass, bottle, cash till): test only, so kept out of the effect split. */
const TUXPAINT_CLATTER = new Set(['household/dishes/glass.ogg', 'household/dishes/bottle.ogg']);
const OPENSFX_CLATTER_TITLES = new Set(['Cash till']);

/** openclonk-data sound groups used (SOURCES.md). */
const OPENCLONK_SOUND_GROUPS = ['Environment.ocg', 'Liquids.ocg', 'Fire.ocg', 'Structures.ocg'];
const OPENCLONK_SAWMILL = 'Objects.ocd/Structures.ocd/Sawmill.ocd';

/** Babble voices: only sources recorded at 16–48 kHz (some ktuberling voices are 8 kHz; a few klettres files claim 128 kHz). */
const BABBLE_RATE_RANGE_HZ: readonly [number, number] = [16000, 48000];

const AUDIO_EXT = /\.(ogg|wav|opus)$/i;

function item(pkgName: string, rel: string, input: string, fields: Omit<SourceItem, 'key' | 'input' | 'package' | 'licence'>): SourceItem {
  const pkg = corpusPackage(pkgName);
  return { key: `${pkgName}:${rel}`, input, package: pkg.name, licence: pkg.licence, ...fields };
}

function effectSplit(key: string): ManifestSplit {
  return stableFraction(key) < EFFECTS_TRAIN_FRACTION ? 'train' : 'validation';
}

async function unpack(ctx: RecipeContext): Promise<void> {
  // opensfx.cat → one WAV per record, named NN_title.wav.
  const sfxDir = join(ctx.unpackDir, 'opensfx');
  const cat = join(await ctx.root('openttd-opensfx'), 'usr/share/games/openttd/baseset/opensfx/opensfx.cat');
  rmSync(sfxDir, { recursive: true, force: true });
  mkdirSync(sfxDir, { recursive: true });
  for (const s of opensfxParse(readFileSync(cat), cat)) {
    writeFileSync(join(sfxDir, `${String(s.index).padStart(2, '0')}_${titleSlug(s.title)}.wav`), s.wav);
  }
  // openclonk groups → folders, with the c4group binary of the openclonk .deb.
  const ocDir = join(ctx.unpackDir, 'openclonk');
  rmSync(ocDir, { recursive: true, force: true });
  const c4group = join(await ctx.root('openclonk'), 'usr/bin/c4group');
  const data = join(await ctx.root('openclonk-data'), 'usr/share/games/openclonk');
  await c4groupExtract(c4group, join(data, 'Sound.ocg'), ocDir);
  await c4groupExtract(c4group, join(data, 'Objects.ocd'), ocDir);
  await unpackV2(ctx);
}

/** v1 selection + categories of its noise clips, then the v2 selection. */
async function select(ctx: RecipeContext): Promise<SourceItem[]> {
  const v1 = (await selectV1(ctx)).map((it) => {
    if (it.role !== 'noise') return it;
    const category = noiseCategoryOf(it.package, it.key.slice(it.package.length + 1));
    if (category === null) throw new Error(`${it.key}: the v1 selection takes it, but categories.ts calls it not noise material`);
    return { ...it, category };
  });
  return [...v1, ...(await selectV2(ctx))];
}

async function selectV1(ctx: RecipeContext): Promise<SourceItem[]> {
  const items: SourceItem[] = [];

  for (const v of ASTERISK_VOICES) {
    const sounds = join(await ctx.root(v.pkg), 'usr/share/asterisk/sounds');
    const short = v.pkg.replace(/^asterisk-core-sounds-(\w+)-g722$/, 'asterisk-$1');
    for (const rel of filesUnder(sounds)) {
      if (!rel.endsWith('.g722') || rel.split('/').includes('silence')) continue;
      const inVoice = rel.split('/').slice(1).join('/'); // drop the voice folder (en_US_f_Allison)
      items.push(item(v.pkg, `usr/share/asterisk/sounds/${rel}`, join(sounds, rel), {
        decoder: 'g722', out: `speech/${short}/${wavName(inVoice)}`, role: 'speech', group: v.group, lang: v.lang, split: v.split,
      }));
    }
  }

  // Fish Fillets NG, Czech: `<level>-m-*` lead 1 (small fish), `<level>-v-*` lead 2 (big fish), others minor characters.
  const fillets = join(await ctx.root('fillets-ng-data-cs'), 'usr/share/games/fillets-ng/sound');
  for (const rel of filesUnder(fillets)) {
    if (!rel.endsWith('.ogg')) continue;
    const name = rel.split('/').pop()!;
    const role = name.split('-')[1];
    const group = role === 'm' ? 'fillets-cs-m' : role === 'v' ? 'fillets-cs-v' : 'fillets-cs-other';
    items.push(item('fillets-ng-data-cs', `usr/share/games/fillets-ng/sound/${rel}`, join(fillets, rel), {
      decoder: 'sox', out: `speech/fillets-cs/${wavName(rel.replace(/\/cs\//, '/'))}`, role: 'speech', group, lang: 'cs', split: 'train',
    }));
  }

  const stamps = join(await ctx.root('tuxpaint-stamps-default'), 'usr/share/tuxpaint/stamps');
  for (const rel of filesUnder(stamps)) {
    if (!rel.endsWith('.ogg')) continue;
    const key = `usr/share/tuxpaint/stamps/${rel}`;
    const desc = /_desc_([a-z]{2,3}(?:_[A-Z]{2})?)(?:\.ogg)?\.ogg$/.exec(rel);
    if (desc) {
      const split = TUXPAINT_READERS[desc[1]];
      if (split === undefined) continue;
      items.push(item('tuxpaint-stamps-default', key, join(stamps, rel), {
        decoder: 'sox', out: `speech/tuxpaint-${desc[1]}/${wavName(rel)}`, role: 'speech', group: `tuxpaint-${desc[1]}`, lang: desc[1], split,
      }));
    } else if (rel.includes('_desc')) {
      continue;
    } else if (rel.startsWith('symbols/math/') || rel.startsWith('symbols/alphabets/')) {
      continue;
    } else if (TUXPAINT_CLATTER.has(rel)) {
      items.push(item('tuxpaint-stamps-default', key, join(stamps, rel), {
        decoder: 'sox', out: `noise/clatter/tuxpaint_${wavName(rel.split('/').pop()!)}`, role: 'noise', group: 'clatter', lang: '', split: 'test',
      }));
    } else {
      items.push(item('tuxpaint-stamps-default', key, join(stamps, rel), {
        decoder: 'sox', out: `noise/tuxpaint-fx/${wavName(rel)}`, role: 'noise', group: 'tuxpaint-fx', lang: '', split: effectSplit(`tuxpaint-stamps-default:${key}`),
      }));
    }
  }

  const klettres = join(await ctx.root('klettres-data'), 'usr/share/klettres');
  for (const rel of filesUnder(klettres)) {
    if (!rel.endsWith('.ogg')) continue;
    const lang = rel.split('/')[0];
    items.push(item('klettres-data', `usr/share/klettres/${rel}`, join(klettres, rel), {
      decoder: 'sox', out: `speech/klettres/${wavName(rel)}`, role: 'speech', group: `klettres-${lang}`, lang, split: 'babble', sourceRateRangeHz: BABBLE_RATE_RANGE_HZ,
    }));
  }
  const ktuberling = join(await ctx.root('ktuberling-data'), 'usr/share/ktuberling/sounds');
  for (const rel of filesUnder(ktuberling)) {
    if (!AUDIO_EXT.test(rel) || !rel.includes('/')) continue;
    const lang = rel.split('/')[0];
    items.push(item('ktuberling-data', `usr/share/ktuberling/sounds/${rel}`, join(ktuberling, rel), {
      decoder: rel.endsWith('.opus') ? 'ffmpeg' : 'sox', out: `speech/ktuberling/${wavName(rel)}`, role: 'speech', group: `ktuberling-${lang}`, lang, split: 'babble', sourceRateRangeHz: BABBLE_RATE_RANGE_HZ,
    }));
  }

  // Music on hold: sorted by name, the first 3 train, the other 2 validation.
  const moh = join(await ctx.root('asterisk-moh-opsound-g722'), 'usr/share/asterisk/moh');
  filesUnder(moh)
    .filter((f) => f.endsWith('.g722'))
    .forEach((rel, i) => {
      items.push(item('asterisk-moh-opsound-g722', `usr/share/asterisk/moh/${rel}`, join(moh, rel), {
        decoder: 'g722', out: `noise/moh/${wavName(rel)}`, role: 'noise', group: 'moh', lang: '', split: i < 3 ? 'train' : 'validation',
      }));
    });

  const sfxDir = join(ctx.unpackDir, 'opensfx');
  for (const rel of filesUnder(sfxDir)) {
    const title = readOpensfxTitle(rel);
    const key = `opensfx.cat#${rel}`;
    const clatter = OPENSFX_CLATTER_TITLES.has(title);
    items.push(item('openttd-opensfx', key, join(sfxDir, rel), {
      decoder: 'sox', out: clatter ? `noise/clatter/opensfx_${rel}` : `noise/opensfx/${rel}`, role: 'noise', group: clatter ? 'clatter' : 'opensfx', lang: '',
      split: clatter ? 'test' : effectSplit(`openttd-opensfx:${key}`),
    }));
  }

  const ocDir = join(ctx.unpackDir, 'openclonk');
  const ocRels = [
    ...OPENCLONK_SOUND_GROUPS.flatMap((g) => filesUnder(join(ocDir, 'Sound.ocg', g)).map((r) => `Sound.ocg/${g}/${r}`)),
    ...filesUnder(join(ocDir, OPENCLONK_SAWMILL)).map((r) => `${OPENCLONK_SAWMILL}/${r}`),
  ].filter((r) => AUDIO_EXT.test(r));
  for (const rel of ocRels) {
    const key = `usr/share/games/openclonk/${rel}`;
    items.push(item('openclonk-data', key, join(ocDir, rel), {
      decoder: 'sox', out: `noise/openclonk/${wavName(rel.replace(/\.oc[gd]\//g, '/'))}`, role: 'noise', group: 'openclonk', lang: '', split: effectSplit(`openclonk-data:${key}`),
    }));
  }

  const scorched = join(await ctx.root('scorched3d-data'), 'usr/share/games/scorched3d/data/globalmods');
  for (const rel of filesUnder(scorched)) {
    const m = /^([^/]+)\/data\/wav\/misc\/([^/]+\.wav)$/.exec(rel);
    if (!m || SCORCHED3D_SKIP.test(m[2])) continue;
    const key = `usr/share/games/scorched3d/data/globalmods/${rel}`;
    items.push(item('scorched3d-data', key, join(scorched, rel), {
      decoder: 'sox', out: `noise/scorched3d/${m[1]}/${m[2]}`, role: 'noise', group: 'scorched3d', lang: '', split: effectSplit(`scorched3d-data:${key}`),
    }));
  }

  for (const c of CROWD_FILES) {
    const input = join(await ctx.root(c.pkg), c.path);
    if (!existsSync(input)) throw new Error(`${c.pkg} has no ${c.path}`);
    items.push(item(c.pkg, c.path, input, {
      decoder: 'sox', out: `noise/crowd/${c.pkg}_${wavName(c.path.split('/').pop()!)}`, role: 'noise', group: 'crowd', lang: '', split: 'test',
    }));
  }
  return items;
}

/** Title of an unpacked opensfx file name ('20_cash_till.wav' → 'Cash till'). */
function readOpensfxTitle(rel: string): string {
  const slug = rel.replace(/^\d+_/, '').replace(/\.wav$/, '');
  for (const t of OPENSFX_CLATTER_TITLES) if (titleSlug(t) === slug) return t;
  return slug;
}

/** The recipe of shared/corpus/SOURCES.md + SOURCES-v2.md. */
export const OPEN_CORPUS_RECIPE: CorpusRecipe = {
  version: 'open-corpus-2',
  packages: CORPUS_PACKAGES,
  unpack,
  select,
  babble: {
    clips: 30,
    seconds: 10,
    talkers: 8,
    pauseMs: [50, 250],
    package: 'klettres-data+ktuberling-data',
    licence: 'GPL-2+',
  },
};
