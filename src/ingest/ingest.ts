/**
 * `grasp ingest`: reads a repository's history into the database.
 *
 * One streaming `git log --topo-order --reverse` pass, parents before children, stored in
 * batches, each batch in one transaction together with the "frontier" (ingested commits no
 * ingested commit descends from). A killed run leaves a prefix of that order; the next run
 * asks git only for commits not reachable from the frontier, so nothing is duplicated or lost.
 */
import { GraspError } from '../core/errors.ts';
import { getMeta, insertHistoryQueries, maxSeq, setMetaQuery, countCommits, type AiLinesRow, type CommitRow, type FileChangeRow, type WarningRow } from '../db/repo/commits.ts';
import type { Store } from '../db/store.ts';
import type { ParsedCommit } from '../git/log-parser.ts';
import { notesTip, readNotes, missingObjects } from '../git/notes.ts';
import { nameFromDirectory, nameFromRemote } from '../core/repo-name.ts';
import { isRepoName } from '../core/repo-target.ts';
import { getRepoByPath, upsertRepo } from '../db/repo/repos.ts';
import { inspectRepository, listBranches, originUrl, type RepositoryInfo } from '../git/repository.ts';
import { firstLine, gitText, runGit } from '../git/run.ts';
import { DIFF_ARGS, streamLog } from './log-stream.ts';
import { commitToRows } from './rows.ts';
import { refreshProvenance } from './reclassify.ts';

export interface IngestOptions {
  allRefs?: boolean;
  /** The repository's name (default: kept, else origin's owner/name, else the directory name). */
  name?: string;
  batchSize?: number;
  onProgress?: (p: { done: number; total: number; perSecond: number }) => void;
}

export interface IngestSummary {
  /** The repository's name in this database. */
  name: string;
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

export async function ingestRepository(store: Store, repoPath: string, opts: IngestOptions = {}): Promise<IngestSummary> {
  const started = performance.now();
  const info = await inspectRepository(repoPath);
  const tracked = await getMeta(store, 'repo.root');
  if (tracked && tracked !== info.root) {
    throw new GraspError('conflict', `this database tracks ${tracked}, not ${info.root}; use --db to pick another database`);
  }
  if (opts.name !== undefined && !isRepoName(opts.name)) {
    throw new GraspError('invalid', `--name "${opts.name}" is not a repository name: owner/name or one directory name (letters, digits, _ . -)`);
  }
  const known = await getRepoByPath(store, info.root);
  const name = opts.name ?? known?.name ?? (nameFromRemote((await originUrl(info.root)) ?? '') || nameFromDirectory(info.root));
  const register = () => upsertRepo(store, { path: info.root, name, head: info.head, rename: opts.name !== undefined });
  if (opts.name !== undefined || !known) await register(); // a taken name is refused before any history is read
  const summary: IngestSummary = {
    name,
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
    await store.atomic([setMetaQuery(store, 'repo.root', info.root)]);
    await register();
    summary.durationMs = performance.now() - started;
    return summary;
  }

  const frontier = new Set<string>(JSON.parse((await getMeta(store, 'ingest.frontier')) ?? '[]') as string[]);
  const [branchMap, notes, tip] = await Promise.all([
    opts.allRefs ? branchesByCommit(info) : Promise.resolve(new Map<string, string[]>()),
    readNotes(info.root),
    notesTip(info.root),
  ]);
  let total = 0;
  const counting = countNew(info.root, revs, frontier).then((n) => (total = n));
  let seq = await maxSeq(store);
  let done = 0;

  const storeBatch = async (batch: ParsedCommit[], missingBlobs?: ReadonlySet<string>) => {
    const rows = { commits: [] as CommitRow[], files: [] as FileChangeRow[], aiLines: [] as AiLinesRow[], warnings: [] as WarningRow[] };
    for (const parsed of batch) {
      const r = commitToRows(parsed, { seq: ++seq, branches: branchMap.get(parsed.sha) ?? [], note: notes.get(parsed.sha), missingBlobs });
      rows.commits.push(r.commit);
      rows.files.push(...r.files);
      rows.aiLines.push(...r.aiLines);
      rows.warnings.push(...r.warnings);
      for (const p of parsed.parents) frontier.delete(p);
      frontier.add(parsed.sha);
      tally(summary, r.commit);
      summary.warnings.push(...r.warnings.map((w) => `${w.sha.slice(0, 10)} ${w.path}: ${w.message}`));
    }
    summary.fileChanges += rows.files.length;
    await store.atomic([
      ...insertHistoryQueries(store, rows),
      setMetaQuery(store, 'repo.root', info.root),
      setMetaQuery(store, 'ingest.frontier', JSON.stringify([...frontier])),
    ]);
    done += batch.length;
    opts.onProgress?.({ done, total, perSecond: done / ((performance.now() - started) / 1000) });
  };

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

  // Branch names and git-ai notes can arrive after a commit was ingested: refresh those.
  const previousTip = await getMeta(store, 'ingest.notesTip');
  const stale = [...(opts.allRefs ? branchMap.keys() : []), ...(tip !== previousTip ? notes.keys() : [])];
  summary.reclassified = await refreshProvenance(store, stale, { branches: opts.allRefs ? branchMap : undefined, notes });
  if (tip) await store.atomic([setMetaQuery(store, 'ingest.notesTip', tip)]);

  await register();
  summary.totalCommits = await countCommits(store);
  summary.durationMs = performance.now() - started;
  return summary;
}

function revisionArgs(info: RepositoryInfo, allRefs: boolean): string[] {
  if (allRefs) return ['--branches', '--tags', '--remotes', ...(info.head ? ['HEAD'] : [])];
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

/** Branch names (other than the current one) that reach each commit not on the current branch. */
async function branchesByCommit(info: RepositoryInfo): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  const branches = (await listBranches(info.root)).filter((b) => b.name !== info.branch).slice(0, 2000);
  for (const b of branches) {
    const args = ['rev-list', b.sha, ...(info.head ? ['--not', info.head] : [])];
    const out = await gitText(info.root, args).catch(() => '');
    for (const sha of out.split('\n')) {
      if (!sha) continue;
      const list = map.get(sha) ?? [];
      list.push(b.name);
      map.set(sha, list);
    }
  }
  return map;
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
