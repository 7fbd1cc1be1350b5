/**
 * Builds the review checklist of a commit range (or a pull request) from stored data only:
 * net symbol and file changes, risk flags, reading order, the reviewer's marks, effort and who to
 * ask. See ./types.ts for the output and ./flags.ts, ./detectors.ts for the heuristics.
 */
import { createTwoFilesPatch } from 'diff';
import { GraspError } from '../core/errors.ts';
import { attachExplanations } from './explanations.ts';
import { EFFORT_FORMULA, effortMinutes, itemMinutes } from '../core/effort.ts';
import { countsByDefault, lockManager, pathCategory, type PathCategory } from '../core/path-category.ts';
import { readingOrder, type ReadingNode } from '../core/reading-order.ts';
import { pullRequestTips, resolveCommit } from '../db/repo/checklist.ts';
import { getEngineer, type Engineer } from '../db/repo/engineers.ts';
import { ingestedPrCommits } from '../db/repo/github.ts';
import { commitsInRange, findCommit } from '../db/repo/targets.ts';
import type { RepoStore } from '../db/store.ts';
import { isTestPath, netFileChanges, netSymbolChanges, type NetFileChange, type NetSymbolChange } from './aggregate.ts';
import { findCallers } from './callers.ts';
import { checklistDataOf, type ChecklistData } from './data.ts';
import { isManifestPath } from '../core/path-category.ts';
import { asyncNamesOf } from './detectors.ts';
import { changedLineCount, headLineMapper, lockFlags, manifestFlags, symbolFlags } from './flags.ts';
import { attributeNested, findSymbol, memberOfExported, sourceLines } from './positions.ts';
import { latestByEngineerAndHash, rankReviewers, reviewerState, understandersOf, type ItemIdentity, type MarkFact } from './reviewer.ts';
import { identifiersOf, simpleName, type Fragment } from './source.ts';
import type { EffortInput } from '../core/effort.ts';
import type { Checklist, ChecklistItem, ItemGroup, StaleSince } from './types.ts';

export interface ChecklistOptions {
  base: string;
  head: string;
  /** Reviewer handle: collapse what they already reviewed, show what changed since their stale marks. */
  as?: string | null;
  /** Look up callers outside the range (default true). */
  callers?: boolean;
}

const SCRIPT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;
const CONTRACT_KINDS = new Set(['interface', 'type', 'enum']);
const UNCALLED_KINDS = new Set(['callback', 'test', 'module']);
/** Flags that describe the item as a whole rather than point at code to check (no effort of their own). */
const ITEM_FLAGS = new Set(['untested-export', 'unreviewed-agent-code', 'stale-mark']);
const iso = (sec: number) => new Date(sec * 1000).toISOString();
const withEol = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);

/** Checklist of base..head: the commits reachable from head and not from base. */
export async function buildChecklist(store: RepoStore, opts: ChecklistOptions): Promise<Checklist> {
  const base = await resolveCommit(store, opts.base);
  const head = await resolveCommit(store, opts.head);
  const reviewer = opts.as ? await getEngineer(store, opts.as) : null;
  const shas = await commitsInRange(store, base, head);
  return buildForCommits(store, { base, head, shas, reviewer, callers: opts.callers ?? true });
}

/**
 * The review queue's checklist of one piece of work: the range's commits are given, every read
 * goes through `data` (facts loaded for all open PRs at once), no callers are looked up, and what
 * the queue never shows is left out (explanations, the diffs of stale marks: null).
 */
export function buildQueueChecklist(
  store: RepoStore,
  data: ChecklistData,
  input: { base: string; head: string; shas: string[]; reviewer: Engineer | null },
): Promise<Checklist> {
  return buildForCommits(store, { ...input, callers: false, data, lean: true });
}

/**
 * Checklist of a synced pull request: base..head from pull_requests when both commits are
 * ingested, else the PR's own ingested commits (and merge commit). 'not-found' when unknown.
 */
