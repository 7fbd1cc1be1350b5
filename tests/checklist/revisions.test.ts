/**
 * Git revision syntax wherever a checklist range is taken: `HEAD~2..HEAD`, `main...feature` and
 * `sha^..sha` give byte-identical checklist JSON to the sha form, in the CLI (real child process),
 * the API and the page; an unknown revision is one line with git's message (CLI) or a 400 (HTTP).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { gitResolverAt } from '../../src/git/revisions.ts';
import { createApp } from '../../src/http/app.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { grasp } from '../cli/run-grasp.ts';
import { GitFixture, HUMAN, tempDir } from '../helpers/git-fixture.ts';
import { openRepoStore } from '../helpers/repo-store.ts';

const CLAUDE = { name: 'Claude', email: 'noreply@anthropic.com' };

describe('checklist ranges in git revision syntax', () => {
  const repo = new GitFixture();
  const dir = tempDir();
  const db = join(dir, 'grasp.db');
  const s: Record<string, string> = {};

  beforeAll(async () => {
    s.c0 = repo.write('src/a.ts', 'export function a(x: number): number {\n  return x;\n}\n').commit({ author: HUMAN, message: 'base' });
    s.c1 = repo.write('src/a.ts', 'export function a(x: number): number {\n  return x + 1;\n}\n').commit({ author: CLAUDE, message: 'one\n\nCo-authored-by: Claude <noreply@anthropic.com>' });
    s.c2 = repo.write('src/b.ts', 'export const b = (y: string) => y.trim();\n').commit({ author: HUMAN, message: 'two' });
    repo.branch('feature', s.c1).checkout('feature');
    s.f1 = repo.write('src/c.ts', 'export function c(): number {\n  return 3;\n}\n').commit({ author: CLAUDE, message: 'feature\n\nCo-authored-by: Claude <noreply@anthropic.com>' });
    s.f2 = repo.write('src/c.ts', 'export function c(): number {\n  return 4;\n}\n').commit({ author: HUMAN, message: 'feature 2' });
    repo.checkout('main');
    const store = openRepoStore(db);
    try {
      await ingestRepository(store, repo.dir, { allRefs: true });
      await analyzeRepository(store, repo.dir);
    } finally {
      store.close();
    }
  }, 60_000);
  afterAll(() => {
    repo.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (range: string) => {
    const r = grasp(['checklist', range, '--db', db, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return r.stdout;
  };

  it('gives the CLI the same bytes for HEAD~2..HEAD, main...feature, sha^..sha and X^! as for the shas', () => {
    expect(cli('HEAD~2..HEAD')).toBe(cli(`${s.c0}..${s.c2}`));
    expect(cli('main...feature')).toBe(cli(`${s.c1}..${s.f2}`));
    expect(cli(`${s.f2!.slice(0, 10)}^..${s.f2!.slice(0, 10)}`)).toBe(cli(`${s.f1}..${s.f2}`));
    expect(cli(`${s.f2}^!`)).toBe(cli(`${s.f1}..${s.f2}`));
    expect(JSON.parse(cli('main...feature')).items.map((i: { file: string }) => i.file)).toEqual(['src/c.ts']);
  }, 60_000);

  it('refuses an unknown revision in one line with git\'s message, exit 2', () => {
    const r = grasp(['checklist', 'nosuchbranch..HEAD', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/nosuchbranch/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('serves the same JSON on the API for revisions, a range= and the shas; 400 with the message when unknown', async () => {
    const store = openRepoStore(db, { readOnly: true });
    try {
      const app = createApp({ store, revisions: gitResolverAt });
      const get = async (query: string) => {
        const res = await app.request(`/api/checklists?${query}`);
        expect(res.status).toBe(200);
        return res.text();
      };
      const shaForm = await get(`base=${s.c0}&head=${s.c2}`);
      expect(await get(`base=${encodeURIComponent('HEAD~2')}&head=HEAD`)).toBe(shaForm);
      expect(await get(`range=${encodeURIComponent('HEAD~2..HEAD')}`)).toBe(shaForm);
      expect(await get(`range=${encodeURIComponent('main...feature')}`)).toBe(await get(`base=${s.c1}&head=${s.f2}`));
      expect(await get(`base=${encodeURIComponent(`${s.f2}^`)}&head=${s.f2}`)).toBe(await get(`base=${s.f1}&head=${s.f2}`));
      const bad = await app.request('/api/checklists?base=nosuchbranch&head=HEAD');
      expect(bad.status).toBe(400);
      const body = (await bad.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid');
      expect(body.error.message).toMatch(/nosuchbranch/);
      // The page takes the same revisions (it answered 400 for `^` before).
      const page = await app.request(`/checklist?base=${encodeURIComponent(`${s.f2}^`)}&head=${s.f2}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('src/c.ts');
      expect((await app.request('/checklist?base=nosuchbranch&head=HEAD')).status).toBe(400);
    } finally {
      store.close();
    }
  });

  it('resolves HEAD~n and sha^ over stored parents when the repository is not at hand (Workers)', async () => {
    const store = openRepoStore(db, { readOnly: true });
    try {
      const app = createApp({ store });
      const a = await app.request(`/api/checklists?base=${encodeURIComponent(`${s.c2}~2`)}&head=${s.c2}`);
      const b = await app.request(`/api/checklists?base=${s.c0}&head=${s.c2}`);
      expect(a.status).toBe(200);
      expect(await a.text()).toBe(await b.text());
      const named = await app.request('/api/checklists?base=main&head=feature');
      expect(named.status).toBe(400);
    } finally {
      store.close();
    }
  });
});
