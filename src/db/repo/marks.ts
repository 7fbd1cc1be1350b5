/**
 * Understanding marks: append-only writes and the derived current state (fresh / stale) per
 * engineer and per target. Rows are only ever inserted; nothing here updates or deletes a mark.
 */
import { createTwoFilesPatch } from 'diff';
import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { GraspError } from '../../core/errors.ts';
import {
  checkMarkNote,
  deriveMarkStates,
  formatTarget,
  parseTarget,
  symbolLabel,
  type CurrentSymbol,
  type MarkLevel,
  type MarkSource,
  type MarkTarget,
} from '../../core/marks.ts';
import { blobTexts, engineers, marks, symbols, symbolTexts } from '../schema.ts';
import { chunk, forRepo, type RepoStore, type Store } from '../store.ts';
import { databaseStamp, jsonList, preparedFor } from './prepared.ts';
import { hashKey, latestMarksForKeys, latestMarksOfEngineer, nameKey, symbolKey, type MarkRow } from './mark-heads.ts';
import { itemKey, latestOwnMarks, marksWithOrigin } from './mark-writes.ts';
import { currentFileBlobs, expandTarget, type TargetItem } from './targets.ts';

export type { MarkRow } from './mark-heads.ts';

const iso = (sec: number): string => new Date(sec * 1000).toISOString();
const inChunks = (store: Store) => Math.max(1, store.maxParams - 4);

/** One written mark, as the API returns it. */
export interface RecordedMark {
  engineer: string;
  /** Qualified symbol name; '' for a file-granularity mark. */
  symbol: string;
  symbolId: number | null;
  file: string;
  hash: string;
  level: MarkLevel;
  note: string | null;
  source: MarkSource;
  target: string;
  at: string;
  /** The engineer's latest mark already said this: no row was written (this is that mark). */
  unchanged?: true;
}

export interface RecordMarksInput {
  engineer: { id: number; handle: string };
  target: string | MarkTarget;
  level: MarkLevel;
  note?: string | null;
  source: MarkSource;
  /** Idempotency key: a repeated write with the same key (per engineer and hash) is stored once. */
  origin?: string | null;
  /** Epoch milliseconds. */
  now?: number;
  /** The target's items when the caller already expanded it (the form checks every target first). */
  items?: readonly TargetItem[];
}

type MarkInsert = typeof marks.$inferInsert;
interface PendingBatch {
  rows: MarkInsert[];
  done: Promise<void>;
}
/** By connection (store.db): rows carry their repository. */
const pendingBatches = new WeakMap<object, PendingBatch>();
const afterThisTurn: (fn: () => void) => void = typeof setImmediate === 'function' ? setImmediate : (fn) => setTimeout(fn, 0);

/**
 * Group commit: the rows of every write made in the same event-loop turn go into one
 * transaction (one WAL append instead of one per request). Each caller's rows stay together, so
 * a write is still all-or-nothing, and each caller resolves only once its rows are committed.
 * Duplicates are only possible for writes with an idempotency key (origin); NULL origins never collide.
 */
function appendMarkRows(store: Store, rows: MarkInsert[]): Promise<void> {
  let batch = pendingBatches.get(store.db);
  if (!batch) {
    const created: PendingBatch = { rows: [], done: Promise.resolve() };
    created.done = new Promise<void>((resolve, reject) => {
      afterThisTurn(() => {
        pendingBatches.delete(store.db);
        store.atomic(store.insertIgnore(marks, created.rows)).then(resolve, reject);
      });
    });
    pendingBatches.set(store.db, created);
    batch = created;
  }
  batch.rows.push(...rows);
  return batch.done;
}

/** Most mark rows one write may cover (a range of a long branch covers thousands of symbols). */
export const MAX_MARKS_PER_WRITE = 5000;

