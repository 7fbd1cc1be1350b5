/** Repository layer for ingested history: commits, file changes, git-ai lines, warnings, meta. */
import { and, desc, eq, inArray, like, sql } from 'drizzle-orm';
import { GraspError } from '../../core/errors.ts';
import { aiLines, commits, fileChanges, meta, warnings } from '../schema.ts';
import { chunk, type RepoStore, type Store, type WriteQuery } from '../store.ts';

/** Rows as ingest builds them; the repository comes from the RepoStore they are written through. */
export type CommitRow = Omit<typeof commits.$inferInsert, 'repoId'>;
export type FileChangeRow = Omit<typeof fileChanges.$inferInsert, 'repoId'>;
export type FileChangeRecord = typeof fileChanges.$inferSelect;
export type AiLinesRow = Omit<typeof aiLines.$inferInsert, 'repoId'>;
export type WarningRow = Omit<typeof warnings.$inferInsert, 'repoId'>;

/** Stamps the store's repository on rows built without one. */
export function inRepo<T extends object>(store: RepoStore, rows: readonly T[]): (T & { repoId: number })[] {
  return rows.map((r) => ({ ...r, repoId: store.repoId }));
}

export async function getMeta(store: Store, key: string): Promise<string | null> {
  const row = await store.db.select({ value: meta.value }).from(meta).where(eq(meta.key, key)).get();
  return row?.value ?? null;
}

export function setMetaQuery(store: Store, key: string, value: string): WriteQuery {
  return store.db.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } });
}

export async function setMeta(store: Store, key: string, value: string): Promise<void> {
  await store.atomic([setMetaQuery(store, key, value)]);
}

/** Insert queries for a batch, chunked for the driver's parameter budget; conflicts are ignored (idempotent). */
export function insertHistoryQueries(
  store: RepoStore,
  rows: { commits: CommitRow[]; files: FileChangeRow[]; aiLines: AiLinesRow[]; warnings: WarningRow[] },
): WriteQuery[] {
  return [
    ...store.insertIgnore(commits, inRepo(store, rows.commits)),
    ...store.insertIgnore(fileChanges, inRepo(store, rows.files)),
    ...store.insertIgnore(aiLines, inRepo(store, rows.aiLines)),
    ...store.insertIgnore(warnings, inRepo(store, rows.warnings)),
  ];
}

const inThisRepo = (store: RepoStore) => eq(commits.repoId, store.repoId);

export async function countCommits(store: RepoStore): Promise<number> {
  const row = await store.db.select({ n: sql<number>`count(*)` }).from(commits).where(inThisRepo(store)).get();
  return row?.n ?? 0;
}

export async function maxSeq(store: RepoStore): Promise<number> {
  const row = await store.db.select({ n: sql<number>`coalesce(max(${commits.seq}), 0)` }).from(commits).where(inThisRepo(store)).get();
  return row?.n ?? 0;
}

export async function getCommit(store: RepoStore, sha: string) {
  return store.db.select().from(commits).where(and(inThisRepo(store), eq(commits.sha, sha))).get();
}

/** A full sha or a unique prefix (>= 4 hex chars). */
export async function resolveCommitOrThrow(store: RepoStore, shaOrPrefix: string) {
  const text = shaOrPrefix.trim().toLowerCase();
  if (!/^[0-9a-f]{4,64}$/.test(text)) throw new GraspError('invalid', `"${shaOrPrefix}" is not a commit sha`);
  const rows = await store.db.select().from(commits).where(and(inThisRepo(store), like(commits.sha, `${text}%`))).limit(2).all();
  if (rows.length === 0) throw new GraspError('not-found', `no ingested commit matches ${text}`);
  if (rows.length > 1) throw new GraspError('invalid', `commit prefix ${text} is ambiguous`);
  return rows[0]!;
}

export async function listCommits(store: RepoStore, opts: { agentOnly?: boolean; limit?: number } = {}) {
  const filtered = store.db.select().from(commits).where(opts.agentOnly ? and(inThisRepo(store), eq(commits.kind, 'agent')) : inThisRepo(store));
  // Newest first by the date shown (author date); ingest order breaks ties, children before parents.
  return filtered.orderBy(desc(commits.authorDate), desc(commits.seq)).limit(opts.limit ?? -1).all();
}

export async function getFileChanges(store: RepoStore, sha: string) {
  return store.db.select().from(fileChanges).where(and(eq(fileChanges.repoId, store.repoId), eq(fileChanges.sha, sha))).orderBy(fileChanges.idx).all();
}

export async function getCommitsBySha(store: RepoStore, shas: string[]) {
  const out: (typeof commits.$inferSelect)[] = [];
  for (const part of chunk(shas, 90)) out.push(...(await store.db.select().from(commits).where(and(inThisRepo(store), inArray(commits.sha, part))).all()));
  return out;
}

export async function listWarnings(store: RepoStore, sha?: string) {
  const here = eq(warnings.repoId, store.repoId);
  return store.db.select().from(warnings).where(sha ? and(here, eq(warnings.sha, sha)) : here).all();
}

export function updateProvenanceQuery(
  store: RepoStore,
  sha: string,
  p: { kind: 'agent' | 'human' | 'bot'; agent: string | null; confidence: number; evidence: string; branches?: string },
): WriteQuery {
  return store.db
    .update(commits)
    .set({ kind: p.kind, agent: p.agent, confidence: p.confidence, evidence: p.evidence, ...(p.branches ? { branches: p.branches } : {}) })
    .where(and(inThisRepo(store), eq(commits.sha, sha)));
}

export async function minSeq(store: RepoStore): Promise<number> {
  const row = await store.db.select({ n: sql<number>`coalesce(min(${commits.seq}), 0)` }).from(commits).where(inThisRepo(store)).get();
  return row?.n ?? 0;
}

/**
 * Replaces a commit's diff rows (a shallow boundary whose parents arrived with a deeper fetch):
 * its file changes, line records and warnings are written afresh and it is analyzed again.
 */
export function replaceCommitDiffQueries(store: RepoStore, sha: string): WriteQuery[] {
  const r = store.repoId;
  return [
    store.db.delete(fileChanges).where(and(eq(fileChanges.repoId, r), eq(fileChanges.sha, sha))),
    store.db.delete(aiLines).where(and(eq(aiLines.repoId, r), eq(aiLines.sha, sha))),
    store.db.delete(warnings).where(and(eq(warnings.repoId, r), eq(warnings.sha, sha))),
    store.db.delete(commits).where(and(inThisRepo(store), eq(commits.sha, sha))),
  ];
}

/** Ingested commits whose subject names one of these PRs (squash merges `… (#N)`). */
export async function getCommitsByPrNumbers(store: RepoStore, numbers: number[]) {
  const out: (typeof commits.$inferSelect)[] = [];
  for (const part of chunk(numbers, 90)) out.push(...(await store.db.select().from(commits).where(and(inThisRepo(store), inArray(commits.prNumber, part))).all()));
  return out;
}
