/**
 * Execution plans (chosen inside WASM: assembly/nets/plan.ts) and model binding (assembly/nets/binder.ts):
 * ids shared with the WASM side, which form each choice picks per encoding, memory footprint per mode,
 * that the binder accepts exactly the tensors of each architecture's description, and the errors a bad
 * model gets.
 */
import { describe, expect, it } from 'vitest';
import { writeHush, HushFormatError, type HushTensor } from '../../src/format/index.js';
import { ARCH_NAMES, countMacsPerFrame, paramSpecs, presetConfig, shapeSize, type ArchConfig } from '../../src/models/index.js';
import { UserError } from '../../src/errors.js';
import { Enhancer } from '../../runtime/core/enhancer.js';
import { CONV_FORM_IDS, MAT_FORM_IDS, PLAN_IDS, type PlanChoice } from '../../runtime/core/plan.js';
import { hushModelInfo } from '../../runtime/core/hushInfo.js';
import { encodeModel, testWeights, VARIANTS, type Encoding } from './models.js';
import { enhancerFor } from './harness.js';
import { runtimeWasm } from './wasm.js';

describe('plan ids', () => {
  it('MAT_*, CONV_*, PLAN_* and NETS_E_* agree with the WASM build', async () => {
    const wasm = await runtimeWasm('simd');
    const g = (n: string) => (wasm[n] as WebAssembly.Global).value as number;
    expect(g('MAT_DENSE')).toBe(MAT_FORM_IDS.dense);
    expect(g('MAT_SPARSE')).toBe(MAT_FORM_IDS.sparse);
    expect(g('MAT_COLUMNS')).toBe(MAT_FORM_IDS.columns);
    expect(g('MAT_CODEBOOK')).toBe(MAT_FORM_IDS.codebook);
    expect(g('MAT_CODEBOOK_SPARSE')).toBe(MAT_FORM_IDS['codebook-sparse']);
    expect(g('MAT_MPO')).toBe(MAT_FORM_IDS.mpo);
    expect(g('MAT_BLOCK')).toBe(MAT_FORM_IDS.block);
    expect([g('CONV_DENSE'), g('CONV_SPARSE'), g('CONV_CODEBOOK_SPARSE'), g('CONV_BLOCK')]).toEqual([CONV_FORM_IDS.dense, CONV_FORM_IDS.sparse, CONV_FORM_IDS['codebook-sparse'], CONV_FORM_IDS.block]);
    expect([g('PLAN_AUTO'), g('PLAN_FAST'), g('PLAN_COMPACT')]).toEqual([PLAN_IDS.auto, PLAN_IDS.fast, PLAN_IDS.compact]);
    expect([g('NETS_E_MEMORY'), g('NETS_E_DECODE'), g('NETS_E_FORM'), g('NETS_E_SHAPE'), g('NETS_E_SCRATCH')]).toEqual([1, 2, 3, 4, 5]);
  });
});

/** Form → count over the planned matrices and conv kernels of a tiny model in one encoding (the cost model's 'auto': nothing measured). */
async function forms(arch: 'fdnn' | 'gcrn' | 'tcnn', encoding: Encoding, flavor: 'simd' | 'scalar', plan: PlanChoice): Promise<Record<string, number>> {
  const e = await enhancerFor(encodeModel(presetConfig(arch, 'tiny'), encoding).hush, flavor, plan, { planBudgetMs: 0 });
  const f: Record<string, number> = {};
  for (const t of e.tensors) if (e.plan.mats.has(t.name) || t.form.startsWith('conv-')) f[t.form] = (f[t.form] ?? 0) + 1;
  return f;
}

