/**
 * The corpus v2 recipe pieces on tiny inputs (no network, no real packages): the category table
 * (exclusion, coverage), the split of noise by recording, member extraction from a .deb and from
 * a zip inside it, de-duplication that keeps the older corpus version's copy, keystrokes kept
 * below 0.1 s, the category column in the manifest, and `corpus stats`.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOISE_CATEGORIES, NOISE_CATEGORY_RULES, noiseCategoryOf } from '../../src/data/builder/categories.js';
import { noiseSplitV2, recordingKey, NOISE_V2_FRACTIONS } from '../../src/data/builder/openCorpusV2.js';
import { debExtract, debsEnsure, DEBS_VERIFIED_FILE } from '../../src/data/builder/debs.js';
import { zipExtract } from '../../src/data/builder/zip.js';
import { corpusBuild } from '../../src/data/builder/build.js';
import { progressSink } from '../../src/data/builder/progress.js';
import { filesUnder, type CorpusRecipe, type SourceItem } from '../../src/data/builder/recipe.js';
import { CORPUS_PACKAGES, type PinnedPackage } from '../../src/data/builder/packages.js';
import { openCorpus } from '../../src/data/corpus.js';
import { corpusStats } from '../../src/data/stats.js';
import { manifestFormat, type ManifestRow } from '../../src/data/manifest.js';
import { mixtureAt } from '../../src/data/mixer.js';
import { environmentTestsetWrite, testsetRead, testsetWrite } from '../../src/data/testset.js';
import { encodeWav } from '../../src/data/wav.js';
import { UserError } from '../../src/errors.js';
import { main } from '../../tools/cli.js';
import { capture } from '../helpers/cli.js';

describe('noise categories', () => {
  it('apply the SOURCES-v2.md exclusion and name what each file is', () => {
    expect(noiseCategoryOf('supertuxkart-data', 'usr/share/games/supertuxkart/data/tracks/cave/beneath_the_rabbit_hole.ogg')).toBeNull();
    expect(noiseCategoryOf('supertuxkart-data', 'usr/share/games/supertuxkart/data/sfx/lenautile_restaurant.ogg')).toBe('crowd');
    expect(noiseCategoryOf('ufoai-sound', 'usr/share/games/ufoai/base/0snd.pk3#sound/ambience/radiomessage.ogg')).toBe('radio');
    expect(noiseCategoryOf('ufoai-sound', 'usr/share/games/ufoai/base/0snd.pk3#sound/ambience/fire03.ogg')).toBe('fire');
    expect(noiseCategoryOf('0ad-data', 'usr/share/games/0ad/mods/public/public.zip#audio/ambient/building/amb_trade_11.ogg')).toBe('crowd');
    expect(noiseCategoryOf('0ad-data', 'usr/share/games/0ad/mods/public/public.zip#audio/ambient/weather/rain_11.ogg')).toBe('weather');
    expect(noiseCategoryOf('bucklespring-data', 'usr/share/buckle/wav/1e-0.wav')).toBe('typing');
    expect(noiseCategoryOf('tuxpaint-stamps-default', 'usr/share/tuxpaint/stamps/household/vacuum_cleaner.ogg')).toBe('domestic');
    expect(noiseCategoryOf('openttd-opensfx', 'opensfx.cat#20_cash_till.wav')).toBe('impulsive');
    expect(noiseCategoryOf('openttd-opensfx', 'opensfx.cat#24_helicopter.wav')).toBe('traffic');
    expect(noiseCategoryOf('widelands-data', 'usr/share/games/widelands/data/sound/military/under_attack.ogg')).toBeNull();
  });

  it('refuse a file of a v2 folder that no rule describes, and give every v1 package a catch-all', () => {
    expect(() => noiseCategoryOf('ufoai-sound', 'usr/share/games/ufoai/base/0snd.pk3#sound/ambience/brand_new.ogg')).toThrow(/no noise category rule matches ufoai-sound:/);
    for (const rule of NOISE_CATEGORY_RULES) expect(rule.category === null || NOISE_CATEGORIES.includes(rule.category)).toBe(true);
    for (const p of CORPUS_PACKAGES.filter((q) => (q.since ?? 1) === 1 && /moh|opensfx|openclonk-data|scorched3d|tuxpaint|etw|tuxfootball|lmms/.test(q.name))) {
      expect(noiseCategoryOf(p.name, 'some/unforeseen/file.wav'), p.name).not.toBeNull();
    }
  });
});

describe('noise split by recording', () => {
  it('keeps the takes of one recording together and splits recordings near the stated fractions', () => {
    expect(recordingKey('p', 'a/rain_11.ogg')).toBe(recordingKey('p', 'a/rain_12.ogg'));
    expect(recordingKey('p', 'a/fire03.ogg')).toBe(recordingKey('p', 'a/fire04.ogg'));
    expect(recordingKey('p', 'a/rain.ogg')).not.toBe(recordingKey('p', 'b/rain.ogg'));
    expect(noiseSplitV2('p', 'a/rain_11.ogg', 'weather')).toBe(noiseSplitV2('p', 'a/rain_12.ogg', 'weather'));
    const n = 4000;
    const count = { train: 0, validation: 0, test: 0, babble: 0 };
    for (let i = 0; i < n; i++) count[noiseSplitV2('p', `dir${i}/x.ogg`, 'weather')]++;
    expect(count.train / n).toBeCloseTo(NOISE_V2_FRACTIONS[0], 1);
    expect(count.validation / n).toBeCloseTo(NOISE_V2_FRACTIONS[1], 1);
    expect(count.test / n).toBeGreaterThan(0.1);
    // Speech-like noise never goes to test (the test crowd is v1's test-only crowd and babble).
    for (let i = 0; i < 500; i++) expect(noiseSplitV2('p', `dir${i}/x.ogg`, 'crowd')).not.toBe('test');
  });
});

/** A tone WAV (deterministic; distinct per f0). */
function tone(seconds: number, f0: number, rate = 16000): Uint8Array {
  const n = Math.round(seconds * rate);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = 0.3 * Math.sin((2 * Math.PI * f0 * i) / rate) * Math.sin((Math.PI * i) / n);
  return encodeWav({ sampleRate: rate, channels: [x] });
}

