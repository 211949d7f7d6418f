// Output digests of the runtime, for comparing architectures (tools/ci/arm.sh). In one process (a
// Node under qemu starts slowly), for every given .hush model and the same 16 kHz input:
//   cli:      `hushpack enhance --model M IN OUT` through the CLI's own main() (what bin/hushpack.js
//             runs), sha256 of the WAV file it writes;
//   enhancer: Enhancer.processBuffer with the SIMD and with the scalar WASM build, sha256 of the
//             little-endian float32 output.
// Prints one JSON object { arch, node, simd, cli: { M: sha }, enhancer: { M: { simd, scalar } } }.
// Plain JavaScript, no build step: copy it into a folder where the hushpack package is installed
// (next to node_modules) and run it there, under any Node ≥ 18 on any CPU.
//
//   node runtimeDigest.mjs IN.wav OUTDIR MODEL.hush [MODEL.hush …]
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Enhancer, readMono, simdSupported } from 'hushpack';
// The CLI module by path: the package's "exports" do not (and need not) expose it.
import { main } from './node_modules/hushpack/dist/tools/cli.js';

const [input, outDir, ...models] = process.argv.slice(2);
if (!input || !outDir || models.length === 0) {
  process.stderr.write('usage: node runtimeDigest.mjs IN.wav OUTDIR MODEL.hush [MODEL.hush …]\n');
  process.exit(2);
}
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const { sampleRate, samples } = readMono(input);
if (sampleRate !== 16000) {
  process.stderr.write(`runtime-digest: ${input} is at ${sampleRate} Hz; give a 16 kHz file\n`);
  process.exit(2);
}
const out = { arch: process.arch, node: process.version, simd: simdSupported(), cli: {}, enhancer: {} };
for (const [i, m] of models.entries()) {
  const wav = join(outDir, `${i}-${basename(m, '.hush')}.wav`);
  const write = process.stdout.write;
  process.stdout.write = () => true; // the command's own report line
  let status;
  try {
    status = await main(['node', 'hushpack', 'enhance', '--model', m, input, wav]);
  } finally {
    process.stdout.write = write;
  }
  out.cli[m] = status === 0 ? sha256(readFileSync(wav)) : `exit status ${status}`;
  const bytes = new Uint8Array(readFileSync(m));
  out.enhancer[m] = {};
  for (const flavor of out.simd ? ['simd', 'scalar'] : ['scalar']) {
    const y = (await Enhancer.load(bytes, { flavor })).processBuffer(samples);
    out.enhancer[m][flavor] = sha256(new Uint8Array(y.buffer, y.byteOffset, y.byteLength));
  }
}
process.stdout.write(`${JSON.stringify(out)}\n`);
