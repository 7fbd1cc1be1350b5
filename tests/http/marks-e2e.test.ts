/**
 * Marks end to end on a real git repository, through ingest, ts-morph analysis and the HTTP API:
 * a mark survives formatting-only edits and file moves, and goes stale on a real change.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepoStore } from '../helpers/repo-store.ts';
import type { RepoStore, Store } from '../../src/db/store.ts';

import { addEngineer } from '../../src/db/repo/engineers.ts';
import { createToken } from '../../src/db/repo/tokens.ts';
import { createApp } from '../../src/http/app.ts';
import { GitFixture, HUMAN, tempDir } from '../helpers/git-fixture.ts';

const root = join(import.meta.dirname, '..', '..', 'src');
const pipelineExists = existsSync(join(root, 'ingest', 'ingest.ts')) && existsSync(join(root, 'analysis', 'analyze.ts'));

const CLAUDE = { name: 'Claude', email: 'noreply@anthropic.com' };
const lines = (...l: string[]) => `${l.join('\n')}\n`;
const CACHE = lines(
  'export class Cache {',
  '  private items = new Map<string, number>();',
  '  get(key: string) {',
  '    return this.items.get(key);',
  '  }',
  '  set(key: string, value: number) {',
  '    this.items.set(key, value);',
  '  }',
  '}',
);
// Same code, different formatting: indentation, quotes-free reflow, trailing semicolons dropped.
const CACHE_REFORMATTED = lines(
  'export class Cache {',
  '    private items = new Map<string, number>()',
  '',
  '    get(key: string) { return this.items.get(key) }',
  '',
  '    set(key: string, value: number) {',
  '        this.items.set(key, value)',
  '    }',
  '}',
);
const CACHE_CHANGED = CACHE_REFORMATTED.replace(
  '    get(key: string) { return this.items.get(key) }',
  '    get(key: string) {\n        if (!key) return undefined\n        return this.items.get(key)\n    }',
);

type MarkJson = { symbol: string; file: string; stale: boolean; level: string; hash: string; currentHash: string };

describe.skipIf(!pipelineExists)('marks through ingest and analysis', () => {
  let repo: GitFixture;
  let dir: string;
  let store: RepoStore;
  let app: ReturnType<typeof createApp>;
  let token: string;
  const shas: string[] = [];

  async function sync() {
    const { ingestRepository } = await import('../../src/ingest/ingest.ts');
    const { analyzeRepository } = await import('../../src/analysis/analyze.ts');
    await ingestRepository(store, repo.dir);
    await analyzeRepository(store, repo.dir);
  }
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(`http://grasp.test${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const currentMarks = async () => {
    const res = await api('GET', '/api/engineers/ada/marks');
    expect(res.status).toBe(200);
    return new Map((res.body.marks as MarkJson[]).map((m) => [`${m.file}#${m.symbol}`, m]));
  };

  beforeAll(async () => {
    repo = new GitFixture();
    dir = tempDir();
    store = openRepoStore(join(dir, 'grasp.db'));
    app = createApp({ store });
    shas.push(repo.write('src/cache.ts', CACHE).write('README.md', '# cache\n').commit({ author: HUMAN, message: 'Add cache' }));
    await sync();
    await addEngineer(store, { handle: 'ada', emails: [HUMAN.email] });
    token = (await createToken(store, { handle: 'ada' })).token;
  });

  afterAll(() => {
    store?.close();
    repo?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('marks every symbol of a file, and a symbol-less file at file granularity', async () => {
    const res = await api('POST', '/api/marks', { target: 'src/cache.ts', level: 'reviewed' });
    expect(res.status).toBe(201);
    expect((res.body.marks as MarkJson[]).map((m) => m.symbol).sort()).toEqual(['Cache', 'Cache.get', 'Cache.set']);
    const readme = await api('POST', '/api/marks', { target: 'README.md', level: 'viewed' });
    expect(readme.status).toBe(201);
    expect(readme.body.marks).toMatchObject([{ symbol: '', file: 'README.md' }]);
    const marks = await currentMarks();
    expect([...marks.values()].every((m) => !m.stale)).toBe(true);
  });

  it('keeps marks fresh across a formatting-only commit by an agent', async () => {
    shas.push(repo.write('src/cache.ts', CACHE_REFORMATTED).commit({ author: CLAUDE, message: 'Reformat' }));
    await sync();
    const marks = await currentMarks();
    expect(marks.get('src/cache.ts#Cache.get')).toMatchObject({ stale: false, level: 'reviewed' });
    expect(marks.get('src/cache.ts#Cache.set')).toMatchObject({ stale: false });
  });

  it('keeps marks fresh when the file moves', async () => {
    repo.move('src/cache.ts', 'src/store/cache.ts');
    shas.push(repo.commit({ author: HUMAN, message: 'Move cache' }));
    await sync();
    const marks = await currentMarks();
    expect(marks.get('src/store/cache.ts#Cache.set')).toMatchObject({ stale: false });
    expect(marks.has('src/cache.ts#Cache.set')).toBe(false);
  });

  it('goes stale on a real change, shows the diff, and is fresh again after a new review', async () => {
    shas.push(repo.write('src/store/cache.ts', CACHE_CHANGED).write('README.md', '# cache\n\nNow with guards.\n').commit({ author: CLAUDE, message: 'Guard keys' }));
    await sync();
    let marks = await currentMarks();
    expect(marks.get('src/store/cache.ts#Cache.get')).toMatchObject({ stale: true, level: 'reviewed' });
    expect(marks.get('src/store/cache.ts#Cache.set')).toMatchObject({ stale: false });
    expect(marks.get('README.md#')).toMatchObject({ stale: true });

    const stale = await api('GET', '/api/engineers/ada/stale');
    const get = (stale.body.marks as (MarkJson & { diff: string | null })[]).find((m) => m.symbol === 'Cache.get')!;
    expect(get.diff).toContain('+');
    expect(get.diff).toMatch(/\+.*if \(!key\) return undefined/);

    // Marking the commit covers what it changed: Cache.get (and the symbol-less README).
    const byCommit = await api('POST', '/api/marks', { target: shas.at(-1)!.slice(0, 10), level: 'explained', note: 'empty keys return undefined' });
    expect(byCommit.status).toBe(201);
    expect((byCommit.body.marks as MarkJson[]).map((m) => `${m.file}#${m.symbol}`).sort()).toEqual(['README.md#', 'src/store/cache.ts#Cache.get']);
    marks = await currentMarks();
    expect([...marks.values()].filter((m) => m.stale)).toEqual([]);
    expect(marks.get('src/store/cache.ts#Cache.get')).toMatchObject({ level: 'explained' });

    const history = await api('GET', '/api/engineers/ada/history');
    expect((history.body.marks as { name: string }[]).filter((m) => m.name === 'Cache.get')).toHaveLength(2);
  });

  it('expands a range base..head over the stored history', async () => {
    const res = await api('GET', `/api/marks?target=${shas[0]!.slice(0, 8)}..${shas.at(-1)!.slice(0, 8)}`);
    expect(res.status).toBe(200);
    const names = (res.body.items as { symbol: string; file: string }[]).map((i) => `${i.file}#${i.symbol}`).sort();
    // The reformat and the move change no symbol content; the guard commit changed Cache.get; moves count as moved.
    expect(names).toContain('src/store/cache.ts#Cache.get');
    expect(names).toContain('README.md#');
  });
});
