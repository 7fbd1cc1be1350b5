/**
 * /api/engineers/:handle/report, /api/hotspots, /api/islands: the debt model's read endpoints.
 * JSON by default; `format=md|html` returns the same renderings as the CLI.
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
import type { AppEnv } from '../auth.ts';
import { invalidInput } from '../errors.ts';

const reportQuery = z.object({
  scope: scopeSchema.optional(),
  limit: limitSchema.default(DEFAULT_REPORT_LIMIT),
  format: z.enum(REPORT_FORMATS).default('json'),
});
const listQuery = z.object({
  scope: scopeSchema.optional(),
  limit: limitSchema.default(DEFAULT_HOTSPOT_LIMIT),
  format: z.enum(['md', 'json']).default('json'),
});
const handleParam = z.object({ handle: handleSchema });

const send = (r: Rendered) => new Response(r.body, { headers: { 'Content-Type': r.contentType, 'X-Content-Type-Options': 'nosniff' } });

export function reportRoutes(deps: AppDeps): Hono<AppEnv> {
  const now = () => (deps.now ?? Date.now)();
  return new Hono<AppEnv>()
    .get('/engineers/:handle/report', zValidator('param', handleParam, invalidInput), zValidator('query', reportQuery, invalidInput), async (c) => {
      const q = c.req.valid('query');
      const report = await buildEngineerReport(deps.store, c.req.valid('param').handle, { scope: q.scope, limit: q.limit, now: now() });
      return q.format === 'json' ? c.json(report) : send(await renderEngineerReport(report, q.format));
    })
    .get('/hotspots', zValidator('query', listQuery, invalidInput), async (c) => {
      const q = c.req.valid('query');
      const report = await buildHotspotsReport(deps.store, { scope: q.scope, limit: q.limit, now: now() });
      return q.format === 'json' ? c.json(report) : send(renderHotspots(report, q.format));
    })
    .get('/islands', zValidator('query', listQuery, invalidInput), async (c) => {
      const q = c.req.valid('query');
      const report = await buildIslandsReport(deps.store, { scope: q.scope, limit: q.limit, now: now() });
      return q.format === 'json' ? c.json(report) : send(renderIslands(report, q.format));
    });
}
