/**
 * The digest API and page answer from a cache while the database is unchanged: repeated GETs build
 * the digest once; a commit by another connection (an ingest, a mark written elsewhere) or a new
 * minute of the current week builds it again; the cache holds at most DIGEST_CACHE_ENTRIES weeks.
 * Before the cache, every unauthenticated GET recomputed the whole digest.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { buildDigest } from '../../src/digest/build.ts';
import { DIGEST_CACHE_ENTRIES, digestBuilds } from '../../src/digest/cache.ts';
import { openRepoStore } from '../helpers/repo-store.ts';
import type { RepoStore, Store } from '../../src/db/store.ts';

import { addEngineer } from '../../src/db/repo/engineers.ts';
import { recordMarks } from '../../src/db/repo/marks.ts';
import { createApp } from '../../src/http/app.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { buildHistory, GitFixture, HUMAN } from '../helpers/git-fixture.ts';
import { openTempRepoStore, tempDbPath } from '../helpers/marks-seed.ts';

let repo: GitFixture;
let store: RepoStore;
let dbFile: string;
let clock = Date.parse('2026-01-06T12:00:00Z'); // 2026-W02, inside the generated history
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  repo = new GitFixture();
  buildHistory(repo, 60, 6);
  dbFile = tempDbPath();
  store = openTempRepoStore(dbFile);
  await addEngineer(store, { handle: 'ada', emails: [HUMAN.email] });
  await ingestRepository(store, repo.dir);
  await analyzeRepository(store, repo.dir);
  app = createApp({ store, now: () => clock });
}, 60_000);

afterAll(() => {
  store.close();
  rmSync(repo.dir, { recursive: true, force: true });
});

const get = async (path: string) => {
  const res = await app.request(path);
  expect(res.status, path).toBe(200);
  return res.text();
};

describe('digest cache', () => {
  it('builds once for repeated requests, and again after another connection commits', async () => {
    const before = digestBuilds(store);
    const first = await get('/api/digest');
    for (let i = 0; i < 5; i++) expect(await get('/api/digest')).toBe(first);
    await get('/digest'); // the page shares the entry
    expect(digestBuilds(store) - before).toBe(1);
    expect(JSON.parse(first)).toEqual(JSON.parse(JSON.stringify(await buildDigest(store, { now: clock }))));

    // Another process's commit moves data_version: the next request sees the new mark.
    const other = openRepoStore(dbFile);
    try {
      const ada = (await addEngineer(other, { handle: 'bob' })).id;
      await recordMarks(other, { engineer: { id: ada, handle: 'bob' }, target: 'src/m1.ts', level: 'reviewed', source: 'cli', now: clock - 1000 });
    } finally {
      other.close();
    }
    const after = await get('/api/digest');
    expect(digestBuilds(store) - before).toBe(2);
    expect(JSON.parse(after)).toEqual(JSON.parse(JSON.stringify(await buildDigest(store, { now: clock }))));
  });

  it('the current week is rebuilt when the minute changes; a past week is not', async () => {
    await get('/api/digest?week=2026-W01');
    await get('/api/digest');
    const before = digestBuilds(store);
    clock += 61_000;
    await get('/api/digest?week=2026-W01');
    expect(digestBuilds(store) - before).toBe(0);
    await get('/api/digest');
    expect(digestBuilds(store) - before).toBe(1);
  });

  it(`keeps at most ${DIGEST_CACHE_ENTRIES} digests, least recently used out first`, async () => {
    // Weeks of 2025: valid, past, and each its own entry.
    const weeks = Array.from({ length: DIGEST_CACHE_ENTRIES + 4 }, (_, i) => `2025-W${String(i + 1).padStart(2, '0')}`);
    for (const w of weeks) await get(`/api/digest?week=${w}`);
    const before = digestBuilds(store);
    await get(`/api/digest?week=${weeks.at(-1)}`); // recent: still cached
    expect(digestBuilds(store) - before).toBe(0);
    await get(`/api/digest?week=${weeks[0]}`); // oldest: evicted
    expect(digestBuilds(store) - before).toBe(1);
  });

  it('a refused week is not kept and answers the documented error each time', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await app.request('/api/digest?week=2099-W01');
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('invalid');
    }
  });
});
