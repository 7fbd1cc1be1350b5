/**
 * What the report reads about people's activity: an engineer's recent commits, the pull requests
 * they are asked to review or reviewed, rubber-stamp approvals, and which agent commits wrote the
 * lines of the symbols shown (their stored blame). Set-based queries over the lists given (never one per symbol).
 */
import { and, desc, eq, gte, inArray, ne, or, sql } from 'drizzle-orm';
import { placeKey, type PrLink } from '../../core/relevance.ts';
import { blobLines, commits, fileChanges, prCommits, prFiles, prReviewRequests, pullRequests, reviews, symbolChanges } from '../schema.ts';
import { chunk, type Store } from '../store.ts';

const inChunks = (store: Store) => Math.max(1, store.maxParams - 8);

export interface RecentWork {
  /** placeKey(repository, file) -> number of the engineer's commits touching it. */
  files: Map<string, number>;
  /** Symbols the engineer's commits added or modified (alive or not). */
  symbolIds: Set<number>;
}

/**
 * What the engineer's own commits (by alias email) touched since `since`. Each read joins the
 * commits to their rows by (repo_id, sha), the tables' key: by sha alone no index applies, and
 * every repository's whole history would be scanned.
 */
export async function loadRecentWork(store: Store, emails: readonly string[], since: number): Promise<RecentWork> {
  const work: RecentWork = { files: new Map(), symbolIds: new Set() };
  if (emails.length === 0) return work;
  // CROSS JOIN keeps the engineer's few commits (commits_author_date) outside; left to itself,
  // SQLite walks a whole index of the big table instead to produce distinct rows.
  const mine = sql`${commits.authorDate} >= ${since} and ${inArray(sql`lower(${commits.authorEmail})`, [...emails])}`;
  const files = await store.db.all<{ repoId: number; sha: string; path: string }>(sql`
    select distinct ${commits.repoId} as repoId, ${commits.sha} as sha, ${fileChanges.path} as path
    from ${commits} cross join ${fileChanges} on ${fileChanges.repoId} = ${commits.repoId} and ${fileChanges.sha} = ${commits.sha}
    where ${mine} and ${fileChanges.viaMerge} = 0`);
  // A file counts each of its repository's commits once.
  for (const f of files) {
    const key = placeKey(f.repoId, f.path);
    work.files.set(key, (work.files.get(key) ?? 0) + 1);
  }
  const changed = await store.db.all<{ symbolId: number }>(sql`
    select distinct ${symbolChanges.symbolId} as symbolId
    from ${commits} cross join ${symbolChanges} on ${symbolChanges.repoId} = ${commits.repoId} and ${symbolChanges.sha} = ${commits.sha}
    where ${mine} and ${symbolChanges.change} <> 'deleted'`);
  for (const c of changed) work.symbolIds.add(c.symbolId);
  return work;
}

const prKey = (repoId: number, number: number) => `${repoId}#${number}`;

/**
 * Files of the given pull requests, keyed by prKey (PR numbers repeat across repositories): GitHub's
 * file list, plus the files of their ingested commits and merge commits.
 */
