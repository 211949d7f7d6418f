/**
 * Host side of the WASM nets (assembly/nets/): turns an open, validated `.hush` file into the three
 * objects a net's step function takes — weights (read-only), stream state, per-hop scratch — by
 * resolving tensors by their PyTorch state-dict names and geometry from the file's hyper-parameters
 * with the same functions the libtorch nets use (src/models/<arch>Layout.ts), so that width and depth
 * variants (paper / edge / tiny / anything else) need no code change. Browser-safe.
 *
 * Load order in linear memory (a bump allocator, nothing is freed): the file (hushWasmOpen), the
 * load scratch (ModelPlan.loadScratchBytes), weights, state, then the per-hop scratch, carved out of
 * the load scratch first (assembly/nets/arena.ts).
 */
import { UserError } from '../../src/errors.js';
import { HUSH_TF_BN_FOLDED } from '../../src/format/spec.js';
import type { HushWasmFile } from '../../src/format/wasm-reader.js';
import type { ArchName } from '../../src/models/config.js';
import { fdnnHParams } from '../../src/models/fdnnLayout.js';
import { lstmHParams } from '../../src/models/lstmLayout.js';
import { gcrnDecoderInChannels, gcrnDecoderOutChannels, gcrnHParams } from '../../src/models/gcrnLayout.js';
import { tcnnDecoderInChannels, tcnnDecoderOutChannels, tcnnEncoderInChannels, tcnnHParams } from '../../src/models/tcnnLayout.js';
import type { HushModelInfo, HushTensorInfo } from './hush-info.js';
import { MAT_FORM_IDS, type ConvForm, type MatForm, type ModelPlan } from './plan.js';
import type { HushWasmExports } from './wasm.js';

type Fn = (...args: number[]) => number;

/** The WASM exports of the nets and the .hush reader that the host calls. */
export interface NetsExports extends HushWasmExports {
  netsLoadError: Fn; netsLoadErrorClear: Fn;
  matCreate: Fn; matScratchFloats: Fn; matRows: Fn; matCols: Fn; matKind: Fn; matMacs: Fn;
  arenaBegin: Fn; arenaEnd: Fn;
  tensorCreate: Fn; tensorPairCreate: Fn; tensorSumCreate: Fn; deconvCreate: Fn; convSparseCreate: Fn; convSparseMacs: Fn;
  batchNormCreate: Fn;
  hushTensorDecodeScratchBytes: Fn;
}

/** Names of the step-function family of each architecture in the WASM exports. */
export const NET_EXPORT_PREFIX: Record<ArchName, string> = { fdnn: 'fdnn', lstm: 'lstmNet', tcnn: 'tcnn', gcrn: 'gcrn' };

/** Throws unless `wasm` exports everything the nets need (a build older than the runtime). */
export function assertNetsExports(wasm: HushWasmExports, arch: ArchName): asserts wasm is NetsExports {
  const p = NET_EXPORT_PREFIX[arch];
  for (const name of ['matCreate', 'arenaBegin', 'tensorCreate', 'batchNormCreate', 'hushOpen', `${p}Step`, `${p}StateCreate`, `${p}ScratchCreate`, `${p}Reset`, `${p}LatencySamples`]) {
    if (typeof wasm[name] !== 'function') throw new Error(`hushpack wasm: missing export ${name}; rebuild with \`npm run build:wasm\``);
  }
}

/** Why a WASM load function failed (assembly/nets/mat.ts NETS_E_*). */
const LOAD_ERRORS: Record<number, string> = {
  1: 'out of WASM memory',
  2: 'the .hush decoder refused it',
  3: 'its encoding does not allow the planned form',
  4: 'its element count does not match the net geometry',
  5: 'the load scratch block is too small (a hushpack bug)',
};

/** Frequency geometry of a 2-D conv (p1 = padL, p2 = padR) or transposed conv (p1 = pad, p2 = outPad). */
export interface ConvGeometry {
  /** Input bins F. */
  bins: number;
  strideF: number;
  p1: number;
  p2: number;
}

/** A loaded conv kernel: the pointer the net's set function takes and whether it is the sparse form. */
export interface ConvWeights {
  ptr: number;
  sparse: boolean;
}

/** Bytes each loaded tensor added to WASM memory, by name (for reports). */
export type TensorBytes = Map<string, number>;

