/**
 * The output contracts of `grasp symbols` and `grasp changes` (shared with any HTTP route):
 * symbols of a file at head or at a revision, and what one commit did to symbols.
 */
import { isAbsolute, relative } from 'node:path';
import { z } from 'zod';
import { GraspError } from '../core/errors.ts';
import { getCommit, resolveCommitOrThrow } from '../db/repo/commits.ts';
import { getRepoRoot } from '../db/repo/repos.ts';
import { UNTRACKED_KEY } from '../core/line-attribution.ts';
import { parseRanges, type Range } from '../core/ranges.ts';
import { fileHasSymbolHistory, getChangesForCommit, loadAiLines, getCurrentSymbols, getLastChanges, getLatestFileAnalysis, getSymbol } from '../db/repo/symbols.ts';
import type { RepoStore } from '../db/store.ts';
import { resolveRef } from '../git/repository.ts';
import { AttributeReader } from '../git/attributes.ts';
import { CatFileBatch } from '../git/cat-file.ts';
import { analyzeBlobText, PathPolicy } from './classify.ts';
import type { SymbolKind } from './types.ts';

export interface SymbolJson {
  name: string;
  kind: SymbolKind;
  file: string;
  startLine: number;
  endLine: number;
  exported: boolean;
  complexity: number;
  hash: string;
  lastChange: { sha: string; kind: 'agent' | 'human' | 'bot'; agent: string | null } | null;
}

export interface ChangesJson {
  sha: string;
  symbols: {
    name: string;
    kind: SymbolKind;
    file: string;
    change: 'added' | 'modified' | 'deleted' | 'moved';
    agentLines: number;
    humanLines: number;
    /** Added lines an authorship record left untracked (neither agent nor known human); only when some are. */
    untrackedLines?: number;
    complexity: number;
  }[];
}

const pathSchema = z
  .string()
  .min(1, 'a file path is required')
  .max(4096, 'the file path is too long')
  .refine((p) => !/[\0\n\r]/.test(p), 'the file path contains control characters');
const revSchema = z
  .string()
  .min(1, 'a revision is required')
  .max(256, 'the revision is too long')
  .refine((r) => !r.startsWith('-') && !/[\0\n\r\s:]/.test(r), 'not a revision name');

/** A repository-relative path with forward slashes, from what a user typed. */
export function normalizeRepoPath(input: string, root: string | null): string {
  const parsed = pathSchema.safeParse(input);
  if (!parsed.success) throw new GraspError('invalid', parsed.error.issues[0]?.message ?? 'invalid file path');
  let path = parsed.data.replace(/\\/g, '/');
  if (root && isAbsolute(path)) {
    const rel = relative(root, path).replace(/\\/g, '/');
    if (rel.startsWith('..')) throw new GraspError('invalid', `${input} is outside the repository ${root}`);
    path = rel;
  }
  path = path.replace(/^(\.\/)+/, '').replace(/\/{2,}/g, '/');
  if (path === '' || path.split('/').includes('..')) throw new GraspError('invalid', `${input} is not a path inside the repository`);
  return path;
}

/** Symbols of a file at head (from the database), or at `at` (read from git and analyzed now). */
export async function listFileSymbols(store: RepoStore, fileInput: string, opts: { at?: string } = {}): Promise<{ symbols: SymbolJson[]; note: string | null }> {
  const root = await getRepoRoot(store);
  const file = normalizeRepoPath(fileInput, root);
  if (opts.at !== undefined) return symbolsAtRevision(store, root, file, opts.at);
  const rows = await getCurrentSymbols(store, { file });
  if (rows.length === 0) {
    const latest = await getLatestFileAnalysis(store, file);
    if (!latest && !(await fileHasSymbolHistory(store, file))) {
      throw new GraspError('not-found', `no analyzed file ${file} (paths are relative to the repository root)`);
    }
    const note = latest && latest.status !== 'ok' ? `${file} is kept at file granularity: ${latest.status}${latest.reason ? ` (${latest.reason})` : ''}` : `${file} has no symbols at head`;
    return { symbols: [], note };
  }
  const last = await getLastChanges(store, rows.map((r) => ({ id: r.id, hash: r.hash })));
  const symbols = rows.map((r) => ({
    name: r.name,
    kind: r.kind as SymbolKind,
    file: r.file,
    startLine: r.startLine,
    endLine: r.endLine,
    exported: r.exported,
    complexity: r.complexity,
    hash: r.hash,
    lastChange: toLastChange(last.get(r.id)),
  }));
  return { symbols, note: null };
}

