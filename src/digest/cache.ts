/**
 * The digest served over HTTP is computed once per (database state, week, clock cutoff) instead of
 * on every request: an unauthenticated GET loop must not turn into seconds of work each. The key
 * holds the database stamp (moves on every commit, by this process or another, e.g. an ingest),
 * the resolved week and, for the week in progress, the current minute (the digest counts work up
 * to "now"). Bounded: the least recently used entries go first.
 */
import { databaseStamp } from '../db/repo/prepared.ts';
import type { RepoStore, Store } from '../db/store.ts';
import { formatWeek, weekOf } from '../core/weeks.ts';
import { buildDigest, type BuildDigestOptions } from './build.ts';
import type { Digest } from './types.ts';

/** Digests kept per store: a few weeks browsed back and forth, each a few KB. */
export const DIGEST_CACHE_ENTRIES = 32;

interface DigestCache {
  entries: Map<string, Promise<Digest>>;
  /** Times a digest was built (not answered from the cache), for tests. */
  builds: number;
}

const caches = new WeakMap<Store, DigestCache>();

function cacheOf(store: Store): DigestCache {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = { entries: new Map(), builds: 0 }));
  return cache;
}

/**
 * `buildDigest`, answered from the cache when nothing it reads can have changed. `repo` narrows it
 * to one repository (a store from forRepo(store, ...)); the cache stays the team store's, keyed
 * by the repository too, since a narrowed store is a new object on every request.
 */
export async function cachedDigest(team: Store, opts: BuildDigestOptions & { repo?: RepoStore } = {}): Promise<Digest> {
  const store = opts.repo ?? team;
  const stamp = await databaseStamp(team);
  const cache = cacheOf(team);
  if (stamp === null) {
    cache.builds++;
    return buildDigest(store, opts);
  }
  const nowMs = opts.now ?? Date.now();
  const nowSec = Math.floor(nowMs / 1000);
  const current = formatWeek(weekOf(nowSec));
  const week = opts.week ?? current;
  // A past week's figures do not depend on the clock; the current week's do, to the minute.
  const clock = week === current ? Math.floor(nowSec / 60) : 'past';
  const key = `${stamp}|${week}|${clock}|${opts.repo?.repoId ?? 'team'}`;
  const hit = cache.entries.get(key);
  if (hit) {
    cache.entries.delete(key);
    cache.entries.set(key, hit); // most recently used last
    return hit;
  }
  cache.builds++;
  const built = buildDigest(store, { ...opts, now: nowMs });
  cache.entries.set(key, built);
  built.catch(() => cache.entries.delete(key)); // a refusal (bad week) is not kept
  while (cache.entries.size > DIGEST_CACHE_ENTRIES) cache.entries.delete(cache.entries.keys().next().value!);
  return built;
}

/** How many digests were built for this store, cache misses included (tests). */
export function digestBuilds(store: Store): number {
  return cacheOf(store).builds;
}