async function filesOfPullRequests(store: Store, numbers: readonly number[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const add = (repoId: number, n: number, path: string) => out.set(prKey(repoId, n), (out.get(prKey(repoId, n)) ?? new Set()).add(path));
  for (const part of chunk([...new Set(numbers)], inChunks(store))) {
    for (const f of await store.db.select({ repoId: prFiles.repoId, number: prFiles.number, path: prFiles.path }).from(prFiles).where(inArray(prFiles.number, part))) add(f.repoId, f.number, f.path);
    // CROSS JOIN keeps pr_commits outside: SQLite would otherwise scan every file change of every
    // repository (the number alone does not lead any index) and look each up in pr_commits.
    const viaCommits = await store.db.all<{ repoId: number; number: number; path: string }>(sql`
      select ${prCommits.repoId} as repoId, ${prCommits.number} as number, ${fileChanges.path} as path
      from ${prCommits} cross join ${fileChanges} on ${fileChanges.repoId} = ${prCommits.repoId} and ${fileChanges.sha} = ${prCommits.sha}
      where ${inArray(prCommits.number, part)} and ${fileChanges.viaMerge} = 0`);
    for (const f of viaCommits) add(f.repoId, f.number, f.path);
    const viaMerge = await store.db
      .select({ repoId: pullRequests.repoId, number: pullRequests.number, path: fileChanges.path })
      .from(pullRequests)
      .innerJoin(fileChanges, and(eq(fileChanges.repoId, pullRequests.repoId), eq(fileChanges.sha, pullRequests.mergeSha)))
      .where(inArray(pullRequests.number, part));
    for (const f of viaMerge) add(f.repoId, f.number, f.path);
  }
  return out;
}

/**
 * placeKey(repository, file) -> pull requests touching it where one of `logins` is a requested
 * reviewer (open PRs, or PRs updated since `since`) or submitted a review since `since`.
 */
export async function loadReviewLinks(store: Store, logins: readonly string[], since: number): Promise<Map<string, PrLink[]>> {
  const out = new Map<string, PrLink[]>();
  if (logins.length === 0) return out;
  const lower = [...logins];
  const requested = await store.db
    .select({ repoId: prReviewRequests.repoId, number: prReviewRequests.number })
    .from(prReviewRequests)
    .innerJoin(pullRequests, and(eq(pullRequests.repoId, prReviewRequests.repoId), eq(pullRequests.number, prReviewRequests.number)))
    .where(and(inArray(sql`lower(${prReviewRequests.login})`, lower), or(eq(pullRequests.state, 'OPEN'), gte(pullRequests.updatedAt, since))));
  const reviewed = await store.db
    .selectDistinct({ repoId: reviews.repoId, number: reviews.number })
    .from(reviews)
    .where(and(inArray(sql`lower(${reviews.authorLogin})`, lower), gte(reviews.submittedAt, since)));
  const links = [
    ...requested.map((r) => ({ repoId: r.repoId, link: { number: r.number, role: 'requested' as const } })),
    ...reviewed.map((r) => ({ repoId: r.repoId, link: { number: r.number, role: 'reviewer' as const } })),
  ];
  const files = await filesOfPullRequests(store, links.map((l) => l.link.number));
  for (const { repoId, link } of links) {
    for (const path of files.get(prKey(repoId, link.number)) ?? []) {
      const key = placeKey(repoId, path);
      const list = out.get(key) ?? [];
      if (!list.some((l) => l.number === link.number && l.role === link.role)) list.push(link);
      out.set(key, list);
    }
  }
  return out;
}

export interface RubberStampRow {
  reviewId: string;
  number: number;
  title: string;
  reviewer: string | null;
  /** Epoch seconds. */
  submittedAt: number | null;
  reason: string | null;
  files: string[];
}

/** Rubber-stamp approvals submitted since `since`, newest first, with the files of their pull requests. */
export async function loadRubberStamps(store: Store, since: number): Promise<RubberStampRow[]> {
  const rows = await store.db
    .select({
      reviewId: reviews.id,
      repoId: reviews.repoId,
      number: reviews.number,
      title: pullRequests.title,
      reviewer: reviews.authorLogin,
      submittedAt: reviews.submittedAt,
      reason: reviews.rubberStampReason,
    })
    .from(reviews)
    .leftJoin(pullRequests, and(eq(pullRequests.repoId, reviews.repoId), eq(pullRequests.number, reviews.number)))
    .where(and(eq(reviews.rubberStamp, true), or(gte(reviews.submittedAt, since), sql`${reviews.submittedAt} is null`)))
    .orderBy(desc(reviews.submittedAt), reviews.id);
  if (rows.length === 0) return [];
  const files = await filesOfPullRequests(store, rows.map((r) => r.number));
  return rows.map(({ repoId, ...r }) => ({ ...r, title: r.title ?? '', files: [...(files.get(prKey(repoId, r.number)) ?? [])].sort() }));
}

/**
 * The stored forward blame (runs JSON) of each path's current blob in its repository, keyed by
 * placeKey; paths without one are left out.
 */
export async function loadCurrentBlame(store: Store, paths: readonly { repoId: number; path: string }[]): Promise<Map<string, string>> {
  const blobs = await currentBlobs(store, paths);
  const runs = new Map<string, string>();
  for (const part of chunk([...new Set(blobs.values())], inChunks(store))) {
    for (const r of await store.db.select().from(blobLines).where(inArray(blobLines.blob, part))) runs.set(r.blob, r.runs);
  }
  const out = new Map<string, string>();
  for (const [key, blob] of blobs) {
    const r = runs.get(blob);
    if (r !== undefined) out.set(key, r);
  }
  return out;
}

export async function loadCommitInfo(store: Store, shas: readonly string[]): Promise<Map<string, { sha: string; kind: string; agent: string | null; authorDate: number }>> {
  const out = new Map<string, { sha: string; kind: string; agent: string | null; authorDate: number }>();
  for (const part of chunk([...new Set(shas)], inChunks(store))) {
    const rows = await store.db.select({ sha: commits.sha, kind: commits.kind, agent: commits.agent, authorDate: commits.authorDate }).from(commits).where(inArray(commits.sha, part));
    for (const r of rows) out.set(r.sha, r);
  }
  return out;
}

/**
 * The blob each path has at head in its repository: its latest change in ingest order (deleted
 * paths have none), keyed by placeKey. Only paths that hold alive symbols are asked for, so a
 * rename away from a path cannot be the latest event; that keeps the lookup on the file_changes
 * (repo_id, path) index, one read per repository.
 */
async function currentBlobs(store: Store, paths: readonly { repoId: number; path: string }[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const byRepo = new Map<number, Set<string>>();
  for (const p of paths) (byRepo.get(p.repoId) ?? byRepo.set(p.repoId, new Set()).get(p.repoId)!).add(p.path);
  for (const [repoId, set] of byRepo) {
    for (const part of chunk([...set], inChunks(store))) {
      const rows = await store.db.all<{ path: string; blob: string | null; status: string }>(sql`
        select ${fileChanges.path} as path, ${fileChanges.newBlob} as blob, ${fileChanges.status} as status, max(${commits.seq} * 1048576 + ${fileChanges.idx})
        from ${fileChanges} join ${commits} on ${commits.repoId} = ${fileChanges.repoId} and ${commits.sha} = ${fileChanges.sha}
        where ${fileChanges.repoId} = ${repoId} and ${inArray(fileChanges.path, part)} group by ${fileChanges.path}`);
      for (const r of rows) if (r.blob && !r.status.startsWith('D')) out.set(placeKey(repoId, r.path), r.blob);
    }
  }
  return out;
}
