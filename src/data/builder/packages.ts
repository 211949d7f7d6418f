/**
 * The pinned Debian 12 (bookworm, main) packages the open corpus is built from
 * (shared/corpus/SOURCES.md). Name + exact version identify the bytes of a .deb in the Debian
 * archive; the SHA-256 below were measured on the packages apt verified against bookworm's
 * signed Release files (`apt-get download NAME=VERSION && sha256sum *.deb`). Architecture-dependent packages (openclonk: the c4group binary; tuxfootball) carry
 * the amd64 checksum; on other architectures the checksum is recorded in DIR/debs/SHA256SUMS but
 * cannot be compared with a pinned value.
 *
 * `licence` is the licence of the audio we use, as SOURCES.md states it; the package's
 * /usr/share/doc/PKG/copyright (copied into DIR/licences/) is authoritative.
 */

/** One pinned package. */
export interface PinnedPackage {
  name: string;
  /** Exact Debian version (with epoch, e.g. '4:22.12.3-1'). */
  version: string;
  /** Licence of the audio we take from it. */
  licence: string;
  /** Main copyright holder(s) of that audio, from the package's copyright file. */
  copyright: string;
  /** What the corpus takes from it. */
  use: string;
  /** Expected SHA-256 of the .deb by Debian architecture ('all' for arch-independent packages). */
  sha256: Partial<Record<string, string>>;
  /** Corpus version that added the package (1: SOURCES.md, 2: SOURCES-v2.md). Byte-identical clips keep the copy of the oldest version. */
  since?: 1 | 2;
  /**
   * Only these members of the .deb's data tarball are extracted (GNU tar `--wildcards` patterns,
   * './usr/…'); the package's copyright file is always added. Absent: the whole package. Big game
   * data packages (0ad-data 1.4 GB, redeclipse-data 0.9 GB) hold far more than the audio we take.
   */
  members?: readonly string[];
}

