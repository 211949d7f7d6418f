/**
 * Parameter and MAC arithmetic of the two speaker-separation nets of Tan & Wang (TASLP 2021,
 * §IV-D, Table VI): causal Conv-TasNet (Luo & Mesgarani, TASLP 2019) and the causal uPIT-LSTM
 * (Kolbæk et al., TASLP 2017). Pure arithmetic over hyper-parameters: no tensors, no libtorch.
 * The nets themselves (layouts, libtorch forward, WASM) come later (issue 16); this file fixes which
 * configurations they must have and checks them against Table VI's sizes.
 *
 * Size convention: Table VI's "MB" are MiB (2^20 bytes) of float32 parameters, as in Table I
 * (src/models/size.ts: the GCRN paper preset has 9,771,340 parameters = 37.27 MiB, not 39.09 MB).
 *
 * Conv-TasNet (signal at 8 kHz; encoder frames of L samples every L/2):
 *   encoder   Conv1d(1 → N, kernel L, stride L/2, no bias)                    N·L
 *   separator, layout 'paper' (Conv-TasNet Fig. 1/§III: LayerNorm, then bottleneck):
 *             cLN(N) (gain + bias per channel)                                 2N
 *             1×1 conv N → B (bias)                                            N·B + B
 *   separator, layout 'naplab' (the authors' code, github.com/naplab/Conv-TasNet conv_tasnet.py):
 *             1×1 conv N → B (no bias), then cLN(B)                            N·B + 2B
 *   X·R blocks (DepthConv1d): 1×1 B → H (bias), PReLU (1), cLN(H) (2H), depthwise conv H·P
 *             (+ H bias, dilation 2^x), PReLU (1), cLN(H) (2H), residual 1×1 H → B (bias),
 *             skip 1×1 H → Sc (bias)                 B·H + H + 1 + 2H + H·P + H + 1 + 2H + H·B + B + H·Sc + Sc
 *   mask      PReLU (1), 1×1 conv Sc → C·N (bias), sigmoid                    1 + Sc·C·N + C·N
 *   decoder   ConvTranspose1d(N → 1, kernel L, stride L/2); 'paper' no bias, 'naplab' bias 1
 *             N·L (+ 1)
 *   (the naplab code has Sc = B; causal = cLN instead of gLN, same parameter count)
 *
 * uPIT-LSTM (STFT magnitude in, one mask per speaker out):
 *   layer 1   LSTM(bins → H), PyTorch layout (weight_ih, weight_hh, two bias vectors)
 *             dirs·(4H·(bins + H) + biases·4H)
 *   layer l>1 LSTM(dirs·H → H)                                                dirs·(4H·(dirs·H + H) + biases·4H)
 *   output    per speaker Linear(dirs·H → bins) + mask nonlinearity          C·(dirs·H·bins + bins)
 *   (causal = unidirectional, dirs = 1; TensorFlow/CNTK cells carry one bias vector, PyTorch two)
 *
 * MACs follow src/models/size.ts (thop's convention): a Linear / 1×1 conv costs in·out per frame,
 * a depthwise conv H·P, an LSTM step 4H·(in + H) + 16H, the transposed-conv decoder N·L per frame
 * and speaker, the masks C·N (Conv-TasNet) or C·bins (uPIT) multiplications; biases, norms and
 * activations are free.
 */
import { UserError } from '../../errors.js';

/** Bytes of one float32 parameter. */
const FLOAT32_BYTES = 4;
/** Bytes per MiB (the paper's "MB", see the file comment). */
export const BYTES_PER_MIB = 1024 * 1024;
/** Bytes per SI megabyte, the other reading of "MB", checked and rejected in sizes.md. */
export const BYTES_PER_MB = 1e6;
/** Milliseconds per runtime block: the worklet and Node runtimes process 10-ms hops. */
export const SEPARATION_BLOCK_MS = 10;

/** Tan & Wang TASLP 2021 Table VI, uncompressed model sizes in the paper's "MB" (= MiB). */
export const TABLE_VI_SIZES_MB = { upitLstm: 250.46, convTasNet: 19.27 } as const;

