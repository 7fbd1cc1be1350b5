import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constantTimeEqual, generateToken, hashToken, looksLikeToken, sha256HexWebCrypto } from '../../src/core/tokens.ts';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { authenticateToken, createToken, listTokens, revokeToken } from '../../src/db/repo/tokens.ts';
import { tokens } from '../../src/db/schema.ts';
import type { Store } from '../../src/db/store.ts';
import { openTempStore, tempDbPath } from '../helpers/marks-seed.ts';

describe('token primitives', () => {
  it('generates distinct prefixed base64url tokens of 32 random bytes', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const t = generateToken();
      expect(t).toMatch(/^grasp_[A-Za-z0-9_-]{43}$/);
      expect(looksLikeToken(t)).toBe(true);
      seen.add(t);
    }
    expect(seen.size).toBe(200);
    expect(looksLikeToken('grasp_short')).toBe(false);
    expect(looksLikeToken(`${generateToken()} `)).toBe(false);
  });

  it('hashes with SHA-256, the same on the Node and the Web Crypto (Workers) paths', async () => {
    const t = generateToken();
    const expected = createHash('sha256').update(t).digest('hex');
    expect(await hashToken(t)).toBe(expected);
    expect(await sha256HexWebCrypto(t)).toBe(expected);
    expect(await sha256HexWebCrypto('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('compares in constant time and correctly', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});

describe('token repository', () => {
  let store: Store;
  let dbFile: string;
  beforeAll(async () => {
    dbFile = tempDbPath();
    store = openTempStore(dbFile);
    await addEngineer(store, { handle: 'ada' });
  });
  afterAll(() => store.close());

  it('stores only the hash: the raw token is nowhere in the database file', async () => {
    const created = await createToken(store, { handle: 'ada' });
    const rows = await store.db.select().from(tokens);
    const row = rows.find((r) => r.id === created.id)!;
    expect(row.hash).toBe(await hashToken(created.token));
    expect(JSON.stringify(rows)).not.toContain(created.token);
    // Checkpoint the WAL so the bytes on disk are complete, then look at the raw file.
    const raw = new Database(dbFile);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    expect(readFileSync(dbFile).includes(Buffer.from(created.token))).toBe(false);
    expect(readFileSync(dbFile).includes(Buffer.from(row.hash))).toBe(true);
  });

  it('authenticates an engineer token and an admin token', async () => {
    const eng = await createToken(store, { handle: 'ada' });
    const admin = await createToken(store, { admin: true });
    expect(await authenticateToken(store, eng.token)).toMatchObject({ ok: true, principal: { admin: false, engineer: { handle: 'ada' } } });
    expect(await authenticateToken(store, admin.token)).toMatchObject({ ok: true, principal: { admin: true, engineer: null } });
  });

  it('refuses unknown, malformed, revoked and expired tokens', async () => {
    expect(await authenticateToken(store, generateToken())).toEqual({ ok: false, reason: 'unknown token' });
    expect(await authenticateToken(store, 'Bearer nonsense')).toEqual({ ok: false, reason: 'malformed token' });

    const revoked = await createToken(store, { handle: 'ada' });
    expect((await revokeToken(store, revoked.id)).status).toBe('revoked');
    expect(await authenticateToken(store, revoked.token)).toEqual({ ok: false, reason: 'token revoked' });

    const now = Date.UTC(2030, 0, 1);
    const expiring = await createToken(store, { handle: 'ada', expiresInDays: 1, now });
    expect((await authenticateToken(store, expiring.token, now + 3600_000)).ok).toBe(true);
    expect(await authenticateToken(store, expiring.token, now + 86_400_000)).toEqual({ ok: false, reason: 'token expired' });
    expect((await listTokens(store, now + 86_400_000)).find((t) => t.id === expiring.id)?.status).toBe('expired');
  });

  it('refuses bad creation requests', async () => {
    await expect(createToken(store, { handle: 'nobody' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(createToken(store, {})).rejects.toMatchObject({ code: 'invalid' });
    await expect(createToken(store, { handle: 'ada', admin: true })).rejects.toMatchObject({ code: 'invalid' });
    await expect(createToken(store, { handle: 'ada', expiresInDays: -1 })).rejects.toMatchObject({ code: 'invalid' });
    await expect(revokeToken(store, 9999)).rejects.toMatchObject({ code: 'not-found' });
  });
});