async function symbolsAtRevision(store: RepoStore, root: string | null, file: string, revInput: string): Promise<{ symbols: SymbolJson[]; note: string | null }> {
  const rev = revSchema.safeParse(revInput);
  if (!rev.success) throw new GraspError('invalid', `--at ${JSON.stringify(revInput)}: ${rev.error.issues[0]?.message ?? 'invalid'}`);
  if (!root) throw new GraspError('not-found', 'no repository ingested yet: run `grasp ingest <repo-path>`');
  const sha = await resolveRef(root, rev.data);
  if (!sha) throw new GraspError('not-found', `unknown revision ${rev.data}`);
  const attributes = await AttributeReader.at(root, sha);
  const cat = new CatFileBatch(root);
  try {
    const blob = await cat.readBlob(`${sha}:${file}`);
    if (!blob) throw new GraspError('not-found', `${file} does not exist at ${rev.data}`);
    await attributes.load([file]);
    const verdict = new PathPolicy().verdict(file, attributes.get(file));
    if (verdict) return { symbols: [], note: `${file} is kept at file granularity: ${verdict.status} (${verdict.reason})` };
    const analysis = analyzeBlobText(file, blob, attributes.get(file));
    if (analysis.status !== 'ok') return { symbols: [], note: `${file} is kept at file granularity: ${analysis.status} (${analysis.reason})` };
    const commit = await getCommit(store, sha);
    const identities = await Promise.all(analysis.symbols.map((s) => getSymbol(store, file, s.name)));
    const wanted = analysis.symbols.flatMap((s, i) => (identities[i] ? [{ id: identities[i]!.id, hash: s.hash }] : []));
    const last = await getLastChanges(store, wanted, commit?.seq);
    const symbols = analysis.symbols
      .map((s, i) => ({
        name: s.name,
        kind: s.kind,
        file,
        startLine: s.startLine,
        endLine: s.endLine,
        exported: s.exported,
        complexity: s.complexity,
        hash: s.hash,
        lastChange: identities[i] ? toLastChange(last.get(identities[i]!.id)) : null,
      }))
      .sort((a, b) => a.startLine - b.startLine || a.name.localeCompare(b.name));
    return { symbols, note: null };
  } finally {
    await cat.close();
    attributes.close();
  }
}

/** What a commit (sha or unique prefix) did to symbols. */
export async function commitChanges(store: RepoStore, shaInput: string): Promise<ChangesJson> {
  const commit = await resolveCommitOrThrow(store, shaInput);
  if (commit.analyzed === 0) throw new GraspError('not-found', `commit ${commit.sha.slice(0, 12)} is not analyzed yet: run \`grasp analyze\``);
  const rows = await getChangesForCommit(store, commit.sha);
  const untracked = untrackedBySymbol(rows, await loadAiLines(store, [commit.sha]));
  return {
    sha: commit.sha,
    symbols: rows.map((r, i) => {
      const u = untracked[i] ?? 0;
      // Untracked lines were counted as human by the analysis: move them out so the three add up.
      return {
        name: r.name,
        kind: r.kind as SymbolKind,
        file: r.file,
        change: r.change,
        agentLines: r.agentLines,
        humanLines: Math.max(0, r.humanLines - u),
        ...(u > 0 ? { untrackedLines: u } : {}),
        complexity: r.complexity,
      };
    }),
  };
}

/** Untracked lines per symbol change, each line counted once, for the innermost changed symbol that spans it. */
function untrackedBySymbol(rows: readonly { file: string; change: string; startLine: number; endLine: number }[], ai: readonly { path: string; session: string; ranges: string }[]): number[] {
  const out = rows.map(() => 0);
  for (const r of ai) {
    if (r.session !== UNTRACKED_KEY) continue;
    let ranges: Range[] = [];
    try {
      ranges = parseRanges(r.ranges);
    } catch {
      continue;
    }
    for (const [s, e] of ranges) {
      for (let line = s; line <= e; line++) {
        let best = -1;
        rows.forEach((c, i) => {
          if (c.file !== r.path || c.change === 'deleted' || line < c.startLine || line > c.endLine) return;
          if (best < 0 || c.endLine - c.startLine < rows[best]!.endLine - rows[best]!.startLine) best = i;
        });
        if (best >= 0) out[best]!++;
      }
    }
  }
  return out;
}

function toLastChange(c: { sha: string; kind: 'agent' | 'human' | 'bot'; agent: string | null } | undefined): SymbolJson['lastChange'] {
  return c ? { sha: c.sha, kind: c.kind, agent: c.agent } : null;
}
