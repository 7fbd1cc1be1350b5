/**
 * mark_heads: the latest mark per engineer and key (content hash, symbol id, file + name), kept
 * so that current-state reads cost O(current marks) instead of O(history).
 *
 * The table is derived: mark rows are folded in lazily, before reads, from meta
 * `marks.headsUpTo` on. Whoever inserts into `marks` (CLI, API, GitHub sync, an import) needs to
 * do nothing else; a lost or stale mark_heads is repaired by `rebuildMarkHeads`. Folding is
 * idempotent and order-independent (latest by created_at, then id), so concurrent folds agree.
 */
import { and, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import { GraspError } from '../../core/errors.ts';
import { engineers, markHeads, marks, meta } from '../schema.ts';
import { chunk, rowsPerInsert, type Store } from '../store.ts';
import { jsonList, preparedFor } from './prepared.ts';

export const HEADS_META_KEY = 'marks.headsUpTo';

export type MarkRow = typeof marks.$inferSelect;

/** The keys a mark row is latest-tracked under. */
export function headKeys(m: { repoId: number; hash: string; symbolId: number | null; file: string; name: string }): string[] {
  const keys = [hashKey(m.repoId, m.hash), nameKey(m.repoId, m.file, m.name)];
  if (m.symbolId !== null) keys.push(symbolKey(m.symbolId));
  return keys;
}
// Hashes and paths repeat across repositories; symbol ids do not.
export const hashKey = (repoId: number, hash: string): string => `${repoId}:h:${hash}`;
export const symbolKey = (id: number): string => `s:${id}`;
export const nameKey = (repoId: number, file: string, name: string): string => `${repoId}:n:${file}\u0000${name}`;

const headsCheck = preparedFor((store) =>
  store.db
    .select({
      maxId: sql<number | null>`max(${marks.id})`,
      upTo: sql<string | null>`(select ${meta.value} from ${meta} where ${meta.key} = ${HEADS_META_KEY})`,
    })
    .from(marks)
    .prepare(),
);
/** By connection (store.db): a RepoStore shares its base store's. */
const inFlight = new WeakMap<object, Promise<void>>();

/** True when mark rows were written that mark_heads does not cover yet (a read-only store cannot fold them). */
export async function markHeadsBehind(store: Store): Promise<boolean> {
  const [row] = await headsCheck(store).all();
  return Number(row?.maxId ?? 0) > Number(row?.upTo ?? 0);
}

/** Folds every mark row not yet in mark_heads. One fold at a time per store in this process. */
export async function ensureMarkHeads(store: Store): Promise<void> {
  for (;;) {
    const running = inFlight.get(store.db);
    if (running) {
      await running;
      continue;
    }
    const [row] = await headsCheck(store).all();
    const maxId = Number(row?.maxId ?? 0);
    const upTo = Number(row?.upTo ?? 0);
    if (maxId <= upTo) return;
    if (store.readOnly) throw new GraspError('conflict', 'recent marks are not folded into mark_heads yet and this database is open read-only: run one command that writes (e.g. `grasp marks` on a writable copy)');
    if (inFlight.get(store.db)) continue; // another request started folding while we checked
    const fold = foldRange(store, upTo, maxId).finally(() => inFlight.delete(store.db));
    inFlight.set(store.db, fold);
    await fold;
  }
}

async function foldRange(store: Store, from: number, to: number): Promise<void> {
  // D1 caps the statements one invocation may run; keep each batch small there.
  const batch = store.driver === 'd1' ? 100 : 2000;
  let upTo = from;
  while (upTo < to) {
    const rows = await store.db
      .select({ id: marks.id, engineerId: marks.engineerId, repoId: marks.repoId, symbolId: marks.symbolId, file: marks.file, name: marks.name, hash: marks.hash, createdAt: marks.createdAt })
      .from(marks)
      .where(and(gt(marks.id, upTo), lte(marks.id, to)))
      .orderBy(marks.id)
      .limit(batch);
    if (rows.length === 0) break;
    const heads = new Map<string, typeof markHeads.$inferInsert>();
    for (const r of rows) {
      for (const key of headKeys(r)) {
        const k = `${r.engineerId}\u0001${key}`;
        const prev = heads.get(k);
        if (!prev || r.createdAt > prev.createdAt || (r.createdAt === prev.createdAt && r.id > prev.markId)) {
          heads.set(k, { key, engineerId: r.engineerId, markId: r.id, createdAt: r.createdAt });
        }
      }
    }
    upTo = rows[rows.length - 1]!.id;
    await store.atomic([
      ...chunk([...heads.values()], rowsPerInsert(store, 4)).map((part) =>
        store.db
          .insert(markHeads)
          .values(part)
          .onConflictDoUpdate({
            target: [markHeads.key, markHeads.engineerId],
            set: { markId: sql`excluded.mark_id`, createdAt: sql`excluded.created_at` },
            setWhere: sql`excluded.created_at > ${markHeads.createdAt} or (excluded.created_at = ${markHeads.createdAt} and excluded.mark_id > ${markHeads.markId})`,
          }),
      ),
      store.db
        .insert(meta)
        .values({ key: HEADS_META_KEY, value: String(upTo) })
        .onConflictDoUpdate({
          target: meta.key,
          set: { value: sql`excluded.value` },
          setWhere: sql`cast(excluded.value as integer) > cast(${meta.value} as integer)`,
        }),
    ]);
  }
}

/** Drops and recomputes mark_heads from the full history (repair; never needed in normal use). */
export async function rebuildMarkHeads(store: Store): Promise<void> {
  await store.atomic([store.db.delete(markHeads), store.db.delete(meta).where(eq(meta.key, HEADS_META_KEY))]);
  await ensureMarkHeads(store);
}

const latestByKeys = preparedFor((store) =>
  store.db
    .select({ mark: marks, handle: engineers.handle })
    .from(markHeads)
    .innerJoin(marks, eq(marks.id, markHeads.markId))
    .innerJoin(engineers, eq(engineers.id, marks.engineerId))
    .where(inArray(markHeads.key, jsonList('keys')))
    .prepare(),
);

/** Latest mark rows (with the engineer's handle) under any of the keys, for every engineer. */
export async function latestMarksForKeys(store: Store, keys: readonly string[]): Promise<(MarkRow & { handle: string })[]> {
  await ensureMarkHeads(store);
  const out = new Map<number, MarkRow & { handle: string }>();
  for (const r of await latestByKeys(store).all({ keys: JSON.stringify([...new Set(keys)]) })) out.set(r.mark.id, { ...r.mark, handle: r.handle });
  return [...out.values()];
}

const latestOfEngineer = preparedFor((store) =>
  store.db
    .selectDistinct({ mark: marks })
    .from(markHeads)
    .innerJoin(marks, eq(marks.id, markHeads.markId))
    .where(eq(markHeads.engineerId, sql.placeholder('engineerId')))
    .prepare(),
);

/** The engineer's latest mark rows under every key they ever marked. */
export async function latestMarksOfEngineer(store: Store, engineerId: number): Promise<MarkRow[]> {
  await ensureMarkHeads(store);
  return (await latestOfEngineer(store).all({ engineerId })).map((r) => r.mark);
}

const latestOfEveryone = preparedFor((store) =>
  store.db.selectDistinct({ mark: marks }).from(markHeads).innerJoin(marks, eq(marks.id, markHeads.markId)).prepare(),
);

/**
 * Every engineer's latest mark rows under every key they ever marked: `latestMarksOfEngineer` for
 * the whole team in one read (each row carries its engineer id).
 */
export async function latestMarksOfEveryone(store: Store): Promise<MarkRow[]> {
  await ensureMarkHeads(store);
  return (await latestOfEveryone(store).all()).map((r) => r.mark);
}
