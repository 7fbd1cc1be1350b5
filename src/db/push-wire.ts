/**
 * The `grasp push` wire format, shared by the client (Node) and the import route (Node or Workers).
 *
 * The local database is cut into blocks with stable boundaries: history blocks by commit seq,
 * symbol blocks by symbol id, pull-request blocks by PR number. A block is sent whole (in one or
 * more parts) whenever its content differs from what the service last acknowledged, and the
 * service replaces that block's range with it. Content-addressed rows (symbol texts, blob
 * analyses, blob blame) travel with the block that first references them and are only inserted.
 *
 * Rows are arrays in the drizzle table's column order, validated with zod schemas derived from
 * the same drizzle columns, so the format follows src/db/schema.ts without a second definition.
 *
 * One batch carries one repository (by name). Keys travel relative to it: commit seq and PR
 * numbers are already per repository; symbol ids (`symbols.id`, `symbol_changes.symbol_id`) travel
 * as their offset within the repository's id namespace (src/core/symbol-ids.ts), and the service
 * adds the base of its own repository of that name. So symbol blocks are numbered from the
 * repository's first id, and marks on the service keep their symbol across re-pushes.
 */
import { getTableColumns } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import {
  aiLines,
  blobAnalyses,
  blobLines,
  blobTexts,
  commits,
  fileAnalyses,
  fileChanges,
  prCommits,
  prFiles,
  prReviewRequests,
  pullRequests,
  reviewComments,
  reviews,
  symbolChanges,
  symbols,
  symbolTexts,
  warnings,
} from './schema.ts';

/** 2: several repositories per service, symbol ids relative to their repository. */
export const WIRE_VERSION = 2;

/** Every table `grasp push` carries, by SQL name. */
export const WIRE_TABLES = {
  commits,
  file_changes: fileChanges,
  ai_lines: aiLines,
  warnings,
  symbol_changes: symbolChanges,
  file_analyses: fileAnalyses,
  symbol_texts: symbolTexts,
  blob_analyses: blobAnalyses,
  blob_lines: blobLines,
  blob_texts: blobTexts,
  symbols,
  pull_requests: pullRequests,
  pr_commits: prCommits,
  pr_files: prFiles,
  pr_review_requests: prReviewRequests,
  reviews,
  review_comments: reviewComments,
} as const satisfies Record<string, SQLiteTable>;

export type WireTable = keyof typeof WIRE_TABLES;

/**
 * Tables `grasp push` leaves alone: written on the service itself (people, tokens, marks and
 * their derived index, web sessions, webhook deliveries) or local bookkeeping (meta; repos, which the service
 * keeps its own of: repositories are matched by name, not by local id).
 */
export const SERVICE_TABLES = ['meta', 'repos', 'engineers', 'engineer_aliases', 'tokens', 'web_sessions', 'marks', 'mark_heads', 'webhook_deliveries'] as const;

/** h = history (by commit seq), s = symbols (by id), p = pull requests (by number). */
export type BlockKind = 'h' | 's' | 'p';

/** Rows per block. Changing these re-sends everything once (digests no longer line up). */
export const BLOCK_SIZE: Record<BlockKind, number> = { h: 64, s: 256, p: 64 };

/** Tables a block of each kind may carry, in the order they are written. */
export const TABLES_OF_KIND: Record<BlockKind, readonly WireTable[]> = {
  h: ['commits', 'file_changes', 'ai_lines', 'warnings', 'symbol_changes', 'file_analyses', 'symbol_texts', 'blob_analyses', 'blob_lines', 'blob_texts'],
  s: ['symbols', 'symbol_texts'],
  p: ['pull_requests', 'pr_commits', 'pr_files', 'pr_review_requests', 'reviews', 'review_comments'],
};

/** Content-addressed tables: rows are immutable, inserted once, never deleted by a block. */
export const CONTENT_TABLES: ReadonlySet<WireTable> = new Set(['symbol_texts', 'blob_analyses', 'blob_lines', 'blob_texts']);

/** Content tables keyed by a git blob id (owned by the history block of the first commit touching the blob). */
export const BLOB_TABLES = ['blob_analyses', 'blob_lines', 'blob_texts'] as const satisfies readonly WireTable[];

/** Children deleted before a history block is replaced (their commits are in the block's seq range). */
export const HISTORY_CHILDREN = ['file_changes', 'ai_lines', 'warnings', 'symbol_changes', 'file_analyses'] as const satisfies readonly WireTable[];

/** Inclusive key range of a block: seq for h (seq starts at 1), id offset for s, number for p. */
export function blockRange(kind: BlockKind, index: number): { lo: number; hi: number } {
  const size = BLOCK_SIZE[kind];
  const lo = kind === 'h' ? index * size + 1 : index * size;
  return { lo, hi: lo + size - 1 };
}

export function blockOf(kind: BlockKind, key: number): number {
  return kind === 'h' ? Math.floor((key - 1) / BLOCK_SIZE.h) : Math.floor(key / BLOCK_SIZE[kind]);
}

/** Largest string a cell may hold: D1 caps a row at 2 MB, and UTF-8 takes up to 3 bytes per UTF-16 unit. */
export const MAX_CELL_CHARS = 600_000;
export const MAX_ROW_CHARS = 650_000;

