// hushpack browser demo: wiring of the page (demos/web/index.html).
//
//   source (microphone | looping file) ──► HushNode ──► analyser "after" ──► listen gain ──► speakers
//                └──────────────────────► analyser "before"
//
// Everything comes from the server of `hushpack demo --serve` (src/demo/serve.ts): the web bundle
// and WASM builds at /web/, models at /models/ (listed by /models/index.json), bundled clips at
// /clips/. No SharedArrayBuffer, so no COOP/COEP headers are needed.
// For scripted runs (test/demo/browser.test.ts) the page publishes its state as window.hushDemo.
import { HushNode } from '/web/hushpack-web.js';
import { ScrollingSpectrogram } from './spectrogram.js';
import { HopTimeRecovery, drawHopHistogram } from './hop-histogram.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

/** What the page exposes for tests and curious users. */
const demo = {
  status: 'loading',
  error: null,
  wasmFlavor: null,
  model: null,
  latency: null,
  stats: null,
  statsReports: 0,
  hopsRecovered: 0,
  hopEstimates: 0,
  spectrogramColumns: () => ({ before: specIn.columns, after: specOut.columns }),
};
window.hushDemo = demo;

const specIn = new ScrollingSpectrogram($('specIn'));
const specOut = new ScrollingSpectrogram($('specOut'));
const recovery = new HopTimeRecovery();

let ctx = null;
let node = null;
let wasmModule = null;
let analyserIn = null;
let analyserOut = null;
let listenGain = null;
let source = null; // { node, stop() }
let models = [];

function fail(err) {
  demo.error = String(err && err.message ? err.message : err);
  demo.status = 'error';
  $('source').textContent = `error: ${demo.error}`;
  $('source').className = 'warn';
  console.error(err);
}

function fmtBytes(n) {
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

/** The SIMD build when this browser validates it, else the scalar build (compiled once). */
async function wasmLoad() {
  for (const flavor of ['simd', 'scalar']) {
    const res = await fetch(`/web/hush-${flavor}.wasm`);
    if (!res.ok) continue;
    const bytes = await res.arrayBuffer();
    if (!WebAssembly.validate(bytes)) continue;
    demo.wasmFlavor = flavor;
    return WebAssembly.compile(bytes);
  }
  throw new Error('no hushpack WASM build this browser can run (/web/hush-{simd,scalar}.wasm)');
}

/** The selected model's bytes (null = identity). */
async function modelBytes() {
  const f = $('modelFile').files[0];
  if (f) return { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) };
  const name = $('model').value;
  if (!name || name === 'identity') return { name: 'identity', bytes: null };
  const res = await fetch(`/models/${encodeURIComponent(name)}`);
  if (!res.ok) throw new Error(`fetching model ${name}: HTTP ${res.status}`);
  return { name, bytes: new Uint8Array(await res.arrayBuffer()) };
}

function showLatency() {
  if (!node) return;
  const l = node.latency;
  demo.latency = l;
  const device = ((ctx.baseLatency || 0) + (ctx.outputLatency || 0)) * 1000;
  $('latency').textContent =
    `latency: HushNode adds ${l.ms.toFixed(1)} ms (${l.samples} samples at ${ctx.sampleRate} Hz)` +
    `; the audio device adds ≈ ${device.toFixed(1)} ms (baseLatency + outputLatency)`;
}

function showStats(s) {
  demo.stats = s;
  demo.statsReports++;
  recovery.add(s);
  demo.hopsRecovered = recovery.recent.length;
  demo.hopEstimates = recovery.recentEstimates;
  $('stats').textContent =
    `model ${demo.model ?? '—'}; WASM ${demo.wasmFlavor}; state ${s.state}${s.overloaded ? ' (overloaded: dry until it recovers)' : ''}\n` +
    `per-hop compute (last ≤ 512 hops): p50 ${s.p50Us.toFixed(0)} µs, p99 ${s.p99Us.toFixed(0)} µs, max ${s.maxUs.toFixed(0)} µs, mean ${s.meanUs.toFixed(1)} µs\n` +
    `budget ${s.budgetUs.toFixed(0)} µs of each 10-ms hop; hops ${s.hops}, misses ${s.misses}, late quanta ${s.lateQuanta}, overloads ${s.overloads}\n` +
    `input level gain ${s.levelGainDb >= 0 ? '+' : ''}${s.levelGainDb.toFixed(1)} dB (to the training level; ?level=none turns it off)`;
  const estimates = recovery.recentEstimates > 0 ? ` ${recovery.recentEstimates} of the ${recovery.recent.length} plotted values are estimates (reports that covered several hops).` : '';
  $('clockNote').textContent = (s.clock === 'date'
    ? 'This browser\'s AudioWorklet has only Date.now: single hops are timed in 1-ms steps, so the histogram is coarse; the mean is exact.'
    : `worklet clock: ${s.clock}.`) + estimates;
}

let histPending = false;
function frame() {
  specIn.step();
  specOut.step();
  if (!histPending && demo.statsReports > 0) {
    histPending = true;
    // the histogram needs no 60 fps
    setTimeout(() => {
      histPending = false;
      drawHopHistogram($('hist'), recovery.recent, { stepUs: demo.stats?.clock === 'date' ? 1000 : 0 });
    }, 250);
  }
  requestAnimationFrame(frame);
}

