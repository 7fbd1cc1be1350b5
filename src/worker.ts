/**
 * Cloudflare Workers entry: the same hono app as `grasp serve`, on D1. History arrives by
 * `grasp push` (there is no git here); marks, reports, checklists, the digest and GitHub
 * webhooks are served from the database. Nothing in this import graph may use Node built-ins
 * (`wrangler deploy --dry-run` and tests/worker-bundle.test.ts check it).
 */
import type { D1Database, ExecutionContext, ScheduledController } from '@cloudflare/workers-types';
import type { Hono } from 'hono';
import { addWeeks, formatWeek, weekOf } from './core/weeks.ts';
import { installSecretAdminToken } from './db/repo/admin-token.ts';
import { openD1Store } from './db/d1/open.ts';
import { setMeta } from './db/repo/commits.ts';
import type { Store } from './db/store.ts';
import { buildDigest } from './digest/build.ts';
import { createApp, type AppEnv } from './http/app.ts';
import type { ImportDeps } from './http/routes/import.ts';

export interface Env {
  DB: D1Database;
  /** Secret: the GitHub webhook secret. */
  GRASP_WEBHOOK_SECRET?: string;
  /** Secret: an admin token (`grasp_` + 43 base64url characters), e.g. for `grasp push`. */
  GRASP_ADMIN_TOKEN?: string;
  /** Secret: a GitHub token with checks: write; the service then updates PRs' check runs after marks and reviews. */
  GRASP_GITHUB_TOKEN?: string;
  /** Var: GitHub's GraphQL endpoint for that token (GitHub Enterprise). */
  GRASP_GITHUB_GRAPHQL_URL?: string;
  /** Var: D1 queries one import batch may run (1000 per invocation on Workers Paid, 50 on Free). */
  GRASP_D1_MAX_QUERIES?: string;
}

/** Requests take this many D1 queries besides the batch itself (auth lookup, meta reads). */
const QUERY_HEADROOM = 10;

interface Instance {
  store: Store;
  app: Hono<AppEnv>;
  /** Settles once the admin secret is installed (per isolate and secret value). */
  ready: Promise<void>;
  secret: string | undefined;
}

// One app per D1 binding per isolate: building the routers per request would be wasted work.
const instances = new WeakMap<object, Instance>();

function maxQueries(env: Env): number {
  const n = Number(env.GRASP_D1_MAX_QUERIES ?? 900);
  return Number.isInteger(n) && n > QUERY_HEADROOM + 16 ? n - QUERY_HEADROOM : 900 - QUERY_HEADROOM;
}

function instanceFor(env: Env): Instance {
  const existing = instances.get(env.DB);
  if (existing && existing.secret === env.GRASP_ADMIN_TOKEN) return existing;
  const store = openD1Store(env.DB);
  const deps: ImportDeps = {
    store,
    webhookSecret: env.GRASP_WEBHOOK_SECRET || undefined,
    githubToken: env.GRASP_GITHUB_TOKEN || undefined,
    githubGraphqlUrl: env.GRASP_GITHUB_GRAPHQL_URL || undefined,
    importLimits: { maxStatements: maxQueries(env) },
  };
  const secret = env.GRASP_ADMIN_TOKEN || undefined;
  const ready = secret
    ? installSecretAdminToken(store, secret).catch((err: unknown) => {
        // A malformed secret must not take the service down: log it; the token simply does not work.
        console.error(`grasp: GRASP_ADMIN_TOKEN not installed: ${(err as Error).message}`);
        instances.delete(env.DB);
      })
    : Promise.resolve();
  const instance: Instance = { store, app: createApp(deps), ready, secret: env.GRASP_ADMIN_TOKEN };
  instances.set(env.DB, instance);
  return instance;
}

/** The weekly digest of the week that just ended, kept in meta `digest.<week>` and logged. */
export async function runWeeklyDigest(store: Store, nowMs: number): Promise<{ week: string; bytes: number }> {
  const week = formatWeek(addWeeks(weekOf(Math.floor(nowMs / 1000)), -1));
  const digest = await buildDigest(store, { week, now: nowMs });
  const json = JSON.stringify(digest);
  await setMeta(store, `digest.${week}`, json);
  console.log(`grasp: weekly digest ${week} stored (${json.length} bytes)`);
  return { week, bytes: json.length };
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const instance = instanceFor(env);
    await instance.ready;
    return instance.app.fetch(request, env, ctx as never);
  },

  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    const instance = instanceFor(env);
    void ctx;
    // Awaited (not waitUntil) so a failed digest shows as a failed cron run.
    await runWeeklyDigest(instance.store, controller.scheduledTime);
  },
};
