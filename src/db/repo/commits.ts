/** Repository layer for ingested history: commits, file changes, git-ai lines, warnings, meta. */
import { desc, eq, inArray, like, sql } from 'drizzle-orm';
import { GraspError } from '../../core/errors.ts';
import { aiLines, commits, fileChanges, meta, warnings } from '../schema.ts';
import { chunk, type Store, type WriteQuery } from '../store.ts';

export type CommitRow = typeof commits.$inferInsert;
export type FileChangeRow = typeof fileChanges.$inferInsert;
export type FileChangeRecord = typeof fileChanges.$inferSelect;
export type AiLinesRow = typeof aiLines.$inferInsert;
export type WarningRow = typeof warnings.$inferInsert;

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
  store: Store,
  rows: { commits: CommitRow[]; files: FileChangeRow[]; aiLines: AiLinesRow[]; warnings: WarningRow[] },
): WriteQuery[] {
  return [
    ...store.insertIgnore(commits, rows.commits),
    ...store.insertIgnore(fileChanges, rows.files),
    ...store.insertIgnore(aiLines, rows.aiLines),
    ...store.insertIgnore(warnings, rows.warnings),
  ];
}

export async function countCommits(store: Store): Promise<number> {
  const row = await store.db.select({ n: sql<number>`count(*)` }).from(commits).get();
  return row?.n ?? 0;
}

export async function maxSeq(store: Store): Promise<number> {
  const row = await store.db.select({ n: sql<number>`coalesce(max(${commits.seq}), 0)` }).from(commits).get();
  return row?.n ?? 0;
}

export async function getCommit(store: Store, sha: string) {
  return store.db.select().from(commits).where(eq(commits.sha, sha)).get();
}

/** A full sha or a unique prefix (>= 4 hex chars). */
export async function resolveCommitOrThrow(store: Store, shaOrPrefix: string) {
  const text = shaOrPrefix.trim().toLowerCase();
  if (!/^[0-9a-f]{4,64}$/.test(text)) throw new GraspError('invalid', `"${shaOrPrefix}" is not a commit sha`);
  const rows = await store.db.select().from(commits).where(like(commits.sha, `${text}%`)).limit(2).all();
  if (rows.length === 0) throw new GraspError('not-found', `no ingested commit matches ${text}`);
  if (rows.length > 1) throw new GraspError('invalid', `commit prefix ${text} is ambiguous`);
  return rows[0]!;
}

export async function listCommits(store: Store, opts: { agentOnly?: boolean; limit?: number } = {}) {
  const base = store.db.select().from(commits);
  const filtered = opts.agentOnly ? base.where(eq(commits.kind, 'agent')) : base;
  // Newest first by the date shown (author date); ingest order breaks ties, children before parents.
  return filtered.orderBy(desc(commits.authorDate), desc(commits.seq)).limit(opts.limit ?? -1).all();
}

export async function getFileChanges(store: Store, sha: string) {
  return store.db.select().from(fileChanges).where(eq(fileChanges.sha, sha)).orderBy(fileChanges.idx).all();
}

export async function getCommitsBySha(store: Store, shas: string[]) {
  const out: (typeof commits.$inferSelect)[] = [];
  for (const part of chunk(shas, 90)) out.push(...(await store.db.select().from(commits).where(inArray(commits.sha, part)).all()));
  return out;
}

export async function listWarnings(store: Store, sha?: string) {
  const q = store.db.select().from(warnings);
  return (sha ? q.where(eq(warnings.sha, sha)) : q).all();
}

export function updateProvenanceQuery(
  store: Store,
  sha: string,
  p: { kind: 'agent' | 'human' | 'bot'; agent: string | null; confidence: number; evidence: string; branches?: string },
): WriteQuery {
  return store.db
    .update(commits)
    .set({ kind: p.kind, agent: p.agent, confidence: p.confidence, evidence: p.evidence, ...(p.branches ? { branches: p.branches } : {}) })
    .where(eq(commits.sha, sha));
}

export async function minSeq(store: Store): Promise<number> {
  const row = await store.db.select({ n: sql<number>`coalesce(min(${commits.seq}), 0)` }).from(commits).get();
  return row?.n ?? 0;
}

/**
 * Replaces a commit's diff rows (a shallow boundary whose parents arrived with a deeper fetch):
 * its file changes, line records and warnings are written afresh and it is analyzed again.
 */
export function replaceCommitDiffQueries(store: Store, sha: string): WriteQuery[] {
  return [
    store.db.delete(fileChanges).where(eq(fileChanges.sha, sha)),
    store.db.delete(aiLines).where(eq(aiLines.sha, sha)),
    store.db.delete(warnings).where(eq(warnings.sha, sha)),
    store.db.delete(commits).where(eq(commits.sha, sha)),
  ];
}

/** Ingested commits whose subject names one of these PRs (squash merges `… (#N)`). */
export async function getCommitsByPrNumbers(store: Store, numbers: number[]) {
  const out: (typeof commits.$inferSelect)[] = [];
  for (const part of chunk(numbers, 90)) out.push(...(await store.db.select().from(commits).where(inArray(commits.prNumber, part)).all()));
  return out;
}
