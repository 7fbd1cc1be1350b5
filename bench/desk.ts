/**
 * The orchestrator's desk (issue 21) on generated databases:
 * - the review queue over 200 open PRs (goal < 300 ms). Repositories are not first-class in the
 *   schema yet, so all 200 PRs live in one database: the report bench's team database (5,000
 *   commits, 10,000 symbols, 100,000 marks) plus 200 agent PR branches of one commit each, a few
 *   of them changing the same hot symbols (collisions). The 20-repository axis comes with repo_id.
 * - the agent scorecard over 100,000 commits (goal < 1 s): a linear history, half agent-written,
 *   one file changed per commit with its forward blame, one symbol change per commit.
 * Each figure is printed next to a floor timed in the same run: the plain read of the rows the
 * feature has to look at, so the ratio says what the feature costs on top of reading its input.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { openNodeStore } from '../src/db/node/open.ts';
import { blobLines, commits, fileAnalyses, fileChanges, pullRequests, symbolChanges, symbols, symbolTexts } from '../src/db/schema.ts';
import { chunk, type Store, type WriteQuery } from '../src/db/store.ts';
import { loadQueue } from '../src/desk/queue-load.ts';
import { loadScorecards } from '../src/desk/agents-load.ts';
import { timeMedian } from './common.ts';
import { generateReportDb } from './report.ts';
import { seededRandom as rng } from './random.ts';

const DAY = 86_400;
const NOW = Date.parse('2026-11-20T00:00:00Z') / 1000;
const MAIN_COMMITS = 5_000; // what generateReportDb writes
const sha = (n: number) => n.toString(16).padStart(40, '0');


/** Adds `count` open agent PRs, one commit each off the main tip, 4 symbols each (1 from 40 hot ones). */
async function addOpenPrs(store: Store, count: number): Promise<string[]> {
  const random = rng(7);
  const alive = await store.db.select({ id: symbols.id, file: symbols.file, name: symbols.name, hash: symbols.hash, startLine: symbols.startLine, complexity: symbols.complexity }).from(symbols).orderBy(symbols.id).all();
  // The report bench's few PRs have no tips: close them so every open PR is one of ours.
  await store.db.update(pullRequests).set({ state: 'CLOSED' }).where(eq(pullRequests.state, 'OPEN')).run();
  const writes: WriteQuery[] = [];
  const heads: string[] = [];
  const base = sha(MAIN_COMMITS);
  for (let p = 0; p < count; p++) {
    const head = sha(1_000_000 + p);
    heads.push(head);
    const agent = ['claude', 'codex', 'copilot', 'cursor'][p % 4]!;
    const at = NOW - Math.floor(random() * 5 * DAY);
    writes.push(
      ...store.insertIgnore(commits, [
        {
          sha: head, seq: MAIN_COMMITS + p + 1, parents: JSON.stringify([base]), authorName: agent, authorEmail: `${agent}@agents.example`, authorDate: at,
          committerName: agent, committerEmail: `${agent}@agents.example`, committerDate: at, subject: `PR ${p}`, message: `PR ${p}`, kind: 'agent', agent, confidence: 0.95, analyzed: 1,
        },
      ]),
    );
    const picks = new Set<number>([Math.floor(random() * 40)]);
    while (picks.size < 4) picks.add(Math.floor(random() * alive.length));
    const files = new Set<string>();
    for (const i of picks) {
      const s = alive[i]!;
      const hash = `pr${p}-${s.id}`;
      files.add(s.file);
      writes.push(
        ...store.insertIgnore(symbolChanges, [
          { sha: head, file: s.file, name: s.name, symbolId: s.id, kind: 'function', change: 'modified', hash, oldHash: s.hash, startLine: s.startLine, endLine: s.startLine + 9, complexity: s.complexity + 1, agentLines: 10, humanLines: 0 },
        ]),
        ...store.insertIgnore(symbolTexts, [{ hash, text: `export function ${s.name}(input: Item): Result {\n  // PR ${p}\n  return run(input);\n}` }]),
      );
    }
    writes.push(...store.insertIgnore(fileChanges, [...files].map((path, idx) => ({ sha: head, idx, path, status: 'M', added: 10, deleted: 8, newBlob: `p${p}-${idx}`.padEnd(40, '0') }))));
    writes.push(
      ...store.insertIgnore(pullRequests, [
        { number: 1000 + p, title: `Agent PR ${p}`, authorLogin: `${agent}[bot]`, state: 'OPEN', headRef: `${agent}/task-${p}`, baseRef: 'main', headSha: head, baseSha: base, createdAt: at, updatedAt: at, lastPushAt: at, additions: 40, deletions: 32 },
      ]),
    );
  }
  await store.atomic(writes);
  return heads;
}

