/**
 * Findings of the hostile probe, over `app.request()` on a real SQLite store: CSP on every HTML
 * response, bidi controls neutralised in pages, Idempotency-Key reuse, token lifetimes, targets
 * for paths with control characters, pull requests known only from webhooks, and form limits.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTarget, parseTarget, symbolLabel } from '../../src/core/marks.ts';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { createToken } from '../../src/db/repo/tokens.ts';
import { marks, pullRequests } from '../../src/db/schema.ts';
import type { Store } from '../../src/db/store.ts';
import { createApp } from '../../src/http/app.ts';
import { openTempStore, seedCommit, seedSymbol, seedSymbolChange } from '../helpers/marks-seed.ts';
import { sessionCookie } from '../helpers/login.ts';

const ORIGIN = 'http://localhost';
const NOW = Date.parse('2026-11-20T12:00:00Z');
const BIDI_FILE = 'src/evil\u202eexe.ts';
const CONTROL_FILE = 'src/tab\there.ts';

let store: Store;
let app: ReturnType<typeof createApp>;
let ada: string;
let adaCookie: string;
let admin: string;
let adaId: number;

beforeAll(async () => {
  store = openTempStore();
  await seedCommit(store, { sha: 'a'.repeat(40), files: [{ path: 'src/ok.ts' }, { path: BIDI_FILE }, { path: CONTROL_FILE }] });
  await seedCommit(store, { sha: 'b'.repeat(40), parents: ['a'.repeat(40)], files: [{ path: 'src/ok.ts' }], kind: 'agent' });
  await seedSymbol(store, { id: 1, file: 'src/ok.ts', name: 'render', hash: 'h1' });
  await seedSymbol(store, { id: 2, file: BIDI_FILE, name: 'run\u202e', hash: 'h2' });
  await seedSymbol(store, { id: 3, file: CONTROL_FILE, name: 'tabbed', hash: 'h3' });
  await seedSymbolChange(store, { sha: 'a'.repeat(40), symbolId: 2, file: BIDI_FILE, name: 'run\u202e', change: 'added', hash: 'h2' });
  await seedSymbolChange(store, { sha: 'a'.repeat(40), symbolId: 3, file: CONTROL_FILE, name: 'tabbed', change: 'added', hash: 'h3' });
  await seedSymbolChange(store, { sha: 'b'.repeat(40), symbolId: 1, file: 'src/ok.ts', name: 'render', change: 'modified', hash: 'h1' });
  adaId = (await addEngineer(store, { handle: 'ada', emails: ['ada@example.com'] })).id;
  ada = (await createToken(store, { handle: 'ada', now: NOW })).token;
  admin = (await createToken(store, { admin: true, now: NOW })).token;
  // A pull request known only from a webhook: its tips, no synced commit list.
  await store.db.insert(pullRequests).values({ repoId: 1, number: 7, title: 'From a \u202ewebhook', state: 'OPEN', baseSha: 'a'.repeat(40), headSha: 'b'.repeat(40), createdAt: 1, updatedAt: 1 });
  app = createApp({ store, now: () => NOW });
  adaCookie = await sessionCookie(store, ada, NOW);
});
afterAll(() => store?.close());

const api = (path: string, body: unknown, token: string, headers: Record<string, string> = {}) =>
  app.request(`${ORIGIN}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...headers } });
const formPost = (fields: [string, string][]) =>
  app.request(`${ORIGIN}/marks`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN, Cookie: adaCookie },
  });
const markRows = (name: string) => store.db.select().from(marks).where(and(eq(marks.engineerId, adaId), eq(marks.name, name)));

describe('HTML responses', () => {
  it('the API report rendered as HTML carries a CSP', async () => {
    const res = await app.request(`${ORIGIN}/api/engineers/ada/report?format=html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/text\/html/);
    expect(res.headers.get('Content-Security-Policy') ?? '').toContain("default-src 'none'");
  });

  it('every HTML page carries a CSP, error pages included', async () => {
    for (const path of ['/', '/engineers/ada', '/engineers/nobody', '/prs/7', '/digest']) {
      const res = await app.request(`${ORIGIN}${path}`);
      expect(res.headers.get('Content-Type'), path).toMatch(/text\/html/);
      expect(res.headers.get('Content-Security-Policy') ?? '', path).toContain("default-src 'none'");
    }
  });

  it('no bidi override reaches a page raw', async () => {
    const html = await (await app.request(`${ORIGIN}/prs/7`)).text();
    expect(html).toContain('From a \ufffdwebhook');
    expect(html).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });
});

describe('Idempotency-Key', () => {
  it('answers the stored marks for a repeat and 422 for a different body', async () => {
    const first = await api('/api/marks', { target: 'src/ok.ts#render', level: 'reviewed' }, ada, { 'Idempotency-Key': 'k-1' });
    expect(first.status).toBe(201);
    const again = await api('/api/marks', { target: 'src/ok.ts#render', level: 'reviewed' }, ada, { 'Idempotency-Key': 'k-1' });
    expect(again.status).toBe(201);
    expect((await again.json()).marks).toEqual((await first.json()).marks);
    const other = await api('/api/marks', { target: 'src/ok.ts#render', level: 'explained', note: 'renders' }, ada, { 'Idempotency-Key': 'k-1' });
    expect(other.status).toBe(422);
    expect((await other.json()).error.code).toBe('unprocessable');
    const otherTarget = await api('/api/marks', { target: 'symbol:3', level: 'viewed' }, ada, { 'Idempotency-Key': 'k-1' });
    expect(otherTarget.status).toBe(422);
    expect((await markRows('render')).map((r) => r.level)).toEqual(['reviewed']);
    expect(await markRows('tabbed')).toHaveLength(0);
  });
});

describe('numbers in API bodies', () => {
  it.each([1e-300, 0.001, 0, -1, 1e308])('expiresInDays %d is refused with 400', async (days) => {
    const res = await api('/api/tokens', { engineer: 'ada', expiresInDays: days }, admin);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid');
  });
});

describe('targets that always work', () => {
  it('a symbol in a path with control characters is marked by id and by its printed (quoted) label', async () => {
    const label = symbolLabel({ file: CONTROL_FILE, name: 'tabbed' });
    expect(label).not.toMatch(/[\u0000-\u001f]/);
    expect(parseTarget(label)).toEqual({ kind: 'symbol', file: CONTROL_FILE, name: 'tabbed' });
    const byLabel = await api('/api/marks', { target: label, level: 'viewed' }, ada);
    expect(byLabel.status).toBe(201);
    const byId = await api('/api/marks', { target: 'symbol:3', level: 'reviewed' }, ada);
    expect(byId.status).toBe(201);
    expect((await byId.json()).marks[0]).toMatchObject({ file: CONTROL_FILE, symbol: 'tabbed', level: 'reviewed' });
  });

  it('bidi characters in a label are escaped and parse back', () => {
    const label = formatTarget({ kind: 'symbol', file: BIDI_FILE, name: 'run\u202e' });
    expect(label).not.toMatch(/[\u202a-\u202e]/);
    expect(parseTarget(label)).toEqual({ kind: 'symbol', file: BIDI_FILE, name: 'run\u202e' });
  });

  it('pr:7, known only from a webhook, resolves as /prs/7 does', async () => {
    expect((await app.request(`${ORIGIN}/prs/7`)).status).toBe(200);
    const res = await api('/api/marks', { target: 'pr:7', level: 'viewed' }, ada);
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await res.json()).marks.map((m: { symbol: string }) => m.symbol)).toEqual(['render']);
  });
});

describe('amplification', () => {
  it('a form repeating one range target writes each mark once', async () => {
    const range = `${'a'.repeat(12)}..${'b'.repeat(12)}`;
    const before = (await markRows('render')).length;
    const res = await formPost([...Array.from({ length: 5 }, () => ['target', range] as [string, string]), ['level', 'explained'], ['note', 'draws it'], ['back', '/']]);
    expect(res.status).toBe(303);
    expect((await markRows('render')).length).toBe(before + 1);
  });

  it('a mark that changes nothing writes no row', async () => {
    const before = (await markRows('render')).length;
    for (let i = 0; i < 3; i++) expect((await api('/api/marks', { target: 'src/ok.ts#render', level: 'explained', note: 'draws it' }, ada)).status).toBe(201);
    expect((await markRows('render')).length).toBe(before);
    expect((await api('/api/marks', { target: 'src/ok.ts#render', level: 'viewed' }, ada)).status).toBe(201);
    expect((await markRows('render')).length).toBe(before + 1);
  });

  it('too many history targets in one form: 413, nothing written', async () => {
    const before = (await store.db.select().from(marks)).length;
    const ranges = ['aaaa', 'aaaaa', 'aaaaaa', 'aaaaaaa', 'aaaaaaaa', 'aaaaaaaaa'].map((b) => ['target', `${b}..bbbb`] as [string, string]);
    const res = await formPost([...ranges, ['level', 'viewed'], ['back', '/']]);
    expect(res.status).toBe(413);
    expect((await store.db.select().from(marks)).length).toBe(before);
  });
});
