/**
 * Cloudflare D1 driver: drizzle's d1 driver over the Worker's D1 binding. The schema comes from
 * the same SQL migrations (`wrangler d1 migrations apply`), so nothing is migrated here.
 *
 * D1 differs from better-sqlite3 in three ways the rest of the code relies on this file for:
 * every query is a network round trip (so writes are batched), a statement binds at most 100
 * parameters (`maxParams`), and there are no interactive transactions: `atomic()` sends one
 * `db.batch()`, which D1 runs as a single transaction (all statements or none).
 */
import type { D1Database } from '@cloudflare/workers-types';
import { drizzle } from 'drizzle-orm/d1';
import { GraspError } from '../../core/errors.ts';
import * as schema from '../schema.ts';
import { chunkedInsertIgnore, type GraspDb, type Store, type WriteQuery } from '../store.ts';

/** D1's documented limit of bound parameters per statement. */
export const D1_MAX_PARAMS = 100;

type BatchItem = Parameters<ReturnType<typeof drizzle<typeof schema>>['batch']>[0][number];

/** Only drizzle query builders can join a D1 batch (they carry their SQL); a hand-made `{ run() }` cannot. */
function asBatchItem(query: WriteQuery): BatchItem {
  if (typeof (query as { _prepare?: unknown })._prepare !== 'function') {
    throw new GraspError('invalid', 'store.atomic() on D1 takes drizzle query builders only (insert/update/delete), not custom queries');
  }
  return query as unknown as BatchItem;
}

export function openD1Store(d1: D1Database): Store {
  const db = drizzle(d1, { schema });
  const store: Store = {
    db: db as unknown as GraspDb,
    driver: 'd1',
    maxParams: D1_MAX_PARAMS,
    async atomic(queries) {
      if (queries.length === 0) return;
      // One batch = one D1 transaction. It is never split here: splitting would silently give up
      // atomicity, so callers size their batches (D1 also caps queries per Worker invocation).
      const items = queries.map(asBatchItem);
      await db.batch(items as [BatchItem, ...BatchItem[]]);
    },
    insertIgnore: (table, rows) => chunkedInsertIgnore(store, table, rows),
    close() {
      // The binding belongs to the Worker runtime; there is nothing to release.
    },
  };
  return store;
}
