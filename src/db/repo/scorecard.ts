/**
 * Repository layer for the agent scorecard: everything is counted with set-based queries, so the
 * scorecard over 100,000 commits reads a handful of result sets (src/desk/agents-load.ts).
 */
import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import { blobLines, commits, fileAnalyses, fileChanges, prCommits, reviews, symbolChanges, symbols } from '../schema.ts';
import { chunk, type Store } from '../store.ts';

export interface CommitFact {
  repoId: number;
  sha: string;
  kind: 'agent' | 'human' | 'bot';
  agent: string | null;
  at: number;
}

/** Every commit since `since` (its message left out: only reverts need it, see revertMessagesSince). */
export async function commitsSince(store: Store, since: number): Promise<CommitFact[]> {
  return store.db.select({ repoId: commits.repoId, sha: commits.sha, kind: commits.kind, agent: commits.agent, at: commits.authorDate }).from(commits).where(gte(commits.authorDate, since)).all();
}

/**
 * Messages of the commits since `since` that may revert another: those saying "this reverts
 * commit" (any case, as revertedShas matches it), so the full history's messages are not read.
 */
export async function revertMessagesSince(store: Store, since: number): Promise<{ repoId: number; message: string }[]> {
  return store.db
    .select({ repoId: commits.repoId, message: commits.message })
    .from(commits)
    .where(and(gte(commits.authorDate, since), sql`${commits.message} like '%this reverts commit%'`))
    .all();
}

/** Added lines per commit and path (analysis verdicts), for shares by top-level directory. */
export async function addedLinesSince(store: Store, since: number): Promise<{ repoId: number; sha: string; path: string; lines: number }[]> {
  return store.db
    .select({ repoId: fileAnalyses.repoId, sha: fileAnalyses.sha, path: fileAnalyses.path, lines: sql<number>`${fileAnalyses.agentLines} + ${fileAnalyses.humanLines}` })
    .from(fileAnalyses)
    .innerJoin(commits, and(eq(commits.repoId, fileAnalyses.repoId), eq(commits.sha, fileAnalyses.sha)))
    .where(gte(commits.authorDate, since))
    .all();
}

export interface FileVersionRow {
  repoId: number;
  path: string;
  oldPath: string | null;
  sha: string;
  seq: number;
  at: number;
  blob: string | null;
  runs: string | null;
}

/**
 * Every authored (not via-merge) version of these paths in any repository, oldest first, with its
 * forward blame; callers keep repositories apart by `repoId`.
 */
export async function fileVersionsOf(store: Store, paths: readonly string[]): Promise<FileVersionRow[]> {
  const out: FileVersionRow[] = [];
  for (const part of chunk([...new Set(paths)], Math.max(1, store.maxParams - 2))) {
    out.push(
      ...(await store.db
        .select({ repoId: fileChanges.repoId, path: fileChanges.path, oldPath: fileChanges.oldPath, sha: fileChanges.sha, seq: commits.seq, at: commits.authorDate, blob: fileChanges.newBlob, runs: blobLines.runs })
        .from(fileChanges)
        .innerJoin(commits, and(eq(commits.repoId, fileChanges.repoId), eq(commits.sha, fileChanges.sha)))
        .leftJoin(blobLines, eq(blobLines.blob, fileChanges.newBlob))
        .where(and(inArray(fileChanges.path, part), eq(fileChanges.viaMerge, false)))
        .all()),
    );
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/**
 * Agent-written lines each agent added to each symbol, summed over its history: for the alive
 * symbols with agent-written lines (the only ones whose weight the scorecard splits).
 */
export async function agentLinesBySymbol(store: Store): Promise<{ symbolId: number; agent: string; lines: number }[]> {
  return store.db
    .select({ symbolId: symbolChanges.symbolId, agent: sql<string>`${commits.agent}`, lines: sql<number>`sum(${symbolChanges.agentLines})` })
    .from(symbolChanges)
    .innerJoin(commits, and(eq(commits.repoId, symbolChanges.repoId), eq(commits.sha, symbolChanges.sha)))
    .where(
      and(
        eq(commits.kind, 'agent'),
        sql`${symbolChanges.agentLines} > 0`,
        inArray(symbolChanges.symbolId, store.db.select({ id: symbols.id }).from(symbols).where(and(eq(symbols.alive, true), sql`${symbols.agentLines} > 0`))),
      ),
    )
    .groupBy(symbolChanges.symbolId, commits.agent)
    .all();
}

/** Approvals of PRs with agent commits: the PR's agent(s) and whether the approval was a rubber stamp. */
export async function approvalsOfAgentPrs(store: Store): Promise<{ number: number; agent: string; rubberStamp: boolean }[]> {
  return store.db
    .selectDistinct({ number: reviews.number, id: reviews.id, agent: sql<string>`${commits.agent}`, rubberStamp: reviews.rubberStamp })
    .from(reviews)
    .innerJoin(prCommits, and(eq(prCommits.repoId, reviews.repoId), eq(prCommits.number, reviews.number)))
    .innerJoin(commits, and(eq(commits.repoId, prCommits.repoId), eq(commits.sha, prCommits.sha)))
    .where(and(eq(reviews.state, 'APPROVED'), eq(commits.kind, 'agent')))
    .all();
}

/**
 * Complexity flags from stored facts, per agent commit and file: a symbol that reached
 * `limit` or rose by `rise` (the checklist's rule; its text detectors need the code and run per PR).
 */
export async function complexityFlagsSince(store: Store, since: number, limit: number, rise: number): Promise<{ agent: string; file: string; count: number }[]> {
  return store.db
    .select({ agent: sql<string>`${commits.agent}`, file: symbolChanges.file, count: sql<number>`count(*)` })
    .from(symbolChanges)
    .innerJoin(commits, and(eq(commits.repoId, symbolChanges.repoId), eq(commits.sha, symbolChanges.sha)))
    .where(
      and(
        eq(commits.kind, 'agent'),
        gte(commits.authorDate, since),
        sql`${symbolChanges.change} in ('added', 'modified') and ${symbolChanges.kind} not in ('class', 'interface', 'type', 'enum', 'namespace', 'module')`,
        sql`((${symbolChanges.complexity} >= ${limit} and coalesce(${symbolChanges.oldComplexity}, 0) < ${limit}) or ${symbolChanges.complexity} - coalesce(${symbolChanges.oldComplexity}, ${symbolChanges.complexity}) >= ${rise})`,
      ),
    )
    .groupBy(commits.agent, symbolChanges.file)
    .all();
}

/** Renames from these paths (authored, in any repository), so a lineage follows its file. */
export async function renamesFrom(store: Store, paths: readonly string[]): Promise<{ repoId: number; oldPath: string; path: string }[]> {
  const out: { repoId: number; oldPath: string; path: string }[] = [];
  for (const part of chunk([...new Set(paths)], Math.max(1, store.maxParams - 2))) {
    const rows = await store.db
      .selectDistinct({ repoId: fileChanges.repoId, oldPath: sql<string>`${fileChanges.oldPath}`, path: fileChanges.path })
      .from(fileChanges)
      .where(inArray(fileChanges.oldPath, part))
      .all();
    out.push(...rows);
  }
  return out;
}
