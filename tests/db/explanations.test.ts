import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openRepoStore } from '../helpers/repo-store.ts';

import { latestExplanations, searchExplanations } from '../../src/db/repo/explanations.ts';
import { createApp } from '../../src/http/app.ts';
import { buildChecklist } from '../../src/checklist/build.ts';
import { formatChecklistMarkdown } from '../../src/checklist/markdown.ts';
import { GitFixture } from '../helpers/git-fixture.ts';

const bin = resolve(__dirname, '../../bin/grasp.mjs');
const grasp = (args: string[]) => execFileSync('node', [bin, ...args], { encoding: 'utf8' });

describe('explanations become team knowledge', () => {
  const repo = new GitFixture();
  const dir = mkdtempSync(join(tmpdir(), 'grasp-explain-'));
  const db = join(dir, 'g.db');
  afterAll(() => {
    repo.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds an explanation by its words, over the CLI and HTTP, and shows it stale after the symbol changes', async () => {
    const first = repo.write('src/retry.ts', 'export function retry(n: number) {\n  return 2 ** n * 100;\n}\n\nexport function other() {\n  return 1;\n}\n').commit({ message: 'retry' });
    grasp(['ingest', repo.dir, '--db', db]);
    grasp(['engineer', 'add', 'ada', '--name', 'Ada', '--db', db]);
    grasp(['mark', 'src/retry.ts#retry', '--as', 'ada', '--level', 'explained', '--note', 'Doubles the wait each attempt: exponential backoff in milliseconds.', '--db', db]);
    grasp(['mark', 'src/retry.ts#other', '--as', 'ada', '--level', 'reviewed', '--note', 'backoff is not here', '--db', db]);

    const hits = JSON.parse(grasp(['explain', 'search', 'exponential', 'backof*', '--db', db, '--json']));
    expect(hits).toEqual([expect.objectContaining({ target: 'src/retry.ts#retry', engineer: 'ada', stale: false })]);
    expect(hits[0].snippet).toContain('[exponential]');
    // A reviewed mark's note is not an explanation; words that match nothing find nothing.
    expect(JSON.parse(grasp(['explain', 'search', 'here', '--db', db, '--json']))).toEqual([]);
    expect(grasp(['explain', 'search', 'NOT', '"', '(', '--db', db])).toMatch(/^no explanation matches/);

    const second = repo.write('src/retry.ts', 'export function retry(n: number) {\n  return Math.min(2 ** n * 100, 30_000);\n}\n\nexport function other() {\n  return 1;\n}\n').commit({ message: 'cap' });
    grasp(['ingest', repo.dir, '--db', db]);
    const store = openRepoStore(db);
    try {
      const [hit] = await searchExplanations(store, 'backoff');
      expect(hit).toMatchObject({ name: 'retry', stale: true });
      const latest = await latestExplanations(store, [hit!.symbolId!]);
      expect(latest.get(hit!.symbolId!)).toMatchObject({ engineer: 'ada', stale: true, note: expect.stringContaining('backoff') });
      // The next reader of a change to the symbol sees the explanation, marked stale (it explains the old version).
      const checklist = await buildChecklist(store, { base: first, head: second });
      const item = checklist.items.find((i) => i.symbol === 'retry')!;
      expect(item.explanation).toMatchObject({ by: 'ada', stale: true, note: expect.stringContaining('exponential backoff') });
      const md = formatChecklistMarkdown(checklist);
      expect(md).toContain('Explained by ada');
      expect(md).toContain('stale: written for an earlier version');
      const app = createApp({ store });
      const res = await app.request('/api/explanations?q=backoff');
      expect(res.status).toBe(200);
      expect((await res.json()).results).toEqual([expect.objectContaining({ target: 'src/retry.ts#retry', stale: true })]);
      const bad = await app.request('/api/explanations?q=');
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.code).toBe('invalid');
    } finally {
      store.close();
    }
  }, 90_000);
});
