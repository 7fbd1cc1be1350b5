/**
 * Renderings and entry points of the report: Markdown and HTML escape untrusted names, paths and
 * code; the API and the CLI validate their input and answer with the same report.
 */
import { spawnSync } from 'node:child_process';
import { eq } from 'drizzle-orm';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEngineer } from '../../src/db/repo/engineers.ts';
import { recordMarks } from '../../src/db/repo/marks.ts';
import { openRepoStore } from '../helpers/repo-store.ts';
import type { RepoStore, Store } from '../../src/db/store.ts';

import { commits, symbolChanges, symbols, symbolTexts } from '../../src/db/schema.ts';
import { createApp } from '../../src/http/app.ts';
import { buildEngineerReport, type EngineerReport } from '../../src/report/engineer-report.ts';
import { engineerReportHtml } from '../../src/report/html.tsx';
import { engineerReportMarkdown, mdFence, mdText } from '../../src/report/markdown.ts';
import { tempDir } from '../helpers/git-fixture.ts';

const BIN = resolve('bin/grasp.mjs');
const NOW = 1_795_000_000;
const EVIL_NAME = '<script>alert(1)</script>';
const EVIL_FILE = 'src/[x](javascript:alert(1))/*a*.ts';

let store: RepoStore;
let db: string;

beforeAll(async () => {
  db = join(tempDir('grasp-report-fmt-'), 'grasp.db');
  store = openRepoStore(db);
  await addEngineer(store, { handle: 'ada', emails: ['ada@example.com'] }, NOW * 1000);
  await store.db.insert(commits).values({ repoId: 1,
    sha: 'a'.repeat(40), seq: 1, parents: '[]', authorName: 'x', authorEmail: 'bot@x', authorDate: NOW - 86_400, committerName: 'x',
    committerEmail: 'bot@x', committerDate: NOW - 86_400, subject: 's', message: 'm', kind: 'agent', agent: 'claude', confidence: 1,
  });
  await store.db.insert(symbols).values([
    { id: 1, repoId: 1, file: EVIL_FILE, name: EVIL_NAME, kind: 'function', hash: 'e1', startLine: 1, endLine: 9, complexity: 2, agentLines: 9, authors: '["bot@x"]', lastSha: 'a'.repeat(40) },
    { id: 2, repoId: 1, file: 'src/ok.ts', name: 'fine', kind: 'function', hash: 'f1', startLine: 1, endLine: 3, complexity: 1, agentLines: 3, authors: '["bot@x"]' },
  ]);
  await store.db.insert(symbolChanges).values({ repoId: 1, sha: 'a'.repeat(40), file: EVIL_FILE, name: EVIL_NAME, symbolId: 1, kind: 'function', change: 'added', hash: 'e1', startLine: 1, endLine: 9 });
  await store.db.insert(symbolTexts).values([
    { hash: 'f0', text: 'function fine() {\n  return "```</pre><img src=x onerror=alert(1)>";\n}' },
    { hash: 'f1', text: 'function fine() {\n  return 2;\n}' },
  ]);
  // A stale mark on `fine` so the diff (with hostile text) is rendered.
  await store.db.update(symbols).set({ hash: 'f0' }).where(eq(symbols.id, 2));
  await recordMarks(store, { engineer: { id: 1, handle: 'ada' }, target: 'src/ok.ts#fine', level: 'reviewed', source: 'cli', now: (NOW - 3600) * 1000 });
  await store.db.update(symbols).set({ hash: 'f1' }).where(eq(symbols.id, 2));
});

afterAll(() => store?.close());

async function report(): Promise<EngineerReport> {
  return buildEngineerReport(store, 'ada', { now: NOW * 1000 });
}

