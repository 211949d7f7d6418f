/**
 * Format 1.1 (docs/format.md "Task and outputs"): separation models carry task = separate, their
 * output count and their 8-kHz signal path; enhancement files stay 1.0 byte for byte; both readers
 * reject an unknown task, a bad output count and an architecture of the other task with the same
 * error record; the separation exporter writes a safetensors checkpoint dense or k-means.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readHush } from '../../src/format/reader.js';
import { writeSafetensors } from '../../src/format/safetensors.js';
import { hushTensorDense } from '../../src/format/tensor.js';
import { hushValidate } from '../../src/format/validate.js';
import { hushErrorMessage } from '../../src/format/message.js';
import { hushResign, writeHush } from '../../src/format/writer.js';
import type { HushTensor } from '../../src/format/tensor.js';
import * as S from '../../src/format/spec.js';
import { separationCheckpointToHush, separationHushModel } from '../../src/compress/separationExport.js';
import { separationConfigFromHush, separationHushConfig } from '../../src/models/separation/hushConfig.js';
import { layoutMacsPerFrame, layoutParamCount, separationLayout, type SeparationConfig } from '../../src/models/separation/net.js';
import { inspectHush } from '../../src/models/inspect.js';
import { CONV_TASNET_TINY, UPIT_LSTM_TINY } from '../../src/models/separation/presets.js';
import { shapeSize } from '../../src/models/paramSpec.js';
import { fixtureModel, randn, rng } from './fixture.js';
import { loadFormatTestWasm } from './wasmBuild.js';
import { formatWasmOpen, formatWasmSetup, type FormatWasm } from './wasmHarness.js';

const TASNET: SeparationConfig = { arch: 'conv-tasnet', hp: { ...CONV_TASNET_TINY } };
const UPIT: SeparationConfig = { arch: 'upit-lstm', hp: { ...UPIT_LSTM_TINY } };

/** Random weights with the layout's names and shapes. */
function randomWeights(config: SeparationConfig, seed: number): Map<string, { shape: number[]; data: Float32Array }> {
  const r = rng(seed);
  return new Map(separationLayout(config).params.map((p) => [p.name, { shape: [...p.shape], data: randn(shapeSize(p.shape), r, 0.3) }]));
}

/** Copy of `bytes` with u32 `value` at model-section byte `at`, checksums redone. */
function withModelWord(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const out = bytes.slice();
  const v = new DataView(out.buffer);
  v.setUint32(v.getUint32(S.HDR_MODEL_AT, true) + at, value, true);
  hushResign(out);
  return out;
}

