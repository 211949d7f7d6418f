/**
 * Execution plans (runtime/core/plan.ts) and model loading: ids shared with the WASM side, which
 * form each choice picks, memory footprint per mode, and the errors a bad model gets.
 */
import { describe, expect, it } from 'vitest';
import { writeHush, HushFormatError, type HushTensor } from '../../src/format/index.js';
import { presetConfig } from '../../src/models/index.js';
import { UserError } from '../../src/errors.js';
import { Enhancer } from '../../runtime/core/enhancer.js';
import { convFormChoose, convOptions, MAT_FORM_IDS, matFormChoose, matOptions, modelPlan, type MatForm } from '../../runtime/core/plan.js';
import { hushModelInfo, type HushTensorInfo } from '../../runtime/core/hush-info.js';
import { encodeModel, testWeights } from './models.js';
import { enhancerFor } from './harness.js';
import { runtimeWasm } from './wasm.js';

/** A table entry for matOptions. */
function info(over: Partial<HushTensorInfo>): HushTensorInfo {
  const shape = over.shape ?? [512, 512];
  const count = shape.reduce((a, b) => a * b, 1);
  return {
    index: 0, name: 'w', encoding: 'f32', shape, count, flags: 0, k: 0, bits: 0, sparsity: null, groupAxis: null,
    stored: count, payloadBytes: 4 * count, cores: [], ...over,
  };
}

