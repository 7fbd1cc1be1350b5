/**
 * Loads the review queue's facts: every open PR from GitHub data, or with git-only data every
 * branch not merged into the default branch; each reduced through its checklist (without the
 * callers lookup) to the debt, flags, effort and symbols the queue ranks by. Per repository the
 * facts of all its open work are read at once (./queue-data.ts, ./commit-range.ts): a handful of
 * set-based queries, not a checklist's ~15 queries and a history walk per PR.
 */
import { buildQueueChecklist } from '../checklist/build.ts';
import type { ChecklistData } from '../checklist/data.ts';
import { latestByEngineerAndHash } from '../checklist/reviewer.ts';
import type { Checklist } from '../checklist/types.ts';
import { evaluateGate } from '../ci/gate.ts';
import { DEFAULT_POLICY, type Policy } from '../ci/policy.ts';
import { itemHeadsOf, standingOf } from '../ci/standing.ts';
import { GraspError } from '../core/errors.ts';
import { getRepoByNameOrThrow, getRepoMeta, getRepoRoot, listRepos } from '../db/repo/repos.ts';
import { getEngineerWithAliases, type Engineer } from '../db/repo/engineers.ts';
import { ingestedPrCommits } from '../db/repo/github.ts';
import { currentMarksForEngineer } from '../db/repo/marks.ts';
import { commitSeqs, openPullRequests, type OpenPullRequest } from '../db/repo/queue.ts';
import { findCommit } from '../db/repo/targets.ts';
import { forRepo, type RepoStore, type Store } from '../db/store.ts';
import type { UnmergedBranch } from '../git/branches.ts';
import { CommitWindows } from './commit-range.ts';
import { buildQueue, type Queue, type QueueGate, type QueueItemFacts, type QueueWorkFacts } from './queue.ts';
import { loadQueueData } from './queue-data.ts';

export interface QueueOptions {
  as?: string | null;
  /** Epoch milliseconds. */
  now?: number;
  /**
   * Reads unmerged branches from the repository when no PR is open (Node with the repository at
   * hand: src/git/branches.ts). Injected, so the Worker bundle never reaches git.
   */
  branches?: (root: string) => Promise<UnmergedBranch[]>;
  /** Only this repository (by name); default every tracked repository. */
  repo?: string;
  /**
   * Reads the merge-gate policy of the tracked repository (`.github/grasp.yml`, the default policy
   * when absent: src/ci/policy-file.ts). Injected like `branches`; without it the default policy
   * gates the queue.
   */
  policy?: (root: string) => { policy: Policy; source: string };
}


