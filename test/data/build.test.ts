/**
 * The corpus build pipeline end to end on a fake .deb made with `dpkg-deb -b` (no network, no
 * real packages): download (mocked) + checksum, private extraction, licence copy, sox decoding to
 * 16 kHz, dropping of short clips and byte-identical duplicates, babble, manifest, test set,
 * and a second run that does no work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusBuild, type CorpusBuildOptions } from '../../src/data/builder/build.js';
import { progressSink } from '../../src/data/builder/progress.js';
import { debsEnsure, type DebFetcher } from '../../src/data/builder/debs.js';
import { filesUnder, wavName, type CorpusRecipe, type SourceItem } from '../../src/data/builder/recipe.js';
import type { PinnedPackage } from '../../src/data/builder/packages.js';
import { encodeWav, readWav } from '../../src/data/wav.js';
import { manifestParse } from '../../src/data/manifest.js';
import { testsetRead } from '../../src/data/testset.js';
import { UserError } from '../../src/errors.js';

const PKG = 'hushpack-fake-sounds';
const VERSION = '1:1.0-1';
let tmp: string;
let debPath: string;
let pkg: PinnedPackage;
let fetches = 0;

/** A deterministic "utterance": a chirp-like tone with an envelope, at 22.05 kHz. */
function tone(seconds: number, f0: number, rate = 22050): Uint8Array {
  const n = Math.round(seconds * rate);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    x[i] = 0.3 * Math.sin(2 * Math.PI * (f0 + 40 * t) * t) * Math.sin((Math.PI * i) / n);
  }
  return encodeWav({ sampleRate: rate, channels: [x] });
}

/** Noise-like test signal (LCG), stereo, to check the downmix. */
function noiseWav(seconds: number, seed: number): Uint8Array {
  const n = Math.round(seconds * 44100);
  let s = seed;
  const ch = [new Float32Array(n), new Float32Array(n)];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    ch[0][i] = (s / 4294967296 - 0.5) * 0.2;
    ch[1][i] = ch[0][i] * 0.5;
  }
  return encodeWav({ sampleRate: 44100, channels: ch });
}

const FILES: Record<string, Uint8Array> = {
  'speech/alice/1.wav': tone(1.0, 200),
  'speech/alice/2.wav': tone(1.2, 230),
  'speech/alice/dup.wav': tone(1.0, 200), // byte-identical to 1.wav: dropped
  'speech/alice/short.wav': tone(0.05, 300), // < 0.1 s: dropped
  'speech/bob/1.wav': tone(0.9, 120),
  'speech/bob/2.wav': tone(1.1, 140),
  'speech/carol/1.wav': tone(1.3, 250),
  'speech/carol/2.wav': tone(0.8, 270),
  'voices/v1/a.wav': tone(0.6, 180),
  'voices/v1/b.wav': tone(0.7, 190),
  'voices/v2/a.wav': tone(0.5, 300),
  'voices/v3/a.wav': tone(0.4, 90, 8000), // 8 kHz source: outside the babble rate range
  'noise/train.wav': noiseWav(1.5, 1),
  'noise/valid.wav': noiseWav(1.0, 2),
  'noise/crowd.wav': noiseWav(1.0, 3),
  'noise/clatter.wav': noiseWav(0.3, 4),
};
const SPEAKERS: Record<string, { split: 'train' | 'validation' | 'test'; lang: string }> = {
  alice: { split: 'train', lang: 'en' },
  bob: { split: 'validation', lang: 'ru' },
  carol: { split: 'test', lang: 'fr' },
};
const NOISE: Record<string, { group: string; split: 'train' | 'validation' | 'test' }> = {
  'train.wav': { group: 'fx', split: 'train' },
  'valid.wav': { group: 'fx', split: 'validation' },
  'crowd.wav': { group: 'crowd', split: 'test' },
  'clatter.wav': { group: 'clatter', split: 'test' },
};

