/**
 * `npm run bench -- team`: the report, hotspots, islands and digest on the generated team database
 * (bench/team-db.ts: 20 repositories, 100,000 symbols, 500,000 versions, 50 engineers, 1,000,000
 * marks). Goals (issue 15): one engineer's report across every repository < 100 ms, hotspots of one
 * repository < 200 ms, the team digest < 1 s. Medians in a warm process, each next to a floor timed
 * in the same run: the plain read of the rows the feature has to look at, so the ratio says what the
 * feature costs on top of reading its input.
 *
 * GRASP_BENCH_TEAM_DB=FILE keeps the generated database there and reuses it on the next run
 * (generation takes about a minute); without it a temporary file is generated and removed.
 */
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, gt, gte, lt } from 'drizzle-orm';
import { openNodeStore } from '../src/db/node/open.ts';
import { commits, marks, symbolChanges, symbols } from '../src/db/schema.ts';
import { forRepo, type Store } from '../src/db/store.ts';
import { buildDigest } from '../src/digest/build.ts';
import { buildEngineerReport } from '../src/report/engineer-report.ts';
import { buildHotspotsReport, buildIslandsReport } from '../src/report/hotspots-report.ts';
import { timeMedian } from './common.ts';
import { generateTeamDb, TEAM, TEAM_NOW } from './team-db.ts';

const DAY = 86_400;
/** The repository whose hotspots and islands are timed (one in the middle of the id range). */
const HOT_REPO = 7;

export interface Timed {
  ms: number;
  floorMs: number;
  ratio: number;
}

export interface TeamBench {
  generateMs: number | null;
  report: Timed & { items: number };
  hotspots: Timed & { symbols: number };
  islands: Timed & { symbols: number };
  digest: Timed & { engineers: number };
}

const timed = async (runs: number, feature: () => Promise<unknown>, floor: () => Promise<unknown>): Promise<Timed> => {
  // Warm-up (page cache, prepared statements), except for a single run.
  if (runs > 1) await feature();
  await floor();
  const ms = await timeMedian(runs, feature);
  const floorMs = await timeMedian(runs, floor);
  return { ms, floorMs, ratio: ms / floorMs };
};

