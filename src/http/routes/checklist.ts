/** GET /api/checklists?base=&head=&as= (or ?pr=): the review checklist as JSON, or Markdown with format=md. */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { buildChecklist, buildPullRequestChecklist } from '../../checklist/build.ts';
import { formatChecklistMarkdown } from '../../checklist/markdown.ts';
import type { AppDeps } from '../types.ts';
import type { AppEnv } from '../auth.ts';
import { invalidInput } from '../errors.ts';
import { repoStoreOf } from '../repo-scope.ts';

const rev = z.string().regex(/^[0-9a-fA-F]{4,64}$/, 'must be a commit sha or unique prefix (4-64 hex digits)');
const checklistQuery = z
  .object({
    base: rev.optional(),
    head: rev.optional(),
    pr: z.coerce.number().int().min(1).max(1_000_000_000).optional(),
    as: z.string().min(1).max(64).optional(),
    format: z.enum(['json', 'md']).default('json'),
    callers: z.enum(['true', 'false', '1', '0']).optional().transform((v) => v !== 'false' && v !== '0'),
  })
  .refine((q) => (q.pr !== undefined) !== (q.base !== undefined && q.head !== undefined) && (q.base === undefined) === (q.head === undefined), {
    message: 'give base and head, or pr',
  });

export function checklistRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/checklists', zValidator('query', checklistQuery, invalidInput), async (c) => {
    const q = c.req.valid('query');
    const store = await repoStoreOf(deps.store, c);
    const checklist =
      q.pr !== undefined
        ? await buildPullRequestChecklist(store, { pr: q.pr, as: q.as, callers: q.callers })
        : await buildChecklist(store, { base: q.base!, head: q.head!, as: q.as, callers: q.callers });
    if (q.format === 'md') return c.text(formatChecklistMarkdown(checklist), 200, { 'Content-Type': 'text/markdown; charset=utf-8' });
    return c.json(checklist);
  });
}