describe('format 1.1: task and outputs', () => {
  let w: FormatWasm;
  beforeAll(async () => {
    w = formatWasmSetup(await loadFormatTestWasm(), 1 << 20, 1 << 16);
  });

  it('a Conv-TasNet file is 1.1, task separate, 2 outputs, 8 kHz framing L / L/2, and round-trips byte for byte', () => {
    const bytes = writeHush(separationHushModel(TASNET, randomWeights(TASNET, 1), { kind: 'f32' }));
    const f = readHush(bytes, 'tasnet.hush');
    expect([f.versionMajor, f.versionMinor]).toEqual([1, 1]);
    expect(f.task).toBe('separate');
    expect(f.outputCount).toBe(2);
    expect(f.config).toEqual(separationHushConfig(TASNET));
    expect(separationConfigFromHush(f.config as never)).toEqual(TASNET);
    expect(f.signal).toEqual({ sampleRateHz: 8000, windowSamples: 16, hopSamples: 8, fftSize: 16, window: 'rectangular' });
    expect(writeHush({ config: f.config, signal: f.signal, metadata: f.metadata, tensors: f.tensors })).toEqual(bytes);
    const { code } = formatWasmOpen(w, bytes);
    expect(code).toBe(S.HUSH_OK);
    expect(w.exports.hushArch(w.state)).toBe(S.HUSH_ARCH_CONV_TASNET);
    expect(w.exports.hushTask(w.state)).toBe(S.HUSH_TASK_SEPARATE);
    expect(w.exports.hushOutputCount(w.state)).toBe(2);
    expect(w.exports.hushSampleRate(w.state)).toBe(8000);
  });

  it('a uPIT-LSTM file carries its STFT (periodic Hamming 160 / 80 at 8 kHz for 81 bins)', () => {
    const bytes = writeHush(separationHushModel(UPIT, randomWeights(UPIT, 2), { kind: 'kmeans', k: 16 }));
    const f = readHush(bytes, 'upit.hush');
    expect(f.config.arch).toBe('upit-lstm');
    expect(f.signal).toEqual({ sampleRateHz: 8000, windowSamples: 160, hopSamples: 80, fftSize: 160, window: 'hamming-periodic' });
    expect(separationConfigFromHush(f.config as never)).toEqual(UPIT);
    expect(formatWasmOpen(w, bytes).code).toBe(S.HUSH_OK);
    expect(w.exports.hushArch(w.state)).toBe(S.HUSH_ARCH_UPIT_LSTM);
  });

  it('an enhancement model is still written as 1.0 with task and output count 0 (one output)', () => {
    // the fixture without its block-sparse tensors (those alone make a file 1.2: test/format/blocks*)
    const model = fixtureModel();
    const tensors = new Map([...(model.tensors as Map<string, HushTensor>)].filter(([, t]) => !('sparsity' in t && t.sparsity === 'blocks')));
    const bytes = writeHush({ ...model, tensors });
    const f = readHush(bytes);
    expect([f.versionMajor, f.versionMinor]).toEqual([1, 0]);
    expect([f.task, f.outputCount]).toEqual(['enhance', 1]);
    const m = new DataView(bytes.buffer).getUint32(S.HDR_MODEL_AT, true);
    expect([...bytes.subarray(m + S.MODEL_TASK_AT, m + S.HUSH_MODEL_FIXED_BYTES)]).toEqual(new Array(12).fill(0));
    expect(formatWasmOpen(w, bytes).code).toBe(S.HUSH_OK);
    expect([w.exports.hushTask(w.state), w.exports.hushOutputCount(w.state)]).toEqual([S.HUSH_TASK_ENHANCE, 1]);
  });

  const sep = () => writeHush(separationHushModel(TASNET, randomWeights(TASNET, 3), { kind: 'f32' }));
  const cases: [string, () => Uint8Array, number, RegExp][] = [
    ['an unknown task', () => withModelWord(sep(), S.MODEL_TASK_AT, 2), S.HUSH_E_TASK, /model section: unknown task 2 \(file format minor version 1\); a newer hushpack may read it/],
    ['one output for separation', () => withModelWord(sep(), S.MODEL_OUTPUT_COUNT_AT, 1), S.HUSH_E_OUTPUT_COUNT, /1 outputs for task 1: .* a separation model 2\.\.8/],
    ['nine outputs', () => withModelWord(sep(), S.MODEL_OUTPUT_COUNT_AT, 9), S.HUSH_E_OUTPUT_COUNT, /9 outputs for task 1/],
    ['an output count on an enhancement file', () => withModelWord(writeHush(fixtureModel()), S.MODEL_OUTPUT_COUNT_AT, 2), S.HUSH_E_OUTPUT_COUNT, /2 outputs for task 0: an enhancement model stores 0/],
    ['a separation arch with task enhance', () => withModelWord(withModelWord(sep(), S.MODEL_TASK_AT, 0), S.MODEL_OUTPUT_COUNT_AT, 0), S.HUSH_E_ARCH_TASK, /architecture 5 does not do task 0/],
    ['an enhancement arch with task separate', () => withModelWord(withModelWord(writeHush(fixtureModel()), S.MODEL_TASK_AT, 1), S.MODEL_OUTPUT_COUNT_AT, 2), S.HUSH_E_ARCH_TASK, /architecture 4 does not do task 1/],
    ['the last reserved word set', () => withModelWord(sep(), S.MODEL_RESERVED_AT, 1), S.HUSH_E_RESERVED, /reserved field/],
  ];
  for (const [what, make, code, message] of cases) {
    it(`rejects ${what} with the same record in TS and WASM`, () => {
      const bytes = make();
      const ts = hushValidate(bytes);
      expect(ts.ok).toBe(false);
      if (ts.ok) return;
      expect(ts.error.code).toBe(code);
      expect(hushErrorMessage(bytes, ts.error, 'm.hush')).toMatch(message);
      expect(() => readHush(bytes, 'm.hush')).toThrow(message);
      expect(formatWasmOpen(w, bytes).record).toEqual(ts.error);
    });
  }

  it('hushpack inspect counts a separation file against its layout (parameters, MACs per 4 s at its own hop)', () => {
    const bytes = writeHush(separationHushModel(TASNET, randomWeights(TASNET, 9), { kind: 'kmeans', k: 8 }));
    const r = inspectHush(bytes, 'tasnet.hush');
    expect(r.version).toBe('1.1');
    expect(r.warnings).toEqual([]);
    const layout = separationLayout(TASNET);
    expect(r.totals.parametersFrom).toBe('config');
    expect(r.totals.parameters).toBe(layoutParamCount(layout));
    // 4 s at 8 kHz = 4000 encoder frames of L/2 = 8 samples; k-means keeps every weight, so pruned = dense
    expect(r.totals.denseMacsPer4s).toBe(4000 * layoutMacsPerFrame(layout));
    expect(r.totals.macsPer4s).toBe(r.totals.denseMacsPer4s);
  });

  it('the writer refuses a separation model without its signal path or with fewer than 2 speakers', () => {
    const m = separationHushModel(TASNET, randomWeights(TASNET, 4), { kind: 'f32' });
    expect(() => writeHush({ ...m, signal: undefined })).toThrow(/needs its whole signal path; missing sampleRateHz/);
    expect(() => writeHush({ ...m, config: { ...m.config, hparams: { ...m.config.hparams, speakers: 1 } } })).toThrow(/speakers = 1 must be an integer in 2\.\.8/);
  });
});

