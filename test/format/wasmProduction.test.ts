/**
 * The shipped modules (build/hush-{simd,scalar}.wasm from `npm run build:wasm`) read `.hush` files
 * through src/format/wasmReader.ts exactly like the test build: same tensors, same messages.
 * Skipped when the builds are missing.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadHushWasm } from '../../runtime/node/wasmFile.js';
import { hushWasmDecode, hushWasmOpen, type HushFormatExports } from '../../src/format/wasmReader.js';
import { HushFormatError } from '../../src/format/message.js';
import { readHush } from '../../src/format/reader.js';
import { writeHush } from '../../src/format/writer.js';
import { hushTensorDense } from '../../src/format/tensor.js';
import { fixtureModel, tableOrder } from './fixture.js';
import { hushMutations } from './mutate.js';

const built = (f: string) => existsSync(fileURLToPath(new URL(`../../build/hush-${f}.wasm`, import.meta.url)));

for (const flavor of ['simd', 'scalar'] as const) {
  describe.skipIf(!built(flavor))(`build/hush-${flavor}.wasm reader`, () => {
    const bytes = writeHush(fixtureModel());
    const ts = readHush(bytes);

    it('decodes every tensor like the TS reference', async () => {
      const wasm = (await loadHushWasm(flavor)) as unknown as HushFormatExports;
      const file = hushWasmOpen(wasm, bytes, 'fixture.hush');
      const ref = tableOrder(ts.tensors);
      ts.entries.forEach((e, i) => {
        expect(Array.from(new Uint32Array(hushWasmDecode(wasm, file, i).buffer)), e.name).toEqual(Array.from(new Uint32Array(hushTensorDense(ref[i]).buffer)));
      });
    });

    it('rejects corrupt files with the TS reader\'s message', async () => {
      const wasm = (await loadHushWasm(flavor)) as unknown as HushFormatExports & { memReset(): void };
      let n = 0;
      for (const m of hushMutations(bytes, 77, 3000)) {
        wasm.memReset();
        let tsMsg = 'ok';
        let wasmMsg = 'ok';
        try {
          readHush(m.bytes, 'm.hush');
        } catch (err) {
          tsMsg = (err as Error).message;
        }
        try {
          hushWasmOpen(wasm, m.bytes, 'm.hush');
        } catch (err) {
          expect(err).toBeInstanceOf(HushFormatError);
          wasmMsg = (err as Error).message;
        }
        if (wasmMsg !== tsMsg) expect(`${m.kind}: ${wasmMsg}`).toBe(`${m.kind}: ${tsMsg}`);
        n++;
      }
      expect(n).toBe(3000);
    });
  });
}
