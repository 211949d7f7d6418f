/**
 * Fuzz of the WASM `.hush` reader: 100 000 deterministic mutations (the same generator as the TS fuzz,
 * another seed). Each file is placed so that it ends exactly at the end of linear memory — a read past
 * it traps — with a guard pattern below it. Every case must return an error code (never trap, never
 * HUSH_E_INTERNAL_BOUNDS) equal, with all its numbers, to the TS validator's record, so both readers
 * give the same message; valid mutations must decode bit-exactly like the TS reference decoder.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readHush } from '../../src/format/reader.js';
import { hushValidate } from '../../src/format/validate.js';
import { writeHush } from '../../src/format/writer.js';
import { hushTensorDense, type HushTensor } from '../../src/format/tensor.js';
import { HUSH_E_INTERNAL_BOUNDS, HUSH_OK } from '../../src/format/spec.js';
import { fixtureModel } from './fixture.js';
import { hushMutations } from './mutate.js';
import { loadFormatTestWasm } from './wasmBuild.js';
import { tableOrder } from './fixture.js';
import { formatWasmDecode, formatWasmOpen, formatWasmSetup, type FormatWasm } from './wasmHarness.js';

const CASES = 100_000;

function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

describe('fuzz: WASM reader', () => {
  let w: FormatWasm;
  beforeAll(async () => {
    w = formatWasmSetup(await loadFormatTestWasm(), 1 << 16, 1 << 22);
  });

  it(`returns the TS reader's error record for ${CASES} mutated files, never traps or reads outside`, () => {
    const base = writeHush(fixtureModel());
    let valid = 0;
    let decoded = 0;
    const failures: string[] = [];
    for (const m of hushMutations(base, 0xbadc0de, CASES)) {
      let res;
      try {
        res = formatWasmOpen(w, m.bytes);
      } catch (err) {
        throw new Error(`mutation ${m.kind} (${m.bytes.length} bytes): WASM trapped: ${String(err)}`);
      }
      const ts = hushValidate(m.bytes);
      if (res.code === HUSH_E_INTERNAL_BOUNDS) failures.push(`${m.kind}: refused out-of-file read at ${res.record!.a}`);
      if (ts.ok !== (res.code === HUSH_OK)) {
        failures.push(`${m.kind}: TS ${ts.ok ? 'accepts' : JSON.stringify(ts.error)}, WASM ${JSON.stringify(res.record)}`);
      } else if (!ts.ok) {
        const a = ts.error;
        const b = res.record!;
        if (a.code !== b.code || a.where !== b.where || a.index !== b.index || a.a !== b.a || a.b !== b.b) {
          failures.push(`${m.kind}: TS ${JSON.stringify(a)} vs WASM ${JSON.stringify(b)}`);
        }
      } else {
        valid++;
        // decodes agree too
        const f = readHush(m.bytes, 'fuzz.hush');
        const inTableOrder = tableOrder(f.tensors);
        f.entries.forEach((e, i) => {
          const got = formatWasmDecode(w, i);
          if (got === null) return; // larger than the test's buffer
          if (got.code !== HUSH_OK || !sameBits(got.data, hushTensorDense(inTableOrder[i]))) failures.push(`${m.kind}: decode of ${e.name} differs`);
          decoded++;
        });
      }
      if (failures.length > 5) break;
    }
    expect(failures).toEqual([]);
    console.log(`WASM fuzz: ${CASES} cases, ${valid} valid (${decoded} tensors decoded and compared), all records equal to the TS reader's`);
  });
});
