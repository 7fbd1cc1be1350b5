/**
 * /api/import: the service side of `grasp push` (admin token only).
 *   GET  /api/import            what the service already holds (generation, repositories with their pushed origin) and its limits
 *   POST /api/import            one batch of blocks, written atomically (src/push/import.ts)
 *   POST /api/import/engineers  create missing engineers and link their aliases (optional step)
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { GraspError } from '../../core/errors.ts';
import {
  addAliases,
  addEngineer,
  displayNameSchema,
  emailAliasSchema,
  findEngineer,
  getEngineerWithAliases,
  handleSchema,
  loginAliasSchema,
} from '../../db/repo/engineers.ts';
import { DEFAULT_IMPORT_LIMITS, importBatch, importStatus, type ImportLimits } from '../../db/repo/push-import.ts';
import type { ImportDeps } from '../types.ts';
import { requireAuth, type AppEnv } from '../auth.ts';
import { invalidInput, limitBody } from '../errors.ts';

export type { ImportDeps } from '../types.ts';

const engineersBody = z.strictObject({
  engineers: z
    .array(
      z.strictObject({
        handle: handleSchema,
        name: displayNameSchema,
        emails: z.array(emailAliasSchema).max(100),
        logins: z.array(loginAliasSchema).max(100),
      }),
    )
    .max(100),
});

export function importRoutes(deps: ImportDeps): Hono<AppEnv> {
  const limits: ImportLimits = { ...DEFAULT_IMPORT_LIMITS, ...deps.importLimits };
  const now = () => (deps.now ?? Date.now)();
  return new Hono<AppEnv>()
    .get('/import', requireAuth(deps, 'admin'), async (c) => c.json(await importStatus(deps.store, limits)))
    .post('/import', limitBody(limits.maxBytes), requireAuth(deps, 'admin'), async (c) => {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new GraspError('invalid', 'import body must be JSON');
      }
      return c.json(await importBatch(deps.store, body, limits, now()));
    })
    .post('/import/engineers', requireAuth(deps, 'admin'), zValidator('json', engineersBody, invalidInput), async (c) => {
      const created: string[] = [];
      const updated = new Set<string>();
      const skipped: { handle: string; reason: string }[] = [];
      for (const e of c.req.valid('json').engineers) {
        if (!(await findEngineer(deps.store, e.handle))) {
          try {
            await addEngineer(deps.store, { handle: e.handle, name: e.name }, now());
            created.push(e.handle);
          } catch (err) {
            if (!(err instanceof GraspError)) throw err;
            skipped.push({ handle: e.handle, reason: err.message });
            continue;
          }
        }
        // One alias at a time: an alias another engineer already holds is skipped, not fatal.
        const have = await getEngineerWithAliases(deps.store, e.handle);
        const aliases = [
          ...e.emails.filter((v) => !have.emails.includes(v)).map((v) => ({ emails: [v] })),
          ...e.logins.filter((v) => !have.logins.includes(v)).map((v) => ({ logins: [v] })),
        ];
        for (const alias of aliases) {
          try {
            await addAliases(deps.store, e.handle, alias);
            if (!created.includes(e.handle)) updated.add(e.handle);
          } catch (err) {
            if (!(err instanceof GraspError)) throw err;
            skipped.push({ handle: e.handle, reason: err.message });
          }
        }
      }
      return c.json({ created, updated: [...updated], skipped });
    });
}
