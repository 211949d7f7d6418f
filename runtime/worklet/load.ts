/**
 * Main-thread loading (browser; also node-web-audio-api): fetch and compile the WASM module once
 * per page, add the worklet module once per context, fetch model bytes. The defaults resolve next
 * to this file's bundle (dist/web/: hushpack-web.js, hush-worklet.js, hush-simd.wasm,
 * hush-scalar.wasm), so a page that serves dist/web/ as one folder needs no configuration.
 */
import { hostHasSimd } from '../core/wasm.js';

/** URL of a file shipped next to the web bundle (dist/web/NAME). */
export function hushAssetUrl(name: string): URL {
  return new URL(`./${name}`, import.meta.url);
}

/** The default worklet bundle URL. */
export function defaultWorkletUrl(): URL {
  return hushAssetUrl('hush-worklet.js');
}

/** The default WASM URL: the SIMD build when this host validates SIMD, else the scalar build. */
export function defaultWasmUrl(): URL {
  return hushAssetUrl(hostHasSimd() ? 'hush-simd.wasm' : 'hush-scalar.wasm');
}

const moduleCache = new Map<string, Promise<WebAssembly.Module>>();

/** Fetches and compiles the WASM module at `url` (default defaultWasmUrl()), once per URL per page. */
export function loadHushWasmModule(url: string | URL = defaultWasmUrl()): Promise<WebAssembly.Module> {
  const href = new URL(url, globalThis.location?.href).href;
  let p = moduleCache.get(href);
  if (!p) {
    p = (async () => {
      const res = await fetch(href);
      if (!res.ok) throw new Error(`hushpack: fetching ${href} failed: HTTP ${res.status}`);
      // compileStreaming needs the application/wasm MIME type; fall back to bytes when a server lacks it.
      if (typeof WebAssembly.compileStreaming === 'function' && res.headers.get('content-type')?.startsWith('application/wasm')) {
        return WebAssembly.compileStreaming(res);
      }
      return WebAssembly.compile(await res.arrayBuffer());
    })();
    p.catch(() => moduleCache.delete(href));
    moduleCache.set(href, p);
  }
  return p;
}

const workletAdded = new WeakMap<BaseAudioContext, Map<string, Promise<void>>>();

/**
 * Adds the worklet bundle to `ctx` once (per URL). A file: URL is passed on as a file path, which
 * is what node-web-audio-api's addModule accepts; browsers get the URL.
 */
export function addHushWorklet(ctx: BaseAudioContext, url: string | URL = defaultWorkletUrl()): Promise<void> {
  const u = new URL(url, globalThis.location?.href);
  const arg = u.protocol === 'file:' ? decodeURIComponent(u.pathname) : u.href;
  let perCtx = workletAdded.get(ctx);
  if (!perCtx) workletAdded.set(ctx, (perCtx = new Map()));
  let p = perCtx.get(arg);
  if (!p) {
    p = ctx.audioWorklet.addModule(arg);
    p.catch(() => perCtx!.delete(arg));
    perCtx.set(arg, p);
  }
  return p;
}

/** Model bytes from bytes (copied, so the caller's buffer is never detached) or a URL (fetched). */
export async function hushModelBytes(model: ArrayBuffer | Uint8Array | string | URL): Promise<Uint8Array> {
  if (model instanceof Uint8Array) return model.slice();
  if (model instanceof ArrayBuffer) return new Uint8Array(model.slice(0));
  const href = new URL(model, globalThis.location?.href).href;
  const res = await fetch(href);
  if (!res.ok) throw new Error(`hushpack: fetching model ${href} failed: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}
