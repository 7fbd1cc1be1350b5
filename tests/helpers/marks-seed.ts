/**
 * Seeds history and symbol rows straight into a real SQLite store, for tests of marks, targets
 * and the API that must not depend on the analysis being built elsewhere.
 */
import { eq } from 'drizzle-orm';
import { commits, fileChanges, prCommits, symbolChanges, symbols, symbolTexts } from '../../src/db/schema.ts';
import type { RepoStore, Store } from '../../src/db/store.ts';
import { FIRST_REPO, openRepoStore } from './repo-store.ts';
import { openNodeStore } from '../../src/db/node/open.ts';
import { tempDir } from './git-fixture.ts';
import { join } from 'node:path';

export function tempDbPath(): string {
  return join(tempDir('grasp-marks-'), 'grasp.db');
}

/** A fresh team-wide database (every repository). */
export function openTempStore(file = tempDbPath()): Store {
  return openNodeStore(file);
}

/** A fresh database bound to repository 1, the repository every seed below writes. */
export function openTempRepoStore(file = tempDbPath()): RepoStore {
  return openRepoStore(file);
}

let seqCounter = 0;

export interface SeedFile {
  path: string;
  status?: string;
  newBlob?: string | null;
  oldPath?: string | null;
}

export async function seedCommit(
  store: Store,
  c: { sha: string; parents?: string[]; files?: SeedFile[]; email?: string; name?: string; kind?: 'agent' | 'human' | 'bot'; date?: number },
): Promise<void> {
  const seq = ++seqCounter;
  await store.db.insert(commits).values({
    repoId: FIRST_REPO,
    sha: c.sha,
    seq,
    parents: JSON.stringify(c.parents ?? []),
    authorName: c.name ?? 'Ada Human',
    authorEmail: c.email ?? 'ada@example.com',
    authorDate: c.date ?? 1_700_000_000 + seq,
    committerName: c.name ?? 'Ada Human',
    committerEmail: c.email ?? 'ada@example.com',
    committerDate: c.date ?? 1_700_000_000 + seq,
    subject: `commit ${seq}`,
    message: `commit ${seq}`,
    kind: c.kind ?? 'human',
    confidence: 1,
  });
  let idx = 0;
  for (const f of c.files ?? []) {
    await store.db.insert(fileChanges).values({
      repoId: FIRST_REPO,
      sha: c.sha,
      idx: idx++,
      path: f.path,
      oldPath: f.oldPath ?? null,
      status: f.status ?? 'M',
      newBlob: f.newBlob === undefined ? `blob-${f.path}-${seq}` : f.newBlob,
    });
  }
}

export interface SeedSymbol {
  id: number;
  file: string;
  name: string;
  hash: string;
  kind?: string;
  alive?: boolean;
  text?: string;
}

/** Inserts or replaces a symbol's current state (and its text under its hash). */
export async function seedSymbol(store: Store, s: SeedSymbol): Promise<void> {
  await store.db.delete(symbols).where(eq(symbols.id, s.id));
  await store.db.insert(symbols).values({
    id: s.id,
    repoId: FIRST_REPO,
    file: s.file,
    name: s.name,
    kind: s.kind ?? 'function',
    alive: s.alive ?? true,
    hash: s.hash,
    startLine: 1,
    endLine: 3,
  });
  if (s.text !== undefined) await store.db.insert(symbolTexts).values({ hash: s.hash, text: s.text }).onConflictDoNothing();
}

export async function seedSymbolChange(
  store: Store,
  ch: { sha: string; symbolId: number; file: string; name: string; change: 'added' | 'modified' | 'deleted' | 'moved'; hash: string | null },
): Promise<void> {
  await store.db.insert(symbolChanges).values({ ...ch, repoId: FIRST_REPO, kind: 'function', startLine: 1, endLine: 3 });
}

export async function seedPrCommit(store: Store, number: number, sha: string): Promise<void> {
  await store.db.insert(prCommits).values({ repoId: FIRST_REPO, number, sha });
}