/** Builds a .deb of `name` with `files` (paths under the package root) and a copyright file. */
function debMake(dir: string, name: string, files: Record<string, Uint8Array | string>): string {
  const root = join(dir, `${name}-root`);
  for (const [rel, data] of Object.entries({ ...files, [`usr/share/doc/${name}/copyright`]: `Format: test\nLicense: CC0-1.0\n` })) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), data);
  }
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(join(root, 'DEBIAN/control'), `Package: ${name}\nVersion: 1.0-1\nArchitecture: all\nMaintainer: test <t@example.org>\nDescription: test\n`);
  const deb = join(dir, `${name}_1.0-1_all.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '-b', root, deb], { stdio: 'ignore' });
  return deb;
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'hushpack-v2-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('member extraction', () => {
  it('takes only the listed members of a .deb (and its copyright), and fails on a pattern that matches nothing', async () => {
    const deb = debMake(tmp, 'fake-big', { 'usr/share/big/sounds/a.wav': tone(0.2, 300), 'usr/share/big/maps/huge.bin': 'x'.repeat(1000) });
    const pkg: PinnedPackage = { name: 'fake-big', version: '1.0-1', licence: 'CC0-1.0', copyright: 't', use: 't', sha256: {}, members: ['./usr/share/big/sounds/*'] };
    const root = join(tmp, 'root-big');
    await debExtract(deb, pkg, root, join(tmp, 'lic', 'fake-big.copyright'));
    expect(filesUnder(root)).toEqual(['usr/share/big/sounds/a.wav', 'usr/share/doc/fake-big/copyright']);
    expect(existsSync(join(tmp, 'lic', 'fake-big.copyright'))).toBe(true);
    const gone = { ...pkg, members: ['./usr/share/big/nothing/*'] };
    await expect(debExtract(deb, gone, join(tmp, 'root-gone'), join(tmp, 'lic', 'x'))).rejects.toThrow(UserError);
    expect(existsSync(join(tmp, 'root-gone'))).toBe(false);
  });

  it('takes only the matching members of a zip, and says when none match', async () => {
    const src = join(tmp, 'zipsrc');
    mkdirSync(join(src, 'audio/ambient'), { recursive: true });
    mkdirSync(join(src, 'art'), { recursive: true });
    writeFileSync(join(src, 'audio/ambient/rain_11.ogg'), 'r');
    writeFileSync(join(src, 'art/texture.png'), 't');
    execFileSync('zip', ['-q', '-r', join(tmp, 'public.zip'), 'audio', 'art'], { cwd: src });
    await zipExtract(join(tmp, 'public.zip'), ['audio/ambient/*'], join(tmp, 'unzipped'));
    expect(filesUnder(join(tmp, 'unzipped'))).toEqual(['audio/ambient/rain_11.ogg']);
    await expect(zipExtract(join(tmp, 'public.zip'), ['audio/voice/*'], join(tmp, 'none'))).rejects.toThrow(/no member matches/);
  });
});

describe('deb verification cache', () => {
  it('skips hashing an unchanged .deb, and re-checks one whose size or mtime changed', async () => {
    const src = debMake(join(tmp, 'vsrc'), 'fake-verify', { 'usr/share/v/a.wav': tone(0.2, 100) });
    const pkg: PinnedPackage = { name: 'fake-verify', version: '1.0-1', licence: 'CC0-1.0', copyright: 't', use: 't', sha256: {} };
    const dir = join(tmp, 'vdebs');
    const fetch = async () => copyFileSync(src, join(dir, 'fake-verify_1.0-1_all.deb'));
    const opts = { fetch, log: () => undefined };
    const first = await debsEnsure([pkg], dir, opts);
    const cache = JSON.parse(readFileSync(join(dir, DEBS_VERIFIED_FILE), 'utf8')) as Record<string, { sha256: string }>;
    expect(cache['fake-verify_1.0-1_all.deb'].sha256).toBe(first[0].sha256);
    expect(await debsEnsure([pkg], dir, opts)).toEqual(first);
    // Same name, other bytes (a longer file): hashed again, and the SHA256SUMS of the first run catches it.
    writeFileSync(join(dir, 'fake-verify_1.0-1_all.deb'), Buffer.concat([readFileSync(src), Buffer.from('x')]));
    await expect(debsEnsure([pkg], dir, opts)).rejects.toThrow(/differs from .* recorded in .*SHA256SUMS/);
  });
});

describe('a v1 + v2 build', () => {
  const v1: PinnedPackage = { name: 'fake-v1', version: '1.0-1', licence: 'CC0-1.0', copyright: 't', use: 't', sha256: {} };
  const v2: PinnedPackage = { name: 'fake-v2', version: '1.0-1', licence: 'CC0-1.0', copyright: 't', use: 't', sha256: {}, since: 2 };
  let out: string;

  beforeAll(async () => {
    const debs = join(tmp, 'debs-src');
    mkdirSync(debs, { recursive: true });
    const same = tone(0.5, 440);
    const paths = {
      v1: debMake(debs, 'fake-v1', { 'usr/share/v1/zz-copy.wav': same, 'usr/share/v1/talk.wav': tone(1.0, 200), 'usr/share/v1/hum.wav': tone(1.0, 50) }),
      v2: debMake(debs, 'fake-v2', { 'usr/share/v2/aa-copy.wav': same, 'usr/share/v2/key.wav': tone(0.03, 2000), 'usr/share/v2/click.wav': tone(0.03, 2500) }),
    };
    const item = (pkg: PinnedPackage, root: string, rel: string, fields: Partial<SourceItem>): SourceItem => ({
      key: `${pkg.name}:${rel}`, input: join(root, rel), decoder: 'sox', out: '', role: 'noise', group: 'g', lang: '', package: pkg.name, licence: pkg.licence, split: 'train', ...fields,
    });
    const recipe: CorpusRecipe = {
      version: 'fake-v1v2',
      packages: [v1, v2],
      unpack: async () => undefined,
      select: async (ctx) => {
        const r1 = await ctx.root('fake-v1');
        const r2 = await ctx.root('fake-v2');
        return [
          item(v1, r1, 'usr/share/v1/talk.wav', { out: 'speech/talk.wav', role: 'speech', group: 'spk', lang: 'en' }),
          item(v1, r1, 'usr/share/v1/hum.wav', { out: 'noise/v1/hum.wav', category: 'hum' }),
          item(v1, r1, 'usr/share/v1/zz-copy.wav', { out: 'noise/v1/zz-copy.wav', category: 'machinery' }),
          // Byte-identical to the v1 clip and first by path: still dropped, the v1 copy stays.
          item(v2, r2, 'usr/share/v2/aa-copy.wav', { out: 'noise/v2/aa-copy.wav', category: 'weather', split: 'test' }),
          // 30 ms keystroke: kept with its lower minimum; the same length without it is dropped.
          item(v2, r2, 'usr/share/v2/key.wav', { out: 'noise/keys/key.wav', category: 'typing', group: 'bucklespring-keys', minSeconds: 0.01 }),
          item(v2, r2, 'usr/share/v2/click.wav', { out: 'noise/v2/click.wav', category: 'impulsive' }),
        ];
      },
      babble: { clips: 0, seconds: 1, talkers: 1, pauseMs: [50, 50], package: 'x', licence: 'x' },
    };
    out = join(tmp, 'corpus');
    await corpusBuild({
      outDir: out, recipe, testset: false, jobs: 1,
      fetch: async (p, dir) => copyFileSync(p.name === 'fake-v1' ? paths.v1 : paths.v2, join(dir, `${p.name}_1.0-1_all.deb`)),
      progress: progressSink(false),
    });
  }, 60_000);

  it('keeps the older version of a duplicate, short keystrokes and the categories', () => {
    const rows = openCorpus(out).clips;
    expect(rows.map((r) => [r.path, r.category])).toEqual([
      ['noise/keys/key.wav', 'typing'],
      ['noise/v1/hum.wav', 'hum'],
      ['noise/v1/zz-copy.wav', 'machinery'],
      ['speech/talk.wav', ''],
    ]);
    expect(readFileSync(join(out, 'manifest.csv'), 'utf8').split('\n')[0]).toMatch(/,split,category$/);
  });

  it('reports minutes, speakers and noise categories per split', () => {
    const s = corpusStats(openCorpus(out));
    expect(s.splits.train.speakers).toBe(1);
    expect(s.splits.train.speechMinutes).toBeCloseTo(1 / 60, 2);
    expect(s.splits.train.languages).toEqual({ en: 0.02 });
    expect(Object.keys(s.splits.train.noiseCategoryMinutes)).toEqual(['hum', 'machinery', 'typing']);
    expect(s.splits.train.nonMusicCategories).toBe(3);
    expect(s.splits.test.noiseMinutes).toBe(0);
    expect(s.pseudoSpeakers).toMatch(/training time/);
  });
});

/** A deterministic noise-like WAV at 16 kHz (LCG). */
function noise16(seconds: number, seed: number): Uint8Array {
  const n = Math.round(seconds * 16000);
  const x = new Float32Array(n);
  let st = seed;
  for (let i = 0; i < n; i++) {
    st = (Math.imul(st, 1664525) + 1013904223) >>> 0;
    x[i] = (st / 4294967296 - 0.5) * 0.2;
  }
  return encodeWav({ sampleRate: 16000, channels: [x] }, 'pcm16');
}

describe('noise categories in the mixer and the environmental test set', () => {
  // A tiny corpus: train/test speakers; train noise of two categories in two groups (plus
  // keystrokes); test noise of two categories, crowd/babble/clatter for the paper set.
  const rows: ManifestRow[] = [];
  let v2: string;
  let v1: string;
  beforeAll(() => {
    v2 = join(tmp, 'cat-v2');
    v1 = join(tmp, 'cat-v1');
    const add = (path: string, wav: Uint8Array, row: Omit<ManifestRow, 'path' | 'seconds' | 'package' | 'licence' | 'sourceRateHz'>) => {
      for (const d of [v1, v2]) {
        mkdirSync(join(d, path, '..'), { recursive: true });
        writeFileSync(join(d, path), wav);
      }
      rows.push({ path, package: 'p', licence: 'CC0-1.0', sourceRateHz: 16000, seconds: (wav.length - 44) / 32000, ...row });
    };
    const speech = { role: 'speech' as const, category: '' };
    add('speech/a/1.wav', tone(1.2, 200), { ...speech, group: 'a', lang: 'en', split: 'train' });
    add('speech/b/1.wav', tone(1.1, 150), { ...speech, group: 'b', lang: 'en', split: 'train' });
    add('speech/t/1.wav', tone(1.3, 220), { ...speech, group: 't', lang: 'fr', split: 'test' });
    add('speech/t/2.wav', tone(0.9, 260), { ...speech, group: 't', lang: 'fr', split: 'test' });
    const noise = (group: string, split: 'train' | 'test', category: string) => ({ role: 'noise' as const, group, lang: '', split, category });
    add('noise/g1/rain.wav', noise16(1, 1), noise('g1', 'train', 'weather'));
    add('noise/g1/saw.wav', noise16(1, 2), noise('g1', 'train', 'machinery'));
    add('noise/g2/bird.wav', noise16(1, 3), noise('g2', 'train', 'nature'));
    add('noise/bucklespring-keys/k.wav', noise16(0.05, 4), noise('bucklespring-keys', 'train', 'typing'));
    add('noise/g3/river.wav', noise16(1, 5), noise('g3', 'test', 'weather'));
    add('noise/g3/pump.wav', noise16(1, 6), noise('g3', 'test', 'machinery'));
    add('noise/babble/b.wav', noise16(1, 7), noise('babble', 'test', 'crowd'));
    add('noise/crowd/c.wav', noise16(1, 8), noise('crowd', 'test', 'crowd'));
    add('noise/clatter/k.wav', noise16(0.2, 9), noise('clatter', 'test', 'impulsive'));
    writeFileSync(join(v2, 'manifest.csv'), manifestFormat(rows));
    // The same corpus with a v1 manifest (no category column).
    writeFileSync(join(v1, 'manifest.csv'), manifestFormat(rows).split('\n').map((l) => l.replace(/,[a-z]*$/, '')).join('\n'));
  });

  it('leaves mixtures unchanged without a category filter (v1 manifest vs v2 manifest)', () => {
    const a = openCorpus(v1);
    const b = openCorpus(v2);
    expect(a.clips.every((c) => c.category === '')).toBe(true);
    for (let i = 0; i < 6; i++) {
      for (const split of ['train', 'test'] as const) {
        const ma = mixtureAt(a, { split, index: i, seconds: 1 });
        const mb = mixtureAt(b, { split, index: i, seconds: 1 });
        expect(Buffer.from(mb.mixture.buffer).equals(Buffer.from(ma.mixture.buffer))).toBe(true);
        expect(mb.noiseFile).toBe(ma.noiseFile);
        // Single keystrokes are material for synthetic typing, never looped as a noise of their own.
        expect(mb.noiseFile).not.toMatch(/bucklespring-keys/);
      }
    }
  });

  it('draws only noise of the requested categories, and says when a split has none', () => {
    const c = openCorpus(v2);
    const cat = new Map(c.clips.map((x) => [x.path, x.category]));
    for (let i = 0; i < 12; i++) {
      expect(cat.get(mixtureAt(c, { split: 'train', index: i, seconds: 0.5, noiseCategories: ['weather', 'nature'] }).noiseFile)).toMatch(/^(weather|nature)$/);
      expect(cat.get(mixtureAt(c, { split: 'train', index: i, seconds: 0.5, noiseCategories: ['machinery'] }).noiseFile)).toBe('machinery');
    }
    expect(() => mixtureAt(c, { split: 'train', index: 0, seconds: 0.5, noiseCategories: ['fire'] })).toThrow(/no noise of categories fire/);
  });

  it('writes the environmental set from test noise of each category, on the paper set\'s clean utterances', () => {
    const c = openCorpus(v2);
    const env = environmentTestsetWrite(c, join(tmp, 'env'), { perCondition: 2, seconds: 1, categories: ['weather', 'machinery'] });
    const paper = testsetWrite(c, join(tmp, 'paper'), { perCondition: 2, seconds: 1 });
    expect(env.map((r) => `${r.noise}_${r.snrDb}`)).toEqual(['weather', 'machinery'].flatMap((n) => [-5, 0, 5].flatMap((d) => [`${n}_${d}`, `${n}_${d}`])));
    expect(testsetRead(join(tmp, 'env'))).toEqual(env);
    const cat = new Map(c.clips.map((x) => [x.path, [x.category, x.split]]));
    for (const r of env) expect(cat.get(r.noiseFile)).toEqual([r.noise, 'test']);
    for (const r of env) expect(r.utterances).toBe(paper.find((p) => p.id === r.id)!.utterances);
    expect(() => environmentTestsetWrite(c, join(tmp, 'env2'), { categories: ['rain'] })).toThrow(/"rain" is not a noise category/);
  });
});

describe('hushpack corpus stats', () => {
  it('prints the fixture corpus per split as JSON and as text, and names a folder that is no corpus', async () => {
    const io = capture();
    const code = await main(['node', 'hushpack', 'corpus', 'stats', '--corpus', 'test/fixtures/corpus', '--json']);
    vi.restoreAllMocks();
    expect(code, io.err()).toBe(0);
    const s = JSON.parse(io.out()) as ReturnType<typeof corpusStats>;
    expect(Object.keys(s.splits)).toEqual(['train', 'validation', 'test']);
    expect(s.splits.test.speakers).toBe(2);
    expect(s.splits.train.speakerMinutes['festvox-ru-nsh']).toBeGreaterThan(0);
    expect(s.splits.test.noiseCategoryMinutes).toMatchObject({ weather: 0.05, nature: 0.05, machinery: 0.05 });
    const text = capture();
    expect(await main(['node', 'hushpack', 'corpus', 'stats', '--corpus', 'test/fixtures/corpus'])).toBe(0);
    vi.restoreAllMocks();
    expect(text.out()).toMatch(/^test:\n  speech +[0-9.]+ min, \d+ clips, 2 real speakers/m);
    const bad = capture();
    expect(await main(['node', 'hushpack', 'corpus', 'stats', '--corpus', tmp])).toBe(1);
    vi.restoreAllMocks();
    expect(bad.err()).toMatch(/not a corpus folder \(no manifest.csv\)/);
  });
});
