/**
 * Reading what training runs leave behind, for the curves of `hushpack report --train-logs` and
 * docs/results/train/curves.md:
 *   M.safetensors.log.jsonl  one EpochRecord per validation (trainer.ts), in the order written
 *   legs.jsonl               one line per leg of a long run (tools/experiments/converge.sh): wall
 *                            time, load average, optimiser steps at its start and end, the command
 *   STEM.command             the command of an ablation row (tools/experiments/ablations.sh)
 * Every problem is a UserError naming the file (and line). Pure data: no plotting, no libtorch.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UserError } from '../errors.js';
import type { EpochRecord } from './trainer.js';

/** One leg of a long run (a line of legs.jsonl). */
export interface TrainLeg {
  run: string;
  start: string;
  end: string;
  /** Wall time of the leg, validation and state saves included, seconds. */
  wall_seconds: number;
  loadavg_start: string;
  loadavg_end: string;
  epoch_start: number;
  step_start: number;
  epoch_end: number;
  step_end: number;
  exit_code: number;
  command: string;
}

/** A training run: its validations and, where known, its legs and command. */
export interface TrainRun {
  /** The log file as given (or found under a given folder). */
  file: string;
  /** The log's name without `.log.jsonl` and `.safetensors` (legs.jsonl's `run`). */
  run: string;
  records: EpochRecord[];
  /** The legs of legs.jsonl whose `run` is this run's name, in file order ([] when none). */
  legs: TrainLeg[];
  /** The command that started the run: STEM.command next to the log, else its first leg's; null when unknown. */
  command: string | null;
}

const LOG_SUFFIX = '.log.jsonl';
const LEGS_NAME = 'legs.jsonl';

/** The run name of a log file: `models/state/gcrn-edge-v2.safetensors.log.jsonl` → `gcrn-edge-v2`. */
export function trainRunName(file: string): string {
  return basename(file).replace(/\.log\.jsonl$/, '').replace(/\.safetensors$/, '');
}

function jsonLines(file: string, what: string): unknown[] {
  if (!existsSync(file)) throw new UserError(`${file}: no such ${what}`);
  if (!statSync(file).isFile()) throw new UserError(`${file}: not a file (expected a ${what})`);
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: unknown[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line));
    } catch (err) {
      throw new UserError(`${file}:${i + 1}: not JSON (${(err as Error).message}); expected one JSON object per line (${what})`);
    }
  });
  if (out.length === 0) throw new UserError(`${file}: empty ${what} (no JSON lines)`);
  return out;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumOrNull = (v: unknown) => v === null || v === undefined || isNum(v);

/**
 * Reads a training log (M.safetensors.log.jsonl). Throws a UserError naming the file when it is
 * missing, empty, not JSON lines, a line lacks epoch/step/val_loss/lr, a metric is not a number, or
 * the steps go backwards.
 */
export function trainLogRead(file: string): EpochRecord[] {
  const rows = jsonLines(file, 'training log');
  const records: EpochRecord[] = [];
  rows.forEach((r, i) => {
    const at = `${file}:${i + 1}`;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new UserError(`${at}: not a JSON object`);
    const o = r as Record<string, unknown>;
    for (const k of ['epoch', 'step', 'val_loss', 'lr']) {
      if (!isNum(o[k])) throw new UserError(`${at}: '${k}' is ${o[k] === undefined ? 'missing' : `not a finite number (${JSON.stringify(o[k])})`}; not a hushpack training log line`);
    }
    for (const k of ['train_loss', 'val_stoi', 'val_pesq_nb', 'val_pesq_wb', 'mix_stoi', 'mix_pesq_nb', 'mix_pesq_wb']) {
      if (!isNumOrNull(o[k])) throw new UserError(`${at}: '${k}' is not a number or null (${JSON.stringify(o[k])})`);
    }
    const rec = {
      ...o, partial: o.partial === true, best: o.best === true,
      train_loss: (o.train_loss ?? null) as number | null,
      val_stoi: (o.val_stoi ?? null) as number | null, val_pesq_nb: (o.val_pesq_nb ?? null) as number | null, val_pesq_wb: (o.val_pesq_wb ?? null) as number | null,
      mix_stoi: (o.mix_stoi ?? null) as number | null, mix_pesq_nb: (o.mix_pesq_nb ?? null) as number | null, mix_pesq_wb: (o.mix_pesq_wb ?? null) as number | null,
    } as EpochRecord;
    const prev = records[records.length - 1];
    if (prev && rec.step < prev.step) throw new UserError(`${at}: step ${rec.step} after step ${prev.step} (line ${i}); the steps of a log only grow`);
    records.push(rec);
  });
  return records;
}

/** Reads legs.jsonl. Throws a UserError naming the file (and line) on a bad leg. */
export function trainLegsRead(file: string): TrainLeg[] {
  return jsonLines(file, 'legs file').map((r, i) => {
    const o = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
    if (typeof o.run !== 'string') throw new UserError(`${file}:${i + 1}: 'run' is missing; not a legs.jsonl line`);
    for (const k of ['wall_seconds', 'step_start', 'step_end']) {
      if (!isNum(o[k])) throw new UserError(`${file}:${i + 1}: '${k}' is ${o[k] === undefined ? 'missing' : 'not a finite number'}; not a legs.jsonl line`);
    }
    if ((o.step_end as number) < (o.step_start as number)) throw new UserError(`${file}:${i + 1}: step_end ${String(o.step_end)} < step_start ${String(o.step_start)}`);
    return { command: '', exit_code: 0, ...o } as TrainLeg;
  });
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/**
 * The runs of `paths`: each a training log, a legs.jsonl, or a folder searched (recursively, in
 * path order) for `*.log.jsonl` and `legs.jsonl`. Legs attach to the log whose run name they carry.
 * Throws a UserError naming the path when it does not exist, a folder holds no log, or any log or
 * legs file is bad.
 */
export function trainRunsRead(paths: readonly string[]): TrainRun[] {
  const logs: string[] = [];
  const legFiles: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) throw new UserError(`${p}: no such training log or folder`);
    if (statSync(p).isDirectory()) {
      const found = walk(p);
      const here = found.filter((f) => f.endsWith(LOG_SUFFIX));
      if (here.length === 0) throw new UserError(`${p}: no training logs (*${LOG_SUFFIX}) in this folder`);
      logs.push(...here);
      legFiles.push(...found.filter((f) => basename(f) === LEGS_NAME));
    } else if (basename(p) === LEGS_NAME) legFiles.push(p);
    else logs.push(p);
  }
  if (logs.length === 0) throw new UserError(`${paths.join(', ')}: no training logs (*${LOG_SUFFIX}), only legs files`);
  const legs = [...new Set(legFiles)].flatMap((f) => trainLegsRead(f));
  return [...new Set(logs)].map((file) => {
    const run = trainRunName(file);
    const records = trainLogRead(file);
    const own = legs.filter((l) => l.run === run);
    const commandFile = file.slice(0, -LOG_SUFFIX.length).replace(/\.safetensors$/, '') + '.command';
    const command = existsSync(commandFile) ? readFileSync(commandFile, 'utf8').trim() : (own.find((l) => l.command)?.command ?? null);
    return { file, run, records, legs: own, command };
  });
}
