/**
 * The repositories a database tracks (`repos`): registered and updated by `grasp ingest`, listed
 * by `grasp repos`. Until history rows carry their repository, a database holds one repository
 * (ingest refuses a second path); the names and this listing are already what many will use.
 */
import { asc, eq, sql } from 'drizzle-orm';
import { GraspError } from '../../core/errors.ts';
import { commits, repos } from '../schema.ts';
import type { Store } from '../store.ts';

export type RepoRow = typeof repos.$inferSelect;

export interface RepoListing {
  name: string;
  path: string;
  commits: number;
  head: string | null;
}

export async function listRepos(store: Store): Promise<RepoRow[]> {
  return store.db.select().from(repos).orderBy(asc(repos.name));
}

/** Every repository with its commit count, by name. */
export async function listRepoListings(store: Store): Promise<RepoListing[]> {
  const rows = await listRepos(store);
  if (rows.length === 0) return [];
  const [count] = await store.db.select({ n: sql<number>`count(*)` }).from(commits);
  // One repository per database for now: every commit is its.
  return rows.map((r) => ({ name: r.name, path: r.path, commits: rows.length === 1 ? Number(count?.n ?? 0) : 0, head: r.head }));
}

export async function getRepoByPath(store: Store, path: string): Promise<RepoRow | undefined> {
  const [row] = await store.db.select().from(repos).where(eq(repos.path, path)).limit(1);
  return row;
}

/**
 * Registers the repository at `path`, or updates its head (and its name, when `rename` is given).
 * A name another repository holds is refused with one line.
 */
export async function upsertRepo(store: Store, input: { path: string; name: string; head: string | null; rename?: boolean }): Promise<RepoRow> {
  const existing = await getRepoByPath(store, input.path);
  const [holder] = await store.db.select().from(repos).where(eq(repos.name, input.name)).limit(1);
  const wantsName = !existing || input.rename === true;
  if (wantsName && holder && holder.path !== input.path) {
    throw new GraspError('conflict', `the name "${input.name}" is taken by the repository at ${holder.path}; pick another with --name`);
  }
  if (existing) {
    const name = input.rename ? input.name : existing.name;
    await store.atomic([store.db.update(repos).set({ head: input.head, name }).where(eq(repos.id, existing.id))]);
    return { ...existing, head: input.head, name };
  }
  const [{ next } = { next: 1 }] = await store.db.select({ next: sql<number>`coalesce(max(${repos.id}), 0) + 1` }).from(repos);
  const row = { id: Number(next), name: input.name, path: input.path, head: input.head };
  await store.atomic([store.db.insert(repos).values(row)]);
  const [stored] = await store.db.select().from(repos).where(eq(repos.id, row.id));
  return stored!;
}
