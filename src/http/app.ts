/**
 * The hono app: JSON API under /api, later webhooks under /webhooks and pages at /.
 * Built from its dependencies only (no globals), so tests call `app.request()` without a server,
 * Node serves it with @hono/node-server (src/node.ts) and Workers export it as is.
 *
 * Other areas mount their router with one line each in `createApp`, e.g.
 *   app.route('/api', reportRoutes(deps));
 *   app.route('/webhooks', webhookRoutes(deps));
 *   app.route('/', deskPageRoutes(deps));
  app.route('/', pageRoutes(deps));
 */
import { Hono } from 'hono';
import { createGateRefresher } from '../ci/refresh.ts';
import { createGithubClient } from '../github/client.ts';
import { pingDatabase } from '../db/repo/symbols.ts';
import type { AppDeps } from './types.ts';
import type { AppEnv } from './auth.ts';
import { handleError, handleNotFound, limitBody } from './errors.ts';
import { agentRoutes } from './routes/agents.ts';
import { alertRoutes } from './routes/alerts.ts';
import { queueRoutes } from './routes/queue.ts';
import { htmlGuard } from './html-guard.ts';
import { checklistRoutes } from './routes/checklist.ts';
import { deskPageRoutes } from './pages/desk.tsx';
import { digestRoutes } from './routes/digest.ts';
import { engineerRoutes } from './routes/engineers.ts';
import { gateRoutes } from './routes/gate.ts';
import { explanationRoutes } from './routes/explanations.ts';
import { importRoutes } from './routes/import.ts';
import { markRoutes } from './routes/marks.ts';
import { pageRoutes } from './pages/index.tsx';
import { reportRoutes } from './routes/report.ts';
import { symbolRoutes } from './routes/symbols.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { webhookRoutes } from './routes/webhooks.ts';

export type { AppDeps, AppEnv } from './types.ts';

/** Largest accepted body for API and page writes. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Exact paths whose router applies its own `limitBody` (history import batches are megabytes). */
const OWN_BODY_LIMIT_PATHS: readonly string[] = ['/api/import'];

export function createApp(given: AppDeps): Hono<AppEnv> {
  const deps: AppDeps = { ...given, gates: given.gates !== undefined ? given.gates : gateRefresherFor(given) };
  const app = new Hono<AppEnv>();
  app.onError(handleError);
  app.notFound(handleNotFound);
  app.use('*', htmlGuard);

  const apiLimit = limitBody(MAX_BODY_BYTES);
  app.use('*', (c, next) => {
    // Bodiless reads skip the check: it would build the full Request object for nothing (the hot path).
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const path = c.req.path;
    // Webhooks cap their body while reading it and verifying its signature (webhook-body.ts).
    if (path.startsWith('/webhooks')) return next();
    // Routes with their own, larger limit (they must apply it themselves).
    if (OWN_BODY_LIMIT_PATHS.includes(path)) return next();
    return apiLimit(c, next);
  });

  app.get('/api/health', async (c) => {
    await pingDatabase(deps.store);
    return c.json({ ok: true, driver: deps.store.driver });
  });
  app.route('/api', engineerRoutes(deps));
  app.route('/api', markRoutes(deps));
  app.route('/api', symbolRoutes(deps));
  app.route('/api', tokenRoutes(deps));
  app.route('/api', sessionRoutes(deps));
  app.route('/api', reportRoutes(deps));
  app.route('/webhooks', webhookRoutes(deps));
  app.route('/api', digestRoutes(deps));
  app.route('/api', importRoutes(deps));
  app.route('/api', checklistRoutes(deps));
  app.route('/api', alertRoutes(deps));
  app.route('/api', queueRoutes(deps));
  app.route('/api', agentRoutes(deps));
  app.route('/api', gateRoutes(deps));
  app.route('/', deskPageRoutes(deps));
  app.route('/api', explanationRoutes(deps));
  app.route('/', pageRoutes(deps));
  // Mount further routers here, one line each.

  return app;
}

/** The service-side gate updates exist only with a checks-writing token (GRASP_GITHUB_TOKEN). */
export function gateRefresherFor(deps: Pick<AppDeps, 'store' | 'now' | 'githubToken' | 'githubGraphqlUrl' | 'githubFetch'>, warn?: (line: string) => void) {
  const token = deps.githubToken?.trim();
  if (!token) return null;
  // Background work: a failed update is retried by the next mark or a workflow re-run, so retry little.
  return createGateRefresher({ store: deps.store, now: deps.now, warn, client: () => createGithubClient({ token, graphqlUrl: deps.githubGraphqlUrl, fetch: deps.githubFetch, maxRetries: 1, maxWaitMs: 60_000 }) });
}
