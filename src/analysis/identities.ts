/**
 * Symbol identities during an analysis run: (file, qualified name) -> identity, maintained in
 * commit order. The `symbols` table is its persistent form, so a resumed run starts where the
 * last stored batch ended. A deleted symbol keeps its key (re-adding the name revives it);
 * a move or file rename re-keys the identity.
 */
import type { SymbolInsert, SymbolRow } from '../db/repo/symbols.ts';
import type { BlobSymbol, SymbolKind } from './types.ts';

export interface Identity {
  id: number;
  file: string;
  name: string;
  kind: string;
  alive: boolean;
  hash: string;
  startLine: number;
  endLine: number;
  exported: boolean;
  complexity: number;
  agentLines: number;
  humanLines: number;
  authors: string;
  lastSha: string | null;
  changeCount: number;
}

export class IdentityMap {
  private readonly byFile = new Map<string, Map<string, Identity>>();
  private readonly dirty = new Set<Identity>();
  private nextId = 1;

  /**
   * `firstFreeId`: where the repository's namespace continues (src/core/symbol-ids.ts); its own
   * rows (all inside that namespace) never number below it.
   */
  static fromRows(rows: readonly SymbolRow[], firstFreeId = 1): IdentityMap {
    const map = new IdentityMap();
    map.nextId = Math.max(1, firstFreeId);
    // Ascending ids: a later identity at the same key wins, unless the earlier one is alive.
    for (const row of rows) {
      const identity: Identity = { ...row };
      map.nextId = Math.max(map.nextId, row.id + 1);
      const current = map.get(row.file, row.name);
      if (!current || !current.alive || row.alive) map.put(identity);
    }
    map.dirty.clear();
    return map;
  }

  get(file: string, name: string): Identity | undefined {
    return this.byFile.get(file)?.get(name);
  }

  liveInFile(file: string): Identity[] {
    return [...(this.byFile.get(file)?.values() ?? [])].filter((i) => i.alive);
  }

  /** The identity at (file, name), created if there is none; its state becomes `symbol`. */
  upsert(file: string, name: string, symbol: BlobSymbol): Identity {
    let identity = this.get(file, name);
    if (!identity) {
      identity = { id: this.nextId++, file, name, kind: symbol.kind, alive: true, hash: symbol.hash, startLine: 0, endLine: 0, exported: false, complexity: 1, agentLines: 0, humanLines: 0, authors: '[]', lastSha: null, changeCount: 0 };
      this.put(identity);
    }
    this.setState(identity, symbol);
    return identity;
  }

  /** Re-keys an identity to a new file and/or name (a move or a file rename). */
  move(identity: Identity, file: string, name: string): void {
    const old = this.byFile.get(identity.file);
    if (old?.get(identity.name) === identity) old.delete(identity.name);
    const displaced = this.get(file, name);
    if (displaced && displaced !== identity && displaced.alive) {
      displaced.alive = false;
      this.dirty.add(displaced);
    }
    identity.file = file;
    identity.name = name;
    this.put(identity);
  }

  setState(identity: Identity, symbol: BlobSymbol): void {
    identity.kind = symbol.kind;
    identity.alive = true;
    identity.hash = symbol.hash;
    identity.startLine = symbol.startLine;
    identity.endLine = symbol.endLine;
    identity.exported = symbol.exported;
    identity.complexity = symbol.complexity;
    this.dirty.add(identity);
  }

  markDeleted(identity: Identity): void {
    identity.alive = false;
    this.dirty.add(identity);
  }

  recordChange(identity: Identity, sha: string): void {
    identity.lastSha = sha;
    identity.changeCount++;
    this.dirty.add(identity);
  }

  touch(identity: Identity): void {
    this.dirty.add(identity);
  }

  all(): Identity[] {
    return [...this.byFile.values()].flatMap((m) => [...m.values()]);
  }

  /** Rows for the identities changed since the last call. */
  takeDirty(): SymbolInsert[] {
    const rows = [...this.dirty].map(toRow).sort((a, b) => a.id! - b.id!);
    this.dirty.clear();
    return rows;
  }

  private put(identity: Identity): void {
    let names = this.byFile.get(identity.file);
    if (!names) this.byFile.set(identity.file, (names = new Map()));
    names.set(identity.name, identity);
    this.dirty.add(identity);
  }
}

/** An identity's last known state as a symbol, for comparing when the old blob cannot be parsed. */
export function identityAsSymbol(identity: Identity): BlobSymbol {
  return {
    name: identity.name,
    kind: identity.kind as SymbolKind,
    startLine: identity.startLine,
    endLine: identity.endLine,
    exported: identity.exported,
    complexity: identity.complexity,
    hash: identity.hash,
    parent: -1,
  };
}

function toRow(i: Identity): SymbolInsert {
  return {
    id: i.id,
    file: i.file,
    name: i.name,
    kind: i.kind,
    alive: i.alive,
    hash: i.hash,
    startLine: i.startLine,
    endLine: i.endLine,
    exported: i.exported,
    complexity: i.complexity,
    agentLines: i.agentLines,
    humanLines: i.humanLines,
    authors: i.authors,
    lastSha: i.lastSha,
    changeCount: i.changeCount,
  };
}
