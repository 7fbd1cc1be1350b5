/**
 * Loads the review queue's facts: every open PR from GitHub data, or with git-only data every
 * branch not merged into the default branch; each reduced through its checklist (without the
 * callers lookup) to the debt, flags, effort and symbols the queue ranks by.
 */
import { buildChecklist, buildPullRequestChecklist } from '../checklist/build.ts';
import type { Checklist } from '../checklist/types.ts';
import { evaluateGate } from '../ci/gate.ts';
import { DEFAULT_POLICY, type Policy } from '../ci/policy.ts';
import { loadItemHeads, loadStanding } from '../ci/standing.ts';
import { GraspError } from '../core/errors.ts';
import { getRepoByNameOrThrow, getRepoMeta, getRepoRoot, listRepos } from '../db/repo/repos.ts';
import { getEngineerWithAliases } from '../db/repo/engineers.ts';
import { currentMarksForEngineer } from '../db/repo/marks.ts';
import { openPullRequests } from '../db/repo/queue.ts';
import { findCommit } from '../db/repo/targets.ts';
import { forRepo, type RepoStore, type Store } from '../db/store.ts';
import type { UnmergedBranch } from '../git/branches.ts';
import { buildQueue, type Queue, type QueueGate, type QueueItemFacts, type QueueWorkFacts } from './queue.ts';

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

/** The gate the Action would report for this checklist, from the local marks. */
async function gateOf(store: RepoStore, c: Checklist, policy: Policy): Promise<QueueGate> {
  const heads = await loadItemHeads(store, c);
  const standing = await loadStanding(store, [...heads.values()].map((h) => h.hash).filter((h): h is string => h !== null));
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

/** One repository's part of the queue: its open PRs, else its unmerged branches. */
async function loadRepoQueue(
  store: RepoStore,
  repo: string,
  me: { handle: string } | null,
  logins: ReadonlySet<string>,
  mine: Map<number, { hash: string; level: string }>,
  opts: QueueOptions,
  work: QueueWorkFacts[],
  warnings: string[],
): Promise<string | null> {
  const root = await getRepoRoot(store);
  const policy = policyOf(root, opts, warnings);
  const gate = (c: Checklist) => (policy ? gateOf(store, c, policy.policy) : Promise.resolve(null));
  const open = await openPullRequests(store);
  const hasPrs = open.length > 0;
  for (const pr of open) {
    let c: Checklist;
    try {
      c = await buildPullRequestChecklist(store, { pr: pr.number, as: me?.handle ?? null, callers: false });
    } catch (e) {
      if (e instanceof GraspError && e.code === 'not-found') {
        warnings.push(`#${pr.number}: ${e.message}`);
        continue;
      }
      throw e;
    }
    work.push({
      repo,
      number: pr.number,
      branch: pr.headRef,
      title: pr.title,
      author: pr.authorLogin,
      agent: mainAgent(c),
      headSha: pr.headSha,
      lastPushAt: pr.lastPushAt ?? pr.updatedAt,
      awaitsMe: pr.reviewRequests.some((l) => logins.has(l)),
      effortMinutes: c.effortMinutes,
      whoToAsk: c.reviewers,
      gate: await gate(c),
      items: itemsOf(c, mine),
    });
  }

  if (!hasPrs && opts.branches && root) {
    for (const b of await opts.branches(root).catch(() => [])) {
      const [base, head] = await Promise.all([findCommit(store, b.base), findCommit(store, b.sha)]);
      if (!base || !head) {
        warnings.push(`branch ${b.name}: not ingested (run \`grasp ingest --all-refs\`)`);
        continue;
      }
      const c = await buildChecklist(store, { base, head, as: me?.handle ?? null, callers: false });
      const subject = c.commits[c.commits.length - 1]?.subject ?? b.name;
      work.push({
        repo,
        number: null,
        branch: b.name,
        title: subject,
        author: null,
        agent: mainAgent(c),
        headSha: b.sha,
        lastPushAt: b.tipAt,
        awaitsMe: false,
        effortMinutes: c.effortMinutes,
        whoToAsk: c.reviewers,
        gate: await gate(c),
        items: itemsOf(c, mine),
      });
    }
  }
  return policy?.source ?? null;
}
