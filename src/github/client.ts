/**
 * The one GitHub GraphQL client: @octokit/graphql with grasp's rate-limit manners.
 *
 * - `fetch` is injectable (tests serve recorded responses through it; Workers pass their own).
 * - After every response we read `rateLimit { remaining resetAt }` and, when the budget is low,
 *   wait until the reset instead of running into the wall.
 * - Secondary rate limits (HTTP 403/429, usually with `retry-after`) and GitHub's transient 5xx are
 *   retried with growing waits, a bounded number of times.
 * - A GraphqlResponseError that carries data is not a failure: the caller gets the partial data and
 *   the errors, and reports what is missing.
 * Only Web APIs are used here (fetch, timers via the injected sleep), so it runs on Workers too.
 */
import { graphql, GraphqlResponseError } from '@octokit/graphql';
import { GraspError } from '../core/errors.ts';

export const DEFAULT_GRAPHQL_URL = 'https://api.github.com/graphql';

export interface GraphqlIssue {
  message: string;
  type?: string;
  path?: (string | number)[];
}

export interface GraphqlResult<T> {
  /** Possibly partial: fields GitHub could not resolve are null and described in `errors`. */
  data: T;
  errors: GraphqlIssue[];
}

export interface RateLimitInfo {
  remaining: number;
  resetAt: string;
  cost: number;
  limit?: number;
}

export interface WaitRecord {
  reason: 'rate-limit' | 'secondary-rate-limit' | 'server-error';
  ms: number;
}

export interface GithubClientOptions {
  token: string;
  /** Full GraphQL endpoint; GitHub Enterprise: https://HOST/api/graphql. Default api.github.com. */
  graphqlUrl?: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Epoch milliseconds. */
  now?: () => number;
  /** Wait for the reset when fewer points than this remain (or fewer than the last query cost). */
  minRemaining?: number;
  /** Retries of one request after secondary rate limits or server errors. */
  maxRetries?: number;
  /** Longest single wait we accept before giving up with an error. */
  maxWaitMs?: number;
}

export interface GithubClient {
  request<T>(query: string, variables?: Record<string, unknown>): Promise<GraphqlResult<T>>;
  readonly stats: { requests: number; waits: WaitRecord[]; rateLimit: RateLimitInfo | null };
}

/**
 * @octokit/graphql takes the REST base URL and appends `/graphql`: api.github.com/graphql → api.github.com,
 * GHE https://host/api/graphql → https://host/api.
 */
