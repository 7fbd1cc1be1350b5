/**
 * Revisions from stored commits only (Workers, or a repository no longer on disk): a sha prefix
 * or HEAD (the analyzed head), `^n`/`~n` over stored parents, and the merge base of `A...B`.
 */
import { and, eq, lte } from 'drizzle-orm';
import { GraspError } from '../../core/errors.ts';
import { resolveStored, storedMergeBase, type RevisionResolver, type StoredLookup } from '../../core/revisions.ts';
import { commits } from '../schema.ts';
import type { RepoStore } from '../store.ts';
import { getRepoById, getRepoMeta } from './repos.ts';
import { findCommit } from './targets.ts';

export function storedLookup(store: RepoStore): StoredLookup {
  return {
    async find(prefix) {
      const sha = await findCommit(store, prefix);
      if (!sha) return null;
      const [row] = await store.db.select({ parents: commits.parents }).from(commits).where(and(eq(commits.repoId, store.repoId), eq(commits.sha, sha)));
      return { sha, parents: JSON.parse(row?.parents ?? '[]') as string[] };
    },
    async head() {
      const analyzed = await getRepoMeta(store, 'analysis.head');
      return analyzed || (await getRepoById(store, store.repoId))?.head || null;
    },
  };
}

export function storedResolver(store: RepoStore): RevisionResolver {
  const lookup = storedLookup(store);
  return {
    rev: (text) => resolveStored(text, lookup),
    async mergeBase(a, b) {
      const seqs = await store.db.select({ sha: commits.sha, seq: commits.seq }).from(commits).where(and(eq(commits.repoId, store.repoId), eq(commits.sha, a)));
      const seqsB = await store.db.select({ sha: commits.sha, seq: commits.seq }).from(commits).where(and(eq(commits.repoId, store.repoId), eq(commits.sha, b)));
      const top = Math.max(seqs[0]?.seq ?? 0, seqsB[0]?.seq ?? 0);
      const rows = await store.db
        .select({ sha: commits.sha, seq: commits.seq, parents: commits.parents })
        .from(commits)
        .where(and(eq(commits.repoId, store.repoId), lte(commits.seq, top)));
      const base = storedMergeBase(new Map(rows.map((r) => [r.sha, JSON.parse(r.parents) as string[]])), new Map(rows.map((r) => [r.sha, r.seq])), a, b);
      if (!base) throw new GraspError('not-found', `${a.slice(0, 12)}...${b.slice(0, 12)}: no merge base in the stored history`);
      return base;
    },
  };
}