export async function benchQueue(runs = 3): Promise<{ prs: number; collisions: number; queueMs: number; anonymousMs: number; floorMs: number; ratio: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'grasp-bench-queue-'));
  try {
    const file = join(dir, 'queue.db');
    await generateReportDb(file);
    const store = openNodeStore(file);
    try {
      const heads = await addOpenPrs(store, 200);
      const now = NOW * 1000;
      const first = await loadQueue(store, { as: 'eng0', now });
      if (first.prs.length !== 200) throw new Error(`queue bench: expected 200 PRs, got ${first.prs.length} (${first.warnings[0] ?? 'no warning'})`);
      const queueMs = await timeMedian(runs, () => loadQueue(store, { as: 'eng0', now }));
      // Without a reader the checklists skip the reviewer's marks and diffs: most of the cost.
      const anonymousMs = await timeMedian(runs, () => loadQueue(store, { now }));
      // Floor: reading the open PRs and every symbol change of their commits, nothing else.
      const floorMs = await timeMedian(runs, async () => {
        await store.db.select().from(pullRequests).where(eq(pullRequests.state, 'OPEN')).all();
        for (const part of chunk(heads, store.maxParams - 2)) await store.db.select().from(symbolChanges).where(inArray(symbolChanges.sha, part)).all();
      });
      return { prs: first.prs.length, collisions: first.collisions.length, queueMs, anonymousMs, floorMs, ratio: queueMs / floorMs };
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const FILES = 2_000;
const SYMBOLS_PER_FILE = 5;

/** A linear history of `count` commits, half agent-written, each changing one file and one symbol, with forward blame. */
async function generateScorecardDb(file: string, count: number): Promise<void> {
  const store = openNodeStore(file);
  const random = rng(11);
  try {
    const agents = ['claude', 'codex', 'copilot', 'cursor', 'devin'];
    const commitRows = [];
    const changeRows = [];
    const analysisRows = [];
    const blameRows = [];
    const symbolChangeRows = [];
    // Per file: the shas its current lines came from (up to 4 runs of 10 lines).
    const blame = new Map<number, { sha: string; agent: number }[]>();
    const lastOf = new Map<number, { sha: string; agent: boolean; version: number }>();
    for (let c = 0; c < count; c++) {
      const agentIdx = random() < 0.5 ? Math.floor(random() * agents.length) : -1;
      const at = NOW - 730 * DAY + Math.floor(((c + 1) / count) * 730 * DAY);
      const s = sha(c + 1);
      const agent = agentIdx >= 0 ? agents[agentIdx]! : null;
      commitRows.push({
        sha: s, seq: c + 1, parents: JSON.stringify(c > 0 ? [sha(c)] : []), authorName: agent ?? `dev${c % 20}`, authorEmail: `${agent ?? `dev${c % 20}`}@example.com`, authorDate: at,
        committerName: 'dev', committerEmail: 'dev@example.com', committerDate: at, subject: c % 997 === 0 && c > 0 ? `Revert "change ${c - 1}"` : `change ${c}`,
        message: c % 997 === 0 && c > 0 ? `Revert "change ${c - 1}"\n\nThis reverts commit ${sha(c)}.` : `change ${c}`, kind: agent ? ('agent' as const) : ('human' as const), agent, confidence: 0.95, analyzed: 1,
      });
      const f = Math.floor(random() * FILES);
      const path = `src/d${f % 20}/f${f}.ts`;
      const blob = `blob${c}`.padEnd(40, '0');
      changeRows.push({ sha: s, idx: 0, path, status: lastOf.has(f) ? 'M' : 'A', added: 10, deleted: lastOf.has(f) ? 10 : 0, newBlob: blob });
      analysisRows.push({ sha: s, path, blob, status: 'analyzed', agentLines: agent ? 10 : 0, humanLines: agent ? 0 : 10 });
      const runs = [...(blame.get(f) ?? []).slice(-3), { sha: s, agent: agent ? 1 : 0 }];
      blame.set(f, runs);
      blameRows.push({ blob, runs: JSON.stringify({ shas: runs.map((r) => r.sha), runs: runs.map((r, i) => [10, i, r.agent]) }) });
      const sym = f * SYMBOLS_PER_FILE + (c % SYMBOLS_PER_FILE);
      const version = (lastOf.get(sym)?.version ?? -1) + 1;
      lastOf.set(f, { sha: s, agent: !!agent, version: 0 });
      lastOf.set(sym + FILES, { sha: s, agent: !!agent, version });
      symbolChangeRows.push({
        sha: s, file: path, name: `fn${sym}`, symbolId: sym + 1, kind: 'function', change: version === 0 ? ('added' as const) : ('modified' as const), hash: `s${sym}-${c}`,
        oldHash: null, startLine: 1 + (sym % SYMBOLS_PER_FILE) * 12, endLine: 10 + (sym % SYMBOLS_PER_FILE) * 12, complexity: 1 + (c % 13), agentLines: agent ? 10 : 0, humanLines: agent ? 0 : 10,
      });
    }
    const symbolRows = Array.from({ length: FILES * SYMBOLS_PER_FILE }, (_, sym) => {
      const f = Math.floor(sym / SYMBOLS_PER_FILE);
      const last = lastOf.get(sym + FILES);
      return {
        id: sym + 1, file: `src/d${f % 20}/f${f}.ts`, name: `fn${sym}`, kind: 'function', alive: true, hash: `s${sym}-${last?.sha ?? 'none'}`, startLine: 1 + (sym % SYMBOLS_PER_FILE) * 12,
        endLine: 10 + (sym % SYMBOLS_PER_FILE) * 12, exported: true, complexity: 1 + (sym % 13), agentLines: last?.agent ? 10 : 0, humanLines: last?.agent ? 0 : 10, changeCount: (last?.version ?? 0) + 1,
      };
    });
    await store.atomic([
      ...store.insertIgnore(commits, commitRows),
      ...store.insertIgnore(fileChanges, changeRows),
      ...store.insertIgnore(fileAnalyses, analysisRows),
      ...store.insertIgnore(blobLines, blameRows),
      ...store.insertIgnore(symbolChanges, symbolChangeRows),
      ...store.insertIgnore(symbols, symbolRows),
    ]);
  } finally {
    store.close();
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
  console.log(`queue: ${q.prs} open PRs, ${q.collisions} collisions in ${q.queueMs.toFixed(0)} ms with --as, ${q.anonymousMs.toFixed(0)} ms without (goal < 300 ms); floor ${q.floorMs.toFixed(1)} ms; ${q.ratio.toFixed(1)}x`);
  const s = await benchScorecard();
  console.log(`scorecard: ${s.commits} commits, ${s.agents} agents in ${s.scorecardMs.toFixed(0)} ms (goal < 1 s); floor ${s.floorMs.toFixed(1)} ms; ${s.ratio.toFixed(1)}x; generated in ${(s.generateMs / 1000).toFixed(1)} s`);
}
