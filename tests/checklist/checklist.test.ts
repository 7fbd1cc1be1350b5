/**
 * The review checklist end to end: real git fixtures, real ingest and symbol analysis, a real
 * SQLite file, marks written through the repository layer, then buildChecklist / the API / the CLI.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { buildChecklist, buildPullRequestChecklist } from '../../src/checklist/build.ts';
import { collectManifestTexts } from '../../src/ingest/manifests.ts';
import { CHECKLIST_MARKER, formatChecklistMarkdown } from '../../src/checklist/markdown.ts';
import type { Checklist, ChecklistItem } from '../../src/checklist/types.ts';
import { GraspError } from '../../src/core/errors.ts';
import { openRepoStore } from '../helpers/repo-store.ts';
import type { RepoStore, Store } from '../../src/db/store.ts';

import { addEngineer } from '../../src/db/repo/engineers.ts';
import { recordMarks } from '../../src/db/repo/marks.ts';
import { prCommits, pullRequests } from '../../src/db/schema.ts';
import { createApp } from '../../src/http/app.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { GitFixture, HUMAN, HUMAN2, tempDir } from '../helpers/git-fixture.ts';

const CLAUDE = { name: 'Claude', email: 'noreply@anthropic.com' };
const lines = (...l: string[]) => `${l.join('\n')}\n`;

async function refresh(store: RepoStore, repo: GitFixture): Promise<void> {
  await ingestRepository(store, repo.dir);
  await analyzeRepository(store, repo.dir);
  await collectManifestTexts(store, repo.dir);
}

const item = (c: Checklist, file: string, symbol = ''): ChecklistItem => {
  const found = c.items.find((i) => i.file === file && i.symbol === symbol);
  if (!found) throw new Error(`no item ${file}#${symbol} in ${c.items.map((i) => `${i.file}#${i.symbol}`).join(', ')}`);
  return found;
};
const flagsOf = (i: ChecklistItem) => i.flags.map((f) => `${f.code}@${f.line}`);

const RISKY = lines(
  "import { execSync } from 'node:child_process';",
  "import { createHash } from 'node:crypto';",
  "import * as fs from 'node:fs';",
  '',
  'export async function sync(url: string): Promise<void> {',
  '  await fetch(url);',
  '}',
  '',
  'export function run(cmd: string, file: string, id: string, data: any) {',
  '  try {',
  '    execSync(cmd);',
  '  } catch {}',
  "  sync('https://example.com');",
  '  sync(id).catch(() => {});',
  "  const text = fs.readFileSync(file, 'utf8');",
  '  const query = `SELECT * FROM users WHERE id = ${id}`;',
  "  const digest = createHash('md5').update(text).digest('hex');",
  '  const value = (data as unknown as { x: number }).x;',
  '  eval(text);',
  '  return { query, digest, value, tls: { rejectUnauthorized: false } };',
  '}',
);

describe('a range with risky, clean, binary and unparsable changes', () => {
  const repo = new GitFixture();
  const dir = tempDir();
  const store = openRepoStore(join(dir, 'grasp.db'));
  const shas: Record<string, string> = {};

  beforeAll(async () => {
    repo
      .write('package.json', lines('{', '  "name": "demo",', '  "dependencies": {', '    "hono": "4.0.0"', '  }', '}'))
      .write('src/api.ts', lines('export function greet(name: string): string {', '  return `hi ${name}`;', '}', '', 'export function first(items: string[]): string {', '  return items[0]!.trim();', '}'))
      .write('src/clean.ts', lines('export function add(a: number, b: number): number {', '  return a + b;', '}'));
    shas.base = repo.commit({ author: HUMAN, message: 'base' });
    await refresh(store, repo);
    await addEngineer(store, { handle: 'ada', emails: [HUMAN.email] });
    await addEngineer(store, { handle: 'bob', emails: [HUMAN2.email] });
    const ada = { id: 1, handle: 'ada' };
    await recordMarks(store, { engineer: ada, target: 'src/api.ts#greet', level: 'reviewed', source: 'cli', now: Date.parse('2026-11-01T10:00:00Z') });

    repo
      .write('package.json', lines('{', '  "name": "demo",', '  "dependencies": {', '    "hono": "4.1.0",', '    "zod": "4.0.0"', '  }', '}'))
      .write(
        'src/api.ts',
        lines(
          'export function greet(name: string, excited = false): string {',
          "  if (!name) return 'hi';",
          '  if (excited && name.length > 3) return `hi ${name}!`;',
          '  return excited ? `hi ${name}!!` : `hi ${name}`;',
          '}',
          '',
          'export function first(items: string[]): string {',
          "  const found = items.find((i) => i.startsWith('a'))!;",
          '  return items[0]!.trim() + found;',
          '}',
        ),
      )
      .write('src/risky.ts', RISKY);
    shas.agent = repo.commit({ author: CLAUDE, message: 'Add sync and run\n\nCo-authored-by: Claude <noreply@anthropic.com>' });
    repo
      .write('src/clean.ts', lines('export function add(a: number, b: number): number {', '  const sum = a + b;', '  return sum;', '}'))
      .write('tests/http/api.test.ts', lines("import { greet } from '../src/api';", "test('greet', () => expect(greet('a')).toBe('hi a'));"));
    shas.head = repo.commit({ author: HUMAN2, message: 'Tidy add, test greet' });
    await refresh(store, repo);
    await recordMarks(store, { engineer: ada, target: 'src/clean.ts#add', level: 'reviewed', source: 'cli' });
    await recordMarks(store, { engineer: { id: 2, handle: 'bob' }, target: 'src/api.ts#first', level: 'reviewed', source: 'cli' });

    repo.write('src/clean.ts', lines('export function add(a: number, b: number): number {', '  return b + a;', '}'));
    shas.untested = repo.commit({ author: HUMAN, message: 'Swap operands' });
    repo
      .write('assets/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0xff, 0]))
      .write('src/broken.ts', lines('export function (a: string {', '  return a', '}}'));
    shas.opaque = repo.commit({ author: HUMAN, message: 'Add logo <script>alert(1)</script> <!-- grasp:checklist --> @everyone' });
    await refresh(store, repo);
  }, 60_000);

  afterAll(() => {
    store.close();
    repo.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('flags each risk exactly at its line', async () => {
    const c = await buildChecklist(store, { base: shas.base!, head: shas.head! });
    expect(flagsOf(item(c, 'src/risky.ts', 'run'))).toEqual([
      'unsafe-type@9',
      'security@11',
      'swallowed-error@12',
      'floating-promise@13',
      'swallowed-error@14',
      'security@15',
      'security@16',
      'security@17',
      'unsafe-type@18',
      'security@19',
      'security@20',
    ]);
    // Agent-written and unreviewed is one header line, not a flag per item.
    expect(c.agentSummary).toBe('6 of 7 items agent-written, 1 reviewed');
    expect(c.items.flatMap((i) => i.flags).some((f) => (f.code as string) === 'unreviewed-agent-code')).toBe(false);
    expect(flagsOf(item(c, 'src/risky.ts', 'sync'))).toEqual(['security@6']);
    expect(flagsOf(item(c, 'src/api.ts', 'greet'))).toEqual(['exported-signature@1', 'complexity@1']);
    expect(item(c, 'src/api.ts', 'greet').flags[1]!.message).toBe('complexity up by 4 (1 → 5)');
    // bob reviewed `first` at its head version: only the new non-null assertion remains.
    expect(flagsOf(item(c, 'src/api.ts', 'first'))).toEqual(['unsafe-type@8']);
    expect(flagsOf(item(c, 'package.json'))).toEqual(['dependency@4', 'dependency@5']);
    expect(item(c, 'package.json').flags.map((f) => f.message).slice(0, 2)).toEqual(['hono changed 4.0.0 → 4.1.0 (dependencies)', 'new dependency zod@4.0.0']);
  });

  it('raises nothing on the clean control change', async () => {
    const c = await buildChecklist(store, { base: shas.base!, head: shas.head! });
    const add = item(c, 'src/clean.ts', 'add');
    expect(add.change).toBe('modified');
    expect(add.flags).toEqual([]);
    expect(add.humanLines).toBeGreaterThan(0);
    expect(add.agentLines).toBe(0);
  });

  it('flags an exported change when the range touches no test', async () => {
    const c = await buildChecklist(store, { base: shas.head!, head: shas.untested! });
    expect(c.items.map((i) => `${i.file}#${i.symbol}`)).toEqual(['src/clean.ts#add']);
    expect(flagsOf(c.items[0]!)).toEqual(['untested-export@1']);
  });

  it('collapses what the reviewer already reviewed and shows what changed since a stale mark', async () => {
    const c = await buildChecklist(store, { base: shas.base!, head: shas.head!, as: 'ada' });
    expect(c.as).toBe('ada');
    expect(item(c, 'src/clean.ts', 'add').alreadyReviewed).toBe(true);
    expect(c.items.filter((i) => i.alreadyReviewed).map((i) => i.symbol)).toEqual(['add']);
    const greet = item(c, 'src/api.ts', 'greet');
    expect(greet.alreadyReviewed).toBe(false);
    expect(flagsOf(greet)).toContain('stale-mark@1');
    expect(greet.staleSince?.level).toBe('reviewed');
    expect(greet.staleSince?.diff).toContain('-  return `hi ${name}`;');
    expect(greet.staleSince?.diff).toContain("+  if (!name) return 'hi';");
    // ada is the reviewer, so she is not suggested; bob reviewed `first` at head.
    expect(c.reviewers).toEqual(['bob']);
    const md = formatChecklistMarkdown(c);
    expect(md).toMatch(/### Already reviewed\n\n- ✓ 1 item you already reviewed at this exact version: `add`/);
    expect(md).not.toMatch(/- \[ \] .*`add`/);
    expect(md).toContain('What changed since your reviewed mark');

    const anyone = await buildChecklist(store, { base: shas.base!, head: shas.head! });
    expect(anyone.items.every((i) => !i.alreadyReviewed && i.staleSince === null)).toBe(true);
    expect(anyone.reviewers).toEqual(['ada', 'bob']);
    expect(anyone.effortMinutes).toBeGreaterThanOrEqual(c.effortMinutes);
    expect(item(anyone, 'src/clean.ts', 'add').minutes).toBeGreaterThan(0);
    expect(item(c, 'src/clean.ts', 'add').minutes).toBe(0); // already reviewed at this version: costs nothing
  });

  it('orders contracts first and tests last, and states the effort formula', async () => {
    const c = await buildChecklist(store, { base: shas.base!, head: shas.head! });
    expect(c.items.map((i) => i.order)).toEqual(c.items.map((_, k) => k + 1));
    const groups = c.items.map((i) => i.group);
    expect(groups.indexOf('implementation')).toBeGreaterThan(groups.lastIndexOf('contract'));
    expect(item(c, 'tests/http/api.test.ts', '(module)').group).toBe('test');
    expect(groups[groups.length - 1]).toBe('test');
    expect(item(c, 'package.json').group).toBe('contract');
    expect(item(c, 'src/api.ts', 'greet').group).toBe('contract');
    expect(item(c, 'src/risky.ts', 'run').group).toBe('implementation');
    expect(c.effortMinutes).toBeGreaterThan(0);
    expect(c.effortFormula).toMatch(/changedLines \/ 5/);
  });

  it('keeps binary and unparsable files as file-level items', async () => {
    const c = await buildChecklist(store, { base: shas.untested!, head: shas.opaque! });
    expect(item(c, 'assets/logo.png').note).toBe('binary');
    expect(item(c, 'src/broken.ts').note).toMatch(/^parse-error/);
    expect(c.items.every((i) => i.kind === 'file')).toBe(true);
    expect(c.effortMinutes).toBeGreaterThanOrEqual(1);
  });

  it('escapes commit text so it cannot inject HTML, mentions or a second marker', async () => {
    const c = await buildChecklist(store, { base: shas.untested!, head: shas.opaque! });
    const md = formatChecklistMarkdown(c);
    expect(md.startsWith(`${CHECKLIST_MARKER}\n`)).toBe(true);
    expect(md.split('<!--').length).toBe(2);
    expect(md).not.toContain('<script>');
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(md).not.toMatch(/@everyone/);
    // JSON keeps the raw subject (it is data, escaped by JSON itself).
    expect(c.commits[0]!.subject).toContain('<!-- grasp:checklist -->');
  });

  it('gives an empty range a valid checklist with no items', async () => {
    const c = await buildChecklist(store, { base: shas.head!, head: shas.head! });
    expect(c.items).toEqual([]);
    expect(c.effortMinutes).toBe(0);
    expect(c.counts.commits).toBe(0);
    const md = formatChecklistMarkdown(c);
    expect(md.startsWith(CHECKLIST_MARKER)).toBe(true);
    expect(md).toContain('Nothing to review');
  });

  it('refuses unknown and malformed commits with clear errors', async () => {
    await expect(buildChecklist(store, { base: 'deadbeef', head: shas.head! })).rejects.toMatchObject({ code: 'not-found' });
    await expect(buildChecklist(store, { base: 'not-a-sha', head: shas.head! })).rejects.toBeInstanceOf(GraspError);
    await expect(buildChecklist(store, { base: shas.base!, head: shas.head!, as: 'nobody' })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('builds the checklist of a synced pull request from its tips, or from its own commits', async () => {
    await store.db.insert(pullRequests).values([
      { repoId: 1, number: 7, title: 'risky', state: 'OPEN', baseSha: shas.base!, headSha: shas.head!, createdAt: 1, updatedAt: 1 },
      { repoId: 1, number: 8, title: 'tips unknown', state: 'MERGED', baseSha: null, headSha: null, createdAt: 1, updatedAt: 1 },
    ]);
    await store.db.insert(prCommits).values({ repoId: 1, number: 8, sha: shas.untested! });
    const byTips = await buildPullRequestChecklist(store, { pr: 7, as: 'ada' });
    const byRange = await buildChecklist(store, { base: shas.base!, head: shas.head!, as: 'ada' });
    expect(byTips).toEqual(byRange);
    const byCommits = await buildPullRequestChecklist(store, { pr: 8 });
    expect(byCommits.items.map((i) => `${i.file}#${i.symbol}`)).toEqual(['src/clean.ts#add']);
    await expect(buildPullRequestChecklist(store, { pr: 99 })).rejects.toMatchObject({ code: 'not-found' });
    const app = createApp({ store });
    expect(((await (await app.request('/api/checklists?pr=7')).json()) as Checklist).head).toBe(shas.head);
  });

  it('serves GET /api/checklists with zod-validated queries', async () => {
    const app = createApp({ store });
    const ok = await app.request(`/api/checklists?base=${shas.base!.slice(0, 8)}&head=${shas.head}&as=ada`);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Checklist;
    expect(body.head).toBe(shas.head);
    expect(body.items.find((i) => i.symbol === 'add')?.alreadyReviewed).toBe(true);
    const md = await app.request(`/api/checklists?base=${shas.base}&head=${shas.head}&format=md`);
    expect((await md.text()).startsWith(CHECKLIST_MARKER)).toBe(true);
    expect((await app.request(`/api/checklists?base=deadbeef&head=${shas.head}`)).status).toBe(404);
    expect((await app.request(`/api/checklists?base=xyz&head=${shas.head}`)).status).toBe(400);
    expect((await app.request(`/api/checklists?head=${shas.head}`)).status).toBe(400);
  });

  it('runs as `grasp checklist` and exits 2 on an unknown commit', async () => {
    const bin = resolve(__dirname, '../../bin/grasp.mjs');
    const db = join(dir, 'grasp.db');
    const run = promisify(execFile);
    const { stdout } = await run('node', [bin, 'checklist', `${shas.base}..${shas.head}`, '--db', db, '--format', 'json']);
    expect((JSON.parse(stdout) as Checklist).items.length).toBeGreaterThan(5);
    const failed = await run('node', [bin, 'checklist', `deadbeef..${shas.head}`, '--db', db]).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(2);
    // The repository is at hand: git resolves the revision and its message is shown.
    expect(failed?.stderr).toMatch(/unknown revision "deadbeef"/);
  }, 30_000);
});

describe('reading order on a type, a callee, a caller and a test', () => {
  const repo = new GitFixture();
  const dir = tempDir();
  const store = openRepoStore(join(dir, 'grasp.db'));
  afterAll(() => {
    store.close();
    repo.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the type, then the callee before its caller, then outside callers, then tests', async () => {
    repo
      .write('src/types.ts', lines('export interface Job {', '  id: string;', '}'))
      .write('src/store.ts', lines("import type { Job } from './types';", '', 'const jobs: Job[] = [];', '', 'export function saveJob(job: Job): void {', '  jobs.push(job);', '}'))
      .write('src/legacy.ts', lines("import { saveJob } from './store';", '', 'export function importAll(list: string[]): void {', '  for (const id of list) saveJob({ id });', '}'));
    const base = repo.commit({ message: 'base' });
    repo
      .write('src/types.ts', lines('export interface Job {', '  id: string;', '  name?: string;', '}'))
      .write('src/store.ts', lines("import type { Job } from './types';", '', 'const jobs: Job[] = [];', '', 'export function saveJob(job: Job): void {', '  jobs.push({ ...job });', '}'))
      .write('src/handler.ts', lines("import { saveJob } from './store';", '', 'export function handleRequest(body: { id: string }): void {', '  saveJob(body);', '}'))
      .write('tests/store.test.ts', lines("import { saveJob } from '../src/store';", "test('saves', () => saveJob({ id: 'a' }));"));
    const head = repo.commit({ message: 'names and a handler' });
    await refresh(store, repo);
    const c = await buildChecklist(store, { base, head });
    const named = [...c.items, ...c.callers]
      .sort((a, b) => a.order - b.order)
      .filter((i) => i.symbol !== '(module)')
      .map((i) => `${'group' in i ? i.group : i.calls.length > 0 ? 'caller' : 'reference'}:${i.symbol}`);
    // The constant `jobs` only names the changed interface: listed apart from callers, after them.
    expect(named).toEqual(['contract:Job', 'implementation:saveJob', 'implementation:handleRequest', 'caller:importAll', 'reference:jobs', 'test:saves']);
    expect(c.items[c.items.length - 1]).toMatchObject({ file: 'tests/store.test.ts', group: 'test' });
    expect(c.callers).toEqual([
      expect.objectContaining({ symbol: 'importAll', file: 'src/legacy.ts', line: 3, calls: ['src/store.ts#saveJob'], references: [] }),
      expect.objectContaining({ symbol: 'jobs', file: 'src/store.ts', line: 3, calls: [], references: ['src/types.ts#Job'] }),
    ]);
    const md = formatChecklistMarkdown(c);
    expect(md.indexOf('### Contracts first')).toBeLessThan(md.indexOf('### Implementations'));
    expect(md.indexOf('### Called by, outside this change')).toBeLessThan(md.indexOf('### References the changed types'));
    expect(md.indexOf('### References the changed types')).toBeLessThan(md.indexOf('### Tests'));

    const withoutCallers = await buildChecklist(store, { base, head, callers: false });
    expect(withoutCallers.callers).toEqual([]);
  }, 30_000);
});
