/**
 * Resumability of the corpus build: atomic file writes (temp file + rename, so a file that
 * exists is complete) and per-stage stamp files (DIR/.stamps/<stage>.json) that record the
 * recipe key a stage finished with. A stage whose stamp holds the current key is skipped; an
 * interrupted or out-of-date stage is redone (each stage is itself idempotent).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';

/** Writes `data` to `path` atomically (parent folders created). */
export function fileWriteAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** SHA-256 of a file, hex (streamed: .debs are up to 160 MB). */
export async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** SHA-256 of a string or bytes, hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function stampPath(outDir: string, stage: string): string {
  return join(outDir, '.stamps', `${stage}.json`);
}

/** Did `stage` finish with recipe key `key`? */
export function stampValid(outDir: string, stage: string, key: string): boolean {
  const p = stampPath(outDir, stage);
  if (!existsSync(p)) return false;
  try {
    return (JSON.parse(readFileSync(p, 'utf8')) as { key?: string }).key === key;
  } catch {
    return false;
  }
}

/** Records that `stage` finished with `key` (plus any small facts worth keeping). */
export function stampWrite(outDir: string, stage: string, key: string, facts: Record<string, unknown> = {}): void {
  fileWriteAtomic(stampPath(outDir, stage), JSON.stringify({ stage, key, ...facts }, null, 2) + '\n');
}

/** Forgets `stage` (so it and anything keyed on it runs again). */
export function stampClear(outDir: string, stage: string): void {
  rmSync(stampPath(outDir, stage), { force: true });
}