export async function buildPullRequestChecklist(store: RepoStore, opts: { pr: number; as?: string | null; callers?: boolean }): Promise<Checklist> {
  const reviewer = opts.as ? await getEngineer(store, opts.as) : null;
  const tips = await pullRequestTips(store, opts.pr);
  const base = tips?.baseSha ? await findCommit(store, tips.baseSha) : undefined;
  const head = tips?.headSha ? await findCommit(store, tips.headSha) : undefined;
  if (base && head) {
    return buildForCommits(store, { base, head, shas: await commitsInRange(store, base, head), reviewer, callers: opts.callers ?? true });
  }
  const own = await ingestedPrCommits(store, opts.pr);
  if (!tips && own.length === 0) throw new GraspError('not-found', `no pull request #${opts.pr} in the database (sync GitHub first?)`);
  if (own.length === 0) throw new GraspError('not-found', `pull request #${opts.pr} has no ingested commits (ingest the repository first?)`);
  return buildForCommits(store, {
    base: tips?.baseSha ?? own[0]!.sha,
    head: tips?.headSha ?? own[own.length - 1]!.sha,
    shas: own.map((c) => c.sha),
    reviewer,
    callers: opts.callers ?? true,
  });
}

interface Draft {
  item: Omit<ChecklistItem, 'order' | 'group' | 'minutes'>;
  /** Someone understands the head version (for the agent summary line). */
  understood: boolean;
  identity: ItemIdentity;
  priorAuthors: ReadonlySet<number>;
  headEnd: number | null;
  symbolId: number | null;
  text: string | null;
  contract: boolean;
  /** Changed lines counted for effort (since the reviewer's mark when stale). */
  effortLines: number;
  opaque: boolean;
}

