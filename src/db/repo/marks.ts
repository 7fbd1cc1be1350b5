/**
 * Understanding marks: append-only writes and the derived current state (fresh / stale) per
 * engineer and per target. Rows are only ever inserted; nothing here updates or deletes a mark.
 */
import { createTwoFilesPatch } from 'diff';
import { and, desc, eq, inArray } from 'drizzle-orm';
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
import { engineers, marks, symbols, symbolTexts } from '../schema.ts';
import { chunk, rowsPerInsert, type Store } from '../store.ts';
import { currentFileBlobs, expandTarget, type TargetItem } from './targets.ts';

export type MarkRow = typeof marks.$inferSelect;

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
}

/** Expands the target and appends one mark row per covered item, all-or-nothing. */
export async function recordMarks(store: Store, input: RecordMarksInput): Promise<RecordedMark[]> {
  const target = typeof input.target === 'string' ? parseTarget(input.target) : input.target;
  const note = checkMarkNote(input.level, input.note);
  const items = await expandTarget(store, target);
  const createdAt = Math.floor((input.now ?? Date.now()) / 1000);
  const targetText = formatTarget(target);
  const origin = input.origin ?? null;
  const rows = items.map((item) => ({
    engineerId: input.engineer.id,
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
  }));
  const inserts = chunk(rows, rowsPerInsert(store, 11)).map((part) =>
    origin === null ? store.db.insert(marks).values(part) : store.db.insert(marks).values(part).onConflictDoNothing(),
  );
  await store.atomic(inserts);
  return rows.map((r) => ({
    engineer: input.engineer.handle,
    symbol: r.name,
    symbolId: r.symbolId,
    file: r.file,
    hash: r.hash,
    level: r.level,
    note: r.note,
    source: r.source,
    target: r.target,
    at: iso(r.createdAt),
  }));
}