/** Loads tensors of one open file through the WASM loaders, measuring the memory each adds. */
export class NetLoader {
  readonly tensorBytes: TensorBytes = new Map();
  /** Largest matScratchFloats over the matrices loaded so far. */
  tmpFloats = 0;
  /** Σ multiplications per hop of the matrices loaded, as planned (dense conv MACs are added by the nets). */
  matMacs = 0;
  /** Σ multiplications per hop of the conv kernels loaded in a sparse form (dense ones are added by the Enhancer). */
  sparseConvMacs = 0;
  /** The form each matrix was loaded in (after the WASM loader's own choice, e.g. codebook vs codebook-sparse). */
  readonly forms = new Map<string, MatForm>();
  /** The form each 2-D conv kernel was loaded in. */
  readonly convForms = new Map<string, ConvForm>();

  constructor(
    private readonly ex: NetsExports,
    private readonly file: HushWasmFile,
    readonly info: HushModelInfo,
    readonly plan: ModelPlan,
    private readonly scratch: number,
    private readonly scratchBytes: number,
  ) {}

  /** The tensor's table entry; UserError when absent. */
  tensor(name: string): HushTensorInfo {
    const t = this.info.tensors.get(name);
    if (!t) throw new UserError(`${this.info.config.arch} model: tensor ${name} is missing`);
    return t;
  }

  has(name: string): boolean {
    return this.info.tensors.has(name);
  }

  /** True when the tensor carries HUSH_TF_BN_FOLDED (its BatchNorm was folded into it at export). */
  bnFolded(name: string): boolean {
    return (this.tensor(name).flags & HUSH_TF_BN_FOLDED) !== 0;
  }

  /** Runs one WASM load call, measures its memory, throws naming the tensor when it returns 0. */
  private run(name: string, call: () => number): number {
    this.ex.netsLoadErrorClear();
    const before = this.ex.memUsed();
    const p = call();
    if (p === 0) {
      const code = this.ex.netsLoadError();
      throw new UserError(`${this.info.config.arch} model: cannot load tensor ${name}: ${LOAD_ERRORS[code] ?? `error ${code}`}`);
    }
    this.tensorBytes.set(name, (this.tensorBytes.get(name) ?? 0) + this.ex.memUsed() - before);
    return p;
  }

  /** A matrix in its planned form: the Mat pointer. */
  mat(name: string): number {
    const t = this.tensor(name);
    const plan = this.plan.mats.get(name);
    if (!plan) throw new Error(`hushpack: ${name} has no matrix plan`);
    const p = this.run(name, () => this.ex.matCreate(this.file.state, t.index, MAT_FORM_IDS[plan.form], this.scratch, this.scratchBytes));
    const kind = this.ex.matKind(p);
    this.forms.set(name, (Object.keys(MAT_FORM_IDS) as MatForm[]).find((f) => MAT_FORM_IDS[f] === kind) ?? plan.form);
    this.tmpFloats = Math.max(this.tmpFloats, this.ex.matScratchFloats(p));
    this.matMacs += this.ex.matMacs(p);
    return p;
  }

  /** A dense f32 copy of the tensor (count elements). */
  vec(name: string): number {
    const t = this.tensor(name);
    return this.run(name, () => this.ex.tensorCreate(this.file.state, t.index, t.count, this.scratch, this.scratchBytes));
  }

  /** Two tensors of equal size, one after the other (gated conv halves). */
  pair(a: string, b: string): number {
    const ta = this.tensor(a);
    const tb = this.tensor(b);
    return this.run(`${a}+${b}`, () => this.ex.tensorPairCreate(this.file.state, ta.index, tb.index, ta.count, this.scratch, this.scratchBytes));
  }

  /** a + b element-wise (LSTM b_ih + b_hh). */
  sum(a: string, b: string): number {
    const ta = this.tensor(a);
    const tb = this.tensor(b);
    return this.run(`${a}+${b}`, () => this.ex.tensorSumCreate(this.file.state, ta.index, tb.index, ta.count, this.scratch, this.scratchBytes));
  }

  /** The planned form of conv kernel `name`. */
  private convForm(name: string): ConvForm {
    return this.plan.convs.get(name)?.form ?? 'dense';
  }

  /**
   * The sparse form (assembly/nn/conv-sparse.ts) of one conv kernel or a stacked pair, with codebook
   * indices when `form` is 'codebook-sparse'; records MACs and forms.
   */
  private sparseConv(names: string[], transposed: boolean, g: ConvGeometry, form: ConvForm): ConvWeights {
    const ts = names.map((n) => this.tensor(n));
    const [a, b] = ts;
    const [d0, d1, kT, kF] = a.shape;
    const [cin, cout] = transposed ? [d0, d1] : [d1, d0];
    const ptr = this.run(names.join('+'), () => this.ex.convSparseCreate(
      this.file.state, a.index, b ? b.index : -1, transposed ? 1 : 0, cin, cout, g.bins, kT, kF, g.strideF, g.p1, g.p2,
      form === 'codebook-sparse' ? 1 : 0, this.scratch, this.scratchBytes,
    ));
    this.sparseConvMacs += this.ex.convSparseMacs(ptr);
    for (const n of names) this.convForms.set(n, form);
    return { ptr, sparse: true };
  }