function recipe(): CorpusRecipe {
  return {
    version: 'fake-1',
    packages: [pkg],
    unpack: async (ctx) => {
      // Stands in for archive unpacking: copies one member out of the package.
      const root = await ctx.root(PKG);
      mkdirSync(ctx.unpackDir, { recursive: true });
      copyFileSync(join(root, 'usr/share/fake/noise/clatter.wav'), join(ctx.unpackDir, 'clatter.wav'));
    },
    select: async (ctx) => {
      const root = join(await ctx.root(PKG), 'usr/share/fake');
      const items: SourceItem[] = [];
      const base = { package: PKG, licence: 'CC0-1.0', decoder: 'sox' as const };
      for (const rel of filesUnder(join(root, 'speech'))) {
        const spk = rel.split('/')[0];
        items.push({ ...base, key: `${PKG}:speech/${rel}`, input: join(root, 'speech', rel), out: `speech/${wavName(rel)}`, role: 'speech', group: spk, ...SPEAKERS[spk] });
      }
      for (const rel of filesUnder(join(root, 'voices'))) {
        items.push({ ...base, key: `${PKG}:voices/${rel}`, input: join(root, 'voices', rel), out: `speech/voices/${rel}`, role: 'speech', group: rel.split('/')[0], lang: 'xx', split: 'babble', sourceRateRangeHz: [16000, 48000] });
      }
      for (const rel of ['train.wav', 'valid.wav', 'crowd.wav']) {
        items.push({ ...base, key: `${PKG}:noise/${rel}`, input: join(root, 'noise', rel), out: `noise/${rel}`, role: 'noise', lang: '', ...NOISE[rel] });
      }
      items.push({ ...base, key: `${PKG}:unpacked/clatter.wav`, input: join(ctx.unpackDir, 'clatter.wav'), out: 'noise/clatter.wav', role: 'noise', lang: '', ...NOISE['clatter.wav'] });
      return items;
    },
    babble: { clips: 2, seconds: 1.5, talkers: 2, pauseMs: [50, 250], package: PKG, licence: 'CC0-1.0' },
  };
}

const fetchFake: DebFetcher = async (p, debsDir) => {
  fetches++;
  copyFileSync(debPath, join(debsDir, `${p.name}_${p.version.replace(':', '%3a')}_all.deb`));
};

function options(outDir: string): CorpusBuildOptions {
  return { outDir, jobs: 2, recipe: recipe(), fetch: fetchFake, testset: { perCondition: 2, seconds: 1 }, progress: progressSink(true) };
}

