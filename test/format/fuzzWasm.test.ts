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
import { fixtureModel, randn, rng } from './fixture.js';
import { separationHushModel } from '../../src/compress/separationExport.js';
import { separationLayout, type SeparationConfig } from '../../src/models/separation/net.js';
import { CONV_TASNET_TINY } from '../../src/models/separation/presets.js';
import { shapeSize } from '../../src/models/paramSpec.js';
import { hushMutations } from './mutate.js';
import { loadFormatTestWasm } from './wasmBuild.js';
import { tableOrder } from './fixture.js';
import { formatWasmDecode, formatWasmOpen, formatWasmSetup, type FormatWasm } from './wasmHarness.js';

const CASES = 100_000;
/** Mutations of the separation file (format 1.1): its model-section branch under the same fuzz. */
const SEPARATION_CASES = 20_000;

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

  /** Mutates `base` `cases` times: every record equal to the TS reader's, no trap, no out-of-file read. */
  function fuzzAgainst(label: string, base: Uint8Array, seed: number, cases: number): void {
    let valid = 0;
    let decoded = 0;
    const failures: string[] = [];
    for (const m of hushMutations(base, seed, cases)) {
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
    console.log(`WASM fuzz (${label}): ${cases} cases, ${valid} valid (${decoded} tensors decoded and compared), all records equal to the TS reader's`);
  }

  it(`returns the TS reader's error record for ${CASES} mutated files, never traps or reads outside`, () => {
    fuzzAgainst('enhancement fixture', writeHush(fixtureModel()), 0xbadc0de, CASES);
  });

  it(`does the same for ${SEPARATION_CASES} mutations of a 1.1 separation file (task, output count, arch 5)`, () => {
    const config: SeparationConfig = { arch: 'conv-tasnet', hp: { ...CONV_TASNET_TINY } };
    const r = rng(3);
    const weights = new Map(separationLayout(config).params.map((p) => [p.name, { shape: [...p.shape], data: randn(shapeSize(p.shape), r, 0.3) }]));
    fuzzAgainst('conv-tasnet 1.1', writeHush(separationHushModel(config, weights, { kind: 'kmeans', k: 16 })), 0x5e9a2a7e, SEPARATION_CASES);
  });
});
