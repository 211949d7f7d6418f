/**
 * What a model file holds and what it costs (the work behind `hushpack inspect`, also used by
 * `hushpack demo`).
 * Per tensor: name, shape, encoding, K, index bits, sparsity, nonzeros, payload bytes and its eq.-11
 * bits. Totals: parameters of the uncompressed net, nonzeros, file bytes, the paper's compression rate
 * (eq. 11 summed over tensors vs float32 of the uncompressed net, src/format/rate.ts), the actual rate
 * (float32 bytes / file bytes) and MACs per 4-s mixture after pruning (src/models countMacs with each
 * weight's nonzeros).
 *
 * A `.safetensors` checkpoint is shown as its dense f32 tensors (rates 1); its architecture comes from
 * the metadata keys `config` (ArchConfig JSON) or `arch` + `hparams` (JSON object), when present.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { readHush, type HushFile } from '../format/reader.js';
import { readSafetensors } from '../format/safetensors.js';
import { eq11Bits, eq11TensorRate } from '../format/rate.js';
import { HUSH_MAGIC, HUSH_TF_BN_FOLDED } from '../format/spec.js';
import { shapeElements, type HushTensor } from '../format/tensor.js';
import { archLayout, countMacs, countParams, isArchName, type ArchConfig } from './index.js';
import { isSeparationArch, type HushArchConfig, type SeparationArchConfig } from '../format/arch.js';
import { shapeSize, type ArchLayout } from './paramSpec.js';
import { separationConfigFromHush, separationSignal } from './separation/hushConfig.js';
import { layoutParamCount, separationLayout } from './separation/net.js';

/** One tensor row of the report. */
export interface InspectTensor {
  name: string;
  shape: number[];
  encoding: string;
  /** k-means clusters (null otherwise) */
  k: number | null;
  /** index bits ⌈log2 K⌉ (null unless k-means) */
  bits: number | null;
  sparsity: string | null;
  elements: number;
  /** nonzero weights: stored weights for k-means/sparse, nonzero values for dense, summed over MPO cores */
  nonzeros: number;
  /** payload bytes in the file (MPO: its cores') */
  bytes: number;
  /** eq. 11 accounting: N·log2 K + 32·K for k-means, 32·n dense f32, … (src/format/rate.ts) */
  eq11Bits: number;
  /** eq. 11 of this tensor, 32·N / (N·log2 K + 32·K) (k-means only) */
  eq11Rate: number | null;
  /** a BatchNorm was folded into this tensor */
  bnFolded: boolean;
  /** MPO: the cores' shapes */
  cores?: number[][];
}

/** The whole report (`--json` prints exactly this). */
export interface InspectReport {
  file: string;
  format: 'hush' | 'safetensors';
  version: string | null;
  /** `.hush` only (null for a checkpoint): what the outputs are, and how many ('enhance': 1; 'separate': one per speaker). */
  task: HushFile['task'] | null;
  outputCount: number | null;
  config: HushArchConfig | null;
  signal: HushFile['signal'] | null;
  metadata: Record<string, string>;
  tensors: InspectTensor[];
  totals: {
    /** parameters of the uncompressed net: countParams(config), else the file's non-buffer elements */
    parameters: number;
    /** how `parameters` was obtained */
    parametersFrom: 'config' | 'file';
    /** elements of the tensors in the file (BN folding removes some) */
    fileElements: number;
    nonzeros: number;
    fileBytes: number;
    /** eq. 11 summed: 32·parameters / Σ eq11Bits */
    paperRate: number;
    /** 4·parameters / fileBytes */
    actualRate: number;
    /** MACs per 4-s mixture with each weight's nonzeros (null when the config is unknown or does not match) */
    macsPer4s: number | null;
    /** MACs per 4-s mixture of the dense net */
    denseMacsPer4s: number | null;
  };
  /** problems that did not stop the report (e.g. tensors the config does not know) */
  warnings: string[];
}

function nonzerosOf(t: HushTensor): number {
  switch (t.encoding) {
    case 'kmeans':
      return t.indices.length;
    case 'sparse':
      return t.values.length;
    case 'mpo':
      return t.cores.reduce((s, c) => s + nonzerosOf(c), 0);
    default: {
      let n = 0;
      for (const v of t.data) if (v !== 0) n++;
      return n;
    }
  }
}

const BUFFER_SUFFIXES = ['.running_mean', '.running_var', '.num_batches_tracked'];

/** Fills totals and MACs for a file's tensors (shared by both formats). */
/**
 * A separation net's layout, parameters and MACs per 4 s (frames of its own hop at 8 kHz), with each
 * weight's MACs scaled to `nonzeros` where given (the enhancement nets' countMacs convention).
 */
