/**
 * Subcommand registry. One file per subcommand; each exports `register(program)`.
 * Keep this list in the order of DESIGN.md's CLI section.
 *
 * Command modules are imported lazily, by name: `hushpack enhance …` imports ./enhance.js and
 * nothing else, so the runtime commands never load training code, libtorch, vega or cli-progress.
 * That is what lets them run on a runtime-only install (`npm install hushpack`: dependencies
 * commander and wavefile only; docs/usage.md "Installs"), where the training stack is absent.
 * `summary` is what the top-level help lists without importing any module; a test checks that it
 * equals the description each module registers.
 */
import type { Command } from 'commander';

/** What a command file exports. */
export interface CommandModule {
  register(program: Command): void;
}

/** One subcommand: its name, one-line summary, where it runs, and how to import it. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  /**
   * True when the command runs on a runtime-only install (dependencies commander + wavefile, plus
   * node-web-audio-api for `live`); false when it needs the full checkout (devDependencies, and for
   * train/compress the libtorch addon from `npm run build:native`).
   */
  readonly runtime: boolean;
  readonly load: () => Promise<CommandModule>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'corpus',
    summary: 'build, test-set and fixture tools for the open speech + noise corpus',
    runtime: false,
    load: () => import('./corpus.js'),
  },
  {
    name: 'train',
    summary: 'train FDNN/LSTM/TCNN/GCRN with libtorch on on-the-fly corpus mixtures (AMSGrad, MSE; best model by validation loss)',
    runtime: false,
    load: () => import('./train.js'),
  },
  {
    name: 'compress',
    summary: 'compress a trained checkpoint (Tan & Wang pipelines C1/C2 and baselines) into a .hush file and a JSON report',
    runtime: false,
    load: () => import('./compress.js'),
  },
  {
    name: 'enhance',
    summary: 'enhance a WAV file with a trained (.safetensors, libtorch) or compressed (.hush, WASM) model',
    runtime: true,
    load: () => import('./enhance.js'),
  },
  {
    name: 'eval',
    summary: 'speech-quality metrics of a degraded/enhanced WAV against its clean reference',
    runtime: true,
    load: () => import('./eval.js'),
  },
  {
    name: 'evalset',
    summary: 'score a model (--model) or a peer (--peer) on the fixed test set (Table I rows), or the metrics of many reference/degraded pairs (--pairs)',
    runtime: false,
    load: () => import('./evalset.js'),
  },
  {
    name: 'bench',
    summary: 'per-hop latency, real-time factor, MACs and memory of a .hush model (enhancement or speaker separation) on the WASM runtime (SIMD/scalar × fast/compact/auto)',
    runtime: true,
    load: () => import('./bench.js'),
  },
  {
    name: 'inspect',
    summary: 'per-tensor encoding, K, bits, sparsity and bytes; parameters, eq.-11 and actual compression rates, MACs per 4 s',
    runtime: true,
    load: () => import('./inspect.js'),
  },
  {
    name: 'models',
    summary: 'per-architecture parameter count, float32 MiB and MACs per 4-s mixture of a preset',
    runtime: true,
    load: () => import('./models.js'),
  },
  {
    name: 'report',
    summary: 'render compress reports and checkpoints of a results folder as an HTML page with paper-style tables and figures',
    runtime: false,
    load: () => import('./report.js'),
  },
  {
    name: 'demo',
    summary: 'enhance the bundled noisy clips with the bundled model on the WASM runtime: quality before/after, latency, HTML report; --serve for the browser demo',
    runtime: true,
    load: () => import('./demo.js'),
  },
  {
    name: 'live',
    summary: 'live input (default capture device, a WAV file or a tone) → HushNode → output through node-web-audio-api, with per-second real-time figures',
    runtime: true,
    load: () => import('./live.js'),
  },
];

/** The entry of a command name, or undefined. */
export function commandEntry(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