const recorded = (handle: string) => (r: Pick<MarkRow, 'name' | 'symbolId' | 'file' | 'hash' | 'level' | 'note' | 'source' | 'target' | 'createdAt'>): RecordedMark => ({
  engineer: handle,
  symbol: r.name,
  symbolId: r.symbolId,
  file: r.file,
  hash: r.hash,
  level: r.level,
  note: r.note,
  source: r.source,
  target: r.target,
  at: iso(r.createdAt),
});

/**
 * Expands the target and appends one mark row per covered item, all-or-nothing. An item whose
 * latest mark by this engineer already says the same (hash, level, note) gets no new row: it is
 * answered with that mark. A reused idempotency key answers the stored marks, or 422 when the
 * request differs from the one first sent with it.
 */
export async function recordMarks(store: RepoStore, input: RecordMarksInput): Promise<RecordedMark[]> {
  const target = typeof input.target === 'string' ? parseTarget(input.target) : input.target;
  const note = checkMarkNote(input.level, input.note);
  const targetText = formatTarget(target);
  const origin = input.origin ?? null;
  const toJson = recorded(input.engineer.handle);
  if (origin !== null) {
    const prior = await marksWithOrigin(store, input.engineer.id, origin);
    if (prior.length > 0) {
      const first = prior[0]!;
      if (prior.some((r) => r.target !== targetText || r.level !== input.level || r.note !== note)) {
        throw new GraspError('unprocessable', `this Idempotency-Key was already used for another mark (${first.level} on ${first.target}); send a new key with a new request`);
      }
      return prior.map(toJson);
    }
  }
  const items = input.items ?? (await expandTarget(store, target));
  if (items.length > MAX_MARKS_PER_WRITE) {
    throw new GraspError('too-large', `${targetText} covers ${items.length} symbols and files; one write marks at most ${MAX_MARKS_PER_WRITE}: mark smaller ranges`);
  }
  const createdAt = Math.floor((input.now ?? Date.now()) / 1000);
  const latest = await latestOwnMarks(store, input.engineer.id, items);
  const out: RecordedMark[] = [];
  const rows: MarkInsert[] = [];
  for (const item of items) {
    const prev = latest.get(itemKey(item));
    if (prev && prev.hash === item.hash && prev.level === input.level && prev.note === note) {
      out.push({ ...toJson(prev), unchanged: true });
      continue;
    }
    const row = {
      engineerId: input.engineer.id,
      repoId: store.repoId,
      symbolId: item.symbolId,
      file: item.file,
      name: item.name,
      hash: item.hash,
      level: input.level,
      note,
      source: input.source,
      target: targetText,
      origin,
      createdAt,
    };
    rows.push(row);
    out.push(toJson(row));
  }
  if (rows.length > 0) await appendMarkRows(store, rows);
  return out;
}

/** A derived current mark: the engineer's latest word on a symbol, fresh or stale. */
export interface CurrentMark {
  engineer: string;
  /** The repository (id) the symbol lives in. */
  repoId: number;
  symbol: string;
  symbolId: number | null;
  file: string;
  kind: string;
  /** The hash the mark was written on. */
  hash: string;
  /** The symbol's hash at head (differs from `hash` when stale). */
  currentHash: string;
  level: MarkLevel;
  note: string | null;
  source: MarkSource;
  target: string;
  at: string;
  stale: boolean;
}

export type Current = CurrentSymbol & { kind: string };

const symbolColumns = { repoId: symbols.repoId, id: symbols.id, file: symbols.file, name: symbols.name, kind: symbols.kind, hash: symbols.hash };
const aliveSymbolsBy = (column: typeof symbols.id | typeof symbols.hash | typeof symbols.file) =>
  preparedFor((store) =>
    store.db.select(symbolColumns).from(symbols).where(and(eq(symbols.alive, true), inArray(column, jsonList('list')))).prepare(),
  );
const aliveSymbolsById = aliveSymbolsBy(symbols.id);
const aliveSymbolsByHash = aliveSymbolsBy(symbols.hash);

/**
 * Alive symbols in the given files of the given repositories, one index seek per (repository, file)
 * on symbols_file_name: by file alone, a path that every repository has (`src/index.ts`) would read
 * the symbols of all of them. CROSS JOIN keeps the short list outside.
 */
