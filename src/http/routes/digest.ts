/**
 * GET /api/digest?week=2026-W47[&format=md|html][&repo=NAME]: the weekly digest, JSON by default (default week:
 * the current one); `format` gives the same Markdown / standalone HTML as `grasp digest`.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { cachedDigest } from '../../digest/cache.ts';
import { renderDigestHtml } from '../../digest/html.tsx';
import { renderDigestMarkdown } from '../../digest/markdown.ts';
import type { AppDeps } from '../types.ts';
import type { AppEnv } from '../auth.ts';
import { invalidInput } from '../errors.ts';
import { optionalRepoOf } from '../repo-scope.ts';

// The format itself is checked by parseWeek, which says what was expected.
export const digestQuery = z.object({
  /** One repository's digest; without it, the team's (every repository, with a row each). */
  repo: z.string().min(1).max(201).optional(),
  week: z.string().min(1).max(16).optional(),
  format: z.enum(['json', 'md', 'html']).default('json'),
});

export function digestRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/digest', zValidator('query', digestQuery, invalidInput), async (c) => {
    const { week, format } = c.req.valid('query');
    const repo = await optionalRepoOf(deps.store, c);
    const digest = await cachedDigest(deps.store, { week, now: (deps.now ?? Date.now)(), repo: repo?.store });
    if (format === 'json') return c.json(digest);
    c.header('X-Content-Type-Options', 'nosniff');
    if (format === 'md') return c.body(renderDigestMarkdown(digest), 200, { 'Content-Type': 'text/markdown; charset=utf-8' });
    // The standalone document inlines its stylesheet and has no scripts: forbid scripts outright.
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    return c.html(await renderDigestHtml(digest));
  });
}
