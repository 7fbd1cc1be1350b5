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
import { rememberWorkflowCheckRun } from '../../ci/refresh.ts';
import type { AppDeps } from '../types.ts';
import { requireAuth, type AppEnv } from '../auth.ts';
import { invalidInput } from '../errors.ts';
import { repoStoreOf } from '../repo-scope.ts';
import { resolveGithubRepo } from '../../db/repo/repos.ts';
import { GraspError } from '../../core/errors.ts';

const sha = z.string().regex(/^[0-9a-f]{40}$/, 'must be a 40-digit commit sha');
const gateBody = z.strictObject({ repo: z.string().min(1).max(201).optional(), base: sha, head: sha, policy: policySchema.default(policySchema.parse({})) });
const checkRunBody = z.strictObject({
  number: z.number().int().positive().max(2_147_483_647),
  base: sha,
  head: sha,
  checkRunId: z.string().min(1).max(200),
  repository: z.string().regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, 'must be owner/name'),
  repositoryId: z.string().min(1).max(200),
  /** The policy the run used, with its effective `enforce`: later re-evaluations use it. */
  policy: policySchema,
});

export function gateRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post('/gate', requireAuth(deps, 'admin'), zValidator('json', gateBody, invalidInput), async (c) => {
    const { repo, ...body } = c.req.valid('json');
    return c.json(await evaluateRange(await repoStoreOf(deps.store, c, repo), body));
  })
    // PUT /api/gate/check-run: the workflow's check run for a PR head, so marks made later update it.
    .put('/gate/check-run', requireAuth(deps, 'admin'), zValidator('json', checkRunBody, invalidInput), async (c) => {
      const b = c.req.valid('json');
      const now = Math.floor((deps.now ?? Date.now)() / 1000);
      const repoStore = await resolveGithubRepo(deps.store, b.repository, { register: true });
      if (!repoStore) throw new GraspError('not-found', `this service tracks no repository named ${b.repository}`);
      await rememberWorkflowCheckRun(repoStore, { number: b.number, checkRunId: b.checkRunId, headSha: b.head, baseSha: b.base, repository: b.repository, repositoryId: b.repositoryId, policy: b.policy, now });
      return c.json({ ok: true, number: b.number, checkRunId: b.checkRunId, updatesFromService: Boolean(deps.gates) });
    });
}
