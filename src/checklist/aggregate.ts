/**
 * Net change of a range, pure: a symbol touched by several commits appears once, from its version
 * before the range to its version at head; a file renamed and edited is followed across the rename.
 */
import type { ItemChange } from './types.ts';

export interface SymbolChangeFact {
  sha: string;
  seq: number;
  file: string;
  name: string;
  symbolId: number;
  kind: string;
  change: 'added' | 'modified' | 'deleted' | 'moved';
  oldFile: string | null;
  oldName: string | null;
  hash: string | null;
  oldHash: string | null;
  startLine: number;
  endLine: number;
  exported: boolean;
  complexity: number;
  oldComplexity: number | null;
  agentLines: number;
  humanLines: number;
}

export interface NetSymbolChange {
  symbolId: number;
  /** Where the symbol is at head (for a deletion: where it was last). */
  file: string;
  name: string;
  kind: string;
  change: ItemChange;
  /** Location before the range when it differs (moved or renamed). */
  oldFile: string | null;
  oldName: string | null;
  /** Head version's hash (null when deleted) and the version before the range (null when added). */
  hash: string | null;
  oldHash: string | null;
  /** Every hash the symbol had in or just before the range, oldest first. */
  versions: string[];
  startLine: number;
  endLine: number;
  exported: boolean;
  complexity: number;
  oldComplexity: number | null;
  agentLines: number;
  humanLines: number;
}

export function netSymbolChanges(rows: readonly SymbolChangeFact[]): NetSymbolChange[] {
  const bySymbol = new Map<number, SymbolChangeFact[]>();
  for (const r of rows) {
    const list = bySymbol.get(r.symbolId);
    if (list) list.push(r);
    else bySymbol.set(r.symbolId, [r]);
  }
  const out: NetSymbolChange[] = [];
  for (const [symbolId, list] of bySymbol) {
    list.sort((a, b) => a.seq - b.seq);
    const first = list[0]!;
    const last = list[list.length - 1]!;
    const existedBefore = first.change !== 'added';
    const existsAfter = last.change !== 'deleted';
    if (!existedBefore && !existsAfter) continue; // added and deleted within the range
    const oldHash = existedBefore ? (first.oldHash ?? (first.change === 'moved' ? first.hash : null)) : null;
    const hash = existsAfter ? last.hash : null;
    const oldFile = first.oldFile ?? first.file;
    const oldName = first.oldName ?? first.name;
    const relocated = existedBefore && (oldFile !== last.file || oldName !== last.name);
    let change: ItemChange;
    if (!existedBefore) change = 'added';
    else if (!existsAfter) change = 'deleted';
    else if (oldHash !== null && oldHash === hash) {
      if (!relocated) continue; // changed and changed back: nothing to review
      change = 'moved';
    } else change = 'modified';
    const versions: string[] = [];
    for (const h of [oldHash, ...list.map((r) => r.hash)]) if (h && !versions.includes(h)) versions.push(h);
    out.push({
      symbolId,
      file: last.file,
      name: last.name,
      kind: last.kind,
      change,
      oldFile: relocated && oldFile !== last.file ? oldFile : null,
      oldName: relocated && oldName !== last.name ? oldName : null,
      hash,
      oldHash,
      versions,
      startLine: last.startLine,
      endLine: last.endLine,
      exported: last.exported,
      complexity: last.complexity,
      oldComplexity: existedBefore ? (first.oldComplexity ?? null) : null,
      agentLines: list.reduce((n, r) => n + r.agentLines, 0),
      humanLines: list.reduce((n, r) => n + r.humanLines, 0),
    });
  }
  return out.sort((a, b) => (a.file === b.file ? a.startLine - b.startLine : a.file < b.file ? -1 : 1));
}

export interface FileChangeFact {
  sha: string;
  seq: number;
  idx: number;
  path: string;
  oldPath: string | null;
  status: string;
  added: number | null;
  deleted: number | null;
  binary: boolean;
  oldBlob: string | null;
  newBlob: string | null;
  viaMerge: boolean;
  /** Provenance of the commit: its added lines count as agent lines when 'agent' (without `analysis`). */
  kind: string;
  /** The analysis' verdict on this file change (file_analyses), when analyzed. */
  analysis?: { status: string; reason: string | null; agentLines: number; humanLines: number } | null;
}

