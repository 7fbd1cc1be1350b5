/** A squash-merged PR (agent, agent, human fix-up) read with --all-refs: the squash gets the PR's authorship. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRanges, rangesLineCount } from '../../src/core/ranges.ts';
import { openRepoStore } from '../helpers/repo-store.ts';

import { getCommit } from '../../src/db/repo/commits.ts';
import { aiLines } from '../../src/db/schema.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { GitFixture, tempDir } from '../helpers/git-fixture.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
const CLAUDE = { name: 'claude[bot]', email: '209825114+claude[bot]@users.noreply.github.com' };

describe('squash merges with PR refs', () => {
  it('the squash commit gets pr-commits evidence and the agent lines that survived', async () => {
    const repo = new GitFixture();
    const dir = tempDir();
    const store = openRepoStore(join(dir, 'g.db'));
    cleanups.push(() => {
      store.close();
      repo.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });
    repo.write('src/rate.ts', 'export const header = 1;\n').commit({ message: 'base' });
    repo.git('checkout', '-q', '-b', 'work');
    const body = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `export const r${i + from} = ${i + from};`);
    const v1 = ['export const header = 1;', ...body(10)];
    repo.write('src/rate.ts', v1.join('\n') + '\n').commit({ author: CLAUDE, message: 'Add rate limiter' });
    const v2 = [...v1, ...body(5, 10)];
    repo.write('src/rate.ts', v2.join('\n') + '\n').commit({ author: CLAUDE, message: 'Add burst handling' });
    const v3 = v2.map((l, i) => (i === 3 || i === 7 ? l.replace('= ', '= 1 + ') : l));
    v3.push('export const reviewed = true;');
    const head = repo.write('src/rate.ts', v3.join('\n') + '\n').commit({ message: 'Review fix-ups' });
    repo.git('update-ref', 'refs/pull/7/head', head);
    repo.git('checkout', '-q', 'main');
    repo.git('branch', '-q', '-D', 'work');
    repo.git('merge', '-q', '--squash', head);
    const squash = repo.commit({ message: 'Add rate limiting (#7)' });

    await ingestRepository(store, repo.dir, { allRefs: true });
    const c = (await getCommit(store, squash))!;
    expect(c).toMatchObject({ kind: 'agent', agent: 'claude' });
    const ev = (JSON.parse(c.evidence) as { signal: string; detail: string }[]).find((e) => e.signal === 'pr-commits');
    expect(ev?.detail).toMatch(/^PR #7: 13 of 16 added lines by claude/);
    const rows = (await store.db.select().from(aiLines).all()).filter((r) => r.sha === squash);
    expect(rows.reduce((n, r) => n + rangesLineCount(parseRanges(r.ranges)), 0)).toBe(13);
  });
});
