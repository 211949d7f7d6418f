/**
 * The test page for Chromium: a module script that imports the web bundle and exposes
 * `hushRun(fs, seconds, opts)`: renders a band-limited test signal through HushNode (identity) in an
 * OfflineAudioContext at `fs` and measures it against the input delayed by node.latency.
 * Plain JavaScript in a string: it runs in the page, not in Node.
 */
export const TEST_PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>hushpack worklet test</title></head><body>
<script type="module">
import { HushNode } from '/hushpack-web.js';

/** 8 tones below maxHz with a 20 ms raised-cosine fade-in from t = 0 (0 before); peak ≤ 1. */
function signal(maxHz) {
  let a = 12345;
  const rnd = () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 4294967296);
  const tones = Array.from({ length: 8 }, () => ({ f: 100 + rnd() * (maxHz - 100), ph: 2 * Math.PI * rnd() }));
  return (t) => {
    if (t <= 0) return 0;
    const fade = t < 0.02 ? 0.5 - 0.5 * Math.cos(Math.PI * t / 0.02) : 1;
    let s = 0;
    for (const { f, ph } of tones) s += Math.sin(2 * Math.PI * f * t + ph);
    return fade * s / 8;
  };
}

window.hushRun = async (fs, seconds, opts = {}) => {
  const n = Math.round(fs * seconds);
  const ctx = new OfflineAudioContext(1, n, fs);
  const xf = signal(0.85 * Math.min(fs, 16000) / 2);
  const buffer = ctx.createBuffer(1, n, fs);
  const x = buffer.getChannelData(0);
  for (let i = 0; i < n; i++) x[i] = xf(i / fs);
  const src = new AudioBufferSourceNode(ctx, { buffer });
  const node = await HushNode.create(ctx, { statsIntervalSeconds: 0.1, bypass: !!opts.bypass });
  let stats = null;
  node.onstats = (s) => { stats = s; };
  src.connect(node).connect(ctx.destination);
  src.start(0);
  // Scheduled control changes (offline: suspend at a quantum boundary, act, resume).
  let swapped = null;
  const at = (t, act) => ctx.suspend(t).then(() => { act(); ctx.resume(); });
  if (opts.swapAt !== undefined) at(opts.swapAt, () => { swapped = node.setModel(null); });
  if (opts.bypassAt !== undefined) at(opts.bypassAt, () => { node.bypass = true; });
  if (opts.unbypassAt !== undefined) at(opts.unbypassAt, () => { node.bypass = false; });
  const out = await ctx.startRendering();
  const swapResult = swapped ? await Promise.race([swapped.then(() => 'done'), new Promise((r) => setTimeout(() => r('timeout'), 2000))]) : null;
  const y = out.getChannelData(0);
  const lat = node.latency;
  let err = 0, errWhole = 0, peak = 0;
  for (let i = 0; i < n; i++) {
    err = Math.max(err, Math.abs(y[i] - xf((i - lat.exactSamples) / fs)));
    errWhole = Math.max(errWhole, Math.abs(y[i] - (i >= lat.samples ? x[i - lat.samples] : 0)));
    peak = Math.max(peak, Math.abs(y[i]));
  }
  await new Promise((r) => setTimeout(r, 50)); // let the last stats message arrive
  return { latency: lat, err, errWhole, peak, stats, swapResult };
};

/** setModel with bytes that are no .hush file must reject with the processor's message. */
window.hushModelError = async () => {
  const ctx = new OfflineAudioContext(1, 16000, 16000);
  const node = await HushNode.create(ctx);
  try {
    await node.setModel(new Uint8Array(64));
    return 'resolved';
  } catch (e) {
    return String(e && e.message);
  }
};
window.hushReady = true;
</script></body></html>`;
