/**
 * `npm run bench`: every speed figure of the project, each against a baseline measured in the
 * same run where one exists. Pick sections: `npm run bench -- ingest analysis`.
 * Sections: startup, ingest, analysis, checklist, report, team, desk, worker, load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openNodeStore } from '../src/db/node/open.ts';
import { benchRepo, ms } from './common.ts';
import { benchIngest } from './ingest.ts';
import { benchFullAnalysis, benchParseThroughput } from './analysis.ts';
import { chooseRepoStore } from '../src/db/repo/repos.ts';
import { benchChecklist, pickRange } from './checklist.ts';
import { benchReport } from './report.ts';
import { benchWorkerPush } from './worker.ts';
import { benchStartup } from './startup.ts';

const only = new Set(process.argv.slice(2));
const want = (name: string) => only.size === 0 || only.has(name);
const repo = benchRepo();
const work = mkdtempSync(join(tmpdir(), 'grasp-bench-'));
const analyzedDb = join(work, 'analyzed.db');
let analyzed = false;
console.log(`bench repository: ${repo}`);

async function ensureAnalyzed() {
  if (analyzed) return;
  const r = await benchFullAnalysis(repo, analyzedDb);
  analyzed = true;
  console.log(
    `analysis of the whole history: ${r.commits} commits, ${r.blobsParsed} file versions parsed, ${r.symbolChanges} symbol changes, ` +
      `${r.currentSymbols} symbols at head in ${(r.analyzeMs / 1000).toFixed(1)} s`,
  );
}

try {
  if (want('startup')) {
    const { help, commits } = await benchStartup(repo);
    const line = (what: string, r: typeof help) => `${what} ${ms(r.a)} vs node -e 0 ${ms(r.b)}: ${r.ratio.toFixed(2)}x (goal <= 3x)`;
    console.log(`start-up: ${line('grasp --help', help)}; ${line('grasp commits --limit 5', commits)}`);
  }
  if (want('ingest')) {
    const r = await benchIngest(repo);
    console.log(`ingest: ${r.commits} commits in ${ms(r.ingestMs)}; git log alone ${ms(r.gitLogMs)}; ratio ${r.ratio.toFixed(2)}x (goal <= 1.5x)`);
    console.log(`re-ingest, nothing new: ${ms(r.reingestMs)} in-process (goal < 300 ms); ${ms(r.reingestCliMs)} as a CLI process incl. Node start-up`);
  }
  if (want('analysis')) {
    await ensureAnalyzed();
    const t = await benchParseThroughput(repo, analyzedDb);
    console.log(
      `analysis throughput: ${t.files} file versions, ${t.symbols} symbols: analysis ${ms(t.analysisMs)} (${Math.round(t.symbolsPerSecond)} symbols/s), ` +
        `raw ts.createSourceFile ${ms(t.rawMs)}; analysis runs at ${t.throughputRatio.toFixed(2)}x the raw parser's throughput (goal >= 0.5x)`,
    );
  }
  if (want('checklist')) {
    await ensureAnalyzed();
    const store = await chooseRepoStore(openNodeStore(analyzedDb), { cwd: repo });
    try {
      const range = await pickRange(store);
      if (!range) console.log('checklist: no range of 2,000 lines / 60 files found in this repository');
      else {
        const c = await benchChecklist(store, range.base, range.head);
        console.log(
          `checklist ${c.base.slice(0, 8)}..${c.head.slice(0, 8)}: ${c.commits} commits, ${c.files} files, ${c.changedLines} changed lines, ` +
            `${c.items} items, ${c.flags} flags in ${ms(c.ms)} (goal < 2 s)`,
        );
      }
    } finally {
      store.close();
    }
  }
  if (want('report')) {
    const r = await benchReport();
    console.log(
      `report on a generated database (10,000 symbols, 50,000 versions, 20 engineers, 100,000 marks): ` +
        `engineer report ${ms(r.reportMs)} (goal < 100 ms), hotspots ${ms(r.hotspotsMs)} (goal < 200 ms)`,
    );
  }
  if (want('team')) {
    const { benchTeam, TEAM_SHAPE } = await import('./team.ts');
    // The single-repository figures of the same run, for comparison (one tenth of the team's rows).
    const single = want('report') ? null : await benchReport();
    const t = await benchTeam();
    const line = (what: string, x: { ms: number; floorMs: number; ratio: number }, goal: string, one?: number) =>
      `${what} ${ms(x.ms)} (goal ${goal}) vs floor ${ms(x.floorMs)}: ${x.ratio.toFixed(1)}x${one === undefined ? '' : `; single repository ${ms(one)}`}`;
    console.log(`team database (${TEAM_SHAPE})${t.generateMs === null ? ', reused' : `, generated in ${(t.generateMs / 1000).toFixed(0)} s (not timed)`}:`);
    console.log(`  ${line('engineer report across every repository', t.report, '< 100 ms', single?.reportMs)}`);
    console.log(`  ${line('hotspots of one repository', t.hotspots, '< 200 ms', single?.hotspotsMs)}`);
    console.log(`  ${line('islands of one repository', t.islands, '< 200 ms')}`);
    console.log(`  ${line('team digest (one run)', t.digest, '< 1 s')}`);
  }
  if (want('desk')) {
    const { benchQueue, benchScorecard } = await import('./desk.ts');
    const q = await benchQueue();
    console.log(
      `queue over ${q.prs} open PRs in ${q.repos} repositories, ${q.collisions} collisions: ` +
        `${ms(q.queueMs)} as a reader, ${ms(q.anonymousMs)} without one (goal < 300 ms) vs reading their rows ${ms(q.floorMs)}: ${q.ratio.toFixed(1)}x`,
    );
    const s = await benchScorecard();
    console.log(
      `agent scorecard over ${s.commits.toLocaleString('en-US')} commits (${s.agents} agents): ${ms(s.scorecardMs)} (goal < 1 s) ` +
        `vs reading every commit once ${ms(s.floorMs)}: ${s.ratio.toFixed(1)}x`,
    );
  }
  if (want('worker')) {
    await ensureAnalyzed();
    const w = await benchWorkerPush(analyzedDb);
    console.log(
      `worker (local workerd + D1): push ${w.rows} rows in ${w.batches} batches (${(w.bytes / 1e6).toFixed(1)} MB) in ${ms(w.pushMs)}; ` +
        `re-push with nothing new ${ms(w.repushMs)}; report latency ${ms(w.reportMs)} on D1 vs ${ms(w.nodeReportMs)} on grasp serve`,
    );
  }
  if (want('load')) {
    const { benchLoad, formatLoad } = await import('./load.ts');
    for (const line of formatLoad(await benchLoad({ ingestRepo: repo }))) console.log(line);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
