/**
 * The licence part of a folder of corpus excerpts (the test fixture corpus, src/data/fixtures.ts;
 * the demo clips, src/demo/clips.ts): each package's Debian copyright file copied from the built
 * corpus into `licences/`, and the packages table of its ATTRIBUTION.md.
 */
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { CORPUS_PACKAGES } from './builder/packages.js';

/**
 * Copies CORPUS/licences/PKG.copyright of every package to OUT/licences/ (which must exist);
 * returns the bytes copied. A missing file is a UserError naming it.
 */
export function licencesCopy(corpusDir: string, outDir: string, packages: readonly string[]): number {
  let bytes = 0;
  for (const p of packages) {
    const src = join(corpusDir, 'licences', `${p}.copyright`);
    if (!existsSync(src)) throw new UserError(`${src}: missing (the corpus build copies every package's copyright file)`);
    copyFileSync(src, join(outDir, 'licences', `${p}.copyright`));
    bytes += statSync(src).size;
  }
  return bytes;
}

/**
 * ATTRIBUTION.md lines: where the copyright files are, then the "Packages" section (version,
 * licence and copyright of each package from CORPUS_PACKAGES; '?' for one not listed there).
 */
export function attributionPackageLines(packages: readonly string[]): string[] {
  const lines = [
    "Each package's Debian copyright file is in `licences/PKG.copyright`; it is authoritative.",
    '',
    '## Packages',
    '',
    '| package | version | licence | copyright |',
    '|---|---|---|---|',
  ];
  for (const name of packages) {
    const p = CORPUS_PACKAGES.find((q) => q.name === name);
    lines.push(`| ${name} | ${p?.version ?? '?'} | ${p?.licence ?? '?'} | ${p?.copyright ?? '?'} |`);
  }
  return lines;
}
