/**
 * A peer as a backend of `hushpack evalset --peer` (src/evaluate/testsetScore.ts): the Peer of
 * src/peers/peer.ts with its delay calibrated, a per-file check that the compensation holds (the
 * cross-correlation peak of output vs input at lag 0, tallied by lag), the cost figures gathered
 * over every file, and the `peer` block of the score file.
 */
import { loadavg } from 'node:os';
import { basename } from 'node:path';
import type { ScoredBackend } from '../evaluate/backend.js';
import type { ScorePeer } from '../evaluate/scoreFile.js';
import { PEER_PACKAGE, PEER_PACKAGE_VERSION, type PeerName } from './catalog.js';
import { Peer, PEER_WARMUP_MS } from './peer.js';
import { xcorrPeak } from './xcorr.js';

/** Lags searched by the per-file check (16 kHz samples: ±10 ms). */
const CHECK_MAX_LAG = 160;

/** A peer backend: a ScoredBackend plus what the score file records. */
export interface PeerBackend extends ScoredBackend {
  readonly peer: Peer;
  /** The score file's `peer` block for everything processed so far. */
  scorePeer(): ScorePeer;
}

function percentileSorted(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

/**
 * Loads peer `name` and calibrates its delay on `calibration` (clean 16 kHz speech at the level the
 * test set is written at). `onNote` hears the delay found.
 */
export async function peerBackendOpen(name: PeerName, calibration: readonly Float32Array[], onNote?: (m: string) => void): Promise<PeerBackend> {
  const peer = Peer.load(name);
  if (peer.packageVersion !== PEER_PACKAGE_VERSION) {
    onNote?.(`${PEER_PACKAGE} ${peer.packageVersion} is installed; hushpack's peer host was written against ${PEER_PACKAGE_VERSION} (recorded in the score file)`);
  }
  const delay = await peer.delayCalibrate(calibration);
  onNote?.(`${peer.spec.label}: fixed delay ${delay.samples} samples at ${peer.spec.sampleRateHz} Hz (${delay.ms.toFixed(2)} ms), removed from every output`);
  const lags = new Map<number, number>();
  const costs: Float64Array[] = [];
  return {
    kind: 'peer',
    model: `${peer.spec.label} (${PEER_PACKAGE} ${peer.packageVersion}, ${basename(peer.files.wasm)}, ${peer.spec.sampleRateHz / 1000} kHz)`,
    arch: peer.spec.name,
    preset: '',
    inputLevel: 'as-written',
    peer,
    async process(x: Float32Array): Promise<Float32Array> {
      const out = await peer.process(x);
      const { lag } = xcorrPeak(x, out.y, Math.min(CHECK_MAX_LAG, x.length - 1));
      lags.set(lag, (lags.get(lag) ?? 0) + 1);
      costs.push(out.usPer10ms);
      return out.y;
    },
    close: () => undefined,
    scorePeer(): ScorePeer {
      const all = new Float64Array(costs.reduce((s, c) => s + c.length, 0));
      let at = 0;
      for (const c of costs) {
        all.set(c, at);
        at += c.length;
      }
      const mean = all.reduce((s, v) => s + v, 0) / Math.max(1, all.length);
      all.sort();
      const s = peer.spec;
      return {
        name: s.name, label: s.label, package: PEER_PACKAGE, packageVersion: peer.packageVersion, licence: s.licence, reference: s.reference,
        sampleRateHz: s.sampleRateHz, frameSamples: s.frameSamples,
        delay: { samples: delay.samples, ms: delay.ms, method: delay.method, signals: delay.signals },
        lagAfterCompensation: Object.fromEntries([...lags.entries()].sort((a, b) => a[0] - b[0]).map(([l, n]) => [String(l), n])),
        bytes: {
          wasm: peer.files.wasmBytes, script: peer.files.scriptBytes, total: peer.bytes,
          wasmFile: basename(peer.files.wasm), scriptFile: `${basename(peer.files.script.replace(/\/[^/]+$/, ''))}/${basename(peer.files.script)}`,
        },
        cost: {
          usP50: percentileSorted(all, 0.5), usP99: percentileSorted(all, 0.99), usMean: mean, blocks: all.length,
          blockQuanta: peer.blockQuanta, blockMs: peer.blockMs, warmupMs: PEER_WARMUP_MS, loadAverage: loadavg().map((v) => Math.round(v * 100) / 100),
        },
        input: 'the test-set files as written (mixture at −25 dBFS RMS), no unit-RMS scaling; resampled to the peer\'s rate and back with src/dsp/resample.ts when it is not 16 kHz',
      };
    },
  };
}