async function buildForCommits(
  store: RepoStore,
  input: { base: string; head: string; shas: string[]; reviewer: Engineer | null; callers: boolean; data?: ChecklistData; lean?: boolean },
): Promise<Checklist> {
  const { reviewer } = input;
  const data = input.data ?? checklistDataOf(store);
  const commits = await data.commits(input.shas);
  const seqOf = new Map(commits.map((c) => [c.sha, c.seq]));
  const kindOf = new Map(commits.map((c) => [c.sha, c.kind]));
  const [symbolRows, fileRows, fileVerdicts] = await Promise.all([
    data.symbolChanges(input.shas, seqOf),
    data.fileChanges(input.shas, seqOf),
    data.fileAnalyses(input.shas),
  ]);
  const nets = netSymbolChanges(symbolRows);
  const verdictOf = new Map(fileVerdicts.map((v) => [`${v.sha}\u0000${v.path}`, v]));
  const files = netFileChanges(fileRows.map((r) => ({ ...r, kind: kindOf.get(r.sha) ?? 'human', analysis: verdictOf.get(`${r.sha}\u0000${r.path}`) ?? null })));
  const fileAt = new Map<string, NetFileChange>();
  for (const f of files) {
    fileAt.set(f.path, f);
    if (f.oldPath) fileAt.set(f.oldPath, f);
  }
  const testTouched = files.some((f) => isTestPath(f.path) || (f.oldPath !== null && isTestPath(f.oldPath)));

  const analyses = await data.blobAnalyses(files.flatMap((f) => [f.baseBlob, f.headBlob]).filter((b): b is string => b !== null));
  const reviewerMarks: MarkFact[] = reviewer ? await data.marksOfEngineer(reviewer.id) : [];
  const texts = await data.symbolTexts([...nets.flatMap((n) => [n.hash, n.oldHash]), ...reviewerMarks.map((m) => m.hash)].filter((h): h is string => !!h));
  const headHashes = [...nets.map((n) => n.hash), ...files.map((f) => f.headBlob)].filter((h): h is string => !!h);
  const allVersions = [...nets.flatMap((n) => n.versions), ...files.flatMap((f) => [f.baseBlob, f.headBlob])].filter((h): h is string => !!h);
  const latest = latestByEngineerAndHash(await data.marksOnHashes([...new Set([...headHashes, ...allVersions])]));
  const authors = await data.priorHumanAuthors(nets.map((n) => n.symbolId), new Set(input.shas));

  const parsed = new Map<NetSymbolChange, { oldF: Fragment | null; newF: Fragment | null }>();
  const asyncNames = new Set<string>();
  for (const n of nets) {
    const oldText = n.oldHash ? (texts.get(n.oldHash) ?? null) : null;
    const newText = n.hash ? (texts.get(n.hash) ?? null) : null;
    const newF = newText !== null ? data.parse(newText, n.file, n.kind) : null;
    const oldF = oldText !== null ? data.parse(oldText, n.oldFile ?? n.file, n.kind) : null;
    parsed.set(n, { oldF, newF });
    if (newF) for (const name of asyncNamesOf(newF)) asyncNames.add(name);
  }

  const warnings: string[] = [];
  const unanalyzed = commits.filter((c) => !c.analyzed).length;
  if (unanalyzed > 0) warnings.push(`${unanalyzed} of ${commits.length} commits are not analyzed yet: their symbols are missing (run grasp ingest)`);
  const drafts: Draft[] = [];
  const staleOf = (state: { stale: MarkFact | null }, newText: string | null, label: string): { since: StaleSince | null; lines: number | null } => {
    if (!state.stale) return { since: null, lines: null };
    const marked = texts.get(state.stale.hash) ?? null;
    const diff = marked !== null && newText !== null && !input.lean ? createTwoFilesPatch(label, label, withEol(marked), withEol(newText), 'your review', 'head') : null;
    return {
      since: { level: state.stale.level, at: iso(state.stale.createdAt), hash: state.stale.hash, diff },
      lines: marked !== null && newText !== null ? changedLineCount(marked, newText) : null,
    };
  };

  let missingTexts = 0;
  for (const n of nets) {
    const f = fileAt.get(n.file);
    const headAnalysis = f?.headBlob ? analyses.get(f.headBlob) : undefined;
    const baseFile = fileAt.get(n.oldFile ?? n.file);
    const baseAnalysis = baseFile?.baseBlob ? analyses.get(baseFile.baseBlob) : undefined;
    const headIndex = n.change === 'deleted' ? -1 : findSymbol(headAnalysis, n.name);
    const headSym = headIndex >= 0 ? headAnalysis!.symbols[headIndex] : undefined;
    const oldIndex = findSymbol(baseAnalysis, n.oldName ?? n.name);
    const oldSym = oldIndex >= 0 ? baseAnalysis!.symbols[oldIndex] : undefined;
    const headStart = n.change === 'deleted' ? null : (headSym?.startLine ?? n.startLine);
    const headEnd = n.change === 'deleted' ? null : (headSym?.endLine ?? n.endLine);
    const { oldF, newF } = parsed.get(n)!;
    const oldText = n.oldHash ? (texts.get(n.oldHash) ?? null) : null;
    const newText = n.hash ? (texts.get(n.hash) ?? null) : null;
    if ((n.hash && newText === null) || (n.oldHash && oldText === null)) missingTexts++;
    const identity: ItemIdentity = {
      symbolId: n.symbolId,
      places: [{ file: n.file, name: n.name }, ...(n.oldFile || n.oldName ? [{ file: n.oldFile ?? n.file, name: n.oldName ?? n.name }] : [])],
      hash: n.hash,
      versions: n.versions,
    };
    const state = reviewer ? reviewerState(reviewerMarks, identity) : { alreadyReviewed: false, stale: null };
    const stale = staleOf(state, newText, `${n.file}#${n.name}`);
    const newExported = (headSym?.exported ?? n.exported) || (headIndex >= 0 && memberOfExported(headAnalysis!.symbols, headIndex, newF));
    const oldExported = oldSym ? oldSym.exported || memberOfExported(baseAnalysis!.symbols, oldIndex, oldF) : null;
    const fileLines = headIndex >= 0 ? sourceLines(headAnalysis!, headIndex) : null;
    const flags = symbolFlags({
      net: n,
      headStart,
      toHead: headLineMapper(newText, headStart, headEnd, fileLines),
      oldText,
      newText,
      oldFragment: oldF,
      newFragment: newF,
      oldExported,
      newExported,
      asyncNames,
      testTouched,
      reviewedByAnyone: understandersOf(latest, n.hash).size > 0,
      staleMark: stale.since,
    });
    const changedLines = oldText !== null || newText !== null ? changedLineCount(oldText, newText) : n.agentLines + n.humanLines;
    const category = pathCategory(n.file);
    drafts.push({
      understood: understandersOf(latest, n.hash).size > 0,
      item: {
        symbol: n.name,
        kind: n.kind,
        category,
        file: n.file,
        line: headStart,
        change: n.change,
        oldFile: n.oldFile,
        oldSymbol: n.oldName,
        agentLines: n.agentLines,
        humanLines: n.humanLines,
        changedLines,
        complexity: n.change === 'deleted' ? null : (headSym?.complexity ?? n.complexity),
        oldComplexity: n.oldComplexity,
        note: null,
        alreadyReviewed: state.alreadyReviewed,
        staleSince: stale.since,
        // Tests, generated and vendored code raise no flags by default: they are read last or not at all.
        flags: countsByDefault(category) ? flags : flags.filter((fl) => fl.code === 'stale-mark'),
        hash: n.hash,
        symbolId: n.symbolId,
        understood: n.hash !== null && understandersOf(latest, n.hash).size > 0,
      },
      identity,
      priorAuthors: authors.get(n.symbolId) ?? new Set(),
      headEnd,
      symbolId: n.symbolId,
      text: newText ?? oldText,
      contract: CONTRACT_KINDS.has(n.kind) || flags.some((fl) => fl.code === 'exported-signature'),
      effortLines: stale.lines ?? changedLines,
      opaque: false,
    });
  }
  if (missingTexts > 0) warnings.push(`${missingTexts} symbol version${missingTexts === 1 ? '' : 's'} without stored text: their code flags are missing`);

  const manifestBlobs = files.filter((f) => isManifestPath(f.path)).flatMap((f) => [f.baseBlob, f.headBlob]).filter((b): b is string => !!b);
  const manifests = await data.blobTexts(manifestBlobs);
  const symbolFiles = new Set(nets.flatMap((n) => [n.file, n.oldFile ?? n.file]));
  const locks = lockFlags(files.filter((f) => lockManager(f.path)).map((f) => ({ path: f.path, manager: lockManager(f.path)!, change: f.change })));
  for (const f of files) {
    const script = SCRIPT.test(f.path);
    // A parsed script file is covered by its symbols (a comment-only edit changes none).
    if (script && f.status === 'ok' && !f.binary) continue;
    if (script && f.status === null && symbolFiles.has(f.path)) continue;
    const note = f.binary
      ? 'binary'
      : f.status !== null && f.status !== 'ok' && f.status !== 'unsupported'
        ? `${f.status}${f.reason ? `: ${f.reason}` : ''}`
        : script && f.status === null
          ? 'not analyzed'
          : null;
    const identity: ItemIdentity = {
      symbolId: null,
      places: [{ file: f.path, name: '' }, ...(f.oldPath ? [{ file: f.oldPath, name: '' }] : [])],
      hash: f.headBlob,
      versions: [f.baseBlob, f.headBlob].filter((b): b is string => !!b),
    };
    const state = reviewer ? reviewerState(reviewerMarks, identity) : { alreadyReviewed: false, stale: null };
    const category = pathCategory(f.path, f.status, f.reason);
    const flags = isManifestPath(f.path) && !f.binary
      ? manifestFlags(f.baseBlob ? (manifests.get(f.baseBlob) ?? null) : null, f.headBlob ? (manifests.get(f.headBlob) ?? null) : null)
      : [...(locks.get(f.path) ?? [])];
    if (isManifestPath(f.path) && f.headBlob && !manifests.has(f.headBlob)) warnings.push(`no stored text of ${f.path} at head: dependency changes not checked (collectManifestTexts after ingest)`);
    if (f.change !== 'deleted' && state.stale) {
      flags.push({ code: 'stale-mark', message: `you marked an older version (${state.stale.level}, ${iso(state.stale.createdAt).slice(0, 10)})`, line: null });
    }
    drafts.push({
      understood: understandersOf(latest, f.headBlob).size > 0,
      item: {
        symbol: '',
        kind: 'file',
        category,
        file: f.path,
        line: null,
        change: f.change,
        oldFile: f.oldPath,
        oldSymbol: null,
        agentLines: f.agentLines,
        humanLines: f.humanLines,
        changedLines: f.changedLines ?? 0,
        complexity: null,
        oldComplexity: null,
        note,
        alreadyReviewed: state.alreadyReviewed,
        staleSince: state.stale ? { level: state.stale.level, at: iso(state.stale.createdAt), hash: state.stale.hash, diff: null } : null,
        flags,
        hash: f.change === 'deleted' ? null : f.headBlob,
        symbolId: null,
        understood: f.change !== 'deleted' && f.headBlob !== null && understandersOf(latest, f.headBlob).size > 0,
      },
      identity,
      priorAuthors: new Set(),
      headEnd: null,
      symbolId: null,
      text: null,
      contract: flags.some((fl) => fl.code === 'dependency'),
      effortLines: f.changedLines ?? 0,
      opaque: f.binary || f.changedLines === null,
    });
  }

  attributeNested(drafts);

  const callers = input.callers ? await findCallers(store, drafts.filter((d) => d.item.change !== 'deleted' && !isTestPath(d.item.file)).map((d) => ({ ...d.item, symbolId: d.symbolId, headEnd: d.headEnd }))) : [];
  const nodes: ReadingNode[] = drafts.map((d, i) => ({
    key: `i${i}`,
    // Callbacks and tests are registered, not called by name.
    name: d.item.symbol === '' || UNCALLED_KINDS.has(d.item.kind) ? '' : simpleName(d.item.symbol),
    file: d.item.file,
    line: d.item.line,
    group: groupOf(d),
    mentions: d.text ? identifiersOf(d.text) : new Set<string>(),
  }));
  callers.forEach((c, i) => nodes.push({ key: `c${i}`, name: '', file: c.file, line: c.line, group: c.calls.length > 0 ? 'caller' : 'reference', mentions: new Set() }));
  const items: ChecklistItem[] = [];
  const orderedCallers: Checklist['callers'] = [];
  const efforts = drafts.map(effortOf);
  for (const o of readingOrder(nodes)) {
    const index = Number(o.key.slice(1));
    if (o.key.startsWith('c')) orderedCallers.push({ order: o.order, ...callers[index]! });
    else items.push({ order: o.order, group: o.group as ItemGroup, ...drafts[index]!.item, minutes: Math.round(itemMinutes(efforts[index]!) * 10) / 10 });
  }

  if (!input.lean) await attachExplanations(store, items);

  const handles = await data.handles([...new Set([...latest.values()].map((m) => m.engineerId).concat(drafts.flatMap((d) => [...d.priorAuthors])))]);
  const reviewers = rankReviewers(
    drafts.map((d) => ({ hash: d.identity.hash, versions: d.identity.versions, priorAuthors: d.priorAuthors })),
    latest,
    handles,
    reviewer?.id ?? null,
  );
  const effort = effortMinutes(efforts);
  return {
    base: input.base,
    head: input.head,
    as: reviewer?.handle ?? null,
    effortMinutes: effort,
    effortFormula: EFFORT_FORMULA,
    agentSummary: agentSummary(drafts),
    reviewers,
    counts: {
      commits: commits.length,
      items: items.length,
      flags: items.reduce((n, i) => n + (i.alreadyReviewed ? 0 : i.flags.length), 0),
      alreadyReviewed: items.filter((i) => i.alreadyReviewed).length,
      agentLines: items.reduce((n, i) => n + i.agentLines, 0),
      humanLines: items.reduce((n, i) => n + i.humanLines, 0),
    },
    commits: commits.map((c) => ({ sha: c.sha, subject: c.subject, kind: c.kind, agent: c.agent })),
    items,
    callers: orderedCallers,
    warnings,
  };
}

