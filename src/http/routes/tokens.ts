/**
 * /api/tokens (admin only): issue and revoke engineer tokens over HTTP. On Workers there is no
 * local CLI next to the database, so this is how an admin hands an engineer their token.
 * The raw token is in the 201 answer once; only its hash is stored.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { handleSchema } from '../../db/repo/engineers.ts';
import { createToken, MAX_TOKEN_DAYS, MIN_TOKEN_DAYS, listTokens, revokeToken, type TokenInfo } from '../../db/repo/tokens.ts';
import type { AppDeps } from '../types.ts';
import { requireAuth, type AppEnv } from '../auth.ts';
import { invalidInput } from '../errors.ts';

const newTokenBody = z.strictObject({ engineer: handleSchema, expiresInDays: z.number().min(MIN_TOKEN_DAYS, 'a token must live at least one hour (1/24 day)').max(MAX_TOKEN_DAYS).optional() });
const idParam = z.object({ id: z.coerce.number().int().positive() });

const iso = (s: number | null) => (s === null ? null : new Date(s * 1000).toISOString());

function tokenJson(t: TokenInfo) {
  return { ...t, createdAt: iso(t.createdAt), expiresAt: iso(t.expiresAt), revokedAt: iso(t.revokedAt) };
}

export function tokenRoutes(deps: AppDeps): Hono<AppEnv> {
  const now = () => (deps.now ?? Date.now)();
  return new Hono<AppEnv>()
    .get('/tokens', requireAuth(deps, 'admin'), async (c) => c.json({ tokens: (await listTokens(deps.store, now())).map(tokenJson) }))
    .post('/tokens', requireAuth(deps, 'admin'), zValidator('json', newTokenBody, invalidInput), async (c) => {
      const body = c.req.valid('json');
      const created = await createToken(deps.store, { handle: body.engineer, expiresInDays: body.expiresInDays, now: now() });
      return c.json({ ...tokenJson(created), token: created.token }, 201);
    })
    .post('/tokens/:id/revoke', requireAuth(deps, 'admin'), zValidator('param', idParam, invalidInput), async (c) =>
      c.json({ token: tokenJson(await revokeToken(deps.store, c.req.valid('param').id, now())) }),
    );
}
