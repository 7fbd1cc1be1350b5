/** GET /api/engineers/:handle/alerts: the engineer's reviewed/explained marks that changes made stale, with the commit and diff. */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { getEngineer, handleSchema } from '../../db/repo/engineers.ts';
import { loadEngineerAlerts } from '../../desk/alerts.ts';
import type { AppDeps } from '../types.ts';
import type { AppEnv } from '../auth.ts';
import { invalidInput } from '../errors.ts';

const handleParam = z.object({ handle: handleSchema });

export function alertRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/engineers/:handle/alerts', zValidator('param', handleParam, invalidInput), async (c) => {
    const engineer = await getEngineer(deps.store, c.req.valid('param').handle);
    return c.json(await loadEngineerAlerts(deps.store, engineer));
  });
}
