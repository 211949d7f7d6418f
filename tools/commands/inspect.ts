/** `hushpack inspect M.hush|M.safetensors [--json]`: the report of src/models/inspect.ts. */
import type { Command } from 'commander';
import { formatInspect, inspectFile } from '../../src/models/inspect.js';

/** Registers `inspect` on `program`. */
export function register(program: Command): void {
  program
    .command('inspect')
    .description('per-tensor encoding, K, bits, sparsity and bytes; parameters, eq.-11 and actual compression rates, MACs per 4 s')
    .argument('<model>', 'a .hush or .safetensors file')
    .option('--json', 'print one JSON object on stdout')
    .action((model: string, opts: { json?: boolean }) => {
      const report = inspectFile(model);
      if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else process.stdout.write(`${formatInspect(report)}\n`);
    });
}
