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
import { blockPositionsAscending, fixtureModel, randn, randomIndices, rng } from './fixture.js';
import { f16RoundArray } from '../../src/format/f16.js';
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
/** Mutations of a file of block-pruned conv kernels (rank 4 and 3 matrix views, `blocks` sparsity). */
const CONV_BLOCK_CASES = 20_000;

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

  it(`does the same for ${CONV_BLOCK_CASES} mutations of a file of block-pruned conv kernels (format 1.2)`, () => {
    // the matrix views of docs/format.md "Blocks": Conv2d [Cout][Cin·kT·kF], ConvTranspose2d
    // [Cin][Cout·kT·kF], 1×1 Conv1d [Cout][Cin]
    const r = rng(7);
    const tensors = new Map<string, HushTensor>();
    const c4 = blockPositionsAscending([8, 2, 1, 3], 4, 1, [1, 4, 6, 8, 11]);
    tensors.set('conv1.conv1.weight', { encoding: 'kmeans', shape: [8, 2, 1, 3], codebook: randn(4, r), positions: c4, indices: randomIndices(c4.length, 4, r), sparsity: 'blocks', block: [4, 1] });
    const c14 = blockPositionsAscending([4, 4, 2, 5], 1, 4, [0, 3, 7, 9, 12, 30, 39]);
    tensors.set('encoder.1.conv.weight', { encoding: 'sparse', shape: [4, 4, 2, 5], positions: c14, values: randn(c14.length, r), sparsity: 'blocks', block: [1, 4] });
    const t8 = blockPositionsAscending([16, 4, 1, 3], 8, 1, [0, 5, 11, 14, 23]);
    tensors.set('conv1_t_1.conv1.weight', { encoding: 'kmeans', shape: [16, 4, 1, 3], codebook: f16RoundArray(randn(3, r)), codebookDtype: 'f16', positions: t8, indices: randomIndices(t8.length, 3, r), sparsity: 'blocks', block: [8, 1] });
    const p4 = blockPositionsAscending([8, 12, 1], 4, 1, [2, 13, 20]);
    tensors.set('tcm.0.0.conv_in.weight', { encoding: 'sparse', shape: [8, 12, 1], valuesDtype: 'f16', positions: p4, values: f16RoundArray(randn(p4.length, r)), sparsity: 'blocks', block: [4, 1] });
    const file = writeHush({ config: { arch: 'fdnn', hparams: {} }, tensors });
    expect(readHush(file).versionMinor).toBe(2);
    fuzzAgainst('conv blocks 1.2', file, 0xc0b10c, CONV_BLOCK_CASES);
  });
});
