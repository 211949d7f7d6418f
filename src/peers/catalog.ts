/**
 * The peers: noise suppressors from `@sapphi-red/web-noise-suppressor` 0.4.1 (MIT; a
 * devDependency), each an AudioWorkletProcessor script plus a wasm binary handed to it through
 * `processorOptions.wasmBinary`, as the package's own `*WorkletNode` classes do. What each one is,
 * read from the package's sources (dist/<peer>/workletProcessor.js.map, sourcesContent):
 *
 *   rnnoise  RNNoise (Valin 2018; xiph/rnnoise, BSD-3-Clause) built by @shiguredo/rnnoise-wasm
 *            2022.2.0 (Apache-2.0). Assumes a 48 kHz context; 480-sample frames (10 ms), fed
 *            int16-scaled (×0x7fff) by the processor; the 128 → 480 ring buffer adds 640 samples.
 *            The package picks rnnoise_simd.wasm when the host validates SIMD (Node does).
 *   gtcrn    GTCRN (Rong et al., ICASSP 2024; MIT, © 2024 Rong Xiaobin) built by
 *            @sapphi-red/gtcrn-wasm 0.0.3 (with pffft, BSD-style). 16 kHz natively (256-sample
 *            frames, 16 ms) or 48 kHz (768); we run the model's own 16 kHz, so no resampling.
 *   speex    The SpeexDSP preprocessor's denoiser (speex_preprocess_run, BSD-3-Clause, © Xiph.Org,
 *            Jean-Marc Valin and others) built by @sapphi-red/speex-preprocess-wasm 0.4.0; frames of
 *            one render quantum (128 samples) at the context rate, denoise on, AGC/VAD off. Run at
 *            16 kHz (any rate works; 16 kHz is the test set's, so no resampling).
 *
 * The package's noise gate is not a learned or spectral suppressor and is not a peer.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.js';

/** Name of the npm package the peers come from, and the version they were measured with. */
export const PEER_PACKAGE = '@sapphi-red/web-noise-suppressor';
export const PEER_PACKAGE_VERSION = '0.4.1';

/** Peer names, as `hushpack evalset --peer` takes them. */
export const PEER_NAMES = ['rnnoise', 'gtcrn', 'speex'] as const;
export type PeerName = (typeof PEER_NAMES)[number];

/** One peer's static description. File names are relative to the package's dist/ folder. */
export interface PeerSpec {
  name: PeerName;
  /** Display name in tables. */
  label: string;
  /** registerProcessor name in the script. */
  processorName: string;
  /** The worklet processor script. */
  script: string;
  /** The wasm binary handed over in processorOptions.wasmBinary. */
  wasm: string;
  /** Context rate the peer runs at (Hz); the test set's 16 kHz is resampled to it when it differs. */
  sampleRateHz: number;
  /** The peer's own frame (samples at sampleRateHz): how much input one network/DSP call takes. */
  frameSamples: number;
  /** Licences: of the package's glue, and of the algorithm/model inside the wasm. */
  licence: string;
  /** Where the algorithm comes from. */
  reference: string;
}

/** The catalog (see the file comment). */
export const PEERS: Readonly<Record<PeerName, PeerSpec>> = {
  rnnoise: {
    name: 'rnnoise', label: 'RNNoise', processorName: `${PEER_PACKAGE}/rnnoise`, script: 'rnnoise/workletProcessor.js',
    wasm: 'rnnoise_simd.wasm', sampleRateHz: 48000, frameSamples: 480,
    licence: 'package MIT; RNNoise BSD-3-Clause (xiph/rnnoise); wasm build @shiguredo/rnnoise-wasm Apache-2.0',
    reference: 'Valin, "A Hybrid DSP/Deep Learning Approach to Real-Time Full-Band Speech Enhancement", MMSP 2018',
  },
  gtcrn: {
    name: 'gtcrn', label: 'GTCRN', processorName: `${PEER_PACKAGE}/gtcrn`, script: 'gtcrn/workletProcessor.js',
    wasm: 'gtcrn.wasm', sampleRateHz: 16000, frameSamples: 256,
    licence: 'package MIT; GTCRN MIT (© 2024 Rong Xiaobin); pffft BSD-style; wasm build @sapphi-red/gtcrn-wasm',
    reference: 'Rong et al., "GTCRN: A Speech Enhancement Model Requiring Ultralow Computational Resources", ICASSP 2024',
  },
  speex: {
    name: 'speex', label: 'Speex', processorName: `${PEER_PACKAGE}/speex`, script: 'speex/workletProcessor.js',
    wasm: 'speex.wasm', sampleRateHz: 16000, frameSamples: 128,
    licence: 'package MIT; SpeexDSP BSD-3-Clause (© Xiph.Org, Jean-Marc Valin et al.); wasm build @sapphi-red/speex-preprocess-wasm',
    reference: 'SpeexDSP preprocessor (speex_preprocess_run), spectral-subtraction/MMSE denoiser',
  },
};

/** Checks a --peer value (UserError naming the choices). */
export function peerNameCheck(name: string): PeerName {
  if ((PEER_NAMES as readonly string[]).includes(name)) return name as PeerName;
  throw new UserError(`--peer ${name}: unknown peer (choose one of ${PEER_NAMES.join(', ')})`);
}

/** The package's dist/ folder, or a UserError saying how to install it. */
export function peerPackageDir(): string {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve(PEER_PACKAGE);
  } catch {
    throw new UserError(`the peers need ${PEER_PACKAGE} ${PEER_PACKAGE_VERSION} (a devDependency of hushpack): run \`npm install\` in a hushpack checkout, or \`npm install ${PEER_PACKAGE}@${PEER_PACKAGE_VERSION}\``);
  }
  return dirname(entry);
}

/** The installed package's version (its package.json, next to dist/). */
export function peerPackageVersion(distDir = peerPackageDir()): string {
  return (JSON.parse(readFileSync(join(distDir, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** Paths and sizes of a peer's two shipped files. */
export interface PeerFiles {
  script: string;
  wasm: string;
  scriptBytes: number;
  wasmBytes: number;
}

/** Locates a peer's script and wasm in the installed package (UserError when missing). */
export function peerFiles(spec: PeerSpec, distDir = peerPackageDir()): PeerFiles {
  const script = join(distDir, spec.script);
  const wasm = join(distDir, spec.wasm);
  for (const p of [script, wasm]) if (!existsSync(p)) throw new UserError(`${p}: missing from ${PEER_PACKAGE} (expected version ${PEER_PACKAGE_VERSION})`);
  return { script, wasm, scriptBytes: statSync(script).size, wasmBytes: statSync(wasm).size };
}
