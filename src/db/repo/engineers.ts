/**
 * Engineers and their aliases (git emails, GitHub logins), and the commit authors that match
 * no alias ("unlinked" identities, listed so someone links them).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { GraspError } from '../../core/errors.ts';
import { commits, engineerAliases, engineers } from '../schema.ts';
import { chunk, type Store } from '../store.ts';
import { preparedFor } from './prepared.ts';

export type AliasKind = 'email' | 'login';

export interface Engineer {
  id: number;
  handle: string;
  name: string;
  createdAt: number;
}

export interface EngineerWithAliases extends Engineer {
  emails: string[];
  logins: string[];
}

export interface UnlinkedAuthor {
  email: string;
  /** Author name on the most recent commit with this email. */
  name: string;
  commits: number;
  lastCommitAt: number;
}

/** Lower-case handle: letters, digits, '.', '_' and '-', starting with a letter or digit. */
export const handleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'handle must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');

/** Git emails are not always valid RFC addresses (user@localhost, "noreply"), so only refuse the unusable. */
export const emailAliasSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(254)
  .regex(/^[^\s<>\u0000-\u001f\u007f]+$/, 'email must not contain spaces, "<", ">" or control characters');

export const loginAliasSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38})(?:\[bot\])?$/, 'login must be a GitHub login (letters, digits, "-")');

