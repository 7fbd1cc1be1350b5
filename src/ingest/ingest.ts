/**
 * `grasp ingest`: reads a repository's history into the database.
 *
 * One streaming `git log --topo-order --reverse` pass, parents before children, stored in
 * batches, each batch in one transaction together with the "frontier" (ingested commits no
 * ingested commit descends from). A killed run leaves a prefix of that order; the next run
 * asks git only for commits not reachable from the frontier, so nothing is duplicated or lost.
 */
import { GraspError } from '../core/errors.ts';
import { getCommitsBySha, insertHistoryQueries, maxSeq, minSeq, replaceCommitDiffQueries, countCommits, type AiLinesRow, type CommitRow, type FileChangeRow, type WarningRow } from '../db/repo/commits.ts';
import { forRepo, type RepoStore, type Store, type WriteQuery } from '../db/store.ts';
import type { ParsedCommit } from '../git/log-parser.ts';
import { RECORD_NOTES_REFS } from '../core/records/index.ts';
import { readNotesRefs, missingObjects } from '../git/notes.ts';
import { shallowBoundary, SHALLOW_FIX } from '../git/shallow.ts';
import { nameFromDirectory, nameFromRemote } from '../core/repo-name.ts';
import { isRepoName } from '../core/repo-target.ts';
import { getRepoByPath, getRepoMeta as getMeta, setRepoMetaQuery as setMetaQuery, upsertRepo } from '../db/repo/repos.ts';
import { inspectRepository, originUrl, type RepositoryInfo } from '../git/repository.ts';
import { firstLine, runGit } from '../git/run.ts';
import { DIFF_ARGS, streamLog } from './log-stream.ts';
import { entireAgentsFor, entireCheckpointsRef, notesBySha, treeTracesFor } from './record-sources.ts';
import { commitToRows } from './rows.ts';
import { attributeSquashes } from './pr-attribution.ts';
import { EMPTY_REF_GRAPH, readRefGraph } from './ref-graph.ts';
import { PULL_HEADS_GLOB } from '../git/refs.ts';
import { refreshProvenance } from './reclassify.ts';
import { WritePacer } from '../db/write-pacer.ts';

export interface IngestOptions {
  allRefs?: boolean;
  /** The repository's name (default: kept, else origin's owner/name, else the directory name). */
  name?: string;
  batchSize?: number;
  /** Rows the first transaction may hold (later ones are sized to the time budget); tests make it small. */
  transactionRows?: number;
  onProgress?: (p: { done: number; total: number; perSecond: number }) => void;
}

export interface IngestSummary {
  /** The repository's name and id in this database. */
  name: string;
  repoId: number;
  /** The highest seq stored before this run: what came after it is this run's history. */
  seqBefore: number;
  root: string;
  head: string | null;
  newCommits: number;
  totalCommits: number;
  kinds: { agent: number; human: number; bot: number };
  byAgent: Record<string, number>;
  fileChanges: number;
  warnings: string[];
  reclassified: number;
  durationMs: number;
}

const MISSING_OBJECT = /unable to read|could not read|missing blob|is missing|bad object|promisor/i;

/**
 * Adds the repository at `repoPath` to the database, or brings it up to date: one database holds any
 * number of repositories, each under its own name.
 */
