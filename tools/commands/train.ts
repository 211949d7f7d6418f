/**
 * `hushpack train --arch A --preset P [--set key=value …] --corpus DIR --out M.safetensors [--minutes N]
 *  [--epochs N] [--steps-per-epoch N] [--val-items N] [--seed S] [--lr X] [--talker-noise P] [--loss L] [--grad-clip X]
 *  [--snr-range LO,HI] [--augment none|v2] [--augment-set key=value,…] [--threads 2]
 *  [--resume | --init CKPT.safetensors] [--json]`
 *
 * `--set` overrides hyper-parameters of the preset (src/models/overrides.ts), e.g. the paper's
 * small-from-scratch baselines (Table IV): `--set hidden_units=200,200,200`. The checkpoint then has
 * preset 'custom' and records base_preset and hparam_overrides. `--init` warm-starts a new run from
 * a checkpoint's weights (same network; fresh optimiser, lr restarts at --lr, default 1e-3).
 *
 * Trains one of the four networks with libtorch (src/train/trainer.ts): on-the-fly mixtures of the
 * corpus's train split, AMSGrad, validation loss/STOI/PESQ after every epoch. Writes the best model
 * to M.safetensors, the resumable state to M.safetensors.state (at least every --checkpoint-minutes,
 * and when stopped by a budget or Ctrl-C) and one JSON line per epoch to M.safetensors.log.jsonl.
 * A progress bar with throughput (mixtures/s) and ETA goes to stderr; with --json, stdout gets one
 * JSON object summarising the run.
 *
 * `--arch conv-tasnet|upit-lstm` trains a separation net instead (tools/train/separation.ts: uPIT on
 * on-the-fly two-talker mixtures, flags --batch … as listed there; the noise/augmentation/level flags
 * do not apply).
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { stderrReporter, stopOnSignals } from '../train/progress.js';
import { UserError } from '../../src/errors.js';
import { isArchName, isPresetName, type ArchConfig } from '../../src/models/config.js';
import { configEqual, configWithOverrides, hparamText } from '../../src/models/overrides.js';
import { presetConfig } from '../../src/models/presets.js';
import { countMacs, countParams } from '../../src/models/size.js';
import { isTorchAvailable, ADDON_MISSING_MESSAGE } from '../../src/torch/torch.js';
import { TRAIN_LOSSES, type TrainLoss } from '../../src/train/loss.js';
import { MIX_AUGMENT_PRESETS, MIX_AUGMENT_V2_SNR_RANGE_DB, mixAugmentPreset, mixAugmentWith } from '../../src/data/augment/settings.js';
import { TRAIN_LEVELS, type TrainLevel } from '../../src/train/level.js';
import { TRAIN_RECIPES, TRAIN_RECIPE_NAMES, trainRecipe } from '../../src/train/recipes.js';
import { TRAIN_STATE_SUFFIX } from '../../src/train/checkpoint.js';
import { isSeparationArchName } from '../../src/models/separation/net.js';
import { isSeparationMetadata, safetensorsMetadataRead } from '../../src/train/separation/checkpoint.js';
import { TRAIN_DEFAULTS, TRAIN_THREADS_DEFAULT, trainRun, type EpochRecord, type TrainHyperParams, type TrainReporter } from '../../src/train/trainer.js';
import { CHECKPOINT_MINUTES_DEFAULT } from '../../src/train/loop.js';
import { LR_SCHEDULES, type LrSchedule } from '../../src/train/schedule.js';

/** The flags of training settings whose --help default is the trainer's (TRAIN_DEFAULTS). */
const HYPER_FLAGS = ['valItems', 'seed', 'lr', 'talkerNoise', 'loss', 'gradClip', 'snrRange', 'augment', 'level', 'lrSchedule', 'lrDecay', 'lrPatience', 'stopPatience'] as const;

interface TrainCliOptions {
  arch?: string;
  preset?: string;
  corpus: string;
  out: string;
  minutes?: string;
  epochs?: string;
  stepsPerEpoch?: string;
  batch?: string;
  valItems?: string;
  seed?: string;
  threads: string;
  resume?: boolean;
  init?: string;
  set: string[];
  recipe: string;
  lr?: string;
  talkerNoise?: string;
  loss?: string;
  gradClip?: string;
  snrRange?: string;
  valSnrRange?: string;
  augment?: string;
  augmentSet?: string;
  valAugment?: string;
  valTalkerNoise?: string;
  level?: string;
  lrSchedule?: string;
  lrDecay?: string;
  lrPatience?: string;
  stopPatience?: string;
  checkpointMinutes: string;
  valMetrics: boolean;
  prefetch?: boolean;
  json?: boolean;
}