export const displayNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'name must not contain control characters');

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new GraspError('invalid', `${what}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

export function normalizeHandle(handle: string): string {
  return parseOrThrow(handleSchema, handle, `invalid handle "${handle}"`);
}

const engineerByHandle = preparedFor((store) =>
  store.db.select().from(engineers).where(eq(engineers.handle, sql.placeholder('handle'))).limit(1).prepare(),
);

export async function findEngineer(store: Store, handle: string): Promise<Engineer | undefined> {
  const rows = await engineerByHandle(store).all({ handle: handle.trim().toLowerCase() });
  return rows[0];
}

/** The engineer with this handle; GraspError 'not-found' otherwise. */
export async function getEngineer(store: Store, handle: string): Promise<Engineer> {
  const found = await findEngineer(store, handle);
  if (!found) throw new GraspError('not-found', `no engineer with handle "${handle}"`);
  return found;
}

export async function listEngineers(store: Store): Promise<EngineerWithAliases[]> {
  const [rows, aliases] = await Promise.all([
    store.db.select().from(engineers).orderBy(engineers.handle),
    store.db.select().from(engineerAliases).orderBy(engineerAliases.value),
  ]);
  return rows.map((e) => withAliases(e, aliases));
}

export async function getEngineerWithAliases(store: Store, handle: string): Promise<EngineerWithAliases> {
  const e = await getEngineer(store, handle);
  const aliases = await store.db.select().from(engineerAliases).where(eq(engineerAliases.engineerId, e.id));
  return withAliases(e, aliases);
}

function withAliases(e: Engineer, aliases: { kind: AliasKind; value: string; engineerId: number }[]): EngineerWithAliases {
  const own = aliases.filter((a) => a.engineerId === e.id);
  return {
    ...e,
    emails: own.filter((a) => a.kind === 'email').map((a) => a.value),
    logins: own.filter((a) => a.kind === 'login').map((a) => a.value),
  };
}

export interface NewEngineer {
  handle: string;
  name?: string;
  emails?: readonly string[];
  logins?: readonly string[];
}

/** Adds an engineer with aliases, atomically. 'conflict' if the handle or an alias is taken. */
export async function addEngineer(store: Store, input: NewEngineer, now = Date.now()): Promise<EngineerWithAliases> {
  const handle = normalizeHandle(input.handle);
  const name = input.name === undefined ? handle : parseOrThrow(displayNameSchema, input.name, 'invalid name');
  if (await findEngineer(store, handle)) throw new GraspError('conflict', `engineer "${handle}" already exists`);
  const aliases = normalizeAliases(input);
  await assertAliasesFree(store, aliases, null);
  // The id is chosen here so the engineer row and its aliases go in one atomic batch (D1 has no returning-in-batch chaining).
  const [{ next } = { next: 1 }] = await store.db
    .select({ next: sql<number>`coalesce(max(${engineers.id}), 0) + 1` })
    .from(engineers);
  const id = Number(next);
  try {
    await store.atomic([
      store.db.insert(engineers).values({ id, handle, name, createdAt: Math.floor(now / 1000) }),
      ...aliases.map((a) => store.db.insert(engineerAliases).values({ ...a, engineerId: id })),
    ]);
  } catch (err) {
    // Another writer got there between our checks and the insert.
    if (String(err).includes('UNIQUE constraint failed')) {
      throw new GraspError('conflict', `engineer "${handle}" or one of its aliases was just added by someone else; retry`, { cause: err });
    }
    throw err;
  }
  return getEngineerWithAliases(store, handle);
}

/** Links more emails / logins to an engineer. Aliases already theirs are kept; another's are a conflict. */
export async function addAliases(
  store: Store,
  handle: string,
  input: { emails?: readonly string[]; logins?: readonly string[] },
): Promise<EngineerWithAliases> {
  const e = await getEngineer(store, handle);
  const aliases = normalizeAliases(input);
  if (aliases.length === 0) throw new GraspError('invalid', 'give at least one email or login to link');
  await assertAliasesFree(store, aliases, e.id);
  await store.atomic(
    aliases.map((a) => store.db.insert(engineerAliases).values({ ...a, engineerId: e.id }).onConflictDoNothing()),
  );
  return getEngineerWithAliases(store, e.handle);
}

function normalizeAliases(input: { emails?: readonly string[]; logins?: readonly string[] }): { kind: AliasKind; value: string }[] {
  const out = new Map<string, { kind: AliasKind; value: string }>();
  for (const email of input.emails ?? []) {
    const value = parseOrThrow(emailAliasSchema, email, `invalid email "${email}"`);
    out.set(`email:${value}`, { kind: 'email', value });
  }
  for (const login of input.logins ?? []) {
    const value = parseOrThrow(loginAliasSchema, login.replace(/^@/, ''), `invalid login "${login}"`);
    out.set(`login:${value}`, { kind: 'login', value });
  }
  return [...out.values()];
}

async function assertAliasesFree(store: Store, aliases: { kind: AliasKind; value: string }[], ownerId: number | null): Promise<void> {
  for (const kind of ['email', 'login'] as const) {
    const values = aliases.filter((a) => a.kind === kind).map((a) => a.value);
    for (const part of chunk(values, store.maxParams - 1)) {
      const taken = await store.db
        .select({ value: engineerAliases.value, handle: engineers.handle, engineerId: engineerAliases.engineerId })
        .from(engineerAliases)
        .innerJoin(engineers, eq(engineers.id, engineerAliases.engineerId))
        .where(and(eq(engineerAliases.kind, kind), inArray(engineerAliases.value, part)));
      const other = taken.find((t) => t.engineerId !== ownerId);
      if (other) throw new GraspError('conflict', `${kind} "${other.value}" already belongs to "${other.handle}"`);
    }
  }
}

/** The engineer an email or login resolves to, if any (case-insensitive). */
export async function resolveAlias(store: Store, kind: AliasKind, value: string): Promise<Engineer | undefined> {
  const rows = await store.db
    .select({ id: engineers.id, handle: engineers.handle, name: engineers.name, createdAt: engineers.createdAt })
    .from(engineerAliases)
    .innerJoin(engineers, eq(engineers.id, engineerAliases.engineerId))
    .where(and(eq(engineerAliases.kind, kind), eq(engineerAliases.value, value.trim().toLowerCase())))
    .limit(1);
  return rows[0];
}

/**
 * Commit author emails that match no engineer's email alias, with their commit counts, most
 * commits first. Bot commits are left out: bots are not engineers to link.
 */
export async function getUnlinkedAuthors(store: Store): Promise<UnlinkedAuthor[]> {
  const email = sql<string>`lower(${commits.authorEmail})`;
  const rows = await store.db
    .select({
      email,
      // SQLite takes bare columns from the row that holds max(): the latest commit's author name.
      lastCommitAt: sql<number>`max(${commits.authorDate})`,
      name: commits.authorName,
      commits: sql<number>`count(*)`,
    })
    .from(commits)
    .where(
      and(
        sql`${commits.kind} <> 'bot'`,
        sql`${email} not in (select ${engineerAliases.value} from ${engineerAliases} where ${engineerAliases.kind} = 'email')`,
      ),
    )
    .groupBy(email)
    .orderBy(sql`count(*) desc`, email);
  return rows.map((r) => ({ email: r.email, name: r.name, commits: Number(r.commits), lastCommitAt: Number(r.lastCommitAt) }));
}
