/**
 * Bundles src/worker.ts for workerd the way wrangler does (esbuild, ESM, browser/worker
 * conditions) and reports every input, so tests can prove that no Node-only module reached the
 * Worker. `node bin/run-ts.mjs scripts/bundle-worker.ts [outfile]` prints the inputs by size.
 */
import { build, type Metafile } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const WORKER_ENTRY = join(PROJECT_ROOT, 'src/worker.ts');

/** Packages and built-ins that must never be in the Worker's import graph. */
export const NODE_ONLY = /(^|\/)node_modules\/(better-sqlite3|ts-morph|@ts-morph|@hono\/node-server|commander|tsx)\/|^node:|^(fs|child_process|path|os|crypto|net|http|worker_threads)$/;
const NODE_ONLY_IMPORT = /^(node:.*|better-sqlite3|ts-morph|@ts-morph\/.*|@hono\/node-server|commander|tsx(\/.*)?|fs|fs\/promises|child_process|path|os|crypto|net|http|worker_threads)$/;

export interface WorkerBundle {
  outfile: string;
  bytes: number;
  inputs: string[];
  /** Imports left external (node:* built-ins would show up here). */
  externals: string[];
  /** Node-only imports found in the graph, each with the import chain from src/worker.ts. */
  nodeOnly: { module: string; chain: string[] }[];
}

/** Shortest import chain from the entry to `target` in esbuild's metafile. */
function chainTo(meta: Metafile, entry: string, target: string): string[] {
  const previous = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (file === target) break;
    for (const imp of meta.inputs[file]?.imports ?? []) {
      if (imp.external || previous.has(imp.path)) continue;
      previous.set(imp.path, file);
      queue.push(imp.path);
    }
  }
  const chain: string[] = [];
  for (let at: string | null | undefined = target; at; at = previous.get(at)) chain.unshift(at);
  return chain;
}

/**
 * Bundles src/worker.ts; Node-only imports are not fatal here but left external and reported in
 * `nodeOnly` with the chain that pulled them in (a deploy would fail on them).
 */
export async function bundleWorker(outfile = join(mkdtempSync(join(tmpdir(), 'grasp-worker-')), 'worker.mjs')): Promise<WorkerBundle> {
  const found: { module: string; importer: string }[] = [];
  const result = await build({
    entryPoints: [WORKER_ENTRY],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    minify: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: PROJECT_ROOT,
    plugins: [
      {
        name: 'report-node-only',
        setup(b) {
          b.onResolve({ filter: NODE_ONLY_IMPORT }, (args) => {
            // typescript's own package.json "browser" field maps fs/path/os/crypto to nothing: let esbuild apply it.
            if (/node_modules\/typescript\//.test(args.importer)) return undefined;
            found.push({ module: args.path, importer: relative(PROJECT_ROOT, args.importer) });
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  const meta = result.metafile as Metafile;
  const output = Object.values(meta.outputs)[0]!;
  const externals = new Set<string>();
  for (const input of Object.values(meta.inputs)) for (const imp of input.imports) if (imp.external && imp.path !== '<runtime>') externals.add(imp.path); // <runtime>: esbuild's own helpers
  const entry = relative(PROJECT_ROOT, WORKER_ENTRY);
  const nodeOnly = found.map((f) => ({ module: f.module, chain: [...chainTo(meta, entry, f.importer), f.module] }));
  return { outfile, bytes: output.bytes, inputs: Object.keys(meta.inputs), externals: [...externals], nodeOnly };
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  const bundle = await bundleWorker(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`${bundle.outfile}: ${bundle.bytes} bytes, ${bundle.inputs.length} inputs, externals: ${bundle.externals.join(', ') || 'none'}`);
  if (bundle.nodeOnly.length > 0) {
    console.error(`Node-only imports in the Worker's graph:\n  ${bundle.nodeOnly.map((n) => n.chain.join(' -> ')).join('\n  ')}`);
    process.exitCode = 1;
  }
}
