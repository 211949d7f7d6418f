/**
 * `hushpack eval --ref CLEAN.wav --deg TEST.wav [--trim] [--json]`: every speech-quality metric of
 * one pair — PESQ (P.862 NB MOS-LQO and raw, P.862.2 WB), STOI, ESTOI, SI-SNR, SDR, BSS-eval SDR.
 * With --json, stdout gets exactly one object
 * {pesq_nb, pesq_nb_raw, pesq_wb, stoi, estoi, sisnr, sdr, sdr_bss}, infinities as "inf"/"-inf";
 * notes (trimming, resampling for PESQ) go to stderr.
 */
import type { Command } from 'commander';
import { UserError } from '../../src/errors.js';
import { evaluateFiles, METRIC_KEYS, metricResultJson, type MetricResult } from '../../src/metrics/evaluate.js';

/** Units and descriptions of the metrics in the text report. */
const LABELS: Record<keyof MetricResult, string> = {
  pesq_nb: 'PESQ NB (P.862.1 MOS-LQO)',
  pesq_nb_raw: 'PESQ NB raw (P.862)',
  pesq_wb: 'PESQ WB (P.862.2 MOS-LQO)',
  stoi: 'STOI',
  estoi: 'ESTOI',
  sisnr: 'SI-SNR (dB)',
  sdr: 'SDR (dB)',
  sdr_bss: 'BSS-eval SDR (dB)',
};

/** Formats one metric value for the text report. */
export function metricText(key: keyof MetricResult, v: number | null): string {
  if (v === null) return 'n/a';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return key.startsWith('pesq') || key.endsWith('stoi') ? v.toFixed(4) : v.toFixed(2);
}

/** Registers `eval` on `program`. */
export function register(program: Command): void {
  program
    .command('eval')
    .description('speech-quality metrics of a degraded/enhanced WAV against its clean reference')
    .requiredOption('--ref <file>', 'clean reference WAV')
    .requiredOption('--deg <file>', 'degraded or enhanced WAV (same rate and length)')
    .option('--trim', 'cut both files to the shorter length instead of refusing different lengths')
    .option('--json', 'print one JSON object on stdout')
    .action((opts: { ref: string; deg: string; trim?: boolean; json?: boolean }) => {
      if (!opts.ref || !opts.deg) throw new UserError('eval needs --ref and --deg');
      const result = evaluateFiles(opts.ref, opts.deg, {
        trim: opts.trim,
        onNote: (m) => process.stderr.write(`hushpack eval: ${m}\n`),
      });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(metricResultJson(result))}\n`);
        return;
      }
      const width = Math.max(...METRIC_KEYS.map((k) => LABELS[k].length));
      const lines = METRIC_KEYS.map((k) => `${LABELS[k].padEnd(width)}  ${metricText(k, result[k])}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