export async function ingestRepository(team: Store, repoPath: string, opts: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const info = await inspectRepository(repoPath);
  if (opts.name !== undefined && !isRepoName(opts.name)) {
    throw new GraspError('invalid', `--name "${opts.name}" is not a repository name: owner/name or one directory name (letters, digits, _ . -)`);
  }
  const known = await getRepoByPath(team, info.root);
  const name = opts.name ?? known?.name ?? (nameFromRemote((await originUrl(info.root)) ?? '') || nameFromDirectory(info.root));
  const register = () => upsertRepo(team, { path: info.root, name, head: info.head, rename: opts.name !== undefined });
  // A taken name is refused before any history is read; a known repository's head moves at the end.
  const repoRow = opts.name !== undefined || !known ? await register() : known;
  const store = forRepo(team, repoRow.id);
  const summary: IngestSummary = {
    name,
    repoId: repoRow.id,
    seqBefore: await maxSeq(store),
    root: info.root,
    head: info.head,
    newCommits: 0,
    totalCommits: 0,
    kinds: { agent: 0, human: 0, bot: 0 },
    byAgent: {},
    fileChanges: 0,
    warnings: [],
    reclassified: 0,
    durationMs: 0,
  };
  const revs = revisionArgs(info, !!opts.allRefs);
  if (revs.length === 0) {
    await register();
    summary.durationMs = performance.now() - started;
    return summary;
  }

  const frontier = new Set<string>(JSON.parse((await getMeta(store, 'ingest.frontier')) ?? '[]') as string[]);
  // Every notes ref with authorship records, read once, before the history pass.
  const [refGraph, noteRefs, entireRef] = await Promise.all([
    opts.allRefs ? readRefGraph(info) : Promise.resolve(EMPTY_REF_GRAPH),
    readNotesRefs(info.root, Object.keys(RECORD_NOTES_REFS)),
    entireCheckpointsRef(info.root),
  ]);
  const branchMap = refGraph.branches;
  const notes = notesBySha(noteRefs.notes);
  const tip = noteRefs.tip;
  const boundary = info.shallow ? shallowBoundary(info.gitDir) : new Set<string>();
  const previousBoundary = new Set<string>(JSON.parse((await getMeta(store, 'ingest.shallowBoundary')) ?? '[]') as string[]);
  if (boundary.size > 0) {
    summary.warnings.push(`shallow clone: ${boundary.size} boundary commit${boundary.size === 1 ? '' : 's'} read as the baseline (their trees are not counted as changes); ${SHALLOW_FIX}`);
  }
  let total = 0;
  const counting = countNew(info.root, revs, frontier).then((n) => (total = n));
  let seq = await maxSeq(store);
  let done = 0;

  // `older` = history a deeper fetch brought in below what is stored: lower seqs, frontier untouched.
  // Each transaction holds whole commits and the frontier after them, sized by the pacer so that a
  // mark write waiting for the lock gets it within its wait (docs/reliability.md).
  const pacer = new WritePacer(store, { initialRows: opts.transactionRows });
  const storeBatch = async (batch: ParsedCommit[], missingBlobs?: ReadonlySet<string>, older?: { nextSeq: () => number; replace: ReadonlySet<string> }) => {
    let rows = { commits: [] as CommitRow[], files: [] as FileChangeRow[], aiLines: [] as AiLinesRow[], warnings: [] as WarningRow[] };
    let pending = 0;
    const flush = async () => {
      if (rows.commits.length === 0) return;
      summary.fileChanges += rows.files.length;
      const replacedNow = replaced.splice(0);
      const queries = [
        ...replacedNow,
        ...insertHistoryQueries(store, rows),
        setMetaQuery(store, 'ingest.frontier', JSON.stringify([...frontier])),
      ];
      await pacer.atomic(queries, pending);
      done += rows.commits.length;
      rows = { commits: [], files: [], aiLines: [], warnings: [] };
      pending = 0;
      opts.onProgress?.({ done, total, perSecond: done / ((performance.now() - started) / 1000) });
    };
    const [traces, entireAgents] = await Promise.all([treeTracesFor(info.root, batch), entireAgentsFor(info.root, entireRef, batch)]);
    for (const parsed of batch) {
      const ctx = { notes: notes.get(parsed.sha) ?? {}, treeTraces: traces.get(parsed.sha), entireAgent: entireAgents.get(parsed.sha) ?? null };
      const replacing = older?.replace.has(parsed.sha) ?? false;
      const commitSeq = replacing ? (storedSeq.get(parsed.sha) ?? older!.nextSeq()) : older ? older.nextSeq() : ++seq;
      const r = commitToRows(parsed, { seq: commitSeq, branches: [...(branchMap.get(parsed.sha) ?? [])], ...ctx, baseline: boundary.has(parsed.sha), missingBlobs });
      if (replacing) replaced.push(...replaceCommitDiffQueries(store, parsed.sha));
      rows.commits.push(r.commit);
      rows.files.push(...r.files);
      rows.aiLines.push(...r.aiLines);
      rows.warnings.push(...r.warnings);
      pending += 1 + r.files.length + r.aiLines.length + r.warnings.length;
      if (!older) {
        for (const p of parsed.parents) frontier.delete(p);
        frontier.add(parsed.sha);
      }
      if (!replacing) tally(summary, r.commit);
      summary.warnings.push(...r.warnings.map((w) => `${w.sha.slice(0, 10)} ${w.path}: ${w.message}`));
      // Commit boundary: the frontier now covers exactly the rows gathered so far.
      if (pending >= pacer.rowBudget()) await flush();
    }
    await flush();
  };

  const replaced: WriteQuery[] = [];
  const storedSeq = new Map<string, number>();
  const batchSize = opts.batchSize ?? 500;
  const exclusions = () => [...frontier].map((s) => `^${s}`);
  const result = await streamLog(info.root, [...DIFF_ARGS, '--topo-order', '--reverse', ...revs], exclusions(), batchSize, (b) => storeBatch(b));
  await counting;
  if (result.code !== 0) {
    if (!MISSING_OBJECT.test(result.stderr)) {
      throw new GraspError('git-failed', `git log failed after ${done} new commits were stored: ${firstLine(result.stderr)}`);
    }
    await recoverMissingBlobs(info.root, revs, exclusions(), batchSize, storeBatch);
  }

  await fillDeepened(info.root, [...previousBoundary].filter((sha) => !boundary.has(sha)), batchSize, store, storedSeq, storeBatch);
  await store.atomic([setMetaQuery(store, 'ingest.shallowBoundary', JSON.stringify([...boundary]))]);

  // Branch names and git-ai notes can arrive after a commit was ingested: refresh those.
  const previousTip = await getMeta(store, 'ingest.notesTip');
  const stale = [...(opts.allRefs ? branchMap.keys() : []), ...(tip !== previousTip ? notes.keys() : [])];
  summary.reclassified = await refreshProvenance(store, stale, { branches: opts.allRefs ? branchMap : undefined, notes });
  if (tip) await store.atomic([setMetaQuery(store, 'ingest.notesTip', tip)]);
  if (opts.allRefs && info.head) summary.reclassified += await attributeSquashes(store, info.root, refGraph);

  await register();
  summary.totalCommits = await countCommits(store);
  summary.durationMs = performance.now() - started;
  return summary;
}

