/**
 * The D1 store against a real D1 database in local workerd, beside better-sqlite3: the same
 * schema from the same migrations, D1's 100-parameter limit, and atomic() all-or-nothing.
 */
import { count, eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { GraspError } from '../../src/core/errors.ts';
import { meta, symbolTexts, warnings } from '../../src/db/schema.ts';
import { DRIVERS, migrationStatements, openTestStore, type TestStore } from '../helpers/d1.ts';

let open: TestStore[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.dispose()));
  open = [];
});
async function storeFor(driver: (typeof DRIVERS)[number]): Promise<TestStore> {
  const s = await openTestStore(driver);
  open.push(s);
  return s;
}

async function schemaOf(store: TestStore) {
  const rows = await store.db.all<{ type: string; name: string; sql: string | null }>(
    sql`select type, name, sql from sqlite_master where name not like 'sqlite_%' and name not like '\_\_drizzle%' escape '\\' and name not like '\_cf\_%' escape '\\' and name <> 'd1_migrations' order by name`,
  );
  return rows.map((r) => ({ ...r, sql: r.sql?.replace(/\s+/g, ' ') ?? null }));
}

describe('D1 schema', () => {
  it('applies the same migrations as better-sqlite3: identical tables and indexes', async () => {
    const [node, d1] = await Promise.all([storeFor('better-sqlite3'), storeFor('d1')]);
    const [a, b] = await Promise.all([schemaOf(node), schemaOf(d1)]);
    expect(a.length).toBeGreaterThan(20);
    expect(b).toEqual(a);
    // Every object was made by the migrations: a CREATE, or a rebuilt table's RENAME TO (0004).
    // FTS5 adds its own shadow tables (explanations_fts_data, ...).
    const made = new Set(
      migrationStatements().flatMap((st) => [
        ...[...st.matchAll(/CREATE\s+(?:UNIQUE\s+|VIRTUAL\s+)?(?:TABLE|INDEX|TRIGGER)\s+[`"]?(\w+)/gi)].map((m) => m[1]!),
        ...[...st.matchAll(/RENAME TO\s+[`"]?(\w+)/gi)].map((m) => m[1]!),
      ]),
    );
    expect(a.filter((o) => !/_fts_(data|idx|content|docsize|config)$/.test(o.name)).filter((o) => !made.has(o.name))).toEqual([]);
    expect(a.map((o) => o.name)).toContain('explanations_fts');
  });
});

describe.each(DRIVERS)('store seam on %s', (driver) => {
  it('reports its driver and parameter budget', async () => {
    const store = await storeFor(driver);
    expect(store.driver).toBe(driver);
    expect(store.maxParams).toBe(driver === 'd1' ? 100 : 30000);
  });

  it('insertIgnore writes many rows within the parameter budget and ignores repeats', async () => {
    const store = await storeFor(driver);
    const rows = Array.from({ length: 730 }, (_, i) => ({ repoId: 1, sha: `s${i % 7}`, path: `p${i}`, code: 'c', message: `m${i}`, createdAt: i }));
    await store.atomic(store.insertIgnore(warnings, rows));
    await store.atomic(store.insertIgnore(warnings, rows.slice(0, 100)));
    const [n] = await store.db.select({ n: count() }).from(warnings);
    expect(n!.n).toBe(730);
    const [last] = await store.db.select().from(warnings).where(eq(warnings.path, 'p729'));
    expect(last).toMatchObject({ sha: 's1', message: 'm729', createdAt: 729 });
  });

  it('atomic() is all-or-nothing: a failing statement leaves nothing of the batch', async () => {
    const store = await storeFor(driver);
    await store.atomic([store.db.insert(meta).values({ key: 'kept', value: '1' })]);
    await expect(
      store.atomic([
        store.db.insert(meta).values({ key: 'a', value: '1' }),
        store.db.update(meta).set({ value: '2' }).where(eq(meta.key, 'kept')),
        store.db.insert(meta).values({ key: 'a', value: 'duplicate key' }),
      ]),
    ).rejects.toThrow(/UNIQUE/);
    const rows = await store.db.select().from(meta).orderBy(meta.key);
    expect(rows).toEqual([{ key: 'kept', value: '1' }]);
  });

  it('round-trips large text and unicode unchanged', async () => {
    const store = await storeFor(driver);
    const text = `${'é∑😀\u0000x'.repeat(40_000)}end`;
    await store.atomic(store.insertIgnore(symbolTexts, [{ hash: 'h1', text }]));
    const [row] = await store.db.select().from(symbolTexts).where(eq(symbolTexts.hash, 'h1'));
    expect(row!.text).toBe(text);
  });
});

describe('D1 limits are real in the harness', () => {
  it('refuses a statement with more than 100 bound parameters, as D1 does', async () => {
    const store = await storeFor('d1');
    const values = Array.from({ length: 101 }, (_, i) => sql`(${`k${i}`}, 'v')`);
    const err = (await Promise.resolve(store.db.run(sql`insert into meta (key, value) values ${sql.join(values, sql`, `)}`)).catch((e: unknown) => e)) as Error;
    expect(`${err.message} ${(err.cause as Error | undefined)?.message}`).toMatch(/too many SQL variables/);
    const fits = values.slice(0, 50);
    await store.db.run(sql`insert into meta (key, value) values ${sql.join(fits, sql`, `)}`);
    const [n] = await store.db.select({ n: count() }).from(meta);
    expect(n!.n).toBe(50);
  });

  it('refuses hand-made queries in atomic() with a clear error (a D1 batch needs drizzle builders)', async () => {
    const store = await storeFor('d1');
    const err = await store.atomic([{ run() {} }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraspError);
    expect((err as GraspError).code).toBe('invalid');
  });
});