export interface NetFileChange {
  /** Path at head (for a deletion: the last path). */
  path: string;
  /** Path before the range when renamed. */
  oldPath: string | null;
  change: ItemChange;
  /** Blob before the range (null when added) and at head (null when deleted). */
  baseBlob: string | null;
  headBlob: string | null;
  binary: boolean;
  /** Sum of added + deleted lines over the range; null when any change had unknown counts. */
  changedLines: number | null;
  agentLines: number;
  humanLines: number;
  /** The analysis' verdict on the latest version (ok, parse-error, generated, ...); null = not analyzed. */
  status: string | null;
  reason: string | null;
}

const ZERO = /^0+$/;
const blobOrNull = (b: string | null) => (b && !ZERO.test(b) ? b : null);

/**
 * Files the range touched, each once, following renames. A merge's diff against its first parent
 * is only used for a path no other commit of the range touched (otherwise it repeats their lines).
 */
export function netFileChanges(rows: readonly FileChangeFact[]): NetFileChange[] {
  const direct = new Set(rows.filter((r) => !r.viaMerge).map((r) => r.path));
  const sorted = rows.filter((r) => !r.viaMerge || !direct.has(r.path)).sort((a, b) => a.seq - b.seq || a.idx - b.idx);
  interface Acc {
    firstPath: string;
    path: string;
    firstStatus: string;
    lastStatus: string;
    baseBlob: string | null;
    headBlob: string | null;
    binary: boolean;
    changed: number | null;
    agent: number;
    human: number;
    status: string | null;
    reason: string | null;
  }
  const byPath = new Map<string, Acc>();
  for (const r of sorted) {
    const status = r.status.charAt(0);
    const from = status === 'R' && r.oldPath ? r.oldPath : r.path;
    let acc = byPath.get(from);
    if (acc && from !== r.path) byPath.delete(from);
    if (!acc) {
      acc = {
        firstPath: from,
        path: r.path,
        firstStatus: status,
        lastStatus: status,
        baseBlob: blobOrNull(r.oldBlob),
        headBlob: null,
        binary: false,
        changed: 0,
        agent: 0,
        human: 0,
        status: null,
        reason: null,
      };
    }
    acc.path = r.path;
    acc.lastStatus = status;
    acc.headBlob = status === 'D' ? null : blobOrNull(r.newBlob);
    acc.binary ||= r.binary;
    acc.changed = acc.changed === null || r.added === null || r.deleted === null ? null : acc.changed + r.added + r.deleted;
    if (r.analysis) {
      acc.agent += r.analysis.agentLines;
      acc.human += r.analysis.humanLines;
    } else if (r.kind === 'agent') acc.agent += r.added ?? 0;
    else acc.human += r.added ?? 0;
    acc.status = r.analysis?.status ?? null;
    acc.reason = r.analysis?.reason ?? null;
    byPath.set(r.path, acc);
  }
  const out: NetFileChange[] = [];
  for (const acc of byPath.values()) {
    const added = acc.firstStatus === 'A' || acc.firstStatus === 'C';
    const deleted = acc.lastStatus === 'D';
    if (added && deleted) continue;
    const moved = acc.firstPath !== acc.path;
    const change: ItemChange = added ? 'added' : deleted ? 'deleted' : moved && acc.baseBlob === acc.headBlob ? 'moved' : 'modified';
    out.push({
      path: acc.path,
      oldPath: moved ? acc.firstPath : null,
      change,
      baseBlob: added ? null : acc.baseBlob,
      headBlob: acc.headBlob,
      binary: acc.binary,
      changedLines: acc.changed,
      agentLines: acc.agent,
      humanLines: acc.human,
      status: acc.status,
      reason: acc.reason,
    });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}


export { isTestPath } from '../core/path-category.ts';
