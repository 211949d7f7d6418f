/**
 * Members of a zip archive inside a package (0ad's public.zip, nexuiz's data.pk3, ufoai's
 * 0snd.pk3, trigger-rally's data.zip): extracted with Info-ZIP `unzip` (Debian package `unzip`),
 * only the members matching the given patterns. Chosen over an npm zip reader (yauzl, adm-zip):
 * unzip streams each member straight to disk, handles zip64 and every compression method these
 * packages use, is a tool the build already depends on the like of (ffmpeg, sox, tar), and costs
 * no dependency in the shipped package. The archive is deleted by the caller right after, so the
 * disk holds at most one big archive at a time.
 */
import { mkdirSync } from 'node:fs';
import { UserError } from '../../errors.js';
import { processRun, stderrTail } from './run.js';

/**
 * Extracts the members of `zipPath` whose paths match one of `patterns` (unzip wildcards: `*`
 * matches across '/') into `destDir`, keeping their paths. Fails when nothing matches.
 */
export async function zipExtract(zipPath: string, patterns: readonly string[], destDir: string): Promise<void> {
  mkdirSync(destDir, { recursive: true });
  // -qq: quiet; -o: overwrite (a resumed stage); -D: do not restore timestamps (deterministic mtimes are not needed, but this avoids utime calls).
  const r = await processRun('unzip', ['-qq', '-o', '-D', zipPath, ...patterns, '-d', destDir]);
  // Status 11: no member matched a pattern.
  if (r.code !== 0) {
    throw new UserError(`${zipPath}: unzip ${patterns.join(' ')} failed (status ${r.code}${r.code === 11 ? ': no member matches' : ''}): ${stderrTail(r.stderr, 2)}`);
  }
}
