// Locates libtorch for binding.gyp and prints compiler/linker arguments, or fails with a clear
// message. Usage (from binding.gyp, cwd = native/): node libtorch.mjs include|libs|defines
//
//  - LIBTORCH=/path/to/libtorch (an unpacked libtorch tree with include/ and lib/, e.g. a CUDA
//    build from pytorch.org): headers and libraries from there, with an rpath so the addon finds
//    the libraries at run time without LD_LIBRARY_PATH; libtorch_cuda is linked when present.
//  - otherwise Debian's libtorch-dev (headers in /usr/include, libraries in /usr/lib/<triplet>).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const what = process.argv[2];

function fail(msg) {
  process.stderr.write(`\nhushpack native build: ${msg}\n\n`);
  process.exit(1);
}

/** The _GLIBCXX_USE_CXX11_ABI value libtorch was built with (pytorch.org ships both ABIs). */
function cxx11Abi(cmakeDir) {
  const cfg = join(cmakeDir, 'TorchConfig.cmake');
  if (!existsSync(cfg)) return null;
  const m = /_GLIBCXX_USE_CXX11_ABI=(\d)/.exec(readFileSync(cfg, 'utf8'));
  return m ? m[1] : null;
}

function config() {
  const root = process.env.LIBTORCH;
  if (root) {
    const r = resolve(root);
    const inc = join(r, 'include');
    const lib = join(r, 'lib');
    if (!existsSync(join(inc, 'torch', 'csrc', 'api', 'include', 'torch', 'torch.h'))) {
      fail(`LIBTORCH=${root} has no include/torch/csrc/api/include/torch/torch.h (expected an unpacked libtorch tree).`);
    }
    if (!existsSync(join(lib, 'libtorch.so')) && !existsSync(join(lib, 'libtorch.dylib'))) {
      fail(`LIBTORCH=${root} has no lib/libtorch.so (expected an unpacked libtorch tree).`);
    }
    const libs = [`-L${lib}`, `-Wl,-rpath,${lib}`, '-ltorch', '-ltorch_cpu', '-lc10'];
    // CUDA kernels register themselves from libtorch_cuda's static initialisers: force-link it.
    if (existsSync(join(lib, 'libtorch_cuda.so'))) libs.push('-Wl,--no-as-needed', '-ltorch_cuda', '-lc10_cuda', '-Wl,--as-needed');
    const abi = cxx11Abi(join(r, 'share', 'cmake', 'Torch'));
    return { include: [inc, join(inc, 'torch', 'csrc', 'api', 'include')], libs, defines: abi ? [`_GLIBCXX_USE_CXX11_ABI=${abi}`] : [] };
  }
  const apiInc = '/usr/include/torch/csrc/api/include';
  if (!existsSync(join(apiInc, 'torch', 'torch.h'))) {
    fail('libtorch not found. Install Debian\'s libtorch-dev (apt-get install libtorch-dev) or set LIBTORCH=/path/to/libtorch (an unpacked libtorch tree with include/ and lib/).');
  }
  const libDir = readdirSync('/usr/lib')
    .map((d) => join('/usr/lib', d))
    .concat(['/usr/lib'])
    .find((d) => existsSync(join(d, 'libtorch.so')));
  if (libDir === undefined) fail('libtorch headers found but no libtorch.so under /usr/lib: reinstall libtorch-dev, or set LIBTORCH=...');
  const abi = cxx11Abi(join(libDir, 'cmake', 'Torch'));
  return { include: [apiInc], libs: [`-L${libDir}`, '-ltorch', '-ltorch_cpu', '-lc10'], defines: abi ? [`_GLIBCXX_USE_CXX11_ABI=${abi}`] : [] };
}

const cfg = config();
if (!(what in cfg)) fail(`libtorch.mjs: unknown query "${what}" (include|libs|defines)`);
process.stdout.write(cfg[what].join('\n') + '\n');
