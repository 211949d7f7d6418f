/**
 * `hushpack models --preset paper|edge|tiny [--json]`: parameter count, float32 size (MiB) and
 * MACs per 4-second mixture (Table III convention) of each architecture's preset.
 */
import type { Command } from 'commander';
import { UserError } from '../../src/errors.js';
import {
  ARCH_NAMES,
  countMacs,
  countParams,
  float32MiB,
  isPresetName,
  MAC_FRAMES_PER_4S,
  presetConfig,
  type ArchConfig,
  type ArchName,
} from '../../src/models/index.js';

/** One row of the report. */
export interface ModelSizeRow {
  arch: ArchName;
  params: number;
  float32MiB: number;
  /** MACs per 4-s mixture, Table III (thop) convention. */
  macsPer4s: number;
  /** MACs per 4-s mixture as a direct implementation executes them (transposed convs cheaper). */
  executedMacsPer4s: number;
  config: ArchConfig;
}

/** The rows of `hushpack models` for `preset`. */
export function modelSizeRows(preset: string): ModelSizeRow[] {
  if (!isPresetName(preset)) throw new UserError(`--preset must be paper, edge or tiny, got '${preset}'`);
  return ARCH_NAMES.map((arch) => {
    const config = presetConfig(arch, preset);
    return {
      arch,
      params: countParams(config),
      float32MiB: float32MiB(config),
      macsPer4s: countMacs(config),
      executedMacsPer4s: countMacs(config, undefined, 'executed'),
      config,
    };
  });
}

/** Registers `models` on `program`. */
export function register(program: Command): void {
  program
    .command('models')
    .description('per-architecture parameter count, float32 MiB and MACs per 4-s mixture of a preset')
    .option('--preset <name>', 'paper | edge | tiny', 'paper')
    .option('--json', 'print one JSON object on stdout')
    .action((opts: { preset: string; json?: boolean }) => {
      const rows = modelSizeRows(opts.preset);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ preset: opts.preset, framesPer4s: MAC_FRAMES_PER_4S, models: rows })}\n`);
        return;
      }
      const lines = [
        `preset ${opts.preset}: MACs per 4-s mixture = ${MAC_FRAMES_PER_4S} frames (Table III convention; executed = direct transposed convs)`,
        `${'arch'.padEnd(6)}${'params'.padStart(13)}${'float32 MiB'.padStart(13)}${'G MACs/4s'.padStart(12)}${'executed'.padStart(11)}`,
      ];
      for (const r of rows) {
        lines.push(
          `${r.arch.padEnd(6)}${r.params.toLocaleString('en-US').padStart(13)}${r.float32MiB.toFixed(2).padStart(13)}` +
            `${(r.macsPer4s / 1e9).toFixed(3).padStart(12)}${(r.executedMacsPer4s / 1e9).toFixed(3).padStart(11)}`,
        );
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
