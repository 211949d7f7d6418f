/**
 * Benchmark of the training mixer with its augmentations (src/data/augment/): milliseconds per
 * 4-s training mixture on the calling thread (one core), per augmentation alone, for the v2 recipe
 * and with every augmentation forced on in every mixture. Each row: a warm-up pass over the same
 * mixtures (clip cache, FFT plans, JIT), then the median and mean wall time and the median CPU
 * time per mixture (CPU time is steadier on a shared machine).
 *
 *   node dist/tools/bench/mixer.js [--corpus DIR] [--mixtures 40] [--json]
 *
 * Default corpus: test/fixtures/corpus. Rows with typing noise need keystroke clips (manifest
 * category 'typing'); without them, typing is left out of the mix and the output says so.
 * Goal (issue 13): < 15 ms per 4-s mixture with all augmentations on.
 */
import { join } from 'node:path';
import { corpusSplit, openCorpus } from '../../src/data/corpus.js';
import { mixtureAt } from '../../src/data/mixer.js';
import { MIX_AUGMENT_NONE, MIX_AUGMENT_V2, type MixAugment } from '../../src/data/augment/settings.js';
import { typingClips } from '../../src/data/augment/typing.js';
import { arg, median, packageRoot } from './args.js';
import { benchHost } from './host.js';

function main(): void {
  const dir = arg('--corpus') ?? join(packageRoot(), 'test', 'fixtures', 'corpus');
  const mixtures = Number(arg('--mixtures') ?? 40);
  const json = process.argv.includes('--json');
  const corpus = openCorpus(dir);
  const typing = typingClips(corpusSplit(corpus, 'train')).length > 0;
  const none = MIX_AUGMENT_NONE;
  const v2: MixAugment = typing ? { ...MIX_AUGMENT_V2 } : { ...MIX_AUGMENT_V2, noiseTyping: 0 };
  const only = (o: Partial<MixAugment>): MixAugment => ({ ...none, ...o });
  const rows: [string, MixAugment][] = [
    ['none (mixer without augmentations)', { ...none }],
    ['speed perturbation', only({ speed: 1 })],
    ['reverberation (RT60 0.2–0.8 s)', only({ reverb: 1 })],
    ['EQ + telephone band', only({ eq: 1, telephone: 1 })],
    ['level + clipping', only({ level: 1, clip: 1 })],
    ['coloured noise', only({ noiseSource: 0, noiseColoured: 1 })],
    ['modulated noise', only({ noiseSource: 0, noiseModulated: 1 })],
    ['talker babble', only({ noiseSource: 0, noiseTalkers: 1 })],
    ...(typing ? [['typing noise', only({ noiseSource: 0, noiseTyping: 1 })] as [string, MixAugment]] : []),
    ['second noise (v2 kinds)', { ...v2, speed: 0, reverb: 0, eq: 0, telephone: 0, level: 0, clip: 0, secondNoise: 1 }],
    ['v2 recipe', v2],
    ['all on in every mixture (v2 kinds)', { ...v2, secondNoise: 1, speed: 1, reverb: 1, eq: 1, telephone: 1, level: 1, clip: 1 }],
  ];
  const out: { row: string; medianMs: number; meanMs: number; cpuMs: number }[] = [];
  for (const [name, augment] of rows) {
    const run = (index: number) => mixtureAt(corpus, { split: 'train', index, seed: 0, augment, snrRangeDb: [-10, 20] });
    for (let i = 0; i < mixtures; i++) run(i); // warm-up
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < mixtures; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      run(i);
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    out.push({ row: name, medianMs: median(wall), meanMs: wall.reduce((a, b) => a + b, 0) / wall.length, cpuMs: median(cpu) });
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({ corpus: dir, mixtures, seconds: 4, typing, host: benchHost(), rows: out })}\n`);
    return;
  }
  process.stdout.write(`corpus ${dir}, ${mixtures} train mixtures of 4 s per row${typing ? '' : ' (no keystroke clips: typing left out)'}\n`);
  process.stdout.write('augmentation\tmedian ms\tmean ms\tcpu ms (median)\n');
  for (const r of out) process.stdout.write(`${r.row}\t${r.medianMs.toFixed(2)}\t${r.meanMs.toFixed(2)}\t${r.cpuMs.toFixed(2)}\n`);
}

main();
