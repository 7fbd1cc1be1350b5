/** Shallow clones: the boundary commits git lists in `<git dir>/shallow` (their parents are not in the clone). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function shallowBoundary(gitDir: string): Set<string> {
  try {
    return new Set(readFileSync(join(gitDir, 'shallow'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => /^[0-9a-f]{40,64}$/.test(l)));
  } catch {
    return new Set(); // no file: not shallow (or fully deepened)
  }
}

export const SHALLOW_FIX = 'run `git fetch --deepen 100` (or `git fetch --unshallow`) and ingest again to fill in the history';