/** One named term of a parameter or MAC count, for the printed arithmetic. */
export interface CountTerm {
  name: string;
  /** Formula with the values substituted, e.g. '512·16'. */
  formula: string;
  count: number;
}

/** Conv-TasNet hyper-parameters (Luo & Mesgarani 2019, Table I's symbols). */
export interface ConvTasNetHParams {
  /** Encoder basis functions (filters). */
  N: number;
  /** Encoder filter length in samples (stride L/2). */
  L: number;
  /** Bottleneck (and residual-path) channels. */
  B: number;
  /** Channels inside a convolutional block. */
  H: number;
  /** Skip-connection channels. */
  Sc: number;
  /** Depthwise kernel size. */
  P: number;
  /** Blocks per repeat (dilations 1 … 2^(X−1)). */
  X: number;
  /** Repeats. */
  R: number;
  /** Speakers C (Table VI: two-talker mixtures). */
  speakers: number;
  /** Where the input LayerNorm sits and whether the decoder has a bias (see the file comment). */
  layout: 'paper' | 'naplab';
}

/** uPIT-LSTM hyper-parameters (Kolbæk et al. 2017). */
export interface UpitLstmHParams {
  /** STFT bins in and per output mask (129 = 256-point DFT at 8 kHz). */
  bins: number;
  layers: number;
  /** Units per direction. */
  units: number;
  /** 1 = causal LSTM, 2 = BLSTM. */
  directions: 1 | 2;
  /** Bias vectors per gate set: 2 in PyTorch (b_ih, b_hh), 1 in TensorFlow/CNTK. */
  biasVectors: 1 | 2;
  speakers: number;
  /** STFT hop in samples (does not change the size; sets MACs per 10 ms). */
  hopSamples: number;
}

function checkPositiveInts(what: string, values: Record<string, number>): void {
  for (const [k, v] of Object.entries(values)) {
    if (!Number.isInteger(v) || v < 1) throw new UserError(`${what}: ${k} must be a positive integer, got ${v}`);
  }
}

function checkConvTasNet(h: ConvTasNetHParams): void {
  const { N, L, B, H, Sc, P, X, R, speakers } = h;
  checkPositiveInts('conv-tasnet', { N, L, B, H, Sc, P, X, R, speakers });
  if (L % 2 !== 0) throw new UserError(`conv-tasnet: L must be even (stride L/2), got ${L}`);
}

function checkUpit(h: UpitLstmHParams): void {
  const { bins, layers, units, speakers, hopSamples } = h;
  checkPositiveInts('upit-lstm', { bins, layers, units, speakers, hopSamples });
}

/** Conv-TasNet's parameters, term by term (see the file comment). */
export function convTasNetParamTerms(h: ConvTasNetHParams): CountTerm[] {
  checkConvTasNet(h);
  const { N, L, B, H, Sc, P, X, R, speakers: C } = h;
  const blocks = X * R;
  const block = B * H + H + 1 + 2 * H + H * P + H + 1 + 2 * H + H * B + B + H * Sc + Sc;
  const terms: CountTerm[] = [{ name: 'encoder', formula: `${N}·${L}`, count: N * L }];
  if (h.layout === 'paper') {
    terms.push({ name: 'cLN(N) + bottleneck N→B', formula: `2·${N} + ${N}·${B} + ${B}`, count: 2 * N + N * B + B });
  } else {
    terms.push({ name: 'bottleneck N→B + cLN(B)', formula: `${N}·${B} + 2·${B}`, count: N * B + 2 * B });
  }
  terms.push({
    name: `${blocks} blocks (X·R = ${X}·${R})`,
    formula: `${blocks}·(${B}·${H} + ${H} + 1 + 2·${H} + ${H}·${P} + ${H} + 1 + 2·${H} + ${H}·${B} + ${B} + ${H}·${Sc} + ${Sc}) = ${blocks}·${block}`,
    count: blocks * block,
  });
  terms.push({ name: 'mask PReLU + 1×1 Sc→C·N', formula: `1 + ${Sc}·${C * N} + ${C * N}`, count: 1 + Sc * C * N + C * N });
  const decBias = h.layout === 'naplab' ? 1 : 0;
  terms.push({ name: 'decoder', formula: `${N}·${L}${decBias ? ' + 1' : ''}`, count: N * L + decBias });
  return terms;
}

