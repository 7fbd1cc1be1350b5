/**
 * Packs changed blocks into import batches that fit the service's limits: statements per batch
 * (counted exactly as the service will run them), bytes per request body, and rows per batch.
 * A block too big for one batch is split into parts; only its first part replaces the range.
 * While one batch is in flight the next is being read and packed.
 */
import { GraspError } from '../core/errors.ts';
import type { LocalBlock } from '../db/repo/push-blocks.ts';
import { BOOKKEEPING_STATEMENTS, HISTORY_CHILDREN, rowsPerStatement, type WirePart, type WireTable } from '../db/push-wire.ts';

export interface Budget {
  maxParams: number;
  maxStatements: number;
  maxBytes: number;
  maxRows: number;
}

export interface PlannedBatch {
  parts: WirePart[];
  /** Blocks whose last part is in this batch: acknowledged together with it. */
  completes: { id: string; digest: string }[];
  bytes: number;
  /** The block still open at the end of this batch and how many of its rows are sent so far. */
  progress?: BlockProgress;
}

/** Statements reserved for `ends` deletes that may ride along, and for envelope bytes. */
const ENDS_RESERVE = HISTORY_CHILDREN.length + 2;
const ENVELOPE_BYTES = 400;
const PART_BYTES = 64;
const TABLE_BYTES = 32;

class Builder {
  parts: WirePart[] = [];
  completes: PlannedBatch['completes'] = [];
  statements = BOOKKEEPING_STATEMENTS + ENDS_RESERVE;
  bytes = ENVELOPE_BYTES;
  rows = 0;
  private counts = new Map<string, number>();

  constructor(private readonly budget: Budget) {}

  get empty(): boolean {
    return this.parts.length === 0;
  }

  /** Opens a part of `block`; false when even its fixed cost does not fit. */
  openPart(block: LocalBlock, replace: boolean): boolean {
    const fixed = replace ? (block.kind === 'h' ? HISTORY_CHILDREN.length + 1 : block.kind === 's' ? 1 : 0) : 0;
    if (!this.empty && (this.statements + fixed > this.budget.maxStatements || this.bytes + PART_BYTES > this.budget.maxBytes)) return false;
    this.parts.push({ block: block.id, replace, tables: {} });
    this.statements += fixed;
    this.bytes += PART_BYTES;
    return true;
  }

  /** Adds one row to the open part; false (and nothing added) when it would break the budget. */
  add(table: WireTable, row: unknown[], rowBytes: number): boolean {
    const part = this.parts[this.parts.length - 1]!;
    const key = `${this.parts.length}:${table}`;
    const n = this.counts.get(key) ?? 0;
    const extra = n % rowsPerStatement(table, this.budget.maxParams) === 0 ? 1 : 0;
    const bytes = rowBytes + 1 + (n === 0 ? TABLE_BYTES : 0);
    const onlyRow = this.rows === 0;
    if (!onlyRow && (this.statements + extra > this.budget.maxStatements || this.bytes + bytes > this.budget.maxBytes || this.rows + 1 > this.budget.maxRows)) {
      return false;
    }
    (part.tables[table] ??= []).push(row);
    this.counts.set(key, n + 1);
    this.statements += extra;
    this.bytes += bytes;
    this.rows++;
    return true;
  }

  take(): PlannedBatch {
    const out = { parts: this.parts.filter((p) => p.replace || Object.keys(p.tables).length > 0), completes: this.completes, bytes: this.bytes };
    return out;
  }
}

/** Splits a batch the service refused as too large into two halves (the completions ride on the second). */
export function splitBatch(batch: PlannedBatch): [PlannedBatch, PlannedBatch] {
  if (batch.parts.length > 1) {
    const mid = Math.floor(batch.parts.length / 2);
    return [
      { parts: batch.parts.slice(0, mid), completes: [], bytes: Math.ceil(batch.bytes / 2) },
      { parts: batch.parts.slice(mid), completes: batch.completes, bytes: Math.ceil(batch.bytes / 2), progress: batch.progress },
    ];
  }
  const part = batch.parts[0];
  const entries = part ? (Object.entries(part.tables) as [WireTable, unknown[][]][]) : [];
  const total = entries.reduce((n, [, rows]) => n + rows.length, 0);
  if (!part || total < 2) throw new GraspError('too-large', 'the service refuses a single row as too large (its request body limit is below one row)');
  let left = Math.floor(total / 2);
  const first: WirePart = { block: part.block, replace: part.replace, tables: {} };
  const second: WirePart = { block: part.block, replace: false, tables: {} };
  for (const [table, rows] of entries) {
    const take = Math.min(left, rows.length);
    if (take > 0) first.tables[table] = rows.slice(0, take);
    if (take < rows.length) second.tables[table] = rows.slice(take);
    left -= take;
  }
  return [
    { parts: [first], completes: [], bytes: Math.ceil(batch.bytes / 2) },
    { parts: [second], completes: batch.completes, bytes: Math.ceil(batch.bytes / 2), progress: batch.progress },
  ];
}

/** A block partly acknowledged: its first `rows` rows (in block order) are on the service. */
export interface BlockProgress {
  id: string;
  digest: string;
  rows: number;
}

/**
 * Packs `blocks` into batches and hands each to `send`, in order. `send` of one batch overlaps
 * the packing of the next; a failure stops the push after the batch in flight. `resume` skips
 * the rows of a block that an interrupted push already delivered (same digest only).
 */
export async function planBatches(
  blocks: AsyncIterable<LocalBlock>,
  budget: Budget,
  send: (batch: PlannedBatch) => Promise<void>,
  resume?: BlockProgress,
): Promise<void> {
  let inflight: Promise<void> = Promise.resolve();
  let builder = new Builder(budget);
  let current: BlockProgress | undefined;
  const flush = async () => {
    const batch = builder.take();
    batch.progress = current && current.rows > 0 ? { ...current } : undefined;
    builder = new Builder(budget);
    if (batch.parts.length === 0 && batch.completes.length === 0) return;
    await inflight;
    inflight = send(batch);
    // Surface a failure now rather than after packing the next batch.
    inflight.catch(() => undefined);
  };
  for await (const block of blocks) {
    const skip = resume && resume.id === block.id && resume.digest === block.digest ? resume.rows : 0;
    // A block resumed mid-way must not clear what its first part already wrote.
    const replace = block.kind !== 'p' && skip === 0;
    current = { id: block.id, digest: block.digest, rows: skip };
    if (!builder.openPart(block, replace)) {
      await flush();
      builder.openPart(block, replace);
    }
    let index = 0;
    for (const [table, rows] of Object.entries(block.tables) as [WireTable, unknown[][]][]) {
      for (const row of rows) {
        if (index++ < skip) continue;
        const rowBytes = Buffer.byteLength(JSON.stringify(row));
        if (!builder.add(table, row, rowBytes)) {
          await flush();
          builder.openPart(block, false);
          builder.add(table, row, rowBytes);
        }
        current.rows++;
      }
    }
    builder.completes.push({ id: block.id, digest: block.digest });
    current = undefined;
  }
  await flush();
  await inflight;
}
