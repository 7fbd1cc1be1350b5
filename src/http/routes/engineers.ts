/**
 * /api/engineers: list and look up engineers (open), add engineers and aliases (admin token),
 * unlinked commit authors, and /api/me (who a token belongs to).
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  addAliases,
  addEngineer,
  displayNameSchema,
  emailAliasSchema,
  getEngineerWithAliases,
  getUnlinkedAuthors,
  handleSchema,
  listEngineers,
  loginAliasSchema,
  type EngineerWithAliases,
} from '../../db/repo/engineers.ts';
import type { AppDeps } from '../types.ts';
import { requireAuth, type AppEnv } from '../auth.ts';
import { invalidInput } from '../errors.ts';

export const handleParam = z.object({ handle: handleSchema });

const aliasLists = {
  emails: z.array(emailAliasSchema).max(100).optional(),
  logins: z.array(loginAliasSchema).max(100).optional(),
};
const newEngineerBody = z.strictObject({ handle: handleSchema, name: displayNameSchema.optional(), ...aliasLists });
const aliasesBody = z
  .strictObject(aliasLists)
  .refine((b) => (b.emails?.length ?? 0) + (b.logins?.length ?? 0) > 0, 'give at least one email or login');

export function engineerJson(e: EngineerWithAliases) {
  return { handle: e.handle, name: e.name, emails: e.emails, logins: e.logins, createdAt: new Date(e.createdAt * 1000).toISOString() };
}

export function engineerRoutes(deps: AppDeps): Hono<AppEnv> {
  const now = () => (deps.now ?? Date.now)();
  return new Hono<AppEnv>()
    .get('/engineers', async (c) => c.json({ engineers: (await listEngineers(deps.store)).map(engineerJson) }))
    .get('/engineers/unlinked', async (c) => {
      const authors = await getUnlinkedAuthors(deps.store);
      return c.json({ authors: authors.map((a) => ({ ...a, lastCommitAt: new Date(a.lastCommitAt * 1000).toISOString() })) });
    })
    .get('/engineers/:handle', zValidator('param', handleParam, invalidInput), async (c) =>
      c.json({ engineer: engineerJson(await getEngineerWithAliases(deps.store, c.req.valid('param').handle)) }),
    )
    .post('/engineers', requireAuth(deps, 'admin'), zValidator('json', newEngineerBody, invalidInput), async (c) => {
      const engineer = await addEngineer(deps.store, c.req.valid('json'), now());
      return c.json({ engineer: engineerJson(engineer) }, 201);
    })
    .post(
      '/engineers/:handle/aliases',
      requireAuth(deps, 'admin'),
      zValidator('param', handleParam, invalidInput),
      zValidator('json', aliasesBody, invalidInput),
      async (c) => {
        const engineer = await addAliases(deps.store, c.req.valid('param').handle, c.req.valid('json'));
        return c.json({ engineer: engineerJson(engineer) });
      },
    )
    .get('/me', requireAuth(deps, 'any'), (c) => {
      const p = c.get('principal');
      return c.json({ admin: p.admin, engineer: p.engineer?.handle ?? null, tokenId: p.tokenId, via: c.get('authVia') });
    });
}
