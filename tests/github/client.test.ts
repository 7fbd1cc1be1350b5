/**
 * The GraphQL client's manners: endpoint derivation (GitHub Enterprise), auth header, retries of
 * secondary rate limits and server errors (bounded), waiting for the primary budget, partial data.
 */
import { describe, expect, it } from 'vitest';
import { GraspError } from '../../src/core/errors.ts';
import { createGithubClient, graphqlBaseUrl } from '../../src/github/client.ts';
import { PULL_REQUESTS_PAGE_QUERY } from '../../src/github/queries/pull-requests.ts';
import { loadScenario, recordedFetch, type Recording } from '../fixtures/github/recorded-fetch.ts';

const VARS = { owner: 'acme', name: 'empty', first: 10, after: null };
const success = () => loadScenario('empty')[0]!;
const failure = (status: number, headers: Record<string, string> = {}, message = 'nope'): Recording => ({
  operation: 'PullRequestsPage',
  status,
  headers,
  body: { message, documentation_url: 'https://docs.github.com/graphql' },
});

function setup(recordings: Recording[], opts: { graphqlUrl?: string; maxRetries?: number; maxWaitMs?: number; now?: number } = {}) {
  const served = recordedFetch(recordings);
  const sleeps: number[] = [];
  const client = createGithubClient({
    token: 'ghp_secret',
    fetch: served.fetch,
    graphqlUrl: opts.graphqlUrl,
    maxRetries: opts.maxRetries,
    maxWaitMs: opts.maxWaitMs,
    sleep: async (ms) => void sleeps.push(ms),
    now: () => opts.now ?? Date.parse('2026-11-10T12:30:00Z'),
  });
  return { client, served, sleeps };
}

describe('endpoint', () => {
  it('derives the REST base URL @octokit/graphql expects from the GraphQL endpoint', () => {
    expect(graphqlBaseUrl()).toBe('https://api.github.com');
    expect(graphqlBaseUrl('https://api.github.com/graphql')).toBe('https://api.github.com');
    expect(graphqlBaseUrl('https://ghe.example.com/api/graphql')).toBe('https://ghe.example.com/api');
    expect(graphqlBaseUrl('https://ghe.example.com/api/graphql/')).toBe('https://ghe.example.com/api');
    expect(graphqlBaseUrl('http://localhost:8080/graphql')).toBe('http://localhost:8080');
    for (const bad of ['ghe.example.com/api/graphql', 'https://ghe.example.com/api/v3', 'ftp://x/graphql', 'https://x/graphql?a=1', '']) {
      expect(() => graphqlBaseUrl(bad), bad).toThrow(GraspError);
    }
  });

  it('sends requests to the Enterprise endpoint with the token', async () => {
    const { client, served } = setup([success()], { graphqlUrl: 'https://ghe.example.com/api/graphql' });
    await client.request(PULL_REQUESTS_PAGE_QUERY, VARS);
    expect(served.sent[0]).toMatchObject({ url: 'https://ghe.example.com/api/graphql', authorization: 'token ghp_secret' });
  });

  it('refuses to start without a token', () => {
    expect(() => createGithubClient({ token: '  ' })).toThrow(/GITHUB_TOKEN/);
  });
});

describe('rate limits and retries', () => {
  it('retries a 429 after the retry-after seconds', async () => {
    const { client, served, sleeps } = setup([failure(429, { 'retry-after': '3' }), success()]);
    const res = await client.request(PULL_REQUESTS_PAGE_QUERY, VARS);
    expect(res.errors).toEqual([]);
    expect(served.remaining()).toBe(0);
    expect(sleeps).toEqual([3000]);
  });

  it('backs off exponentially on repeated secondary limits and gives up after the bound', async () => {
    const limited = () => failure(403, { 'retry-after': '1' }, 'You have exceeded a secondary rate limit.');
    const { client, served, sleeps } = setup([limited(), limited(), limited(), limited()], { maxRetries: 3 });
    const err = await client.request(PULL_REQUESTS_PAGE_QUERY, VARS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraspError);
    expect(err).toMatchObject({ code: 'github-failed' });
    expect((err as Error).message).toMatch(/rate limited \(403\) after 3 retries/);
    expect(served.remaining()).toBe(0);
    expect(sleeps).toEqual([1000, 2000, 4000]);
  });

  it('waits until x-ratelimit-reset when the primary budget is exhausted (403, remaining 0)', async () => {
    const reset = String(Date.parse('2026-11-10T12:35:00Z') / 1000);
    const { client, sleeps } = setup([failure(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, 'API rate limit exceeded'), success()]);
    await client.request(PULL_REQUESTS_PAGE_QUERY, VARS);
    expect(sleeps).toEqual([5 * 60_000 + 1000]);
  });

  it('retries GitHub 502s, then succeeds', async () => {
    const { client, sleeps } = setup([failure(502, {}, 'Server Error'), success()]);
    await client.request(PULL_REQUESTS_PAGE_QUERY, VARS);
    expect(sleeps).toEqual([1000]);
  });

  it('does not retry a plain 403', async () => {
    const { client, served, sleeps } = setup([failure(403, {}, 'Resource not accessible by integration'), success()]);
    const err = await client.request(PULL_REQUESTS_PAGE_QUERY, VARS).catch((e: unknown) => e);
    expect((err as Error).message).toContain('GitHub answered 403: Resource not accessible by integration');
    expect(served.remaining()).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('waits on a GraphQL RATE_LIMITED answer (200, no data)', async () => {
    const reset = String(Date.parse('2026-11-10T12:31:00Z') / 1000);
    const limited: Recording = {
      operation: 'PullRequestsPage',
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
      body: { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for user ID 1.' }] },
    };
    const { client, sleeps } = setup([limited, success()]);
    const res = await client.request(PULL_REQUESTS_PAGE_QUERY, VARS);
    expect(res.errors).toEqual([]);
    expect(sleeps).toEqual([61_000]);
  });

  it('refuses a wait longer than the bound instead of hanging', async () => {
    const { client } = setup([failure(429, { 'retry-after': '7200' })], { maxWaitMs: 60_000 });
    await expect(client.request(PULL_REQUESTS_PAGE_QUERY, VARS)).rejects.toThrow(/asks us to wait 7200 s/);
  });

  it('returns partial data with its errors instead of throwing', async () => {
    const { client } = setup(loadScenario('partial'));
    const res = await client.request<{ repository: { pullRequests: { nodes: unknown[] } } }>(PULL_REQUESTS_PAGE_QUERY, { ...VARS, name: 'shop' });
    expect(res.data.repository.pullRequests.nodes).toHaveLength(2);
    expect(res.errors.map((e) => e.path)).toEqual([
      ['repository', 'pullRequests', 'nodes', 0, 'reviews'],
      ['repository', 'pullRequests', 'nodes', 1, 'commits'],
    ]);
    expect(client.stats.rateLimit).toMatchObject({ remaining: 4990 });
  });

  it('turns a refused connection into a github-failed error after bounded retries', async () => {
    const sleeps: number[] = [];
    // Real fetch against a closed local port: a real network failure, nothing faked.
    const client = createGithubClient({ token: 't', maxRetries: 2, graphqlUrl: 'http://127.0.0.1:1/graphql', sleep: async (ms) => void sleeps.push(ms) });
    const err = await client.request(PULL_REQUESTS_PAGE_QUERY, VARS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraspError);
    expect(err).toMatchObject({ code: 'github-failed' });
    expect(client.stats.requests).toBe(3);
    expect(sleeps).toEqual([1000, 2000]);
  });
});
