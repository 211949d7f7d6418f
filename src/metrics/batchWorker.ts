/**
 * Worker-thread entry of MetricPool (pool.ts): evaluates one job per request message and replies
 * with the metrics or the error message. Runs from the compiled dist/ JavaScript only.
 */
import { parentPort } from 'node:worker_threads';
import { UserError } from '../errors.js';
import { metricJobEvaluate, type BatchReply, type BatchRequest } from './pool.js';

if (!parentPort) throw new Error('batchWorker.js runs as a worker thread of MetricPool only');
const port = parentPort;

port.on('message', (req: BatchRequest) => {
  const notes: string[] = [];
  let reply: BatchReply;
  try {
    const result = metricJobEvaluate(req.job, (m) => notes.push(m));
    reply = { id: req.id, result, notes };
  } catch (err) {
    reply = { id: req.id, error: (err as Error).message, userError: err instanceof UserError, notes };
  }
  port.postMessage(reply);
});
