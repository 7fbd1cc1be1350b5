#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm ci` leaves a working `npx grasp`): bundles the CLI from
// src/ into dist/ with esbuild, one file per command plus shared chunks. Loading a few bundled files
// instead of hundreds of modules (drizzle-orm alone is ~100) is most of a command's start-up.
// dist is stamped with the sources it was built from (dist-stamp.mjs); types are `npm run typecheck`'s job.
// Without esbuild (an install without devDependencies) there is no dist and bin/grasp.mjs uses tsx.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceSnapshot } from './dist-stamp.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'dist');
// Taken before bundling: a file edited during the build leaves the stamp stale, never wrong.
const snapshot = sourceSnapshot(root);

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('grasp build: esbuild is not installed; `grasp` will run from src/ through tsx\n');
  process.exit(0);
}

// Built next to dist and swapped in whole, so a running `grasp` never sees half a dist.
const next = `${dist}.next-${process.pid}`;
rmSync(next, { recursive: true, force: true });
try {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/cli/main.ts'],
    outbase: 'src',
    outdir: next,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    // Native, or large and only needed by the analysis: loaded from node_modules when used.
    external: ['better-sqlite3', 'typescript', 'ts-morph', 'esbuild'],
    // Every output file sits two folders below dist, as src/db/node/open.ts does below src: its
    // MIGRATIONS_DIR is relative to its own file.
    chunkNames: 'lib/chunks/[name]-[hash]',
    // Bundled CommonJS packages call require().
    banner: { js: "import { createRequire as __graspRequire } from 'node:module'; const require = __graspRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  writeFileSync(join(next, '.stamp'), snapshot);
  const old = `${dist}.old-${process.pid}`;
  try {
    renameSync(dist, old);
  } catch {
    // no previous dist
  }
  renameSync(next, dist);
  rmSync(old, { recursive: true, force: true });
} catch (err) {
  rmSync(next, { recursive: true, force: true });
  process.stderr.write(`grasp build failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
