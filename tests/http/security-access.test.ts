/**
 * Access control matrix: every write endpoint of the app (every non-GET route in `app.routes`, so a
 * new endpoint is covered without editing this file) is tried with no token, a malformed token, an
 * unknown token, expired and revoked tokens, a token whose engineer is gone, another engineer's
 * token, an engineer token on admin-only actions and an admin token on engineer-only ones, over
 * both the bearer header and the login cookie. Every attempt is refused (401/403, or the login
 * redirect for page forms) and no row of any table is added, removed or changed. Then the right credential succeeds
 * (so the refusals are about the credential, not the request). Tokens are stored as SHA-256
 * only, looked up by hash and compared with `constantTimeEqual`.
 */
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tokenCore from '../../src/core/tokens.ts';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { authenticateToken, createToken, revokeToken } from '../../src/db/repo/tokens.ts';
import { engineers, tokens } from '../../src/db/schema.ts';
import type { Store } from '../../src/db/store.ts';
import { signWebhookBody } from '../../src/github/webhook-signature.ts';
import { createApp } from '../../src/http/app.ts';
import { FuzzCounter } from '../helpers/fuzz-count.ts';
import { sessionCookie } from '../helpers/login.ts';
import { openTempStore, seedSymbol, tempDbPath, seedCommit } from '../helpers/marks-seed.ts';

// Wraps the real comparison so the test can see that authentication goes through it.
vi.mock('../../src/core/tokens.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/tokens.ts')>();
  return { ...real, constantTimeEqual: vi.fn(real.constantTimeEqual) };
});

const NOW = Date.UTC(2030, 5, 1);
const ORIGIN = 'http://grasp.test';
const SECRET = 'access-secret';
const counter = new FuzzCounter('security-access');
let dbFile: string;
let store: Store;
let app: ReturnType<typeof createApp>;
const t = { ada: '', bob: '', admin: '', adaExpired: '', adaRevoked: '', adminExpired: '', adminRevoked: '', gone: '', spare: '' };
/** Path parameters of the write routes: a real engineer, and a token that may be revoked. */
const params: Record<string, string> = { handle: 'bob', id: '0' };
/**
 * The login cookie of each engineer token: a web session opened while the token was still good
 * (so it dies with the token's expiry or revocation, or with its engineer). Admin tokens cannot
 * log in: their cookie attempt carries the raw token, which is no session.
 */
const cookieOf = new Map<string, string>();
/** Raw tokens handed out by POST /api/tokens during the test (they must not be stored either). */
const issuedOverHttp: string[] = [];

beforeAll(async () => {
  dbFile = tempDbPath();
  store = openTempStore(dbFile);
  app = createApp({ store, webhookSecret: SECRET, now: () => NOW });
  await seedSymbol(store, { id: 1, file: 'src/a.ts', name: 'f1', hash: 'h1', text: 'function f1() {}' });
  // A range for POST /api/gate (read-only, admin).
  await seedCommit(store, { sha: 'a'.repeat(40) });
  await seedCommit(store, { sha: 'b'.repeat(40), parents: ['a'.repeat(40)] });
  for (const handle of ['ada', 'bob', 'gone']) await addEngineer(store, { handle });
  t.ada = (await createToken(store, { handle: 'ada', now: NOW })).token;
  t.bob = (await createToken(store, { handle: 'bob', now: NOW })).token;
  const login = async (token: string, at = NOW) => cookieOf.set(token, await sessionCookie(store, token, at));
  t.admin = (await createToken(store, { admin: true, now: NOW })).token;
  t.adaExpired = (await createToken(store, { handle: 'ada', expiresInDays: 1, now: NOW - 2 * 86_400_000 })).token;
  await login(t.adaExpired, NOW - 2 * 86_400_000);
  t.adminExpired = (await createToken(store, { admin: true, expiresInDays: 1, now: NOW - 2 * 86_400_000 })).token;
  const r1 = await createToken(store, { handle: 'ada', now: NOW });
  await login(r1.token);
  await revokeToken(store, r1.id, NOW);
  t.adaRevoked = r1.token;
  const r2 = await createToken(store, { admin: true, now: NOW });
  await revokeToken(store, r2.id, NOW);
  t.adminRevoked = r2.token;
  t.gone = (await createToken(store, { handle: 'gone', now: NOW })).token;
  await login(t.gone);
  for (const token of [t.ada, t.bob]) await login(token);
  const spare = await createToken(store, { handle: 'bob', now: NOW });
  t.spare = spare.token;
  params.id = String(spare.id);
  await store.db.delete(engineers).where(eq(engineers.handle, 'gone'));
});
afterAll(() => {
  counter.save();
  store?.close();
});

