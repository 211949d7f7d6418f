/**
 * `hushpack demo` — the main job: the bundled default model (demos/models/default.hush) enhances the
 * bundled noisy clips (demos/clips/) on the WASM runtime; prints model size, compression rates,
 * STOI/PESQ before → after per clip and their mean, and the per-hop compute time; writes the enhanced
 * WAVs, report.html and demo.json to --out (src/demo/run.ts has the method).
 *
 *   hushpack demo [--model M.hush] [--out DIR] [--clips DIR] [--flavor simd|scalar] [--plan P] [--json]
 *   hushpack demo --serve [--port N]     … then serve the browser demo on http://127.0.0.1:N/
 *                                        (default 8765; the report at /report/) until Ctrl-C
 *   hushpack demo clips --corpus DIR [--out demos/clips]   (re)make the bundled clips
 *
 * A missing default model is an error that says how to make it; nothing falls back to another model.
 * `--json` prints exactly one JSON object (the DemoReport) on stdout; progress goes to stderr.
 */
import type { Command } from 'commander';
import { UserError } from '../../src/errors.js';
import { demoClipsMake } from '../../src/demo/clips.js';
import { demoClipsDir } from '../../src/demo/paths.js';
import { demoReportJson, demoRun } from '../../src/demo/run.js';
import { DEMO_PORT_DEFAULT, demoServe } from '../../src/demo/serve.js';
import { demoTable, fmtBytes } from '../../src/demo/table.js';
import { PLAN_CHOICES, type PlanChoice } from '../../runtime/core/plan.js';
import type { WasmFlavor } from '../../runtime/node/wasmFile.js';
import { workersOptionAdd, workersOptionValue } from '../workersOption.js';

interface DemoCliOptions {
  model?: string;
  out: string;
  clips?: string;
  flavor?: string;
  plan?: string;
  workers?: string;
  threads?: string;
  /** commander's --no-peers: false when given. */
  peers: boolean;
  serve?: boolean;
  port?: string;
  json?: boolean;
}

function portParse(v: string | undefined): number {
  if (v === undefined) return DEMO_PORT_DEFAULT;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UserError(`--port must be an integer in 0..65535, got '${v}'`);
  return n;
}

/** Waits for Ctrl-C / SIGTERM. */
function untilInterrupted(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Registers `demo` (and `demo clips`) on `program`. */
export function register(program: Command): void {
  const demo = program
    .command('demo')
    .description('enhance the bundled noisy clips with the bundled model on the WASM runtime: quality before/after, latency, HTML report; --serve for the browser demo')
    .option('--model <file>', 'a .hush model (default: demos/models/default.hush)')
    .option('--out <dir>', 'output folder for the enhanced WAVs, report.html and demo.json', 'demo-out')
    .option('--clips <dir>', 'clips folder with clips.csv (default: demos/clips)')
    .option('--flavor <simd|scalar>', 'WASM build (default: SIMD when the host has it)')
    .option('--plan <auto|fast|compact>', 'execution plan of the runtime', 'auto');
  workersOptionAdd(demo)
    .option('--no-peers', 'do not run the peers (RNNoise, GTCRN, Speex) on the clips beside the model')
    .option('--serve', `then serve the browser demo on http://127.0.0.1:PORT/ until Ctrl-C`)
    .option('--port <n>', 'port for --serve (0 = any free port)', String(DEMO_PORT_DEFAULT))
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: DemoCliOptions, command: Command) => {
      if (opts.flavor !== undefined && opts.flavor !== 'simd' && opts.flavor !== 'scalar') throw new UserError(`--flavor must be simd or scalar, got '${opts.flavor}'`);
      if (opts.plan !== undefined && !PLAN_CHOICES.includes(opts.plan as PlanChoice)) throw new UserError(`--plan must be one of ${PLAN_CHOICES.join(', ')}, got '${opts.plan}'`);
      const threads = workersOptionValue(opts, 'demo');
      if (command.getOptionValueSource('port') !== 'default' && !opts.serve) throw new UserError('--port needs --serve');
      const port = portParse(opts.port);
      const { report } = await demoRun({
        modelPath: opts.model,
        outDir: opts.out,
        clipsDir: opts.clips,
        flavor: opts.flavor as WasmFlavor | undefined,
        plan: opts.plan as PlanChoice | undefined,
        threads,
        peers: opts.peers,
        log: (l) => process.stderr.write(`${l}\n`),
      });
      process.stdout.write(opts.json ? `${JSON.stringify(demoReportJson(report))}\n` : `${demoTable(report)}\n`);
      if (!opts.serve) return;
      const server = await demoServe({ port, reportDir: report.outDir, clipsDir: opts.clips });
      process.stderr.write(`hushpack demo: browser demo at ${server.url} (report at ${server.url}report/); Ctrl-C stops\n`);
      await untilInterrupted();
      await server.close();
    });

  demo
    .command('clips')
    .description('(re)make the bundled demo clips from a built corpus test set (reproducible picks)')
    .requiredOption('--corpus <dir>', 'corpus folder made by `hushpack corpus build` (with testset/)')
    .option('--out <dir>', 'clips folder (default: demos/clips of the package)')
    .option('--json', 'print one JSON object on stdout')
    .action((opts: { corpus: string; out?: string; json?: boolean }) => {
      // The root program parses options anywhere on the line, so `demo clips --out DIR` may hand
      // --out (and --json) to `demo`, which has the same options: take them from there when given.
      const given = (k: string) => demo.getOptionValueSource(k) === 'cli';
      const out = opts.out ?? (given('out') ? (demo.opts() as DemoCliOptions).out : undefined) ?? demoClipsDir();
      const json = opts.json || given('json');
      const r = demoClipsMake(opts.corpus, out);
      if (json) {
        process.stdout.write(`${JSON.stringify(r)}\n`);
        return;
      }
      const lines = r.clips.map((c) => `  ${c.name.padEnd(36)} test set id ${c.testsetId}  ${c.mix}`);
      process.stdout.write(`${[`wrote ${r.clips.length} clips to ${r.outDir} (${fmtBytes(r.bytes)}), packages: ${r.packages.join(', ')}`, ...lines].join('\n')}\n`);
    });
}
