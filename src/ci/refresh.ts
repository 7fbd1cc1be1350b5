/**
 * The service's side of the merge gate: with a GitHub token that may write checks
 * (GRASP_GITHUB_TOKEN), the service re-evaluates a pull request's gate after a mark or a credited
 * review and updates its `grasp / understanding` check run, so the check turns green without
 * anyone re-running the workflow.
 *
 * Bounded: one re-evaluation per pull request at a time; requests arriving meanwhile coalesce into
 * one more run after it (which sees all their marks). Failures never reach the request that caused
 * them: they are logged as a warning.
 */
import { getRepoMeta as getMeta, setRepoMeta as setMeta } from '../db/repo/repos.ts';
import { META_REPO } from '../db/repo/github.ts';
import { getGateTarget, openPullRequestsAtHead, openPullRequestsProducing, saveCheckRun } from '../db/repo/check-runs.ts';
import type { RepoStore, Store } from '../db/store.ts';
import { CHECK_RUN_NAME, publishCheckRun, updateCheckRunById } from '../github/check-run.ts';
import type { GithubClient } from '../github/client.ts';
import { evaluateRange } from './evaluate.ts';
import { DEFAULT_POLICY, policySchema, type Policy } from './policy.ts';
import { checkRunText } from './report.ts';

/** Meta keys: the policy the last workflow run sent (with its effective `enforce`), and the repository's node id. */
/** Per repository (repo.<id>.<key>): the policy the workflow's run used, and GitHub's node id of the repository. */
export const META_CI_POLICY = 'ci.policy';
export const META_REPO_NODE_ID = 'github.repo-node-id';

/** Pull requests one mark write or webhook may queue for re-evaluation. */
export const MAX_PULL_REQUESTS_PER_TRIGGER = 20;

export interface RefreshHint {
  /** A check run GitHub named (a re-run request): update that one. */
  checkRunId?: string | null;
  headSha?: string | null;
}

export type RefreshOutcome =
  | { number: number; action: 'created' | 'updated'; conclusion: string }
  | { number: number; action: 'skipped'; reason: string };

export interface GateRefresher {
  /** Queues re-evaluations; resolves when the ones queued by this call have run. Never rejects. */
  refresh(store: RepoStore, numbers: readonly number[], hint?: RefreshHint): Promise<RefreshOutcome[]>;
  /** Resolves once nothing is running or queued (tests, graceful shutdown). */
  idle(): Promise<void>;
}

export interface GateRefresherOptions {
  store: Store;
  /** A client with the service's token (built lazily, once). */
  client: () => GithubClient;
  warn?: (line: string) => void;
  /** Epoch milliseconds. */
  now?: () => number;
}

export async function storedPolicy(store: RepoStore): Promise<Policy> {
  const text = await getMeta(store, META_CI_POLICY);
  if (!text) return DEFAULT_POLICY;
  try {
    const parsed = policySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : DEFAULT_POLICY;
  } catch {
    return DEFAULT_POLICY;
  }
}

/** What a workflow run tells the service about its check run, so later marks can update it. */
export async function rememberWorkflowCheckRun(
  store: RepoStore,
  input: { number: number; checkRunId: string; headSha: string; baseSha: string; repository: string; repositoryId: string; policy: Policy; now: number },
): Promise<void> {
  await saveCheckRun(store, input);
  await setMeta(store, META_CI_POLICY, JSON.stringify(input.policy));
  await setMeta(store, META_REPO_NODE_ID, input.repositoryId);
  if (!(await getMeta(store, META_REPO))) await setMeta(store, META_REPO, input.repository);
}

/** One re-evaluation: the gate of the PR's stored range with this database's marks, sent to its check run. */
export async function refreshGateOnce(store: RepoStore, client: GithubClient, number: number, hint: RefreshHint = {}, now: () => number = Date.now): Promise<RefreshOutcome> {
  const pr = await getGateTarget(store, number);
  if (!pr || pr.state !== 'OPEN') return { number, action: 'skipped', reason: 'not an open pull request here' };
  if (!pr.headSha || !pr.baseSha) return { number, action: 'skipped', reason: 'head or base commit unknown' };
  const [fullName, repositoryId] = await Promise.all([getMeta(store, META_REPO), getMeta(store, META_REPO_NODE_ID)]);
  const [owner, repo] = (fullName ?? '').split('/');
  if (!owner || !repo || !repositoryId) return { number, action: 'skipped', reason: 'repository unknown (no workflow run or webhook has named it yet)' };
  const policy = await storedPolicy(store);
  const { gate } = await evaluateRange(store, { base: pr.baseSha, head: pr.headSha, policy });
  const conclusion = gate.pass ? 'SUCCESS' : policy.enforce ? 'FAILURE' : 'NEUTRAL';
  const output = checkRunText(gate, policy, { enforced: policy.enforce });
  const known = hint.checkRunId && (!hint.headSha || hint.headSha === pr.headSha) ? hint.checkRunId : pr.checkRunHeadSha === pr.headSha ? pr.checkRunId : null;
  const completedAt = new Date(now());
  if (known) {
    const updated = await updateCheckRunById({ client, repositoryId, checkRunId: known, conclusion, output, now: () => completedAt });
    if (updated) {
      if (known !== pr.checkRunId) await saveCheckRun(store, { number, checkRunId: known, headSha: pr.headSha, baseSha: pr.baseSha, now: Math.floor(now() / 1000) });
      return { number, action: 'updated', conclusion };
    }
  }
  const run = await publishCheckRun({ client, owner, repo, repositoryId, headSha: pr.headSha, conclusion, output, now: () => completedAt, refused: known });
  await saveCheckRun(store, { number, checkRunId: run.id, headSha: pr.headSha, baseSha: pr.baseSha, now: Math.floor(now() / 1000) });
  return { number, action: run.action, conclusion };
}

