/** /api/tokens: admins issue and revoke engineer tokens over HTTP; nobody else can. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openNodeStore } from '../../src/db/node/open.ts';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { createToken } from '../../src/db/repo/tokens.ts';
import { tokens } from '../../src/db/schema.ts';
import { createApp } from '../../src/http/app.ts';
import type { Store } from '../../src/db/store.ts';
import { tempDir } from '../helpers/git-fixture.ts';

const NOW = Date.parse('2026-11-24T10:00:00Z');
const dir = tempDir();
const file = join(dir, 'g.db');
let store: Store;
let app: ReturnType<typeof createApp>;
let admin = '';
let ada = '';
beforeAll(async () => {
  store = openNodeStore(file);
  app = createApp({ store, now: () => NOW });
  await addEngineer(store, { handle: 'ada', name: 'Ada' }, NOW);
  admin = (await createToken(store, { admin: true, now: NOW })).token;
  ada = (await createToken(store, { handle: 'ada', now: NOW })).token;
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (path: string, token: string | null, body?: unknown) =>
  app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('/api/tokens', () => {
  it('an admin issues a token that then authenticates the engineer, and revokes it', async () => {
    const res = await post('/api/tokens', admin, { engineer: 'ada', expiresInDays: 30 });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: number; token: string; engineer: string; expiresAt: string };
    expect(created.engineer).toBe('ada');
    expect(created.expiresAt).toBe(new Date(NOW + 30 * 86400_000).toISOString());
    const me = await app.request('/api/me', { headers: { authorization: `Bearer ${created.token}` } });
    expect(me.status).toBe(200);
    expect(readFileSync(file).includes(Buffer.from(created.token))).toBe(false);

    expect((await post(`/api/tokens/${created.id}/revoke`, admin)).status).toBe(200);
    const after = await app.request('/api/me', { headers: { authorization: `Bearer ${created.token}` } });
    expect(after.status).toBe(401);
  });

  it('refuses engineers and anonymous callers, and validates the body, writing nothing', async () => {
    const before = (await store.db.select().from(tokens).all()).length;
    expect((await post('/api/tokens', null, { engineer: 'ada' })).status).toBe(401);
    expect((await post('/api/tokens', ada, { engineer: 'ada' })).status).toBe(403);
    expect((await post('/api/tokens', admin, { engineer: 'nobody' })).status).toBe(404);
    const bad = await post('/api/tokens', admin, { engineer: 'ada', expiresInDays: 'soon' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid' } });
    expect((await post('/api/tokens/999/revoke', admin)).status).toBe(404);
    expect((await post('/api/tokens/1/revoke', ada)).status).toBe(403);
    expect((await store.db.select().from(tokens).all()).length).toBe(before);
  });
});
