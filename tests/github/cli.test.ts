/**
 * `grasp sync github` as a real process: token and endpoint from the environment, a GitHub
 * Enterprise style endpoint (/api/graphql) served on loopback from the recorded responses.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario, recordedFetch, type RecordedFetch } from '../fixtures/github/recorded-fetch.ts';
import { tempDir } from '../helpers/git-fixture.ts';

const BIN = resolve(import.meta.dirname, '../../bin/grasp.mjs');

function run(args: string[], env: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = { ...process.env };
  delete base.GITHUB_TOKEN;
  delete base.GITHUB_GRAPHQL_URL;
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...base, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Loopback "GitHub Enterprise" answering POST /api/graphql from recordings; anything else is a 404. */
async function enterprise(served: RecordedFetch): Promise<{ server: Server; url: string; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer(async (req, res) => {
    paths.push(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || req.url !== '/api/graphql') {
      res.writeHead(404).end();
      return;
    }
    try {
      const answer = await served.fetch(`http://${req.headers.host}${req.url}`, {
        method: 'POST',
        headers: { authorization: String(req.headers.authorization ?? '') },
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const headers: Record<string, string> = {};
      answer.headers.forEach((value, key) => (headers[key] = value));
      res.writeHead(answer.status, headers).end(await answer.text());
    } catch (err) {
      res.writeHead(599).end(String(err));
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/graphql`, paths };
}

const servers: Server[] = [];
afterEach(() => {
  while (servers.length) servers.pop()!.close();
});

describe('grasp sync github', () => {
  it('syncs from an Enterprise endpoint given by GITHUB_GRAPHQL_URL and prints the report', async () => {
    const served = recordedFetch(loadScenario('paged'));
    const ghe = await enterprise(served);
    servers.push(ghe.server);
    const db = join(tempDir('grasp-gh-cli-'), 'grasp.db');
    const env = { GITHUB_TOKEN: 'ghp_cli', GITHUB_GRAPHQL_URL: ghe.url };
    // Page size is 10 from the CLI: the recordings were made with 2, but `first` is not pinned by them.
    const text = await run(['sync', 'github', 'acme/shop', '--db', db], env);
    expect(text.stderr).not.toContain('unexpected');
    expect(served.violation()).toBeNull();
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('acme/shop: 4 pull requests, 1 reviews, 2 review comments');
    expect(text.stdout).toContain('"Viewed" file ticks only for the token\'s own user (carol-c)');
    expect(ghe.paths.every((p) => p === 'POST /api/graphql')).toBe(true);
    expect(served.sent[0]!.authorization).toBe('token ghp_cli');
  });

  it('explains a missing token, a bad repository name and a bad date, with exit code 2', async () => {
    const db = join(tempDir('grasp-gh-cli-'), 'grasp.db');
    const noToken = await run(['sync', 'github', 'acme/shop', '--db', db], {});
    expect(noToken).toMatchObject({ code: 2 });
    expect(noToken.stderr).toContain('GITHUB_TOKEN is not set');
    const badRepo = await run(['sync', 'github', 'not a repo', '--db', db], { GITHUB_TOKEN: 't' });
    expect(badRepo).toMatchObject({ code: 2 });
    expect(badRepo.stderr).toContain('is not a GitHub repository');
    const badDate = await run(['sync', 'github', 'acme/shop', '--since', 'last tuesday', '--db', db], { GITHUB_TOKEN: 't' });
    expect(badDate).toMatchObject({ code: 2 });
    expect(badDate.stderr).toContain('--since "last tuesday" is not a date');
    const badUrl = await run(['sync', 'github', 'acme/shop', '--db', db], { GITHUB_TOKEN: 't', GITHUB_GRAPHQL_URL: 'https://ghe.example.com/api/v3' });
    expect(badUrl).toMatchObject({ code: 2 });
    expect(badUrl.stderr).toContain('GITHUB_GRAPHQL_URL must end in /graphql');
  });

  it('a rejected token exits 3 with the reason', async () => {
    const served = recordedFetch(loadScenario('bad-token'));
    const ghe = await enterprise(served);
    servers.push(ghe.server);
    const db = join(tempDir('grasp-gh-cli-'), 'grasp.db');
    const res = await run(['sync', 'github', 'acme/shop', '--db', db], { GITHUB_TOKEN: 'ghp_revoked', GITHUB_GRAPHQL_URL: ghe.url });
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('grasp: GitHub rejected the token (401)');
  });
});
