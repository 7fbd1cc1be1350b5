/**
 * Expands a mark target (symbol, file, commit, range, pull request) to the symbols it covers,
 * each at its current content hash. Files without symbols are covered at file granularity
 * (name '', hash = the file's current blob id). Only the database is read, never git, so this
 * runs on Workers too.
 */
import { and, desc, eq, gte, inArray, lt, lte, or, sql } from 'drizzle-orm';
import { GraspError } from '../../core/errors.ts';
import { formatTarget, symbolLabel, type MarkTarget } from '../../core/marks.ts';
import { commits, fileChanges, pullRequests, symbolChanges, symbols } from '../schema.ts';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { chunk, type RepoStore, type Store } from '../store.ts';
import { ingestedPrCommits } from './github.ts';
import { preparedFor } from './prepared.ts';

/** A symbol (or a symbol-less file) at head. kind 'file' for file granularity. */
export interface TargetItem {
  symbolId: number | null;
  file: string;
  name: string;
  kind: string;
  hash: string;
}

const inChunks = (store: Store) => Math.max(1, store.maxParams - 4);
const here = (store: RepoStore, column: AnySQLiteColumn) => eq(column, store.repoId);

/** Current blob of each path at head (latest change by ingest order); absent paths are left out. */
export async function currentFileBlobs(store: RepoStore, paths: readonly string[]): Promise<Map<string, string>> {
  const wanted = new Set(paths);
  const latest = new Map<string, { seq: number; idx: number; blob: string | null }>();
  for (const part of chunk([...wanted], Math.floor(inChunks(store) / 2))) {
    const rows = await store.db
      .select({
        path: fileChanges.path,
        oldPath: fileChanges.oldPath,
        status: fileChanges.status,
        newBlob: fileChanges.newBlob,
        idx: fileChanges.idx,
        seq: commits.seq,
      })
      .from(fileChanges)
      .innerJoin(commits, and(eq(commits.repoId, fileChanges.repoId), eq(commits.sha, fileChanges.sha)))
      .where(and(here(store, fileChanges.repoId), or(inArray(fileChanges.path, part), inArray(fileChanges.oldPath, part))));
    for (const r of rows) {
      const events: [string, string | null][] = [];
      if (wanted.has(r.path)) events.push([r.path, r.status.startsWith('D') ? null : r.newBlob]);
      // A rename moves the file away from its old path; a copy leaves it there.
      if (r.oldPath && r.oldPath !== r.path && wanted.has(r.oldPath) && r.status.startsWith('R')) events.push([r.oldPath, null]);
      for (const [path, blob] of events) {
        const prev = latest.get(path);
        if (!prev || r.seq > prev.seq || (r.seq === prev.seq && r.idx > prev.idx)) latest.set(path, { seq: r.seq, idx: r.idx, blob });
      }
    }
  }
  const out = new Map<string, string>();
  for (const [path, { blob }] of latest) if (blob) out.set(path, blob);
  return out;
}

const symbolItem = { symbolId: symbols.id, file: symbols.file, name: symbols.name, kind: symbols.kind, hash: symbols.hash };

async function aliveSymbolsInFiles(store: RepoStore, files: readonly string[]): Promise<TargetItem[]> {
  const out: TargetItem[] = [];
  for (const part of chunk([...new Set(files)], inChunks(store))) {
    out.push(
      ...(await store.db
        .select(symbolItem)
        .from(symbols)
        .where(and(here(store, symbols.repoId), inArray(symbols.file, part), eq(symbols.alive, true)))
        .orderBy(symbols.file, symbols.startLine)),
    );
  }
  return out;
}

/** File-granularity items for the paths that exist at head and have no alive symbols. */
async function symbolLessFiles(store: RepoStore, paths: readonly string[], withSymbols: ReadonlySet<string>): Promise<TargetItem[]> {
  const rest = [...new Set(paths)].filter((p) => !withSymbols.has(p)).sort();
  const blobs = await currentFileBlobs(store, rest);
  return rest.filter((p) => blobs.has(p)).map((p) => ({ symbolId: null, file: p, name: '', kind: 'file', hash: blobs.get(p)! }));
}

