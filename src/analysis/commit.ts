/**
 * One commit's analysis: per changed file the status (symbols or file granularity and why), the
 * added lines split agent / non-agent, forward blame of the new version, and the symbol changes with
 * their identities. Lines count once, for their innermost symbol; a symbol whose lines changed but
 * whose hash did not (formatting, comments) is not a change.
 */
import { inRanges, parseRanges, type Range } from '../core/ranges.ts';
import type { FileChangeRecord } from '../db/repo/commits.ts';
import type { AnalysisWrites } from '../db/repo/symbols.ts';
import { forwardBlame, matchLinesByText, splitLines, UNKNOWN_ORIGIN } from './blame.ts';
import { hasLines, type BlobCache } from './blob-cache.ts';
import type { CatFileBatch } from '../git/cat-file.ts';
import type { PathVerdict } from './classify.ts';
import { diffCommitSymbols, innermostSymbolByLine, linesPerSymbol, type FileSymbols, type SymbolEvent } from './diff.ts';
import { identityAsSymbol, type Identity, type IdentityMap } from './identities.ts';
import type { BlobAnalysis, BlobSymbol } from './types.ts';

export type FileChange = FileChangeRecord;

export interface CommitInfo {
  sha: string;
  parents: string[];
  kind: 'agent' | 'human' | 'bot';
}

export interface RunState {
  blobs: BlobCache;
  cat: CatFileBatch;
  identities: IdentityMap;
  writes: AnalysisWrites;
  verdict(path: string): PathVerdict | null;
  commitKind(sha: string): Promise<'agent' | 'human' | 'bot' | null>;
  /** Symbol versions whose text must be stored: hash -> where to cut it from. */
  textNeeds: Map<string, { blob: string; symbols: readonly BlobSymbol[]; index: number }>;
}

interface Origin {
  sha: string;
  agent: boolean;
}

interface FilePlan {
  change: FileChange;
  oldPath: string;
  newAnalysis: BlobAnalysis | null;
  oldAnalysis: BlobAnalysis | null;
  newRanges: Range[];
  oldRanges: Range[];
  /** Every line the diff adds, with who wrote it (file_analyses counts, except for merges). */
  diffLines: { line: number; agent: boolean }[];
  /** The subset this commit authored (a merge's lines found in another parent are not). */
  authored: Map<number, boolean>;
  /** Lines whose origin is elsewhere: merged from another parent, or carried along by a move. */
  borrowed: Map<number, Origin>;
}

/** `ai` = git-ai agent ranges by path for this commit, or null when the commit has no git-ai data. */
export async function analyzeCommit(state: RunState, commit: CommitInfo, changes: readonly FileChange[], ai: Map<string, Range[]> | null): Promise<void> {
  const plans: FilePlan[] = [];
  for (const change of changes) plans.push(await planFile(state, commit, change, ai));

  const files: FileSymbols[] = plans.map((p) => ({
    path: p.change.path,
    oldPath: p.change.status === 'C' || p.oldPath === p.change.path ? null : p.oldPath,
    oldSymbols: oldSymbolsOf(state, p),
    newSymbols: p.newAnalysis?.status === 'ok' ? p.newAnalysis.symbols : null,
    deleted: p.change.status === 'D',
  }));
  const events = diffCommitSymbols(files);
  await carryMovedLines(state, plans, events);

  for (const p of plans) await blameNewVersion(state, commit, p);

  const counts = plans.map((p) => {
    const symbols = p.newAnalysis?.status === 'ok' ? p.newAnalysis.symbols : null;
    if (!symbols) return new Map<number, { agent: number; human: number }>();
    const lines = [...p.authored].filter(([line]) => !p.borrowed.has(line)).map(([line, agent]) => ({ line, agent }));
    return linesPerSymbol(innermostSymbolByLine(symbols, p.newAnalysis!.lineCount), lines);
  });

  for (const ev of events) recordEvent(state, commit, plans[ev.fileIndex]!, ev, counts[ev.fileIndex]!);

  for (const p of plans) {
    const side = p.change.status === 'D' ? p.oldAnalysis : p.newAnalysis;
    const verdict = p.change.status === 'D' ? state.verdict(p.oldPath) : state.verdict(p.change.path);
    // A merge counts only what it wrote itself; anything else counts every line the diff adds.
    const counted = p.change.viaMerge ? [...p.authored.values()] : p.diffLines.map((l) => l.agent);
    const agent = counted.filter(Boolean).length;
    state.writes.fileAnalyses.push({
      sha: commit.sha,
      path: p.change.path,
      blob: p.change.status === 'D' ? p.change.oldBlob : p.change.newBlob,
      status: verdict?.status ?? side?.status ?? 'missing',
      reason: verdict?.reason ?? side?.reason ?? (side ? null : 'no blob recorded for this change'),
      agentLines: agent,
      humanLines: counted.length - agent,
    });
  }
}

