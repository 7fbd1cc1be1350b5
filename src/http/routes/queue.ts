/** GET /api/queue[?as=handle]: the review queue from GitHub data (a Worker has no repository for branches). */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { handleSchema } from '../../db/repo/engineers.ts';
import { loadQueue } from '../../desk/queue-load.ts';
import type { AppDeps } from '../types.ts';
import type { AppEnv } from '../auth.ts';
import { invalidInput } from '../errors.ts';

const queueQuery = z.object({ as: handleSchema.optional() });

export function queueRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/queue', zValidator('query', queueQuery, invalidInput), async (c) => {
    const { as } = c.req.valid('query');
    const q = await loadQueue(deps.store, { as: as ?? null, now: (deps.now ?? Date.now)(), branches: deps.branches, policy: deps.policy });
    return c.json({ prs: q.prs, collisions: q.collisions, formula: q.formula, policy: q.policy, warnings: q.warnings });
  });
}
