/**
 * Which repository a request is about: the `repo` query parameter (or a JSON body's `repo`), else
 * the only repository the service tracks. With several and none named: 400 listing the names.
 * Team-wide views take `optionalRepoOf` instead: no name means every repository.
 */
import type { Context } from 'hono';
import { GraspError } from '../core/errors.ts';
import { isRepoName } from '../core/repo-target.ts';
import { chooseRepoStore, getRepoByNameOrThrow } from '../db/repo/repos.ts';
import { forRepo, type RepoStore, type Store } from '../db/store.ts';

export async function repoStoreOf(store: Store, c: Context, fromBody?: string | null): Promise<RepoStore> {
  const name = fromBody ?? c.req.query('repo');
  if (name !== undefined && !isRepoName(name)) throw new GraspError('invalid', 'repo must be a repository name: owner/name or one directory name');
  return chooseRepoStore(store, { name, hint: 'the repo parameter (?repo=NAME)' });
}

/**
 * For the team-wide views (overview, engineer report, digest, hotspots, islands): the repository
 * the `repo` query parameter names, narrowed; without it, null (the whole team). An unknown name
 * is a 404 listing the known ones.
 */
export async function optionalRepoOf(store: Store, c: Context): Promise<{ store: RepoStore; name: string } | null> {
  const name = c.req.query('repo');
  if (name === undefined || name === '') return null;
  if (!isRepoName(name)) throw new GraspError('invalid', 'repo must be a repository name: owner/name or one directory name');
  const row = await getRepoByNameOrThrow(store, name);
  return { store: forRepo(store, row.id), name: row.name };
}
