import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/core/tokens.ts';
import {
  addAliases,
  addEngineer,
  getUnlinkedAuthors,
  listEngineers,
  resolveAlias,
} from '../../src/db/repo/engineers.ts';
import { authenticateToken } from '../../src/db/repo/tokens.ts';
import { marks, tokens } from '../../src/db/schema.ts';
import type { Store } from '../../src/db/store.ts';
import { openTempStore, seedCommit, seedSymbol, tempDbPath } from '../helpers/marks-seed.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'grasp.mjs');

describe('engineers repository', () => {
  let store: Store;
  beforeAll(() => {
    store = openTempStore();
  });
  afterAll(() => store.close());

  it('adds an engineer with normalized aliases and resolves them case-insensitively', async () => {
    const e = await addEngineer(store, { handle: 'Ada', name: 'Ada Lovelace', emails: ['Ada@Example.COM'], logins: ['@Ada-L'] });
    expect(e).toMatchObject({ handle: 'ada', name: 'Ada Lovelace', emails: ['ada@example.com'], logins: ['ada-l'] });
    expect((await resolveAlias(store, 'email', 'ADA@example.com'))?.handle).toBe('ada');
    expect((await resolveAlias(store, 'login', 'ada-l'))?.handle).toBe('ada');
    expect(await resolveAlias(store, 'email', 'who@example.com')).toBeUndefined();
  });

  it('refuses duplicates, taken aliases and malformed input', async () => {
    await expect(addEngineer(store, { handle: 'ADA' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(addEngineer(store, { handle: 'bob', emails: ['ada@example.com'] })).rejects.toMatchObject({ code: 'conflict' });
    await expect(addEngineer(store, { handle: 'bad handle' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(addEngineer(store, { handle: 'x', emails: ['a b@c'] })).rejects.toMatchObject({ code: 'invalid' });
    await expect(addEngineer(store, { handle: 'y', name: 'evil\u001b[31m' })).rejects.toMatchObject({ code: 'invalid' });
    // Nothing half-written: bob does not exist after the refused add.
    expect((await listEngineers(store)).map((e) => e.handle)).toEqual(['ada']);
  });

  it('links more aliases; re-linking your own is fine, taking another\'s is not', async () => {
    await addEngineer(store, { handle: 'bob' });
    const bob = await addAliases(store, 'bob', { emails: ['bob@example.com', 'bob@home.example'] });
    expect(bob.emails.sort()).toEqual(['bob@example.com', 'bob@home.example']);
    await expect(addAliases(store, 'bob', { emails: ['bob@example.com'] })).resolves.toMatchObject({ handle: 'bob' });
    await expect(addAliases(store, 'bob', { emails: ['ada@example.com'] })).rejects.toMatchObject({ code: 'conflict' });
    await expect(addAliases(store, 'nobody', { emails: ['n@example.com'] })).rejects.toMatchObject({ code: 'not-found' });
    await expect(addAliases(store, 'bob', {})).rejects.toMatchObject({ code: 'invalid' });
  });

  it('lists commit authors that match no alias, bots left out', async () => {
    await seedCommit(store, { sha: 'a'.repeat(40), email: 'ADA@example.com' });
    await seedCommit(store, { sha: 'b'.repeat(40), email: 'carol@example.com', name: 'Carol Old' });
    await seedCommit(store, { sha: 'c'.repeat(40), email: 'Carol@Example.com', name: 'Carol New' });
    await seedCommit(store, { sha: 'd'.repeat(40), email: 'dan@example.com', name: 'Dan' });
    await seedCommit(store, { sha: 'e'.repeat(40), email: 'bot@example.com', kind: 'bot' });
    const unlinked = await getUnlinkedAuthors(store);
    expect(unlinked.map((u) => [u.email, u.name, u.commits])).toEqual([
      ['carol@example.com', 'Carol New', 2],
      ['dan@example.com', 'Dan', 1],
    ]);
    await addAliases(store, 'bob', { emails: ['dan@example.com'] });
    expect((await getUnlinkedAuthors(store)).map((u) => u.email)).toEqual(['carol@example.com']);
  });
});

describe('grasp engineer / token / mark / marks commands', () => {
  const db = tempDbPath();
  const grasp = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args, '--db', db], { encoding: 'utf8' });

  it('runs the engineer, token and mark workflow with the documented output contract', async () => {
    let r = grasp('engineer', 'add', 'ada', '--name', 'Ada', '--email', 'ada@example.com', '--login', 'ada-l');
    expect(r.status, r.stderr).toBe(0);
    r = grasp('engineer', 'list', '--json');
    expect(JSON.parse(r.stdout)).toMatchObject([{ handle: 'ada', emails: ['ada@example.com'], logins: ['ada-l'] }]);

    r = grasp('token', 'create', 'ada', '--expires', '30');
    expect(r.status, r.stderr).toBe(0);
    const token = r.stdout.trimEnd().split('\n').at(-1)!;
    expect(token).toMatch(/^grasp_[A-Za-z0-9_-]{43}$/);
    r = grasp('token', 'create', '--admin');
    const adminToken = r.stdout.trimEnd().split('\n').at(-1)!;

    const store = openTempStore(db);
    try {
      expect((await authenticateToken(store, token)).ok).toBe(true);
      expect(await authenticateToken(store, adminToken)).toMatchObject({ ok: true, principal: { admin: true } });
      const rows = await store.db.select().from(tokens);
      expect(rows.map((t) => t.hash)).toContain(await hashToken(token));
      await seedSymbol(store, { id: 1, file: 'src/a.ts', name: 'f', hash: 'hf1' });
    } finally {
      store.close();
    }

    r = grasp('token', 'list', '--json');
    expect(JSON.parse(r.stdout).map((t: { engineer: string | null; admin: boolean }) => [t.engineer, t.admin])).toEqual([
      ['ada', false],
      [null, true],
    ]);
    expect(r.stdout).not.toContain(token);
    expect(grasp('token', 'revoke', '1').status).toBe(0);
    expect(grasp('token', 'revoke', 'abc').status).toBe(2);

    r = grasp('mark', 'src/a.ts#f', '--as', 'ada', '--level', 'reviewed', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject([{ engineer: 'ada', symbol: 'f', hash: 'hf1', level: 'reviewed', source: 'cli' }]);
    r = grasp('mark', 'src/a.ts#f', '--as', 'ada', '--level', 'explained');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/requires a note/);
    r = grasp('mark', 'src/a.ts#nope', '--as', 'ada', '--level', 'viewed');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no symbol "nope"/);

    r = grasp('marks', 'ada', '--json');
    expect(JSON.parse(r.stdout)).toMatchObject([{ symbol: 'f', stale: false, level: 'reviewed' }]);
    const check = openTempStore(db);
    try {
      expect(await check.db.select().from(marks)).toHaveLength(1);
    } finally {
      check.close();
    }
  });

  it('prints a clear error for an unknown engineer', () => {
    const r = grasp('token', 'create', 'ghost');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no engineer with handle "ghost"');
    expect(execFileSync(process.execPath, [BIN, 'engineer', 'unlinked', '--db', db], { encoding: 'utf8' })).toContain('linked');
  });
});