/** Creates the context, HushNode and analysers once (on the first user action). */
async function ensureGraph() {
  if (node) return;
  ctx = new AudioContext({ latencyHint: 'interactive' });
  await ctx.resume();
  const { name, bytes } = await modelBytes();
  // level 'track' (HushNode's default) brings the microphone to the level the model was trained at;
  // ?level=none feeds it the raw input instead, to hear the difference.
  const level = params.get('level') === 'none' ? 'none' : 'track';
  node = await HushNode.create(ctx, { wasm: wasmModule, model: bytes, statsIntervalSeconds: 0.002, bypass: $('ab').getAttribute('aria-pressed') === 'true', level });
  demo.model = name;
  node.onstats = showStats;
  node.onhusherror = fail;
  analyserIn = new AnalyserNode(ctx, { fftSize: 1024, smoothingTimeConstant: 0 });
  analyserOut = new AnalyserNode(ctx, { fftSize: 1024, smoothingTimeConstant: 0 });
  listenGain = new GainNode(ctx, { gain: $('listen').checked ? 1 : 0 });
  node.connect(analyserOut).connect(listenGain).connect(ctx.destination);
  specIn.attach(analyserIn);
  specOut.attach(analyserOut);
  showLatency();
  requestAnimationFrame(frame);
}

function stopSource() {
  if (!source) return;
  source.stop();
  source = null;
  $('stop').disabled = true;
  $('source').textContent = 'stopped';
  demo.status = 'stopped';
}

function useSource(srcNode, label, stop) {
  stopSource();
  srcNode.connect(node);
  srcNode.connect(analyserIn);
  source = { node: srcNode, stop: () => { stop(); srcNode.disconnect(); } };
  $('stop').disabled = false;
  $('source').textContent = label;
  $('source').className = 'note';
  demo.status = 'running';
}

async function startMic() {
  await ensureGraph();
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 },
  });
  const mic = ctx.createMediaStreamSource(stream);
  useSource(mic, `microphone (${stream.getAudioTracks()[0]?.label || 'default'}) at ${ctx.sampleRate} Hz`, () => stream.getTracks().forEach((t) => t.stop()));
}

async function startBuffer(arrayBuffer, label) {
  await ensureGraph();
  const buffer = await ctx.decodeAudioData(arrayBuffer);
  const src = new AudioBufferSourceNode(ctx, { buffer, loop: true });
  src.start();
  useSource(src, `${label} (looping, ${buffer.duration.toFixed(1)} s, played at ${ctx.sampleRate} Hz)`, () => src.stop());
}

async function startClip(url, label) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fetching ${url}: HTTP ${res.status}`);
  await startBuffer(await res.arrayBuffer(), label);
}

async function changeModel() {
  if (!node) return;
  const { name, bytes } = await modelBytes();
  $('modelInfo').textContent = `loading ${name}…`;
  await node.setModel(bytes);
  demo.model = name;
  recovery.clearRecent();
  showLatency();
  describeModel();
}

function describeModel() {
  const f = $('modelFile').files[0];
  const m = models.find((x) => x.name === $('model').value);
  $('modelInfo').textContent = f ? `${f.name}, ${fmtBytes(f.size)}` : m ? `${m.name}, ${fmtBytes(m.bytes)}` : 'identity: STFT analysis → synthesis, no network';
}

function setBypass(on) {
  $('ab').setAttribute('aria-pressed', String(on));
  $('ab').textContent = on ? 'A/B: bypassed (dry)' : 'A/B: enhanced';
  if (node) node.bypass = on;
}

async function init() {
  const [modelList, clipList] = await Promise.all([
    fetch('/models/index.json').then((r) => (r.ok ? r.json() : [])).catch(() => []),
    fetch('/clips/index.json').then((r) => (r.ok ? r.json() : [])).catch(() => []),
    wasmLoad().then((m) => (wasmModule = m)),
  ]);
  models = modelList;
  const sel = $('model');
  for (const m of models) sel.add(new Option(`${m.name} (${fmtBytes(m.bytes)})`, m.name));
  sel.add(new Option('identity (no network)', 'identity'));
  const wanted = params.get('model');
  if (wanted && [...sel.options].some((o) => o.value === wanted)) sel.value = wanted;
  if (models.length === 0) {
    $('modelInfo').innerHTML = '<span class="warn">no models in demos/models/ — make one with <code>hushpack compress</code>, or load a .hush file</span>';
  } else describeModel();
  for (const c of clipList) $('clip').add(new Option(c.name, c.url));

  $('mic').onclick = () => startMic().catch(fail);
  $('clip').onchange = () => { const o = $('clip').selectedOptions[0]; if (o.value) startClip(o.value, o.text).catch(fail); };
  $('audioFile').onchange = () => { const f = $('audioFile').files[0]; if (f) f.arrayBuffer().then((b) => startBuffer(b, f.name)).catch(fail); };
  $('stop').onclick = stopSource;
  $('model').onchange = () => { $('modelFile').value = ''; changeModel().catch(fail); };
  $('modelFile').onchange = () => changeModel().catch(fail);
  $('ab').onclick = () => setBypass($('ab').getAttribute('aria-pressed') !== 'true');
  document.addEventListener('keydown', (e) => { if ((e.key === 'b' || e.key === 'B') && e.target.tagName !== 'INPUT') setBypass($('ab').getAttribute('aria-pressed') !== 'true'); });
  $('listen').onchange = () => listenGain && listenGain.gain.setTargetAtTime($('listen').checked ? 1 : 0, ctx.currentTime, 0.02);
  $('wet').oninput = () => node && (node.wet = Number($('wet').value));
  $('floor').oninput = () => {
    const db = Number($('floor').value);
    $('floorText').textContent = db >= 60 ? 'off' : `${db} dB`;
    if (node) node.attenuationFloorDb = db >= 60 ? Infinity : db;
  };
  if (params.get('listen') === '0') $('listen').checked = false;
  demo.status = 'ready';

  const auto = params.get('autostart');
  if (auto === 'mic') await startMic();
  else if (auto === 'clip' && clipList.length > 0) {
    $('clip').value = clipList[0].url;
    await startClip(clipList[0].url, clipList[0].name);
  }
}

init().catch(fail);
