/**
 * The repositories a database tracks (`repos`): registered and updated by `grasp ingest`, listed by
 * `grasp repos`, removed by `grasp repos remove`. A repository's own facts live in meta under
 * `repo.<id>.<key>`; ids are never handed out twice, so marks of a removed repository (kept, never
 * deleted) cannot come to cover a repository registered later.
 */
import { and, asc, eq, inArray, like, sql } from 'drizzle-orm';
import { GraspError } from '../../core/errors.ts';
import {
  aiLines,
  commits,
  fileAnalyses,
  fileChanges,
  markHeads,
  meta,
  prCommits,
  prFiles,
  prReviewRequests,
  pullRequests,
  repos,
  reviewComments,
  reviews,
  symbolChanges,
  symbols,
  warnings,
} from '../schema.ts';
import { forRepo, type RepoStore, type Store, type WriteQuery } from '../store.ts';

export type RepoRow = typeof repos.$inferSelect;

export interface RepoListing {
  name: string;
  path: string;
  commits: number;
  head: string | null;
}

const LAST_ID_KEY = 'repos.lastId';

export function repoMetaKey(repoId: number, key: string): string {
  return `repo.${repoId}.${key}`;
}

/** A fact about the store's repository (`ingest.frontier`, `analysis.head`, `github.repo`, ...). */
export async function getRepoMeta(store: RepoStore, key: string): Promise<string | null> {
  const row = await store.db.select({ value: meta.value }).from(meta).where(eq(meta.key, repoMetaKey(store.repoId, key))).get();
  return row?.value ?? null;
}

export function setRepoMetaQuery(store: RepoStore, key: string, value: string): WriteQuery {
  const k = repoMetaKey(store.repoId, key);
  return store.db.insert(meta).values({ key: k, value }).onConflictDoUpdate({ target: meta.key, set: { value } });
}

export async function setRepoMeta(store: RepoStore, key: string, value: string): Promise<void> {
  await store.atomic([setRepoMetaQuery(store, key, value)]);
}

export async function listRepos(store: Store): Promise<RepoRow[]> {
  return store.db.select().from(repos).orderBy(asc(repos.name));
}

/** Commits stored per repository id (repositories without any are absent). */
export async function countCommitsByRepo(store: Store): Promise<Map<number, number>> {
  const counts = await store.db.select({ repoId: commits.repoId, n: sql<number>`count(*)` }).from(commits).groupBy(commits.repoId);
  return new Map(counts.map((c) => [c.repoId, Number(c.n)]));
}

/** Every repository with its commit count, by name. */
export async function listRepoListings(store: Store): Promise<RepoListing[]> {
  const rows = await listRepos(store);
  if (rows.length === 0) return [];
  const byId = await countCommitsByRepo(store);
  return rows.map((r) => ({ name: r.name, path: r.path, commits: byId.get(r.id) ?? 0, head: r.head }));
}

export async function getRepoById(store: Store, id: number): Promise<RepoRow | undefined> {
  return store.db.select().from(repos).where(eq(repos.id, id)).get();
}

export async function getRepoByPath(store: Store, path: string): Promise<RepoRow | undefined> {
  const [row] = await store.db.select().from(repos).where(eq(repos.path, path)).limit(1);
  return row;
}

export async function getRepoByName(store: Store, name: string): Promise<RepoRow | undefined> {
  return store.db.select().from(repos).where(eq(repos.name, name)).get();
}

/** The one-line answer to an unknown repository name: which ones there are. */
export function unknownRepoError(name: string, known: readonly string[]): GraspError {
  const list = known.length === 0 ? 'this database tracks no repository yet (run grasp ingest PATH)' : `known: ${known.join(', ')}`;
  return new GraspError('not-found', `no repository named "${name}"; ${list}`);
}

export async function getRepoByNameOrThrow(store: Store, name: string): Promise<RepoRow> {
  const row = await getRepoByName(store, name);
  if (row) return row;
  throw unknownRepoError(name, (await listRepos(store)).map((r) => r.name));
}

/**
 * The repository a GitHub `owner/name` maps to: the one linked to it (meta `github.repo`, set by
 * sync), else the one of that name.
 */
export async function getRepoByGithubName(store: Store, fullName: string): Promise<RepoRow | undefined> {
  const wanted = fullName.toLowerCase();
  const linked = await store.db
    .select({ key: meta.key, value: meta.value })
    .from(meta)
    .where(and(like(meta.key, 'repo.%.github.repo')))
    .all();
  for (const row of linked) {
    if (row.value.toLowerCase() !== wanted) continue;
    const id = Number(row.key.split('.')[1]);
    const repo = await getRepoById(store, id);
    if (repo) return repo;
  }
  const all = await listRepos(store);
  return all.find((r) => r.name.toLowerCase() === wanted);
}

/**
 * Registers the repository at `path`, or updates its head (and its name, when `rename` is given).
 * A name another repository holds is refused with one line.
 */
