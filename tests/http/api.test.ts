import { count } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateToken } from '../../src/core/tokens.ts';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { createToken, revokeToken } from '../../src/db/repo/tokens.ts';
import { engineerAliases, engineers, marks } from '../../src/db/schema.ts';
import type { Store } from '../../src/db/store.ts';
import { createApp } from '../../src/http/app.ts';
import { openTempStore, seedCommit, seedSymbol } from '../helpers/marks-seed.ts';
import { sessionCookie } from '../helpers/login.ts';

const NOW = Date.UTC(2030, 5, 1);
let store: Store;
let app: ReturnType<typeof createApp>;
const tok = { ada: '', bob: '', admin: '', revoked: '', expired: '' };

const rowCounts = async () => ({
  marks: (await store.db.select({ n: count() }).from(marks))[0]!.n,
  engineers: (await store.db.select({ n: count() }).from(engineers))[0]!.n,
  aliases: (await store.db.select({ n: count() }).from(engineerAliases))[0]!.n,
});

function call(method: string, path: string, opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  return app.request(`http://grasp.test${path}`, { method, headers, body });
}

async function expectError(res: Response, status: number, code: string, message?: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  if (message) expect(body.error.message).toMatch(message);
}

/** Runs a request that must be refused and asserts no row was written. */
async function refused(res: Response | Promise<Response>, status: number, code: string, message?: RegExp) {
  const before = await rowCounts();
  await expectError(await res, status, code, message);
  expect(await rowCounts()).toEqual(before);
}

beforeAll(async () => {
  store = openTempStore();
  app = createApp({ store, now: () => NOW });
  await seedCommit(store, { sha: '1234abcd'.repeat(5), files: [{ path: 'src/a.ts', status: 'A' }, { path: 'logo.svg', status: 'A', newBlob: 'logo1' }] });
  await seedSymbol(store, { id: 1, file: 'src/a.ts', name: 'f', hash: 'hf1', text: 'function f() {\n  return 1;\n}' });
  await seedSymbol(store, { id: 2, file: 'src/a.ts', name: 'Cls.m', hash: 'hm1', kind: 'method', text: 'm() {}' });
  await addEngineer(store, { handle: 'ada', emails: ['ada@example.com'] });
  await addEngineer(store, { handle: 'bob' });
  tok.ada = (await createToken(store, { handle: 'ada', now: NOW })).token;
  tok.bob = (await createToken(store, { handle: 'bob', now: NOW })).token;
  tok.admin = (await createToken(store, { admin: true, now: NOW })).token;
  const revoked = await createToken(store, { handle: 'ada', now: NOW });
  await revokeToken(store, revoked.id, NOW);
  tok.revoked = revoked.token;
  tok.expired = (await createToken(store, { handle: 'ada', expiresInDays: 1, now: NOW - 2 * 86_400_000 })).token;
});

afterAll(() => store.close());