function mainAgent(c: Checklist): string | null {
  const counts = new Map<string, number>();
  for (const k of c.commits) if (k.kind === 'agent' && k.agent) counts.set(k.agent, (counts.get(k.agent) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}

function itemsOf(c: Checklist, mine: Map<number, { hash: string; level: string }>): QueueItemFacts[] {
  return c.items.map((i) => ({
    symbolId: i.symbolId,
    file: i.file,
    name: i.symbol,
    hash: i.hash,
    agentLines: i.agentLines,
    complexity: i.complexity,
    flags: i.flags.filter((f) => f.code !== 'unreviewed-agent-code' && f.code !== 'stale-mark').map((f) => f.code),
    understood: i.understood,
    mine: i.symbolId !== null ? (mine.get(i.symbolId) ?? null) : null,
  }));
}

/** The gate the Action would report for this checklist, from the local marks (read through `data`, like the checklist). */
async function gateOf(data: ChecklistData, c: Checklist, policy: Policy): Promise<QueueGate> {
  const shas = c.commits.map((k) => k.sha);
  const seqOf = new Map((await data.commits(shas)).map((k) => [k.sha, k.seq]));
  const [symbolRows, fileRows] = await Promise.all([data.symbolChanges(shas, seqOf), data.fileChanges(shas, seqOf)]);
  const heads = itemHeadsOf(symbolRows, fileRows);
  const latest = [...latestByEngineerAndHash(await data.marksOnHashes([...heads.values()].map((h) => h.hash).filter((h): h is string => h !== null))).values()];
  const standing = standingOf(latest, await data.handles(latest.map((m) => m.engineerId)));
  const gate = evaluateGate({ checklist: c, heads, standing, policy });
  return { state: gate.pass ? 'pass' : 'fail', failing: gate.failing.length };
}

/** The policy to gate by; an unreadable or invalid policy file leaves the gate out, with a warning. */
function policyOf(root: string | null, opts: QueueOptions, warnings: string[]): { policy: Policy; source: string } | null {
  if (!opts.policy || !root) return { policy: DEFAULT_POLICY, source: 'default policy' };
  try {
    return opts.policy(root);
  } catch (e) {
    if (!(e instanceof GraspError)) throw e;
    warnings.push(`gate left out: ${e.message}`);
    return null;
  }
}

export async function loadQueue(store: Store, opts: QueueOptions = {}): Promise<Queue & { warnings: string[]; policy: string | null }> {
  const now = opts.now ?? Date.now();
  const me = opts.as ? await getEngineerWithAliases(store, opts.as) : null;
  const mine = new Map<number, { hash: string; level: string }>();
  if (me) for (const m of await currentMarksForEngineer(store, me)) if (m.symbolId !== null) mine.set(m.symbolId, { hash: m.hash, level: m.level });
  const logins = new Set((me?.logins ?? []).map((l) => l.toLowerCase()));
  const warnings: string[] = [];
  const work: QueueWorkFacts[] = [];
  const repos = opts.repo !== undefined ? [await getRepoByNameOrThrow(store, opts.repo)] : await listRepos(store);
  const sources = new Set<string>();
  for (const r of repos) {
    const scoped = forRepo(store, r.id);
    const source = await loadRepoQueue(scoped, (await getRepoMeta(scoped, 'github.repo')) ?? r.name, me, logins, mine, opts, work, warnings);
    if (source) sources.add(source);
  }
  // Each repository gates by its own policy file (or the default): one source, or several named.
  const policy = sources.size === 0 ? null : [...sources].join('; ');
  return { ...buildQueue(work, { as: me?.handle ?? null, now: Math.floor(now / 1000) }), warnings, policy };
}

interface PlannedWork {
  facts: Omit<QueueWorkFacts, 'agent' | 'effortMinutes' | 'whoToAsk' | 'gate' | 'items'>;
  range: { base: string; head: string; shas: string[] };
}

/**
 * One repository's part of the queue: its open PRs, else its unmerged branches. Every range is
 * resolved first, then the facts of all of them are loaded at once (./queue-data.ts) and each
 * checklist is built from memory.
 */
async function loadRepoQueue(
  store: RepoStore,
  repo: string,
  me: Engineer | null,
  logins: ReadonlySet<string>,
  mine: Map<number, { hash: string; level: string }>,
  opts: QueueOptions,
  work: QueueWorkFacts[],
  warnings: string[],
): Promise<string | null> {
  const root = await getRepoRoot(store);
  const policy = policyOf(root, opts, warnings);
  const planned: PlannedWork[] = [];
  const open = await openPullRequests(store);
  // Tips first (both must be ingested for base..head), then every base..head walked over one shared read of the history.
  // A tip stored under its full sha is found in one query for all; any other goes through findCommit (a prefix, or not ingested).
  const exact = await commitSeqs(store, open.flatMap((pr) => [pr.baseSha, pr.headSha]).filter((s): s is string => !!s));
  const resolve = async (tip: string | null) => (!tip ? undefined : exact.has(tip) ? tip : await findCommit(store, tip));
  const tips: { pr: OpenPullRequest; base: string | undefined; head: string | undefined }[] = [];
  for (const pr of open) tips.push({ pr, base: await resolve(pr.baseSha), head: await resolve(pr.headSha) });
  const branches = open.length === 0 && opts.branches && root ? await opts.branches(root).catch(() => []) : [];
  const branchTips: { branch: UnmergedBranch; base: string; head: string }[] = [];
  for (const b of branches) {
    const [base, head] = await Promise.all([findCommit(store, b.base), findCommit(store, b.sha)]);
    if (!base || !head) {
      warnings.push(`branch ${b.name}: not ingested (run \`grasp ingest --all-refs\`)`);
      continue;
    }
    branchTips.push({ branch: b, base, head });
  }
  const found = [...tips.flatMap((t) => (t.base && t.head ? [t.base, t.head] : [])), ...branchTips.flatMap((t) => [t.base, t.head])];
  const seqs = new Map([...exact, ...(await commitSeqs(store, found.filter((s) => !exact.has(s))))]);
  const windows = new CommitWindows(store, Math.max(0, ...seqs.values()));
  const range = (base: string, head: string) => windows.range({ sha: base, seq: seqs.get(base)! }, { sha: head, seq: seqs.get(head)! });

  for (const { pr, base, head } of tips) {
    const facts = {
      repo,
      number: pr.number,
      branch: pr.headRef,
      title: pr.title,
      author: pr.authorLogin,
      headSha: pr.headSha,
      lastPushAt: pr.lastPushAt ?? pr.updatedAt,
      awaitsMe: pr.reviewRequests.some((l) => logins.has(l)),
    };
    if (base && head) {
      planned.push({ facts, range: { base, head, shas: await range(base, head) } });
      continue;
    }
    // Tips not both ingested: the PR's own ingested commits, as its checklist does.
    const own = await ingestedPrCommits(store, pr.number);
    if (own.length === 0) {
      warnings.push(`#${pr.number}: pull request #${pr.number} has no ingested commits (ingest the repository first?)`);
      continue;
    }
    planned.push({ facts, range: { base: pr.baseSha ?? own[0]!.sha, head: pr.headSha ?? own[own.length - 1]!.sha, shas: own.map((c) => c.sha) } });
  }
  for (const { branch: b, base, head } of branchTips) {
    const facts = { repo, number: null, branch: b.name, title: '', author: null, headSha: b.sha, lastPushAt: b.tipAt, awaitsMe: false };
    planned.push({ facts, range: { base, head, shas: await range(base, head) } });
  }

  const data = await loadQueueData(store, planned.map((p) => p.range.shas), me?.id ?? null);
  for (const p of planned) {
    const c = await buildQueueChecklist(store, data, { ...p.range, reviewer: me });
    work.push({
      ...p.facts,
      // A branch is titled by its newest commit's subject.
      title: p.facts.number === null ? (c.commits[c.commits.length - 1]?.subject ?? p.facts.branch ?? '') : p.facts.title,
      agent: mainAgent(c),
      effortMinutes: c.effortMinutes,
      whoToAsk: c.reviewers,
      gate: policy ? await gateOf(data, c, policy.policy) : null,
      items: itemsOf(c, mine),
    });
  }
  return policy?.source ?? null;
}
