/**
 * Worker-thread entry of evaluatePairs (batch.ts): evaluates one pair per request message and
 * replies with the metrics or the error message. Runs from the compiled dist/ JavaScript only.
 */
import { parentPort } from 'node:worker_threads';
import { UserError } from '../errors.js';
import type { BatchReply, BatchRequest } from './batch.js';
import { evaluateFiles } from './evaluate.js';

if (!parentPort) throw new Error('batchWorker.js runs as a worker thread of evaluatePairs only');
const port = parentPort;

port.on('message', (req: BatchRequest) => {
  const notes: string[] = [];
  let reply: BatchReply;
  try {
    const result = evaluateFiles(req.ref, req.deg, { trim: req.trim, onNote: (m) => notes.push(m) });
    reply = { index: req.index, result, notes };
  } catch (err) {
    reply = { index: req.index, error: (err as Error).message, userError: err instanceof UserError, notes };
  }
  port.postMessage(reply);
});