async function aliveSymbolsInFiles(store: Store, files: readonly (readonly [repoId: number, file: string])[]): Promise<(Current & { id: number })[]> {
  if (files.length === 0) return [];
  return store.db.all<Current & { id: number }>(sql`
    select ${symbols.repoId} as repoId, ${symbols.id} as id, ${symbols.file} as file, ${symbols.name} as name, ${symbols.kind} as kind, ${symbols.hash} as hash
    from json_each(${JSON.stringify(files)}) as wanted
      cross join ${symbols} on ${symbols.repoId} = json_extract(wanted.value, '$[0]') and ${symbols.file} = json_extract(wanted.value, '$[1]')
    where ${symbols.alive} = 1`);
}

/** Alive symbols (and symbol-less files) that marks may refer to: by id, by hash, or by file + name. */
export async function currentForMarks(store: Store, rows: readonly MarkRow[]): Promise<Current[]> {
  const ids = [...new Set(rows.flatMap((m) => (m.symbolId === null ? [] : [m.symbolId])))];
  const hashes = [...new Set(rows.map((m) => m.hash))];
  const markedFiles = [...new Map(rows.map((m) => [`${m.repoId}\u0000${m.file}`, [m.repoId, m.file] as const])).values()];
  const wantedNames = new Set(rows.map((m) => `${m.repoId}\u0000${m.file}\u0000${m.name}`));
  const found = new Map<number, Current>();
  const add = (list: (Current & { id: number })[]) => {
    for (const s of list) found.set(s.id, s);
  };
  const [byId, byHash, inFiles] = await Promise.all([
    aliveSymbolsById(store).all({ list: JSON.stringify(ids) }),
    aliveSymbolsByHash(store).all({ list: JSON.stringify(hashes) }),
    aliveSymbolsInFiles(store, markedFiles),
  ]);
  add(byId);
  add(byHash);
  add(inFiles.filter((s) => wantedNames.has(`${s.repoId}\u0000${s.file}\u0000${s.name}`)));
  const out = [...found.values()];
  // File-granularity marks count only while the file still has no symbols (in the mark's repository).
  const filesWithSymbols = new Set(inFiles.map((s) => `${s.repoId}\u0000${s.file}`));
  const fileMarks = new Map<number, Set<string>>();
  for (const m of rows) {
    if (m.name !== '' || filesWithSymbols.has(`${m.repoId}\u0000${m.file}`)) continue;
    if (!fileMarks.has(m.repoId)) fileMarks.set(m.repoId, new Set());
    fileMarks.get(m.repoId)!.add(m.file);
  }
  for (const [repoId, files] of fileMarks) {
    for (const [file, blob] of await currentFileBlobs(forRepo(store, repoId), [...files])) out.push({ repoId, id: null, file, name: '', hash: blob, kind: 'file' });
  }
  return out;
}

export function toCurrentMark(handle: string, symbol: Current, mark: MarkRow, stale: boolean): CurrentMark {
  return {
    engineer: handle,
    repoId: symbol.repoId,
    symbol: symbol.name,
    symbolId: symbol.id,
    file: symbol.file,
    kind: symbol.kind,
    hash: mark.hash,
    currentHash: symbol.hash,
    level: mark.level,
    note: mark.note,
    source: mark.source,
    target: mark.target,
    at: iso(mark.createdAt),
    stale,
  };
}

// Same order as String#localeCompare without arguments, without building a collator per call.
export const byLocale = new Intl.Collator().compare;

interface CachedCurrent {
  stamp: string;
  handle: string;
  marks: readonly CurrentMark[];
}
/** Per store and engineer id: the last derived current marks and the database stamp they were read at. */
const currentCache = new WeakMap<object, Map<number, CachedCurrent>>(); // by connection (store.db)
const MAX_CACHED_ENGINEERS = 1000;