/**
 * A deeper fetch turned former shallow boundaries into ordinary commits: their real diffs replace
 * the baseline rows, and the older history now reachable from them is stored below the lowest seq
 * (parents still before children), in the same streaming pass shape, without duplicates.
 */
async function fillDeepened(
  root: string,
  released: string[],
  batchSize: number,
  store: RepoStore,
  storedSeq: Map<string, number>,
  storeBatch: (batch: ParsedCommit[], missing?: ReadonlySet<string>, older?: { nextSeq: () => number; replace: ReadonlySet<string> }) => Promise<void>,
): Promise<void> {
  if (released.length === 0) return;
  for (const c of await getCommitsBySha(store, released)) storedSeq.set(c.sha, c.seq);
  const present = released.filter((sha) => storedSeq.has(sha));
  if (present.length === 0) return;
  const older = await runGit(root, ['rev-list', '--count', ...present.map((s) => `${s}^@`)]);
  const count = older.code === 0 ? Number(older.stdout.toString('utf8').trim()) || 0 : 0;
  let next = (await minSeq(store)) - count - 1;
  const ctx = { nextSeq: () => next++, replace: new Set(present) };
  const r = await streamLog(root, [...DIFF_ARGS, '--topo-order', '--reverse', ...present.map((s) => `${s}^@`)], [], batchSize, (b) => storeBatch(b, undefined, ctx));
  if (r.code !== 0) throw new GraspError('git-failed', `git log failed on the history a deeper fetch brought in: ${firstLine(r.stderr)}`);
  const again = await streamLog(root, [...DIFF_ARGS, '--no-walk=unsorted'], present, batchSize, (b) => storeBatch(b, undefined, ctx));
  if (again.code !== 0) throw new GraspError('git-failed', `git log failed on former shallow boundaries: ${firstLine(again.stderr)}`);
}

