/**
 * `grasp checklist --pr N --post`: the real CLI posts to a loopback GraphQL endpoint
 * (GITHUB_GRAPHQL_URL) that keeps the PR's comments; the first run creates the one comment,
 * the second updates it in place, and a human comment quoting the marker is left alone.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openRepoStore } from '../helpers/repo-store.ts';

import { ingestRepository } from '../../src/ingest/ingest.ts';
import { analyzeRepository } from '../../src/analysis/analyze.ts';
import { setMeta } from '../../src/db/repo/commits.ts';
import { pullRequests } from '../../src/db/schema.ts';
import { GitFixture, tempDir } from '../helpers/git-fixture.ts';

const BIN = join(process.cwd(), 'bin/grasp.mjs');
const repo = new GitFixture();
const dir = tempDir();
let server: Server | undefined;
afterAll(() => {
  server?.close();
  repo.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

interface Comment { id: string; body: string; author: { __typename: string; login: string } }

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('checklist --post', () => {
  it('creates the one checklist comment, then updates it instead of adding another', async () => {
    const base = repo.write('src/a.ts', 'export function a(x: number) {\n  return x;\n}\n').commit({ message: 'base' });
    const head = repo
      .write('src/a.ts', 'export function a(x: number, y = 1) {\n  if (x > y) return x;\n  return y;\n}\n')
      .commit({ message: 'agent change\n\nCo-authored-by: Claude <noreply@anthropic.com>' });
    const db = join(dir, 'g.db');
    const store = openRepoStore(db);
    await ingestRepository(store, repo.dir);
    await analyzeRepository(store, repo.dir);
    await setMeta(store, 'repo.1.github.repo', 'acme/shop');
    await store.db.insert(pullRequests).values({ repoId: 1, number: 5, title: 'agent change', state: 'OPEN', baseSha: base, headSha: head, createdAt: 1, updatedAt: 1 });
    store.close();

    const comments: Comment[] = [
      { id: 'IC_human', body: 'quoting <!-- grasp:checklist --> in prose', author: { __typename: 'User', login: 'ada' } },
    ];
    const operations: string[] = [];
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      let data: unknown;
      if (query.includes('addComment')) {
        operations.push('add');
        comments.push({ id: 'IC_grasp', body: variables.body, author: { __typename: 'User', login: 'grasp-bot' } });
        data = { addComment: { commentEdge: { node: { id: 'IC_grasp', url: 'https://example.test/pr/5#c1' } } } };
      } else if (query.includes('updateIssueComment')) {
        operations.push(`update ${variables.id}`);
        comments.find((c) => c.id === variables.id)!.body = variables.body;
        data = { updateIssueComment: { issueComment: { id: variables.id, url: 'https://example.test/pr/5#c1' } } };
      } else {
        operations.push('find');
        data = { viewer: { login: 'grasp-bot' }, repository: { pullRequest: { id: 'PR_5', comments: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: comments } } } };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
    });
    await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
    const env = { GITHUB_TOKEN: 'ghp_test', GITHUB_GRAPHQL_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/graphql` };

    const first = await run(['checklist', '--pr', '5', '--post', '--db', db], env);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('created the checklist comment on PR #5');
    const second = await run(['checklist', '--pr', '5', '--post', '--db', db], env);
    expect(second.stdout).toContain('updated the checklist comment on PR #5');
    expect(operations).toEqual(['find', 'add', 'find', 'update IC_grasp']);
    const ours = comments.filter((c) => c.author.login === 'grasp-bot');
    expect(ours).toHaveLength(1);
    expect(ours[0]!.body.startsWith('<!-- grasp:checklist -->')).toBe(true);
    expect(ours[0]!.body).toContain('src/a.ts');
    expect(comments.find((c) => c.id === 'IC_human')!.body).toBe('quoting <!-- grasp:checklist --> in prose');

    const check = openRepoStore(db);
    expect((await check.db.select().from(pullRequests).all())[0]!.commentId).toBe('IC_grasp');
    check.close();

    const noPr = await run(['checklist', `${base.slice(0, 8)}..${head.slice(0, 8)}`, '--post', '--db', db], env);
    expect(noPr.code).toBe(2);
    expect(noPr.stderr).toContain('--post needs --pr N');
  });
});
