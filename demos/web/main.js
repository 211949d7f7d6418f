// hushpack live demo (skeleton). Imports the web bundle served at /web/ (dist/web/).
import { HushNode } from '/web/hushpack-web.js';

const $ = (id) => document.getElementById(id);
let node = null;

$('start').onclick = async () => {
  const ctx = new AudioContext({ latencyHint: 'interactive' });
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 },
  });
  const mic = ctx.createMediaStreamSource(stream);
  node = await HushNode.create(ctx, { bypass: $('bypass').checked, wet: Number($('wet').value) });
  node.onstats = (s) => {
    $('stats').textContent =
      `state ${s.state}${s.overloaded ? ' (overloaded, backing off)' : ''}\n` +
      `hops ${s.hops}  per-hop µs: mean ${s.meanUs.toFixed(0)}  p50 ${s.p50Us.toFixed(0)}  p99 ${s.p99Us.toFixed(0)}  max ${s.maxUs.toFixed(0)}  (clock: ${s.clock})\n` +
      `budget ${s.budgetUs.toFixed(0)} µs  misses ${s.misses}  late quanta ${s.lateQuanta}  overloads ${s.overloads}`;
  };
  mic.connect(node).connect(ctx.destination);
  const showLatency = () => {
    const l = node.latency;
    const device = (ctx.baseLatency + (ctx.outputLatency || 0)) * 1000;
    $('latency').textContent = `hushpack adds ${l.ms.toFixed(1)} ms (${l.samples} samples at ${ctx.sampleRate} Hz); device ≈ ${device.toFixed(1)} ms`;
  };
  showLatency();
  $('model').onchange = async () => {
    const f = $('model').files[0];
    await node.setModel(f ? await f.arrayBuffer() : null).catch((e) => alert(e.message));
    showLatency();
  };
  $('start').disabled = true;
};

$('bypass').onchange = () => node && (node.bypass = $('bypass').checked);
$('wet').oninput = () => node && (node.wet = Number($('wet').value));
$('floor').oninput = () => {
  const db = Number($('floor').value);
  if (node) node.attenuationFloorDb = db >= 60 ? Infinity : db;
};