describe('plan ids', () => {
  it('MAT_* and NETS_E_* agree with the WASM build', async () => {
    const wasm = await runtimeWasm('simd');
    const g = (n: string) => (wasm[n] as WebAssembly.Global).value as number;
    expect(g('MAT_DENSE')).toBe(MAT_FORM_IDS.dense);
    expect(g('MAT_SPARSE')).toBe(MAT_FORM_IDS.sparse);
    expect(g('MAT_COLUMNS')).toBe(MAT_FORM_IDS.columns);
    expect(g('MAT_CODEBOOK')).toBe(MAT_FORM_IDS.codebook);
    expect(g('MAT_CODEBOOK_SPARSE')).toBe(MAT_FORM_IDS['codebook-sparse']);
    expect(g('MAT_MPO')).toBe(MAT_FORM_IDS.mpo);
    expect([g('NETS_E_MEMORY'), g('NETS_E_DECODE'), g('NETS_E_FORM'), g('NETS_E_SHAPE'), g('NETS_E_SCRATCH')]).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('conv kernel forms', () => {
  const conv = (over: Partial<HushTensorInfo>) => info({ shape: [64, 32, 1, 3], ...over });
  it('a dense (or unpruned k-means) conv kernel is never sparse', () => {
    for (const flavor of ['simd', 'scalar'] as const) {
      expect(convOptions(conv({}), 9, flavor).map((o) => o.form)).toEqual(['dense']);
      expect(convOptions(conv({ encoding: 'kmeans', k: 16, bits: 4, sparsity: 'none' }), 9, flavor).map((o) => o.form)).toEqual(['dense']);
    }
  });
  it('pruned to 25 % it runs sparse; kept at 90 % it stays dense', () => {
    const count = 64 * 32 * 3;
    for (const flavor of ['simd', 'scalar'] as const) {
      expect(convOptions(conv({ encoding: 'sparse', sparsity: 'bitmap', stored: 0.25 * count }), 9, flavor)[0].form).toBe('sparse');
      expect(convOptions(conv({ encoding: 'kmeans', k: 8, bits: 3, sparsity: 'delta', stored: 0.9 * count }), 9, flavor)[0].form).toBe('dense');
    }
  });
  it('pruned k-means: fast keeps f32 taps, compact and auto the codebook indices (K ≤ 128 only)', () => {
    const count = 64 * 32 * 3;
    const km = (k: number) => conv({ encoding: 'kmeans', k, bits: Math.ceil(Math.log2(k)), sparsity: 'bitmap', stored: 0.25 * count });
    for (const flavor of ['simd', 'scalar'] as const) {
      const o = convOptions(km(8), 9, flavor);
      expect(convFormChoose(o, 'fast').form).toBe('sparse');
      expect(convFormChoose(o, 'compact').form).toBe('codebook-sparse');
      expect(convFormChoose(o, 'auto').form).toBe('codebook-sparse'); // within 20 %, half the bytes
      const big = convOptions(km(256), 9, flavor);
      expect(big.map((x) => x.form)).not.toContain('codebook-sparse');
      expect(convFormChoose(big, 'compact').form).toBe('sparse');
      // an unpruned k-means kernel stays dense in every plan
      const full = convOptions(conv({ encoding: 'kmeans', k: 8, bits: 3, sparsity: 'none' }), 9, flavor);
      for (const c of ['auto', 'fast', 'compact'] as const) expect(convFormChoose(full, c).form).toBe('dense');
    }
  });
  it('modelPlan plans every 2-D conv kernel of GCRN and TCNN; f32 models keep them dense', () => {
    for (const arch of ['gcrn', 'tcnn'] as const) {
      const f32 = modelPlan(hushModelInfo(encodeModel(presetConfig(arch, 'tiny'), 'f32').hush), 'auto', 'simd');
      const pruned = modelPlan(hushModelInfo(encodeModel(presetConfig(arch, 'tiny'), 'pruned').hush), 'fast', 'simd');
      expect(f32.convs.size).toBe(arch === 'gcrn' ? 30 : 12);
      expect([...f32.convs.values()].every((c) => c.form === 'dense')).toBe(true);
      expect([...pruned.convs.values()].every((c) => c.form === 'sparse')).toBe(true); // 15 % kept
    }
  });
});

describe('form choice per tensor', () => {
  const pick = (t: HushTensorInfo, choice: 'auto' | 'fast' | 'compact', flavor: 'simd' | 'scalar' = 'simd'): MatForm =>
    matFormChoose(matOptions(t, flavor), choice).form;

  it('dense tensors are dense in every plan', () => {
    for (const c of ['auto', 'fast', 'compact'] as const) expect(pick(info({}), c)).toBe('dense');
  });
  it('k-means: fast decodes, compact keeps the codebook, auto takes the faster (dense on these kernels)', () => {
    const t = info({ encoding: 'kmeans', k: 16, bits: 4, sparsity: 'none' });
    expect(pick(t, 'fast')).toBe('dense');
    expect(pick(t, 'compact')).toBe('codebook');
    expect(pick(t, 'auto')).toBe('dense');
  });
  it('pruned k-means: SELL-4 when sparse enough, codebook + bitmap in compact', () => {
    const sparse = info({ encoding: 'kmeans', k: 32, bits: 5, sparsity: 'bitmap', stored: 0.1 * 512 * 512 });
    expect(pick(sparse, 'fast')).toBe('sparse');
    expect(pick(sparse, 'compact')).toBe('codebook-sparse');
    const some = info({ encoding: 'sparse', sparsity: 'bitmap', stored: 0.4 * 512 * 512 });
    expect(pick(some, 'fast')).toBe('dense'); // SELL-4 is slower than SIMD dense at 60 % sparsity
    expect(pick(some, 'fast', 'scalar')).toBe('sparse'); // … but faster than scalar dense
  });
  it('column-pruned (groups on axis 1): compacted columns', () => {
    const t = info({ encoding: 'sparse', sparsity: 'groups', groupAxis: 1, stored: 512 * 200 });
    expect(pick(t, 'fast')).toBe('columns');
    expect(pick(t, 'auto')).toBe('columns');
  });
  it('when the weights stream from DRAM, auto keeps ≤ 5-bit codebooks (near-equal time, 8× fewer bytes)', () => {
    const t4 = info({ encoding: 'kmeans', k: 16, bits: 4, sparsity: 'none', shape: [2048, 2048] });
    const t8 = info({ encoding: 'kmeans', k: 256, bits: 8, sparsity: 'none', shape: [2048, 2048] });
    expect(matFormChoose(matOptions(t4, 'simd', false), 'auto').form).toBe('dense');
    expect(matFormChoose(matOptions(t4, 'simd', true), 'auto').form).toBe('codebook');
    expect(matFormChoose(matOptions(t8, 'simd', true), 'auto').form).toBe('dense');
  });

  it('MPO: contracted in fast mode, core by core in compact; auto by cost', () => {
    const cheap = info({ encoding: 'mpo', cores: [[1, 16, 16, 4], [4, 32, 32, 1]], stored: 1024 + 4096 });
    expect(pick(cheap, 'fast')).toBe('dense');
    expect(pick(cheap, 'compact')).toBe('mpo');
    expect(pick(cheap, 'auto')).toBe('mpo'); // 40 k MACs against 262 k
    const costly = info({ encoding: 'mpo', cores: [[1, 16, 16, 64], [64, 32, 32, 1]], stored: 16384 + 65536 });
    expect(pick(costly, 'auto')).toBe('dense');
  });
});

describe('loading', () => {
  it('compact mode of a k-means model uses less memory than fast mode; the parts add up', async () => {
    for (const arch of ['fdnn', 'lstm', 'tcnn', 'gcrn'] as const) {
      const m = encodeModel(presetConfig(arch, 'tiny'), 'kmeans-pruned');
      const fast = await enhancerFor(m.hush, 'simd', 'fast');
      const compact = await enhancerFor(m.hush, 'simd', 'compact');
      for (const e of [fast, compact]) {
        const mem = e.memory;
        expect(mem.fileBytes + mem.weightsBytes + mem.stateBytes + mem.scratchBytes).toBe(mem.totalBytes);
        expect(mem.totalBytes).toBe(e.memoryNow().usedBytes);
        expect(mem.fileBytes).toBeGreaterThanOrEqual(m.hush.length);
      }
      expect(compact.memory.weightsBytes, arch).toBeLessThan(fast.memory.weightsBytes);
      expect(compact.memory.totalBytes, arch).toBeLessThan(fast.memory.totalBytes);
      // every planned matrix was loaded in its planned family
      for (const t of compact.tensors) {
        const p = compact.plan.mats.get(t.name);
        if (p) expect(t.form === p.form || (p.form === 'codebook' && t.form === 'codebook-sparse')).toBe(true);
      }
    }
  });

  it('the cache budget decides whether a model is memory-bound', async () => {
    const m = encodeModel(presetConfig('fdnn', 'tiny'), 'kmeans');
    const inCache = Enhancer.create(await runtimeWasm(), m.hush);
    expect(inCache.plan.memoryBound).toBe(false);
    expect(inCache.tensors.filter((t) => inCache.plan.mats.has(t.name)).map((t) => t.form)).toEqual(['dense', 'dense']);
    const streaming = Enhancer.create(await runtimeWasm(), m.hush, { cacheBytes: 1024 });
    expect(streaming.plan.memoryBound).toBe(true);
    expect(streaming.plan.denseMatrixBytes).toBe(4 * (161 * 16 + 16 * 161));
    expect(streaming.tensors.filter((t) => streaming.plan.mats.has(t.name)).map((t) => t.form)).toEqual(['codebook', 'codebook']);
  });

  it('MACs per hop count what runs: nonzeros in sparse forms, every weight in dense ones', async () => {
    const m = encodeModel(presetConfig('fdnn', 'tiny'), 'pruned');
    const fast = await enhancerFor(m.hush, 'simd', 'fast'); // SELL-4: nonzeros only
    const f32 = await enhancerFor(encodeModel(presetConfig('fdnn', 'tiny'), 'f32').hush, 'simd');
    expect(f32.macsPerHop).toBe(161 * 16 + 16 * 161);
    expect(fast.macsPerHop).toBeLessThan(0.2 * f32.macsPerHop);
  });

  it('reads the table without decoding payloads; non-ASCII names survive; extra tensors are ignored', async () => {
    const config = presetConfig('fdnn', 'tiny');
    const tensors = new Map<string, HushTensor>();
    for (const [n, w] of testWeights(config, 1)) tensors.set(n, { encoding: 'f32', shape: w.shape, data: w.data });
    tensors.set('notes.é✓𝄞', { encoding: 'f32', shape: [2], data: new Float32Array([1, 2]) });
    const bytes = writeHush({ config, tensors });
    const info = hushModelInfo(bytes);
    expect([...info.tensors.keys()]).toEqual([...tensors.keys()]);
    expect(info.config).toEqual(config);
    expect(Enhancer.create(await runtimeWasm(), bytes).config).toEqual(config);
  });

  it('refuses invalid files, mismatched tensors, foreign signal paths and unknown plans', async () => {
    const config = presetConfig('fdnn', 'tiny');
    const tensors = (): Map<string, HushTensor> => {
      const t = new Map<string, HushTensor>();
      for (const [n, w] of testWeights(config, 1)) t.set(n, { encoding: 'f32', shape: w.shape, data: w.data });
      return t;
    };
    const good = writeHush({ config, tensors: tensors() });
    await expect(async () => Enhancer.create(await runtimeWasm(), good.subarray(0, 100))).rejects.toThrow(HushFormatError);
    const missing = tensors();
    missing.delete('out.bias');
    await expect(async () => Enhancer.create(await runtimeWasm(), writeHush({ config, tensors: missing }))).rejects.toThrow(/out\.bias.*missing/);
    const wide = { arch: 'fdnn' as const, hparams: { hidden_units: [32] } }; // tensors are for 16 units
    await expect(async () => Enhancer.create(await runtimeWasm(), writeHush({ config: wide, tensors: tensors() }))).rejects.toThrow(/fc1\.weight has shape \[16, 161\].*\[32, 161\]/);
    const slow = writeHush({ config, tensors: tensors(), signal: { sampleRateHz: 8000 } });
    await expect(async () => Enhancer.create(await runtimeWasm(), slow)).rejects.toThrow(UserError);
    await expect(async () => Enhancer.create(await runtimeWasm(), good, { plan: 'turbo' as never })).rejects.toThrow(/unknown plan/);
  });
});
