/**
 * Web sessions: the login cookie holds a session id, never the API token; logout, revoking the
 * token, removing the engineer, expiry and idleness each end it; an engineer lists and ends their
 * own sessions only (issue 17: "logout leaves the cookie valid").
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { createToken, revokeToken } from '../../src/db/repo/tokens.ts';
import { MAX_SESSIONS_PER_ENGINEER } from '../../src/db/repo/web-sessions.ts';
import { engineers, webSessions } from '../../src/db/schema.ts';
import type { Store } from '../../src/db/store.ts';
import { createApp } from '../../src/http/app.ts';
import { openTempStore, tempDbPath } from '../helpers/marks-seed.ts';

const ORIGIN = 'http://grasp.test';
const T0 = Date.UTC(2030, 0, 1);
let clock = T0;
let dbFile: string;
let store: Store;
let app: ReturnType<typeof createApp>;
const tok = { ada: '', bob: '', gone: '' };
let adaTokenId = 0;

beforeAll(async () => {
  dbFile = tempDbPath();
  store = openTempStore(dbFile);
  app = createApp({ store, now: () => clock });
  for (const handle of ['ada', 'bob', 'gone']) await addEngineer(store, { handle });
  const ada = await createToken(store, { handle: 'ada', now: T0 });
  tok.ada = ada.token;
  adaTokenId = ada.id;
  tok.bob = (await createToken(store, { handle: 'bob', now: T0 })).token;
  tok.gone = (await createToken(store, { handle: 'gone', now: T0 })).token;
});
afterAll(() => store?.close());

/** Logs in through the form and returns the Cookie header value it set. */
async function login(token: string): Promise<string> {
  const res = await app.request(`${ORIGIN}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
    body: new URLSearchParams({ token }).toString(),
  });
  expect(res.status).toBe(303);
  const set = res.headers.get('set-cookie') ?? '';
  const m = /grasp_session=([^;]+)/.exec(set);
  expect(m, set).not.toBeNull();
  return `grasp_session=${m![1]}`;
}
const api = (path: string, cookie: string, method = 'GET') => app.request(`${ORIGIN}${path}`, { method, headers: { Cookie: cookie, Origin: ORIGIN } });
const whoAmI = async (cookie: string) => (await api('/api/sessions', cookie)).status;

describe('web sessions', () => {
  it('puts a session id in the cookie, never the token, and stores only its hash', async () => {
    clock = T0;
    const cookie = await login(tok.ada);
    const value = cookie.slice('grasp_session='.length);
    expect(value).not.toContain(tok.ada);
    expect(value).toMatch(/^grasp_session_[A-Za-z0-9_-]{43}$/);
    const rows = await store.db.select().from(webSessions).all();
    expect(rows.map((r) => r.hash)).toContain(createHash('sha256').update(value).digest('hex'));
    store.db.run(sql`pragma wal_checkpoint(FULL)`);
    const bytes = [dbFile, `${dbFile}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');
    expect(bytes.includes(value)).toBe(false);
    const res = await api('/api/sessions', cookie);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { sessions: { id: number; current: boolean }[] };
    expect(body.sessions.filter((s) => s.current)).toHaveLength(1);
  });

  it('logout ends the session: the same cookie replayed is logged out', async () => {
    const cookie = await login(tok.ada);
    expect(await whoAmI(cookie)).toBe(200);
    const out = await app.request(`${ORIGIN}/logout`, { method: 'POST', headers: { Cookie: cookie, Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/grasp_session=;.*Max-Age=0/);
    expect(await whoAmI(cookie)).toBe(401);
    const page = await (await app.request(`${ORIGIN}/`, { headers: { Cookie: cookie } })).text();
    expect(page).toContain('href="/login');
  });

  it('the raw token in the old grasp_token cookie no longer logs anyone in', async () => {
    const res = await app.request(`${ORIGIN}/api/sessions`, { headers: { Cookie: `grasp_token=${tok.ada}` } });
    expect(res.status).toBe(401);
    const asSession = await app.request(`${ORIGIN}/api/sessions`, { headers: { Cookie: `grasp_session=${tok.ada}` } });
    expect(asSession.status).toBe(401);
  });

  it('expires 7 days after login, and after 24 hours unused', async () => {
    clock = T0;
    const week = await login(tok.ada);
    const idle = await login(tok.ada);
    for (let hours = 20; hours < 7 * 24; hours += 20) {
      clock = T0 + hours * 3_600_000;
      expect(await whoAmI(week), `after ${hours} h`).toBe(200); // used every 20 hours: never idle
    }
    expect(await whoAmI(idle)).toBe(401); // unused for days
    clock = T0 + 7 * 86_400_000;
    expect(await whoAmI(week)).toBe(401);
    clock = T0;
  });

  it('lists and ends only the engineer\'s own sessions', async () => {
    clock = T0;
    const a1 = await login(tok.ada);
    const a2 = await login(tok.ada);
    const b1 = await login(tok.bob);
    const mine = ((await (await api('/api/sessions', a1)).json()) as { sessions: { id: number; current: boolean }[] }).sessions;
    const bobs = ((await (await api('/api/sessions', b1)).json()) as { sessions: { id: number }[] }).sessions;
    expect(bobs).toHaveLength(1);
    expect(mine.map((s) => s.id)).not.toContain(bobs[0]!.id);
    // Ada cannot end Bob's session: it is not hers (404), and Bob stays logged in.
    expect((await api(`/api/sessions/${bobs[0]!.id}`, a1, 'DELETE')).status).toBe(404);
    expect(await whoAmI(b1)).toBe(200);
    const other = mine.find((s) => !s.current)!;
    expect((await api(`/api/sessions/${other.id}`, a1, 'DELETE')).status).toBe(200);
    expect(await whoAmI(a1)).toBe(200);
    // Log out everywhere.
    const all = await api('/api/sessions', a1, 'DELETE');
    expect(all.status).toBe(200);
    expect(await whoAmI(a1)).toBe(401);
    expect(await whoAmI(a2)).toBe(401);
    expect(await whoAmI(b1)).toBe(200);
    expect((await api('/api/sessions/abc', b1, 'DELETE')).status).toBe(400);
  });

  it('ends when the token it was opened with is revoked, or its engineer removed', async () => {
    clock = T0;
    const ada = await login(tok.ada);
    const gone = await login(tok.gone);
    expect(await whoAmI(ada)).toBe(200);
    await revokeToken(store, adaTokenId, clock);
    expect(await whoAmI(ada)).toBe(401);
    await store.db.delete(engineers).where(eq(engineers.handle, 'gone'));
    expect(await whoAmI(gone)).toBe(401);
  });

  it(`keeps at most ${MAX_SESSIONS_PER_ENGINEER} live sessions per engineer: the oldest end first`, async () => {
    clock = T0;
    const first = await login(tok.bob);
    for (let i = 0; i < MAX_SESSIONS_PER_ENGINEER; i++) await login(tok.bob);
    expect(await whoAmI(first)).toBe(401);
    const bob = (await store.db.select({ id: engineers.id }).from(engineers).where(eq(engineers.handle, 'bob')))[0]!.id;
    const rows = await store.db.select().from(webSessions).where(eq(webSessions.engineerId, bob)).all();
    expect(rows.filter((r) => r.revokedAt === null)).toHaveLength(MAX_SESSIONS_PER_ENGINEER);
    expect(rows.length).toBeLessThanOrEqual(MAX_SESSIONS_PER_ENGINEER + 1);
  });
});