export function createGateRefresher(opts: GateRefresherOptions): GateRefresher {
  const warn = opts.warn ?? ((line: string) => console.warn(line));
  let client: GithubClient | null = null;
  // Keyed by repository and PR number.
  const running = new Map<string, Promise<RefreshOutcome>>();
  // A PR asked for again while it runs: one more run follows (a hint naming a check run wins).
  const again = new Map<string, { hint: RefreshHint; done: Promise<RefreshOutcome> }>();

  function start(store: RepoStore, number: number, hint: RefreshHint): Promise<RefreshOutcome> {
    const key = `${store.repoId}:${number}`;
    const run = (async (): Promise<RefreshOutcome> => {
      try {
        client ??= opts.client();
        return await refreshGateOnce(store, client, number, hint, opts.now);
      } catch (err) {
        warn(`grasp: warning: could not update the ${CHECK_RUN_NAME} check of PR #${number}: ${err instanceof Error ? err.message : String(err)}`);
        return { number, action: 'skipped', reason: 'failed' };
      }
    })();
    running.set(key, run);
    void run.then(() => {
      running.delete(key);
      again.delete(key); // its follow-up (if any) starts right after this
    });
    return run;
  }

  function schedule(store: RepoStore, number: number, hint: RefreshHint): Promise<RefreshOutcome> {
    const key = `${store.repoId}:${number}`;
    const current = running.get(key);
    if (!current) return start(store, number, hint);
    const queued = again.get(key);
    if (queued) {
      queued.hint = hint.checkRunId ? hint : queued.hint;
      return queued.done;
    }
    const entry = { hint, done: undefined as unknown as Promise<RefreshOutcome> };
    entry.done = current.then(() => start(store, number, entry.hint));
    again.set(key, entry);
    return entry.done;
  }

  return {
    refresh(store, numbers, hint = {}) {
      const unique = [...new Set(numbers)].slice(0, MAX_PULL_REQUESTS_PER_TRIGGER);
      return Promise.all(unique.map((n) => schedule(store, n, hint)));
    },
    async idle() {
      while (running.size > 0 || again.size > 0) await Promise.all([...running.values(), ...[...again.values()].map((e) => e.done)]);
    },
  };
}

/** After a mark write: re-evaluates the open PRs that produced any of the marked versions. */
export async function refreshAfterMarks(gates: GateRefresher, store: RepoStore, hashes: readonly string[]): Promise<RefreshOutcome[]> {
  if (hashes.length === 0) return [];
  const numbers = await openPullRequestsProducing(store, hashes, MAX_PULL_REQUESTS_PER_TRIGGER);
  return numbers.length > 0 ? gates.refresh(store, numbers) : [];
}

/**
 * GitHub's "Re-run" on our check run (`check_run` `rerequested`): the PRs it names, else the open
 * PRs at its head commit; the named run is the one updated.
 */
export async function refreshRequestedCheckRun(
  gates: GateRefresher,
  store: RepoStore,
  run: { headSha: string; checkRunId: string | null; numbers: readonly number[]; repositoryId: string | null },
): Promise<RefreshOutcome[]> {
  if (run.repositoryId && !(await getMeta(store, META_REPO_NODE_ID))) await setMeta(store, META_REPO_NODE_ID, run.repositoryId);
  const numbers = run.numbers.length > 0 ? run.numbers : await openPullRequestsAtHead(store, run.headSha, MAX_PULL_REQUESTS_PER_TRIGGER);
  return numbers.length > 0 ? gates.refresh(store, numbers, { checkRunId: run.checkRunId, headSha: run.headSha }) : [];
}
