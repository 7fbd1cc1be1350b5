/**
 * Whether dist/ was built from the src/ that is here now. The build records every source
 * file's path, size and modification time in dist/.stamp; any difference (a file edited, added,
 * removed, or touched by a checkout) makes dist stale, and bin/grasp.mjs then runs src/ through tsx.
 * Only stat calls: a few milliseconds at start-up.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Besides src/: what else decides the output (the bundler's settings, the bundled packages' versions).
const INPUTS = ['bin/build.mjs', 'package-lock.json', 'tsconfig.json'];

/** One line per input file: `path size mtime`, sorted by path. */
export function sourceSnapshot(root) {
  const files = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(root.length + 1));
  const lines = [...files, ...INPUTS].sort().map((rel) => {
    const s = statSync(join(root, rel), { throwIfNoEntry: false });
    return s ? `${rel} ${s.size} ${s.mtimeMs}` : `${rel} -`;
  });
  return `${lines.join('\n')}\n`;
}
/** True when dist/.stamp exists and matches the sources as they are now. */
export function distIsFresh(root) {
  let stamp;
  try {
    stamp = readFileSync(join(root, 'dist', '.stamp'), 'utf8');
  } catch {
    return false;
  }
  return stamp === sourceSnapshot(root);
}