/** uPIT-LSTM's parameters, term by term (see the file comment). */
export function upitLstmParamTerms(h: UpitLstmHParams): CountTerm[] {
  checkUpit(h);
  const { bins, layers, units: U, directions: D, biasVectors: nb, speakers: C } = h;
  const layer = (input: number) => D * (4 * U * (input + U) + nb * 4 * U);
  const terms: CountTerm[] = [
    { name: 'LSTM layer 1', formula: `${D}·(4·${U}·(${bins} + ${U}) + ${nb}·4·${U})`, count: layer(bins) },
  ];
  if (layers > 1) {
    terms.push({
      name: `LSTM layers 2…${layers}`,
      formula: `${layers - 1}·${D}·(4·${U}·(${D * U} + ${U}) + ${nb}·4·${U})`,
      count: (layers - 1) * layer(D * U),
    });
  }
  terms.push({ name: `${C} mask layers`, formula: `${C}·(${D * U}·${bins} + ${bins})`, count: C * (D * U * bins + bins) });
  return terms;
}

/** Sum of the counts of terms. */
export function termsTotal(terms: readonly CountTerm[]): number {
  return terms.reduce((s, t) => s + t.count, 0);
}

/** Conv-TasNet trainable parameters. */
export function convTasNetParams(h: ConvTasNetHParams): number {
  return termsTotal(convTasNetParamTerms(h));
}

/** uPIT-LSTM trainable parameters. */
export function upitLstmParams(h: UpitLstmHParams): number {
  return termsTotal(upitLstmParamTerms(h));
}

/** Size of `params` float32 parameters in MiB (the paper's "MB"). */
export function float32MiBOf(params: number): number {
  return (params * FLOAT32_BYTES) / BYTES_PER_MIB;
}

/** Size of `params` float32 parameters in SI megabytes. */
export function float32MBOf(params: number): number {
  return (params * FLOAT32_BYTES) / BYTES_PER_MB;
}

/** Conv-TasNet MACs per encoder frame (L/2 samples), see the file comment. */
export function convTasNetMacsPerFrame(h: ConvTasNetHParams): number {
  checkConvTasNet(h);
  const { N, L, B, H, Sc, P, X, R, speakers: C } = h;
  const block = B * H + H * P + H * B + H * Sc;
  return N * L + N * B + X * R * block + Sc * C * N + C * N + C * N * L;
}

/** Conv-TasNet encoder frames per 10-ms block at `rateHz` (stride L/2). */
export function convTasNetFramesPerBlock(h: ConvTasNetHParams, rateHz: number): number {
  return (rateHz * SEPARATION_BLOCK_MS) / 1000 / (h.L / 2);
}

/** Conv-TasNet receptive field in samples: frames 1 + R·(P−1)·(2^X − 1), each L/2 samples apart, + L. */
export function convTasNetReceptiveFieldSamples(h: ConvTasNetHParams): number {
  const frames = 1 + h.R * (h.P - 1) * (2 ** h.X - 1);
  return (frames - 1) * (h.L / 2) + h.L;
}

/** uPIT-LSTM MACs per STFT frame (network and masks; the STFT itself not counted). */
export function upitLstmMacsPerFrame(h: UpitLstmHParams): number {
  checkUpit(h);
  const { bins, layers, units: U, directions: D, speakers: C } = h;
  const step = (input: number) => 4 * U * (input + U) + 16 * U;
  let macs = D * step(bins) + (layers - 1) * D * step(D * U);
  macs += C * D * U * bins + C * bins;
  return macs;
}

/** uPIT-LSTM STFT frames per 10-ms block at `rateHz`. */
export function upitLstmFramesPerBlock(h: UpitLstmHParams, rateHz: number): number {
  return (rateHz * SEPARATION_BLOCK_MS) / 1000 / h.hopSamples;
}