  /** A Conv2d weight [Cout][Cin][kT][kF]: dense f32, or a sparse form when planned. */
  conv(name: string, g: ConvGeometry): ConvWeights {
    const form = this.convForm(name);
    if (form !== 'dense') return this.sparseConv([name], false, g, form);
    this.convForms.set(name, 'dense');
    return { ptr: this.vec(name), sparse: false };
  }

  /**
   * Two Conv2d weights of one shape as one conv with twice the outputs (GCRN's gated pair): sparse when
   * both are planned sparse (codebook-sparse when both are planned so), else dense.
   */
  convPair(a: string, b: string, g: ConvGeometry): ConvWeights {
    const fa = this.convForm(a), fb = this.convForm(b);
    if (fa !== 'dense' && fb !== 'dense') return this.sparseConv([a, b], false, g, fa === fb ? fa : 'sparse');
    this.convForms.set(a, 'dense');
    this.convForms.set(b, 'dense');
    return { ptr: this.pair(a, b), sparse: false };
  }

  /** A ConvTranspose2d weight [Cin][Cout][kT][kF]: repacked for convTranspose2dStep, or a sparse form when planned. */
  deconv(name: string, g: ConvGeometry): ConvWeights {
    const form = this.convForm(name);
    if (form !== 'dense') return this.sparseConv([name], true, g, form);
    this.convForms.set(name, 'dense');
    const t = this.tensor(name);
    const [cin, cout, kT, kF] = t.shape;
    const ptr = this.run(name, () => this.ex.deconvCreate(this.file.state, t.index, cin, cout, kT, kF, g.strideF, this.scratch, this.scratchBytes));
    return { ptr, sparse: false };
  }

  /** BatchNorm `prefix` as [scale | shift] (eps 1e-5, PyTorch's default). */
  batchNorm(prefix: string, channels: number): number {
    const idx = (n: string) => this.tensor(`${prefix}.${n}`).index;
    return this.run(prefix, () => this.ex.batchNormCreate(
      this.file.state, idx('weight'), idx('bias'), idx('running_mean'), idx('running_var'), channels, 1e-5, this.scratch, this.scratchBytes,
    ));
  }

  /**
   * The BatchNorm after conv `conv` (prefix of its weight), or 0 when it was folded into the conv
   * at export (HUSH_TF_BN_FOLDED on `${conv}.weight`).
   */
  batchNormAfter(conv: string, bn: string, channels: number): number {
    return this.bnFolded(`${conv}.weight`) ? 0 : this.batchNorm(bn, channels);
  }
}

/** What a built net hands to the Enhancer. */
export interface NetBuild {
  /** Pointer of the net's weights object. */
  weights: number;
}

/** Calls a WASM function by name (the net builders' per-arch exports). */
function call(ex: NetsExports, name: string, ...args: number[]): number {
  const f = ex[name] as Fn | undefined;
  if (typeof f !== 'function') throw new Error(`hushpack wasm: missing export ${name}; rebuild with \`npm run build:wasm\``);
  return f(...args);
}

/** Non-zero pointer or a UserError. */
function ok(p: number, what: string): number {
  if (p === 0) throw new UserError(`out of WASM memory building ${what}`);
  return p;
}

/** FDNN: fc1 … fcL (+ ReLU), out (+ sigmoid). Geometry: hidden_units (fdnnLayout.ts). */
function fdnnBuild(ex: NetsExports, L: NetLoader): NetBuild {
  const hp = fdnnHParams(L.info.config);
  const prefixes = [...hp.hiddenUnits.map((_, i) => `fc${i + 1}`), 'out'];
  const w = ok(call(ex, 'fdnnWeightsCreate', prefixes.length), 'fdnn weights');
  prefixes.forEach((p, i) => {
    const m = L.mat(`${p}.weight`);
    call(ex, 'fdnnWeightsSetLayer', w, i, m, L.vec(`${p}.bias`), ex.matScratchFloats(m));
  });
  return { weights: w };
}

