/**
 * OpenClonk group files (.ocg/.ocd: zlib-packed archives of nested groups) unpacked with the
 * `c4group` binary shipped in the `openclonk` .deb (needs only libc, zlib and libstdc++; it is
 * run from the private extraction folder, never installed).
 *
 * `c4group FILE -x` explodes FILE in place into a folder of the same name, recursively. It exits
 * with status 0 even when it fails, so success is judged by the result: FILE became a folder.
 */
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UserError } from '../../errors.js';
import { processRun, stderrTail } from './run.js';

/**
 * Copies `groupFile` into `destDir` and explodes it there; returns the folder it became.
 * HOME points into `destDir` so c4group cannot touch the user's configuration.
 */
export async function c4groupExtract(c4group: string, groupFile: string, destDir: string): Promise<string> {
  mkdirSync(destDir, { recursive: true });
  const name = basename(groupFile);
  const target = join(destDir, name);
  copyFileSync(groupFile, target);
  const home = join(destDir, '.c4home');
  mkdirSync(home, { recursive: true });
  const r = await processRun(c4group, [name, '-x'], { cwd: destDir, env: { ...process.env, HOME: home } });
  if (r.code !== 0 || !statSync(target).isDirectory()) {
    throw new UserError(`${groupFile}: c4group could not unpack it (${stderrTail(r.stdout.toString('utf8') + r.stderr) || `status ${r.code}`})`);
  }
  return target;
}
