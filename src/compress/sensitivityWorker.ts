/**
 * Worker-thread entry of sensitivityAnalyze (analysis.ts): builds its own copy of the network and
 * the staged loss evaluator from the `init` message, then runs one per-tensor analysis per `job`
 * message and replies with its result. Runs from compiled JavaScript (or a test bundle) only.
 */
import { parentPort } from 'node:worker_threads';
import * as torch from '../torch/torch.js';
import { createNet, type HostTensor } from '../models/net.js';
import { StagedLossEvaluator } from './evaluator.js';
import { jobFromSpec, type AnalysisWorkerReply, type AnalysisWorkerRequest } from './analysis.js';
import { sensitivityJobRun } from './sensitivity.js';

if (!parentPort) throw new Error('sensitivityWorker.js runs as a worker thread of sensitivityAnalyze only');
const port = parentPort;
let ev: StagedLossEvaluator | null = null;

const reply = (m: AnalysisWorkerReply) => port.postMessage(m);

port.on('message', async (req: AnalysisWorkerRequest) => {
  try {
    if (req.type === 'init') {
      const t0 = performance.now();
      torch.setNumThreads(req.threads);
      const weights = new Map<string, HostTensor>(req.tensors.map(([name, shape, data]) => [name, { shape, data }]));
      const net = createNet(req.config, { weights });
      ev = new StagedLossEvaluator(net, req.batches, { cacheStages: req.cacheStages });
      reply({ type: 'ready', baseLoss: ev.baseLoss, setupSeconds: (performance.now() - t0) / 1000 });
      return;
    }
    if (ev === null) throw new Error('job before init');
    const e = ev;
    const before = { ...e.stats };
    const result = await sensitivityJobRun(jobFromSpec(req.job, e), (n, v) => e.lossWith(n, v));
    reply({
      type: 'result', id: req.id, result,
      stats: {
        evaluations: e.stats.evaluations - before.evaluations,
        stagesRun: e.stats.stagesRun - before.stagesRun,
        stagesFull: e.stats.stagesFull - before.stagesFull,
        seconds: e.stats.seconds - before.seconds,
      },
    });
  } catch (err) {
    reply({ type: 'error', id: req.type === 'job' ? req.id : null, message: (err as Error).message });
  }
});
