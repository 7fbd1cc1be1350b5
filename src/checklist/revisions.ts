/**
 * Which resolver a command or request uses for revisions: git in the tracked repository when it
 * is on disk (the caller injects `git`, so the Worker bundle never reaches git), else the stored
 * commits (a sha prefix or HEAD with ^n/~n; src/db/repo/revisions.ts).
 */
import { parseRange, resolvePairWith, type RevisionRange, type RevisionResolver } from '../core/revisions.ts';
import { GraspError } from '../core/errors.ts';
import { getRepoRoot } from '../db/repo/repos.ts';
import { storedResolver } from '../db/repo/revisions.ts';
import type { RepoStore } from '../db/store.ts';

/** A repository root -> its git resolver, or null when it is not usable (moved, deleted). */
export type GitResolverAt = (root: string) => RevisionResolver | null;

export async function resolverFor(store: RepoStore, git?: GitResolverAt): Promise<RevisionResolver> {
  const root = git ? await getRepoRoot(store) : null;
  return (root && git?.(root)) || storedResolver(store);
}

/** Range text (`A..B`, `A...B`, `X^!`) -> full base and head shas. */
export async function resolveRangeText(store: RepoStore, text: string, git?: GitResolverAt): Promise<{ base: string; head: string }> {
  const range = parseRange(text);
  if (!range) throw new GraspError('invalid', `"${text}" is not a range: use A..B, A...B or X^! (HEAD~2..HEAD, main...feature, sha^..sha)`);
  return resolvePairWith(range, await resolverFor(store, git));
}

/** Two revisions given apart (the API's base= and head=), `symmetric` for `A...B`. */
export async function resolveRangePair(store: RepoStore, range: RevisionRange, git?: GitResolverAt): Promise<{ base: string; head: string }> {
  return resolvePairWith(range, await resolverFor(store, git));
}

export async function resolveRevisionText(store: RepoStore, text: string, git?: GitResolverAt): Promise<string> {
  return (await resolverFor(store, git)).rev(text);
}
