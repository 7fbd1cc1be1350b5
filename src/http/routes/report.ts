/**
 * /api/engineers/:handle/report, /api/hotspots, /api/islands: the debt model's read endpoints.
 * JSON by default; `format=md|html` returns the same renderings as the CLI. `repo=NAME` narrows
 * them to one repository; without it they cover every repository.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { handleSchema } from '../../db/repo/engineers.ts';
import { buildEngineerReport, DEFAULT_REPORT_LIMIT } from '../../report/engineer-report.ts';
import { buildHotspotsReport, buildIslandsReport, DEFAULT_HOTSPOT_LIMIT } from '../../report/hotspots-report.ts';
import { limitSchema, REPORT_FORMATS, scopeSchema } from '../../report/options.ts';
import { renderEngineerReport, renderHotspots, renderIslands, type Rendered } from '../../report/render.ts';
import type { AppDeps } from '../types.ts';
import type { Context } from 'hono';
import type { Store } from '../../db/store.ts';
import type { AppEnv } from '../auth.ts';
import { optionalRepoOf } from '../repo-scope.ts';
import { invalidInput } from '../errors.ts';

// `repo` (optional): one repository's rows; without it, every repository (src/http/repo-scope.ts).
const repoParam = z.string().min(1).max(201).optional();
const reportQuery = z.object({
  repo: repoParam,
  scope: scopeSchema.optional(),
  limit: limitSchema.default(DEFAULT_REPORT_LIMIT),
  format: z.enum(REPORT_FORMATS).default('json'),
});
const listQuery = z.object({
  repo: repoParam,
  scope: scopeSchema.optional(),
  limit: limitSchema.default(DEFAULT_HOTSPOT_LIMIT),
  format: z.enum(['md', 'json']).default('json'),
});
const handleParam = z.object({ handle: handleSchema });

const send = (r: Rendered) => new Response(r.body, { headers: { 'Content-Type': r.contentType, 'X-Content-Type-Options': 'nosniff' } });

export function reportRoutes(deps: AppDeps): Hono<AppEnv> {
  const now = () => (deps.now ?? Date.now)();
  const scoped = async (c: Context): Promise<Store> => (await optionalRepoOf(deps.store, c))?.store ?? deps.store;
  return new Hono<AppEnv>()
    .get('/engineers/:handle/report', zValidator('param', handleParam, invalidInput), zValidator('query', reportQuery, invalidInput), async (c) => {
      const q = c.req.valid('query');
      const report = await buildEngineerReport(await scoped(c), c.req.valid('param').handle, { scope: q.scope, limit: q.limit, now: now() });
      return q.format === 'json' ? c.json(report) : send(await renderEngineerReport(report, q.format));
    })
    .get('/hotspots', zValidator('query', listQuery, invalidInput), async (c) => {
      const q = c.req.valid('query');
      const report = await buildHotspotsReport(await scoped(c), { scope: q.scope, limit: q.limit, now: now() });
      return q.format === 'json' ? c.json(report) : send(renderHotspots(report, q.format));
    })
    .get('/islands', zValidator('query', listQuery, invalidInput), async (c) => {
      const q = c.req.valid('query');
      const report = await buildIslandsReport(await scoped(c), { scope: q.scope, limit: q.limit, now: now() });
      return q.format === 'json' ? c.json(report) : send(renderIslands(report, q.format));
    });
}
