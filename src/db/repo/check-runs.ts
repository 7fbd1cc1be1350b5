/**
 * Repository layer for the service-side merge gate: which open pull requests a mark can change
 * the gate of, and the `grasp / understanding` check run stored on each pull request row
 * (`check_run_id` and the head it was made for), so a re-evaluation updates it in place.
 */
import { and, desc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import { fileChanges, prCommits, pullRequests, symbolChanges } from '../schema.ts';
import { chunk, type RepoStore } from '../store.ts';

export interface GateTarget {
  number: number;
  state: string;
  headSha: string | null;
  baseSha: string | null;
  checkRunId: string | null;
  checkRunHeadSha: string | null;
}

const targetColumns = {
  number: pullRequests.number,
  state: pullRequests.state,
  headSha: pullRequests.headSha,
  baseSha: pullRequests.baseSha,
  checkRunId: pullRequests.checkRunId,
  checkRunHeadSha: pullRequests.checkRunHeadSha,
};

export async function getGateTarget(store: RepoStore, number: number): Promise<GateTarget | null> {
  return (await store.db.select(targetColumns).from(pullRequests).where(and(eq(pullRequests.repoId, store.repoId), eq(pullRequests.number, number))).get()) ?? null;
}

/**
 * Open pull requests whose commits produced one of these versions (symbol hashes or file blobs):
 * a mark on such a version may turn their gate green. A commit belongs to a PR when it is its head
 * or one of its synced commits. Newest first, at most `limit`.
 */
export async function openPullRequestsProducing(store: RepoStore, hashes: readonly string[], limit: number): Promise<number[]> {
  const shas = new Set<string>();
  for (const part of chunk([...new Set(hashes)], 90)) {
    for (const r of await store.db.selectDistinct({ sha: symbolChanges.sha }).from(symbolChanges).where(and(eq(symbolChanges.repoId, store.repoId), inArray(symbolChanges.hash, part))).all()) shas.add(r.sha);
    for (const r of await store.db.selectDistinct({ sha: fileChanges.sha }).from(fileChanges).where(and(eq(fileChanges.repoId, store.repoId), inArray(fileChanges.newBlob, part))).all()) shas.add(r.sha);
  }
  const found = new Map<number, number>();
  for (const part of chunk([...shas], 90)) {
    const heads = await store.db
      .select({ number: pullRequests.number, updatedAt: pullRequests.updatedAt })
      .from(pullRequests)
      .where(and(eq(pullRequests.repoId, store.repoId), eq(pullRequests.state, 'OPEN'), inArray(pullRequests.headSha, part)))
      .all();
    const members = await store.db
      .selectDistinct({ number: pullRequests.number, updatedAt: pullRequests.updatedAt })
      .from(prCommits)
      .innerJoin(pullRequests, and(eq(pullRequests.repoId, prCommits.repoId), eq(pullRequests.number, prCommits.number)))
      .where(and(eq(prCommits.repoId, store.repoId), eq(pullRequests.state, 'OPEN'), inArray(prCommits.sha, part)))
      .all();
    for (const r of [...heads, ...members]) found.set(r.number, r.updatedAt);
  }
  return [...found].sort((a, b) => b[1] - a[1] || b[0] - a[0]).slice(0, limit).map(([n]) => n);
}

/** Open pull requests whose head is `sha` or whose check run was made for it (a re-run request names only the commit). */
export async function openPullRequestsAtHead(store: RepoStore, sha: string, limit: number): Promise<number[]> {
  const rows = await store.db
    .select({ number: pullRequests.number })
    .from(pullRequests)
    .where(and(eq(pullRequests.repoId, store.repoId), eq(pullRequests.state, 'OPEN'), or(eq(pullRequests.headSha, sha), and(isNotNull(pullRequests.checkRunId), eq(pullRequests.checkRunHeadSha, sha)))))
    .orderBy(desc(pullRequests.updatedAt))
    .limit(limit)
    .all();
  return rows.map((r) => r.number);
}

/**
 * Remembers the check run made for a PR's head. A PR the database has not seen yet (the runner's
 * throwaway database, a service without webhooks) gets a row with the range it was evaluated on.
 */
export async function saveCheckRun(store: RepoStore, input: { number: number; checkRunId: string; headSha: string; baseSha: string; now: number }): Promise<void> {
  await store.atomic([
    store.db
      .insert(pullRequests)
      .values({ repoId: store.repoId, number: input.number, title: '', state: 'OPEN', createdAt: input.now, updatedAt: input.now, headSha: input.headSha, baseSha: input.baseSha, checkRunId: input.checkRunId, checkRunHeadSha: input.headSha })
      .onConflictDoUpdate({
        target: [pullRequests.repoId, pullRequests.number],
        // A known head is left alone: a webhook may already have moved it past this run's commit.
        set: {
          checkRunId: input.checkRunId,
          checkRunHeadSha: input.headSha,
          headSha: sql`coalesce(${pullRequests.headSha}, excluded.head_sha)`,
          baseSha: sql`coalesce(${pullRequests.baseSha}, excluded.base_sha)`,
        },
      }),
  ]);
}
