/**
 * vitest global setup: rebuilds dist/ when it is missing or stale, so the tests that spawn
 * bin/grasp.mjs run the built CLI (as an installed grasp does) instead of falling back to tsx.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { distIsFresh } from '../../bin/dist-stamp.mjs';

export default function setup(): void {
  const root = join(import.meta.dirname, '..', '..');
  if (distIsFresh(root)) return;
  const run = spawnSync(process.execPath, [join(root, 'bin', 'build.mjs')], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error('npm run build failed: see its output above');
}
