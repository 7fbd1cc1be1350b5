/**
 * `grasp sync github`: pull requests, reviews and review comments into the database, incremental by
 * updatedAt, then the credit rules and commit provenance re-classification over what arrived.
 * Runs anywhere fetch runs (the client is injected), so the same code serves Node and Workers.
 */
import { z } from 'zod';
import { GraspError } from '../core/errors.ts';
import { setMeta } from '../db/repo/commits.ts';
import { getRepoMeta, listRepos, resolveGithubRepo, setRepoMeta } from '../db/repo/repos.ts';
import { META_CURSOR, META_REPO, META_VIEWER, storePrSnapshots } from '../db/repo/github.ts';
import type { RepoStore, Store } from '../db/store.ts';
import type { GithubClient, WaitRecord } from './client.ts';
import { applyReviewRules, type CreditReport } from './credit-sync.ts';
import { fetchPullRequestPages } from './fetch-pull-requests.ts';
import { reclassifyPullRequestCommits } from './provenance-update.ts';

// GitHub's own rules: owner up to 39 chars of [A-Za-z0-9-]; repository names [A-Za-z0-9._-].
const repoSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/, 'expected <owner>/<repo>')
  .refine((s) => !s.endsWith('/.') && !s.endsWith('/..'), 'expected <owner>/<repo>');

export function parseRepository(text: string): { owner: string; name: string; full: string } {
  const r = repoSchema.safeParse(text.replace(/\.git$/, ''));
  if (!r.success) throw new GraspError('invalid', `"${text}" is not a GitHub repository: expected <owner>/<repo>`);
  const [owner, name] = r.data.split('/') as [string, string];
  return { owner, name, full: `${owner}/${name}` };
}

/** ISO date or date-time → epoch seconds; GraspError on anything else. */
export function parseSince(text: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text.trim()) ? Date.parse(text.trim()) : NaN;
  if (!Number.isFinite(ms)) throw new GraspError('invalid', `--since "${text}" is not a date (use YYYY-MM-DD or an ISO date-time)`);
  return Math.floor(ms / 1000);
}

export interface SyncOptions {
  store: Store;
  client: GithubClient;
  repository: string;
  /** Epoch seconds; overrides the stored cursor. */
  since?: number | null;
  pageSize?: number;
  onProgress?: (p: { pages: number; pullRequests: number }) => void;
}

export interface SyncReport {
  repository: string;
  viewer: string | null;
  /** Where this sync started (ISO) and the cursor it left for the next one. */
  since: string | null;
  cursor: string | null;
  pages: number;
  pullRequests: number;
  reviews: number;
  reviewComments: number;
  /** Data GitHub could not give (partial errors), e.g. "PR #12 reviews: <message>". The cursor did not move past it. */
  missing: string[];
  credits: CreditReport;
  commitsReclassified: number;
  requests: number;
  waits: WaitRecord[];
}

const iso = (sec: number | null) => (sec === null ? null : new Date(sec * 1000).toISOString());

export async function syncGithub(opts: SyncOptions): Promise<SyncReport> {
  const { client } = opts;
  const repo = parseRepository(opts.repository);
  // Linked (meta github.repo), or registered in a database without repositories, only once GitHub's
  // first answer proves the token sees the repository: a refused sync writes nothing.
  const found = await resolveGithubRepo(opts.store, repo.full, { link: false });
  if (!found) {
    const names = (await listRepos(opts.store)).map((r) => r.name);
    if (names.length > 0) {
      throw new GraspError('not-found', `no tracked repository is GitHub's ${repo.full} (tracked: ${names.join(', ')}); ingest its checkout with --name ${repo.full}, or use another --db`);
    }
  }
  const stored = found ? await getRepoMeta(found, META_REPO) : null;
  const storedCursor = found ? await getRepoMeta(found, META_CURSOR) : null;
  let target = found;
  const claim = async (): Promise<RepoStore> => (target ??= (await resolveGithubRepo(opts.store, repo.full, { register: true }))!);
  const since = opts.since !== undefined && opts.since !== null ? opts.since : storedCursor ? Math.floor(Date.parse(storedCursor) / 1000) : null;

  const report: SyncReport = {
    repository: repo.full,
    viewer: null,
    since: iso(since),
    cursor: storedCursor,
    pages: 0,
    pullRequests: 0,
    reviews: 0,
    reviewComments: 0,
    missing: [],
    credits: { pullRequests: 0, reviews: 0, rubberStamps: [], marksAdded: 0, unknownLogins: [], notes: [] },
    commitsReclassified: 0,
    requests: 0,
    waits: [],
  };
  let maxUpdatedAt: number | null = null;

  for await (const page of fetchPullRequestPages(client, { owner: repo.owner, name: repo.name, since, pageSize: opts.pageSize })) {
    if (report.pages === 0) {
      // First answer proves the token sees the repository: remember which one this database tracks.
      const store = await claim();
      if (stored === null) await setRepoMeta(store, META_REPO, repo.full);
      if (page.viewerLogin) {
        report.viewer = page.viewerLogin;
        await setMeta(store, META_VIEWER, page.viewerLogin);
      }
    }
    report.pages++;
    await storePrSnapshots(await claim(), page.snapshots);
    for (const s of page.snapshots) {
      report.reviews += s.reviews?.length ?? 0;
      report.reviewComments += s.reviewComments?.length ?? 0;
    }
    report.pullRequests += page.snapshots.length;
    report.missing.push(...page.missing);
    if (page.maxUpdatedAt !== null) maxUpdatedAt = Math.max(maxUpdatedAt ?? 0, page.maxUpdatedAt);
    opts.onProgress?.({ pages: report.pages, pullRequests: report.pullRequests });
  }

  const store = await claim();
  // Only a complete pass moves the cursor; with gaps the next sync fetches the same window again.
  if (report.missing.length === 0 && maxUpdatedAt !== null) {
    const next = Math.max(maxUpdatedAt, since ?? 0);
    report.cursor = iso(next);
    await setRepoMeta(store, META_CURSOR, report.cursor!);
  }
  report.commitsReclassified = await reclassifyPullRequestCommits(store);
  // Every reviewed PR, not only the touched ones: commits ingested since the last sync may now make old approvals creditable.
  report.credits = await applyReviewRules(store, { viewerLogin: report.viewer ?? undefined });
  report.requests = client.stats.requests;
  report.waits = [...client.stats.waits];
  return report;
}
