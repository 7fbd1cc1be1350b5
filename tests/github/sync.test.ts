/**
 * `syncGithub` end to end against recorded GraphQL responses (tests/fixtures/github/*) into a real
 * SQLite file: pagination, nested pagination, the incremental cursor, idempotent re-syncs,
 * partial-data errors, an empty repository, rate limits and a bad token.
 */
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { GraspError } from '../../src/core/errors.ts';
import { getMeta } from '../../src/db/repo/commits.ts';
import { getRepoMeta } from '../../src/db/repo/repos.ts';
import { openNodeStore } from '../../src/db/node/open.ts';
import { prCommits, prFiles, prReviewRequests, pullRequests, reviewComments, reviews } from '../../src/db/schema.ts';
import { forRepo, type Store } from '../../src/db/store.ts';
import { createGithubClient } from '../../src/github/client.ts';
import { parseRepository, parseSince, syncGithub } from '../../src/github/sync.ts';
import { loadScenario, recordedFetch, type Recording } from '../fixtures/github/recorded-fetch.ts';
import { tempDir } from '../helpers/git-fixture.ts';
import { join } from 'node:path';

const stores: Store[] = [];
afterEach(() => {
  while (stores.length) stores.pop()!.close();
});

function freshStore(): Store {
  const store = openNodeStore(join(tempDir('grasp-gh-sync-'), 'grasp.db'));
  stores.push(store);
  return store;
}

function clientFor(recordings: Recording[], opts: { now?: number } = {}) {
  const served = recordedFetch(recordings);
  const sleeps: number[] = [];
  const client = createGithubClient({
    token: 'ghp_test',
    fetch: served.fetch,
    sleep: async (ms) => void sleeps.push(ms),
    now: () => opts.now ?? Date.parse('2026-11-10T12:30:00Z'),
  });
  return { client, served, sleeps };
}