/** Full sha of a commit given a unique prefix; undefined when none; 'invalid' when ambiguous. */
export async function findCommit(store: RepoStore, prefix: string): Promise<string | undefined> {
  const p = prefix.toLowerCase();
  // Lower-case hex shas starting with p sort between p and p + 'g'; this uses the primary-key index.
  const rows = await store.db
    .select({ sha: commits.sha })
    .from(commits)
    .where(and(here(store, commits.repoId), gte(commits.sha, p), lt(commits.sha, `${p}g`)))
    .limit(2);
  if (rows.length > 1) throw new GraspError('invalid', `commit prefix "${prefix}" is ambiguous; give more characters`);
  return rows[0]?.sha;
}

async function requireCommit(store: RepoStore, prefix: string): Promise<{ sha: string; seq: number }> {
  const sha = await findCommit(store, prefix);
  if (!sha) throw new GraspError('not-found', `no commit "${prefix}" in the database (ingest first?)`);
  const [row] = await store.db.select({ seq: commits.seq }).from(commits).where(and(here(store, commits.repoId), eq(commits.sha, sha)));
  return { sha, seq: row!.seq };
}

/** Commits reachable from head and not from base (git's base..head), walking stored parents. */
export async function commitsInRange(store: RepoStore, base: string, head: string): Promise<string[]> {
  const b = await requireCommit(store, base);
  const h = await requireCommit(store, head);
  // Topological seq: every ancestor has a lower seq, so nothing above the two tips is needed.
  const rows = await store.db
    .select({ sha: commits.sha, parents: commits.parents })
    .from(commits)
    .where(and(here(store, commits.repoId), lte(commits.seq, Math.max(b.seq, h.seq))));
  const parentsOf = new Map(rows.map((r) => [r.sha, JSON.parse(r.parents) as string[]]));
  const reach = (start: string, stop?: ReadonlySet<string>): Set<string> => {
    const seen = new Set<string>();
    const todo = [start];
    while (todo.length > 0) {
      const sha = todo.pop()!;
      if (seen.has(sha) || stop?.has(sha)) continue;
      seen.add(sha);
      for (const p of parentsOf.get(sha) ?? []) todo.push(p);
    }
    return seen;
  };
  return [...reach(h.sha, reach(b.sha))];
}

/** Items the commits added, modified or moved that are still alive, plus the symbol-less files they touched. */
export async function itemsChangedBy(store: RepoStore, shas: readonly string[]): Promise<TargetItem[]> {
  const ids = new Set<number>();
  const paths = new Set<string>();
  for (const part of chunk([...new Set(shas)], inChunks(store))) {
    const changed = await store.db
      .selectDistinct({ symbolId: symbolChanges.symbolId })
      .from(symbolChanges)
      .where(and(here(store, symbolChanges.repoId), inArray(symbolChanges.sha, part), inArray(symbolChanges.change, ['added', 'modified', 'moved'])));
    for (const c of changed) ids.add(c.symbolId);
    const files = await store.db
      .selectDistinct({ path: fileChanges.path })
      .from(fileChanges)
      .where(and(here(store, fileChanges.repoId), inArray(fileChanges.sha, part), sql`${fileChanges.status} not like 'D%'`));
    for (const f of files) paths.add(f.path);
  }
  const items: TargetItem[] = [];
  for (const part of chunk([...ids], inChunks(store))) {
    items.push(...(await store.db.select(symbolItem).from(symbols).where(and(here(store, symbols.repoId), inArray(symbols.id, part), eq(symbols.alive, true)))));
  }
  const withSymbols = new Set<string>();
  for (const part of chunk([...paths], inChunks(store))) {
    const rows = await store.db
      .selectDistinct({ file: symbols.file })
      .from(symbols)
      .where(and(here(store, symbols.repoId), inArray(symbols.file, part), eq(symbols.alive, true)));
    for (const r of rows) withSymbols.add(r.file);
  }
  items.sort((a, b) => (a.file === b.file ? a.name.localeCompare(b.name) : a.file.localeCompare(b.file)));
  return [...items, ...(await symbolLessFiles(store, [...paths], withSymbols))];
}

async function expandFile(store: RepoStore, file: string): Promise<TargetItem[]> {
  const items = await aliveSymbolsInFiles(store, [file]);
  if (items.length > 0) return items;
  return symbolLessFiles(store, [file], new Set());
}

