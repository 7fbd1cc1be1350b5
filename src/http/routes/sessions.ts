/**
 * /api/sessions: an engineer's own web sessions (the logins of their browsers), listed and
 * ended. Bearer or the session cookie; cookie writes pass the same-origin check of requireAuth.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { listWebSessions, revokeWebSessions } from '../../db/repo/web-sessions.ts';
import type { AppDeps } from '../types.ts';
import { requireAuth, type AppEnv } from '../auth.ts';
import { invalidInput } from '../errors.ts';

const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const iso = (s: number) => new Date(s * 1000).toISOString();

export function sessionRoutes(deps: AppDeps): Hono<AppEnv> {
  const now = () => (deps.now ?? Date.now)();
  return new Hono<AppEnv>()
    .get('/sessions', requireAuth(deps, 'engineer'), async (c) => {
      const engineer = c.get('principal').engineer!;
      const current = c.get('sessionId'); // set by requireAuth: no second lookup
      const sessions = await listWebSessions(deps.store, engineer.id, now());
      return c.json({
        sessions: sessions.map((s) => ({ id: s.id, createdAt: iso(s.createdAt), lastSeenAt: iso(s.lastSeenAt), expiresAt: iso(s.expiresAt), current: s.id === current })),
      });
    })
    .delete('/sessions/:id', requireAuth(deps, 'engineer'), zValidator('param', idParam, invalidInput), async (c) => {
      await revokeWebSessions(deps.store, c.get('principal').engineer!.id, c.req.valid('param').id, now());
      return c.json({ ended: 1 });
    })
    .delete('/sessions', requireAuth(deps, 'engineer'), async (c) => c.json({ ended: await revokeWebSessions(deps.store, c.get('principal').engineer!.id, null, now()) }));
}