describe('form choice per encoding (tiny models; the cost table is in assembly/nets/plan.ts)', () => {
  it('dense tensors are dense in every plan, matrices and conv kernels alike', async () => {
    for (const c of ['auto', 'fast', 'compact'] as const) {
      expect(await forms('fdnn', 'f16', 'simd', c)).toEqual({ dense: 2 });
      expect(await forms('gcrn', 'f32', 'scalar', c)).toEqual({ dense: 10 });
    }
  });
  it('k-means: fast decodes, compact keeps the codebook, auto takes the faster (dense on these kernels)', async () => {
    expect(await forms('fdnn', 'kmeans', 'simd', 'fast')).toEqual({ dense: 2 });
    expect(await forms('fdnn', 'kmeans', 'simd', 'compact')).toEqual({ codebook: 2 });
    expect(await forms('fdnn', 'kmeans', 'simd', 'auto')).toEqual({ dense: 2 });
  });
  it('pruned k-means (15 % kept): compact keeps codebook + bitmap; fast is SELL-4 only where it beats dense (scalar, not SIMD)', async () => {
    expect(await forms('fdnn', 'kmeans-pruned', 'simd', 'compact')).toEqual({ 'codebook-sparse': 2 });
    expect(await forms('fdnn', 'kmeans-pruned', 'scalar', 'fast')).toEqual({ sparse: 2 });
    expect(await forms('fdnn', 'kmeans-pruned', 'simd', 'fast')).toEqual({ dense: 2 });
    expect(await forms('fdnn', 'pruned', 'simd', 'fast')).toEqual({ sparse: 2 });
  });
  it('column-pruned (groups on axis 1): compacted columns', async () => {
    expect(await forms('fdnn', 'pruned-columns', 'simd', 'fast')).toEqual({ columns: 2 });
    expect(await forms('fdnn', 'kmeans-columns', 'simd', 'auto')).toEqual({ columns: 2 });
  });
  it('MPO: contracted in fast mode, core by core in compact', async () => {
    expect(await forms('fdnn', 'mpo', 'simd', 'fast')).toEqual({ dense: 2 });
    expect(await forms('fdnn', 'mpo', 'simd', 'compact')).toEqual({ mpo: 2 });
  });
  it('pruned conv kernels run sparse (GCRN pairs, TCNN encoder/decoder); k-means ones keep indices in compact', async () => {
    expect((await forms('gcrn', 'pruned', 'simd', 'fast'))['conv-sparse']).toBe(25); // 5 encoder pairs + 20 decoder kernels
    expect((await forms('tcnn', 'pruned', 'scalar', 'auto'))['conv-sparse']).toBe(12);
    expect(await forms('tcnn', 'kmeans-pruned', 'simd', 'compact')).toEqual({ 'conv-codebook-sparse': 12, 'codebook-sparse': 4 });
    expect(await forms('gcrn', 'kmeans-pruned', 'simd', 'compact')).toEqual({ 'conv-codebook-sparse': 25, 'codebook-sparse': 10 });
  });
});

describe('block-pruned conv kernels (assembly/nn/conv-block.ts): the block form where it beats the per-bin sparse lists', () => {
  // channels the blocks tile and deep layers of few bins (GCRN's widths 161 → 80 → 39 → 19 → 9 → 4)
  const config: ArchConfig = {
    arch: 'gcrn',
    hparams: { enc_channels: [8, 8, 16, 32, 96], dec_channels: [32, 16, 8, 8, 1], kernel_bins: 3, stride_bins: 2, lstm_groups: 2, lstm_layers: 1 },
  };
  const formsOf = async (flavor: 'simd' | 'scalar', plan: PlanChoice) => {
    const e = await enhancerFor(encodeModel(config, 'blocks').hush, flavor, plan, { planBudgetMs: 0 });
    return e.tensors.filter((t) => t.form.startsWith('conv-'));
  };
  it('SIMD: the deep 4-bin encoder pair and decoders take blocks, the wide outer layers stay sparse; compact = fast (no indexed block form)', async () => {
    for (const plan of ['fast', 'compact'] as const) {
      const f = await formsOf('simd', plan);
      const block = f.filter((t) => t.form === 'conv-block').map((t) => t.name);
      expect(block, plan).toContain('conv5.conv1.weight+conv5.conv2.weight');
      expect(block, plan).toContain('conv5_t_1.conv1.weight');
      expect(f.find((t) => t.name.startsWith('conv1.conv1'))?.form, plan).toBe('conv-sparse'); // 161 → 80 bins, 2 → 8 channels
      expect(f.some((t) => t.form === 'conv-codebook-sparse'), plan).toBe(false);
    }
  });
  it('scalar: no f32x4 to gain, every pruned conv kernel stays sparse', async () => {
    expect((await formsOf('scalar', 'fast')).every((t) => t.form === 'conv-sparse')).toBe(true);
  });
});

/** Every tensor of `config`'s description as f32 (BatchNorms unfolded). */
function describedTensors(config: ArchConfig): Map<string, HushTensor> {
  const t = new Map<string, HushTensor>();
  for (const [n, w] of testWeights(config, 1)) t.set(n, { encoding: 'f32', shape: w.shape, data: w.data });
  return t;
}

/** The same shape with one dimension changed (the last one grown by 1; a scalar becomes [2]). */
function reshapedOf(shape: readonly number[]): number[] {
  return shape.length === 0 ? [2] : [...shape.slice(0, -1), shape[shape.length - 1] + 1];
}