/** LSTM: lstm.*_l{l} (PyTorch nn.LSTM layout) then fc. Geometry: lstm_units, lstm_layers (lstmLayout.ts). */
function lstmBuild(ex: NetsExports, L: NetLoader): NetBuild {
  const hp = lstmHParams(L.info.config);
  const w = ok(call(ex, 'lstmNetWeightsCreate', hp.layers, hp.units), 'lstm weights');
  for (let l = 0; l < hp.layers; l++) {
    const wih = L.mat(`lstm.weight_ih_l${l}`);
    const whh = L.mat(`lstm.weight_hh_l${l}`);
    const bias = L.sum(`lstm.bias_ih_l${l}`, `lstm.bias_hh_l${l}`);
    call(ex, 'lstmNetWeightsSetLayer', w, l, wih, whh, bias, Math.max(ex.matScratchFloats(wih), ex.matScratchFloats(whh)));
  }
  const fc = L.mat('fc.weight');
  call(ex, 'lstmNetWeightsSetOutput', w, fc, L.vec('fc.bias'), ex.matScratchFloats(fc));
  return { weights: w };
}

/**
 * GCRN: gated conv encoder conv{i}.conv1/conv2 + bn{i}, grouped LSTM glstm.lstm_list{l}.{g} +
 * glstm.ln{l}, decoders conv{i}_t_{d}.conv1/conv2 + bn{i}_t_{d}, fc1/fc2. Geometry: gcrnHParams
 * (gcrnLayout.ts): widths 161 → … → W_N, output paddings, F = C_N·W_N.
 */
function gcrnBuild(ex: NetsExports, L: NetLoader): NetBuild {
  const hp = gcrnHParams(L.info.config);
  const n = hp.encChannels.length;
  const w = ok(call(ex, 'gcrnWeightsCreate', n, hp.kernelBins, hp.strideBins, hp.lstmGroups, hp.lstmLayers, hp.features), 'gcrn weights');
  for (let i = 1; i <= n; i++) {
    const cin = i === 1 ? 2 : hp.encChannels[i - 2];
    const cout = hp.encChannels[i - 1];
    const geometry = { bins: hp.widths[i - 1], strideF: hp.strideBins, p1: 0, p2: 0 };
    const wPair = L.convPair(`conv${i}.conv1.weight`, `conv${i}.conv2.weight`, geometry);
    const bPair = L.pair(`conv${i}.conv1.bias`, `conv${i}.conv2.bias`);
    call(ex, 'gcrnWeightsSetEncoder', w, i, wPair.ptr, bPair, L.batchNorm(`bn${i}`, cout), cin, cout, hp.widths[i - 1], hp.widths[i], wPair.sparse ? 1 : 0);
  }
  for (let l = 1; l <= hp.lstmLayers; l++) {
    for (let g = 0; g < hp.lstmGroups; g++) {
      const p = `glstm.lstm_list${l}.${g}`;
      const wih = L.mat(`${p}.weight_ih_l0`);
      const whh = L.mat(`${p}.weight_hh_l0`);
      const bias = L.sum(`${p}.bias_ih_l0`, `${p}.bias_hh_l0`);
      call(ex, 'gcrnWeightsSetLstm', w, l, g, wih, whh, bias, Math.max(ex.matScratchFloats(wih), ex.matScratchFloats(whh)));
    }
    call(ex, 'gcrnWeightsSetNorm', w, l, L.vec(`glstm.ln${l}.weight`), L.vec(`glstm.ln${l}.bias`));
  }
  for (const d of [1, 2]) {
    for (let i = n; i >= 1; i--) {
      const p = `conv${i}_t_${d}`;
      const cout = gcrnDecoderOutChannels(hp, i);
      const geometry = { bins: hp.widths[i], strideF: hp.strideBins, p1: 0, p2: hp.decOutputPads[i - 1] };
      const w1 = L.deconv(`${p}.conv1.weight`, geometry);
      const w2 = L.deconv(`${p}.conv2.weight`, geometry);
      call(
        ex, 'gcrnWeightsSetDecoder', w, d, i,
        w1.ptr, L.vec(`${p}.conv1.bias`), w2.ptr, L.vec(`${p}.conv2.bias`),
        L.batchNorm(`bn${i}_t_${d}`, cout),
        gcrnDecoderInChannels(hp, i), cout, hp.widths[i], hp.widths[i - 1], hp.decOutputPads[i - 1], w1.sparse ? 1 : 0, w2.sparse ? 1 : 0,
      );
    }
    const fc = L.mat(`fc${d}.weight`);
    call(ex, 'gcrnWeightsSetOutput', w, d, fc, L.vec(`fc${d}.bias`), ex.matScratchFloats(fc));
  }
  return { weights: w };
}

