/**
 * Behind an HTTPS proxy (`grasp serve --public-url https://…`, or `--trust-proxy` with
 * X-Forwarded-Proto/Host): the login form and cookie writes compare the browser's Origin with the
 * public origin, and the login cookie is `Secure`. Without them, an https Origin reaching the
 * plain-http server is refused (the bug: every form post failed behind the proxy) and forwarded
 * headers are ignored (any client could name its own origin).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraspError } from '../../src/core/errors.ts';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { createToken } from '../../src/db/repo/tokens.ts';
import type { Store } from '../../src/db/store.ts';
import { createApp } from '../../src/http/app.ts';
import { parsePublicUrl } from '../../src/http/site.ts';
import { grasp } from '../cli/run-grasp.ts';
import { openTempStore } from '../helpers/marks-seed.ts';
import { sessionCookie } from '../helpers/login.ts';

const PUBLIC = 'https://grasp.example.com';
let store: Store;
let token: string;
let cookie: string;

beforeAll(async () => {
  store = openTempStore();
  await addEngineer(store, { handle: 'ada' });
  token = (await createToken(store, { handle: 'ada' })).token;
  cookie = await sessionCookie(store, token);
});
afterAll(() => store.close());

const login = (app: ReturnType<typeof createApp>, headers: Record<string, string>) =>
  app.request('http://127.0.0.1:8787/login', {
    method: 'POST',
    body: new URLSearchParams({ token }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  });

const cookieWrite = (app: ReturnType<typeof createApp>, origin: string, extra: Record<string, string> = {}) =>
  app.request('http://127.0.0.1:8787/api/marks', {
    method: 'POST',
    body: JSON.stringify({ target: 'src/none.ts', level: 'viewed' }),
    headers: { 'Content-Type': 'application/json', Cookie: cookie, Origin: origin, ...extra },
  });

describe('public URL and trusted proxy', () => {
  it('without --public-url an https Origin on the plain-http server is refused, and the cookie is not Secure', async () => {
    const app = createApp({ store });
    expect((await login(app, { Origin: PUBLIC })).status).toBe(403);
    const res = await login(app, { Origin: 'http://127.0.0.1:8787' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Set-Cookie')).not.toMatch(/Secure/i);
    expect((await cookieWrite(app, PUBLIC)).status).toBe(403);
  });

  it('with --public-url the https Origin is ours: login sets an HttpOnly Secure cookie, cookie writes pass the origin check', async () => {
    const app = createApp({ store, publicUrl: parsePublicUrl(`${PUBLIC}/some/path`) });
    const res = await login(app, { Origin: PUBLIC });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('Set-Cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    const write = await cookieWrite(app, PUBLIC);
    expect(write.status).not.toBe(403); // past the CSRF check (the target itself is unknown)
    expect((await cookieWrite(app, 'http://127.0.0.1:8787')).status).toBe(403);
    expect((await login(app, { Origin: 'https://evil.example' })).status).toBe(403);
  });

  it('X-Forwarded-Proto/Host count only with --trust-proxy', async () => {
    const forwarded = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'grasp.example.com' };
    const untrusted = createApp({ store });
    expect((await login(untrusted, { Origin: PUBLIC, ...forwarded })).status).toBe(403);
    const trusted = createApp({ store, trustProxy: true });
    const res = await login(trusted, { Origin: PUBLIC, ...forwarded });
    expect(res.status).toBe(303);
    expect(res.headers.get('Set-Cookie')).toMatch(/Secure/i);
    expect((await cookieWrite(trusted, PUBLIC, forwarded)).status).not.toBe(403);
  });

  it('a bad --public-url is one clear line', async () => {
    for (const bad of ['ftp://x.example', 'not a url', 'https://user:pw@x.example']) {
      expect(() => parsePublicUrl(bad)).toThrow(GraspError);
    }
    const r = await grasp(['serve', '--public-url', 'nope', '--port', '0']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--public-url/);
  });
});