/** Tests, generated, vendored and lock files cost no minutes by default; the rest per core/effort.ts. */
function effortOf(d: Draft): EffortInput {
  return {
    changedLines: d.effortLines,
    complexity: d.item.kind === 'file' || CONTRACT_KINDS.has(d.item.kind) || d.item.kind === 'class' ? null : d.item.complexity,
    flags: d.item.flags.filter((f) => !ITEM_FLAGS.has(f.code)).length,
    opaque: d.opaque,
    skip: d.item.alreadyReviewed || !countsByDefault(d.item.category as PathCategory),
  };
}

/** "9 of 10 items agent-written, none reviewed": production and manifest items at head only. */
export function agentSummary(drafts: readonly Pick<Draft, 'item' | 'understood'>[]): string | null {
  const live = drafts.filter((d) => d.item.change !== 'deleted' && countsByDefault(d.item.category as PathCategory));
  const agent = live.filter((d) => d.item.agentLines > 0);
  if (agent.length === 0) return null;
  const reviewed = agent.filter((d) => d.understood).length;
  const state = reviewed === 0 ? 'none reviewed' : reviewed === agent.length ? 'all reviewed' : `${reviewed} reviewed`;
  return `${agent.length} of ${live.length} item${live.length === 1 ? '' : 's'} agent-written, ${state}`;
}

function groupOf(d: Draft): 'contract' | 'implementation' | 'test' {
  if (d.item.category === 'test') return 'test';
  return d.contract ? 'contract' : 'implementation';
}
