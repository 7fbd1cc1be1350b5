/**
 * Review effort in minutes, pure.
 *
 * minutes = ceil( Σ items [ changedLines / 5  +  max(0, complexity − 1) / 4  +  (file-level item without line counts ? 1 : 0)
 *                           +  0.5 × (risk flags that point at code) ] )
 *
 * Why: careful code review runs at roughly 200–400 changed lines per hour (the Cisco/SmartBear
 * study found defect detection drops sharply above ~400 LOC/h), so 300 LOC/h = 5 lines a minute.
 * Each decision point beyond the first is another path to trace: a quarter minute each.
 * Each flag that points at code (signature, complexity, catch, promise, types, security,
 * dependency) is one more thing to check deliberately: half a minute each. untested-export,
 * unreviewed-agent-code and stale-mark describe the item rather than add code to read: they count 0.
 * A binary or unparsable file
 * has no line count: a minute to look at it. Items the reviewer already reviewed at this exact
 * version cost nothing; for a stale one only the lines changed since count.
 * Any non-empty checklist takes at least one minute.
 */

export const EFFORT_FORMULA =
  'minutes = ceil(Σ items (changedLines / 5 + max(0, complexity − 1) / 4 + 1 per file without line counts + 0.5 per code flag)); ' +
  '5 lines/min = 300 LOC/h, within the 200–400 LOC/h of careful review; already-reviewed items count 0';

export const LINES_PER_MINUTE = 5;
export const MINUTES_PER_DECISION = 0.25;
export const MINUTES_PER_FLAG = 0.5;
export const MINUTES_PER_OPAQUE_FILE = 1;

export interface EffortInput {
  changedLines: number;
  /** Cyclomatic complexity of the version to read (null for file-level items and deletions). */
  complexity: number | null;
  /** Flags that point at code (not untested-export, unreviewed-agent-code, stale-mark). */
  flags: number;
  /** A file whose changed lines are unknown (binary, too large): a fixed look. */
  opaque: boolean;
  /** Already reviewed at this version: costs nothing. */
  skip: boolean;
}

export function itemMinutes(item: EffortInput): number {
  if (item.skip) return 0;
  return (
    Math.max(0, item.changedLines) / LINES_PER_MINUTE +
    Math.max(0, (item.complexity ?? 1) - 1) * MINUTES_PER_DECISION +
    (item.opaque ? MINUTES_PER_OPAQUE_FILE : 0) +
    item.flags * MINUTES_PER_FLAG
  );
}

export function effortMinutes(items: readonly EffortInput[]): number {
  const total = items.reduce((sum, i) => sum + itemMinutes(i), 0);
  if (total === 0) return items.some((i) => !i.skip) ? 1 : 0;
  // Round to whole minutes after summing; tiny float noise must not add a minute.
  return Math.max(1, Math.ceil(total - 1e-9));
}