describe('sync over several pages', () => {
  it('stores every pull request with its nested pages and moves the cursor', async () => {
    const store = freshStore();
    const { client, served } = clientFor(loadScenario('paged'));
    const report = await syncGithub({ store, client, repository: 'acme/shop', pageSize: 2 });
    expect(served.remaining()).toBe(0);
    expect(served.sent.map((s) => s.operation)).toEqual([
      'PullRequestsPage',
      'PullRequestCommitsPage',
      'ReviewCommentsPage',
      'PullRequestsPage',
      'PullRequestsPage',
    ]);
    expect(served.sent[0]!.authorization).toBe('token ghp_test');
    expect(served.sent[0]!.url).toBe('https://api.github.com/graphql');
    expect(served.sent[0]!.variables.first).toBe(2);
    expect(report).toMatchObject({ pullRequests: 4, pages: 3, reviews: 1, reviewComments: 2, missing: [], viewer: 'carol-c' });

    const prs = await store.db.select().from(pullRequests).orderBy(pullRequests.number).all();
    expect(prs.map((p) => p.number)).toEqual([11, 12, 13, 14]);
    const pr14 = prs.find((p) => p.number === 14)!;
    expect(pr14).toMatchObject({ title: 'Add gift cards', authorLogin: 'ada-h', state: 'OPEN', headRef: 'feature/gift-cards', additions: 120, deletions: 8 });
    // Last push: the third commit's pushedDate (11:30) beats the force push (09 Nov).
    expect(pr14.lastPushAt).toBe(Date.parse('2026-11-10T11:30:00Z') / 1000);
    expect(prs.find((p) => p.number === 13)!.mergeSha).toBe('1300000000000000000000000000000000000099');

    const commits14 = await store.db.select().from(prCommits).where(eq(prCommits.number, 14)).all();
    expect(commits14.map((c) => c.sha).sort()).toEqual([1, 2, 3].map((i) => `14000000000000000000000000000000000000${String(i).padStart(2, '0')}`));
    const first = commits14.find((c) => c.sha.endsWith('01'))!;
    expect(JSON.parse(first.coAuthors)).toEqual([
      { name: 'Ada Human', email: 'ada@example.com', login: 'ada-h' },
      { name: 'Copilot', email: '198982749+Copilot@users.noreply.github.com', login: 'Copilot' },
    ]);

    const comments = await store.db.select().from(reviewComments).orderBy(reviewComments.id).all();
    expect(comments.map((c) => [c.id, c.reviewId, c.line, c.originalStartLine, c.originalLine, c.originalCommitSha?.slice(-2)])).toEqual([
      ['140101', '1401', 4, 3, 4, '01'],
      ['140102', '1401', null, null, 12, '01'],
    ]);
    const requests = await store.db.select().from(prReviewRequests).where(eq(prReviewRequests.number, 14)).all();
    expect(requests.map((r) => r.login).sort()).toEqual(['erin-e', 'team:core']);
    const files = await store.db.select().from(prFiles).where(eq(prFiles.number, 14)).all();
    expect(files).toEqual([{ repoId: 1, number: 14, path: 'src/gift.ts', viewerViewedState: 'VIEWED' }]);

    expect(await getRepoMeta(forRepo(store, 1), 'github.repo')).toBe('acme/shop');
    expect(await getMeta(store, 'github.viewer')).toBe('carol-c');
    expect(await getRepoMeta(forRepo(store, 1), 'github.cursor')).toBe('2026-11-10T12:00:00.000Z');
  });

  it('a second sync is incremental (stops at the cursor) and changes nothing', async () => {
    const store = freshStore();
    await syncGithub({ store, client: clientFor(loadScenario('paged')).client, repository: 'acme/shop', pageSize: 2 });
    const before = {
      prs: await store.db.select().from(pullRequests).all(),
      commits: await store.db.select().from(prCommits).all(),
      reviews: await store.db.select().from(reviews).all(),
      comments: await store.db.select().from(reviewComments).all(),
      requests: await store.db.select().from(prReviewRequests).all(),
    };
    // Only page 1 and PR #14's nested pages are served: asking for page 2 would fail the fake fetch.
    const { client, served } = clientFor(loadScenario('paged').slice(0, 3));
    const report = await syncGithub({ store, client, repository: 'acme/shop', pageSize: 2 });
    expect(served.remaining()).toBe(0);
    expect(report.pullRequests).toBe(1);
    expect(report.since).toBe('2026-11-10T12:00:00.000Z');
    expect(await store.db.select().from(pullRequests).all()).toEqual(before.prs);
    expect(await store.db.select().from(prCommits).all()).toEqual(before.commits);
    expect(await store.db.select().from(reviews).all()).toEqual(before.reviews);
    expect(await store.db.select().from(reviewComments).all()).toEqual(before.comments);
    expect(await store.db.select().from(prReviewRequests).all()).toEqual(before.requests);
  });

  it('complete lists replace the stored ones: a force-pushed commit and an un-requested reviewer disappear', async () => {
    const store = freshStore();
    await syncGithub({ store, client: clientFor(loadScenario('paged')).client, repository: 'acme/shop', pageSize: 2 });
    const recordings = loadScenario('paged').slice(0, 4);
    const page = recordings[0]!.body.data as any;
    const pr13 = page.repository.pullRequests.nodes[1];
    pr13.commits.nodes[0].commit.oid = '1300000000000000000000000000000000000002';
    page.repository.pullRequests.nodes[0].reviewRequests.nodes.pop();
    const { client } = clientFor(recordings);
    await syncGithub({ store, client, repository: 'acme/shop', pageSize: 2, since: parseSince('2026-11-07') });
    expect((await store.db.select().from(prCommits).where(eq(prCommits.number, 13)).all()).map((c) => c.sha)).toEqual([
      '1300000000000000000000000000000000000002',
    ]);
    expect((await store.db.select().from(prReviewRequests).where(eq(prReviewRequests.number, 14)).all()).map((r) => r.login)).toEqual(['erin-e']);
  });

  it('--since stops paging at the first older pull request', async () => {
    const store = freshStore();
    const { client, served } = clientFor(loadScenario('paged').slice(0, 4));
    const report = await syncGithub({ store, client, repository: 'acme/shop', pageSize: 2, since: parseSince('2026-11-06') });
    expect(served.remaining()).toBe(0);
    expect(report.pullRequests).toBe(2);
    expect((await store.db.select().from(pullRequests).all()).map((p) => p.number).sort()).toEqual([13, 14]);
  });

  it('refuses a database that tracks another repository', async () => {
    const store = freshStore();
    await syncGithub({ store, client: clientFor(loadScenario('paged')).client, repository: 'acme/shop', pageSize: 2 });
    const { client, served } = clientFor([]);
    await expect(syncGithub({ store, client, repository: 'acme/other' })).rejects.toMatchObject({ code: 'conflict' });
    expect(served.sent).toHaveLength(0);
  });
});

