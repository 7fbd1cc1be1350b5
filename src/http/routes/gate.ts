/**
 * POST /api/gate { base, head, policy }: the checklist and merge gate of a range with this
 * service's engineers and marks (what `grasp ci github --server` asks after its push). Admin token:
 * the same token that pushed.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { evaluateRange } from '../../ci/evaluate.ts';
import { policySchema } from '../../ci/policy.ts';
import type { AppDeps } from '../types.ts';
import { requireAuth, type AppEnv } from '../auth.ts';
import { invalidInput } from '../errors.ts';
import { repoStoreOf } from '../repo-scope.ts';

const sha = z.string().regex(/^[0-9a-f]{40}$/, 'must be a 40-digit commit sha');
const gateBody = z.strictObject({ repo: z.string().min(1).max(201).optional(), base: sha, head: sha, policy: policySchema.default(policySchema.parse({})) });

export function gateRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().post('/gate', requireAuth(deps, 'admin'), zValidator('json', gateBody, invalidInput), async (c) => {
    const { repo, ...body } = c.req.valid('json');
    return c.json(await evaluateRange(await repoStoreOf(deps.store, c, repo), body));
  });
}
