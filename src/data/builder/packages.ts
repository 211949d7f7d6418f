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
}

/** Every package of the corpus, in SOURCES.md order (speech, then noise, then the c4group tool). */
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
];

/** A package of CORPUS_PACKAGES by name (throws on unknown names: a programming error). */
export function corpusPackage(name: string): PinnedPackage {
  const p = CORPUS_PACKAGES.find((q) => q.name === name);
  if (!p) throw new Error(`no pinned package named ${name}`);
  return p;
}
