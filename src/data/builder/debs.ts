/**
 * Getting the pinned .debs and proving they are the right bytes: `apt-get download NAME=VERSION`
 * into DIR/debs (no root needed), SHA-256 of every .deb checked against the pinned value
 * (src/data/builder/packages.ts) and against DIR/debs/SHA256SUMS from earlier runs, then
 * `dpkg-deb -x` into a private folder (nothing is installed) and the package's copyright file
 * copied to DIR/licences/PKG.copyright.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import type { PinnedPackage } from './packages.js';
import { fileSha256, fileWriteAtomic } from './stamps.js';
import { processRun, stderrTail } from './run.js';

/** A verified .deb. */
export interface DebRecord {
  package: string;
  version: string;
  /** File name inside DIR/debs. */
  file: string;
  /** Debian architecture of the file ('all', 'amd64', …). */
  arch: string;
  sha256: string;
  /** True when the checksum equals the pinned one; false when no pin exists for this arch. */
  pinned: boolean;
}

/**
 * Puts the .deb of `pkg` into `debsDir` (file name as apt names it). The default is
 * `aptDownload`; tests pass a function that copies a locally built .deb.
 */
export type DebFetcher = (pkg: PinnedPackage, debsDir: string, log: (msg: string) => void) => Promise<void>;

/** Version as it appears in a .deb file name (apt escapes the epoch colon as %3a). */
function versionInFileName(version: string): string {
  return version.replace(/:/g, '%3a');
}

/** The .deb of `pkg` present in `debsDir`, or null. */
export function debFind(debsDir: string, pkg: PinnedPackage): string | null {
  if (!existsSync(debsDir)) return null;
  const prefix = `${pkg.name}_${versionInFileName(pkg.version)}_`;
  const hits = readdirSync(debsDir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.deb'))
    .sort();
  return hits.length > 0 ? hits[0] : null;
}

/** Did apt fail because it does not know the package/version (stale or missing lists)? */
function aptMissingLists(stderr: string): boolean {
  return /Unable to locate package|Can't find a source to download|has no installation candidate|Version '.*' for '.*' was not found|No packages found/i.test(stderr);
}

/** Shared by all downloads of one build: `apt-get update` is tried at most once. */
const aptState = { updated: false };

/**
 * `apt-get download NAME=VERSION` in `debsDir`. When apt does not know the version (package lists
 * missing or stale), runs `apt-get update` once, says so, and retries; then fails with an error
 * naming the package and version.
 */
export const aptDownload: DebFetcher = async (pkg, debsDir, log) => {
  const spec = `${pkg.name}=${pkg.version}`;
  let r = await processRun('apt-get', ['download', spec], { cwd: debsDir });
  if (r.code !== 0 && aptMissingLists(r.stderr) && !aptState.updated) {
    aptState.updated = true;
    log(`apt-get download ${spec} failed (${stderrTail(r.stderr)}); the package lists look missing or stale, running apt-get update once`);
    const u = await processRun('apt-get', ['update']);
    if (u.code !== 0) {
      throw new UserError(
        `cannot download ${spec}: apt does not know it and apt-get update failed (${stderrTail(u.stderr)}); ` +
          `run apt-get update as root, or put ${pkg.name}_${versionInFileName(pkg.version)}_*.deb into ${debsDir}`,
      );
    }
    r = await processRun('apt-get', ['download', spec], { cwd: debsDir });
  }
  if (r.code !== 0) {
    throw new UserError(
      `cannot download ${spec}: ${stderrTail(r.stderr) || `apt-get exited with status ${r.code}`}. ` +
        `The corpus is pinned to Debian 12 (bookworm) main; add a bookworm source to apt, or put the .deb into ${debsDir}`,
    );
  }
};

/** Parses `sha256  file` lines (sha256sum format). */
export function sha256sumsParse(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const hit = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.trim());
    if (hit) m.set(hit[2], hit[1]);
  }
  return m;
}

/** Formats records as sha256sum-compatible text (`sha256sum -c SHA256SUMS` works in DIR/debs). */
export function sha256sumsFormat(records: readonly DebRecord[]): string {
  return [...records]
    .sort((a, b) => (a.file < b.file ? -1 : 1))
    .map((r) => `${r.sha256}  ${r.file}\n`)
    .join('');
}