export async function benchTeam(runs = 5): Promise<TeamBench> {
  const keep = process.env.GRASP_BENCH_TEAM_DB;
  const dir = keep ? null : mkdtempSync(join(tmpdir(), 'grasp-bench-team-'));
  const file = keep ?? join(dir!, 'team.db');
  try {
    let generateMs: number | null = null;
    if (!existsSync(file)) {
      const started = performance.now();
      // Written aside and renamed once complete, so an interrupted run never leaves a half database to reuse.
      await generateTeamDb(`${file}.partial`);
      renameSync(`${file}.partial`, file);
      generateMs = performance.now() - started;
    }
    const store = openNodeStore(file);
    try {
      return { generateMs, ...(await measure(store, runs)) };
    } finally {
      store.close();
    }
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(store: Store, runs: number): Promise<Omit<TeamBench, 'generateMs'>> {
  const now = TEAM_NOW * 1000;
  const repo = forRepo(store, HOT_REPO);
  const { db } = store;

  const report = await buildEngineerReport(store, 'eng0', { now });
  const reportT = await timed(runs, () => buildEngineerReport(store, 'eng0', { now }), () =>
    // Floor: the agent-written symbols of every repository (what any answer must weigh) and eng0's marks.
    Promise.all([
      db.select({ id: symbols.id, hash: symbols.hash, agentLines: symbols.agentLines }).from(symbols).where(and(eq(symbols.alive, true), gt(symbols.agentLines, 0))).all(),
      db.select({ id: marks.id, hash: marks.hash, level: marks.level }).from(marks).where(eq(marks.engineerId, 1)).all(),
    ]),
  );

  const hot = await buildHotspotsReport(repo, { now });
  const hotspotsT = await timed(runs, () => buildHotspotsReport(repo, { now }), () =>
    // Floor: the repository's alive symbols and its symbol changes of the 90-day window.
    Promise.all([
      db.select({ id: symbols.id, complexity: symbols.complexity, agentLines: symbols.agentLines }).from(symbols).where(and(eq(symbols.repoId, HOT_REPO), eq(symbols.alive, true))).all(),
      db
        .select({ id: symbolChanges.symbolId, at: commits.authorDate })
        .from(commits)
        .innerJoin(symbolChanges, and(eq(symbolChanges.repoId, commits.repoId), eq(symbolChanges.sha, commits.sha)))
        .where(and(eq(commits.repoId, HOT_REPO), gte(commits.authorDate, TEAM_NOW - 90 * DAY)))
        .all(),
    ]),
  );

  const islands = await buildIslandsReport(repo, { now });
  const islandsT = await timed(runs, () => buildIslandsReport(repo, { now }), () =>
    // Floor: the repository's alive symbols and every mark on it (islands weigh stale marks too).
    Promise.all([
      db.select({ id: symbols.id, file: symbols.file, name: symbols.name, hash: symbols.hash }).from(symbols).where(and(eq(symbols.repoId, HOT_REPO), eq(symbols.alive, true))).all(),
      db.select({ id: marks.id, engineerId: marks.engineerId, symbolId: marks.symbolId, hash: marks.hash, level: marks.level, createdAt: marks.createdAt }).from(marks).where(eq(marks.repoId, HOT_REPO)).all(),
    ]),
  );

  // The digest takes minutes on this database (see the README): one timed run, no warm-up.
  let digest: Awaited<ReturnType<typeof buildDigest>> | undefined;
  const digestT = await timed(1, async () => (digest = await buildDigest(store, { now })), () =>
    // Floor: one read of the history and the marks the snapshots are rebuilt from.
    Promise.all([
      db.select({ id: symbolChanges.symbolId, hash: symbolChanges.hash, seq: commits.seq, at: commits.authorDate })
        .from(symbolChanges)
        .innerJoin(commits, and(eq(commits.repoId, symbolChanges.repoId), eq(commits.sha, symbolChanges.sha)))
        .all(),
      db.select({ id: marks.id, engineerId: marks.engineerId, hash: marks.hash, level: marks.level, createdAt: marks.createdAt }).from(marks).where(lt(marks.createdAt, TEAM_NOW + 1)).all(),
    ]),
  );

  return {
    report: { ...reportT, items: report.items.length },
    hotspots: { ...hotspotsT, symbols: hot.symbols.length },
    islands: { ...islandsT, symbols: islands.symbols.length },
    digest: { ...digestT, engineers: digest!.engineers.length },
  };
}

export const TEAM_SHAPE = `${TEAM.repos} repositories, ${(TEAM.repos * TEAM.symbolsPerRepo).toLocaleString('en-US')} symbols, ${(TEAM.repos * TEAM.versionsPerRepo).toLocaleString('en-US')} versions, ${TEAM.engineers} engineers, ${TEAM.marks.toLocaleString('en-US')} marks`;

// Standalone: `node bin/run-ts.mjs bench/team.ts`.
if (process.argv[1]?.endsWith('bench/team.ts')) {
  const t = await benchTeam();
  const line = (what: string, x: Timed, goal: string) => `${what} ${x.ms.toFixed(1)} ms (goal ${goal}) vs floor ${x.floorMs.toFixed(1)} ms: ${x.ratio.toFixed(1)}x`;
  console.log(`team database (${TEAM_SHAPE})${t.generateMs === null ? ' reused' : ` generated in ${(t.generateMs / 1000).toFixed(1)} s`}`);
  console.log(line('report', t.report, '< 100 ms'));
  console.log(line('hotspots', t.hotspots, '< 200 ms'));
  console.log(line('islands', t.islands, '< 200 ms'));
  console.log(line('digest', t.digest, '< 1 s'));
}
