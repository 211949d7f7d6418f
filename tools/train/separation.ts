/**
 * The separation half of `hushpack train` (tools/commands/train.ts hands over when --arch names a separation
 * net, or --resume finds a separation run's state):
 *
 *   hushpack train --arch conv-tasnet|upit-lstm --preset paper|edge|tiny --corpus DIR --out M.safetensors
 *     [--minutes N] [--epochs N] [--batch N] [--steps-per-epoch N] [--val-items N] [--seed S] [--lr X]
 *     [--grad-clip X] [--lr-schedule plateau|step] [--lr-decay X] [--lr-patience N] [--stop-patience N]
 *     [--threads 1] [--resume] [--no-val-metrics] [--json]
 *
 * Trains with utterance-level PIT on on-the-fly 8-kHz two-talker mixtures (src/train/separation/):
 * SI-SNR for Conv-TasNet, the phase-sensitive mask loss for uPIT-LSTM; validation loss, SI-SNR
 * improvement and ESTOI after every epoch. Same files and progress output as the enhancement runs.
 */
import { stderrReporter, stopOnSignals } from './progress.js';
import { UserError } from '../../src/errors.js';
import { isSeparationArchName } from '../../src/models/separation/net.js';
import { isSeparationTrainPresetName, separationPresetConfig } from '../../src/models/separation/presets.js';
import { layoutParamCount, separationLayout } from '../../src/models/separation/net.js';
import { LR_SCHEDULES, type LrSchedule } from '../../src/train/schedule.js';
import {
  separationTrainRun, SEPARATION_TRAIN_THREADS_DEFAULT, type SeparationEpochRecord, type SeparationTrainHyperParams, type SeparationTrainReporter,
} from '../../src/train/separation/trainer.js';

/** The flags `train` passes on (strings as commander gives them; undefined when not given). */
export interface SeparationTrainCliOptions {
  arch?: string;
  preset?: string;
  corpus: string;
  out: string;
  minutes?: string;
  epochs?: string;
  batch?: string;
  stepsPerEpoch?: string;
  valItems?: string;
  seed?: string;
  /** Given explicitly (else the separation default, 1). */
  threads?: string;
  lr?: string;
  gradClip?: string;
  lrSchedule?: string;
  lrDecay?: string;
  lrPatience?: string;
  stopPatience?: string;
  resume?: boolean;
  checkpointMinutes: string;
  valMetrics: boolean;
  json?: boolean;
}

function int(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UserError(`${name} must be an integer ≥ ${min}, got '${v}'`);
  return n;
}

function positive(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`${name} must be a positive number, got '${v}'`);
  return n;
}

const f = (v: number | null, d: number) => (v === null ? '–' : v.toFixed(d));

/** One human line per validation. */
export function separationEpochLine(r: SeparationEpochRecord): string {
  const head = r.epoch === 0 && r.train_loss === null ? 'initial network' : `epoch ${r.epoch}${r.partial ? ' (partial)' : ''}`;
  return (
    `${head}: step ${r.step}, train loss ${f(r.train_loss, 4)}, val loss ${r.val_loss.toFixed(4)}, ` +
    `SI-SNRi ${r.val_sisnri.toFixed(2)} dB (SI-SNR ${r.val_sisnr.toFixed(2)}, mixture ${r.mix_sisnr.toFixed(2)}), ` +
    `ESTOI ${f(r.val_estoi, 4)} (mixture ${f(r.mix_estoi, 4)}), lr ${r.lr.toExponential(3)}` +
    (r.mixtures_per_second !== null ? `, ${r.mixtures_per_second.toFixed(2)} mixtures/s` : '') +
    `, validation ${r.val_seconds.toFixed(1)} s${r.best ? ', saved as best' : ''}`
  );
}


