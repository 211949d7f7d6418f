#!/usr/bin/env node
// Folder-level import graph of the TypeScript sources, from esbuild's metafile: every file under
// src/, runtime/ and tools/ is an entry point, bundled (not written) with node built-ins and npm
// packages left external, so the metafile lists each file's own imports. A "folder" is the first two
// path segments (src/models, runtime/core, …; src/models/<sub>/ counts as src/models) — the layers the
// design talks about; a file directly in src/ or tools/ (src/errors.ts, src/node.ts, tools/cli.ts) is a
// node of its own, since src/errors.ts sits at the bottom and src/node.ts at the top. Prints folder → folder edges with the number of file imports behind each, then
// every folder-level cycle (strongly connected component of more than one folder) with one file
// import per edge as the witness.
// Usage: node tools/depsGraph.mjs [--json]
import { build } from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const json = process.argv.includes('--json');

/** Every .ts file under dir (no .d.ts). */
function tsFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The layer a file belongs to: its first two path segments (a file directly in src/ is its own). */
export function folderOf(path) {
  const parts = path.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : path;
}

/** File-level imports of the TS sources: Map<file, Set<imported file>>. */
export async function fileImports(roots = ['src', 'runtime', 'tools']) {
  const entryPoints = roots.flatMap((r) => tsFiles(r));
  const result = await build({
    entryPoints, bundle: true, write: false, metafile: true, outdir: '/tmp/deps-graph-unused',
    platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent',
    loader: { '.wasm': 'empty', '.node': 'empty' },
  });
  const imports = new Map();
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    imports.set(file, new Set(input.imports.filter((i) => !i.external).map((i) => i.path)));
  }
  return imports;
}

/** Folder edges (Map<"a → b", {count, witness}>) and cycles (arrays of folders) of an import map. */
export function folderGraph(imports) {
  const edges = new Map();
  for (const [file, deps] of imports) {
    for (const dep of deps) {
      const a = folderOf(file), b = folderOf(dep);
      if (a === b) continue;
      const key = `${a} → ${b}`;
      const e = edges.get(key) ?? { from: a, to: b, count: 0, witness: `${file} → ${dep}` };
      e.count++;
      edges.set(key, e);
    }
  }
  // Tarjan's strongly connected components over folders.
  const adj = new Map();
  for (const e of edges.values()) {
    if (!adj.has(e.from)) adj.set(e.from, []);
    adj.get(e.from).push(e.to);
    if (!adj.has(e.to)) adj.set(e.to, []);
  }
  let index = 0;
  const idx = new Map(), low = new Map(), stack = [], on = new Set(), cycles = [];
  const visit = (v) => {
    idx.set(v, index); low.set(v, index); index++; stack.push(v); on.add(v);
    for (const w of adj.get(v)) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do { w = stack.pop(); on.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1) cycles.push(scc.sort());
    }
  };
  for (const v of [...adj.keys()].sort()) if (!idx.has(v)) visit(v);
  return { edges: [...edges.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to)), cycles };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { edges, cycles } = folderGraph(await fileImports());
  if (json) {
    console.log(JSON.stringify({ edges, cycles }));
  } else {
    console.log(`Folder imports (\`node tools/depsGraph.mjs\`): ${edges.length} edges, ${cycles.length} loops\n`);
    for (const e of edges) console.log(`  ${e.from} → ${e.to} (${e.count})`);
    console.log('');
    for (const c of cycles) {
      console.log(`loop: ${c.join(', ')}`);
      for (const e of edges) if (c.includes(e.from) && c.includes(e.to)) console.log(`    ${e.witness}`);
    }
  }
}