export async function upsertRepo(store: Store, input: { path: string; name: string; head: string | null; rename?: boolean }): Promise<RepoRow> {
  const existing = await getRepoByPath(store, input.path);
  const holder = await getRepoByName(store, input.name);
  const wantsName = !existing || input.rename === true;
  if (wantsName && holder && holder.path !== input.path) {
    throw new GraspError('conflict', `the name "${input.name}" is taken by the repository at ${holder.path}; pick another with --name`);
  }
  if (existing) {
    const name = input.rename ? input.name : existing.name;
    await store.atomic([store.db.update(repos).set({ head: input.head, name }).where(eq(repos.id, existing.id))]);
    return { ...existing, head: input.head, name };
  }
  const [{ top } = { top: 0 }] = await store.db.select({ top: sql<number>`coalesce(max(${repos.id}), 0)` }).from(repos);
  const last = await store.db.select({ value: meta.value }).from(meta).where(eq(meta.key, LAST_ID_KEY)).get();
  const id = Math.max(Number(top), Number(last?.value ?? 0)) + 1;
  await store.atomic([
    store.db.insert(repos).values({ id, name: input.name, path: input.path, head: input.head }),
    store.db.insert(meta).values({ key: LAST_ID_KEY, value: String(id) }).onConflictDoUpdate({ target: meta.key, set: { value: String(id) } }),
  ]);
  return (await getRepoById(store, id))!;
}

export interface RemovedRepo {
  name: string;
  commits: number;
  symbols: number;
}

/**
 * Deletes a repository's history, analysis and pull requests, never its marks: they are what people
 * understood, and stay in the history of each engineer. Its derived mark heads go (rebuilt on read).
 */
export async function removeRepo(store: Store, name: string): Promise<RemovedRepo> {
  const repo = await getRepoByNameOrThrow(store, name);
  const scoped = forRepo(store, repo.id);
  const [c] = await store.db.select({ n: sql<number>`count(*)` }).from(commits).where(eq(commits.repoId, repo.id));
  const [s] = await store.db.select({ n: sql<number>`count(*)` }).from(symbols).where(eq(symbols.repoId, repo.id));
  const tables = [commits, fileChanges, aiLines, warnings, fileAnalyses, symbolChanges, symbols, pullRequests, prCommits, prFiles, prReviewRequests, reviews, reviewComments] as const;
  await scoped.atomic([
    ...tables.map((t) => store.db.delete(t).where(eq(t.repoId, repo.id))),
    store.db.delete(meta).where(like(meta.key, `${repoMetaKey(repo.id, '')}%`)),
    store.db.delete(markHeads),
    store.db.delete(meta).where(inArray(meta.key, ['marks.headsUpTo'])),
    store.db.delete(repos).where(eq(repos.id, repo.id)),
  ]);
  return { name: repo.name, commits: Number(c?.n ?? 0), symbols: Number(s?.n ?? 0) };
}

/** Where the store's repository was last ingested from (null for a placeholder without a path). */
export async function getRepoRoot(store: RepoStore): Promise<string | null> {
  const row = await getRepoById(store, store.repoId);
  return row && row.path !== '' && !row.path.startsWith('github:') ? row.path : null;
}

/**
 * The repository a command works on: `name` when given (unknown: one line listing the known
 * names), else the tracked repository containing `cwd`, else the only one. Several and none
 * chosen: one line asking for --repo. Undefined when the database tracks none yet.
 */
export async function chooseRepository(store: Store, opts: { name?: string; cwd?: string; hint?: string }): Promise<RepoRow | undefined> {
  if (opts.name !== undefined) return getRepoByNameOrThrow(store, opts.name);
  const all = await listRepos(store);
  if (all.length <= 1) return all[0];
  if (opts.cwd !== undefined) {
    const cwd = opts.cwd.replace(/\/+$/, '');
    const inside = all.filter((r) => r.path !== '' && (cwd === r.path || cwd.startsWith(`${r.path.replace(/\/+$/, '')}/`)));
    // The innermost wins (a repository nested in another's work tree).
    inside.sort((a, b) => b.path.length - a.path.length);
    if (inside[0]) return inside[0];
  }
  throw new GraspError('invalid', `this database tracks ${all.length} repositories (${all.map((r) => r.name).join(', ')}): pick one with ${opts.hint ?? '--repo NAME'}`);
}

/** The store bound to the chosen repository; a database with none yet reads as one empty repository. */
export async function chooseRepoStore(store: Store, opts: { name?: string; cwd?: string; hint?: string }): Promise<RepoStore> {
  const row = await chooseRepository(store, opts);
  return forRepo(store, row?.id ?? 1);
}

/** The GitHub repository (`owner/name`) a tracked repository is linked to, if any. */
export async function githubNameOf(store: RepoStore): Promise<string | null> {
  return getRepoMeta(store, 'github.repo');
}

/**
 * The tracked repository GitHub's `owner/name` is about: the one linked to it (or named after it);
 * else, when the database tracks exactly one repository not linked yet, that one (and it is linked);
 * else, with `register` and no repository at all, a placeholder registered under that name (the
 * pull requests of a service that never ingested). Undefined when none fits; a single repository
 * linked to another GitHub repository is a conflict.
 */
export async function resolveGithubRepo(store: Store, fullName: string, opts: { register?: boolean; link?: boolean } = {}): Promise<RepoStore | undefined> {
  const found = await getRepoByGithubName(store, fullName);
  const link = async (row: RepoRow) => {
    const scoped = forRepo(store, row.id);
    if (opts.link !== false && (await githubNameOf(scoped)) === null) await setRepoMeta(scoped, 'github.repo', fullName);
    return scoped;
  };
  if (found) return link(found);
  const all = await listRepos(store);
  if (all.length === 1) {
    const only = forRepo(store, all[0]!.id);
    const linked = await githubNameOf(only);
    if (linked === null) return link(all[0]!);
    throw new GraspError('conflict', `this database tracks GitHub repository ${linked}, not ${fullName}; ingest ${fullName}'s checkout into it (grasp ingest PATH --name ${fullName}) or use another --db`);
  }
  if (all.length === 0 && opts.register) {
    return link(await upsertRepo(store, { path: `github:${fullName}`, name: fullName, head: null }));
  }
  return undefined;
}
