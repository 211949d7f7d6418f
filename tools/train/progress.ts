/**
 * `hushpack train`'s progress on stderr, for the enhancement and the separation trainers alike: a
 * bar per epoch (throughput as an exponential moving average, loss, ETA) and a line per validation,
 * written by `epochLine` (each trainer has its own metrics).
 */
import cliProgress from 'cli-progress';

/** The reporter callbacks both trainers call (src/train/trainer.ts TrainReporter, src/train/separation/trainer.ts). */
export interface StderrReporter<R> {
  log(message: string): void;
  epochStart(info: { epoch: number; stepInEpoch: number; stepsPerEpoch: number; lr: number }): void;
  step(info: { stepInEpoch: number; loss: number; mixturesPerSecond: number }): void;
  validationStart(items: number): void;
  epochEnd(record: R): void;
  /** Ends the current bar (before other output, and at the end of the run). */
  stop(): void;
}

/** A reporter whose validation lines are `epochLine(record)`. */
export function stderrReporter<R>(epochLine: (record: R) => string): StderrReporter<R> {
  let bar: cliProgress.SingleBar | null = null;
  let ema: number | null = null;
  const stop = () => {
    bar?.stop();
    bar = null;
  };
  return {
    log: (m) => {
      stop();
      process.stderr.write(`hushpack train: ${m}\n`);
    },
    epochStart: ({ epoch, stepInEpoch, stepsPerEpoch, lr }) => {
      stop();
      bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `epoch ${epoch} [{bar}] {value}/{total} steps | loss {loss} | {mps} mixtures/s | lr ${lr.toExponential(2)} | {duration_formatted} | eta {eta_formatted}`,
          noTTYOutput: true,
          notTTYSchedule: 30_000,
          hideCursor: false,
          etaBuffer: 20,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(stepsPerEpoch, stepInEpoch, { loss: '–', mps: '–' });
    },
    step: ({ stepInEpoch, loss, mixturesPerSecond }) => {
      ema = ema === null ? mixturesPerSecond : 0.9 * ema + 0.1 * mixturesPerSecond;
      bar?.update(stepInEpoch, { loss: loss.toFixed(4), mps: ema.toFixed(2) });
    },
    validationStart: (items) => {
      stop();
      process.stderr.write(`hushpack train: validating on ${items} mixtures…\n`);
    },
    epochEnd: (r) => {
      stop();
      process.stderr.write(`hushpack train: ${epochLine(r)}\n`);
    },
    stop,
  };
}

/**
 * Ctrl-C / SIGTERM for a training run: the first asks the trainer to stop after the current step
 * (it saves the state and validates the partial epoch), a second quits at once (exit 130; the
 * last saved state stays). `dispose` removes the handlers.
 */
export function stopOnSignals(log: (message: string) => void): { signal: AbortSignal; dispose(): void } {
  const abort = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(130);
    log('stopping after this step (state will be saved; Ctrl-C again to quit now)');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: abort.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