/**
 * TCNN: encoder.{j}.conv/bn/prelu, tcm.{s}.{r}.conv_in/prelu_in/bn_in/depthwise/prelu_dw/bn_dw/conv_out,
 * decoder.{j}.deconv/bn/prelu. Geometry: tcnnHParams (tcnnLayout.ts): sample-axis widths 320 → … → W_N,
 * strides, paddings, output paddings, F = C_{N−1}·W_N, M_b per block, D_j per decoder, dilations.
 * Folded BatchNorms are skipped.
 */
function tcnnBuild(ex: NetsExports, L: NetLoader): NetBuild {
  const hp = tcnnHParams(L.info.config);
  const n = hp.encChannels.length;
  const blocks = hp.tcmStacks * hp.tcmDilations.length;
  // M passed here is the widest block's (scratch size); each block carries its own M_b.
  const w = ok(call(ex, 'tcnnWeightsCreate', n, hp.kernelFrames, hp.kernelSamples, blocks, Math.max(...hp.tcmChannels), hp.features, hp.tcmKernel), 'tcnn weights');
  const slopes = (name: string) => L.tensor(name).count;
  for (let j = 0; j < n; j++) {
    const p = `encoder.${j}`;
    const cout = hp.encChannels[j];
    const conv = L.conv(`${p}.conv.weight`, { bins: hp.widths[j], strideF: hp.encStrides[j], p1: hp.encPads[j], p2: hp.encPads[j] });
    call(
      ex, 'tcnnWeightsSetEncoder', w, j, conv.ptr, L.vec(`${p}.conv.bias`),
      L.batchNormAfter(`${p}.conv`, `${p}.bn`, cout), L.vec(`${p}.prelu.weight`), slopes(`${p}.prelu.weight`),
      tcnnEncoderInChannels(hp, j), cout, hp.widths[j], hp.widths[j + 1], hp.encStrides[j], hp.encPads[j], conv.sparse ? 1 : 0,
    );
  }
  let b = 0;
  for (let s = 0; s < hp.tcmStacks; s++) {
    hp.tcmDilations.forEach((d, r) => {
      const p = `tcm.${s}.${r}`;
      const m = hp.tcmChannels[b];
      const inMat = L.mat(`${p}.conv_in.weight`);
      const outMat = L.mat(`${p}.conv_out.weight`);
      call(
        ex, 'tcnnWeightsSetBlock', w, b++,
        inMat, L.vec(`${p}.conv_in.bias`), L.vec(`${p}.prelu_in.weight`), slopes(`${p}.prelu_in.weight`), L.batchNorm(`${p}.bn_in`, m),
        L.vec(`${p}.depthwise.weight`), L.vec(`${p}.depthwise.bias`), L.vec(`${p}.prelu_dw.weight`), slopes(`${p}.prelu_dw.weight`), L.batchNorm(`${p}.bn_dw`, m),
        outMat, L.vec(`${p}.conv_out.bias`), d, m, Math.max(ex.matScratchFloats(inMat), ex.matScratchFloats(outMat)),
      );
    });
  }
  for (let j = n - 1; j >= 0; j--) {
    const p = `decoder.${j}`;
    const cout = tcnnDecoderOutChannels(hp, j);
    const deconv = L.deconv(`${p}.deconv.weight`, { bins: hp.widths[j + 1], strideF: hp.encStrides[j], p1: hp.encPads[j], p2: hp.decOutputPads[j] });
    call(
      ex, 'tcnnWeightsSetDecoder', w, j, deconv.ptr, L.vec(`${p}.deconv.bias`),
      L.batchNormAfter(`${p}.deconv`, `${p}.bn`, cout), L.vec(`${p}.prelu.weight`), slopes(`${p}.prelu.weight`),
      tcnnDecoderInChannels(hp, j), cout, hp.widths[j + 1], hp.widths[j], hp.encStrides[j], hp.encPads[j], hp.decOutputPads[j], deconv.sparse ? 1 : 0,
    );
  }
  return { weights: w };
}

/** Builds the net of `L.info.config.arch` (weights only; the Enhancer creates state and scratch). */
export function netBuild(ex: NetsExports, L: NetLoader): NetBuild {
  switch (L.info.config.arch) {
    case 'fdnn':
      return fdnnBuild(ex, L);
    case 'lstm':
      return lstmBuild(ex, L);
    case 'tcnn':
      return tcnnBuild(ex, L);
    case 'gcrn':
      return gcrnBuild(ex, L);
  }
}
