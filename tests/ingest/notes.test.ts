/** git-ai notes under refs/notes/ai: line-level agent authorship, malformed notes, notes written after ingest. */
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { openRepoStore } from '../helpers/repo-store.ts';

import { getCommit, listWarnings } from '../../src/db/repo/commits.ts';
import { aiLines } from '../../src/db/schema.ts';
import { formatGitAiNote } from '../../src/core/git-ai-note.ts';
import { GitFixture, tempDir } from '../helpers/git-fixture.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function setup() {
  const repo = new GitFixture();
  const dir = tempDir();
  const store = openRepoStore(join(dir, 'g.db'));
  cleanups.push(() => {
    store.close();
    repo.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  return { repo, store };
}

const note = (path: string) =>
  formatGitAiNote({
    schemaVersion: 'authorship/3.0.0',
    files: [{ path, sessions: [{ session: 'abc1234def567890', ranges: [[2, 4]] }, { session: 'h_0123456789abcd', ranges: [[1, 1]] }] }],
    sessions: { abc1234def567890: { agent: 'claude', model: 'claude-sonnet-4' }, h_0123456789abcd: { agent: null, model: null } },
  });

describe('git-ai notes', () => {
  it('stores agent line ranges from a note and classifies the commit as agent-written', async () => {
    const { repo, store } = setup();
    const sha = repo.write('src/with space.ts', 'a\nb\nc\nd\n').commit({ message: 'plain message, human author' });
    repo.note(sha, note('src/with space.ts'));
    await ingestRepository(store, repo.dir);
    expect(await getCommit(store, sha)).toMatchObject({ kind: 'agent', agent: 'claude' });
    const rows = await store.db.select().from(aiLines).all();
    // Agent lines carry the agent; the known human's line is kept too, with no agent.
    expect(rows).toEqual([
      { repoId: 1, sha, path: 'src/with space.ts', session: 'abc1234def567890', agent: 'claude', model: 'claude-sonnet-4', ranges: '2-4' },
      { repoId: 1, sha, path: 'src/with space.ts', session: 'h_0123456789abcd', agent: null, model: null, ranges: '1' },
    ]);
  });

  it('a note with only human lines does not make a commit agent-written', async () => {
    const { repo, store } = setup();
    const sha = repo.write('a.ts', 'a\n').commit();
    repo.note(
      sha,
      formatGitAiNote({
        schemaVersion: 'authorship/3.0.0',
        files: [{ path: 'a.ts', sessions: [{ session: 'h_0123456789abcd', ranges: [[1, 1]] }] }],
        sessions: { h_0123456789abcd: { agent: null, model: null } },
      }),
    );
    await ingestRepository(store, repo.dir);
    expect(await getCommit(store, sha)).toMatchObject({ kind: 'human' });
    expect((await store.db.select().from(aiLines).all()).filter((r) => r.agent !== null)).toEqual([]);
  });

  it('reports and skips a malformed note without failing the ingest', async () => {
    const { repo, store } = setup();
    const sha = repo.write('a.ts', 'a\n').commit();
    repo.note(sha, 'a.ts\n  abc1234 not-a-range\n---\n{}');
    const s = await ingestRepository(store, repo.dir);
    expect(s.newCommits).toBe(1);
    const warnings = await listWarnings(store, sha);
    expect(warnings.map((w) => w.code)).toEqual(['malformed-git-ai-note']);
    expect(await getCommit(store, sha)).toMatchObject({ kind: 'human' });
  });

  it('picks up a note written after the commit was ingested', async () => {
    const { repo, store } = setup();
    const sha = repo.write('a.ts', 'a\nb\nc\nd\n').commit();
    await ingestRepository(store, repo.dir);
    expect(await getCommit(store, sha)).toMatchObject({ kind: 'human' });
    repo.note(sha, note('a.ts'));
    const second = await ingestRepository(store, repo.dir);
    expect(second.newCommits).toBe(0);
    expect(second.reclassified).toBe(1);
    expect(await getCommit(store, sha)).toMatchObject({ kind: 'agent', agent: 'claude' });
  });
});
