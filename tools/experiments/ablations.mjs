#!/usr/bin/env node
// docs/results/train/ablations.md from the ablation runs of tools/experiments/ablations.sh:
// per row, the training log (ARCH-ROW.log.jsonl), the test-set score files (ARCH-ROW.score.json
// and, where scored through the causal level path, ARCH-ROW.track.score.json) and the exact
// command (ARCH-ROW.command), all in docs/results/train/ablations/.
//
//   node tools/experiments/ablations.mjs [DIR] > docs/results/train/ablations.md
//
// Selection is on validation: the row's last full-epoch validation (same budget for every row)
// and its best validation STOI over the run. Test-set columns are for the record only.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'docs/results/train/ablations';
const files = existsSync(dir) ? readdirSync(dir) : [];
const logs = files.filter((f) => f.endsWith('.log.jsonl')).sort();
const readJson = (f) => (files.includes(f) ? JSON.parse(readFileSync(join(dir, f), 'utf8')) : null);
const f = (x, d) => (x == null || Number.isNaN(x) ? '–' : x.toFixed(d));
const signed = (x, d) => (x == null ? '–' : `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(d)}`);
const num = (v) => (typeof v === 'number' ? v : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : null);

const rows = [];
for (const log of logs) {
  const stem = log.replace(/\.log\.jsonl$/, '');
  const recs = readFileSync(join(dir, log), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const full = recs.filter((r) => !r.partial && r.epoch > 0);
  const last = full[full.length - 1] ?? null;
  const bestStoi = full.reduce((b, r) => (r.val_stoi != null && (b === null || r.val_stoi > b.val_stoi) ? r : b), null);
  const command = files.includes(`${stem}.command`) ? readFileSync(join(dir, `${stem}.command`), 'utf8').trim() : '';
  const flags = command.includes('# flags:') ? command.split('# flags:')[1].trim() : '';
  rows.push({ stem, recs, last, bestStoi, command, flags, score: readJson(`${stem}.score.json`), track: readJson(`${stem}.track.score.json`) });
}

// Warm-start rows (ARCH-warm-*) have their own control (ARCH-warm-control): same start, one change.
const isWarm = (r) => r.stem.includes('-warm-');
const controlOf = (r) => rows.find((c) => c.stem.endsWith('-control') && isWarm(c) === isWarm(r));
const out = [];
out.push('# Training-recipe ablations');
out.push('');
out.push('Made by `node tools/experiments/ablations.mjs > docs/results/train/ablations.md` from the runs of');
out.push('`tools/experiments/ablations.sh` (each row: the control plus ONE change; same initialisation, data, seed and');
out.push('step budget; validation on the same fixed set of validation-split mixtures). Rows are compared on validation');
out.push('(the last full epoch, i.e. equal budgets); the test set (first LIMIT pairs per condition) is for the record.');
out.push('Rows from scratch compare with `control`; warm-start rows (`warm-*`, from the previous session\'s trained GCRN) with `warm-control`.');
out.push('The load average during the runs varied (other work shared the 2 cores): budgets are in steps, not minutes.');
out.push('');
out.push('## Validation (selection)');
out.push('');
out.push('| row | change vs control | steps | val STOI % (mixture) | Δ vs control | val PESQ-WB (mixture) | Δ vs control | val PESQ-NB | best val STOI % (epoch) |');
out.push('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const control = controlOf(r);
  const l = r.last;
  const c = control?.last;
  const dS = l && c && l.val_stoi != null && c.val_stoi != null ? 100 * (l.val_stoi - c.val_stoi) : null;
  const dW = l && c && l.val_pesq_wb != null && c.val_pesq_wb != null ? l.val_pesq_wb - c.val_pesq_wb : null;
  const change = r === control ? '(control) ' + r.flags : r.flags.replace(control?.flags ?? '', '').trim();
  out.push(
    `| ${r.stem} | \`${change}\` | ${l ? l.step : '–'} | ${l ? `${f(100 * l.val_stoi, 2)} (${f(100 * l.mix_stoi, 2)})` : '–'} | ${r === control ? '–' : signed(dS, 2)} | ` +
      `${l ? `${f(l.val_pesq_wb, 3)} (${f(l.mix_pesq_wb, 3)})` : '–'} | ${r === control ? '–' : signed(dW, 3)} | ${l ? f(l.val_pesq_nb, 3) : '–'} | ` +
      `${r.bestStoi ? `${f(100 * r.bestStoi.val_stoi, 2)} (${r.bestStoi.epoch})` : '–'} |`,
  );
}
out.push('');
out.push('## Test set, for the record');
out.push('');
out.push('Best checkpoint of each row (by its own validation loss), `hushpack evalset --limit LIMIT`; "level" says how the');
out.push('input level reached the net: global (unit RMS over the file, as `enhance` does) or track (the live runtime\'s causal');
out.push('level tracker from a fresh state).');
out.push('');
out.push('| row | level | pairs | STOI % mixture → model (Δ) | PESQ-WB (Δ) | PESQ-NB (Δ) | SI-SNR dB (Δ) | worst condition ΔSTOI |');
out.push('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  for (const [level, s] of [['global', r.score], ['track', r.track]]) {
    if (!s) continue;
    const o = s.overall;
    const m = (k) => num(o.mixture[k]);
    const e = (k) => num(o.enhanced[k]);
    const worst = s.conditions.reduce((w, c) => {
      const d = num(c.delta.stoi);
      return d != null && (w === null || d < w.d) ? { d, name: `${c.noise} ${c.snrDb} dB` } : w;
    }, null);
    out.push(
      `| ${r.stem} | ${level} | ${o.count} | ${f(100 * m('stoi'), 2)} → ${f(100 * e('stoi'), 2)} (${signed(100 * (e('stoi') - m('stoi')), 2)}) | ` +
        `${f(e('pesq_wb'), 3)} (${signed(e('pesq_wb') - m('pesq_wb'), 3)}) | ${f(e('pesq_nb'), 3)} (${signed(e('pesq_nb') - m('pesq_nb'), 3)}) | ` +
        `${f(e('sisnr'), 2)} (${signed(e('sisnr') - m('sisnr'), 2)}) | ${worst ? `${worst.name}: ${signed(100 * worst.d, 2)}` : '–'} |`,
    );
  }
}
out.push('');
out.push('## Validation curves');
out.push('');
out.push('| row | epoch: val STOI % / PESQ-WB |');
out.push('|---|---|');
for (const r of rows) out.push(`| ${r.stem} | ${r.recs.filter((x) => !x.partial).map((x) => `${x.epoch}: ${f(100 * x.val_stoi, 1)} / ${f(x.val_pesq_wb, 2)}`).join(', ')} |`);
out.push('');
out.push('## Commands');
out.push('');
for (const r of rows) out.push(`- ${r.stem}: \`${r.command}\``);
process.stdout.write(`${out.join('\n')}\n`);
