/** GET /api/agents[?since=2026-09-01]: the agent scorecard, as `grasp agents --json`. */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { scorecardJson } from '../../desk/agents-json.ts';
import { loadScorecards } from '../../desk/agents-load.ts';
import type { AppDeps } from '../types.ts';
import type { AppEnv } from '../auth.ts';
import { invalidInput } from '../errors.ts';

const agentsQuery = z.object({
  since: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'since must be a date like 2026-09-01')
    .refine((s) => Number.isFinite(Date.parse(s)), 'since is not a date')
    .optional(),
});

export function agentRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/agents', zValidator('query', agentsQuery, invalidInput), async (c) => {
    const { since } = c.req.valid('query');
    const cards = await loadScorecards(deps.store, { since: since ? Date.parse(since) / 1000 : undefined, now: (deps.now ?? Date.now)() });
    return c.json(scorecardJson(cards));
  });
}