async function planFile(state: RunState, commit: CommitInfo, change: FileChange, ai: Map<string, Range[]> | null): Promise<FilePlan> {
  const oldPath = change.oldPath ?? change.path;
  const newAnalysis = change.status !== 'D' && change.newBlob && !state.verdict(change.path) ? state.blobs.analysis(change.newBlob) : null;
  const oldAnalysis = change.status !== 'A' && change.oldBlob && !state.verdict(oldPath) ? state.blobs.analysis(change.oldBlob) : null;
  const newRanges = change.status === 'D' ? [] : safeRanges(change.newRanges);
  const agentRanges = ai ? (ai.get(change.path) ?? []) : null;
  const limit = newAnalysis && hasLines(newAnalysis) ? newAnalysis.lineCount : Number.MAX_SAFE_INTEGER;
  const diffLines: { line: number; agent: boolean }[] = [];
  for (const [s, e] of newRanges) {
    for (let line = s; line <= Math.min(e, limit); line++) {
      diffLines.push({ line, agent: agentRanges ? inRanges(agentRanges, line) : commit.kind === 'agent' });
    }
  }
  const plan: FilePlan = {
    change,
    oldPath,
    newAnalysis,
    oldAnalysis,
    newRanges,
    oldRanges: change.status === 'A' ? [] : safeRanges(change.oldRanges),
    diffLines,
    authored: new Map(diffLines.map((l) => [l.line, l.agent])),
    borrowed: new Map(),
  };
  if (change.viaMerge && commit.parents.length > 1 && change.newBlob && (!newAnalysis || hasLines(newAnalysis))) {
    await matchMerge(state, commit, plan);
  }
  return plan;
}

/** A merge's first-parent diff: lines that exist in another parent were written there, not by the merge. */
async function matchMerge(state: RunState, commit: CommitInfo, plan: FilePlan): Promise<void> {
  const newText = await state.blobs.text(plan.change.newBlob!);
  if (newText === null) return;
  const newLines = splitLines(newText);
  for (const parent of commit.parents.slice(1)) {
    const pending = [...plan.authored.keys()];
    if (pending.length === 0) return;
    const obj = await state.cat.read(`${parent}:${plan.change.path}`);
    if (!obj || obj.type !== 'blob') continue;
    const parentOrigins = await state.blobs.originsOf(obj.oid);
    const fallback = { sha: parent, agent: (await state.commitKind(parent)) === 'agent' };
    const found = matchLinesByText(pending, newLines, splitLines(obj.content.toString('utf8')), parentOrigins, fallback);
    for (const [line, origin] of found) {
      plan.authored.delete(line);
      plan.borrowed.set(line, origin);
    }
  }
}

function oldSymbolsOf(state: RunState, p: FilePlan): readonly BlobSymbol[] | null {
  const status = p.change.status;
  if (status === 'A' || status === 'C') return null;
  if (p.oldAnalysis?.status === 'ok') return p.oldAnalysis.symbols;
  // The old version is not symbol-level (did not parse, missing...): compare with what we last knew.
  const live = state.identities.liveInFile(p.oldPath);
  return live.length > 0 ? live.map(identityAsSymbol) : null;
}

/**
 * A symbol moved with its hash keeps its lines' origins: each added line of the new span whose exact
 * text is in the old span takes that line's origin (a renamed signature line stays new).
 */
