/**
 * The review checklist as JSON (the API and `--format json`) and as the Markdown renderer reads it.
 * Field names follow the contract of issue 7; extra fields only add detail.
 */

export const FLAG_CODES = [
  'exported-signature',
  'complexity',
  'swallowed-error',
  'floating-promise',
  'unsafe-type',
  'security',
  'dependency',
  'untested-export',
  'unreviewed-agent-code',
  'stale-mark',
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

export interface Flag {
  code: FlagCode;
  message: string;
  /** Line in the head version of the file; null when the item no longer exists at head. */
  line: number | null;
}

export type ItemChange = 'added' | 'modified' | 'deleted' | 'moved';

/** Reading-order group: contracts, implementations (callee before caller), then tests. */
export type ItemGroup = 'contract' | 'implementation' | 'test';

export interface StaleSince {
  /** Level and time of the reviewer's latest mark on an older version. */
  level: string;
  at: string;
  hash: string;
  /** Unified diff from the version the reviewer marked to the head version (null: text not stored). */
  diff: string | null;
}

export type { PathCategory } from '../core/path-category.ts';
import type { PathCategory } from '../core/path-category.ts';

export interface ItemExplanation {
  by: string;
  note: string;
  at: string;
  /** Written for another version than the item's head. */
  stale: boolean;
  /** When stale: unified diff from the explained version to the head version (null when a text is missing). */
  diff: string | null;
}

export interface ChecklistItem {
  /** Position in the reading order (1-based, shared with `callers`). */
  order: number;
  /** Qualified symbol name; '' for a file-level item. */
  symbol: string;
  /** Symbol kind, or 'file' for a file-level item. */
  kind: string;
  file: string;
  /** Start line at head; null for a deleted item. */
  line: number | null;
  change: ItemChange;
  /** Where a moved or renamed symbol came from. */
  oldFile: string | null;
  oldSymbol: string | null;
  group: ItemGroup;
  /** Lines added in the range by origin (summed over its commits). */
  agentLines: number;
  humanLines: number;
  /** Net changed lines from the version before the range to head (what the reviewer reads). */
  changedLines: number;
  complexity: number | null;
  oldComplexity: number | null;
  /** production, test, generated, vendored, lock or manifest: only production and manifests count toward effort and flags. */
  category: PathCategory;
  /** Minutes this item adds to effortMinutes (0 for tests, generated, vendored and lock files). */
  minutes: number;
  /** Why a file stays at file granularity (binary, parse-error, generated, ...), else null. */
  note: string | null;
  alreadyReviewed: boolean;
  staleSince: StaleSince | null;
  flags: Flag[];
  /** Content hash of the head version (blob id for a file-level item); null when deleted. */
  hash: string | null;
  /** Symbol identity at the analyzed history (renames keep it); null for file-level items. */
  symbolId: number | null;
  /** Someone on the team understands the head version (a fresh reviewed/explained mark). */
  understood: boolean;
  /** The team's latest explanation of this symbol (an explained mark's note); stale when written for another version. */
  explanation?: ItemExplanation | null;
}

/** A symbol outside the range (at the analyzed head) that refers to changed symbols: read for impact. */
export interface CallerItem {
  order: number;
  symbol: string;
  kind: string;
  file: string;
  line: number;
  /** Changed symbols (`file#name`) it calls, constructs or reads. */
  calls: string[];
  /** Changed types it only names (interfaces, types, enums, a class as a type): listed apart from callers. */
  references: string[];
}

export interface ChecklistCommit {
  sha: string;
  subject: string;
  kind: string;
  agent: string | null;
}

export interface Checklist {
  base: string;
  head: string;
  /** The reviewer the checklist was made for (`--as`), or null. */
  as: string | null;
  effortMinutes: number;
  effortFormula: string;
  /** One line about agent code instead of a flag per item, e.g. "9 of 10 items agent-written, none reviewed"; null without agent code. */
  agentSummary: string | null;
  /** Engineers who understand the touched symbols, best first (never the reviewer). */
  reviewers: string[];
  counts: {
    commits: number;
    items: number;
    flags: number;
    alreadyReviewed: number;
    agentLines: number;
    humanLines: number;
  };
  commits: ChecklistCommit[];
  items: ChecklistItem[];
  callers: CallerItem[];
  /** Facts that make the checklist incomplete (unanalyzed commits, missing texts). */
  warnings: string[];
}
