/** Every authorship record, read by a real ingest of a real repository, into ai_lines and provenance. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRanges, rangesLineCount } from '../../src/core/ranges.ts';
import { openNodeStore } from '../../src/db/node/open.ts';
import { getCommit, listWarnings } from '../../src/db/repo/commits.ts';
import { aiLines } from '../../src/db/schema.ts';
import { ingestRepository } from '../../src/ingest/ingest.ts';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { commitChanges } from '../../src/analysis/views.ts';
import { GitFixture, tempDir } from '../helpers/git-fixture.ts';
import { GIT_AI_14_NOTE } from '../helpers/authorship-fixtures.ts';
import { openRepoStore } from '../helpers/repo-store.ts';

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

const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `const ${tag}${i} = ${i};`).join('\n') + '\n';

async function linesBy(store: ReturnType<typeof openNodeStore>, sha: string) {
  const rows = (await store.db.select().from(aiLines).all()).filter((r) => r.sha === sha);
  const count = (pred: (r: (typeof rows)[number]) => boolean) => rows.filter(pred).reduce((n, r) => n + rangesLineCount(parseRanges(r.ranges)), 0);
  return { agent: count((r) => r.agent !== null), human: count((r) => r.agent === null && r.session !== '~untracked'), untracked: count((r) => r.session === '~untracked') };
}

describe('authorship records at ingest', () => {
  it('git-ai 1.4 note: sessions, humans and untracked lines', async () => {
    const { repo, store } = setup();
    const sha = repo.write('src/upload.ts', lines(25, 'u')).commit({ message: 'Add upload' });
    repo.note(sha, GIT_AI_14_NOTE);
    await ingestRepository(store, repo.dir);
    expect(await linesBy(store, sha)).toEqual({ agent: 13, human: 4, untracked: 8 });
    expect(await getCommit(store, sha)).toMatchObject({ kind: 'agent' });
  });

  it('grasp changes keeps its shape and adds untrackedLines for the symbol that holds them', async () => {
    const { repo, store } = setup();
    const body = Array.from({ length: 23 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const sha = repo.write('src/upload.ts', `export function upload() {\n${body}\n}\n`).commit({ message: 'Add upload' });
    repo.note(sha, GIT_AI_14_NOTE);
    await ingestRepository(store, repo.dir);
    await analyzeRepository(store, repo.dir);
    const changes = await commitChanges(store, sha);
    expect(changes.symbols).toEqual([
      { name: 'upload', kind: expect.any(String), file: 'src/upload.ts', change: 'added', agentLines: 13, humanLines: 4, untrackedLines: 8, complexity: 1 },
    ]);
  });

  it('agentblame and whogitit notes, read in the same pass as git-ai', async () => {
    const { repo, store } = setup();
    const a = repo.write('src/a.ts', lines(9, 'a')).commit({ message: 'Add a' });
    const b = repo.write('src/b.ts', lines(6, 'b')).commit({ message: 'Add b' });
    repo.note(a, JSON.stringify({ version: 1, timestamp: '2026-01-30T14:23:17Z', attributions: [{ path: 'src/a.ts', start_line: 1, end_line: 5, category: 'ai_generated', provider: 'cursor', model: 'gpt-5', confidence: 0.9 }] }), 'agentblame');
    const who = { version: 3, session: { session_id: 's1', model: { id: 'claude-opus-4-5' } }, prompts: [], files: [{ path: 'src/b.ts', lines: [1, 2, 3, 4].map((n) => ({ line_number: n, source: { type: n <= 3 ? 'AI' : 'Human' } })) }] };
    repo.note(b, JSON.stringify(who), 'whogitit');
    await ingestRepository(store, repo.dir);
    expect(await linesBy(store, a)).toEqual({ agent: 5, human: 0, untracked: 0 });
    expect(await linesBy(store, b)).toEqual({ agent: 3, human: 1, untracked: 2 });
    expect(await getCommit(store, a)).toMatchObject({ kind: 'agent', agent: 'cursor' });
    expect(JSON.parse((await getCommit(store, b))!.evidence)).toContainEqual({ signal: 'authorship-record', detail: 'whogitit record agent "claude"', agent: 'claude' });
  });

  it('Agent Trace records committed to .agent-trace/traces.jsonl attribute the commit that added them', async () => {
    const { repo, store } = setup();
    repo.write('src/c.ts', lines(3, 'c')).commit({ message: 'base' });
    const record = { version: '0.1', id: '6f9619ff-8b86-4011-b42d-00c04fc964ff', timestamp: '2026-02-01T10:00:00Z', tool: { name: 'claude-code' }, files: [{ path: 'src/d.ts', conversations: [{ contributor: { type: 'ai', model_id: 'anthropic/claude-opus-4-5' }, ranges: [{ start_line: 1, end_line: 7 }] }] }] };
    const sha = repo.write('src/d.ts', lines(10, 'd')).write('.agent-trace/traces.jsonl', JSON.stringify(record) + '\n').commit({ message: 'Add d' });
    await ingestRepository(store, repo.dir);
    expect(await linesBy(store, sha)).toEqual({ agent: 7, human: 0, untracked: 0 });
    expect(await getCommit(store, sha)).toMatchObject({ kind: 'agent', agent: 'claude' });
  });

  it('Entire trailers and its checkpoints branch name the agent', async () => {
    const { repo, store } = setup();
    const sha = repo.write('src/e.ts', lines(4, 'e')).commit({ message: 'feat: e\n\nEntire-Checkpoint: a3b2c4d5e6f7\nEntire-Attribution: 75% agent (3/4 lines)' });
    repo.git('checkout', '-q', '--orphan', 'entire/checkpoints/v1');
    repo.git('rm', '-rq', '--cached', '.');
    repo.write('a3/b2c4d5e6f7/metadata.json', JSON.stringify({ checkpoint_id: 'a3b2c4d5e6f7', agent: 'Claude Code' })).gitRaw(['add', 'a3/b2c4d5e6f7/metadata.json']);
    repo.gitRaw(['commit', '-qm', 'checkpoint']);
    repo.git('checkout', '-qf', 'main');
    await ingestRepository(store, repo.dir);
    const c = (await getCommit(store, sha))!;
    expect(c).toMatchObject({ kind: 'agent', agent: 'claude' });
    expect(JSON.parse(c.evidence)).toContainEqual({ signal: 'authorship-record', detail: 'entire record agent "claude"', agent: 'claude' });
  });

  it('a malformed record is a warning and the ingest goes on', async () => {
    const { repo, store } = setup();
    const sha = repo.write('x.ts', 'x\n').commit({ message: 'x\n\nEntire-Attribution: lots' });
    repo.note(sha, '{"version":1,"attributions":"nope"}', 'agentblame');
    const summary = await ingestRepository(store, repo.dir);
    expect(summary.newCommits).toBe(1);
    expect((await listWarnings(store)).map((w) => w.code).sort()).toEqual(['malformed-agentblame-note', 'malformed-entire-trailer']);
  });
});
