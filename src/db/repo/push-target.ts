/**
 * Which of the service's repositories a push writes into. A push names its repository; the service
 * keeps its own ids (they differ from the pushing database's), matched by that name, and records
 * per repository the first commit of the history pushed into it (meta `repo.<id>.push.origin`), so
 * a second database cannot overwrite a repository of the same name with another history.
 */
import { eq, like } from 'drizzle-orm';
import { GraspError } from '../../core/errors.ts';
import { meta, repos } from '../schema.ts';
import { forRepo, type RepoStore, type Store } from '../store.ts';
import type { ServiceRepo } from '../push-wire.ts';
import { getMeta } from './commits.ts';
import { getRepoByName, getRepoMeta, listRepos, setRepoMetaQuery, upsertRepo } from './repos.ts';

/** Repository meta key of the pushed history's first commit. */
export const REPO_PUSH_ORIGIN = 'push.origin';
/**
 * Before a service held several repositories it kept one global origin; the repository it
 * belonged to is adopted (renamed to the pushed name) by the first push of that history.
 */
export const LEGACY_META_ORIGIN = 'push.origin';

/** Every repository of the service with the origin of what was pushed into it (null: never pushed). */
export async function serviceRepos(store: Store): Promise<ServiceRepo[]> {
  const origins = await store.db
    .select({ key: meta.key, value: meta.value })
    .from(meta)
    .where(like(meta.key, `repo.%.${REPO_PUSH_ORIGIN}`));
  const byId = new Map(origins.map((r) => [Number(r.key.split('.')[1]), r.value]));
  return (await listRepos(store)).map((r) => ({ name: r.name, origin: byId.get(r.id) ?? null }));
}

/**
 * The service repository of `name`: the one of that name (its recorded origin must match), else the
 * repository an older single-repository service pushed this history into, else a new one.
 */
export async function pushTarget(store: Store, name: string, origin: string | null): Promise<RepoStore> {
  const named = await getRepoByName(store, name);
  if (named) {
    const scoped = forRepo(store, named.id);
    const held = await getRepoMeta(scoped, REPO_PUSH_ORIGIN);
    if (held !== null && origin !== null && held !== origin) {
      throw new GraspError('conflict', `the service's repository ${name} holds another history (first commit ${held.slice(0, 12)}, not ${origin.slice(0, 12)}); rename one of them with grasp ingest --name`);
    }
    return scoped;
  }
  const legacy = await getMeta(store, LEGACY_META_ORIGIN);
  if (legacy !== null && origin !== null && legacy === origin) {
    const pushed = await serviceRepos(store);
    const all = await listRepos(store);
    const candidate = all.filter((r) => pushed.find((p) => p.name === r.name)?.origin == null).sort((a, b) => a.id - b.id)[0];
    if (candidate) {
      const scoped = forRepo(store, candidate.id);
      await store.atomic([
        store.db.update(repos).set({ name }).where(eq(repos.id, candidate.id)),
        setRepoMetaQuery(scoped, REPO_PUSH_ORIGIN, origin),
        store.db.delete(meta).where(eq(meta.key, LEGACY_META_ORIGIN)),
      ]);
      return scoped;
    }
  }
  const created = await upsertRepo(store, { path: `push:${name}`, name, head: null });
  return forRepo(store, created.id);
}