describe('markdown', () => {
  it('escapes inline syntax and HTML in untrusted text', () => {
    expect(mdText(EVIL_NAME)).toBe('&lt;script&gt;alert\\(1\\)&lt;/script&gt;');
    expect(mdText('[x](javascript:y) *b* `c` | d\nnext')).toBe('\\[x\\]\\(javascript:y\\) \\*b\\* \\`c\\` \\| d next');
  });
  it('fences code with a fence longer than any backtick run inside', () => {
    expect(mdFence('a ```` b', 'diff')).toBe('`````diff\na ```` b\n`````');
    expect(mdFence('plain\n')).toBe('```\nplain\n```');
  });
  it('renders the report with every untrusted value escaped', async () => {
    const md = engineerReportMarkdown(await report());
    expect(md).not.toContain('<script>');
    expect(md).toContain('&lt;script&gt;alert\\(1\\)&lt;/script&gt;');
    expect(md).toContain('src/\\[x\\]\\(javascript:alert\\(1\\)\\)/\\*a\\*.ts');
    expect(md).toContain('- Stale marks: **1**');
    // The diff is fenced with four backticks because the old text holds a run of three.
    expect(md).toMatch(/\n````diff\n[\s\S]*<img src=x onerror=alert\(1\)>[\s\S]*\n````\n/);
  });
});

describe('html', () => {
  it('renders a fragment where hostile names, paths and diffs are text', async () => {
    const html = await engineerReportHtml(await report());
    expect(html.startsWith('<section class="grasp-report"')).toBe(true);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<dd data-key="staleMarks">1</dd>');
  });
});

describe('API', () => {
  const app = () => createApp({ store, now: () => NOW * 1000 });
  it('serves the report as JSON in the documented shape', async () => {
    const res = await app().request('/api/engineers/ada/report');
    expect(res.status).toBe(200);
    const body = (await res.json()) as EngineerReport;
    expect(body).toEqual(JSON.parse(JSON.stringify(await report())));
    expect(Object.keys(body.summary).sort()).toEqual(['debt', 'myCoverage', 'staleMarks', 'teamCoverage']);
    for (const item of body.items) {
      expect(Object.keys(item)).toEqual(expect.arrayContaining(['symbol', 'kind', 'file', 'startLine', 'endLine', 'debt', 'score', 'reasons', 'understoodBy', 'stale']));
    }
  });
  it('serves md and html renderings on request, with nosniff', async () => {
    const html = await app().request('/api/engineers/ada/report?format=html&scope=src/ok.ts');
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await html.text()).toContain('data-symbol="fine"');
    const md = await app().request('/api/hotspots?format=md');
    expect(md.headers.get('content-type')).toContain('text/markdown');
  });
  it('answers 404 for an unknown engineer and 400 for bad input', async () => {
    const missing = await app().request('/api/engineers/nobody/report');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not-found' } });
    for (const url of ['/api/engineers/ada/report?scope=../etc', '/api/engineers/ada/report?scope=/abs', '/api/hotspots?limit=0', '/api/islands?format=pdf', '/api/engineers/ADA%20X/report']) {
      const res = await app().request(url);
      expect(res.status, url).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid' } });
    }
  });
  it('serves hotspots and islands', async () => {
    const hot = (await (await app().request('/api/hotspots?limit=1')).json()) as { symbols: { symbol: string }[] };
    expect(hot.symbols.map((s) => s.symbol)).toEqual([EVIL_NAME]); // changed yesterday; `fine` has no recorded change
    const islands = (await (await app().request('/api/islands')).json()) as { staleOnly: { symbol: string; staleBy: string[] }[] };
    expect(islands.staleOnly).toEqual([expect.objectContaining({ symbol: 'fine', staleBy: ['ada'] })]);
  });
});

describe('CLI', () => {
  const grasp = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args, '--db', db], { encoding: 'utf8' });
  it('prints the report as JSON, and refuses an unknown engineer or format', () => {
    const ok = grasp('report', 'ada', '--format', 'json', '--scope', './src/ok.ts/');
    expect(ok.status, ok.stderr).toBe(0);
    const body = JSON.parse(ok.stdout) as EngineerReport;
    expect(body.scope).toBe('src/ok.ts');
    expect(body.items.map((i) => i.symbol)).toEqual(['fine']);
    const missing = grasp('report', 'nobody');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no engineer with handle "nobody"');
    const bad = grasp('hotspots', '--format', 'pdf');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown format');
  });
});
