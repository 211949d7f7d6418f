/**
 * The peers (src/peers/: RNNoise, GTCRN, Speex from @sapphi-red/web-noise-suppressor) on the demo
 * clips, so the demo's report shows them beside the model, clip by clip: each peer's delay is
 * calibrated on the clips' clean references, then every mixture (as written: the test set's level)
 * goes through a fresh processor, delay compensated, and is written to
 *   OUT/enhanced/<clip>_<peer>.wav   (16 kHz 16-bit, same gain as the mixture)
 * The package is a devDependency: without it (an `npm i hushpack` install) the demo says so and
 * shows the model alone.
 */
import { join } from 'node:path';
import { SAMPLE_RATE_HZ } from '../dsp/constants.js';
import { writeWav } from '../data/wav.js';
import { UserError } from '../errors.js';
import { PEER_NAMES, PEER_PACKAGE, type PeerName } from '../peers/catalog.js';
import { Peer } from '../peers/peer.js';
import type { DemoClipAudio } from './clips.js';
import { percentile } from './enhanceTimed.js';

/** One peer on the clips, before scoring. Paths are relative to the output folder. */
export interface DemoPeerRun {
  name: PeerName;
  label: string;
  /** "RNNoise (@sapphi-red/web-noise-suppressor 0.4.1, 48 kHz)". */
  description: string;
  licence: string;
  sampleRateHz: number;
  /** Fixed delay removed (samples at the peer's rate, and ms). */
  delaySamples: number;
  delayMs: number;
  /** wasm + worklet script bytes. */
  bytes: number;
  /** process() µs per 10 ms of audio on one core, over every clip (src/peers/peer.ts). */
  usP50: number;
  usP99: number;
  /** Enhanced files, in clip order. */
  enhanced: string[];
}

/** Runs every peer on the clips; `note` says why there are none (package missing), else null. */
export async function demoPeersRun(
  clips: readonly DemoClipAudio[], stems: readonly string[], outDir: string, log: (line: string) => void,
): Promise<{ peers: DemoPeerRun[]; note: string | null }> {
  const peers: DemoPeerRun[] = [];
  for (const name of PEER_NAMES) {
    let peer: Peer;
    try {
      peer = Peer.load(name);
    } catch (err) {
      if (err instanceof UserError) return { peers: [], note: `peers not shown: ${err.message}` };
      throw err;
    }
    const delay = await peer.delayCalibrate(clips.map((c) => c.clean));
    const enhanced: string[] = [];
    const costs: number[] = [];
    for (let k = 0; k < clips.length; k++) {
      const out = await peer.process(clips[k].mix);
      const file = `enhanced/${stems[k]}_${name}.wav`;
      writeWav(join(outDir, file), { sampleRate: SAMPLE_RATE_HZ, channels: [out.y] }, 'pcm16');
      enhanced.push(file);
      costs.push(...out.usPer10ms);
    }
    peers.push({
      name, label: peer.spec.label, description: `${peer.spec.label} (${PEER_PACKAGE} ${peer.packageVersion}, ${peer.spec.sampleRateHz / 1000} kHz)`,
      licence: peer.spec.licence, sampleRateHz: peer.spec.sampleRateHz, delaySamples: delay.samples, delayMs: delay.ms, bytes: peer.bytes,
      usP50: percentile(costs, 0.5), usP99: percentile(costs, 0.99), enhanced,
    });
    log(`demo: peer ${peer.spec.label} enhanced ${clips.length} clips (delay ${delay.samples} samples at ${peer.spec.sampleRateHz} Hz removed)`);
  }
  return { peers, note: null };
}
