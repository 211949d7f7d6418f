#!/usr/bin/env node
// Live mode of the Node demo (e.g. on a Raspberry Pi): microphone → HushNode → speakers, through
// node-web-audio-api's AudioContext, printing the latency and the per-hop compute time every second.
//
//   node demos/node/live.mjs [--model M.hush] [--input mic|tone|FILE.wav] [--no-output]
//                            [--seconds N] [--bypass] [--latency interactive|playback] [--level track|none]
//
//   --level none   feed the model the raw input level instead of tracking it to the training level
//                  (HushNode's default 'track'; a microphone is 25–50 dB below what the model saw)
//   --input tone   a synthetic harmonic tone plus noise instead of a microphone (no capture device needed)
//   --no-output    no sound card: new AudioContext({ sinkId: { type: 'none' } }) — without it,
//                  node-web-audio-api fails with DeviceNotAvailable on a machine without audio sinks
//   --latency playback  larger device buffers (1024 frames) for ALSA setups that crackle at 128
//
// node-web-audio-api quirks that matter here (v1.x, the line that supports Node 20):
//   * HushNode extends the global AudioWorkletNode, so install node-web-audio-api's class as
//     globalThis.AudioWorkletNode BEFORE importing hushpack/web, and pass the worklet bundle and the
//     compiled WASM module explicitly (there is no page URL to resolve them against).
//   * Inside its AudioWorkletGlobalScope, `currentFrame` is a BigInt (browsers: a Number), so
//     `currentFrame / sampleRate` throws a TypeError there. hushpack's processor never reads it (it
//     counts its own frames); your own processors should use Number(currentFrame).
//   * Its Linux binaries talk to JACK or PipeWire-JACK; on a Pi, run PipeWire (with pipewire-jack)
//     or JACK.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as nwa from 'node-web-audio-api';
import { readMono } from 'hushpack';

globalThis.AudioWorkletNode = nwa.AudioWorkletNode;
const { HushNode } = await import('hushpack/web');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i < 0 ? dflt : args[i + 1];
};
const has = (name) => args.includes(name);
const modelPath = opt('--model', fileURLToPath(new URL('../models/default.hush', import.meta.url)));
const input = opt('--input', 'mic');
const seconds = Number(opt('--seconds', 'Infinity'));
const latencyHint = opt('--latency', 'interactive');

// The SIMD build where this Node validates it, else the scalar build.
const wasmBytes = readFileSync(fileURLToPath(import.meta.resolve('hushpack/wasm/simd')));
const simd = WebAssembly.validate(wasmBytes);
const wasm = await WebAssembly.compile(simd ? wasmBytes : readFileSync(fileURLToPath(import.meta.resolve('hushpack/wasm/scalar'))));

const ctx = new nwa.AudioContext({ latencyHint, ...(has('--no-output') ? { sinkId: { type: 'none' } } : {}) });
const node = await HushNode.create(ctx, {
  wasm,
  model: new Uint8Array(readFileSync(modelPath)),
  workletUrl: import.meta.resolve('hushpack/worklet'),
  bypass: has('--bypass'),
  statsIntervalSeconds: 1,
  level: opt('--level', 'track'),
});
node.onhusherror = (e) => console.error(`hushpack: ${e.message}`);

let source;
if (input === 'mic') {
  const stream = await nwa.mediaDevices.getUserMedia({ audio: true });
  source = ctx.createMediaStreamSource(stream);
} else if (input === 'tone') {
  // 4 s of a harmonic glide plus noise, looped (a stand-in for speech in noise).
  const n = 4 * ctx.sampleRate;
  const buffer = ctx.createBuffer(1, n, ctx.sampleRate);
  const x = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    phase += (2 * Math.PI * (140 + 60 * Math.sin((2 * Math.PI * i) / n))) / ctx.sampleRate;
    x[i] = 0.1 * (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase)) + 0.03 * (Math.random() * 2 - 1);
  }
  buffer.copyToChannel(x, 0);
  source = ctx.createBufferSource();
  source.buffer = buffer;
  source.loop = true;
  source.start();
} else {
  const { sampleRate, samples } = readMono(input);
  const buffer = ctx.createBuffer(1, samples.length, sampleRate);
  buffer.copyToChannel(samples, 0);
  source = ctx.createBufferSource();
  source.buffer = buffer;
  source.loop = true;
  source.start();
}
source.connect(node).connect(ctx.destination);

const l = node.latency;
console.log(
  `hushpack live: ${modelPath} on WASM ${simd ? 'simd' : 'scalar'}, input ${input}, context ${ctx.sampleRate} Hz` +
    `${has('--no-output') ? ' (no output device)' : ''}; HushNode adds ${l.ms.toFixed(1)} ms (${l.samples} samples)` +
    `, device ≈ ${((ctx.baseLatency + (ctx.outputLatency || 0)) * 1000).toFixed(1)} ms. Ctrl-C stops.`,
);
const wall0 = performance.now();
node.onstats = (s) => {
  // Audio time falling behind wall time means the audio thread cannot keep up (underruns).
  const wall = (performance.now() - wall0) / 1000;
  console.log(
    `audio ${ctx.currentTime.toFixed(1)} s / wall ${wall.toFixed(1)} s  ${s.state}${s.overloaded ? ' (overloaded: dry)' : ''}  per-hop µs p50 ${s.p50Us.toFixed(0)} p99 ${s.p99Us.toFixed(0)} ` +
      `max ${s.maxUs.toFixed(0)} mean ${s.meanUs.toFixed(1)} (budget ${s.budgetUs.toFixed(0)}, clock ${s.clock})  hops ${s.hops} misses ${s.misses} overloads ${s.overloads}  level gain ${s.levelGainDb.toFixed(1)} dB`,
  );
};

const stop = async () => {
  await ctx.close();
  process.exit(0);
};
process.on('SIGINT', stop);
if (Number.isFinite(seconds)) setTimeout(stop, seconds * 1000);
