/**
 * OpenTTD sound archive (`opensfx.cat` of the openttd-opensfx package), parsed in TypeScript.
 *
 * Layout (little-endian; as read by OpenTTD's src/sound.cpp):
 *   header:  count × { u32 offset (bit 31 is a flag: mask 0x7FFFFFFF); u32 size }
 *            count = (first offset & 0x7FFFFFFF) / 8, i.e. the first record follows the header
 *   record at offset:  u8 name_len; name_len bytes of name (NUL-terminated Latin-1 text: title,
 *            authors and licence of the recording); then `size` bytes of a RIFF/WAVE file.
 * Every offset, size and RIFF length is checked against the file before it is used.
 */
import { UserError } from '../../errors.js';

/** One sound of the archive. */
export interface OpensfxSound {
  /** Position in the archive (OpenTTD's sound id). */
  index: number;
  /** The record's name text, NUL stripped (e.g. '"Cash till". By Janis Lukss. License: …'). */
  name: string;
  /** The short title: the first double-quoted part of `name`, or `name` itself. */
  title: string;
  /** The RIFF/WAVE bytes (a view into the archive). */
  wav: Uint8Array;
}

/** Parses an opensfx.cat archive; `source` names the file in error messages. */
export function opensfxParse(bytes: Uint8Array, source: string): OpensfxSound[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (msg: string): never => {
    throw new UserError(`${source}: not a valid OpenTTD sound archive: ${msg}`);
  };
  if (bytes.length < 8) bad(`only ${bytes.length} bytes`);
  const headerBytes = v.getUint32(0, true) & 0x7fffffff;
  if (headerBytes === 0 || headerBytes % 8 !== 0 || headerBytes > bytes.length) bad(`header length ${headerBytes} is not a multiple of 8 within the file`);
  const count = headerBytes / 8;
  const sounds: OpensfxSound[] = [];
  for (let i = 0; i < count; i++) {
    const offset = v.getUint32(i * 8, true) & 0x7fffffff;
    const size = v.getUint32(i * 8 + 4, true);
    if (offset < headerBytes || offset >= bytes.length) bad(`sound ${i}: offset ${offset} outside [${headerBytes}, ${bytes.length})`);
    const nameLen = bytes[offset];
    const riff = offset + 1 + nameLen;
    if (riff + 12 > bytes.length) bad(`sound ${i}: name of ${nameLen} bytes runs past the end`);
    let name = '';
    for (let k = offset + 1; k < riff && bytes[k] !== 0; k++) name += String.fromCharCode(bytes[k]);
    const tag = String.fromCharCode(bytes[riff], bytes[riff + 1], bytes[riff + 2], bytes[riff + 3]);
    if (tag !== 'RIFF') bad(`sound ${i}: expected "RIFF" at byte ${riff}, found ${JSON.stringify(tag)}`);
    const riffBytes = v.getUint32(riff + 4, true) + 8;
    if (riffBytes > size || riff + riffBytes > bytes.length) bad(`sound ${i}: RIFF of ${riffBytes} bytes exceeds its record (${size} bytes) or the file`);
    const title = /"([^"]+)"/.exec(name)?.[1] ?? name;
    sounds.push({ index: i, name, title, wav: bytes.subarray(riff, riff + riffBytes) });
  }
  return sounds;
}

/** A file-name-safe slug of a title ('Lumber mill: Chainsaw' → 'lumber_mill_chainsaw'). */
export function titleSlug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 48) || 'untitled';
}