/** Runs `train` for a separation net. */
export async function separationTrainAction(opts: SeparationTrainCliOptions): Promise<void> {
  if (!opts.resume && (opts.arch === undefined || opts.preset === undefined)) throw new UserError('train needs --arch and --preset (or --resume)');
  if (opts.arch !== undefined && !isSeparationArchName(opts.arch)) throw new UserError(`--arch '${opts.arch}' is not a separation net (conv-tasnet, upit-lstm)`);
  if (opts.preset !== undefined && !isSeparationTrainPresetName(opts.preset)) throw new UserError(`--preset must be paper, edge or tiny, got '${opts.preset}'`);
  if (opts.minutes === undefined && opts.epochs === undefined) throw new UserError('train needs a budget: --minutes and/or --epochs');
  const hyper: Partial<SeparationTrainHyperParams> = {};
  if (opts.batch !== undefined) hyper.batch = int('--batch', opts.batch, 1);
  if (opts.stepsPerEpoch !== undefined) hyper.stepsPerEpoch = int('--steps-per-epoch', opts.stepsPerEpoch, 1);
  if (opts.valItems !== undefined) hyper.valItems = int('--val-items', opts.valItems, 1);
  if (opts.seed !== undefined) hyper.seed = int('--seed', opts.seed, Number.MIN_SAFE_INTEGER);
  if (opts.lr !== undefined) hyper.lr = positive('--lr', opts.lr);
  if (opts.gradClip !== undefined) {
    hyper.gradClip = Number(opts.gradClip);
    if (!(Number.isFinite(hyper.gradClip) && hyper.gradClip >= 0)) throw new UserError(`--grad-clip must be a number ≥ 0, got '${opts.gradClip}'`);
  }
  if (opts.lrSchedule !== undefined) {
    if (!(LR_SCHEDULES as readonly string[]).includes(opts.lrSchedule)) throw new UserError(`--lr-schedule must be ${LR_SCHEDULES.join(' or ')}, got '${opts.lrSchedule}'`);
    hyper.lrSchedule = opts.lrSchedule as LrSchedule;
  }
  if (opts.lrDecay !== undefined) hyper.lrDecay = positive('--lr-decay', opts.lrDecay);
  if (opts.lrPatience !== undefined) hyper.lrPatience = int('--lr-patience', opts.lrPatience, 1);
  if (opts.stopPatience !== undefined) hyper.stopPatience = int('--stop-patience', opts.stopPatience, 1);
  const config = opts.arch !== undefined && opts.preset !== undefined
    ? separationPresetConfig(opts.arch as Parameters<typeof separationPresetConfig>[0], opts.preset as Parameters<typeof separationPresetConfig>[1])
    : undefined;
  const reporter = stderrReporter(separationEpochLine);
  if (config) reporter.log?.(`${config.arch} ${opts.preset}: ${layoutParamCount(separationLayout(config)).toLocaleString('en-US')} parameters`);
  const stop = stopOnSignals((m) => reporter.log(m));
  try {
    const r = await separationTrainRun({
      config,
      preset: opts.preset,
      corpusDir: opts.corpus,
      out: opts.out,
      hyper,
      epochs: opts.epochs !== undefined ? int('--epochs', opts.epochs, 0) : undefined,
      minutes: opts.minutes !== undefined ? positive('--minutes', opts.minutes) : undefined,
      threads: opts.threads !== undefined ? int('--threads', opts.threads, 1) : SEPARATION_TRAIN_THREADS_DEFAULT,
      resume: opts.resume,
      checkpointMinutes: positive('--checkpoint-minutes', opts.checkpointMinutes),
      valMetrics: opts.valMetrics,
      commandLine: ['hushpack', ...process.argv.slice(2)].join(' '),
      reporter,
      signal: stop.signal,
    });
    reporter.stop();
    if (opts.json) {
      const summary = {
        out: r.out, state: r.statePath, log: r.logPath, task: 'separation', arch: r.config.arch, preset: r.preset, hparams: r.config.hp,
        params: layoutParamCount(separationLayout(r.config)), epoch: r.epoch, step: r.globalStep, steps: r.steps, stop_reason: r.stopReason,
        best_epoch: r.bestEpoch, best_val_loss: r.bestValLoss, step_seconds: r.stepSeconds, mixtures_per_second: r.mixturesPerSecond,
        seconds: r.seconds, epochs: r.records,
      };
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    } else {
      process.stdout.write(
        `${r.config.arch} ${r.preset}: ${r.epoch} epoch(s), ${r.globalStep} steps (stopped: ${r.stopReason}); ` +
          `best val loss ${f(r.bestValLoss, 4)} at epoch ${r.bestEpoch ?? '–'} → ${r.out}\n` +
          (r.stepSeconds !== null ? `${r.stepSeconds.toFixed(2)} s/step, ${r.mixturesPerSecond!.toFixed(2)} mixtures/s\n` : ''),
      );
    }
  } finally {
    reporter.stop();
    stop.dispose();
  }
}