function revisionArgs(info: RepositoryInfo, allRefs: boolean): string[] {
  // PR heads join the same single history pass.
  if (allRefs) return ['--branches', '--tags', '--remotes', `--glob=${PULL_HEADS_GLOB}`, ...(info.head ? ['HEAD'] : [])];
  return info.head ? ['HEAD'] : [];
}

function tally(summary: IngestSummary, c: CommitRow): void {
  summary.newCommits++;
  summary.kinds[c.kind]++;
  if (c.agent) summary.byAgent[c.agent] = (summary.byAgent[c.agent] ?? 0) + 1;
}

async function countNew(root: string, revs: string[], frontier: Set<string>): Promise<number> {
  const r = await runGit(root, ['rev-list', '--count', ...revs, '--stdin'], [...frontier].map((s) => `^${s}`).join('\n') + '\n');
  return r.code === 0 ? Number(r.stdout.toString('utf8').trim()) || 0 : 0;
}

/**
 * Degraded path for repositories with missing blobs (partial clones, copies that dropped
 * large files): a content-free pass lists every remaining commit's blobs, one
 * `cat-file --batch-check` finds the missing ones, then commits are diffed normally in runs
 * between the affected ones; affected commits keep exact data for their intact files and
 * unknown line counts (with a warning each) for files whose blobs are gone.
 */
async function recoverMissingBlobs(
  root: string,
  revs: string[],
  exclusions: string[],
  batchSize: number,
  storeBatch: (batch: ParsedCommit[], missing?: ReadonlySet<string>) => Promise<void>,
): Promise<void> {
  const outline: ParsedCommit[] = [];
  const outlineArgs = ['-z', '--raw', '--no-renames', '--no-abbrev', '--diff-merges=first-parent', '--encoding=UTF-8', '--topo-order', '--reverse', ...revs];
  const r = await streamLog(root, outlineArgs, exclusions, 1000, async (b) => void outline.push(...b));
  if (r.code !== 0) throw new GraspError('git-failed', `git log failed while recovering from missing objects: ${firstLine(r.stderr)}`);
  const blobs = new Set<string>();
  for (const c of outline) for (const f of c.files) for (const b of [f.oldBlob, f.newBlob]) if (b) blobs.add(b);
  const missing = await missingObjects(root, [...blobs]);

  let run: string[] = [];
  const flushRun = async () => {
    if (run.length === 0) return;
    const shas = run;
    run = [];
    const res = await streamLog(root, [...DIFF_ARGS, '--no-walk=unsorted'], shas, batchSize, (b) => storeBatch(b));
    if (res.code !== 0) throw new GraspError('git-failed', `git log failed on commits without missing blobs: ${firstLine(res.stderr)}`);
  };
  for (const c of outline) {
    const hit = c.files.some((f) => (f.oldBlob && missing.has(f.oldBlob)) || (f.newBlob && missing.has(f.newBlob)));
    if (!hit) {
      run.push(c.sha);
      continue;
    }
    await flushRun();
    const intact = c.files.filter((f) => !(f.oldBlob && missing.has(f.oldBlob)) && !(f.newBlob && missing.has(f.newBlob)));
    const exact = new Map<string, ParsedCommit['files'][number]>();
    if (intact.length > 0) {
      const paths = [...new Set(intact.flatMap((f) => [f.path, ...(f.oldPath ? [f.oldPath] : [])]))];
      await streamLog(root, [...DIFF_ARGS, '--no-walk=unsorted', '--no-renames', '--', ...paths], [c.sha], 1, async (b) => {
        for (const f of b[0]?.files ?? []) exact.set(`${f.status}\0${f.path}`, f);
      });
    }
    const files = c.files.map((f) => exact.get(`${f.status}\0${f.path}`) ?? { ...f, added: null, deleted: null });
    await storeBatch([{ ...c, files }], missing);
  }
  await flushRun();
}
