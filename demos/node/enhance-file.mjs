#!/usr/bin/env node
// File mode of the Node demo: enhance a WAV file with a .hush model on the WASM runtime.
//
//   node demos/node/enhance-file.mjs IN.wav OUT.wav [--model M.hush] [--worklet]
//
// Default (direct): the Enhancer from `hushpack` runs the whole signal hop by hop
// (Enhancer.processBuffer: latency-compensated, same length) — the fast path, what
// `hushpack enhance` does. --worklet renders the same through HushNode in an OfflineAudioContext
// of node-web-audio-api instead (the browser's code path, same output sample for sample; its
// worklet renders at most a few times faster than real time — slower on a busy machine — so this
// is for checking, not for batches).
// Inside the hushpack package folder, `hushpack` resolves to this package (npm run build first);
// elsewhere, `npm i hushpack node-web-audio-api`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Enhancer, readWav, downmix, resample, writeWav, SAMPLE_RATE_HZ } from 'hushpack';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const [, v] = args.splice(i, 2);
  return v;
};
const worklet = args.includes('--worklet') && (args.splice(args.indexOf('--worklet'), 1), true);
const modelPath = flag('--model') ?? fileURLToPath(new URL('../models/default.hush', import.meta.url));
const [inPath, outPath] = args;
if (!inPath || !outPath) {
  console.error('usage: node demos/node/enhance-file.mjs IN.wav OUT.wav [--model M.hush] [--worklet]');
  process.exit(2);
}

const model = new Uint8Array(readFileSync(modelPath));
const audio = readWav(inPath);
const x = downmix(audio, 'mean', inPath);
// The network runs at 16 kHz, at the level it was trained at (unit RMS); undo both afterwards.
const x16 = Float32Array.from(audio.sampleRate === SAMPLE_RATE_HZ ? x : resample(x, audio.sampleRate, SAMPLE_RATE_HZ));
const rms = Math.sqrt(x16.reduce((s, v) => s + v * v, 0) / Math.max(1, x16.length)) || 1;
for (let i = 0; i < x16.length; i++) x16[i] /= rms;

const t0 = performance.now();
const y16 = worklet ? await viaWorklet(model, x16) : await direct(model, x16);
const seconds = (performance.now() - t0) / 1000;
for (let i = 0; i < y16.length; i++) y16[i] *= rms;
const y = audio.sampleRate === SAMPLE_RATE_HZ ? y16 : Float32Array.from(resample(y16, SAMPLE_RATE_HZ, audio.sampleRate)).subarray(0, x.length);
writeWav(outPath, { sampleRate: audio.sampleRate, channels: [y] });
const audioSeconds = x16.length / SAMPLE_RATE_HZ;
console.log(`${outPath}: ${audioSeconds.toFixed(2)} s enhanced in ${seconds.toFixed(2)} s (real-time factor ${(seconds / audioSeconds).toFixed(3)}, ${worklet ? 'HushNode in an OfflineAudioContext' : 'Enhancer, direct'})`);
// node-web-audio-api keeps its audio threads alive after an offline render: leave explicitly.
process.exit(0);

/** The Enhancer over the whole signal. */
async function direct(bytes, signal) {
  const e = await Enhancer.load(bytes);
  console.log(`model ${modelPath}: ${e.config.arch}, WASM ${e.flavor}, latency ${e.latencySamples} samples (${(e.latencySamples / 16).toFixed(1)} ms), ${e.macsPerHop} MACs per hop`);
  return e.processBuffer(signal);
}

/** HushNode in node-web-audio-api's OfflineAudioContext at 16 kHz, output aligned by node.latency. */
async function viaWorklet(bytes, signal) {
  const nwa = await import('node-web-audio-api');
  // HushNode extends the global AudioWorkletNode: install node-web-audio-api's before importing it.
  globalThis.AudioWorkletNode = nwa.AudioWorkletNode;
  const { HushNode } = await import('hushpack/web');
  const workletUrl = import.meta.resolve('hushpack/worklet');
  const wasm = await WebAssembly.compile(readFileSync(fileURLToPath(import.meta.resolve('hushpack/wasm/simd'))));
  // Render the signal plus enough zeros to flush the latency, then drop the latency from the front.
  const ctx0 = new nwa.OfflineAudioContext(1, 128, SAMPLE_RATE_HZ);
  // level 'none': the signal is already at unit RMS (HushNode's default 'track' is for live input).
  const probe = await HushNode.create(ctx0, { wasm, model: bytes, workletUrl, level: 'none' });
  const latency = probe.latency.samples;
  const ctx = new nwa.OfflineAudioContext(1, signal.length + latency, SAMPLE_RATE_HZ);
  const node = await HushNode.create(ctx, { wasm, model: bytes, workletUrl, level: 'none' });
  console.log(`model ${modelPath}: HushNode latency ${node.latency.samples} samples (${node.latency.ms.toFixed(1)} ms) at ${SAMPLE_RATE_HZ} Hz`);
  const buffer = ctx.createBuffer(1, signal.length, SAMPLE_RATE_HZ);
  buffer.copyToChannel(signal, 0);
  const src = ctx.createBufferSource();
  src.buffer = buffer;
  src.connect(node).connect(ctx.destination);
  src.start();
  const rendered = await ctx.startRendering();
  const out = new Float32Array(rendered.length);
  rendered.copyFromChannel(out, 0);
  return out.slice(latency, latency + signal.length);
}