/**
 * True when the run is a separation net's (src/train/separation/): --arch names one, or --resume
 * without --arch finds a separation run's state next to --out.
 */
function separationRun(opts: TrainCliOptions): boolean {
  if (opts.arch !== undefined) return isSeparationArchName(opts.arch);
  const state = opts.out + TRAIN_STATE_SUFFIX;
  return opts.resume === true && existsSync(state) && isSeparationMetadata(safetensorsMetadataRead(state));
}

/** Parses a positive integer option, naming it in the error. */
function positiveInt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${name} must be a positive integer, got '${v}'`);
  return n;
}

/** Parses a non-negative integer option. */
function nonNegativeInt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UserError(`${name} must be a non-negative integer, got '${v}'`);
  return n;
}

/** Parses a positive number option. */
function positiveNumber(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`${name} must be a positive number, got '${v}'`);
  return n;
}

/** Parses 'lo,hi' (dB, lo ≤ hi). */
function snrRange(name: string, v: string): [number, number] {
  const r = v.split(',').map((x) => (x.trim() === '' ? NaN : Number(x)));
  if (r.length !== 2 || !r.every(Number.isFinite) || r[0] > r[1]) throw new UserError(`${name} must be lo,hi in dB with lo ≤ hi, got '${v}'`);
  return [r[0], r[1]];
}

/** A number for the log line, or '–'. */
function fmt(v: number | null, digits: number): string {
  return v === null ? '–' : v.toFixed(digits);
}

/** One human line per validation. */
export function epochLine(r: EpochRecord): string {
  const head = r.epoch === 0 && r.train_loss === null ? 'initial network' : `epoch ${r.epoch}${r.partial ? ' (partial)' : ''}`;
  return (
    `${head}: step ${r.step}, train loss ${fmt(r.train_loss, 4)}, val loss ${r.val_loss.toFixed(4)}, ` +
    `STOI ${fmt(r.val_stoi, 4)} (mixture ${fmt(r.mix_stoi, 4)}), PESQ-NB ${fmt(r.val_pesq_nb, 3)} (mixture ${fmt(r.mix_pesq_nb, 3)}), ` +
    `PESQ-WB ${fmt(r.val_pesq_wb ?? null, 3)} (mixture ${fmt(r.mix_pesq_wb ?? null, 3)}), ` +
    `lr ${r.lr.toExponential(3)}` +
    (r.mixtures_per_second !== null ? `, ${r.mixtures_per_second.toFixed(2)} mixtures/s` : '') +
    `, validation ${r.val_seconds.toFixed(1)} s${r.best ? ', saved as best' : ''}`
  );
}


/** Registers `train` on `program`. */
export function register(program: Command): void {
  program
    .command('train')
    .description('train FDNN/LSTM/TCNN/GCRN with libtorch on on-the-fly corpus mixtures (AMSGrad, MSE; best model by validation loss)')
    .option('--arch <name>', 'fdnn | lstm | tcnn | gcrn, or a separation net: conv-tasnet | upit-lstm (optional with --resume)')
    .option('--preset <name>', 'paper | edge | tiny (optional with --resume)')
    .requiredOption('--corpus <dir>', 'corpus folder (manifest.csv; hushpack corpus build)')
    .requiredOption('--out <file>', 'best-model checkpoint M.safetensors (state: M.safetensors.state, log: M.safetensors.log.jsonl)')
    .option('--minutes <x>', 'wall-clock budget of this invocation')
    .option('--epochs <n>', 'total epochs of the run')
    .option('--batch <n>', 'separation nets: mixtures per minibatch (default 4, measured: docs/results/separation/training.md)')
    .option('--steps-per-epoch <n>', 'optimiser steps per epoch (default: one pass over the train speech, in 16 × 4-s mixtures)')
    .option('--val-items <n>', 'validation mixtures, a fixed subset of the validation split', String(TRAIN_DEFAULTS.valItems))
    .option('--seed <n>', 'seed of the initialisation and the training mixtures', String(TRAIN_DEFAULTS.seed))
    .option('--threads <n>', 'libtorch threads', String(TRAIN_THREADS_DEFAULT))
    .option('--set <key=value>', 'override a hyper-parameter of the preset, repeatable (e.g. hidden_units=200,200,200; names: hushpack models --json)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--recipe <name>', `training recipe, the defaults of the settings below (flags given override it): ${TRAIN_RECIPE_NAMES.map((n) => `${n} — ${TRAIN_RECIPES[n].summary}`).join('; ')} (src/train/recipes.ts)`, 'paper')
    .option('--lr <x>', 'initial learning rate (step schedule: decayed ×--lr-decay every 2 epochs)', String(TRAIN_DEFAULTS.lr))
    .option('--talker-noise <x>', 'probability that a training/validation mixture\'s noise is babble of 3–8 other talkers of the same split instead of a recorded noise', String(TRAIN_DEFAULTS.talkerNoise))
    .option('--loss <name>', `training loss: ${TRAIN_LOSSES.join(' | ')} (mse: the paper's; compressed: power-law compressed spectra, fdnn/lstm/gcrn; snr: tcnn)`, TRAIN_DEFAULTS.loss)
    .option('--grad-clip <x>', 'clip the gradients\' joint L2 norm to at most x (0: off)', String(TRAIN_DEFAULTS.gradClip))
    .option('--snr-range <lo,hi>', 'training/validation SNR range in dB, drawn uniformly (the paper\'s)', TRAIN_DEFAULTS.snrRangeDb.join(','))
    .option('--val-snr-range <lo,hi>', 'SNR range of the validation mixtures in dB (default: the training range); fix it to compare runs with different --snr-range')
    .option('--augment <preset>', `mixer augmentations: ${Object.keys(MIX_AUGMENT_PRESETS).join(' | ')} (v2 — speed, rooms, EQ/telephone, level/clipping, synthetic and typing noise, a second noise — also sets --snr-range ${MIX_AUGMENT_V2_SNR_RANGE_DB.join(',')} unless given; docs/results/corpus-augment.md)`, 'none')
    .option('--val-augment <preset>', 'augmentations of the validation mixtures (default: as --augment); fix it to compare runs trained with different augmentations')
    .option('--val-talker-noise <x>', 'talker-babble probability of the validation mixtures (default: as --talker-noise)')
    .option('--augment-set <key=value,…>', 'override augmentation settings on top of --augment, e.g. reverb=0.3,rt60RangeS=0.3:0.9,noiseTyping=0 (names: src/data/augment/settings.ts)')
    .option('--level <mode>', 'level the net trains at: global (unit-RMS mixtures, the paper\'s) or track (the live runtime\'s causal level tracker applied on top, src/dsp/level.ts)', TRAIN_DEFAULTS.level)
    .option('--lr-schedule <name>', 'step (the paper\'s: ×--lr-decay every 2 epochs) or plateau (×--lr-decay after --lr-patience epochs without a validation gain; stops as converged after --stop-patience epochs without a gain once the lr has decayed)', TRAIN_DEFAULTS.lrSchedule)
    .option('--lr-decay <x>', 'learning-rate factor (0.98: the paper\'s; for plateau e.g. 0.5)', String(TRAIN_DEFAULTS.lrDecay))
    .option('--lr-patience <n>', 'plateau: epochs without a validation gain before the lr decays', String(TRAIN_DEFAULTS.lrPatience))
    .option('--stop-patience <n>', 'plateau: epochs without a gain after the first decay that end the run', String(TRAIN_DEFAULTS.stopPatience))
    .option('--resume', 'continue the run saved in M.safetensors.state')
    .option('--init <ckpt>', 'warm start: a new run from the weights of this checkpoint (same network; fresh optimiser and schedule)')
    .option('--checkpoint-minutes <x>', 'minutes between state saves', String(CHECKPOINT_MINUTES_DEFAULT))
    .option('--no-val-metrics', 'validation loss only (skip STOI/PESQ)')
    .option('--prefetch', 'prepare the next batch on a worker thread (default: only when --threads leaves a core free)')
    .option('--no-prefetch', 'prepare batches in the main thread')
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: TrainCliOptions, command: Command) => {
      if (!isTorchAvailable()) throw new UserError(ADDON_MISSING_MESSAGE);
      // The training settings' defaults shown by --help are TRAIN_DEFAULTS; only the flags given
      // override them (so a resume names only those it ignores, and --augment v2 still sets its SNR range).
      for (const k of HYPER_FLAGS) if (command.getOptionValueSource(k) === 'default') delete opts[k];
      if (separationRun(opts)) {
        if (command.getOptionValueSource('recipe') !== 'default') throw new UserError('--recipe names enhancement-training recipes; a separation net trains with its papers\' settings');
        const threads = command.getOptionValueSource('threads') === 'default' ? undefined : opts.threads;
        return (await import('../train/separation.js')).separationTrainAction({ ...opts, threads });
      }
      if (opts.batch !== undefined) throw new UserError('--batch is a separation-training flag (enhancement trains with the paper\'s 16)');
      if (!opts.resume && opts.init === undefined && (opts.arch === undefined || opts.preset === undefined)) {
        throw new UserError('train needs --arch and --preset (or --resume to continue a run, or --init to warm-start from a checkpoint)');
      }
      if (opts.init !== undefined && opts.resume) throw new UserError('--init starts a new run; it cannot be combined with --resume');
      if (opts.init !== undefined && (opts.arch === undefined) !== (opts.preset === undefined)) {
        throw new UserError('with --init give both --arch and --preset (checked against the checkpoint) or neither (taken from it)');
      }
      if (opts.set.length > 0 && (opts.arch === undefined || opts.preset === undefined)) {
        throw new UserError('--set overrides a preset: give --arch and --preset too');
      }
      if (opts.arch !== undefined && !isArchName(opts.arch)) throw new UserError(`--arch must be fdnn, lstm, tcnn or gcrn, got '${opts.arch}'`);
      if (opts.preset !== undefined && !isPresetName(opts.preset)) throw new UserError(`--preset must be paper, edge or tiny, got '${opts.preset}'`);
      if (opts.minutes === undefined && opts.epochs === undefined) throw new UserError('train needs a budget: --minutes and/or --epochs');
      const recipe = trainRecipe(opts.recipe);
      const hyper: Partial<TrainHyperParams> = {};
      if (opts.seed !== undefined) {
        hyper.seed = Number(opts.seed);
        if (!Number.isSafeInteger(hyper.seed)) throw new UserError(`--seed must be an integer, got '${opts.seed}'`);
      }
      if (opts.valItems !== undefined) hyper.valItems = positiveInt('--val-items', opts.valItems);
      if (opts.stepsPerEpoch !== undefined) hyper.stepsPerEpoch = positiveInt('--steps-per-epoch', opts.stepsPerEpoch);
      if (opts.lr !== undefined) hyper.lr = positiveNumber('--lr', opts.lr);
      if (opts.talkerNoise !== undefined) {
        hyper.talkerNoise = Number(opts.talkerNoise);
        if (!(hyper.talkerNoise >= 0 && hyper.talkerNoise <= 1)) throw new UserError(`--talker-noise must be a probability in [0, 1], got '${opts.talkerNoise}'`);
      }
      if (opts.loss !== undefined) {
        if (!(TRAIN_LOSSES as readonly string[]).includes(opts.loss)) throw new UserError(`--loss must be one of ${TRAIN_LOSSES.join(', ')}, got '${opts.loss}'`);
        hyper.loss = opts.loss as TrainLoss;
      }
      if (opts.gradClip !== undefined) {
        hyper.gradClip = Number(opts.gradClip);
        if (!(Number.isFinite(hyper.gradClip) && hyper.gradClip >= 0)) throw new UserError(`--grad-clip must be a number ≥ 0, got '${opts.gradClip}'`);
      }
      if (opts.snrRange !== undefined) hyper.snrRangeDb = snrRange('--snr-range', opts.snrRange);
      if (opts.valAugment !== undefined) hyper.valAugment = { ...mixAugmentPreset(opts.valAugment) };
      if (opts.valTalkerNoise !== undefined) {
        hyper.valTalkerNoise = Number(opts.valTalkerNoise);
        if (!(hyper.valTalkerNoise >= 0 && hyper.valTalkerNoise <= 1)) throw new UserError(`--val-talker-noise must be a probability in [0, 1], got '${opts.valTalkerNoise}'`);
      }
      if (opts.augment !== undefined || opts.augmentSet !== undefined) {
        const preset = opts.augment ?? 'none';
        hyper.augment = mixAugmentWith(mixAugmentPreset(preset), opts.augmentSet ?? '');
        // An augmentation preset brings its SNR range unless --snr-range is given (v2: wider; none: the paper's).
        if (opts.snrRange === undefined) hyper.snrRangeDb = preset === 'v2' ? [...MIX_AUGMENT_V2_SNR_RANGE_DB] : [...TRAIN_DEFAULTS.snrRangeDb];
      }
      if (opts.valSnrRange !== undefined) hyper.valSnrRangeDb = snrRange('--val-snr-range', opts.valSnrRange);
      if (opts.lrSchedule !== undefined) {
        if (!(LR_SCHEDULES as readonly string[]).includes(opts.lrSchedule)) throw new UserError(`--lr-schedule must be ${LR_SCHEDULES.join(' or ')}, got '${opts.lrSchedule}'`);
        hyper.lrSchedule = opts.lrSchedule as LrSchedule;
      }
      if (opts.lrDecay !== undefined) {
        hyper.lrDecay = Number(opts.lrDecay);
        if (!(hyper.lrDecay > 0 && hyper.lrDecay <= 1)) throw new UserError(`--lr-decay must be in (0, 1], got '${opts.lrDecay}'`);
      }
      if (opts.lrPatience !== undefined) hyper.lrPatience = positiveInt('--lr-patience', opts.lrPatience);
      if (opts.stopPatience !== undefined) hyper.stopPatience = positiveInt('--stop-patience', opts.stopPatience);
      if (opts.level !== undefined) {
        if (!(TRAIN_LEVELS as readonly string[]).includes(opts.level)) throw new UserError(`--level must be ${TRAIN_LEVELS.join(' or ')}, got '${opts.level}'`);
        hyper.level = opts.level as TrainLevel;
      }
      const base = opts.arch !== undefined && opts.preset !== undefined && isArchName(opts.arch) && isPresetName(opts.preset)
        ? presetConfig(opts.arch, opts.preset)
        : undefined;
      let config: ArchConfig | undefined = base;
      let preset: string | undefined = opts.preset;
      const metadata: Record<string, string> = opts.resume ? {} : { recipe: opts.recipe };
      let sizeLine: string | null = null;
      // The recipe's overrides of this architecture's preset come first, the user's --set after them.
      const sets = base ? [...(recipe.set[base.arch] ?? []), ...opts.set] : opts.set;
      if (base && sets.length > 0) {
        const o = configWithOverrides(base, sets);
        if (!configEqual(o.config, base)) {
          config = o.config;
          preset = 'custom';
          metadata.base_preset = opts.preset!;
          metadata.hparam_overrides = JSON.stringify(Object.fromEntries(o.overrides.map((x) => [x.key, x.value])));
          sizeLine =
            `custom ${base.arch} (${opts.preset} with ${o.overrides.map((x) => `${x.key}=${hparamText(x.value)}`).join(' ')}): ` +
            `${countParams(config).toLocaleString('en-US')} parameters (${opts.preset}: ${countParams(base).toLocaleString('en-US')}), ` +
            `${(countMacs(config) / 1e9).toFixed(3)} G MACs per 4 s`;
        }
      }

      const reporter = stderrReporter(epochLine);
      if (sizeLine !== null) reporter.log?.(sizeLine);
      const stop = stopOnSignals((m) => reporter.log(m));
      try {
        const report = await trainRun({
          config,
          preset,
          init: opts.init,
          metadata,
          corpusDir: opts.corpus,
          out: opts.out,
          hyper: { ...recipe.hyper, ...hyper },
          epochs: opts.epochs !== undefined ? nonNegativeInt('--epochs', opts.epochs) : undefined,
          minutes: opts.minutes !== undefined ? positiveNumber('--minutes', opts.minutes) : undefined,
          threads: positiveInt('--threads', opts.threads),
          resume: opts.resume,
          checkpointMinutes: positiveNumber('--checkpoint-minutes', opts.checkpointMinutes),
          valMetrics: opts.valMetrics,
          prefetch: opts.prefetch,
          commandLine: ['hushpack', ...process.argv.slice(2)].join(' '),
          reporter,
          signal: stop.signal,
        });
        reporter.stop();
        const summary = {
          out: report.out,
          state: report.statePath,
          log: report.logPath,
          arch: report.config.arch,
          preset: report.preset,
          hparams: report.config.hparams,
          params: countParams(report.config),
          init: report.init,
          epoch: report.epoch,
          step: report.globalStep,
          steps: report.steps,
          stop_reason: report.stopReason,
          best_epoch: report.bestEpoch,
          best_val_loss: report.bestValLoss,
          step_seconds: report.stepSeconds,
          mixtures_per_second: report.mixturesPerSecond,
          batch_source: report.batchSource,
          seconds: report.seconds,
          epochs: report.records,
        };
        if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
        else {
          process.stdout.write(
            `${report.config.arch} ${report.preset}: ${report.epoch} epoch(s), ${report.globalStep} steps (stopped: ${report.stopReason}); ` +
              `best val loss ${fmt(report.bestValLoss, 4)} at epoch ${report.bestEpoch ?? '–'} → ${report.out}\n` +
              (report.stepSeconds !== null
                ? `${report.stepSeconds.toFixed(2)} s/step, ${report.mixturesPerSecond!.toFixed(2)} mixtures/s (batches: ${report.batchSource})\n`
                : ''),
          );
        }
      } finally {
        reporter.stop();
        stop.dispose();
      }
    });
}
