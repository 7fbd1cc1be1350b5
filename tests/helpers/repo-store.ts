/**
 * Most tests exercise one repository. A driver's store is team-wide (it has no `repoId`); these
 * bind it to repository 1, the id the first `ingestRepository` of a fresh database registers.
 */
import { openNodeStore } from '../../src/db/node/open.ts';
import { forRepo, type RepoStore, type Store } from '../../src/db/store.ts';

export const FIRST_REPO = 1;

export function firstRepo<S extends Store>(store: S): S & RepoStore {
  return forRepo(store, FIRST_REPO);
}

export function openRepoStore(...args: Parameters<typeof openNodeStore>): RepoStore {
  return firstRepo(openNodeStore(...args));
}