// Marking one symbol is the hot path of the API.
const symbolLookup = preparedFor((store) =>
  store.db
    .select({ ...symbolItem, alive: symbols.alive })
    .from(symbols)
    .where(and(eq(symbols.repoId, sql.placeholder('repoId')), eq(symbols.file, sql.placeholder('file')), eq(symbols.name, sql.placeholder('name'))))
    .orderBy(desc(symbols.alive))
    .limit(1)
    .prepare(),
);

/**
 * The items a target covers, at their current hashes. GraspError 'not-found' when the target
 * names nothing known or covers nothing that still exists at head.
 */
export async function expandTarget(store: RepoStore, target: MarkTarget): Promise<TargetItem[]> {
  const label = formatTarget(target);
  switch (target.kind) {
    case 'symbol': {
      const row = (await symbolLookup(store).all({ repoId: store.repoId, file: target.file, name: target.name }))[0];
      if (!row) throw new GraspError('not-found', `no symbol "${target.name}" in "${target.file}"`);
      if (!row.alive) throw new GraspError('not-found', `symbol "${label}" no longer exists at head`);
      const { alive: _alive, ...item } = row;
      return [item];
    }
    case 'symbol-id': {
      const [row] = await store.db.select({ ...symbolItem, alive: symbols.alive }).from(symbols).where(and(here(store, symbols.repoId), eq(symbols.id, target.id)));
      if (!row) throw new GraspError('not-found', `no symbol with id ${target.id}`);
      if (!row.alive) throw new GraspError('not-found', `symbol ${target.id} (${symbolLabel(row)}) no longer exists at head`);
      const { alive: _alive, ...item } = row;
      return [item];
    }
    case 'file': {
      const items = await expandFile(store, target.file);
      if (items.length === 0) throw new GraspError('not-found', `no file "${target.file}" at head`);
      return items;
    }
    case 'commit': {
      const sha = await findCommit(store, target.sha);
      if (!sha) {
        // A hex-only name can also be a file path.
        const asFile = await expandFile(store, target.sha);
        if (asFile.length > 0) return asFile;
        throw new GraspError('not-found', `no commit or file "${target.sha}" in the database (ingest first?)`);
      }
      return nonEmpty(await itemsChangedBy(store, [sha]), `commit ${sha.slice(0, 12)} changed nothing that still exists at head`);
    }
    case 'range': {
      const shas = await commitsInRange(store, target.base, target.head);
      if (shas.length === 0) throw new GraspError('not-found', `range ${label} contains no commits`);
      return nonEmpty(await itemsChangedBy(store, shas), `range ${label} changed nothing that still exists at head`);
    }
    case 'pr': {
      const shas = await pullRequestShas(store, target.number);
      return nonEmpty(await itemsChangedBy(store, shas), `pull request #${target.number} changed nothing that still exists at head`);
    }
  }
}

/**
 * The commits of a pull request, resolved as its page (/prs/N) resolves them: base..head when both
 * tips are ingested (a PR known only from webhooks has just its tips), else its synced commits.
 */
export async function pullRequestShas(store: RepoStore, number: number): Promise<string[]> {
  const [tips] = await store.db
    .select({ baseSha: pullRequests.baseSha, headSha: pullRequests.headSha })
    .from(pullRequests)
    .where(and(here(store, pullRequests.repoId), eq(pullRequests.number, number)))
    .limit(1);
  const base = tips?.baseSha ? await findCommit(store, tips.baseSha) : undefined;
  const head = tips?.headSha ? await findCommit(store, tips.headSha) : undefined;
  if (base && head) return commitsInRange(store, base, head);
  const own = await ingestedPrCommits(store, number);
  if (!tips && own.length === 0) throw new GraspError('not-found', `no pull request #${number} in the database (sync GitHub first?)`);
  if (own.length === 0) throw new GraspError('not-found', `pull request #${number} has no ingested commits (ingest the repository first?)`);
  return own.map((c) => c.sha);
}

function nonEmpty(items: TargetItem[], message: string): TargetItem[] {
  if (items.length === 0) throw new GraspError('not-found', message);
  return items;
}
