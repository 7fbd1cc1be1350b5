/**
 * GET /api/explanations?q=retry+backoff[&limit=20]: full-text search over the team's explanations
 * (the notes of `explained` marks), best match first, each marked fresh or stale.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { MAX_SEARCH_RESULTS, searchExplanations } from '../../db/repo/explanations.ts';
import type { AppDeps } from '../types.ts';
import type { AppEnv } from '../auth.ts';
import { invalidInput } from '../errors.ts';

const searchQuery = z.object({
  q: z.string().trim().min(1, 'q: give the words to search for').max(512),
  limit: z.coerce.number().int().min(1).max(MAX_SEARCH_RESULTS).default(20),
});

export function explanationRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/explanations', zValidator('query', searchQuery, invalidInput), async (c) => {
    const { q, limit } = c.req.valid('query');
    const hits = await searchExplanations(deps.store, q, limit);
    return c.json({
      q,
      results: hits.map((h) => ({
        target: h.name ? `${h.file}#${h.name}` : h.file,
        file: h.file,
        symbol: h.name,
        engineer: h.engineer,
        note: h.note,
        snippet: h.snippet,
        stale: h.stale,
        at: new Date(h.at * 1000).toISOString(),
      })),
    });
  });
}