/**
 * DIR/debs/VERIFIED.json: file name → size, mtime and SHA-256 of each .deb that passed every check
 * of `debsEnsure`. A .deb whose size and mtime are unchanged since is not hashed again: corpus v2's
 * .debs are 5.3 GB, and re-hashing them would make a build with nothing to do take a minute
 * instead of seconds. Any change of size or mtime (a new download, a copy, an edit) re-hashes.
 */
export const DEBS_VERIFIED_FILE = 'VERIFIED.json';

interface VerifiedDeb {
  size: number;
  mtimeMs: number;
  sha256: string;
  arch: string;
}

function verifiedRead(path: string): Record<string, VerifiedDeb> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, VerifiedDeb>;
  } catch {
    return {}; // absent or torn: everything is verified again
  }
}

/**
 * Makes sure every package's .deb is in `debsDir` and is the right file: downloads what is
 * missing, checks SHA-256 against the pin and against SHA256SUMS of earlier runs, checks the
 * control fields, and (re)writes SHA256SUMS. A .deb unchanged since it passed these checks
 * (DEBS_VERIFIED_FILE) is not checked again. `onPackage` reports progress.
 */
export async function debsEnsure(
  packages: readonly PinnedPackage[],
  debsDir: string,
  opts: { fetch: DebFetcher; log: (msg: string) => void; onPackage?: (pkg: PinnedPackage, downloaded: boolean) => void },
): Promise<DebRecord[]> {
  mkdirSync(debsDir, { recursive: true });
  const sumsPath = join(debsDir, 'SHA256SUMS');
  const recorded = existsSync(sumsPath) ? sha256sumsParse(readFileSync(sumsPath, 'utf8')) : new Map<string, string>();
  const verifiedPath = join(debsDir, DEBS_VERIFIED_FILE);
  const verifiedBefore = verifiedRead(verifiedPath);
  const verified: Record<string, VerifiedDeb> = {};
  const records: DebRecord[] = [];
  for (const pkg of packages) {
    let file = debFind(debsDir, pkg);
    const downloaded = file === null;
    if (file === null) {
      await opts.fetch(pkg, debsDir, opts.log);
      file = debFind(debsDir, pkg);
      if (file === null) {
        throw new UserError(`cannot get ${pkg.name}=${pkg.version}: the download left no ${pkg.name}_${versionInFileName(pkg.version)}_*.deb in ${debsDir}`);
      }
    }
    const path = join(debsDir, file);
    const arch = /_([^_]+)\.deb$/.exec(file)?.[1] ?? 'unknown';
    const st = statSync(path);
    const known = verifiedBefore[file];
    const pin = pkg.sha256[arch];
    if (known && known.size === st.size && known.mtimeMs === st.mtimeMs && known.arch === arch && (pin === undefined || pin === known.sha256) && recorded.get(file) === known.sha256) {
      verified[file] = known;
      records.push({ package: pkg.name, version: pkg.version, file, arch, sha256: known.sha256, pinned: pin !== undefined });
      opts.onPackage?.(pkg, downloaded);
      continue;
    }
    const sha256 = await fileSha256(path);
    if (pin !== undefined && pin !== sha256) {
      throw new UserError(
        `${path}: SHA-256 ${sha256} is not the pinned ${pin} of ${pkg.name}=${pkg.version} (${arch}); delete the file and run again`,
      );
    }
    const before = recorded.get(file);
    if (before !== undefined && before !== sha256) {
      throw new UserError(`${path}: SHA-256 ${sha256} differs from ${before} recorded in ${sumsPath} by an earlier run; the file changed`);
    }
    const ctl = await processRun('dpkg-deb', ['-f', path, 'Package', 'Version']);
    const fields = Object.fromEntries(
      ctl.stdout
        .toString('utf8')
        .split('\n')
        .map((l) => l.split(': '))
        .filter((kv) => kv.length === 2),
    ) as Record<string, string>;
    if (ctl.code !== 0 || fields.Package !== pkg.name || fields.Version !== pkg.version) {
      throw new UserError(`${path}: not a .deb of ${pkg.name}=${pkg.version} (dpkg-deb says Package ${fields.Package ?? '?'} Version ${fields.Version ?? '?'}${ctl.code !== 0 ? `; ${stderrTail(ctl.stderr)}` : ''})`);
    }
    if (pin === undefined) opts.log(`${pkg.name}=${pkg.version}: no pinned SHA-256 for architecture ${arch}; recorded ${sha256}`);
    records.push({ package: pkg.name, version: pkg.version, file, arch, sha256, pinned: pin !== undefined });
    verified[file] = { size: st.size, mtimeMs: st.mtimeMs, sha256, arch };
    opts.onPackage?.(pkg, downloaded);
  }
  const text = sha256sumsFormat(records);
  if (!existsSync(sumsPath) || readFileSync(sumsPath, 'utf8') !== text) fileWriteAtomic(sumsPath, text);
  const verifiedText = JSON.stringify(verified, null, 1) + '\n';
  if (!existsSync(verifiedPath) || readFileSync(verifiedPath, 'utf8') !== verifiedText) fileWriteAtomic(verifiedPath, verifiedText);
  return records;
}