function separationCounts(c: SeparationArchConfig): { layout: ArchLayout; params: number; macsPer4s: (nonzeros?: Map<string, number>) => number } {
  const config = separationConfigFromHush(c);
  const layout = separationLayout(config);
  const framesPer4s = (4 * separationSignal(config).sampleRateHz) / separationSignal(config).hopSamples;
  const sizes = new Map(layout.params.map((p) => [p.name, shapeSize(p.shape)]));
  const macsPer4s = (nonzeros?: Map<string, number>) =>
    framesPer4s * layout.macTerms.reduce((m, t) => m + (nonzeros?.get(t.tensor) ?? (sizes.get(t.tensor) as number)) * t.usesPerFrame, layout.fixedMacsPerFrame);
  return { layout, params: layoutParamCount(layout), macsPer4s };
}

function totals(config: HushArchConfig | null, rows: InspectTensor[], fileBytes: number, paperBits: number | null, warnings: string[]): InspectReport['totals'] {
  let parameters = rows.filter((r) => !BUFFER_SUFFIXES.some((s) => r.name.endsWith(s))).reduce((s, r) => s + r.elements, 0);
  let parametersFrom: 'config' | 'file' = 'file';
  let macsPer4s: number | null = null;
  let denseMacsPer4s: number | null = null;
  if (config) {
    try {
      const sep = isSeparationArch(config.arch) ? separationCounts(config as SeparationArchConfig) : null;
      parameters = sep ? sep.params : countParams(config as ArchConfig);
      parametersFrom = 'config';
      const known = new Map((sep ? sep.layout : archLayout(config as ArchConfig)).params.map((p) => [p.name, shapeElements(p.shape)]));
      const nonzeros = new Map<string, number>();
      for (const r of rows) {
        const size = known.get(r.name);
        if (size === undefined) warnings.push(`tensor ${r.name} is not part of ${config.arch} with these hyper-parameters`);
        else if (size !== r.elements) warnings.push(`tensor ${r.name} has ${r.elements} elements, the config says ${size}`);
        // an MPO layer is counted as its dense matrix (an upper bound: the factorised product costs less)
        else nonzeros.set(r.name, r.encoding === 'mpo' ? r.elements : r.nonzeros);
      }
      macsPer4s = sep ? sep.macsPer4s(nonzeros) : countMacs(config as ArchConfig, nonzeros);
      denseMacsPer4s = sep ? sep.macsPer4s() : countMacs(config as ArchConfig);
    } catch (err) {
      warnings.push(`config: ${(err as Error).message}`);
    }
  }
  const bits = paperBits ?? 32 * parameters;
  return {
    parameters,
    parametersFrom,
    fileElements: rows.reduce((s, r) => s + r.elements, 0),
    nonzeros: rows.reduce((s, r) => s + r.nonzeros, 0),
    fileBytes,
    paperRate: (32 * parameters) / bits,
    actualRate: (4 * parameters) / fileBytes,
    macsPer4s,
    denseMacsPer4s,
  };
}

/** The report of a `.hush` file. */
export function inspectHush(bytes: Uint8Array, name: string): InspectReport {
  const f = readHush(bytes, name);
  const rows: InspectTensor[] = [];
  const flags = new Map(f.entries.map((e) => [e.name, e]));
  let paperBits = 0;
  for (const [tname, t] of f.tensors) {
    const e = flags.get(tname)!;
    const coreEntries = f.entries.filter((x) => x.coreOf === tname);
    paperBits += eq11Bits(t);
    rows.push({
      name: tname,
      shape: t.shape,
      encoding: t.encoding === 'kmeans' && t.codebookDtype === 'f16' ? 'kmeans-f16' : t.encoding === 'sparse' && t.valuesDtype === 'f16' ? 'sparse-f16' : t.encoding,
      k: t.encoding === 'kmeans' ? t.codebook.length : null,
      bits: t.encoding === 'kmeans' ? e.bits : null,
      sparsity: e.sparsity,
      elements: shapeElements(t.shape),
      nonzeros: nonzerosOf(t),
      bytes: t.encoding === 'mpo' ? coreEntries.reduce((s, c) => s + c.payloadBytes, 0) : e.payloadBytes,
      eq11Bits: eq11Bits(t),
      eq11Rate: t.encoding === 'kmeans' ? eq11TensorRate(t.indices.length, t.codebook.length) : null,
      bnFolded: (e.flags & HUSH_TF_BN_FOLDED) !== 0,
      ...(t.encoding === 'mpo' ? { cores: t.cores.map((c) => c.shape) } : {}),
    });
  }
  const warnings: string[] = [];
  return {
    file: name,
    format: 'hush',
    version: `${f.versionMajor}.${f.versionMinor}`,
    task: f.task,
    outputCount: f.outputCount,
    config: f.config,
    signal: f.signal,
    metadata: f.metadata,
    tensors: rows,
    totals: totals(f.config, rows, bytes.length, paperBits, warnings),
    warnings,
  };
}

