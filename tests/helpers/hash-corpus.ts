/**
 * A fixed corpus of real TypeScript/JavaScript for the "hashes stay byte-identical" rule: hono's
 * published dist, two packages with tap/node-style test files, and this repository's own src/ and
 * tests/ at a fixed commit (read from git). Each file digests to one hash over the symbols that
 * existed before units (constants, callbacks, tests) were split out of `(module)`.
 */
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scriptExtension, type BlobSymbol } from '../../src/analysis/types.ts';

/** The commit whose src/ and tests/ are part of the corpus (the last one before units). */
export const CORPUS_COMMIT = 'f7d3c65';
const ROOT = path.resolve(import.meta.dirname, '../..');
const PACKAGES = ['node_modules/hono/dist', 'node_modules/autocannon', 'node_modules/manage-path'];

function walk(dir: string, out: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(full, out);
    } else if (scriptExtension(entry.name)) out.push(full);
  }
}

/** [name, text] of every corpus file, sorted by name. */
export function corpus(): [string, string][] {
  const files: [string, string][] = [];
  for (const pkg of PACKAGES) {
    const found: string[] = [];
    walk(path.join(ROOT, pkg), found);
    for (const f of found) files.push([path.relative(ROOT, f), fs.readFileSync(f, 'utf8')]);
  }
  // One `git archive` rather than a `git show` per file.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'grasp-corpus-'));
  try {
    execFileSync('sh', ['-c', `git -C "$0" archive ${CORPUS_COMMIT} src tests | tar -x -C "$1"`, ROOT, tmp]);
    const found: string[] = [];
    walk(tmp, found);
    for (const f of found) files.push([`${CORPUS_COMMIT}:${path.relative(tmp, f)}`, fs.readFileSync(f, 'utf8')]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return files.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Kinds that did not exist before units; `(module)` changes by design when units leave it. */
const NEW_KINDS = new Set(['const', 'callback', 'test', 'module']);

/** Name of the nearest enclosing symbol that is not a unit ('' at top level). */
function parentName(symbols: readonly BlobSymbol[], s: BlobSymbol): string {
  let p = s.parent;
  while (p !== -1 && NEW_KINDS.has(symbols[p]!.kind)) p = symbols[p]!.parent;
  return p === -1 ? '' : symbols[p]!.name;
}

/** One hash over every pre-unit symbol's name, kind, lines, export, complexity, hash and parent. */
export function legacyDigest(symbols: readonly BlobSymbol[]): string {
  const rows = symbols
    .filter((s) => !NEW_KINDS.has(s.kind))
    .map((s) => [s.name, s.kind, s.startLine, s.endLine, s.exported, s.complexity, s.hash, parentName(symbols, s)]);
  return crypto.createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16);
}