/** A derived current mark: the engineer's latest word on a symbol, fresh or stale. */
export interface CurrentMark {
  engineer: string;
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

type Current = CurrentSymbol & { kind: string };

/** Alive symbols (and symbol-less files) that marks may refer to: by id, by hash, or by file + name. */
async function currentForMarks(store: Store, rows: readonly MarkRow[]): Promise<Current[]> {
  const ids = [...new Set(rows.flatMap((m) => (m.symbolId === null ? [] : [m.symbolId])))];
  const hashes = [...new Set(rows.map((m) => m.hash))];
  const namedFiles = [...new Set(rows.filter((m) => m.name !== '').map((m) => m.file))];
  const wantedNames = new Set(rows.map((m) => `${m.file}\u0000${m.name}`));
  const found = new Map<number, Current>();
  const add = (list: (TargetItem & { symbolId: number | null })[]) => {
    for (const s of list) if (s.symbolId !== null) found.set(s.symbolId, { id: s.symbolId, file: s.file, name: s.name, hash: s.hash, kind: s.kind });
  };
  const columns = { symbolId: symbols.id, file: symbols.file, name: symbols.name, kind: symbols.kind, hash: symbols.hash };
  const alive = eq(symbols.alive, true);
  for (const part of chunk(ids, inChunks(store))) {
    add(await store.db.select(columns).from(symbols).where(and(alive, inArray(symbols.id, part))));
  }
  for (const part of chunk(hashes, inChunks(store))) {
    add(await store.db.select(columns).from(symbols).where(and(alive, inArray(symbols.hash, part))));
  }
  for (const part of chunk(namedFiles, inChunks(store))) {
    const inFiles = await store.db.select(columns).from(symbols).where(and(alive, inArray(symbols.file, part)));
    add(inFiles.filter((s) => wantedNames.has(`${s.file}\u0000${s.name}`)));
  }
  const out = [...found.values()];
  // File-granularity marks count only while the file still has no symbols.
  const fileMarks = [...new Set(rows.filter((m) => m.name === '').map((m) => m.file))];
  if (fileMarks.length > 0) {
    const withSymbols = new Set<string>();
    for (const part of chunk(fileMarks, inChunks(store))) {
      const rowsIn = await store.db.selectDistinct({ file: symbols.file }).from(symbols).where(and(alive, inArray(symbols.file, part)));
      for (const r of rowsIn) withSymbols.add(r.file);
    }
    const blobs = await currentFileBlobs(store, fileMarks.filter((f) => !withSymbols.has(f)));
    for (const [file, blob] of blobs) out.push({ id: null, file, name: '', hash: blob, kind: 'file' });
  }
  return out;
}

function toCurrentMark(handle: string, symbol: Current, mark: MarkRow, stale: boolean): CurrentMark {
  return {
    engineer: handle,
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

/** The engineer's current marks (one per symbol at head), fresh and stale, ordered by file and name. */
export async function currentMarksForEngineer(store: Store, engineer: { id: number; handle: string }): Promise<CurrentMark[]> {
  const rows = await store.db.select().from(marks).where(eq(marks.engineerId, engineer.id));
  if (rows.length === 0) return [];
  const states = deriveMarkStates(rows, await currentForMarks(store, rows));
  return states
    .map((s) => toCurrentMark(engineer.handle, s.symbol, s.mark, s.stale))
    .sort((a, b) => (a.file === b.file ? a.symbol.localeCompare(b.symbol) : a.file.localeCompare(b.file)));
}

export interface StaleMark extends CurrentMark {
  /** Text of the symbol when it was marked, and now (null when not stored, e.g. file-granularity). */
  oldText: string | null;
  newText: string | null;
  /** Unified diff from the marked version to the current one; null when a text is missing. */
  diff: string | null;
}

/** The engineer's stale marks with what changed since: old and new text and a unified diff. */
export async function staleMarksForEngineer(store: Store, engineer: { id: number; handle: string }): Promise<StaleMark[]> {
  const stale = (await currentMarksForEngineer(store, engineer)).filter((m) => m.stale);
  const hashes = [...new Set(stale.flatMap((m) => [m.hash, m.currentHash]))];
  const texts = new Map<string, string>();
  for (const part of chunk(hashes, inChunks(store))) {
    for (const t of await store.db.select().from(symbolTexts).where(inArray(symbolTexts.hash, part))) texts.set(t.hash, t.text);
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
    marks: Omit<CurrentMark, 'symbol' | 'symbolId' | 'file' | 'kind' | 'currentHash'>[];
    /** Every mark row on this item's identity or current hash, newest first (when asked for). */
    history?: { engineer: string; hash: string; level: MarkLevel; note: string | null; source: MarkSource; target: string; at: string }[];
  }[];
}

/** Who has marked what a target covers: the current state per item, and optionally the full history. */
export async function marksForTarget(store: Store, targetText: string, opts: { history?: boolean } = {}): Promise<TargetMarks> {
  const target = parseTarget(targetText);
  const items = await expandTarget(store, target);
  const ids = [...new Set(items.flatMap((i) => (i.symbolId === null ? [] : [i.symbolId])))];
  const files = [...new Set(items.map((i) => i.file))];
  const hashes = [...new Set(items.map((i) => i.hash))];
  const rows = new Map<number, MarkRow & { handle: string }>();
  const select = () => store.db.select({ mark: marks, handle: engineers.handle }).from(marks).innerJoin(engineers, eq(engineers.id, marks.engineerId));
  const collect = (list: { mark: MarkRow; handle: string }[]) => {
    for (const r of list) rows.set(r.mark.id, { ...r.mark, handle: r.handle });
  };
  for (const part of chunk(ids, inChunks(store))) collect(await select().where(inArray(marks.symbolId, part)));
  for (const part of chunk(hashes, inChunks(store))) collect(await select().where(inArray(marks.hash, part)));
  for (const part of chunk(files, inChunks(store))) collect(await select().where(inArray(marks.file, part)));
  const all = [...rows.values()];

  const current = items.map((i) => ({ id: i.symbolId, file: i.file, name: i.name, hash: i.hash, kind: i.kind }));
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
          const { symbol: _s, symbolId: _i, file: _f, kind: _k, currentHash: _c, ...rest } = toCurrentMark(s.mark.handle, symbol, s.mark, s.stale);
          return rest;
        }),
      };
      if (opts.history) {
        item.history = all
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

/** Marks of all engineers, for the debt model: every row whose hash or identity is in the given symbols. */
export async function marksForSymbols(store: Store, current: readonly CurrentSymbol[]): Promise<MarkRow[]> {
  const out = new Map<number, MarkRow>();
  const ids = [...new Set(current.flatMap((s) => (s.id === null ? [] : [s.id])))];
  const hashes = [...new Set(current.map((s) => s.hash))];
  for (const part of chunk(ids, inChunks(store))) for (const r of await store.db.select().from(marks).where(inArray(marks.symbolId, part))) out.set(r.id, r);
  for (const part of chunk(hashes, inChunks(store))) for (const r of await store.db.select().from(marks).where(inArray(marks.hash, part))) out.set(r.id, r);
  const files = [...new Set(current.map((s) => s.file))];
  const names = new Set(current.map((s) => `${s.file}\u0000${s.name}`));
  for (const part of chunk(files, inChunks(store))) {
    for (const r of await store.db.select().from(marks).where(inArray(marks.file, part))) if (names.has(`${r.file}\u0000${r.name}`)) out.set(r.id, r);
  }
  return [...out.values()];
}