/** SHA-256 of every file under dir (paths relative), except build bookkeeping. */
function treeHash(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of filesUnder(dir)) {
    // debs/VERIFIED.json records the .debs' mtimes: a cache of this machine's files, not corpus content.
    if (rel.startsWith('.stamps/') || rel.startsWith('work/') || rel === 'debs/VERIFIED.json') continue;
    out[rel] = createHash('sha256').update(readFileSync(join(dir, rel))).digest('hex');
  }
  return out;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'hushpack-build-'));
  const root = join(tmp, 'pkgroot');
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(join(root, 'DEBIAN/control'), `Package: ${PKG}\nVersion: ${VERSION}\nArchitecture: all\nMaintainer: test <test@example.invalid>\nDescription: fake sounds for the hushpack corpus build test\n`);
  mkdirSync(join(root, 'usr/share/doc', PKG), { recursive: true });
  writeFileSync(join(root, 'usr/share/doc', PKG, 'copyright'), 'Files: *\nCopyright: 2024 Nobody\nLicense: CC0-1.0\n');
  for (const [rel, bytes] of Object.entries(FILES)) {
    mkdirSync(join(root, 'usr/share/fake', rel, '..'), { recursive: true });
    writeFileSync(join(root, 'usr/share/fake', rel), bytes);
  }
  debPath = join(tmp, 'fake.deb');
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '-b', root, debPath], { stdio: 'ignore' });
  const sha = createHash('sha256').update(readFileSync(debPath)).digest('hex');
  pkg = { name: PKG, version: VERSION, licence: 'CC0-1.0', copyright: 'Nobody', use: 'test', sha256: { all: sha } };
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('corpus build on a fake .deb', () => {
  it('builds the manifest, clips, licences, checksums and test set; a second run does no work', async () => {
    const out = join(tmp, 'corpus');
    const first = await corpusBuild(options(out));
    expect(fetches).toBe(1);
    expect(first.downloaded).toEqual([`${PKG}=${VERSION}`]);
    expect(first.stagesRun).toEqual(['debs', 'licences', 'unpack', 'decode', 'manifest', 'testset']);
    expect(first.decoded).toBe(Object.keys(FILES).length);
    expect(first.dropped).toEqual({ short: 1, sourceRate: 1, duplicate: 1 });

    // Checksums and licences.
    const sums = readFileSync(join(out, 'debs/SHA256SUMS'), 'utf8');
    expect(sums).toBe(`${pkg.sha256.all}  ${PKG}_1%3a1.0-1_all.deb\n`);
    expect(readFileSync(join(out, `licences/${PKG}.copyright`), 'utf8')).toContain('Copyright: 2024 Nobody');
    const info = JSON.parse(readFileSync(join(out, 'corpus.json'), 'utf8'));
    expect(info.packages[0]).toMatchObject({ package: PKG, sha256: pkg.sha256.all, pinned: true });
    expect(info.tools.sox).toMatch(/SoX/);

    // Manifest: duplicates, short and out-of-range clips gone; babble added; all clips 16 kHz mono.
    const rows = manifestParse(readFileSync(join(out, 'manifest.csv'), 'utf8'), 'manifest.csv');
    const paths = rows.map((r) => r.path);
    expect(paths).not.toContain('speech/alice/dup.wav');
    expect(paths).not.toContain('speech/alice/short.wav');
    expect(paths).not.toContain('speech/voices/v3/a.wav');
    expect(existsSync(join(out, 'speech/alice/dup.wav'))).toBe(false);
    expect(paths).toContain('noise/babble/babble_000.wav');
    expect(rows.filter((r) => r.group === 'babble')).toHaveLength(2);
    for (const r of rows) {
      const a = readWav(join(out, r.path));
      expect(a.sampleRate).toBe(16000);
      expect(a.channels).toHaveLength(1);
      expect(a.channels[0].length).toBe(Math.round(r.seconds * 16000));
    }
    const alice1 = rows.find((r) => r.path === 'speech/alice/1.wav')!;
    expect(alice1).toMatchObject({ role: 'speech', group: 'alice', lang: 'en', split: 'train', package: PKG, licence: 'CC0-1.0', sourceRateHz: 22050, seconds: 1 });
    expect(rows.find((r) => r.path === 'noise/train.wav')!.sourceRateHz).toBe(44100);

    // Test set: 2 noises × 3 SNRs × 2 mixtures, test speakers only.
    const ts = testsetRead(join(out, 'testset'));
    expect(ts).toHaveLength(12);
    expect(new Set(ts.map((r) => r.speaker))).toEqual(new Set(['carol']));
    for (const r of ts) expect(existsSync(join(out, 'testset', r.mix)) && existsSync(join(out, 'testset', r.clean))).toBe(true);

    // Work folders are removed once stamped; a second run downloads, decodes and writes nothing.
    expect(existsSync(join(out, 'work/root'))).toBe(false);
    const before = treeHash(out);
    const mtime = statSync(join(out, 'manifest.csv')).mtimeMs;
    const second = await corpusBuild(options(out));
    expect(fetches).toBe(1);
    expect(second.stagesRun).toEqual([]);
    expect(second.stagesSkipped).toEqual(['debs', 'licences', 'unpack', 'decode', 'manifest', 'testset']);
    expect(second.decoded).toBe(0);
    expect(second.speechMinutes).toEqual(first.speechMinutes);
    expect(statSync(join(out, 'manifest.csv')).mtimeMs).toBe(mtime);
    expect(treeHash(out)).toEqual(before);
  });

  it('is bit-identical between independent builds, and resumes an interrupted decode', async () => {
    const a = join(tmp, 'a');
    const b = join(tmp, 'b');
    await corpusBuild(options(a));
    // Simulate a crash in the middle of decoding: keep half of the decode log, drop later stamps.
    await corpusBuild({ ...options(b), testset: false, keepWork: true });
    const log = join(b, 'work/decode-index.jsonl');
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    writeFileSync(log, lines.slice(0, 5).join('\n') + '\n{"torn');
    for (const s of ['decode', 'manifest']) rmSync(join(b, '.stamps', `${s}.json`));
    // Records kept in the log whose WAV is still there (or that were dropped) need no decoding.
    const kept = lines.slice(0, 5).map((l) => JSON.parse(l) as { out: string; dropped: string });
    const skippable = kept.filter((r) => r.dropped !== '' || existsSync(join(b, r.out))).length;
    const resumed = await corpusBuild(options(b));
    expect(resumed.decoded).toBe(Object.keys(FILES).length - skippable);
    expect(treeHash(b)).toEqual(treeHash(a));
  });

  it('refuses a .deb whose checksum differs from the pin, naming the package and version', async () => {
    const out = join(tmp, 'tampered');
    mkdirSync(join(out, 'debs'), { recursive: true });
    const bytes = readFileSync(debPath);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(join(out, 'debs', `${PKG}_1%3a1.0-1_all.deb`), bytes);
    await expect(corpusBuild(options(out))).rejects.toThrow(new RegExp(`is not the pinned .* of ${PKG}=1:1.0-1`));
  });

  it('says which package could not be had when the download leaves nothing', async () => {
    const nothing: DebFetcher = async () => {};
    const err = await debsEnsure([pkg], join(tmp, 'empty-debs'), { fetch: nothing, log: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(new RegExp(`cannot get ${PKG}=1:1.0-1`));
    expect(readdirSync(join(tmp, 'empty-debs'))).toEqual([]);
  });
});
