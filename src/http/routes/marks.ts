/**
 * /api/marks: write marks (an engineer's own token; each write appends rows), read the marks on
 * a target, and an engineer's current / stale marks and history.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { refreshAfterMarks } from '../../ci/refresh.ts';
import { GraspError } from '../../core/errors.ts';
import { MARK_LEVELS, MAX_TARGET_LENGTH } from '../../core/marks.ts';
import { getEngineer } from '../../db/repo/engineers.ts';
import {
  currentMarksForEngineer,
  markHistoryForEngineer,
  marksForTarget,
  recordMarks,
  staleMarksForEngineer,
} from '../../db/repo/marks.ts';
import { MAX_NOTE_LENGTH, type AppDeps } from '../types.ts';
import { requireAuth, type AppEnv } from '../auth.ts';
import { runAfterResponse } from '../after-response.ts';
import { invalidInput } from '../errors.ts';
import { handleParam } from './engineers.ts';
import { optionalRepoOf, repoStoreOf } from '../repo-scope.ts';


const markBody = z.strictObject({
  target: z.string().min(1).max(MAX_TARGET_LENGTH),
  level: z.enum(MARK_LEVELS),
  note: z.string().max(MAX_NOTE_LENGTH).nullable().optional(),
  /** Optional: whose mark this is. Must be the token's own engineer. */
  engineer: z.string().max(100).optional(),
  /** The repository of the target (default: the only one tracked). */
  repo: z.string().min(1).max(201).optional(),
});

const booleanFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === '');

const targetQuery = z.object({ target: z.string().min(1).max(MAX_TARGET_LENGTH), history: booleanFlag });
/** `repo`: narrow to one repository (checked against the known names by optionalRepoOf). */
const repoQuery = { repo: z.string().max(200).optional() };
const engineerMarksQuery = z.object({
  ...repoQuery,
  stale: booleanFlag,
  limit: z.coerce.number().int().min(1).max(100_000).optional(),
});
const historyQuery = z.object({ limit: z.coerce.number().int().min(1).max(100_000).default(1000) });

// An idempotency key: printable ASCII, so it is safe to store and echo.
const idempotencyKey = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/);

export function markRoutes(deps: AppDeps): Hono<AppEnv> {
  const now = () => (deps.now ?? Date.now)();
  return new Hono<AppEnv>()
    .post('/marks', requireAuth(deps, 'engineer'), zValidator('json', markBody, invalidInput), async (c) => {
      const body = c.req.valid('json');
      const self = c.get('principal').engineer!;
      if (body.engineer !== undefined && body.engineer.trim().toLowerCase() !== self.handle) {
        throw new GraspError('forbidden', `this token belongs to "${self.handle}"; it cannot write marks for "${body.engineer}"`);
      }
      const keyHeader = c.req.header('Idempotency-Key');
      let origin: string | null = null;
      if (keyHeader !== undefined) {
        const key = idempotencyKey.safeParse(keyHeader);
        if (!key.success) throw new GraspError('invalid', 'Idempotency-Key must be 1-200 printable ASCII characters');
        origin = `api:${key.data}`;
      }
      const repoStore = await repoStoreOf(deps.store, c, body.repo);
      const written = await recordMarks(repoStore, {
        engineer: self,
        target: body.target,
        level: body.level,
        note: body.note ?? null,
        source: c.get('authVia') === 'cookie' ? 'web' : 'api',
        origin,
        now: now(),
      });
      const { gates } = deps;
      const changed = written.filter((m) => !m.unchanged).map((m) => m.hash);
      if (gates && changed.length > 0) runAfterResponse(c, () => refreshAfterMarks(gates, repoStore, changed));
      return c.json({ marks: written }, 201);
    })
    .get('/marks', zValidator('query', targetQuery, invalidInput), async (c) => {
      const q = c.req.valid('query');
      return c.json(await marksForTarget(await repoStoreOf(deps.store, c), q.target, { history: q.history }));
    })
    .get(
      '/engineers/:handle/marks',
      zValidator('param', handleParam, invalidInput),
      zValidator('query', engineerMarksQuery, invalidInput),
      async (c) => {
        const engineer = await getEngineer(deps.store, c.req.valid('param').handle);
        const q = c.req.valid('query');
        const scope = await optionalRepoOf(deps.store, c);
        let list = (await currentMarksForEngineer(deps.store, engineer)).filter((m) => !scope || m.repoId === scope.store.repoId);
        const total = list.length;
        const staleCount = list.filter((m) => m.stale).length;
        if (q.stale) list = list.filter((m) => m.stale);
        if (q.limit !== undefined) list = list.slice(0, q.limit);
        return c.json({ engineer: engineer.handle, total, stale: staleCount, marks: list });
      },
    )
    .get('/engineers/:handle/stale', zValidator('param', handleParam, invalidInput), zValidator('query', z.object(repoQuery), invalidInput), async (c) => {
      const engineer = await getEngineer(deps.store, c.req.valid('param').handle);
      const scope = await optionalRepoOf(deps.store, c);
      const marks = (await staleMarksForEngineer(deps.store, engineer)).filter((m) => !scope || m.repoId === scope.store.repoId);
      return c.json({ engineer: engineer.handle, marks });
    })
    .get(
      '/engineers/:handle/history',
      zValidator('param', handleParam, invalidInput),
      zValidator('query', historyQuery, invalidInput),
      async (c) => {
        const engineer = await getEngineer(deps.store, c.req.valid('param').handle);
        const rows = await markHistoryForEngineer(deps.store, engineer.id, c.req.valid('query').limit);
        return c.json({
          engineer: engineer.handle,
          marks: rows.map(({ engineerId: _e, createdAt, ...r }) => ({ ...r, at: new Date(createdAt * 1000).toISOString() })),
        });
      },
    );
}
