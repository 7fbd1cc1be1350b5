/**
 * Repository layer for the review queue: open pull requests and their review requests, and the
 * set-based reads that load the facts of every open PR of a repository at once (src/desk/queue-data.ts).
 */
import { and, asc, desc, eq, gt, inArray, lte } from 'drizzle-orm';
import { commits, fileAnalyses, fileChanges, prReviewRequests, pullRequests, symbolChanges } from '../schema.ts';
import { chunk, type RepoStore } from '../store.ts';
import type { FileAnalysisFact } from './checklist.ts';

export interface OpenPullRequest {
  number: number;
  title: string;
  authorLogin: string | null;
  headRef: string | null;
  headSha: string | null;
  baseSha: string | null;
  lastPushAt: number | null;
  updatedAt: number;
  reviewRequests: string[];
}

const inChunks = (store: RepoStore) => Math.max(1, store.maxParams - 4);

/** Every open PR (GitHub sync and webhooks), with the logins asked to review it. */
export async function openPullRequests(store: RepoStore): Promise<OpenPullRequest[]> {
  const rows = await store.db
    .select({
      number: pullRequests.number,
      title: pullRequests.title,
      authorLogin: pullRequests.authorLogin,
      headRef: pullRequests.headRef,
      headSha: pullRequests.headSha,
      baseSha: pullRequests.baseSha,
      lastPushAt: pullRequests.lastPushAt,
      updatedAt: pullRequests.updatedAt,
    })
    .from(pullRequests)
    .where(and(eq(pullRequests.repoId, store.repoId), eq(pullRequests.state, 'OPEN')))
    .orderBy(pullRequests.number)
    .all();
  const requested = new Map<number, string[]>();
  for (const part of chunk(rows.map((r) => r.number), Math.max(1, store.maxParams - 2))) {
    for (const r of await store.db.select().from(prReviewRequests).where(and(eq(prReviewRequests.repoId, store.repoId), inArray(prReviewRequests.number, part))).all()) {
      const list = requested.get(r.number) ?? [];
      list.push(r.login.toLowerCase());
      requested.set(r.number, list);
    }
  }
  return rows.map((r) => ({ ...r, reviewRequests: requested.get(r.number) ?? [] }));
}

export interface GraphRow {
  sha: string;
  seq: number;
  parents: string[];
}

/** Commits with aboveSeq < seq <= uptoSeq, newest first, with their parents. */
export async function commitsBetweenSeqs(store: RepoStore, aboveSeq: number, uptoSeq: number): Promise<GraphRow[]> {
  const rows = await store.db
    .select({ sha: commits.sha, seq: commits.seq, parents: commits.parents })
    .from(commits)
    .where(and(eq(commits.repoId, store.repoId), gt(commits.seq, aboveSeq), lte(commits.seq, uptoSeq)))
    .orderBy(desc(commits.seq))
    .all();
  return rows.map((r) => ({ sha: r.sha, seq: r.seq, parents: JSON.parse(r.parents) as string[] }));
}

/** Seq of each of these commits that is stored. */
export async function commitSeqs(store: RepoStore, shas: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const part of chunk([...new Set(shas)], inChunks(store))) {
    for (const r of await store.db.select({ sha: commits.sha, seq: commits.seq }).from(commits).where(and(eq(commits.repoId, store.repoId), inArray(commits.sha, part))).all()) {
      out.set(r.sha, r.seq);
    }
  }
  return out;
}

/**
 * Symbol changes of many commits in primary-key order (sha, file, name): the order one commit
 * list's query returns them in, so each PR's share of them is what its own query would give.
 */
export async function symbolChangesOfCommits(store: RepoStore, shas: readonly string[]): Promise<(typeof symbolChanges.$inferSelect)[]> {
  const out: (typeof symbolChanges.$inferSelect)[] = [];
  for (const part of chunk([...new Set(shas)], inChunks(store))) {
    out.push(
      ...(await store.db
        .select()
        .from(symbolChanges)
        .where(and(eq(symbolChanges.repoId, store.repoId), inArray(symbolChanges.sha, part)))
        .orderBy(asc(symbolChanges.sha), asc(symbolChanges.file), asc(symbolChanges.name))
        .all()),
    );
  }
  return out;
}

/** File changes of many commits in primary-key order (sha, idx). */
export async function fileChangesOfCommits(store: RepoStore, shas: readonly string[]): Promise<(typeof fileChanges.$inferSelect)[]> {
  const out: (typeof fileChanges.$inferSelect)[] = [];
  for (const part of chunk([...new Set(shas)], inChunks(store))) {
    out.push(
      ...(await store.db
        .select()
        .from(fileChanges)
        .where(and(eq(fileChanges.repoId, store.repoId), inArray(fileChanges.sha, part)))
        .orderBy(asc(fileChanges.sha), asc(fileChanges.idx))
        .all()),
    );
  }
  return out;
}

/** File analyses of many commits in primary-key order (sha, path). */
export async function fileAnalysesOfCommits(store: RepoStore, shas: readonly string[]): Promise<FileAnalysisFact[]> {
  const out: FileAnalysisFact[] = [];
  const cols = { sha: fileAnalyses.sha, path: fileAnalyses.path, status: fileAnalyses.status, reason: fileAnalyses.reason, agentLines: fileAnalyses.agentLines, humanLines: fileAnalyses.humanLines };
  for (const part of chunk([...new Set(shas)], inChunks(store))) {
    out.push(
      ...(await store.db
        .select(cols)
        .from(fileAnalyses)
        .where(and(eq(fileAnalyses.repoId, store.repoId), inArray(fileAnalyses.sha, part)))
        .orderBy(asc(fileAnalyses.sha), asc(fileAnalyses.path))
        .all()),
    );
  }
  return out;
}