describe('separation exporter: safetensors checkpoint → .hush', () => {
  for (const config of [TASNET, UPIT]) {
    it(`${config.arch}: dense f32 decodes to the checkpoint exactly; k-means K = 8 quantises the weights, keeps biases, norms and slopes dense`, () => {
      const weights = randomWeights(config, 5);
      const ckpt = writeSafetensors(weights, { config: JSON.stringify(config), preset: 'tiny' });
      const dense = readHush(separationCheckpointToHush(ckpt, 'ckpt.safetensors', { kind: 'f32' }), 'dense.hush');
      expect(dense.metadata.preset).toBe('tiny');
      expect([...dense.tensors.keys()]).toEqual([...weights.keys()]);
      for (const [name, t] of dense.tensors) expect(hushTensorDense(t)).toEqual(weights.get(name)!.data);
      const q = readHush(separationCheckpointToHush(ckpt, 'ckpt.safetensors', { kind: 'kmeans', k: 8 }), 'q.hush');
      const specs = new Map(separationLayout(config).params.map((p) => [p.name, p]));
      let quantised = 0;
      for (const [name, t] of q.tensors) {
        const kind = specs.get(name)!.kind;
        if (['conv', 'deconv', 'linear', 'lstm_ih', 'lstm_hh'].includes(kind)) {
          expect(t.encoding, name).toBe('kmeans');
          if (t.encoding === 'kmeans') expect(t.codebook.length).toBeLessThanOrEqual(8);
          quantised++;
        } else {
          expect(t.encoding, name).toBe('f32');
          expect(hushTensorDense(t)).toEqual(weights.get(name)!.data);
        }
      }
      expect(quantised).toBeGreaterThan(2);
      expect(q.fileBytes).toBeLessThan(dense.fileBytes);
    });
  }

  it('refuses a checkpoint whose tensors are not the layout’s, or with no separation config', () => {
    const weights = randomWeights(TASNET, 6);
    weights.set('extra.weight', { shape: [1], data: new Float32Array(1) });
    expect(() => separationCheckpointToHush(writeSafetensors(weights, { config: JSON.stringify(TASNET) }), 'x', { kind: 'f32' })).toThrow(/1 tensor\(s\) not in the layout, e.g. extra.weight/);
    weights.delete('extra.weight');
    weights.delete('masker.mask_net.1.bias');
    expect(() => separationCheckpointToHush(writeSafetensors(weights, { config: JSON.stringify(TASNET) }), 'x', { kind: 'f32' })).toThrow(/masker.mask_net.1.bias missing/);
    expect(() => separationCheckpointToHush(writeSafetensors(randomWeights(TASNET, 7), { config: JSON.stringify({ arch: 'lstm', hparams: {} }) }), 'x', { kind: 'f32' })).toThrow(/no separation architecture/);
  });
});
