/**
 * GET /api/checklists?base=&head=&as= (or ?range=A...B, or ?pr=): the review checklist as JSON, or
 * Markdown with format=md. base and head are git revisions (HEAD~2, main, sha^), resolved by git
 * where the repository is at hand, else over the stored commits; an unknown one is a 400/404 with
 * git's message.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { buildChecklist, buildPullRequestChecklist } from '../../checklist/build.ts';
import { formatChecklistMarkdown } from '../../checklist/markdown.ts';
import { resolveRangePair, resolveRangeText } from '../../checklist/revisions.ts';
import type { AppDeps } from '../types.ts';
import type { AppEnv } from '../auth.ts';
import { invalidInput } from '../errors.ts';
import { repoStoreOf } from '../repo-scope.ts';

// No whitespace, controls, ':' or '..' inside one revision (a range is given as range=).
// eslint-disable-next-line no-control-regex
const rev = z.string().max(256).regex(/^(?!.*\.\.)[^\s\u0000-\u001f\u007f:]+$/, 'must be a git revision: a sha, HEAD~2, main, v1.2^');
// eslint-disable-next-line no-control-regex
const rangeText = z.string().max(520).regex(/^[^\s\u0000-\u001f\u007f:]+$/, 'must be a range such as HEAD~2..HEAD or main...feature');
const checklistQuery = z
  .object({
    base: rev.optional(),
    head: rev.optional(),
    range: rangeText.optional(),
    pr: z.coerce.number().int().min(1).max(1_000_000_000).optional(),
    as: z.string().min(1).max(64).optional(),
    format: z.enum(['json', 'md']).default('json'),
    callers: z.enum(['true', 'false', '1', '0']).optional().transform((v) => v !== 'false' && v !== '0'),
  })
  .refine((q) => [q.pr !== undefined, q.base !== undefined || q.head !== undefined, q.range !== undefined].filter(Boolean).length === 1 && (q.base === undefined) === (q.head === undefined), {
    message: 'give base and head, or range, or pr',
  });

export function checklistRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/checklists', zValidator('query', checklistQuery, invalidInput), async (c) => {
    const q = c.req.valid('query');
    const store = await repoStoreOf(deps.store, c);
    const checklist =
      q.pr !== undefined
        ? await buildPullRequestChecklist(store, { pr: q.pr, as: q.as, callers: q.callers })
        : await buildChecklist(store, {
            ...(q.range !== undefined
              ? await resolveRangeText(store, q.range, deps.revisions)
              : await resolveRangePair(store, { left: q.base!, right: q.head!, symmetric: false }, deps.revisions)),
            as: q.as,
            callers: q.callers,
          });
    if (q.format === 'md') return c.text(formatChecklistMarkdown(checklist), 200, { 'Content-Type': 'text/markdown; charset=utf-8' });
    return c.json(checklist);
  });
}
