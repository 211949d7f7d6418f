/**
 * Set-up shared by the HushNode tests under node-web-audio-api: the bundles built into a temp
 * folder (./bundles.ts), node-web-audio-api's AudioWorkletNode made global before runtime/web loads
 * (HushNode extends whatever AudioWorkletNode is global then), and everything undone afterwards.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as nwa from 'node-web-audio-api';
import { afterAll, beforeAll } from 'vitest';
import type { HushNode as HushNodeClass } from '../../runtime/worklet/workletNode.js';
import { bundlesBuild, bundlesRemove } from './bundles.js';

/** Filled in by the describe's beforeAll; valid inside its tests. */
export interface NwaHushNodeEnv {
  HushNode: typeof HushNodeClass;
  /** The bundled worklet script. */
  workletUrl: URL;
  /** The bundled SIMD WASM build, compiled. */
  simdWasm(): Promise<WebAssembly.Module>;
}

/** Registers the set-up and tear-down in the calling describe block; returns the environment object they fill. */
export function nwaHushNodeEnv(): NwaHushNodeEnv {
  let dir = '';
  const env = {
    workletUrl: new URL('file:///'),
    simdWasm: async () => WebAssembly.compile(readFileSync(join(dir, 'hush-simd.wasm'))),
  } as NwaHushNodeEnv;
  beforeAll(async () => {
    dir = bundlesBuild();
    env.workletUrl = pathToFileURL(join(dir, 'hush-worklet.js'));
    (globalThis as { AudioWorkletNode?: unknown }).AudioWorkletNode = nwa.AudioWorkletNode;
    ({ HushNode: env.HushNode } = await import('../../runtime/web/index.js'));
  });
  afterAll(() => {
    delete (globalThis as { AudioWorkletNode?: unknown }).AudioWorkletNode;
    if (dir) bundlesRemove(dir);
  });
  return env;
}
