/**
 * The libtorch reference of the separation parity tests (STYLE.md §3): a separation net's
 * whole-utterance forward on given weights, one signal per speaker, and the delay the WASM hop
 * stream declares against it. Used by ./separationParity.test.ts (weights decoded from a `.hush`) and
 * ../compress/separationHush.test.ts (a compressed checkpoint's weights).
 */
import * as torch from '../../src/torch/torch.js';
import { separationStagedNet, type SeparationConfig } from '../../src/models/separation/net.js';
import { upitStftAnalyze, upitStftSynthesize } from '../../src/models/separation/upitStft.js';
import { stagesRun } from '../../src/models/stages.js';

/** Weights by state-dict name. */
export type SeparationWeights = ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>;

/** Runs fn with every weight as a libtorch tensor (freed afterwards). */
function withTensors<T>(weights: SeparationWeights, fn: (get: (name: string) => torch.Tensor) => T): T {
  const tensors = new Map([...weights].map(([name, t]) => [name, torch.tensor(t.data, [...t.shape]).keep()]));
  try {
    return fn((name) => tensors.get(name)!);
  } finally {
    for (const t of tensors.values()) t.dispose();
  }
}

/**
 * libtorch, whole utterance, inference mode, on `weights`: one signal per speaker, x's length.
 * Conv-TasNet: the forward runs on x followed by L/2 zeros and is cut back to x's length: an offline
 * forward that stops at the end of x has no encoder frame overlapping the end, so its last ≤ L/2
 * samples get only one decoder frame, while the stream (flushed with zeros) computes that frame — the
 * two agree once the offline signal continues with zeros too.
 */
export function separationReference(config: SeparationConfig, weights: SeparationWeights, signal: Float32Array): Float32Array[] {
  if (config.arch === 'upit-lstm') return referenceUpit(config, weights, signal);
  const n = signal.length;
  const x = new Float32Array(n + (config.arch === 'conv-tasnet' ? config.hp.L / 2 : 0));
  x.set(signal);
  return withTensors(weights, (get) =>
    torch.tidy(() => {
      const y = stagesRun(separationStagedNet(config), get, { x: torch.tensor(x, [1, x.length]) }, false); // [1, C, S]
      const all = y.toFloat32Array();
      return Array.from({ length: y.shape[1] }, (_, s) => all.slice(s * x.length, s * x.length + n));
    }),
  );
}

/** libtorch uPIT-LSTM on the float64 STFT: masks on |Y| (f32), Ŝ_s = mask_s·Y, WOLA back to x's length. */
function referenceUpit(config: Extract<SeparationConfig, { arch: 'upit-lstm' }>, weights: SeparationWeights, x: Float32Array): Float32Array[] {
  const h = config.hp;
  const spec = upitStftAnalyze(h, x);
  const mag = Float32Array.from(spec.re, (r, i) => Math.hypot(r, spec.im[i]));
  const masks = withTensors(weights, (get) =>
    torch.tidy(() => stagesRun(separationStagedNet(config), get, { x: torch.tensor(mag, [1, spec.frames, h.bins]) }, false).toFloat32Array()), // [1, C, T, bins]
  );
  const per = spec.frames * h.bins;
  return Array.from({ length: h.speakers }, (_, s) => {
    const re = Float64Array.from(spec.re, (v, i) => v * masks[s * per + i]);
    const im = Float64Array.from(spec.im, (v, i) => v * masks[s * per + i]);
    return Float32Array.from(upitStftSynthesize(h, { frames: spec.frames, bins: h.bins, re, im }, x.length));
  });
}

/** Declared delay of the hop stream: Conv-TasNet L/2, uPIT-LSTM one STFT hop. */
export function separationDelay(config: SeparationConfig): number {
  return config.arch === 'conv-tasnet' ? config.hp.L / 2 : config.hp.hopSamples;
}
