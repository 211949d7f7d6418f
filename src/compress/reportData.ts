/**
 * The data of `hushpack report`: every compress report (`*.report.json`, format
 * hushpack-compress-report) and every trained checkpoint (`*.safetensors` with hushpack metadata,
 * for Table IV's small-from-scratch rows) and every test-set score file (`*.score.json`, format
 * hushpack-score, from `hushpack evalset --split test`) found under a results folder, and the rows
 * of the paper-style tables derived from them. Pure data: no HTML, no plotting.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UserError } from '../errors.js';
import { readSafetensors } from '../format/safetensors.js';
import { configFromMetadata } from '../train/checkpoint.js';
import { countParams, countMacs, float32MiB } from '../models/index.js';
import type { ArchConfig } from '../models/config.js';
import { SCORE_FORMAT, scoreFileProblem, type ScoreFile } from '../evaluate/scoreFile.js';
import { COMPRESS_REPORT_FORMAT, type CompressReport } from './pipelines.js';
import type { IterationRecord } from './prune.js';
import type { TrainRun } from '../train/trainLog.js';

/** A trained (uncompressed) model found in the results folder. */
export interface TrainedModel {
  file: string;
  arch: ArchConfig['arch'];
  preset: string;
  config: ArchConfig;
  params: number;
  float32MiB: number;
  macs: number;
  /** Validation metrics of the saved epoch (checkpoint metadata `val`), when present. */
  val: { loss: number | null; stoi: number | null; pesq_nb: number | null } | null;
}

/** Everything found under a results folder. */
export interface ReportInputs {
  dir: string;
  reports: (CompressReport & { file: string })[];
  models: TrainedModel[];
  /** Test-set score files (hushpack evalset --split test). */
  scores: (ScoreFile & { file: string })[];
  /** Files that looked relevant but could not be read, with the reason. */
  skipped: { file: string; reason: string }[];
  /** Training runs for the Training section (hushpack report --train-logs; src/train/trainLog.ts); none by default. */
  training?: TrainRun[];
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Reads every report, checkpoint and score file under `dir` (recursively, in path order). */
export function reportInputsRead(dir: string): ReportInputs {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: not a folder`);
  const inputs: ReportInputs = { dir, reports: [], models: [], scores: [], skipped: [] };
  for (const file of walk(dir)) {
    const rel = relative(dir, file);
    if (file.endsWith('.json')) {
      let j: unknown;
      try {
        j = JSON.parse(readFileSync(file, 'utf8'));
      } catch (err) {
        if (file.endsWith('.report.json') || file.endsWith('.score.json')) inputs.skipped.push({ file: rel, reason: (err as Error).message });
        continue;
      }
      if ((j as { format?: unknown } | null)?.format === SCORE_FORMAT) {
        const problem = scoreFileProblem(j);
        if (problem) inputs.skipped.push({ file: rel, reason: problem });
        else inputs.scores.push({ ...(j as ScoreFile), file: rel });
        continue;
      }
      const r = j as CompressReport;
      if (r && r.format === COMPRESS_REPORT_FORMAT) {
        if (r.version !== 1) inputs.skipped.push({ file: rel, reason: `report version ${String(r.version)} is not 1` });
        else inputs.reports.push({ ...r, file: rel });
      }
    } else if (file.endsWith('.safetensors')) {
      try {
        const f = readSafetensors(readFileSync(file), file);
        if (f.metadata.format !== 'hushpack-checkpoint' && !f.metadata.config && !f.metadata.arch) continue;
        if (f.metadata.task === 'separation') continue; // Table VI's (./separation/tableVi.ts)
        const config = configFromMetadata(f.metadata, file);
        let val: TrainedModel['val'] = null;
        try {
          const v = JSON.parse(f.metadata.val ?? 'null') as { loss?: number; stoi?: number; pesq_nb?: number } | null;
          if (v) val = { loss: v.loss ?? null, stoi: v.stoi ?? null, pesq_nb: v.pesq_nb ?? null };
        } catch {
          val = null;
        }
        inputs.models.push({
          file: rel, arch: config.arch, preset: f.metadata.preset ?? '', config, params: countParams(config),
          float32MiB: float32MiB(config), macs: countMacs(config), val,
        });
      } catch (err) {
        inputs.skipped.push({ file: rel, reason: (err as Error).message });
      }
    }
  }
  return inputs;
}

/** Accepted pruning iterations of a report, in order (baseline and regularised phase included). */
export function acceptedIterations(r: CompressReport): IterationRecord[] {
  return (r.pruning?.iterations ?? []).filter((i) => i.accepted);
}

/** Number of accepted pruning iterations (Table I's last column). */
export function pruningIterations(r: CompressReport): number {
  return acceptedIterations(r).filter((i) => i.phase === 'pruned').length;
}

/** Display name of a model in tables: FDNN_C1, GCRN_Q, … (arch upper-case, pipeline subscript). */
export function modelLabel(r: Pick<CompressReport, 'arch' | 'pipeline'>): string {
  const sub: Record<string, string> = { c1: 'C1', c2: 'C2', quant: 'Q', 'prune-u': 'P', 'prune-s': 'Ps', global: 'P2', channel: 'Ch', mpo: 'MPO' };
  return `${r.arch.toUpperCase()}_${sub[r.pipeline] ?? r.pipeline}`;
}
