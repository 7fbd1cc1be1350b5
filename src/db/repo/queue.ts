/** Repository layer for the review queue: open pull requests and their review requests. */
import { and, eq, inArray } from 'drizzle-orm';
import { prReviewRequests, pullRequests } from '../schema.ts';
import { chunk, type RepoStore } from '../store.ts';

export interface OpenPullRequest {
  number: number;
  title: string;
  authorLogin: string | null;
  headRef: string | null;
  headSha: string | null;
  lastPushAt: number | null;
  updatedAt: number;
  reviewRequests: string[];
}

/** Every open PR (GitHub sync and webhooks), with the logins asked to review it. */
export async function openPullRequests(store: RepoStore): Promise<OpenPullRequest[]> {
  const rows = await store.db
    .select({
      number: pullRequests.number,
      title: pullRequests.title,
      authorLogin: pullRequests.authorLogin,
      headRef: pullRequests.headRef,
      headSha: pullRequests.headSha,
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