describe('edge answers', () => {
  it('an empty repository syncs to nothing and sets no cursor', async () => {
    const store = freshStore();
    const { client, served } = clientFor(loadScenario('empty'));
    const report = await syncGithub({ store, client, repository: 'acme/empty' });
    expect(served.remaining()).toBe(0);
    expect(report).toMatchObject({ pullRequests: 0, pages: 1, missing: [], cursor: null });
    expect(await store.db.select().from(pullRequests).all()).toEqual([]);
    expect(await getRepoMeta(forRepo(store, 1), 'github.cursor')).toBeNull();
    expect(await getRepoMeta(forRepo(store, 1), 'github.repo')).toBe('acme/empty');
  });

  it('keeps partial data, reports what is missing, and does not move the cursor', async () => {
    const store = freshStore();
    const { client, served } = clientFor(loadScenario('partial'));
    const report = await syncGithub({ store, client, repository: 'acme/shop' });
    expect(served.remaining()).toBe(0);
    expect(report.missing).toEqual([
      'PR #21 reviews: Something went wrong while executing your query. Please include `0F1E:3C2A` when reporting this issue.',
      'pull request 2 of page 1: Something went wrong while executing your query. Please include `0F1E:3C2B` when reporting this issue.',
    ]);
    const stored = await store.db.select().from(pullRequests).all();
    expect(stored.map((p) => p.number)).toEqual([21]);
    expect(await store.db.select().from(prCommits).all()).toHaveLength(1);
    expect(await store.db.select().from(reviews).all()).toEqual([]);
    expect(report.cursor).toBeNull();
    expect(await getRepoMeta(forRepo(store, 1), 'github.cursor')).toBeNull();
  });

  it('a failed follow-up page keeps what is stored for that list and is reported', async () => {
    const store = freshStore();
    await syncGithub({ store, client: clientFor(loadScenario('paged')).client, repository: 'acme/shop', pageSize: 2 });
    const cursor = await getRepoMeta(forRepo(store, 1), 'github.cursor');
    const { client, served } = clientFor(loadScenario('nested-error'));
    const report = await syncGithub({ store, client, repository: 'acme/shop', pageSize: 2, since: parseSince('2026-01-01') });
    expect(served.remaining()).toBe(0);
    expect(report.missing).toEqual([
      'PR #14 commits: Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug.',
    ]);
    // The first page's two commits are upserted; the third, stored before, is not dropped for being unseen.
    expect(await store.db.select().from(prCommits).where(eq(prCommits.number, 14)).all()).toHaveLength(3);
    expect(await getRepoMeta(forRepo(store, 1), 'github.cursor')).toBe(cursor);
  });

  it('an unknown repository is a not-found error', async () => {
    const store = freshStore();
    const { client } = clientFor(loadScenario('not-found'));
    const err = await syncGithub({ store, client, repository: 'acme/nope' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraspError);
    expect(err).toMatchObject({ code: 'not-found' });
    expect((err as Error).message).toContain("Could not resolve to a Repository with the name 'acme/nope'");
    expect(await getRepoMeta(forRepo(store, 1), 'github.repo')).toBeNull();
  });

  it('a bad token fails with a clear github-failed error and writes nothing', async () => {
    const store = freshStore();
    const { client } = clientFor(loadScenario('bad-token'));
    const err = await syncGithub({ store, client, repository: 'acme/shop' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraspError);
    expect(err).toMatchObject({ code: 'github-failed', exitCode: 3 });
    expect((err as Error).message).toMatch(/^GitHub rejected the token \(401\)/);
    expect(await getRepoMeta(forRepo(store, 1), 'github.repo')).toBeNull();
  });

  it('waits out a secondary rate limit, then succeeds', async () => {
    const store = freshStore();
    const { client, served, sleeps } = clientFor(loadScenario('secondary-rate-limit'));
    const report = await syncGithub({ store, client, repository: 'acme/empty' });
    expect(served.sent).toHaveLength(2);
    expect(sleeps).toEqual([7000]);
    expect(report.waits).toEqual([{ reason: 'secondary-rate-limit', ms: 7000 }]);
  });

  it('waits for the reset when the primary budget runs low', async () => {
    const store = freshStore();
    // The recorded page says 3 points remain until 12:40; our clock says 12:30.
    const { client, sleeps } = clientFor(loadScenario('low-budget'), { now: Date.parse('2026-11-10T12:30:00Z') });
    await syncGithub({ store, client, repository: 'acme/shop', pageSize: 2 });
    expect(sleeps).toEqual([10 * 60_000 + 1000]);
  });
});

describe('argument checks', () => {
  it('parses owner/repo and refuses anything else', () => {
    expect(parseRepository('acme/shop')).toEqual({ owner: 'acme', name: 'shop', full: 'acme/shop' });
    expect(parseRepository('acme/shop.git').name).toBe('shop');
    for (const bad of ['acme', 'acme/', '/shop', 'a/b/c', 'ac me/shop', '-acme/shop', 'acme/..', '']) {
      expect(() => parseRepository(bad), bad).toThrow(GraspError);
    }
  });

  it('parses --since dates and refuses others', () => {
    expect(parseSince('2026-11-06')).toBe(Date.parse('2026-11-06T00:00:00Z') / 1000);
    expect(parseSince('2026-11-06T10:00:00Z')).toBe(Date.parse('2026-11-06T10:00:00Z') / 1000);
    for (const bad of ['yesterday', '11/06/2026', '2026-13-45', '']) expect(() => parseSince(bad), bad).toThrow(GraspError);
  });
});
