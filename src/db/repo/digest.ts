/**
 * The digest's reads: every query it needs, written once for both drivers (better-sqlite3, D1).
 * History is read once up to the latest instant any snapshot needs; the snapshots are then
 * computed in memory (src/digest/snapshot.ts).
 */
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { MarkRecord } from '../../core/marks.ts';
import { getUnlinkedAuthors, type UnlinkedAuthor } from './engineers.ts';
import { commits, engineerAliases, engineers, fileChanges, marks, pullRequests, reviews, symbolChanges, symbols } from '../schema.ts';
import type { Store } from '../store.ts';
import { narrowedRepo } from './report.ts';

/** One symbol_changes row with the facts of its commit. */
export interface VersionRow {
  symbolId: number;
  repoId: number;
  file: string;
  name: string;
  kind: string;
  change: 'added' | 'modified' | 'deleted' | 'moved';
  hash: string | null;
  startLine: number;
  endLine: number;
  complexity: number;
  agentLines: number;
  humanLines: number;
  seq: number;
  /** Commit author date, epoch seconds. */
  at: number;
  authorEmail: string;
}

export interface HeadSymbolRow {
  id: number;
  repoId: number;
  hash: string;
  alive: boolean;
  agentLines: number;
  humanLines: number;
  /** JSON string[] of author emails. */
  authors: string;
}

/** A row of mark history: the shape the pure derivation in core/marks.ts already defines. */
export type MarkRow = MarkRecord;

export interface CommitActivity {
  repoId: number;
  sha: string;
  kind: 'agent' | 'human' | 'bot';
  agent: string | null;
  at: number;
  lines: number;
}

export interface ReviewRow {
  id: string;
  number: number;
  title: string | null;
  authorLogin: string | null;
  submittedAt: number | null;
  rubberStampReason: string | null;
}

export interface DigestInputs {
  versions: VersionRow[];
  head: HeadSymbolRow[];
  marks: MarkRow[];
  engineers: { id: number; handle: string; name: string }[];
  /** Lower-cased alias email -> engineer id. */
  emailOwner: Map<string, number>;
  /** Non-merge commits authored in [activityFrom, until), with their changed lines. */
  activity: CommitActivity[];
  rubberStamps: ReviewRow[];
  unlinked: UnlinkedAuthor[];
}

/**
 * Reads what the digest needs. `until` (exclusive) bounds history and marks; `activityFrom` is the
 * start of the earliest week whose commits and reviews are listed.
 */
export async function loadDigestInputs(store: Store, range: { activityFrom: number; until: number }): Promise<DigestInputs> {
  const { db } = store;
  // Team-wide, or one repository's when given a RepoStore.
  const repo = narrowedRepo(store);
  const only = (column: typeof commits.repoId | typeof symbols.repoId | typeof marks.repoId | typeof reviews.repoId) => (repo === undefined ? undefined : eq(column, repo));
  const [versions, head, markRows, engineerRows, aliases, activity, stamps, unlinked] = await Promise.all([
    db
      .select({
        symbolId: symbolChanges.symbolId,
        repoId: symbolChanges.repoId,
        file: symbolChanges.file,
        name: symbolChanges.name,
        kind: symbolChanges.kind,
        change: symbolChanges.change,
        hash: symbolChanges.hash,
        startLine: symbolChanges.startLine,
        endLine: symbolChanges.endLine,
        complexity: symbolChanges.complexity,
        agentLines: symbolChanges.agentLines,
        humanLines: symbolChanges.humanLines,
        seq: commits.seq,
        at: commits.authorDate,
        authorEmail: sql<string>`lower(${commits.authorEmail})`,
      })
      .from(symbolChanges)
      .innerJoin(commits, and(eq(commits.repoId, symbolChanges.repoId), eq(commits.sha, symbolChanges.sha)))
      .where(and(lt(commits.authorDate, range.until), only(commits.repoId)))
      .orderBy(commits.seq),
    db
      .select({
        id: symbols.id,
        repoId: symbols.repoId,
        hash: symbols.hash,
        alive: symbols.alive,
        agentLines: symbols.agentLines,
        humanLines: symbols.humanLines,
        authors: symbols.authors,
      })
      .from(symbols)
      .where(only(symbols.repoId)),
    db
      .select({
        id: marks.id,
        engineerId: marks.engineerId,
        repoId: marks.repoId,
        symbolId: marks.symbolId,
        file: marks.file,
        name: marks.name,
        hash: marks.hash,
        level: marks.level,
        createdAt: marks.createdAt,
      })
      .from(marks)
      .where(and(lt(marks.createdAt, range.until), only(marks.repoId))),
    db.select({ id: engineers.id, handle: engineers.handle, name: engineers.name }).from(engineers).orderBy(engineers.handle),
    db.select({ value: engineerAliases.value, engineerId: engineerAliases.engineerId }).from(engineerAliases).where(eq(engineerAliases.kind, 'email')),
    db
      .select({
        repoId: commits.repoId,
        sha: commits.sha,
        kind: commits.kind,
        agent: commits.agent,
        at: commits.authorDate,
        // Merge diffs against the first parent were not written by the merge: leave them out.
        lines: sql<number>`coalesce(sum(case when ${fileChanges.viaMerge} = 0 then coalesce(${fileChanges.added}, 0) + coalesce(${fileChanges.deleted}, 0) else 0 end), 0)`,
      })
      .from(commits)
      .leftJoin(fileChanges, and(eq(fileChanges.repoId, commits.repoId), eq(fileChanges.sha, commits.sha)))
      .where(and(only(commits.repoId), gte(commits.authorDate, range.activityFrom), lt(commits.authorDate, range.until), sql`json_array_length(${commits.parents}) <= 1`))
      .groupBy(commits.repoId, commits.sha),
    db
      .select({
        id: reviews.id,
        number: reviews.number,
        title: pullRequests.title,
        authorLogin: reviews.authorLogin,
        submittedAt: reviews.submittedAt,
        rubberStampReason: reviews.rubberStampReason,
      })
      .from(reviews)
      .leftJoin(pullRequests, and(eq(pullRequests.repoId, reviews.repoId), eq(pullRequests.number, reviews.number)))
      .where(and(only(reviews.repoId), eq(reviews.rubberStamp, true), gte(reviews.submittedAt, range.activityFrom), lt(reviews.submittedAt, range.until)))
      .orderBy(reviews.submittedAt, reviews.id),
    getUnlinkedAuthors(store),
  ]);
  return {
    versions,
    head,
    marks: markRows,
    engineers: engineerRows,
    emailOwner: new Map(aliases.map((a) => [a.value.toLowerCase(), a.engineerId])),
    activity: activity.map((a) => ({ ...a, lines: Number(a.lines) })),
    rubberStamps: stamps,
    unlinked,
  };
}