describe('binding by name: the binder accepts exactly the names and shapes of each description (src/models/<arch>Layout.ts)', () => {
  const configs = ARCH_NAMES.flatMap((arch) => [['tiny', presetConfig(arch, 'tiny')], ['variant', VARIANTS[arch]]] as const);
  for (const [label, config] of configs) {
    it(`${config.arch} ${label}: the described set loads with the described MACs; each missing, reshaped or extra tensor is refused by name`, async () => {
      const wasm = await runtimeWasm();
      const specs = paramSpecs(config).filter((s) => !s.name.endsWith('.num_batches_tracked'));
      const all = describedTensors(config);
      expect([...all.keys()].sort()).toEqual(specs.map((s) => s.name).sort());
      const ok = Enhancer.create(wasm, writeHush({ config, tensors: all }));
      expect(ok.params).toBe(specs.filter((s) => !s.buffer).reduce((n, s) => n + shapeSize(s.shape), 0));
      // dense weights: the binder's MAC count (assembly/nets/plan.ts) is the description's executed count
      expect(ok.macsPerHop).toBe(countMacsPerFrame(config, undefined, 'executed'));
      for (const s of specs) {
        const missing = new Map(all);
        missing.delete(s.name);
        const esc = s.name.replace(/\./g, '\\.');
        expect(() => Enhancer.create(wasm, writeHush({ config, tensors: missing })), s.name).toThrow(new RegExp(`tensor ${esc} \\(shape \\[${s.shape.join(', ')}\\]\\) is missing`));
        const shape = reshapedOf(s.shape);
        const reshaped = new Map(all);
        reshaped.set(s.name, { encoding: 'f32', shape, data: new Float32Array(shapeSize(shape)).fill(0.5) });
        expect(() => Enhancer.create(wasm, writeHush({ config, tensors: reshaped })), s.name).toThrow(new RegExp(`tensor ${esc} has shape \\[${shape.join(', ')}\\], the hyper-parameters give \\[${s.shape.join(', ')}\\]`));
      }
      const extra = new Map(all);
      extra.set('notes.é✓', { encoding: 'f32', shape: [2], data: new Float32Array([1, 2]) });
      expect(() => Enhancer.create(wasm, writeHush({ config, tensors: extra }))).toThrow(/tensor notes\.é✓ is not part of the net/);
    });
  }
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
    const inCache = Enhancer.create(await runtimeWasm(), m.hush, { planBudgetMs: 0 });
    expect(inCache.plan.memoryBound).toBe(false);
    expect(inCache.tensors.filter((t) => inCache.plan.mats.has(t.name)).map((t) => t.form)).toEqual(['dense', 'dense']);
    const streaming = Enhancer.create(await runtimeWasm(), m.hush, { cacheBytes: 1024, planBudgetMs: 0 });
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

  it('reads the table without decoding payloads; non-ASCII names survive', async () => {
    const config = presetConfig('fdnn', 'tiny');
    const tensors = new Map<string, HushTensor>();
    for (const [n, w] of testWeights(config, 1)) tensors.set(n, { encoding: 'f32', shape: w.shape, data: w.data });
    tensors.set('notes.é✓𝄞', { encoding: 'f32', shape: [2], data: new Float32Array([1, 2]) });
    const bytes = writeHush({ config, tensors });
    const info = hushModelInfo(bytes);
    expect([...info.tensors.keys()]).toEqual([...tensors.keys()]);
    expect(info.config).toEqual(config);
    tensors.delete('notes.é✓𝄞');
    expect(Enhancer.create(await runtimeWasm(), writeHush({ config, tensors })).config).toEqual(config);
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
    const deep = { arch: 'fdnn' as const, hparams: { hidden_units: 16 } }; // a number where a list belongs
    await expect(async () => Enhancer.create(await runtimeWasm(), writeHush({ config: deep, tensors: tensors() }))).rejects.toThrow(/hyper-parameter 'hidden_units' must be a non-empty list of integers ≥ 1/);
    // the GCRN's optional complex_mask: 0 or 1 only
    const gcrn = presetConfig('gcrn', 'tiny');
    const gcrnTensors = new Map<string, HushTensor>();
    for (const [n, w] of testWeights(gcrn, 1)) gcrnTensors.set(n, { encoding: 'f32', shape: w.shape, data: w.data });
    const badMask = { arch: 'gcrn' as const, hparams: { ...gcrn.hparams, complex_mask: 2 } };
    await expect(async () => Enhancer.create(await runtimeWasm(), writeHush({ config: badMask, tensors: gcrnTensors }))).rejects.toThrow(/hyper-parameter 'complex_mask' must be 0 or 1, got 2/);
  });
});
