/**
 * Fuzz of the TypeScript `.hush` reader: 100 000 deterministic mutations of a valid file (truncation at
 * every offset, bit flips, random fields, oversize K, huge shapes, reshapes, non-finite values, splices,
 * appended bytes). Every case must either read successfully or be rejected with a HushFormatError whose
 * message names the file and a known problem; never another exception, never HUSH_E_INTERNAL_BOUNDS
 * (a refused out-of-file read), never a hang. Every file-level error code must occur at least once.
 */
import { describe, expect, it } from 'vitest';
import { readHush } from '../../src/format/reader.js';
import { HushFormatError, hushErrorName } from '../../src/format/message.js';
import { writeHush } from '../../src/format/writer.js';
import * as S from '../../src/format/spec.js';
import { hushTensorDense, shapeElements } from '../../src/format/tensor.js';
import { fixtureModel } from './fixture.js';
import { hushMutations } from './mutate.js';

const CASES = 100_000;

describe('fuzz: TS reader', () => {
  it(`rejects or reads ${CASES} mutated files without crashing, every rejection a clear message`, () => {
    const base = writeHush(fixtureModel());
    const codes = new Map<string, number>();
    const problems: string[] = [];
    let accepted = 0;
    for (const m of hushMutations(base, 0xc0ffee, CASES)) {
      try {
        const f = readHush(m.bytes, 'fuzz.hush');
        for (const t of f.tensors.values()) if (shapeElements(t.shape) <= 1 << 22) hushTensorDense(t); // and decodable (a mutated file may validly declare a huge sparse tensor)
        accepted++;
      } catch (err) {
        if (!(err instanceof HushFormatError)) throw new Error(`mutation ${m.kind}: ${String(err)}\n${(err as Error).stack}`);
        const r = err.record;
        const name = hushErrorName(r.code);
        codes.set(name, (codes.get(name) ?? 0) + 1);
        if (r.code === S.HUSH_E_INTERNAL_BOUNDS || !S.HUSH_ERROR_TEMPLATES[r.code] || !err.message.startsWith('fuzz.hush: ') || /undefined|NaN|\{[ab]/.test(err.message)) {
          problems.push(`${m.kind}: ${err.message}`);
        }
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    const never = [S.HUSH_E_INTERNAL_BOUNDS, S.HUSH_E_DECODE_CAPACITY, S.HUSH_E_DECODE_INDEX].map(hushErrorName);
    const unhit = Object.keys(S).filter((k) => k.startsWith('HUSH_E_') && !never.includes(k) && !codes.has(k));
    expect(unhit).toEqual([]);
    expect(accepted).toBeLessThan(CASES / 10);
    console.log(`TS fuzz: ${CASES} cases, ${accepted} still valid, ${codes.size} distinct error codes`);
  });
});
