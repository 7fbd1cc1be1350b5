/**
 * For the page and browser tests: a team fixture (a real git repository with agent and human
 * commits across two ISO weeks, some of them carrying XSS payloads in the commit message, the
 * author name, the code and a PR title; ingested and analyzed; two engineers with tokens and
 * marks), a real HTTP server over it, and Debian's Chromium driven by playwright-core.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { recordMarks } from '../../src/db/repo/marks.ts';
import { createToken } from '../../src/db/repo/tokens.ts';
import { pullRequests, reviews } from '../../src/db/schema.ts';
import { type Store, forRepo } from '../../src/db/store.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { startServer, type RunningServer } from '../../src/node.ts';
import { GitFixture, HUMAN, HUMAN2 } from './git-fixture.ts';
import { openTempStore, tempDbPath } from './marks-seed.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);
export const ARTIFACTS_DIR = join(import.meta.dirname, '..', '..', 'test-artifacts');

/** The pinned clock of the fixture's server: Tuesday of 2026-W48. */
export const FIXTURE_NOW = Date.parse('2026-11-24T12:00:00Z');

export const XSS = {
  message: '<script>window.__xss=1</script> tweak list',
  author: { name: '<img src=x onerror="window.__xss=2">', email: 'mallory@example.com' },
  code: '<script>window.__xss=3</script>',
  prTitle: '<img src=x onerror="window.__xss=4"> Render pages',
} as const;

const CLAUDE = 'Co-authored-by: Claude <noreply@anthropic.com>';

export interface PagesFixture {
  repo: GitFixture;
  store: Store;
  dbFile: string;
  engineers: { ada: { id: number; handle: string }; bob: { id: number; handle: string } };
  tokens: { ada: string; bob: string; admin: string };
  /** Commits: w46 = the last commit of the first week, xss = the commit with the payloads, head. */
  shas: { first: string; w46: string; xss: string; head: string };
  cleanup(): void;
}

async function analyze(store: Store, repo: GitFixture): Promise<void> {
  const { repoId } = await ingestRepository(store, repo.dir);
  await analyzeRepository(forRepo(store, repoId), repo.dir);
}

export async function buildPagesFixture(): Promise<PagesFixture> {
  const repo = new GitFixture();
  const dbFile = tempDbPath();
  const store = openTempStore(dbFile);
  const ada = await addEngineer(store, { handle: 'ada', name: 'Ada Human', emails: [HUMAN.email] });
  const bob = await addEngineer(store, { handle: 'bob', name: 'Bob Builder', emails: [HUMAN2.email], logins: ['bob'] });

  // 2026-W46: an agent writes the parser and the formatter; ada adds a helper by hand and reviews the formatter.
  repo.write(
    'src/core/parse.ts',
    [
      'export function parseConfig(text: string): Record<string, string> {',
      '  const out: Record<string, string> = {};',
      "  for (const line of text.split('\\n')) {",
      "    if (!line || line.startsWith('#')) continue;",
      "    const [k, v] = line.split('=');",
      '    if (k && v) out[k.trim()] = v.trim();',
      '  }',
      '  return out;',
      '}',
      '',
    ].join('\n'),
  );
  repo.write('src/format/output.ts', "export function formatOutput(value: unknown): string {\n  if (typeof value === 'string') return value;\n  return JSON.stringify(value);\n}\n");
  const first = repo.commit({ message: `feat: parse config\n\n${CLAUDE}\n`, date: '2026-11-10T10:00:00Z', author: HUMAN });
  repo.write('src/util/math.ts', 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
  const w46 = repo.commit({ message: 'add', date: '2026-11-11T10:00:00Z', author: HUMAN });
  await analyze(store, repo);
  await recordMarks(forRepo(store, 1), { engineer: ada, target: 'src/format/output.ts#formatOutput', level: 'reviewed', source: 'cli', now: Date.parse('2026-11-12T09:00:00Z') });

  // 2026-W47: the agent changes the formatter (ada's mark goes stale) and writes the renderers;
  // one commit carries payloads in its message, its author name and its code.
  repo.write(
    'src/format/output.ts',
    `export function formatOutput(value: unknown): string {\n  if (typeof value === 'string') return value;\n  if (value === undefined) return '${XSS.code}';\n  return JSON.stringify(value);\n}\n`,
  );
  repo.write('src/web/render.ts', "export function renderPage(title: string): string {\n  const safe = title.trim() || 'untitled';\n  return '<h1>' + safe + '</h1>';\n}\n");
  repo.commit({ message: `feat: render\n\n${CLAUDE}\n`, date: '2026-11-17T10:00:00Z', author: HUMAN });
  repo.write('src/web/list.ts', "export function renderList(items: string[]): string {\n  return items.map((i) => (i ? '<li>' + i + '</li>' : '<img src=x onerror=window.__xss=5>')).join('');\n}\n");
  const xss = repo.commit({ message: `${XSS.message}\n\n${CLAUDE}\n`, date: '2026-11-18T10:00:00Z', author: XSS.author });
  repo.write('src/util/math.ts', 'export function add(a: number, b: number): number {\n  return a + b;\n}\n\nexport function sub(a: number, b: number): number {\n  return a - b;\n}\n');
  const head = repo.commit({ message: 'sub', date: '2026-11-19T10:00:00Z', author: HUMAN2 });
  await analyze(store, repo);

  await store.db.insert(pullRequests).values({ repoId: 1, number: 7, title: XSS.prTitle, state: 'MERGED', authorLogin: 'mallory', createdAt: Date.parse('2026-11-17T08:00:00Z') / 1000, updatedAt: Date.parse('2026-11-18T08:00:00Z') / 1000 });
  await store.db.insert(reviews).values({
    repoId: 1,
    id: '501',
    number: 7,
    authorLogin: 'bob',
    state: 'APPROVED',
    submittedAt: Date.parse('2026-11-18T09:00:00Z') / 1000,
    rubberStamp: true,
    rubberStampReason: 'approved 420 changed lines without a comment',
  });

  const tokens = {
    ada: (await createToken(store, { handle: 'ada' })).token,
    bob: (await createToken(store, { handle: 'bob' })).token,
    admin: (await createToken(store, { admin: true })).token,
  };
  return {
    repo,
    store,
    dbFile,
    engineers: { ada: { id: ada.id, handle: ada.handle }, bob: { id: bob.id, handle: bob.handle } },
    tokens,
    shas: { first, w46, xss, head },
    cleanup() {
      store.close();
      repo.cleanup();
    },
  };
}

/** The real app on a free local port, over the fixture's store, with the fixture's clock. */
export function serveFixture(fx: PagesFixture): Promise<RunningServer> {
  return startServer({ store: fx.store, port: 0, now: () => FIXTURE_NOW });
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
}

/** Where screenshots go (git-ignored); created on demand. */
export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return join(ARTIFACTS_DIR, name);
}