async function carryMovedLines(state: RunState, plans: FilePlan[], events: SymbolEvent[]): Promise<void> {
  for (const ev of events) {
    if (ev.change !== 'moved' || !ev.before || !ev.after || ev.fromFileIndex === null) continue;
    const from = plans[ev.fromFileIndex]!;
    const to = plans[ev.fileIndex]!;
    const span: number[] = [];
    for (let line = ev.after.startLine; line <= ev.after.endLine; line++) if (to.authored.has(line)) span.push(line);
    if (span.length === 0 || from.oldAnalysis?.status !== 'ok' || !from.change.oldBlob || !to.change.newBlob) continue;
    const origins = await state.blobs.originsOf(from.change.oldBlob);
    const oldText = await state.blobs.text(from.change.oldBlob);
    const newText = await state.blobs.text(to.change.newBlob);
    if (!origins || oldText === null || newText === null) continue;
    const first = ev.before.startLine - 1;
    const oldSpan = splitLines(oldText).slice(first, ev.before.endLine);
    const oldSpanOrigins = { shas: origins.shas.slice(first, ev.before.endLine), agent: origins.agent.slice(first, ev.before.endLine) };
    const found = matchLinesByText(span, splitLines(newText), oldSpan, oldSpanOrigins, { sha: UNKNOWN_ORIGIN, agent: false });
    for (const [line, origin] of found) to.borrowed.set(line, origin);
  }
}

async function blameNewVersion(state: RunState, commit: CommitInfo, p: FilePlan): Promise<void> {
  const blob = p.change.newBlob;
  if (!blob || !p.newAnalysis || !hasLines(p.newAnalysis) || state.blobs.hasOrigins(blob)) return;
  const old = p.change.status === 'A' ? null : await state.blobs.originsOf(p.change.oldBlob);
  const origins = forwardBlame({
    newLineCount: p.newAnalysis.lineCount,
    newRanges: p.newRanges,
    oldRanges: p.oldRanges,
    old,
    introduced: (line) => p.borrowed.get(line) ?? { sha: commit.sha, agent: p.authored.get(line) ?? commit.kind === 'agent' },
  });
  state.blobs.setOrigins(blob, origins);
}

function recordEvent(state: RunState, commit: CommitInfo, p: FilePlan, ev: SymbolEvent, counts: Map<number, { agent: number; human: number }>): void {
  const ids = state.identities;
  const lines = ev.newIndex === null ? { agent: 0, human: 0 } : (counts.get(ev.newIndex) ?? { agent: 0, human: 0 });
  let identity: Identity;
  if (ev.change === 'deleted') {
    identity = ids.get(ev.file, ev.name) ?? ids.upsert(ev.file, ev.name, ev.before!);
    ids.markDeleted(identity);
  } else {
    const previous = ids.get(ev.oldFile ?? ev.file, ev.oldName ?? ev.name);
    if (previous && (ev.oldFile !== null || ev.oldName !== null)) ids.move(previous, ev.file, ev.name);
    identity = ids.upsert(ev.file, ev.name, ev.after!);
  }
  // A merge repeats its branch's changes; it only reports what it wrote itself (conflict resolutions).
  if (p.change.viaMerge && (ev.change === 'deleted' || ev.change === 'moved' || lines.agent + lines.human === 0)) return;
  ids.recordChange(identity, commit.sha);
  const sym = ev.after ?? ev.before!;
  state.writes.symbolChanges.push({
    sha: commit.sha,
    file: ev.file,
    name: ev.name,
    symbolId: identity.id,
    kind: ev.kind,
    change: ev.change,
    oldFile: ev.oldFile,
    oldName: ev.oldName,
    hash: ev.after?.hash ?? null,
    oldHash: ev.before?.hash ?? null,
    startLine: sym.startLine,
    endLine: sym.endLine,
    exported: sym.exported,
    complexity: sym.complexity,
    oldComplexity: ev.before?.complexity ?? null,
    agentLines: lines.agent,
    humanLines: lines.human,
  });
  // The earliest version with this hash gives the stored text, whatever the batch boundaries (an
  // earlier batch's text is kept as present), so runs with other batch sizes store the same text.
  if (ev.after && ev.newIndex !== null && p.change.newBlob && p.newAnalysis?.status === 'ok' && !state.textNeeds.has(ev.after.hash)) {
    state.textNeeds.set(ev.after.hash, { blob: p.change.newBlob, symbols: p.newAnalysis.symbols, index: ev.newIndex });
  }
}

function safeRanges(text: string): Range[] {
  try {
    return parseRanges(text);
  } catch {
    return [];
  }
}