/** Property keys of a table's columns, in schema order: the order of a wire row. */
export function columnKeys(table: SQLiteTable): string[] {
  // repo_id never travels: the service stamps its own id of the repository pushed into.
  return Object.keys(getTableColumns(table)).filter((k) => k !== 'repoId');
}

function cellSchema(column: SQLiteColumn): z.ZodType {
  let schema: z.ZodType;
  const enumValues = (column as { enumValues?: readonly string[] }).enumValues;
  switch (column.columnType) {
    case 'SQLiteInteger':
      schema = z.number().int();
      break;
    case 'SQLiteBoolean':
      schema = z.boolean();
      break;
    case 'SQLiteReal':
      schema = z.number();
      break;
    case 'SQLiteText':
      schema = enumValues && enumValues.length > 0 ? z.enum(enumValues as [string, ...string[]]) : z.string().max(MAX_CELL_CHARS);
      break;
    default:
      throw new Error(`grasp push cannot carry column ${column.name} of type ${column.columnType}`);
  }
  return column.notNull ? schema : schema.nullable();
}

const tableSchemas = new Map<WireTable, z.ZodType<unknown[][]>>();

/**
 * zod schema of a table's wire rows (tuples in column order), built once from the drizzle columns.
 * One array parse per table: an order of magnitude faster than a parse per row on big batches.
 */
export function tableRowsSchema(name: WireTable): z.ZodType<unknown[][]> {
  let schema = tableSchemas.get(name);
  if (!schema) {
    const columns = getTableColumns(WIRE_TABLES[name]) as Record<string, SQLiteColumn>;
    const cells = columnKeys(WIRE_TABLES[name]).map((k) => cellSchema(columns[k]!));
    schema = z.array(z.tuple(cells as [z.ZodType, ...z.ZodType[]])).max(MAX_ROWS_PER_TABLE) as unknown as z.ZodType<unknown[][]>;
    tableSchemas.set(name, schema);
  }
  return schema;
}

/** Rows of one table in one part. */
export const MAX_ROWS_PER_TABLE = 100_000;

export function rowChars(row: readonly unknown[]): number {
  let n = 0;
  for (const cell of row) if (typeof cell === 'string') n += cell.length;
  return n;
}

/** Rows per multi-row statement: rows x columns must stay within the parameter budget. */
export function rowsPerStatement(name: WireTable, maxParams: number): number {
  // Every column is bound on insert, repo_id (stamped by the service) included.
  return Math.max(1, Math.floor(maxParams / Object.keys(getTableColumns(WIRE_TABLES[name])).length));
}

export interface WirePart {
  /** `h:12`, `s:0`, `p:3`. */
  block: string;
  /** First part of a block: the service clears the block's range before writing. */
  replace: boolean;
  tables: Partial<Record<WireTable, unknown[][]>>;
}

export interface WireBatch {
  version: number;
  /** Identifies the service's copy; a mismatch means it was reset or is fed by someone else. */
  generation: string;
  /** Sha of the repository's first ingested commit (seq 1): which history this is. */
  origin: string | null;
  /** The repository's name: the service writes into its repository of that name, registered on first push. */
  repo: string;
  parts: WirePart[];
  /** Delete everything at or beyond these keys (seq for h, id offset for s): the local data ends there. */
  ends?: { h?: number; s?: number };
}

export function parseBlock(block: string): { kind: BlockKind; index: number } {
  const m = /^([hsp]):(\d{1,9})$/.exec(block);
  if (!m) throw new Error(`bad block id ${block}`);
  return { kind: m[1] as BlockKind, index: Number(m[2]) };
}

/** Statements the service runs for one part (the client sizes its batches with the same count). */
export function partStatements(part: WirePart, maxParams: number): number {
  const { kind } = parseBlock(part.block);
  let n = 0;
  if (part.replace && kind === 'h') n += HISTORY_CHILDREN.length + 1;
  if (part.replace && kind === 's') n += 1;
  for (const [name, rows] of Object.entries(part.tables) as [WireTable, unknown[][]][]) {
    if (rows.length === 0) continue;
    n += Math.ceil(rows.length / rowsPerStatement(name, maxParams));
  }
  return n;
}

/** Statements for a whole batch: its parts, the `ends` deletes, and the service's own bookkeeping. */
export function batchStatements(batch: Pick<WireBatch, 'parts' | 'ends' | 'origin'>, maxParams: number): number {
  const ends = (batch.ends?.h !== undefined ? HISTORY_CHILDREN.length + 1 : 0) + (batch.ends?.s !== undefined ? 1 : 0);
  const bookkeeping = BOOKKEEPING_STATEMENTS - (batch.origin === null ? 1 : 0);
  return batch.parts.reduce((n, p) => n + partStatements(p, maxParams), 0) + ends + bookkeeping;
}

/** meta writes per import batch: generation, origin (when given), last import time. */
export const BOOKKEEPING_STATEMENTS = 3;

/** A repository the service holds, with the first commit of the history pushed into it. */
export interface ServiceRepo {
  name: string;
  origin: string | null;
}

/** What GET /api/import tells a client before it pushes. */
export interface ImportStatus {
  version: number;
  generation: string | null;
  repos: ServiceRepo[];
  maxParams: number;
  /** Statements one import batch may run. */
  maxStatements: number;
  /** Largest accepted request body. */
  maxBytes: number;
  blockSize: Record<BlockKind, number>;
}
