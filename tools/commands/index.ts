/**
 * Subcommand registry. One file per subcommand; each exports `register(program)`.
 * Keep this list in the order of DESIGN.md's CLI section.
 */
import type { Command } from 'commander';
import { register as registerCorpus } from './corpus.js';
import { register as registerTrain } from './train.js';
import { register as registerCompress } from './compress.js';
import { register as registerEnhance } from './enhance.js';
import { register as registerEval } from './eval.js';
import { register as registerEvalset } from './evalset.js';
import { register as registerBench } from './bench.js';
import { register as registerInspect } from './inspect.js';
import { register as registerModels } from './models.js';
import { register as registerReport } from './report.js';
import { register as registerDemo } from './demo.js';

export function registerCommands(program: Command): void {
  void program;
  registerCorpus(program);
  registerTrain(program);
  registerCompress(program);
  registerEnhance(program);
  registerEval(program);
  registerEvalset(program);
  registerBench(program);
  registerInspect(program);
  registerModels(program);
  registerReport(program);
  registerDemo(program);
}