describe('writing marks', () => {
  it('creates marks: 201 with the documented shape', async () => {
    const before = await rowCounts();
    const res = await call('POST', '/api/marks', { token: tok.ada, body: { target: 'src/a.ts#f', level: 'reviewed' } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { marks: Record<string, unknown>[] };
    expect(body.marks).toEqual([
      expect.objectContaining({ engineer: 'ada', symbol: 'f', file: 'src/a.ts', hash: 'hf1', level: 'reviewed', at: new Date(NOW).toISOString(), source: 'api' }),
    ]);
    expect((await rowCounts()).marks).toBe(before.marks + 1);
  });

  it('accepts the engineer field when it is the token owner, refuses another engineer (403)', async () => {
    expect((await call('POST', '/api/marks', { token: tok.bob, body: { target: 'src/a.ts', level: 'viewed', engineer: 'bob' } })).status).toBe(201);
    await refused(call('POST', '/api/marks', { token: tok.ada, body: { target: 'src/a.ts#f', level: 'reviewed', engineer: 'bob' } }), 403, 'forbidden', /belongs to "ada"/);
  });

  it('keeps every write in history; the current state shows the latest', async () => {
    const before = (await rowCounts()).marks;
    await call('POST', '/api/marks', { token: tok.bob, body: { target: 'src/a.ts#Cls.m', level: 'viewed', note: 'first look' } });
    await call('POST', '/api/marks', { token: tok.bob, body: { target: 'src/a.ts#Cls.m', level: 'explained', note: 'dispatches the event' } });
    expect((await rowCounts()).marks).toBe(before + 2);
    // Saying the same again changes nothing and writes nothing.
    const repeat = await call('POST', '/api/marks', { token: tok.bob, body: { target: 'src/a.ts#Cls.m', level: 'explained', note: 'dispatches the event' } });
    expect(((await repeat.json()) as { marks: { unchanged?: true }[] }).marks[0]!.unchanged).toBe(true);
    expect((await rowCounts()).marks).toBe(before + 2);
    const res = await call('GET', '/api/engineers/bob/marks');
    const body = (await res.json()) as { marks: { symbol: string; level: string; stale: boolean; note: string | null }[] };
    expect(body.marks.find((m) => m.symbol === 'Cls.m')).toMatchObject({ level: 'explained', stale: false, note: 'dispatches the event' });
    const history = (await (await call('GET', '/api/engineers/bob/history')).json()) as { marks: { target: string; level: string }[] };
    expect(history.marks.filter((m) => m.target === 'src/a.ts#Cls.m').map((m) => m.level)).toEqual(['explained', 'viewed']);
  });

  it('stores a retried write with the same Idempotency-Key once', async () => {
    const before = (await rowCounts()).marks;
    for (let i = 0; i < 3; i++) {
      const res = await call('POST', '/api/marks', { token: tok.ada, body: { target: 'logo.svg', level: 'viewed' }, headers: { 'Idempotency-Key': 'k-1' } });
      expect(res.status).toBe(201);
    }
    expect((await rowCounts()).marks).toBe(before + 1);
    await refused(call('POST', '/api/marks', { token: tok.ada, body: { target: 'logo.svg', level: 'viewed' }, headers: { 'Idempotency-Key': 'bad key\u00e9' } }), 400, 'invalid');
  });
});

describe('refusals write nothing', () => {
  const good = { target: 'src/a.ts#f', level: 'viewed' };

  it('401 without a valid token', async () => {
    const res = await call('POST', '/api/marks', { body: good });
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    await expectError(res, 401, 'unauthorized');
    await refused(call('POST', '/api/marks', { body: good }), 401, 'unauthorized', /authentication required/);
    await refused(call('POST', '/api/marks', { token: 'nonsense', body: good }), 401, 'unauthorized', /malformed/);
    await refused(call('POST', '/api/marks', { token: generateToken(), body: good }), 401, 'unauthorized', /unknown token/);
    await refused(call('POST', '/api/marks', { token: tok.revoked, body: good }), 401, 'unauthorized', /revoked/);
    await refused(call('POST', '/api/marks', { token: tok.expired, body: good }), 401, 'unauthorized', /expired/);
    await refused(call('POST', '/api/marks', { body: good, headers: { Authorization: `Basic ${btoa('ada:x')}` } }), 401, 'unauthorized', /Bearer/);
  });

  it('403 for engineer tokens managing engineers, and admin tokens writing marks', async () => {
    await refused(call('POST', '/api/engineers', { token: tok.ada, body: { handle: 'eve' } }), 403, 'forbidden', /admin token/);
    await refused(call('POST', '/api/engineers/bob/aliases', { token: tok.ada, body: { emails: ['x@example.com'] } }), 403, 'forbidden');
    await refused(call('POST', '/api/engineers', { body: { handle: 'eve' } }), 401, 'unauthorized');
    await refused(call('POST', '/api/marks', { token: tok.admin, body: good }), 403, 'forbidden', /engineer's own token/);
  });

  it('400 for malformed JSON, wrong types, unknown levels and fields, explained without a note', async () => {
    await refused(call('POST', '/api/marks', { token: tok.ada, raw: '{"target": "src/a.ts#f", "level": ' }), 400, 'invalid', /Malformed JSON/);
    await refused(call('POST', '/api/marks', { token: tok.ada, raw: 'null' }), 400, 'invalid');
    await refused(call('POST', '/api/marks', { token: tok.ada, body: { target: 42, level: 'viewed' } }), 400, 'invalid', /target/);
    await refused(call('POST', '/api/marks', { token: tok.ada, body: { target: ['src/a.ts'], level: 'viewed' } }), 400, 'invalid');
    await refused(call('POST', '/api/marks', { token: tok.ada, body: { target: 'src/a.ts#f', level: 'understood' } }), 400, 'invalid', /level/);
    await refused(call('POST', '/api/marks', { token: tok.ada, body: { target: 'src/a.ts#f', level: 'viewed', note: 7 } }), 400, 'invalid', /note/);
    await refused(call('POST', '/api/marks', { token: tok.ada, body: { ...good, admin: true } }), 400, 'invalid');
    await refused(call('POST', '/api/marks', { token: tok.ada, body: { target: 'src/a.ts#f', level: 'explained' } }), 400, 'invalid', /requires a note/);
    await refused(call('POST', '/api/marks', { token: tok.ada, body: { target: '/etc/passwd', level: 'viewed' } }), 400, 'invalid');
    await refused(call('POST', '/api/marks', { token: tok.ada, raw: 'target=src/a.ts&level=viewed', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 400, 'invalid');
    await refused(call('POST', '/api/engineers', { token: tok.admin, body: { handle: 'no spaces allowed' } }), 400, 'invalid', /handle/);
  });

  it('413 for an oversized body, with or without Content-Length', async () => {
    const note = 'x'.repeat(100 * 1024);
    await refused(call('POST', '/api/marks', { token: tok.ada, body: { target: 'src/a.ts#f', level: 'explained', note } }), 413, 'too-large');
    const chunks = [new TextEncoder().encode(JSON.stringify({ target: 'src/a.ts#f', level: 'explained', note }))];
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const req = new Request('http://grasp.test/api/marks', {
      method: 'POST',
      headers: { Authorization: `Bearer ${tok.ada}`, 'Content-Type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    await refused(app.request(req), 413, 'too-large');
  });

  it('404 for an unknown target or engineer', async () => {
    await refused(call('POST', '/api/marks', { token: tok.ada, body: { target: 'src/a.ts#nope', level: 'viewed' } }), 404, 'not-found', /no symbol "nope"/);
    await refused(call('POST', '/api/marks', { token: tok.ada, body: { target: 'src/missing.ts', level: 'viewed' } }), 404, 'not-found');
    await refused(call('POST', '/api/marks', { token: tok.ada, body: { target: 'pr:5', level: 'viewed' } }), 404, 'not-found');
    await refused(call('POST', '/api/engineers/zed/aliases', { token: tok.admin, body: { emails: ['z@example.com'] } }), 404, 'not-found');
    await expectError(await call('GET', '/api/engineers/zed/marks'), 404, 'not-found', /zed/);
    await expectError(await call('GET', '/api/engineers/zed/stale'), 404, 'not-found');
    await expectError(await call('GET', '/api/nothing-here'), 404, 'not-found');
  });

  it('never answers 500 to random bodies (fuzz)', async () => {
    const before = (await rowCounts()).marks;
    let created = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json(),
          fc.string(),
          fc.record({ target: fc.oneof(fc.string(), fc.constantFrom('src/a.ts#f', 'src/a.ts', 'logo.svg', 'pr:1', '1234abcd')), level: fc.string(), note: fc.option(fc.string()) }, { requiredKeys: [] }),
          fc.record({ target: fc.constantFrom('src/a.ts#f', 'logo.svg'), level: fc.constantFrom('viewed', 'reviewed', 'explained'), note: fc.option(fc.string({ maxLength: 20 })) }),
        ),
        async (body) => {
          const res = await call('POST', '/api/marks', { token: tok.ada, raw: typeof body === 'string' ? body : JSON.stringify(body) });
          expect([201, 400, 404]).toContain(res.status);
          const json = (await res.json()) as { marks?: unknown[]; error?: { code: string } };
          // A mark that repeats the engineer's latest word writes no row (it comes back marked unchanged).
          if (res.status === 201) created += (json.marks as { unchanged?: true }[]).filter((m) => !m.unchanged).length;
          else expect(json.error?.code).toMatch(/^(invalid|not-found)$/);
        },
      ),
      { numRuns: 400 },
    );
    expect((await rowCounts()).marks).toBe(before + created);
  });
});

describe('cookie login (web pages)', () => {
  let adaCookie = '';
  beforeAll(async () => {
    adaCookie = await sessionCookie(store, tok.ada, NOW);
  });
  const cookie = () => ({ Cookie: adaCookie });
  it('accepts a same-origin cookie write as source web', async () => {
    // The fuzz above may already have left ada's 'viewed' on this symbol (a repeat writes no row and
    // answers the stored mark), so make her latest word another level first.
    expect((await call('POST', '/api/marks', { body: { target: 'src/a.ts#f', level: 'reviewed' }, headers: { Authorization: `Bearer ${tok.ada}` } })).status).toBeLessThan(300);
    const res = await call('POST', '/api/marks', { body: { target: 'src/a.ts#f', level: 'viewed' }, headers: { ...cookie(), Origin: 'http://grasp.test' } });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { marks: { source: string }[] }).marks[0]!.source).toBe('web');
    const me = await call('GET', '/api/me', { headers: cookie() });
    expect(await me.json()).toMatchObject({ engineer: 'ada', admin: false, via: 'cookie' });
  });

  it('refuses cross-site or origin-less cookie writes (CSRF)', async () => {
    await refused(call('POST', '/api/marks', { body: { target: 'src/a.ts#f', level: 'viewed' }, headers: { ...cookie(), Origin: 'https://evil.example' } }), 403, 'forbidden', /CSRF/);
    await refused(call('POST', '/api/marks', { body: { target: 'src/a.ts#f', level: 'viewed' }, headers: cookie() }), 403, 'forbidden', /CSRF/);
    await refused(call('POST', '/api/marks', { raw: 'target=x', headers: { ...cookie(), 'Content-Type': 'text/plain', 'Sec-Fetch-Site': 'cross-site' } }), 403, 'forbidden');
  });
});

describe('admin and reads', () => {
  it('lets an admin add engineers and aliases', async () => {
    let res = await call('POST', '/api/engineers', { token: tok.admin, body: { handle: 'Eve', name: 'Eve E', emails: ['eve@example.com'] } });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ engineer: { handle: 'eve', name: 'Eve E', emails: ['eve@example.com'] } });
    res = await call('POST', '/api/engineers', { token: tok.admin, body: { handle: 'eve' } });
    await expectError(res, 409, 'conflict');
    res = await call('POST', '/api/engineers/eve/aliases', { token: tok.admin, body: { logins: ['eve-gh'] } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ engineer: { logins: ['eve-gh'] } });
    const list = (await (await call('GET', '/api/engineers')).json()) as { engineers: { handle: string }[] };
    expect(list.engineers.map((e) => e.handle)).toEqual(['ada', 'bob', 'eve']);
  });

  it('lists current marks with stale flags and serves the diff of stale ones', async () => {
    await call('POST', '/api/marks', { token: tok.ada, body: { target: 'src/a.ts#f', level: 'reviewed' } });
    let body = (await (await call('GET', '/api/engineers/ada/marks')).json()) as { marks: { symbol: string; stale: boolean }[]; stale: number };
    expect(body.marks.find((m) => m.symbol === 'f')?.stale).toBe(false);

    await seedSymbol(store, { id: 1, file: 'src/a.ts', name: 'f', hash: 'hf2', text: 'function f() {\n  return 2;\n}' });
    body = (await (await call('GET', '/api/engineers/ada/marks')).json()) as typeof body;
    expect(body.marks.find((m) => m.symbol === 'f')?.stale).toBe(true);
    expect(body.stale).toBe(1);
    const onlyStale = (await (await call('GET', '/api/engineers/ada/marks?stale=true')).json()) as typeof body;
    expect(onlyStale.marks.map((m) => m.symbol)).toEqual(['f']);

    const stale = (await (await call('GET', '/api/engineers/ada/stale')).json()) as { marks: { symbol: string; oldText: string; newText: string; diff: string }[] };
    expect(stale.marks).toHaveLength(1);
    expect(stale.marks[0]!.diff).toMatch(/-\s+return 1;/);
    expect(stale.marks[0]!.diff).toMatch(/\+\s+return 2;/);
  });

  it('answers marks for a target, and symbols by file or by name', async () => {
    const byTarget = (await (await call('GET', '/api/marks?target=src/a.ts%23Cls.m&history=true')).json()) as { items: { marks: { engineer: string }[]; history: unknown[] }[] };
    expect(byTarget.items[0]!.marks.map((m) => m.engineer)).toEqual(['bob']);
    expect(byTarget.items[0]!.history.length).toBeGreaterThanOrEqual(2);
    await expectError(await call('GET', '/api/marks'), 400, 'invalid', /target/);
    await expectError(await call('GET', '/api/marks?target=nowhere.ts'), 404, 'not-found');

    const list = (await (await call('GET', '/api/symbols?file=src/a.ts')).json()) as { symbols: { name: string }[] };
    expect(list.symbols.map((s) => s.name).sort()).toEqual(['Cls.m', 'f']);
    await expectError(await call('GET', '/api/symbols?limit=-1'), 400, 'invalid');
    const one = (await (await call('GET', '/api/symbols/lookup?target=src/a.ts%23Cls.m')).json()) as { symbol: { kind: string }; text: string; marks: unknown[] };
    expect(one).toMatchObject({ symbol: { kind: 'method' }, text: 'm() {}' });
    expect(one.marks).toHaveLength(1);
    await expectError(await call('GET', '/api/symbols/lookup?target=src/a.ts'), 400, 'invalid');
    await expectError(await call('GET', '/api/symbols/lookup?target=src/a.ts%23zz'), 404, 'not-found');
    expect(await (await call('GET', '/api/health')).json()).toEqual({ ok: true, driver: 'better-sqlite3' });
  });
});
