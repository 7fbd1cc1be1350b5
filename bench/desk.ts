/**
 * The orchestrator's desk (issue 21) on generated databases (bench/desk-data.ts):
 * - the review queue over 200 open PRs in 20 repositories (goal < 300 ms), with a reader (`--as`)
 *   and without one;
 * - the agent scorecard over 100,000 commits (goal < 1 s).
 * Each figure is printed next to a floor timed in the same run: the plain read of the rows the
 * feature has to look at, so the ratio says what the feature costs on top of reading its input.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { openNodeStore } from '../src/db/node/open.ts';
import { commits, pullRequests, symbolChanges } from '../src/db/schema.ts';
import { chunk } from '../src/db/store.ts';
import { loadQueue } from '../src/desk/queue-load.ts';
import { loadScorecards } from '../src/desk/agents-load.ts';
import { timeMedian } from './common.ts';
import { generateQueueDb, generateScorecardDb, NOW } from './desk-data.ts';

export async function benchQueue(
  runs = 3,
): Promise<{ repos: number; prs: number; collisions: number; queueMs: number; anonymousMs: number; floorMs: number; ratio: number; generateMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'grasp-bench-queue-'));
  try {
    const file = join(dir, 'queue.db');
    const started = performance.now();
    const generated = await generateQueueDb(file);
    const generateMs = performance.now() - started;
    const store = openNodeStore(file);
    try {
      const now = NOW * 1000;
      const first = await loadQueue(store, { as: 'eng0', now });
      if (first.prs.length !== generated.openPrs) throw new Error(`queue bench: expected ${generated.openPrs} PRs, got ${first.prs.length} (${first.warnings[0] ?? 'no warning'})`);
      const queueMs = await timeMedian(runs, () => loadQueue(store, { as: 'eng0', now }));
      const anonymousMs = await timeMedian(runs, () => loadQueue(store, { now }));
      // Floor: reading the open PRs and every symbol change of their head commits, nothing else.
      const floorMs = await timeMedian(runs, async () => {
        const open = await store.db.select({ repoId: pullRequests.repoId, headSha: pullRequests.headSha }).from(pullRequests).where(eq(pullRequests.state, 'OPEN')).all();
        for (let r = 1; r <= generated.repos; r++) {
          const heads = open.filter((p) => p.repoId === r).map((p) => p.headSha!);
          for (const part of chunk(heads, store.maxParams - 2)) {
            await store.db.select().from(symbolChanges).where(and(eq(symbolChanges.repoId, r), inArray(symbolChanges.sha, part))).all();
          }
        }
      });
      return { repos: generated.repos, prs: first.prs.length, collisions: first.collisions.length, queueMs, anonymousMs, floorMs, ratio: queueMs / floorMs, generateMs };
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchScorecard(commitCount = 100_000, runs = 3): Promise<{ commits: number; agents: number; scorecardMs: number; floorMs: number; ratio: number; generateMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'grasp-bench-agents-'));
  try {
    const file = join(dir, 'agents.db');
    const started = performance.now();
    await generateScorecardDb(file, commitCount);
    const generateMs = performance.now() - started;
    const store = openNodeStore(file);
    try {
      const now = NOW * 1000;
      const first = await loadScorecards(store, { now });
      const scorecardMs = await timeMedian(runs, () => loadScorecards(store, { now }));
      // Floor: reading every commit's facts once (what any scorecard over the history must read).
      const floorMs = await timeMedian(runs, () =>
        store.db.select({ sha: commits.sha, kind: commits.kind, agent: commits.agent, at: commits.authorDate, message: commits.message }).from(commits).all() as unknown as Promise<unknown>,
      );
      return { commits: commitCount, agents: first.agents.length, scorecardMs, floorMs, ratio: scorecardMs / floorMs, generateMs };
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Standalone: `node bin/run-ts.mjs bench/desk.ts`.
if (process.argv[1]?.endsWith('bench/desk.ts')) {
  const q = await benchQueue();
  console.log(`queue: ${q.prs} open PRs in ${q.repos} repositories, ${q.collisions} collisions in ${q.queueMs.toFixed(0)} ms with --as, ${q.anonymousMs.toFixed(0)} ms without (goal < 300 ms); floor ${q.floorMs.toFixed(1)} ms; ${q.ratio.toFixed(1)}x`);
  const s = await benchScorecard();
  console.log(`scorecard: ${s.commits} commits, ${s.agents} agents in ${s.scorecardMs.toFixed(0)} ms (goal < 1 s); floor ${s.floorMs.toFixed(1)} ms; ${s.ratio.toFixed(1)}x; generated in ${(s.generateMs / 1000).toFixed(1)} s`);
}