export function graphqlBaseUrl(graphqlUrl: string = DEFAULT_GRAPHQL_URL): string {
  let url: URL;
  try {
    url = new URL(graphqlUrl.trim());
  } catch {
    throw new GraspError('invalid', `GITHUB_GRAPHQL_URL "${graphqlUrl}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new GraspError('invalid', `GITHUB_GRAPHQL_URL must be an http(s) URL, got ${url.protocol}`);
  }
  if (url.search || url.hash) throw new GraspError('invalid', 'GITHUB_GRAPHQL_URL must not carry a query string or fragment');
  const path = url.pathname.replace(/\/+$/, '');
  if (!path.endsWith('/graphql')) {
    throw new GraspError('invalid', `GITHUB_GRAPHQL_URL must end in /graphql (e.g. https://github.example.com/api/graphql), got ${graphqlUrl}`);
  }
  return `${url.origin}${path.slice(0, -'/graphql'.length)}`;
}

interface HttpErrorLike {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

function isHttpError(err: unknown): err is HttpErrorLike {
  return err instanceof Error && err.name === 'HttpError' && typeof (err as { status?: unknown }).status === 'number';
}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const v = headers?.[name];
  return v === undefined || v === null ? undefined : String(v);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createGithubClient(options: GithubClientOptions): GithubClient {
  if (!options.token || options.token.trim() === '') {
    throw new GraspError('invalid', 'no GitHub token: set GITHUB_TOKEN');
  }
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? (() => Date.now());
  const minRemaining = options.minRemaining ?? 50;
  const maxRetries = options.maxRetries ?? 4;
  const maxWaitMs = options.maxWaitMs ?? 65 * 60_000;
  const gql = graphql.defaults({
    baseUrl: graphqlBaseUrl(options.graphqlUrl),
    headers: { authorization: `token ${options.token.trim()}` },
    request: options.fetch ? { fetch: options.fetch } : {},
  });
  const stats: GithubClient['stats'] = { requests: 0, waits: [], rateLimit: null };

  async function wait(reason: WaitRecord['reason'], ms: number): Promise<void> {
    const bounded = Math.max(0, Math.ceil(ms));
    if (bounded > maxWaitMs) {
      throw new GraspError('github-failed', `GitHub asks us to wait ${Math.round(bounded / 1000)} s (${reason}); giving up, try again later`);
    }
    stats.waits.push({ reason, ms: bounded });
    await sleep(bounded);
  }

  /** Milliseconds until an epoch-seconds or ISO reset time, plus a second of slack. */
  function untilReset(reset: string | undefined): number | null {
    if (!reset) return null;
    const at = /^\d+$/.test(reset) ? Number(reset) * 1000 : Date.parse(reset);
    return Number.isFinite(at) ? Math.max(0, at - now()) + 1000 : null;
  }

  async function respectRateLimit(data: unknown): Promise<void> {
    const rl = (data as { rateLimit?: RateLimitInfo | null } | null)?.rateLimit;
    if (!rl || typeof rl.remaining !== 'number') return;
    stats.rateLimit = rl;
    if (rl.remaining < Math.max(minRemaining, rl.cost ?? 1)) {
      await wait('rate-limit', untilReset(rl.resetAt) ?? 60_000);
    }
  }

  function backoff(attempt: number, retryAfter: string | undefined): number {
    const exponential = 1000 * 2 ** attempt;
    const asked = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : 0;
    return Math.max(asked, exponential);
  }

  async function request<T>(query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResult<T>> {
    for (let attempt = 0; ; attempt++) {
      stats.requests++;
      try {
        const data = await gql<T>(query, variables);
        await respectRateLimit(data);
        return { data, errors: [] };
      } catch (err) {
        if (err instanceof GraspError) throw err;
        if (err instanceof GraphqlResponseError) {
          const errors: GraphqlIssue[] = (err.errors ?? []).map((e) => ({
            message: String(e.message),
            type: e.type,
            path: Array.isArray(e.path) ? (e.path as (string | number)[]) : undefined,
          }));
          if (err.data) {
            await respectRateLimit(err.data);
            return { data: err.data as T, errors };
          }
          // GraphQL's own primary-limit answer: 200 with errors of type RATE_LIMITED and no data.
          if (errors.length > 0 && errors.every((e) => e.type === 'RATE_LIMITED') && attempt < maxRetries) {
            await wait('rate-limit', untilReset(header(err.headers, 'x-ratelimit-reset')) ?? backoff(attempt, undefined));
            continue;
          }
          throw new GraspError('github-failed', `GitHub GraphQL error: ${errors.map((e) => e.message).join('; ')}`, { cause: err });
        }
        if (isHttpError(err)) {
          const headers = err.response?.headers;
          if (err.status === 401) {
            throw new GraspError('github-failed', 'GitHub rejected the token (401): check GITHUB_TOKEN (expired, revoked or mistyped)', { cause: err });
          }
          const retryAfter = header(headers, 'retry-after');
          const exhausted = header(headers, 'x-ratelimit-remaining') === '0';
          const limited = err.status === 429 || (err.status === 403 && (retryAfter !== undefined || exhausted || /rate limit/i.test(err.message)));
          if (limited && attempt < maxRetries) {
            const ms = exhausted && !retryAfter ? (untilReset(header(headers, 'x-ratelimit-reset')) ?? backoff(attempt, undefined)) : backoff(attempt, retryAfter);
            await wait('secondary-rate-limit', ms);
            continue;
          }
          if (err.status >= 500 && attempt < maxRetries) {
            await wait('server-error', backoff(attempt, header(headers, 'retry-after')));
            continue;
          }
          const what = limited ? `rate limited (${err.status}) after ${attempt} retries` : `answered ${err.status}`;
          throw new GraspError('github-failed', `GitHub ${what}: ${err.message}`, { cause: err });
        }
        throw new GraspError('github-failed', `GitHub request failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
    }
  }

  return { request, stats };
}
