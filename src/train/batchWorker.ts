/**
 * Worker thread of ./batches.ts `workerBatchSource`: opens the corpus once and answers each
 * {step} with the features of that batch, transferring the buffers (no copy).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../errors.js';
import { openCorpus } from '../data/corpus.js';
import { batchAt, type BatchSpec, type BatchWorkerReply, type BatchWorkerRequest } from './batches.js';

const spec = workerData as BatchSpec;
const corpus = openCorpus(spec.corpusDir);
const port = parentPort!;

port.on('message', (req: BatchWorkerRequest) => {
  let reply: BatchWorkerReply;
  try {
    const batch = batchAt(corpus, spec, req.step);
    reply = { step: req.step, batch };
    port.postMessage(reply, [batch.input.buffer as ArrayBuffer, batch.target.buffer as ArrayBuffer]);
    return;
  } catch (err) {
    reply = { step: req.step, error: (err as Error).message, userError: err instanceof UserError };
  }
  port.postMessage(reply);
});
