/**
 * Which repository a request is about: the `repo` query parameter (or a JSON body's `repo`), else
 * the only repository the service tracks. With several and none named: 400 listing the names.
 */
import type { Context } from 'hono';
import { GraspError } from '../core/errors.ts';
import { isRepoName } from '../core/repo-target.ts';
import { chooseRepoStore } from '../db/repo/repos.ts';
import type { RepoStore, Store } from '../db/store.ts';

export async function repoStoreOf(store: Store, c: Context, fromBody?: string | null): Promise<RepoStore> {
  const name = fromBody ?? c.req.query('repo');
  if (name !== undefined && !isRepoName(name)) throw new GraspError('invalid', 'repo must be a repository name: owner/name or one directory name');
  return chooseRepoStore(store, { name, hint: 'the repo parameter (?repo=NAME)' });
}