/**
 * Row count and a digest of the content of every table: the "nothing written" check (counts alone
 * would miss an update, such as a revocation).
 */
async function allRowCounts(): Promise<Record<string, string>> {
  const names = await store.db.all<{ name: string }>(sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'explanations_fts_%'`);
  const out: Record<string, string> = {};
  for (const { name } of names) {
    const rows = await store.db.all<Record<string, unknown>>(sql.raw(`select * from "${name}" order by rowid`));
    out[name] = `${rows.length} rows, ${createHash('sha1').update(JSON.stringify(rows)).digest('hex')}`;
  }
  return out;
}

/** 'engineer-self': an engineer acting on their own things only (no body names another engineer). */
type Policy = 'engineer' | 'engineer-self' | 'engineer-form' | 'admin' | 'webhook' | 'login-form' | 'logout';
/** How each write endpoint authenticates. A route not listed here is held to the strictest rule (admin). */
const POLICY: Record<string, Policy> = {
  'POST /api/marks': 'engineer',
  'DELETE /api/sessions': 'engineer-self',
  'DELETE /api/sessions/:id': 'engineer-self',
  'POST /api/engineers': 'admin',
  'POST /api/engineers/:handle/aliases': 'admin',
  'POST /api/import': 'admin',
  'POST /api/gate': 'admin',
  'PUT /api/gate/check-run': 'admin',
  'POST /api/import/engineers': 'admin',
  'POST /api/tokens': 'admin',
  'POST /api/tokens/:id/revoke': 'admin',
  'POST /webhooks/github': 'webhook',
  'POST /marks': 'engineer-form',
  'POST /login': 'login-form',
  'POST /logout': 'logout',
};

/** A valid request body per route, so that only the credential can be the reason for a refusal. */
function validBody(route: string, n: number): { body: string; type: string } {
  const json = (v: unknown) => ({ body: JSON.stringify(v), type: 'application/json' });
  switch (route) {
    case 'POST /api/marks':
      return json({ target: 'src/a.ts#f1', level: 'reviewed' });
    case 'POST /api/engineers':
      return json({ handle: `new${n}` });
    case 'POST /api/engineers/:handle/aliases':
      return json({ emails: [`b${n}@example.com`] });
    case 'POST /api/import':
      return json({ version: 2, generation: 'gen-access-1', origin: null, repo: 'acme/shop', parts: [] });
    case 'POST /api/import/engineers':
      return json({ engineers: [{ handle: `imp${n}`, name: 'Imp', emails: [], logins: [] }] });
    case 'POST /api/gate':
      return json({ base: 'a'.repeat(40), head: 'b'.repeat(40) });
    case 'PUT /api/gate/check-run':
      return json({ number: 1, base: 'a'.repeat(40), head: 'b'.repeat(40), checkRunId: 'CR_1', repository: 'acme/shop', repositoryId: 'R_1', policy: {} });
    case 'POST /api/tokens':
      return json({ engineer: 'bob', expiresInDays: 30 });
    case 'POST /marks':
      return { body: 'target=src%2Fa.ts%23f1&level=viewed', type: 'application/x-www-form-urlencoded' };
    case 'POST /webhooks/github':
      return json({ action: 'opened', number: 1 });
    default:
      return json({});
  }
}

const writeRoutes = () => {
  const seen = new Set<string>();
  for (const r of app.routes) {
    if (r.method === 'GET' || r.method === 'HEAD' || (r.method === 'ALL' && r.path === '/*')) continue; // '/*' is the body-limit middleware
    seen.add(`${r.method} ${r.path}`);
  }
  return [...seen].sort();
};

interface Attempt {
  label: string;
  token?: string;
  via: 'bearer' | 'cookie';
  /** An engineer-scoped body naming someone else. */
  asOther?: boolean;
}

function attemptsFor(policy: Policy): Attempt[] {
  const bad: Attempt[] = [];
  for (const via of ['bearer', 'cookie'] as const) {
    bad.push(
      { label: 'no token', via },
      { label: 'malformed token', token: 'grasp_short', via },
      { label: 'unknown token', token: tokenCore.generateToken(), via },
      { label: 'engineer token, expired', token: t.adaExpired, via },
      { label: 'engineer token, revoked', token: t.adaRevoked, via },
      { label: 'admin token, expired', token: t.adminExpired, via },
      { label: 'admin token, revoked', token: t.adminRevoked, via },
      { label: 'token of a removed engineer', token: t.gone, via },
    );
    if (policy === 'admin' || policy === 'webhook') bad.push({ label: 'engineer token on an admin action', token: t.ada, via });
    if (policy === 'engineer' || policy === 'engineer-self' || policy === 'engineer-form') bad.push({ label: 'admin token on an engineer action', token: t.admin, via });
    if (policy === 'engineer') bad.push({ label: "another engineer's token", token: t.bob, via, asOther: true });
  }
  return bad;
}

async function request(route: string, a: Attempt, n: number): Promise<Response> {
  const [method, path] = route.split(' ') as [string, string];
  let { body, type } = validBody(route, n);
  if (a.asOther) body = JSON.stringify({ ...JSON.parse(body), engineer: 'ada' });
  if (route === 'POST /login') body = new URLSearchParams({ token: a.token ?? '' }).toString();
  const headers: Record<string, string> = { 'Content-Type': route === 'POST /login' ? 'application/x-www-form-urlencoded' : type, Origin: ORIGIN };
  if (a.token && route !== 'POST /login') {
    if (a.via === 'bearer') headers.Authorization = `Bearer ${a.token}`;
    else headers.Cookie = cookieOf.get(a.token) ?? `grasp_session=${a.token}`;
  }
  return app.request(`${ORIGIN}${path.replace(/:(\w+)/g, (_, name: string) => params[name] ?? '1')}`, { method, headers, body });
}

function expectRefused(policy: Policy, res: Response, what: string) {
  if (policy === 'engineer-form' && res.status === 303) {
    expect(res.headers.get('location'), what).toMatch(/^\/login/); // logged-out writers are sent to the login page
    return;
  }
  if (policy === 'login-form') expect(res.headers.get('set-cookie'), what).toBeNull();
  expect([401, 403], `${what}: ${res.status}`).toContain(res.status);
}

describe('access control on every write endpoint', () => {
  it('finds the write endpoints, including /api/marks', () => {
    const routes = writeRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(9);
    expect(routes).toContain('POST /api/marks');
    expect(routes).toContain('POST /api/engineers');
    const unlisted = routes.filter((r) => !(r in POLICY));
    if (unlisted.length) console.warn(`[security-access] held to the admin rule (not in POLICY): ${unlisted.join(', ')}`);
  });

  it('refuses every wrong credential on every write endpoint and writes nothing', async () => {
    let n = 0;
    const refusedPerRoute: Record<string, number> = {};
    for (const route of writeRoutes()) {
      const policy = POLICY[route] ?? 'admin';
      if (policy === 'logout') continue; // writes nothing with any credential; checked below
      for (const a of attemptsFor(policy)) {
        if (policy === 'login-form' && (a.via === 'cookie' || !a.token)) continue; // the form carries the token itself
        const before = await allRowCounts();
        const res = await request(route, a, ++n);
        const what = `${route} with ${a.label} (${a.via})`;
        expectRefused(policy, res, what);
        expect(await allRowCounts(), what).toEqual(before);
        counter.tried(route);
        refusedPerRoute[route] = (refusedPerRoute[route] ?? 0) + 1;
      }
    }
    console.log(`[security-access] refused attempts per route: ${JSON.stringify(refusedPerRoute)}`);
  });

  it('lets the right credential through on the same requests (the refusals were about the credential)', async () => {
    const right: Record<Policy, Attempt | null> = {
      engineer: { label: 'own token', token: t.ada, via: 'bearer' },
      'engineer-self': null, // ending one's own sessions: tests/http/web-sessions.test.ts
      'engineer-form': { label: 'own cookie', token: t.ada, via: 'cookie' },
      admin: { label: 'admin token', token: t.admin, via: 'bearer' },
      'login-form': { label: 'own token', token: t.ada, via: 'bearer' },
      webhook: null,
      logout: null,
    };
    for (const route of writeRoutes()) {
      const policy = POLICY[route] ?? 'admin';
      const a = right[policy];
      if (!a) continue;
      const before = await allRowCounts();
      const res = await request(route, a, 1000);
      expect(res.status, `${route}: ${await res.clone().text()}`).toBeLessThan(400);
      if (route === 'POST /api/tokens') issuedOverHttp.push(((await res.clone().json()) as { token: string }).token);
      // POST /api/gate only reads (a POST for its policy body): it must change nothing.
      if (route === 'POST /api/gate') expect(await allRowCounts(), route).toEqual(before);
      else if (policy !== 'login-form') expect(await allRowCounts(), route).not.toEqual(before);
      else expect(res.headers.get('set-cookie')).toMatch(/grasp_session=grasp_session_/);
    }
    // Webhooks authenticate by signature: a signed body goes through, a token alone does not.
    const body = JSON.stringify({ zen: 'ok' });
    const signed = await app.request(`${ORIGIN}/webhooks/github`, {
      method: 'POST',
      headers: { 'X-Hub-Signature-256': await signWebhookBody(SECRET, body), 'X-GitHub-Event': 'ping', 'X-GitHub-Delivery': 'access-1' },
      body,
    });
    expect(signed.status).toBe(200);
  });

  it('logout ends only the caller\'s own session, and writes nothing without one', async () => {
    for (const token of [undefined, t.admin]) {
      const before = await allRowCounts();
      const res = await request('POST /logout', { label: 'logout', token, via: 'cookie' }, 0);
      expect(res.status).toBe(303);
      expect(await allRowCounts()).toEqual(before);
      counter.tried('POST /logout');
    }
    const before = await allRowCounts();
    const res = await request('POST /logout', { label: 'logout', token: t.ada, via: 'cookie' }, 0);
    expect(res.status).toBe(303);
    const after = await allRowCounts();
    const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
    expect(changed).toEqual(['web_sessions']);
    // The ended session no longer writes.
    const again = await request('POST /api/marks', { label: 'ended session', token: t.ada, via: 'cookie' }, 0);
    expect(again.status).toBe(401);
  });
});

describe('token storage and comparison', () => {
  it('stores only the SHA-256 of each token: the raw token never reaches the database file', async () => {
    const rows = await store.db.select({ hash: tokens.hash }).from(tokens);
    const raw = [...Object.values(t), ...issuedOverHttp];
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    for (const r of rows) expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows.map((r) => r.hash)).toEqual(expect.arrayContaining(raw.map(sha)));
    store.db.run(sql`pragma wal_checkpoint(FULL)`);
    const bytes = [dbFile, `${dbFile}-wal`, `${dbFile}-shm`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');
    expect(bytes).toContain(sha(t.ada)); // the search can find what is there
    for (const token of raw) {
      expect(bytes.includes(token)).toBe(false);
      expect(bytes.includes(token.slice('grasp_'.length))).toBe(false);
    }
  });

  it('looks a token up by its hash: a row holding the raw text instead does not authenticate', async () => {
    const raw = tokenCore.generateToken();
    await store.db.insert(tokens).values({ hash: raw, engineerId: 1, admin: false, createdAt: 0 });
    expect(await authenticateToken(store, raw, NOW)).toEqual({ ok: false, reason: 'unknown token' });
    await store.db.update(tokens).set({ hash: await tokenCore.hashToken(raw) }).where(eq(tokens.hash, raw));
    expect(await authenticateToken(store, raw, NOW)).toMatchObject({ ok: true, principal: { engineer: { handle: 'ada' } } });
  });

  it('compares through constantTimeEqual, on the stored and the computed hash', async () => {
    const spy = vi.mocked(tokenCore.constantTimeEqual);
    spy.mockClear();
    expect((await authenticateToken(store, t.bob, NOW)).ok).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
    const [stored, computed] = spy.mock.calls[0]!;
    expect(stored).toBe(computed);
    expect(computed).toBe(createHash('sha256').update(t.bob).digest('hex'));
  });

  it('constantTimeEqual is string equality, whatever the position of the first difference', () => {
    const { constantTimeEqual } = tokenCore;
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        counter.tried('constantTimeEqual');
        expect(constantTimeEqual(a, b)).toBe(a === b);
        expect(constantTimeEqual(a, a)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }), fc.nat(63), (hex, at) => {
        counter.tried('constantTimeEqual');
        const flipped = hex.slice(0, at) + (hex[at] === '0' ? '1' : '0') + hex.slice(at + 1);
        expect(constantTimeEqual(hex, flipped)).toBe(false);
        expect(constantTimeEqual(hex, hex.slice(0, at))).toBe(false); // a prefix is not equal
      }),
      { numRuns: 1000 },
    );
    // Code units beyond 8 bits must not cancel out (a ^ b over full UTF-16 units).
    expect(constantTimeEqual('\u0100', '\u0000')).toBe(false);
    expect(constantTimeEqual('a\u0000', 'a')).toBe(false);
  });
});