/**
 * The engineer's current marks (one per symbol at head), fresh and stale, ordered by file and name.
 * Deriving them costs several indexed queries per read, so on better-sqlite3 the result is reused
 * until the database changes (any commit, by this process or another); D1 always derives.
 * The returned array is new per call; its mark objects are shared and frozen.
 */
export async function currentMarksForEngineer(store: Store, engineer: { id: number; handle: string }): Promise<CurrentMark[]> {
  // Taken before deriving: a write landing meanwhile moves the stamp, so the entry is never reused past it.
  const stamp = await databaseStamp(store);
  let cache = currentCache.get(store.db);
  const hit = cache?.get(engineer.id);
  if (stamp !== null && hit && hit.stamp === stamp && hit.handle === engineer.handle) return [...hit.marks];
  const derived = await deriveCurrentMarks(store, engineer);
  if (stamp !== null) {
    if (!cache) currentCache.set(store.db, (cache = new Map()));
    if (cache.size >= MAX_CACHED_ENGINEERS && !cache.has(engineer.id)) cache.clear();
    for (const m of derived) Object.freeze(m);
    cache.set(engineer.id, { stamp, handle: engineer.handle, marks: derived });
  }
  return [...derived];
}

async function deriveCurrentMarks(store: Store, engineer: { id: number; handle: string }): Promise<CurrentMark[]> {
  const rows = await latestMarksOfEngineer(store, engineer.id);
  if (rows.length === 0) return [];
  const states = deriveMarkStates(rows, await currentForMarks(store, rows));
  return states.map((s) => toCurrentMark(engineer.handle, s.symbol, s.mark, s.stale)).sort(byFileThenSymbol);
}

/**
 * The order of an engineer's current marks: by file, then symbol name; the same path and name in
 * two repositories (a vendored copy) by repository, then symbol id, so the order never depends on
 * the order rows came back in.
 */
export const byFileThenSymbol = (a: CurrentMark, b: CurrentMark): number =>
  (a.file === b.file ? byLocale(a.symbol, b.symbol) : byLocale(a.file, b.file)) || a.repoId - b.repoId || (a.symbolId ?? 0) - (b.symbolId ?? 0);

export interface StaleMark extends CurrentMark {
  /** Text of the symbol when it was marked, and now (null when not stored, e.g. file-granularity). */
  oldText: string | null;
  newText: string | null;
  /** Unified diff from the marked version to the current one; null when a text is missing. */
  diff: string | null;
}

/**
 * The engineer's stale marks with what changed since: old and new text and a unified diff. With
 * `texts: false` the texts and diffs are left null: callers that only count or list stale marks
 * (the digest, for every engineer) skip reading every text twice and diffing each pair.
 */
export async function staleMarksForEngineer(store: Store, engineer: { id: number; handle: string }, opts: { texts?: boolean } = {}): Promise<StaleMark[]> {
  const stale = (await currentMarksForEngineer(store, engineer)).filter((m) => m.stale);
  if (opts.texts === false) return stale.map((m) => ({ ...m, oldText: null, newText: null, diff: null }));
  const hashes = [...new Set(stale.flatMap((m) => [m.hash, m.currentHash]))];
  const texts = new Map<string, string>();
  for (const part of chunk(hashes, inChunks(store))) {
    for (const t of await store.db.select().from(symbolTexts).where(inArray(symbolTexts.hash, part))) texts.set(t.hash, t.text);
    // File-granularity marks are keyed by blob id; small non-script blobs (manifests) keep their text.
    for (const t of await store.db.select().from(blobTexts).where(inArray(blobTexts.blob, part))) texts.set(t.blob, t.text);
  }
  return stale.map((m) => {
    const oldText = texts.get(m.hash) ?? null;
    const newText = texts.get(m.currentHash) ?? null;
    const label = symbolLabel({ file: m.file, name: m.symbol });
    const diff =
      oldText !== null && newText !== null
        ? createTwoFilesPatch(label, label, withEol(oldText), withEol(newText), `marked ${m.at}`, 'current')
        : null;
    return { ...m, oldText, newText, diff };
  });
}

const withEol = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);

