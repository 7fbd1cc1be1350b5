/**
 * The `symbols` table's "current" columns, recomputed from the head tree after a run: which
 * identities are alive at head, and for each its current version's lines by origin (innermost
 * symbol only, from forward blame), the authors of those lines, kind, range, hash, complexity.
 */
import { GraspError } from '../core/errors.ts';
import { analysisWriteQueries, existingSymbolTexts, loadCommitAuthors, type AnalysisWrites } from '../db/repo/symbols.ts';
import { setRepoMetaQuery } from '../db/repo/repos.ts';
import type { RepoStore } from '../db/store.ts';
import { firstLine, runGit } from '../git/run.ts';
import { splitLines, UNKNOWN_ORIGIN } from './blame.ts';
import type { BlobCache } from './blob-cache.ts';
import type { PathVerdict } from './classify.ts';
import { innermostSymbolByLine, storableSymbolText } from './diff.ts';
import type { IdentityMap } from './identities.ts';
import type { BlobSymbol } from './types.ts';

export interface HeadFile {
  path: string;
  blob: string;
}

/** Regular files of a tree (symlinks and submodules left out). */
export async function listTree(root: string, rev: string): Promise<HeadFile[]> {
  const r = await runGit(root, ['ls-tree', '-r', '-z', '--full-tree', rev]);
  if (r.code !== 0) throw new GraspError('git-failed', `git ls-tree failed: ${firstLine(r.stderr)}`);
  const files: HeadFile[] = [];
  for (const entry of r.stdout.toString('utf8').split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, blob] = entry.slice(0, tab).split(' ');
    if (type !== 'blob' || !blob || !(mode === '100644' || mode === '100755')) continue;
    files.push({ path: entry.slice(tab + 1), blob });
  }
  return files;
}

export interface RefreshDeps {
  store: RepoStore;
  root: string;
  head: string | null;
  blobs: BlobCache;
  identities: IdentityMap;
  writes: AnalysisWrites;
  verdict(path: string): PathVerdict | null;
  loadAttributes(paths: string[]): Promise<void>;
}

/** Returns the number of symbols alive at head. */
export async function refreshCurrentSymbols(deps: RefreshDeps): Promise<number> {
  const { store, blobs, identities, writes } = deps;
  const files = deps.head ? await listTree(deps.root, deps.head) : [];
  await deps.loadAttributes(files.map((f) => f.path));
  const analyzed = files.filter((f) => deps.verdict(f.path) === null);
  await blobs.prepare(analyzed.map((f) => ({ oid: f.blob, path: f.path })), analyzed.map((f) => f.blob));

  const perFile: { file: HeadFile; symbols: readonly BlobSymbol[]; shas: string[]; agent: boolean[]; owner: Int32Array }[] = [];
  const keepAlive = new Set<number>();
  const shas = new Set<string>();
  for (const file of analyzed) {
    const analysis = blobs.analysis(file.blob);
    if (analysis.status === 'parse-error') {
      // A transient syntax error at head keeps the file's last known symbols alive.
      for (const identity of identities.liveInFile(file.path)) keepAlive.add(identity.id);
      continue;
    }
    if (analysis.status !== 'ok') continue;
    const origins = (await blobs.originsOf(file.blob)) ?? { shas: [], agent: [] };
    for (const sha of origins.shas) shas.add(sha);
    perFile.push({ file, symbols: analysis.symbols, shas: origins.shas, agent: origins.agent, owner: innermostSymbolByLine(analysis.symbols, analysis.lineCount) });
  }
  const emails = await loadCommitAuthors(store, [...shas].filter((s) => s !== UNKNOWN_ORIGIN));

  const alive = new Set<number>(keepAlive);
  for (const { file, symbols, shas: lineShas, agent, owner } of perFile) {
    const own = symbols.map(() => ({ agent: 0, human: 0, authors: new Set<string>() }));
    owner.forEach((index, i) => {
      const entry = own[index];
      if (!entry) return;
      if (agent[i]) entry.agent++;
      else entry.human++;
      const email = emails.get(lineShas[i] ?? UNKNOWN_ORIGIN);
      if (email) entry.authors.add(email);
    });
    symbols.forEach((symbol, index) => {
      const identity = identities.upsert(file.path, symbol.name, symbol);
      const o = own[index]!;
      identity.agentLines = o.agent;
      identity.humanLines = o.human;
      identity.authors = JSON.stringify([...o.authors].sort());
      alive.add(identity.id);
    });
  }
  for (const identity of identities.all()) {
    const shouldLive = alive.has(identity.id);
    if (identity.alive !== shouldLive) {
      identity.alive = shouldLive;
      identities.touch(identity);
    }
  }
  await storeMissingTexts(deps, perFile);
  writes.symbols.push(...identities.takeDirty());
  await store.atomic([...analysisWriteQueries(store, writes), setRepoMetaQuery(store, 'analysis.head', deps.head ?? '')]);
  return alive.size;
}

async function storeMissingTexts(deps: RefreshDeps, perFile: { file: HeadFile; symbols: readonly BlobSymbol[] }[]): Promise<void> {
  const present = await existingSymbolTexts(deps.store, perFile.flatMap((f) => f.symbols.map((s) => s.hash)));
  const added = new Set<string>();
  for (const { file, symbols } of perFile) {
    if (symbols.every((s) => present.has(s.hash) || added.has(s.hash))) continue;
    const text = await deps.blobs.text(file.blob);
    if (text === null) continue;
    const lines = splitLines(text);
    symbols.forEach((s, index) => {
      if (present.has(s.hash) || added.has(s.hash)) return;
      added.add(s.hash);
      const stored = storableSymbolText(lines, symbols, index);
      if (stored !== null) deps.writes.symbolTexts.push({ hash: s.hash, text: stored });
    });
  }
}