/** The architecture stored in a checkpoint's metadata, if any. */
function configFromMetadata(meta: Record<string, string>, warnings: string[]): ArchConfig | null {
  try {
    if (meta.config) {
      const c = JSON.parse(meta.config) as ArchConfig;
      if (c && isArchName(c.arch) && c.hparams && typeof c.hparams === 'object') return c;
    }
    if (meta.arch && isArchName(meta.arch) && meta.hparams) return { arch: meta.arch, hparams: JSON.parse(meta.hparams) };
  } catch (err) {
    warnings.push(`metadata: cannot parse the architecture (${(err as Error).message})`);
  }
  return null;
}

/** The report of a `.safetensors` checkpoint: every tensor dense f32, rates 1. */
export function inspectSafetensors(bytes: Uint8Array, name: string): InspectReport {
  const f = readSafetensors(bytes, name);
  const warnings: string[] = [];
  const config = configFromMetadata(f.metadata, warnings);
  const rows: InspectTensor[] = [...f.tensors].map(([tname, t]) => {
    const dense: HushTensor = { encoding: 'f32', shape: t.shape, data: t.data };
    return {
      name: tname,
      shape: t.shape,
      encoding: 'f32',
      k: null,
      bits: null,
      sparsity: null,
      elements: t.data.length,
      nonzeros: nonzerosOf(dense),
      bytes: 4 * t.data.length,
      eq11Bits: 32 * t.data.length,
      eq11Rate: null,
      bnFolded: false,
    };
  });
  const tot = totals(config, rows, bytes.length, null, warnings);
  return { file: name, format: 'safetensors', version: null, task: null, outputCount: null, config, signal: null, metadata: f.metadata, tensors: rows, totals: { ...tot, paperRate: 1 }, warnings };
}

/** Reads and reports a model file (format chosen by its first bytes). */
export function inspectFile(path: string): InspectReport {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new UserError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const isHush = bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true) === HUSH_MAGIC;
  return isHush || path.endsWith('.hush') ? inspectHush(bytes, path) : inspectSafetensors(bytes, path);
}

const fmtInt = (n: number) => n.toLocaleString('en-US');
/** MACs as G with 3 decimals, or as an integer when below 10 M. */
const fmtMacs = (n: number) => (n >= 1e7 ? `${(n / 1e9).toFixed(3)} G` : fmtInt(n));

/** Human-readable report. */
export function formatInspect(r: InspectReport): string {
  const lines: string[] = [];
  const head = r.config ? `${r.config.arch} ${JSON.stringify(r.config.hparams)}` : 'architecture unknown';
  const task = r.task === 'separate' ? `, speaker separation (${r.outputCount} outputs)` : '';
  lines.push(`${r.file}: ${r.format}${r.version ? ` ${r.version}` : ''}${task}, ${head}`);
  if (r.signal) lines.push(`signal: ${r.signal.sampleRateHz} Hz, window ${r.signal.windowSamples} (${r.signal.window}), hop ${r.signal.hopSamples}, DFT ${r.signal.fftSize}`);
  for (const [k, v] of Object.entries(r.metadata)) lines.push(`${k}: ${v.length > 100 ? `${v.slice(0, 100)}…` : v}`);
  const w = Math.max(6, ...r.tensors.map((t) => t.name.length)) + 2;
  lines.push(`${'tensor'.padEnd(w)}${'shape'.padEnd(16)}${'encoding'.padEnd(12)}${'K'.padStart(6)}${'bits'.padStart(5)}  ${'sparsity'.padEnd(9)}${'nonzeros'.padStart(11)}${'bytes'.padStart(11)}${'eq11 ×'.padStart(8)}`);
  for (const t of r.tensors) {
    lines.push(
      `${t.name.padEnd(w)}${(t.shape.join('×') || 'scalar').padEnd(16)}${(t.encoding + (t.bnFolded ? '+bn' : '')).padEnd(12)}` +
        `${(t.k ?? '-').toString().padStart(6)}${(t.bits ?? '-').toString().padStart(5)}  ${(t.sparsity ?? '-').padEnd(9)}` +
        `${fmtInt(t.nonzeros).padStart(11)}${fmtInt(t.bytes).padStart(11)}${(t.eq11Rate === null ? '-' : t.eq11Rate.toFixed(1)).padStart(8)}`,
    );
  }
  const T = r.totals;
  lines.push(
    `parameters ${fmtInt(T.parameters)} (uncompressed net, from ${T.parametersFrom}), ${fmtInt(T.fileElements)} elements in the file, ${fmtInt(T.nonzeros)} nonzero`,
    `file ${fmtInt(T.fileBytes)} bytes; compression rate: paper (eq. 11) ${T.paperRate.toFixed(2)}×, actual (float32 / file bytes) ${T.actualRate.toFixed(2)}×`,
    T.macsPer4s === null ? 'MACs per 4 s: unknown (no matching architecture config)' : `MACs per 4 s: ${fmtMacs(T.macsPer4s)} after pruning, ${fmtMacs(T.denseMacsPer4s!)} dense`,
  );
  for (const wmsg of r.warnings) lines.push(`warning: ${wmsg}`);
  return lines.join('\n');
}