export interface TargetMarks {
  target: string;
  items: {
    symbol: string;
    symbolId: number | null;
    file: string;
    kind: string;
    hash: string;
    /** Current marks of every engineer on this item. */
    marks: Omit<CurrentMark, 'repoId' | 'symbol' | 'symbolId' | 'file' | 'kind' | 'currentHash'>[];
    /** Every mark row on this item's identity or current hash, newest first (when asked for). */
    history?: { engineer: string; hash: string; level: MarkLevel; note: string | null; source: MarkSource; target: string; at: string }[];
  }[];
}

/** Who has marked what a target covers: the current state per item, and optionally the full history. */
export async function marksForTarget(store: RepoStore, targetText: string, opts: { history?: boolean } = {}): Promise<TargetMarks> {
  const target = parseTarget(targetText);
  const items = await expandTarget(store, target);
  const keys = items.flatMap((i) => [hashKey(store.repoId, i.hash), nameKey(store.repoId, i.file, i.name), ...(i.symbolId === null ? [] : [symbolKey(i.symbolId)])]);
  const all = await latestMarksForKeys(store, keys);
  const history = opts.history ? await historyFor(store, items) : [];

  const current = items.map((i) => ({ repoId: store.repoId, id: i.symbolId, file: i.file, name: i.name, hash: i.hash, kind: i.kind }));
  const states = deriveMarkStates(all, current);
  return {
    target: formatTarget(target),
    items: current.map((symbol) => {
      const mine = states.filter((s) => s.symbol === symbol);
      const item: TargetMarks['items'][number] = {
        symbol: symbol.name,
        symbolId: symbol.id,
        file: symbol.file,
        kind: symbol.kind,
        hash: symbol.hash,
        marks: mine.map((s) => {
          const { repoId: _r, symbol: _s, symbolId: _i, file: _f, kind: _k, currentHash: _c, ...rest } = toCurrentMark(s.mark.handle, symbol, s.mark, s.stale);
          return rest;
        }),
      };
      if (opts.history) {
        item.history = history
          .filter((m) => m.hash === symbol.hash || (symbol.id !== null && m.symbolId === symbol.id) || (m.file === symbol.file && m.name === symbol.name))
          .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)
          .map((m) => ({ engineer: m.handle, hash: m.hash, level: m.level, note: m.note, source: m.source, target: m.target, at: iso(m.createdAt) }));
      }
      return item;
    }),
  };
}

/** Every mark row an engineer ever wrote, newest first (the history behind the current state). */
export async function markHistoryForEngineer(store: Store, engineerId: number, limit = 1000): Promise<MarkRow[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new GraspError('invalid', 'limit must be a positive integer');
  return store.db.select().from(marks).where(eq(marks.engineerId, engineerId)).orderBy(desc(marks.createdAt), desc(marks.id)).limit(limit);
}

/** Every mark row (with handle) on the items' hashes, symbol ids, or file + name, via the marks indexes. */
async function historyFor(store: RepoStore, items: readonly TargetItem[]): Promise<(MarkRow & { handle: string })[]> {
  const out = new Map<number, MarkRow & { handle: string }>();
  for (const part of chunk([...items], Math.max(1, Math.floor((store.maxParams - 4) / 4)))) {
    const ids = part.flatMap((i) => (i.symbolId === null ? [] : [i.symbolId]));
    const rows = await store.db
      .select({ mark: marks, handle: engineers.handle })
      .from(marks)
      .innerJoin(engineers, eq(engineers.id, marks.engineerId))
      .where(
        or(
          and(eq(marks.repoId, store.repoId), inArray(marks.hash, part.map((i) => i.hash))),
          ids.length > 0 ? inArray(marks.symbolId, ids) : undefined,
          and(eq(marks.repoId, store.repoId), inArray(marks.file, part.map((i) => i.file)), inArray(marks.name, part.map((i) => i.name))),
        ),
      );
    for (const r of rows) out.set(r.mark.id, { ...r.mark, handle: r.handle });
  }
  return [...out.values()];
}