/**
 * Extracts only `pkg.members` (and the copyright file) of `debPath` into `dir`:
 * `dpkg-deb --fsys-tarfile DEB | tar -x -C DIR --wildcards PATTERNS…`, streamed through a pipe so
 * the rest of the package never touches the disk. tar fails (and so do we) when a pattern matches
 * no member: a pinned package that lost a path is an error, not an empty selection.
 */
export function debExtractMembers(debPath: string, pkg: PinnedPackage, dir: string): Promise<void> {
  const patterns = [...(pkg.members ?? []), `./usr/share/doc/${pkg.name}/copyright`];
  return new Promise((resolve, reject) => {
    const deb = spawn('dpkg-deb', ['--fsys-tarfile', debPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    const tar = spawn('tar', ['-x', '-C', dir, '--wildcards', '--no-same-owner', ...patterns], { stdio: ['pipe', 'ignore', 'pipe'] });
    const errs = { deb: '', tar: '' };
    deb.stderr.on('data', (b: Buffer) => (errs.deb += b.toString('utf8')));
    tar.stderr.on('data', (b: Buffer) => (errs.tar += b.toString('utf8')));
    deb.stdout.pipe(tar.stdin);
    tar.stdin.on('error', () => {}); // tar exiting early is reported by its status below
    let pending = 2;
    const codes = { deb: 0, tar: 0 };
    const done = () => {
      if (--pending > 0) return;
      if (codes.deb !== 0 || codes.tar !== 0) {
        reject(new UserError(`${debPath}: extracting ${patterns.join(' ')} of ${pkg.name}=${pkg.version} failed: ${stderrTail(errs.tar) || stderrTail(errs.deb) || `dpkg-deb ${codes.deb}, tar ${codes.tar}`}`));
      } else resolve();
    };
    for (const [name, child] of [['deb', deb], ['tar', tar]] as const) {
      let settled = false; // a child that fails to start may emit 'error' and 'close'
      const settle = (code: number) => {
        if (settled) return;
        settled = true;
        codes[name] = code;
        done();
      };
      child.on('error', (e: NodeJS.ErrnoException) => {
        errs[name] += e.code === 'ENOENT' ? `${name === 'deb' ? 'dpkg-deb' : 'tar'} not found on PATH` : e.message;
        if (name === 'deb') tar.stdin.end();
        settle(127);
      });
      child.on('close', (code) => settle(code ?? 1));
    }
  });
}

/**
 * Extracts `debPath` with `dpkg-deb -x` (or only `pkg.members`, see debExtractMembers) into `root` (atomically: a temp folder renamed at the
 * end, so an existing `root` is complete) and copies /usr/share/doc/PKG/copyright to
 * `licencePath`. Does nothing if `root` already exists.
 */
export async function debExtract(debPath: string, pkg: PinnedPackage, root: string, licencePath: string): Promise<void> {
  if (!existsSync(root)) {
    const tmp = `${root}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    if (pkg.members) await debExtractMembers(debPath, pkg, tmp);
    else {
      const r = await processRun('dpkg-deb', ['-x', debPath, tmp]);
      if (r.code !== 0) throw new UserError(`${debPath}: dpkg-deb -x failed for ${pkg.name}=${pkg.version}: ${stderrTail(r.stderr)}`);
    }
    renameSync(tmp, root);
  }
  const copyright = join(root, 'usr/share/doc', pkg.name, 'copyright');
  if (!existsSync(copyright)) throw new UserError(`${debPath}: ${pkg.name}=${pkg.version} ships no /usr/share/doc/${pkg.name}/copyright`);
  mkdirSync(join(licencePath, '..'), { recursive: true });
  if (!existsSync(licencePath) || !readFileSync(licencePath).equals(readFileSync(copyright))) {
    copyFileSync(copyright, `${licencePath}.tmp`);
    renameSync(`${licencePath}.tmp`, licencePath);
  }
}
