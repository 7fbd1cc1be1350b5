/**
 * Keeps long-running writers (ingest, analysis) from starving short ones (a reviewer's mark write
 * in `grasp serve`, another process). SQLite has one write lock per database: a mark write polls
 * for it (every <= 16 ms, up to its lock wait), so it always gets it if every background
 * transaction is short and is followed by a gap longer than that poll interval.
 *
 * The pacer measures how long each transaction took per row written and tells its caller how many
 * rows the next one may hold to stay within the budget; before each transaction it waits out
 * whatever is left of the gap (usually nothing: reading git and parsing take longer).
 */
import type { Store, WriteQuery } from './store.ts';

export interface WritePacerOptions {
  /** Work per transaction the pacer aims for, in ms. */
  budgetMs?: number;
  /** Pause after each transaction before the next may start, in ms: longer than a waiting writer's poll. */
  gapMs?: number;
  /** Rows the first transaction may hold, before anything was measured. */
  initialRows?: number;
}

export const DEFAULT_TRANSACTION_BUDGET_MS = 50;
/** `openNodeStore`'s lock wait polls at most 16 ms apart; a few ms on top for a busy event loop. */
export const DEFAULT_TRANSACTION_GAP_MS = 25;

export class WritePacer {
  readonly budgetMs: number;
  readonly gapMs: number;
  /** Smoothed ms per row, from the transactions so far (null before the first). */
  private msPerRow: number | null = null;
  private readonly initialRows: number;
  private lastEnd = 0;
  /** Longest transaction seen, for tests and the bench. */
  longestMs = 0;
  transactions = 0;

  constructor(private readonly store: Store, opts: WritePacerOptions = {}) {
    this.budgetMs = opts.budgetMs ?? DEFAULT_TRANSACTION_BUDGET_MS;
    this.gapMs = opts.gapMs ?? DEFAULT_TRANSACTION_GAP_MS;
    this.initialRows = opts.initialRows ?? 500;
  }

  /** Rows the next transaction may hold to stay within the budget (always at least 1). */
  rowBudget(): number {
    if (this.msPerRow === null) return this.initialRows;
    return Math.max(1, Math.floor(this.budgetMs / Math.max(this.msPerRow, 1e-4)));
  }

  /** Runs one transaction after the gap, and learns from its duration. `rows` = rows it writes. */
  async atomic(queries: WriteQuery[], rows = queries.length): Promise<void> {
    if (queries.length === 0) return;
    const wait = this.lastEnd + this.gapMs - performance.now();
    if (this.lastEnd > 0 && wait > 0) await new Promise((r) => setTimeout(r, wait));
    const start = performance.now();
    await this.store.atomic(queries);
    const end = performance.now();
    this.lastEnd = end;
    this.transactions++;
    const took = end - start;
    this.longestMs = Math.max(this.longestMs, took);
    const perRow = took / Math.max(1, rows);
    // Fast to shrink (a slow transaction is what hurts), slow to grow back.
    this.msPerRow = this.msPerRow === null || perRow > this.msPerRow ? perRow : this.msPerRow * 0.7 + perRow * 0.3;
  }
}
