/**
 * `hushpack bench --model M.hush [--frames N] [--warmup N] [--json]`: per-hop latency of a compressed
 * model on the WASM runtime — µs per hop (p50 / p99 / max), real-time factor, multiplications per hop
 * and memory, for the SIMD and scalar builds and the fast / compact / auto execution plans, all in one
 * run (tools/bench/runtime.ts has the method). `--json` prints the BenchReport object only.
 *
 * A speaker-separation model (format 1.1, task separate: Conv-TasNet, uPIT-LSTM) runs on the
 * Separator instead (tools/bench/runtimeSeparation.ts): µs per 10-ms hop at its own rate (80 samples
 * at 8 kHz, every speaker's output hop included), the same builds and plans; `--json` prints the
 * SeparationBenchReport (`task: "separate"`).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../../src/errors.js';
import { PLAN_CHOICES, type PlanChoice } from '../../runtime/core/plan.js';
import type { WasmFlavor } from '../../runtime/node/wasmFile.js';
import { benchModel, benchTable } from '../bench/runtime.js';
import { benchHostLine, type BenchHost } from '../bench/host.js';
import { benchSeparationModel, benchSeparationTable } from '../bench/runtimeSeparation.js';
import { hushValidate } from '../../src/format/validate.js';
import { hushModelInfo } from '../../runtime/core/hushInfo.js';

function positiveInt(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UserError(`--${name} must be an integer ≥ ${min}, got '${v}'`);
  return n;
}

function listOf<T extends string>(name: string, v: string | undefined, allowed: readonly T[]): T[] | undefined {
  if (v === undefined) return undefined;
  const items = v.split(',').map((s) => s.trim());
  for (const i of items) if (!allowed.includes(i as T)) throw new UserError(`--${name}: unknown '${i}' (expected ${allowed.join(', ')})`);
  return items as T[];
}

/** Registers `bench` on `program`. */
export function register(program: Command): void {
  program
    .command('bench')
    .description('per-hop latency, real-time factor, MACs and memory of a .hush model (enhancement or speaker separation) on the WASM runtime (SIMD/scalar × fast/compact/auto)')
    .requiredOption('--model <file>', 'M.hush')
    .option('--frames <n>', 'timed hops per build × plan (3000 = 30 s of audio)', '3000')
    .option('--warmup <n>', 'untimed hops before timing', '300')
    .option('--plans <list>', 'comma-separated plans to run (default fast,compact,auto)')
    .option('--flavors <list>', 'comma-separated WASM builds (default simd,scalar; scalar only without SIMD)')
    .option('--json', 'print one JSON object on stdout')
    .action((opts: { model: string; frames: string; warmup: string; plans?: string; flavors?: string; json?: boolean }) => {
      if (!opts.model.toLowerCase().endsWith('.hush')) throw new UserError(`${opts.model}: bench runs .hush models (hushpack compress makes one)`);
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(opts.model);
      } catch (err) {
        throw new UserError(`${opts.model}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const options = {
        frames: positiveInt('frames', opts.frames, 1),
        warmup: positiveInt('warmup', opts.warmup, 0),
        plans: listOf<PlanChoice>('plans', opts.plans, PLAN_CHOICES),
        flavors: listOf<WasmFlavor>('flavors', opts.flavors, ['simd', 'scalar']),
        log: (l: string) => process.stderr.write(`${l}\n`),
      };
      // An invalid file goes to benchModel, whose load reports the reader's message.
      const separation = hushValidate(bytes).ok && hushModelInfo(bytes).task === 'separate';
      // The host (board, CPU, load average, Node) goes with the figures: docs/usage.md shows the format.
      const print = (report: { host: BenchHost }, table: string) =>
        process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : `${table}\nhost: ${benchHostLine(report.host)}\n`);
      if (separation) {
        const report = benchSeparationModel(bytes, opts.model, options);
        print(report, benchSeparationTable(report));
      } else {
        const report = benchModel(bytes, opts.model, options);
        print(report, benchTable(report));
      }
    });
}
