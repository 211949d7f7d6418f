/**
 * Runtime benchmark of the presets (the figures in docs/results/bench/): for each architecture of
 * each preset, three `.hush` files of the same untrained weights (PyTorch-default initialisation from
 * src/models/paramInit.ts, seed 1 — timing does not depend on the values, only on shapes, encodings
 * and sparsity):
 *   f32       every tensor dense f32                                  (fast = compact)
 *   kmeans4   every weight k-means quantised, K = 16 (4-bit indices)  (compact: codebook kernel)
 *   c1        80 % of every weight pruned (smallest magnitude), then K = 32 on the nonzeros
 *             (5-bit indices, bitmap/delta sparsity)                  (fast: SELL-4; compact: codebook+bitmap)
 * each benchmarked with tools/bench/runtime.ts (SIMD and scalar × fast / compact / auto).
 *
 * Usage: node dist/tools/bench/runtimePresets.js [--presets tiny,edge] [--frames 3000] [--out DIR]
 * Writes DIR/runtime-<preset>.json (BenchReport per model) and DIR/runtime-<preset>.md (tables);
 * default DIR docs/results/bench. Progress on stderr.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kmeansFromDense, writeHush, type HushTensor } from '../../src/format/index.js';
import { ARCH_NAMES, paramInitValues, paramSpecs, presetConfig, type ArchConfig, type PresetName } from '../../src/models/index.js';
import { benchModel, benchTable, type BenchReport } from './runtime.js';
import { benchHost, benchHostLine, benchResultsDir } from './host.js';

type Encoding = 'f32' | 'kmeans4' | 'c1';
const ENCODINGS: Encoding[] = ['f32', 'kmeans4', 'c1'];

/** K centroids spread uniformly over [min, max] of the nonzeros, each value snapped to the nearest. */
function quantise(data: Float32Array, K: number): { values: Float32Array; codebook: Float32Array } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) if (v !== 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const step = (hi - lo) / (K - 1);
  const codebook = Float32Array.from({ length: K }, (_, k) => lo + k * step || 1e-9);
  const values = data.map((v) => (v === 0 ? 0 : codebook[Math.max(0, Math.min(K - 1, Math.round((v - lo) / step)))]));
  return { values, codebook };
}

/** Zeroes the 80 % smallest magnitudes. */
function prune(data: Float32Array): Float32Array {
  const sorted = Float32Array.from(data, Math.abs).sort();
  const cut = sorted[Math.floor(0.8 * sorted.length)];
  return data.map((v) => (Math.abs(v) < cut ? 0 : v));
}

/** The `.hush` file of `config` in `encoding` (see the file comment). */
export function presetModel(config: ArchConfig, encoding: Encoding): Uint8Array {
  const specs = paramSpecs(config);
  const init = paramInitValues(specs, 1);
  const tensors = new Map<string, HushTensor>();
  for (const s of specs) {
    if (s.name.endsWith('.num_batches_tracked')) continue;
    let data = init.get(s.name)!;
    const weight = s.kind === 'linear' || s.kind === 'lstm_ih' || s.kind === 'lstm_hh' || s.kind === 'conv' || s.kind === 'deconv';
    if (!weight || encoding === 'f32') {
      tensors.set(s.name, { encoding: 'f32', shape: s.shape, data });
      continue;
    }
    if (encoding === 'c1') data = prune(data);
    const q = quantise(data, encoding === 'c1' ? 32 : 16);
    tensors.set(s.name, kmeansFromDense(s.name, s.shape, q.values, q.codebook));
  }
  return writeHush({ config, tensors, metadata: { bench: `untrained ${encoding}` } });
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function main(): void {
  const presets = arg('presets', 'tiny,edge').split(',') as PresetName[];
  const frames = Number(arg('frames', '3000'));
  const out = arg('out', benchResultsDir('docs/results/bench'));
  mkdirSync(out, { recursive: true });
  for (const preset of presets) {
    const reports: BenchReport[] = [];
    const md: string[] = [
      `# WASM runtime benchmark, preset \`${preset}\``,
      '',
      `Command: \`node dist/tools/bench/runtimePresets.js --presets ${preset} --frames ${frames}\` ` +
        `(tools/bench/runtimePresets.ts; untrained weights; ${frames} hops timed after 300 of warm-up, ` +
        `per hop through Enhancer.process). Machine: ${benchHostLine(benchHost())} (cores shared with other jobs).`,
      '',
    ];
    for (const arch of ARCH_NAMES) {
      for (const encoding of ENCODINGS) {
        const name = `${arch}-${preset}-${encoding}.hush`;
        const bytes = presetModel(presetConfig(arch, preset), encoding);
        const r = benchModel(bytes, name, { frames, log: (l) => process.stderr.write(`${l}\n`) });
        reports.push(r);
        md.push('```', benchTable(r), '```', '');
        process.stderr.write(`${benchTable(r)}\n`);
      }
    }
    writeFileSync(join(out, `runtime-${preset}.json`), `${JSON.stringify(reports, null, 1)}\n`);
    writeFileSync(join(out, `runtime-${preset}.md`), md.join('\n'));
  }
}

if (process.argv[1] && /runtimePresets\.(js|ts)$/.test(process.argv[1])) main();
