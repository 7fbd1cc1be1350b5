#!/usr/bin/env node
// Runs the compiled CLI in dist/ (`npm run build`; `npm ci` builds it in `prepare`), which starts
// in a fraction of the time tsx needs. When dist is missing or was built from other sources than
// the src/ here now (a checkout being edited), it runs src/ through tsx instead: slower, never stale.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distIsFresh } from './dist-stamp.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
if (process.env.GRASP_FROM_SOURCE !== '1' && distIsFresh(root)) {
  await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  // Always the project's tsconfig (JSX settings), whatever the current directory.
  register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
  await import('../src/cli/main.ts');
}
