/**
 * Repository layer for GitHub data: pull requests, their commits/files/review requests, reviews and
 * review comments (upserts, so a re-sync or a replayed webhook changes nothing), webhook deliveries,
 * and the lookups the credit rules need (blobs, symbols, engineers by login).
 */
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { PrSnapshot } from '../../core/pull-request.ts';
import {
  blobAnalyses,
  commits,
  engineerAliases,
  fileChanges,
  marks,
  prCommits,
  prFiles,
  prReviewRequests,
  pullRequests,
  reviewComments,
  reviews,
  symbolChanges,
  symbols,
  webhookDeliveries,
} from '../schema.ts';
import { chunk, rowsPerInsert, type RepoStore, type Store, type WriteQuery } from '../store.ts';

/** Per repository (src/db/repo/repos.ts getRepoMeta): the linked GitHub repository and the sync cursor. */
export const META_REPO = 'github.repo';
export const META_CURSOR = 'github.cursor';
/** Team-wide: the token's login. */
export const META_VIEWER = 'github.viewer';

/** Stored value wins where the source did not say (undefined); defined values overwrite. */
function definedOnly<T extends object>(row: T): Partial<T> {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Writes for one snapshot; run them with store.atomic so a pull request is stored whole or not at all. */
export function prSnapshotQueries(store: RepoStore, snap: PrSnapshot): WriteQuery[] {
  const q: WriteQuery[] = [];
  const n = snap.number;
  const repoId = store.repoId;
  const stamp = <T extends object>(rows: readonly T[]) => rows.map((r) => ({ ...r, repoId }));
  const patch = definedOnly(snap.pr);
  const { number: _n, lastPushAt, ...update } = patch;
  q.push(
    store.db
      .insert(pullRequests)
      .values({ title: '', state: 'OPEN', createdAt: 0, updatedAt: 0, ...patch, number: n, repoId })
      .onConflictDoUpdate({
        target: [pullRequests.repoId, pullRequests.number],
        set: {
          ...update,
          // Pushes only move forward, whichever source reports them first.
          lastPushAt: sql`coalesce(max(${pullRequests.lastPushAt}, excluded.last_push_at), ${pullRequests.lastPushAt}, excluded.last_push_at)`,
        },
        // An older snapshot (events out of order, a replayed delivery) never rolls a PR back.
        ...(update.updatedAt !== undefined ? { setWhere: sql`excluded.updated_at >= ${pullRequests.updatedAt}` } : {}),
      }),
  );
  if (snap.commits) {
    const shas = snap.commits.map((c) => c.sha);
    if (snap.replace?.commits) q.push(...replaceMissing(store, prCommits, prCommits.repoId, prCommits.number, n, prCommits.sha, shas));
    for (const part of chunk(stamp(snap.commits), rowsPerInsert(store, 5))) {
      q.push(
        store.db
          .insert(prCommits)
          .values(part)
          .onConflictDoUpdate({
            target: [prCommits.repoId, prCommits.number, prCommits.sha],
            set: { coAuthors: sql`excluded.co_authors`, pushedAt: sql`coalesce(excluded.pushed_at, ${prCommits.pushedAt})` },
          }),
      );
    }
  }
  if (snap.files) {
    if (snap.replace?.files) q.push(...replaceMissing(store, prFiles, prFiles.repoId, prFiles.number, n, prFiles.path, snap.files.map((f) => f.path)));
    for (const part of chunk(stamp(snap.files), rowsPerInsert(store, 4))) {
      q.push(
        store.db
          .insert(prFiles)
          .values(part)
          .onConflictDoUpdate({ target: [prFiles.repoId, prFiles.number, prFiles.path], set: { viewerViewedState: sql`excluded.viewer_viewed_state` } }),
      );
    }
  }
  if (snap.reviewRequests) {
    const logins = snap.reviewRequests.map((r) => r.login);
    if (snap.replace?.reviewRequests) q.push(...replaceMissing(store, prReviewRequests, prReviewRequests.repoId, prReviewRequests.number, n, prReviewRequests.login, logins));
    for (const part of chunk(stamp(snap.reviewRequests), rowsPerInsert(store, 3))) q.push(store.db.insert(prReviewRequests).values(part).onConflictDoNothing());
  }
  for (const part of chunk(stamp(snap.reviews ?? []), rowsPerInsert(store, 10))) {
    q.push(
      store.db
        .insert(reviews)
        .values(part)
        .onConflictDoUpdate({
          target: reviews.id,
          set: {
            authorLogin: sql`excluded.author_login`,
            state: sql`excluded.state`,
            submittedAt: sql`coalesce(excluded.submitted_at, ${reviews.submittedAt})`,
            body: sql`excluded.body`,
            commitSha: sql`coalesce(excluded.commit_sha, ${reviews.commitSha})`,
          },
        }),
    );
  }
  for (const part of chunk(stamp(snap.reviewComments ?? []), rowsPerInsert(store, 15))) {
    q.push(
      store.db
        .insert(reviewComments)
        .values(part)
        .onConflictDoUpdate({
          target: reviewComments.id,
          set: {
            startLine: sql`excluded.start_line`,
            line: sql`excluded.line`,
            commitSha: sql`excluded.commit_sha`,
            originalStartLine: sql`excluded.original_start_line`,
            originalLine: sql`excluded.original_line`,
            originalCommitSha: sql`excluded.original_commit_sha`,
            body: sql`excluded.body`,
          },
        }),
    );
  }
  for (const part of chunk(snap.deletedReviewCommentIds ?? [], store.maxParams - 1)) {
    q.push(store.db.delete(reviewComments).where(inArray(reviewComments.id, part)));
  }
  return q;
}

/** Deletes a pull request's rows whose key is not in `keep` (the complete current set). */
function replaceMissing(store: RepoStore, table: SQLiteTable, repoCol: SQLiteColumn, numberCol: SQLiteColumn, n: number, keyCol: SQLiteColumn, keep: string[]): WriteQuery[] {
  const pr = and(eq(repoCol, store.repoId), eq(numberCol, n));
  if (keep.length === 0) return [store.db.delete(table).where(pr)];
  // Past the parameter budget a NOT IN cannot be chunked; such lists are only ever appended to.
  if (keep.length > store.maxParams - 3) return [];
  return [store.db.delete(table).where(and(pr, notInArray(keyCol, keep)))];
}

export async function storePrSnapshots(store: RepoStore, snapshots: readonly PrSnapshot[]): Promise<void> {
  for (const snap of snapshots) await store.atomic(prSnapshotQueries(store, snap));
}

// ------------------------------------------------------------------------------- reading back

export async function getPullRequest(store: RepoStore, number: number) {
  return store.db.select().from(pullRequests).where(and(eq(pullRequests.repoId, store.repoId), eq(pullRequests.number, number))).get();
}

export async function listPullRequestNumbersWithReviews(store: RepoStore): Promise<number[]> {
  const rows = await store.db.selectDistinct({ n: reviews.number }).from(reviews).where(eq(reviews.repoId, store.repoId)).all();
  return rows.map((r) => r.n).sort((a, b) => a - b);
}

export async function getReviewsOf(store: RepoStore, number: number) {
  return store.db.select().from(reviews).where(and(eq(reviews.repoId, store.repoId), eq(reviews.number, number))).all();
}

export async function getReviewCommentsOf(store: RepoStore, number: number) {
  return store.db.select().from(reviewComments).where(and(eq(reviewComments.repoId, store.repoId), eq(reviewComments.number, number))).all();
}

export async function getPrFiles(store: RepoStore, number: number) {
  return store.db.select().from(prFiles).where(and(eq(prFiles.repoId, store.repoId), eq(prFiles.number, number))).all();
}

export async function getPrCommits(store: RepoStore, number: number) {
  return store.db.select().from(prCommits).where(and(eq(prCommits.repoId, store.repoId), eq(prCommits.number, number))).all();
}

export async function setRubberStamp(store: Store, reviewId: string, flag: boolean, reason: string | null): Promise<void> {
  await store.db.update(reviews).set({ rubberStamp: flag, rubberStampReason: reason }).where(eq(reviews.id, reviewId));
}

/**
 * Commits that stand for a pull request in local history, with their topological position:
 * its own commits, its merge/squash commit, and commits whose subject names it ("(#12)").
 */
export async function ingestedPrCommits(store: RepoStore, number: number): Promise<{ sha: string; seq: number; analyzed: boolean }[]> {
  const pr = await getPullRequest(store, number);
  const own = (await getPrCommits(store, number)).map((c) => c.sha);
  const shas = [...new Set([...own, ...(pr?.mergeSha ? [pr.mergeSha] : [])])];
  const cols = { sha: commits.sha, seq: commits.seq, analyzed: commits.analyzed };
  const found = new Map<string, { sha: string; seq: number; analyzed: boolean }>();
  const add = (r: { sha: string; seq: number; analyzed: number }) => found.set(r.sha, { sha: r.sha, seq: r.seq, analyzed: r.analyzed === 1 });
  for (const part of chunk(shas, store.maxParams - 2)) {
    (await store.db.select(cols).from(commits).where(and(eq(commits.repoId, store.repoId), inArray(commits.sha, part))).all()).forEach(add);
  }
  (await store.db.select(cols).from(commits).where(and(eq(commits.repoId, store.repoId), eq(commits.prNumber, number))).all()).forEach(add);
  return [...found.values()].sort((a, b) => a.seq - b.seq);
}

export async function commitSeq(store: RepoStore, sha: string | null | undefined): Promise<number | null> {
  if (!sha) return null;
  const row = await store.db.select({ seq: commits.seq }).from(commits).where(and(eq(commits.repoId, store.repoId), eq(commits.sha, sha))).get();
  return row?.seq ?? null;
}

export async function symbolChangesOf(store: RepoStore, shas: readonly string[]) {
  const out: (typeof symbolChanges.$inferSelect)[] = [];
  for (const part of chunk([...shas], store.maxParams - 2)) {
    out.push(...(await store.db.select().from(symbolChanges).where(and(eq(symbolChanges.repoId, store.repoId), inArray(symbolChanges.sha, part))).all()));
  }
  return out;
}

/**
 * The blob of `path` as of commit `sha`: the commit's own change to it, else the latest change to
 * it among `candidates` (the PR's ingested commits) at or before the commit. null = unknown here.
 */
export async function blobOfFileAt(
  store: RepoStore,
  sha: string,
  path: string,
  candidates: readonly { sha: string; seq: number }[],
): Promise<{ blob: string | null; sha: string } | null> {
  const seq = await commitSeq(store, sha);
  const before = seq === null ? [] : candidates.filter((c) => c.seq <= seq).map((c) => c.sha);
  const shas = [...new Set([sha, ...before])];
  let best: { blob: string | null; sha: string; seq: number } | null = null;
  for (const part of chunk(shas, store.maxParams - 3)) {
    const rows = await store.db
      .select({ sha: fileChanges.sha, blob: fileChanges.newBlob, status: fileChanges.status, seq: commits.seq })
      .from(fileChanges)
      .innerJoin(commits, and(eq(commits.repoId, fileChanges.repoId), eq(commits.sha, fileChanges.sha)))
      .where(and(eq(fileChanges.repoId, store.repoId), eq(fileChanges.path, path), inArray(fileChanges.sha, part)))
      .all();
    for (const r of rows) {
      if (!best || r.seq > best.seq) best = { blob: r.status === 'D' ? null : r.blob, sha: r.sha, seq: r.seq };
    }
  }
  return best ? { blob: best.blob, sha: best.sha } : null;
}

export async function blobSymbolsJson(store: Store, blob: string): Promise<string | null> {
  const row = await store.db.select({ status: blobAnalyses.status, symbols: blobAnalyses.symbols }).from(blobAnalyses).where(eq(blobAnalyses.blob, blob)).get();
  return row && row.status === 'ok' ? row.symbols : null;
}

/** Symbols alive at head in one file. */
export async function currentSymbolsOfFile(store: RepoStore, path: string) {
  return store.db.select().from(symbols).where(and(eq(symbols.repoId, store.repoId), eq(symbols.file, path), eq(symbols.alive, true))).all();
}

/** Symbol ids by "file\0name", preferring the live symbol. */
export async function symbolIdsFor(store: RepoStore, items: readonly { file: string; name: string }[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const files = [...new Set(items.map((i) => i.file))];
  for (const part of chunk(files, store.maxParams - 2)) {
    const rows = await store.db
      .select({ id: symbols.id, file: symbols.file, name: symbols.name, alive: symbols.alive })
      .from(symbols)
      .where(and(eq(symbols.repoId, store.repoId), inArray(symbols.file, part)))
      .all();
    for (const r of rows.sort((a, b) => Number(a.alive) - Number(b.alive))) out.set(`${r.file}\u0000${r.name}`, r.id);
  }
  return out;
}

/** Engineer ids by lower-cased GitHub login (engineer_aliases kind 'login'). */
export async function engineersByLogin(store: Store, logins: readonly string[]): Promise<Map<string, number>> {
  const values = [...new Set(logins.map((l) => l.toLowerCase()))];
  const out = new Map<string, number>();
  for (const part of chunk(values, store.maxParams - 2)) {
    const rows = await store.db
      .select({ value: engineerAliases.value, engineerId: engineerAliases.engineerId })
      .from(engineerAliases)
      .where(and(eq(engineerAliases.kind, 'login'), inArray(engineerAliases.value, part)))
      .all();
    for (const r of rows) out.set(r.value, r.engineerId);
  }
  return out;
}

export type GithubMarkRow = Omit<typeof marks.$inferInsert, 'id' | 'source' | 'repoId'>;

/** Appends marks with source 'github'; rows whose (engineer, repository, hash, origin) exist are skipped. Returns how many were new. */
export async function appendGithubMarks(store: RepoStore, rows: readonly GithubMarkRow[]): Promise<number> {
  let inserted = 0;
  for (const part of chunk(rows.map((r) => ({ ...r, repoId: store.repoId, source: 'github' as const })), rowsPerInsert(store, 12))) {
    const done = await store.db.insert(marks).values(part).onConflictDoNothing().returning({ id: marks.id });
    inserted += done.length;
  }
  return inserted;
}

// ------------------------------------------------------------------------------- webhooks

export async function deliverySeen(store: Store, id: string): Promise<boolean> {
  const row = await store.db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).get();
  return row !== undefined;
}

export function recordDeliveryQuery(store: Store, id: string, event: string, receivedAt: number): WriteQuery {
  return store.db.insert(webhookDeliveries).values({ id, event, receivedAt }).onConflictDoNothing();
}

/** A push to a branch: open pull requests with that head branch were pushed at `at`. */
export function pushToBranchQuery(store: RepoStore, branch: string, at: number): WriteQuery {
  return store.db
    .update(pullRequests)
    .set({ lastPushAt: sql`max(coalesce(${pullRequests.lastPushAt}, 0), ${at})` })
    .where(and(eq(pullRequests.repoId, store.repoId), eq(pullRequests.headRef, branch), eq(pullRequests.state, 'OPEN')));
}

/** Pull request numbers with a given head branch (re-judged after a push to it). */
export async function pullRequestsForBranch(store: RepoStore, branch: string): Promise<number[]> {
  const rows = await store.db.select({ n: pullRequests.number }).from(pullRequests).where(and(eq(pullRequests.repoId, store.repoId), eq(pullRequests.headRef, branch))).all();
  return rows.map((r) => r.n);
}

/** Remembers our checklist comment's id on the pull request row. */
export async function setChecklistCommentId(store: RepoStore, number: number, commentId: string): Promise<void> {
  await store.atomic([store.db.update(pullRequests).set({ commentId }).where(and(eq(pullRequests.repoId, store.repoId), eq(pullRequests.number, number)))]);
}

export async function getPullRequestTitle(store: RepoStore, number: number): Promise<string | null> {
  const [pr] = await store.db.select({ title: pullRequests.title }).from(pullRequests).where(and(eq(pullRequests.repoId, store.repoId), eq(pullRequests.number, number)));
  return pr?.title ?? null;
}

/** PR head branch and author for commits that belong to a synced pull request. */
export async function pullRequestsOfCommits(store: RepoStore, shas: readonly string[]): Promise<Map<string, { headRef: string | null; authorLogin: string | null }>> {
  const map = new Map<string, { headRef: string | null; authorLogin: string | null }>();
  for (const part of chunk([...shas], 90)) {
    const rows = await store.db
      .select({ sha: prCommits.sha, headRef: pullRequests.headRef, authorLogin: pullRequests.authorLogin })
      .from(prCommits)
      .innerJoin(pullRequests, and(eq(pullRequests.repoId, prCommits.repoId), eq(pullRequests.number, prCommits.number)))
      .where(and(eq(prCommits.repoId, store.repoId), inArray(prCommits.sha, part)))
      .all();
    for (const r of rows) map.set(r.sha, { headRef: r.headRef, authorLogin: r.authorLogin });
  }
  return map;
}

/** Shas of the commits of these pull requests (every stored PR when `numbers` is undefined). */
export async function pullRequestCommitShas(store: RepoStore, numbers?: readonly number[]): Promise<Set<string>> {
  const shas = new Set<string>();
  const here = eq(prCommits.repoId, store.repoId);
  if (numbers === undefined) {
    for (const r of await store.db.selectDistinct({ sha: prCommits.sha }).from(prCommits).where(here).all()) shas.add(r.sha);
  }
  for (const part of chunk([...new Set(numbers ?? [])], store.maxParams - 2)) {
    const rows = await store.db.select({ sha: prCommits.sha }).from(prCommits).where(and(here, inArray(prCommits.number, part))).all();
    for (const r of rows) shas.add(r.sha);
  }
  return shas;
}