/** Every package of the corpus: SOURCES.md order (speech, then noise, then the c4group tool), then SOURCES-v2.md's. */
export const CORPUS_PACKAGES: readonly PinnedPackage[] = [
  {
    name: 'asterisk-core-sounds-en-g722',
    version: '1.6.1-1',
    licence: 'CC-BY-SA-3.0',
    copyright: '2003-2010 Allison Smith',
    use: 'speech: Allison Smith, en-US (train)',
    sha256: { all: '38c5261820b406dcb0ecb37675720da2b0864850690690352ca52707eb623806' },
  },
  {
    name: 'asterisk-core-sounds-es-g722',
    version: '1.6.1-1',
    licence: 'CC-BY-SA-3.0',
    copyright: '2003-2010 Allison Smith',
    use: 'speech: Allison Smith, es-MX (train)',
    sha256: { all: 'e4e3b4281057d3b81b779298fd6be705f57411513955c518eed1bcaabbd615b8' },
  },
  {
    name: 'asterisk-core-sounds-fr-g722',
    version: '1.6.1-1',
    licence: 'CC-BY-SA-3.0',
    copyright: '2006-2008 June Wallack',
    use: 'speech: June Wallack, fr-CA (test)',
    sha256: { all: '7add61d5e42279ecff1bbdf842a5a946ac3644fac9a0fe44384731aa7270c8e0' },
  },
  {
    name: 'asterisk-core-sounds-it-g722',
    version: '1.6.1-1',
    licence: 'CC-BY-3.0',
    copyright: 'Carlo Flora (asterisk-core-sounds contributors)',
    use: 'speech: Carlo Flora, it (train)',
    sha256: { all: '46b4cf7afc508a5fcfc051b7ea233251c0d195dd4ef83cc4b7facb4c6429b016' },
  },
  {
    name: 'asterisk-core-sounds-ru-g722',
    version: '1.6.1-1',
    licence: 'CC-BY-3.0',
    copyright: '2010 Maxim Topal (ivrvoice.ru)',
    use: 'speech: IVR voice, ru (validation)',
    sha256: { all: '673b4238a6b8269960f055d868c6a11083f7a0d00979167cb01554046b48ed9b' },
  },
  {
    name: 'fillets-ng-data-cs',
    version: '1.0.1-1.1',
    licence: 'GPL-2',
    copyright: 'Fish Fillets NG authors (ALTAR interactive; Czech voice actors)',
    use: 'speech: Czech game dialogue (train)',
    sha256: { all: '3ecef99b9456f1c80c9625c6f2418642b52d58e7167a46bad7a412db17991b14' },
  },
  {
    name: 'tuxpaint-stamps-default',
    version: '2022.06.04-1',
    licence: 'GPL-2',
    copyright: '2002-2022 Bill Kendrick and the Tux Paint contributors',
    use: 'speech: read stamp descriptions be/bg/ca/ro (train), ru/da (validation), fr/el (test); noise: sound effects',
    sha256: { all: '6db6c1bfc870a47f1499d6203b083522eacb57c5f9c87d468f2e92eb6d9d5f34' },
  },
  {
    name: 'klettres-data',
    version: '4:22.12.3-1',
    licence: 'GPL-2+',
    copyright: '2001-2011 Anne-Marie Mahfouf and KDE contributors',
    use: 'babble material: spoken letters and syllables',
    sha256: { all: '1186d257a19e84230856baea0b0b1ded8be9195080fcdb2588970b5cd937f5a8' },
  },
  {
    name: 'ktuberling-data',
    version: '4:22.12.3-1',
    licence: 'GPL-2+',
    copyright: '2007-2017 Albert Astals Cid and KDE contributors',
    use: 'babble material: spoken words',
    sha256: { all: 'fba44c875bfa31ea488dadd9263e87a4dcaea0bd47d28817f6c0dc6d2af970ed' },
  },
  {
    name: 'asterisk-moh-opsound-g722',
    version: '2.03-1.1',
    licence: 'CC-BY-SA-3.0',
    copyright: 'Paul Shuler (Macroform), Manolo Camp, Reno Project',
    use: 'noise: 5 music-on-hold tracks (3 train, 2 validation)',
    sha256: { all: '8d6b39d6f2e8feff54a042c4a25e1b72f3e2478d05ee372c92f77446fa0b1671' },
  },
  {
    name: 'openttd-opensfx',
    version: '1.0.3-2',
    licence: 'CC-BY-SA-3.0',
    copyright: 'OpenSFX authors (Janis Lukss, Wuzzy, Richard Wheeler and the credited freesound.org recordists)',
    use: 'noise: field recordings (opensfx.cat)',
    sha256: { all: '2898b4677a3caccc4abc08fb4cf83319047b5a04729291deb5c77a8cd713c006' },
  },
  {
    name: 'openclonk-data',
    version: '8.1-3',
    licence: 'CC-BY-3.0 / CC0',
    copyright: '2009-2016 The OpenClonk Team and contributors',
    use: 'noise: environment, liquids, fire, structures, sawmill (.ocg groups)',
    sha256: { all: '1505314b47196c5052caf75e870ea2cf36bdb4e1d0c7e3f133da93815b7e642f' },
  },
  {
    name: 'scorched3d-data',
    version: '44+dfsg-8',
    licence: 'GPL-2+ / CC-BY-SA-3.0',
    copyright: '2001-2014 Gavin Camp and Scorched3D contributors',
    use: 'noise: birds, ocean, rain, thunder, city, factory, aircraft, sirens',
    sha256: { all: 'b0be0a6d561966a62b1f135e0e6f5681c85f12e34ecad5777cb1af9fbcb7f1da' },
  },
  {
    name: 'etw-data',
    version: '3.6+svn162-6',
    licence: 'GPL-2+',
    copyright: '1997-2011 Gabriele Greco',
    use: 'noise: stadium crowd (test only)',
    sha256: { all: 'd1c79c32f6223332c01eb23ba78531e8d9d663c1f057cd21d8aac708b8de218a' },
  },
  {
    name: 'tuxfootball',
    version: '0.3.1-7',
    licence: 'GPL-2+',
    copyright: '2003, 2007 Jason Wood',
    use: 'noise: crowd boo/cheer (test only)',
    sha256: { amd64: 'bf633b85135bc39d56282cb6be25787fbdeebf22062351508dfdafc5e3c1a083' },
  },
  {
    name: 'lmms-common',
    version: '1.2.2+dfsg1-6',
    licence: 'GPL-2+',
    copyright: 'LMMS developers',
    use: 'noise: applause, raving crowd (test only)',
    sha256: { all: '7d9aa55dd05f11edc57104203ee1c350e3e41f8936ab3741da2bb1158fd46c37' },
  },
  {
    name: 'openclonk',
    version: '8.1-3',
    licence: 'ISC',
    copyright: 'The OpenClonk Team',
    use: 'tool: the c4group binary that unpacks openclonk-data .ocg/.ocd groups (never installed)',
    sha256: { amd64: '80b2ba2a30792a7949ce802e7454d05ca76ff3a07d0b122a28047a775d6e5dfd' },
  },
  // ---- SOURCES-v2.md (corpus v2) ----
  {
    name: 'festvox-ru',
    version: '0.5+dfsg-6',
    licence: 'BSD-like',
    copyright: '2005 Nickolay V. Shmyrev (msu_ru_nsh_clunits recordings)',
    use: 'speech: one male Russian reader, 620 read sentences (train)',
    sha256: { all: '21ef3f0f2978ecf2e2eddb367cb0ff4a72572196d28dc69feb84f4177af5e6c4' },
    since: 2,
    members: ['./usr/share/festival/voices/russian/msu_ru_nsh_clunits/wav/*'],
  },
  {
    name: 'nexuiz-data',
    version: '2.5.2-12',
    licence: 'GPL-2+',
    copyright: 'Nexuiz authors (Alientrap and contributors)',
    use: 'speech: tutorial narrator + male announcer, 8 player voice sets (data.pk3 members)',
    sha256: { all: '5d4a4e293d9382be3b8edf6ec2d9f39d2a16f49467618b2316fbfa400acecf0e' },
    since: 2,
    members: ['./usr/share/games/nexuiz/data/data*.pk3'],
  },
  {
    name: 'megaglest-data',
    version: '3.13.0-3',
    licence: 'CC-BY-SA-3.0',
    copyright: '2001-2008 The Glest Team; MegaGlest team',
    use: 'speech: unit voices (select/ack phrases); noise: tileset ambiences, water',
    sha256: { all: 'ed4783d9fc78e201a548b266f7c30325eb16cfd58a20bf4597dd6e622f84a07e' },
    since: 2,
    members: ['./usr/share/games/megaglest/techs/megapack/factions/*/units/*/sounds/*', './usr/share/games/megaglest/techs/megapack/commondata/sounds/*', './usr/share/games/megaglest/tilesets/*/sounds/*', './usr/share/games/megaglest/data/core/water_sounds/*'],
  },
  {
    name: 'gcin-voice',
    version: '0~20170223-3',
    licence: 'CC-BY-3.0 / GPL-3',
    copyright: 'ChionMeilin recording group (vocal source: Chu Lo)',
    use: 'speech: Mandarin syllables, the */5.ogg voice only (train)',
    sha256: { all: '6a0353f0294d06f7bd901bada3d5d9eec63b66c2ec029f92da3124d93d45de70' },
    since: 2,
    members: ['./usr/share/gcin-voice/ogg/*/5.ogg'],
  },
  {
    name: '0ad-data',
    version: '0.0.26-1',
    licence: 'CC-BY-SA-3.0',
    copyright: '2010 Wildfire Games',
    use: 'speech: civ voices (validation); noise: ambient rain, wind, water, birds, market, harbour, farm (public.zip members)',
    sha256: { all: '53745ae74d05bccf6783400fa98f3932b21729ab9d2e86151aa2c331c3455178' },
    since: 2,
    members: ['./usr/share/games/0ad/mods/public/public.zip'],
  },
  {
    name: 'trigger-rally-data',
    version: '0.6.6.1-3',
    licence: 'GPL-2+ / CC',
    copyright: '2004-2006 Jasmine Langridge and Richard Langridge; 2015-2019 Andrei Bondor',
    use: 'speech: 3 co-drivers (data.zip members)',
    sha256: { all: '44ac51e6717e1aac7e93b76661cce19cf8bdba154dd1df2e93b7f593b2c37cb9' },
    since: 2,
    members: ['./usr/share/games/trigger-rally/data.zip'],
  },
  {
    name: 'ufoai-sound',
    version: '2.5-2',
    licence: 'GPL-2+ / CC-BY / CC-BY-SA / PD',
    copyright: '2002-2014 The UFO:AI Team (per-file credits in the copyright file)',
    use: 'noise: ambiences (radio chatter, city, pumps, hums, machinery, thunder, fire, water), breaking glass/wood/metal, doors (0snd.pk3 members)',
    sha256: { all: '0224308c10e1265581d1829f19eaef031175390fd0eafeb4a1d558ac6561ed4e' },
    since: 2,
  },
  {
    name: 'redeclipse-data',
    version: '1.6.0-1',
    licence: 'CC-BY-SA-3.0 / CC-BY-3.0',
    copyright: '2009-2017 Red Eclipse Team',
    use: 'noise: ambiences (wind, forest, river, waterfalls, distant traffic, crickets, hum, machines)',
    sha256: { all: 'ada26453d3100bd61154ce20a699352f0b48bb29f8505f477ebdcb612f71ab42' },
    since: 2,
    members: ['./usr/share/games/redeclipse/data/sounds/ambience/*'],
  },
  {
    name: 'widelands-data',
    version: '2:1.1-3',
    licence: 'GPL-2+',
    copyright: '2002-2019 the Widelands Development Team',
    use: 'noise: workshops, mill, farm, animals, taverns',
    sha256: { all: '0e23d645b15bcfb9e3bcae0de9bc1bdfa75a6ecb36b2e449759d6eb0b4bbd8fb' },
    since: 2,
    members: ['./usr/share/games/widelands/data/sound/*', './usr/share/games/widelands/data/world/critters/duck/*'],
  },
  {
    name: 'supertuxkart-data',
    version: '1.4+dfsg-2',
    licence: 'CC-BY-SA / CC-BY / CC0 (per file)',
    copyright: '2006-2022 SuperTuxKart-Team and the credited recordists',
    use: 'noise: restaurant, airport announcement, radio static, rain, river, birds, engines (tracks/cave/beneath_the_rabbit_hole.ogg excluded)',
    sha256: { all: '568d69cda50dc8ad1facb89514bd14953dfca736fdb83c49ae330b0aa7dd2364' },
    since: 2,
    members: ['./usr/share/games/supertuxkart/data/sfx/*', './usr/share/games/supertuxkart/data/tracks/*.ogg', './usr/share/games/supertuxkart/data/library/*.ogg', './usr/share/games/supertuxkart/data/karts/*.ogg'],
  },
  {
    name: 'unknown-horizons',
    version: '2019.1-6',
    licence: 'CC-BY-SA-3.0',
    copyright: '2005-2019 Unknown Horizons Team',
    use: 'noise: chapel, tavern crowd, market square, windmill, workshops',
    sha256: { all: 'ff49ea196d0f57c80d4cd4509c030240cbe632881f8c5b2a1265dd3e3795f100' },
    since: 2,
    members: ['./usr/share/unknown-horizons/content/audio/sounds/*'],
  },
  {
    name: 'lomiri-sounds',
    version: '22.02-1',
    licence: 'CC0-1.0 / CC-BY-SA',
    copyright: '2021 UBports Foundation; 2018 Amber Forest',
    use: 'noise: ringtones and notification sounds',
    sha256: { all: 'd4a8fd0247e43e784ad75c11312d1f0e08a0ced6a4cfaadde3dcf118ab4e9abf' },
    since: 2,
  },
  {
    name: 'sonic-pi-samples',
    version: '3.2.2~repack-8',
    licence: 'CC0-1.0 (mostly) / MIT',
    copyright: '2016 Samuel Aaron and the credited freesound.org recordists',
    use: 'noise: drones, hums, vinyl hiss, 3D printer, industrial and music loops',
    sha256: { all: '25f2312d2fae005e6ad0f4726b8ed3084e776006a5a132083506e960224ac79d' },
    since: 2,
  },
  {
    name: 'torcs-data',
    version: '1.3.7+dfsg-5',
    licence: 'GPL-2+',
    copyright: '2000 Eric Espié and the TORCS contributors',
    use: 'noise: car engines, skids, crashes',
    sha256: { all: '33a170ec9db8bdf7e33cb07b96b9854d5ef9e47b1f82705e4c24d6caaf13fb99' },
    since: 2,
    members: ['./usr/share/games/torcs/data/sound/*'],
  },
  {
    name: 'bucklespring-data',
    version: '1.4.0-2',
    licence: 'GPL-2+',
    copyright: '2016 Ico Doornekamp',
    use: 'noise: 171 single keystrokes of an IBM Model M (press/release), material for synthetic typing',
    sha256: { all: '2add9f5583b3afc9c0b528066f4578baff930b74d4a94c8a25d103ef79a444e5' },
    since: 2,
  },
];
/** A package of CORPUS_PACKAGES by name (throws on unknown names: a programming error). */
export function corpusPackage(name: string): PinnedPackage {
  const p = CORPUS_PACKAGES.find((q) => q.name === name);
  if (!p) throw new Error(`no pinned package named ${name}`);
  return p;
}
