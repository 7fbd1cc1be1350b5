/**
 * /api/symbols: the symbols alive at head (per file or paged), and one symbol looked up by
 * `path#Name` with its current text, who has marked it, and the team's latest explanation (stale,
 * with the diff since, when written for an earlier version).
 */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { explanationsFor } from '../../checklist/explanations.ts';
import { GraspError } from '../../core/errors.ts';
import { MAX_TARGET_LENGTH, parseTarget } from '../../core/marks.ts';
import { marksForTarget } from '../../db/repo/marks.ts';
import { getAliveSymbol, getSymbolText, listCurrentSymbolsPage, type SymbolRow } from '../../db/repo/symbols.ts';
import type { AppDeps } from '../types.ts';
import type { AppEnv } from '../auth.ts';
import { invalidInput } from '../errors.ts';
import { repoStoreOf } from '../repo-scope.ts';

const listQuery = z.object({
  file: z.string().min(1).max(MAX_TARGET_LENGTH).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  offset: z.coerce.number().int().min(0).default(0),
});
const lookupQuery = z.object({ target: z.string().min(1).max(MAX_TARGET_LENGTH) });



function symbolJson(s: SymbolRow) {
  let authors: unknown = [];
  try {
    authors = JSON.parse(s.authors);
  } catch {
    // A malformed authors list is shown as empty rather than failing the request.
  }
  return {
    id: s.id,
    file: s.file,
    name: s.name,
    kind: s.kind,
    hash: s.hash,
    startLine: s.startLine,
    endLine: s.endLine,
    exported: s.exported,
    complexity: s.complexity,
    agentLines: s.agentLines,
    humanLines: s.humanLines,
    authors,
    lastSha: s.lastSha,
    changeCount: s.changeCount,
  };
}

export function symbolRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/symbols', zValidator('query', listQuery, invalidInput), async (c) => {
      const q = c.req.valid('query');
      const rows = await listCurrentSymbolsPage(await repoStoreOf(deps.store, c), { file: q.file, limit: q.limit, offset: q.offset });
      return c.json({ symbols: rows.map(symbolJson) });
    })
    .get('/symbols/lookup', zValidator('query', lookupQuery, invalidInput), async (c) => {
      const target = parseTarget(c.req.valid('query').target);
      if (target.kind !== 'symbol') throw new GraspError('invalid', 'lookup takes a symbol target: path#Qualified.name');
      const store = await repoStoreOf(deps.store, c);
      const row = await getAliveSymbol(store, target.file, target.name);
      if (!row) throw new GraspError('not-found', `no symbol "${target.name}" in "${target.file}" at head`);
      const text = await getSymbolText(deps.store, row.hash);
      const marks = await marksForTarget(store, `${row.file}#${row.name}`);
      const explained = await explanationsFor(store, [{ symbolId: row.id, hash: row.hash, file: row.file, symbol: row.name }]);
      return c.json({ symbol: symbolJson(row), text, marks: marks.items[0]?.marks ?? [], explanation: explained.get(row.id) ?? null });
    });
}
